-- tickets: one request to general affairs.
create table tickets (
    id uuid primary key,
    number text not null unique,
    title text not null check (length(btrim(title)) between 1 and 200),
    description text not null default '' check (length(description) <= 10000),
    category text not null check (category in (
        'office_supplies', 'facility_maintenance', 'pantry_supplies',
        'meeting_room', 'office_furniture', 'general_service')),
    priority text not null default 'medium' check (priority in ('low', 'medium', 'high')),
    location text not null check (length(btrim(location)) between 1 and 200),
    status text not null default 'pending' check (status in (
        'pending', 'waiting_approval', 'approved', 'rejected',
        'in_progress', 'completed', 'closed')),
    resolution text check (resolution in ('done', 'cancelled')),
    requester_id uuid not null references users (id),
    assignee_id uuid references users (id),
    due_date date,
    -- sum of the items, computed by the server; never sent by clients
    estimated_total numeric(18, 2) not null default 0
        check (estimated_total between 0 and 1000000000000),
    actual_total numeric(18, 2) check (actual_total between 0 and 1000000000000),
    -- whom a ticket waiting for approval waits for (null approver = any approver)
    awaiting_level smallint check (awaiting_level > 0),
    awaiting_approver_id uuid references users (id),
    -- item names, kept by the server so search covers them
    items_text text not null default '',
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    completed_at timestamptz,
    check ((status = 'closed') = (resolution is not null))
);

-- "my requests", newest first
create index tickets_requester_created_idx on tickets (requester_id, created_at desc, id desc);
-- queues by status
create index tickets_status_created_idx on tickets (status, created_at desc, id desc);
-- "assigned to me"
create index tickets_assignee_status_idx on tickets (assignee_id, status) where assignee_id is not null;
-- approvers' queues
create index tickets_waiting_approval_idx on tickets (awaiting_approver_id, created_at)
    where status = 'waiting_approval';

create trigger tickets_updated_at before update on tickets
    for each row execute function set_updated_at();

-- ticket numbers are GA-<year>-<nnnnnn>, counted per year in Jakarta time.
-- one sequence per year: unlike a counter row, a sequence never makes
-- concurrent creations wait for each other (a rolled-back insert may leave
-- a gap, which is acceptable for a reference number).
create function assign_ticket_number() returns trigger language plpgsql as $$
declare
    y integer := extract(year from (new.created_at at time zone 'Asia/Jakarta'))::integer;
    seq text := 'ticket_number_' || y;
    n bigint;
begin
    if new.number is not null and new.number <> '' then
        return new;
    end if;
    begin
        n := nextval(seq);
    exception when undefined_table then
        begin
            execute format('create sequence if not exists %I', seq);
        exception when unique_violation or duplicate_table then
            null; -- another transaction created it first
        end;
        n := nextval(seq);
    end;
    new.number := 'GA-' || y || '-' || case when n < 1000000 then lpad(n::text, 6, '0') else n::text end;
    return new;
end
$$;

create trigger tickets_number before insert on tickets
    for each row execute function assign_ticket_number();
