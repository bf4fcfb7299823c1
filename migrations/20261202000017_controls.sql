-- controls that hold: approved amounts stay approved, sign-in throttled per
-- account and address, sessions that end, single sign-on bound to a subject.

-- completion above the approved amount waits for approval of the new cost
-- (pending_cost); once approved it becomes the ceiling (approved_cost).
alter table tickets
    add column pending_cost numeric(18, 2) check (pending_cost between 0 and 1000000000000),
    add column approved_cost numeric(18, 2) check (approved_cost between 0 and 1000000000000),
    add constraint tickets_cost_waits_for_approval
        check (pending_cost is null or status = 'waiting_approval');

-- the approval settings beside the thresholds: one row.
create table approval_settings (
    id boolean primary key default true check (id),
    -- how far the actual cost may exceed the approved total without a new decision
    cost_tolerance_percent integer not null default 10 check (cost_tolerance_percent between 0 and 1000),
    -- open tickets of one requester and category within 7 days that together
    -- reach a threshold go to approval as if they were one
    route_split_purchases boolean not null default false,
    version integer not null default 1 check (version > 0),
    updated_at timestamptz not null default now()
);
insert into approval_settings (id) values (true);

-- split-purchase look-ups: a requester's recent tickets in a category.
create index tickets_requester_category_idx on tickets (requester_id, category, created_at desc);

-- temporary passwords stop working after a while.
alter table users
    add column temp_password_expires_at timestamptz,
    add column oidc_issuer text check (length(oidc_issuer) <= 500),
    add column oidc_subject text check (length(oidc_subject) <= 255),
    add constraint users_oidc_pair check ((oidc_issuer is null) = (oidc_subject is null));
create unique index users_oidc_key on users (oidc_issuer, oidc_subject) where oidc_issuer is not null;

-- sign-in failures are throttled per account and network (an IPv4 address or
-- an IPv6 /64), so a stranger's guesses lock only the stranger out.
alter table security_events add column client_net cidr;
create index security_events_net_failures_idx on security_events (email, client_net, at)
    where kind = 'login_failed';
create index security_events_password_failures_idx on security_events (user_id, at)
    where kind = 'password_change_failed';

alter table security_events drop constraint security_events_kind_check;
alter table security_events add constraint security_events_kind_check check (kind in (
    'login_succeeded', 'login_failed', 'login_locked', 'logout', 'refresh_reused',
    'password_changed', 'password_reset', 'role_changed', 'user_created',
    'user_deactivated', 'user_reactivated', 'user_updated', 'oidc_login', 'rate_limited',
    'password_change_failed', 'session_ended', 'policy_changed', 'stock_item_changed'));

-- retention removes old rows in batches by time.
create index sessions_expires_idx on sessions (expires_at);
