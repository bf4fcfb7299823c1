-- service levels on business time: sites with their zone, working week and
-- closed days; policies per category and priority; due times kept on the
-- ticket; escalation steps taken once; approvers' out-of-office delegation.

create extension if not exists btree_gist;

create table sites (
    id uuid primary key,
    code text not null check (code ~ '^[A-Z0-9][A-Z0-9-]{1,11}$'),
    name text not null check (length(btrim(name)) between 1 and 120),
    -- indonesia keeps no daylight saving time: the zone is a fixed offset
    time_zone text not null check (time_zone in ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')),
    -- the working week, monday first: {"days": [[{"start": 480, "end": 720}, …], …]}
    hours jsonb not null check (jsonb_typeof(hours -> 'days') = 'array' and jsonb_array_length(hours -> 'days') = 7),
    active boolean not null default true,
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index sites_code_key on sites (code);
create unique index sites_name_key on sites (lower(name));

create trigger sites_updated_at before update on sites
    for each row execute function set_updated_at();

-- the head office every existing row belongs to until someone moves it.
-- mon–thu 08.00–17.00 with lunch, friday prayer 11.30–13.00, saturday morning.
insert into sites (id, code, name, time_zone, hours) values (
    '0192f000-0000-7000-8000-000000000001', 'HQ', 'Kantor Pusat', 'Asia/Jakarta',
    '{"days": [
        [{"start": 480, "end": 720}, {"start": 780, "end": 1020}],
        [{"start": 480, "end": 720}, {"start": 780, "end": 1020}],
        [{"start": 480, "end": 720}, {"start": 780, "end": 1020}],
        [{"start": 480, "end": 720}, {"start": 780, "end": 1020}],
        [{"start": 480, "end": 690}, {"start": 780, "end": 1020}],
        [{"start": 480, "end": 720}],
        []]}');

-- days a site is closed. site null: every site (national holidays and cuti
-- bersama); a site's own row wins over nothing, one row per site and day.
create table closed_days (
    id bigint generated always as identity primary key,
    site_id uuid references sites (id) on delete cascade,
    day date not null,
    kind text not null check (kind in ('national', 'collective_leave', 'closure')),
    name_id text not null check (length(btrim(name_id)) between 1 and 200),
    name_en text not null check (length(btrim(name_en)) between 1 and 200),
    created_at timestamptz not null default now(),
    -- closures belong to one site; the decreed days to all of them
    check (kind <> 'closure' or site_id is not null)
);
create unique index closed_days_once on closed_days
    (coalesce(site_id, '00000000-0000-0000-0000-000000000000'::uuid), day);
create index closed_days_day_idx on closed_days (day);

-- years whose decreed days were loaded from the shipped data, so a day an
-- admin removed stays removed.
create table holiday_years (
    year integer primary key check (year between 2000 and 2100),
    loaded_at timestamptz not null default now()
);

alter table users add column site_id uuid not null
    default '0192f000-0000-7000-8000-000000000001' references sites (id);
alter table assets add column site_id uuid not null
    default '0192f000-0000-7000-8000-000000000001' references sites (id);
alter table stock_items add column site_id uuid not null
    default '0192f000-0000-7000-8000-000000000001' references sites (id);
alter table tickets add column site_id uuid not null
    default '0192f000-0000-7000-8000-000000000001' references sites (id);
create index users_site_idx on users (site_id);
create index assets_site_idx on assets (site_id);

-- targets in working minutes of the ticket's site.
create table sla_policies (
    category text not null check (category in (
        'office_supplies', 'facility_maintenance', 'pantry_supplies',
        'meeting_room', 'office_furniture', 'general_service')),
    priority text not null check (priority in ('low', 'medium', 'high')),
    approval_minutes integer not null check (approval_minutes between 1 and 100000),
    response_minutes integer not null check (response_minutes between 1 and 100000),
    resolution_minutes integer not null check (resolution_minutes between 1 and 100000),
    version integer not null default 1 check (version > 0),
    updated_at timestamptz not null default now(),
    primary key (category, priority),
    check (response_minutes <= resolution_minutes)
);

insert into sla_policies (category, priority, approval_minutes, response_minutes, resolution_minutes)
select c, p,
       case p when 'high' then 240 when 'medium' then 480 else 960 end,
       case p when 'high' then 60 when 'medium' then 240 else 480 end,
       case p when 'high' then 480 when 'medium' then 1440 else 2400 end
  from unnest(array['office_supplies', 'facility_maintenance', 'pantry_supplies',
                    'meeting_room', 'office_furniture', 'general_service']) c,
       unnest(array['low', 'medium', 'high']) p;

-- the clocks of a ticket. the approval clock runs from the request for a
-- decision to the last decision; the work clock (first response, then
-- resolution) from creation, or from approval when one is needed, and stops
-- while the ticket waits for the requester. due times are derived from
-- these anchors, the policy and the site calendar, and recomputed when
-- either changes.
alter table tickets
    add column approval_started_at timestamptz,
    add column approval_due_at timestamptz,
    add column approval_decided_at timestamptz,
    add column work_started_at timestamptz,
    add column response_due_at timestamptz,
    add column responded_at timestamptz,
    add column resolution_due_at timestamptz,
    add column paused_at timestamptz,
    add column paused_minutes integer not null default 0 check (paused_minutes >= 0),
    -- the clock running now: its due time and the moment to remind
    add column sla_clock text check (sla_clock in ('approval', 'response', 'resolution')),
    add column next_due_at timestamptz,
    add column remind_at timestamptz,
    add check ((sla_clock is null) = (next_due_at is null));

-- the desk's overdue filter and the escalation job
create index tickets_next_due_idx on tickets (next_due_at) where next_due_at is not null;

-- existing tickets: clocks from what their history says
update tickets t set
    approval_started_at = case when t.awaiting_level is not null or exists (
            select 1 from ticket_approvals a where a.ticket_id = t.id) then t.created_at end,
    approval_decided_at = (select max(a.created_at) from ticket_approvals a where a.ticket_id = t.id
                            and t.status not in ('waiting_approval')),
    work_started_at = case
        when t.status in ('waiting_approval', 'rejected') then null
        when exists (select 1 from ticket_approvals a where a.ticket_id = t.id)
            then (select max(a.created_at) from ticket_approvals a where a.ticket_id = t.id)
        else t.created_at end,
    responded_at = (select min(h.created_at) from ticket_history h where h.ticket_id = t.id
                     and h.action in ('accept', 'assign', 'start'));

-- each escalation step of each clock run happens once, however many
-- instances run the job.
create table sla_escalations (
    id bigint generated always as identity primary key,
    ticket_id uuid not null references tickets (id) on delete cascade,
    clock text not null check (clock in ('approval', 'response', 'resolution')),
    step text not null check (step in ('remind', 'breach')),
    -- which run of the clock: its start (a new approval round or a reopen starts another)
    clock_started_at timestamptz not null,
    -- the ticket as it stood, for its timeline (a step does not change the ticket)
    ticket_version integer not null,
    status text not null,
    system_note jsonb not null check (jsonb_typeof(system_note -> 'code') = 'string'),
    notified uuid[] not null default '{}',
    created_at timestamptz not null default now(),
    unique (ticket_id, clock, step, clock_started_at)
);

-- out of office: requests waiting for `user_id` in the period may be
-- decided by `delegate_id` instead. one delegation per person at a time.
create table delegations (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    delegate_id uuid not null references users (id) on delete cascade,
    starts_on date not null,
    ends_on date not null,
    -- the period as instants, from the start of starts_on to the end of
    -- ends_on in the away person's zone
    period tstzrange not null check (not isempty(period)),
    note text not null default '' check (length(note) <= 500),
    created_by uuid not null references users (id),
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    check (user_id <> delegate_id),
    check (starts_on <= ends_on),
    constraint delegations_no_overlap exclude using gist (user_id with =, period with &&)
);
create index delegations_delegate_idx on delegations using gist (delegate_id, period);

-- whom an approval was given for, when a delegate gave it
alter table ticket_approvals add column on_behalf_of uuid references users (id);
alter table ticket_approvals add check (on_behalf_of is null or on_behalf_of <> approver_id);

-- the delegate of a person right now, if any (one hop: never the delegate's delegate)
create function current_delegate(person uuid) returns uuid language sql stable as $$
    select d.delegate_id from delegations d
     where d.user_id = person and d.period @> now()
$$;

-- the log and the bell know the new kinds.
alter table security_events drop constraint security_events_kind_check;
alter table security_events add constraint security_events_kind_check check (kind in (
    'login_succeeded', 'login_failed', 'login_locked', 'logout', 'refresh_reused',
    'password_changed', 'password_reset', 'role_changed', 'user_created',
    'user_deactivated', 'user_reactivated', 'user_updated', 'oidc_login', 'rate_limited',
    'password_change_failed', 'session_ended', 'policy_changed', 'stock_item_changed',
    'webhook_changed', 'site_changed', 'calendar_changed', 'service_level_changed',
    'delegation_changed'));

alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (kind in (
    'status_changed', 'awaiting_approval', 'assigned', 'commented', 'rejected',
    'please_confirm', 'approval_reminder', 'confirm_reminder', 'stock_low',
    'warranty_ending', 'sla_reminder', 'sla_breached'));
