-- decisions of approvers, one per level and approval round. editing the
-- items of a ticket waiting for approval starts a new round.
alter table tickets add column approval_round integer not null default 1 check (approval_round > 0);

create table ticket_approvals (
    id bigint generated always as identity primary key,
    ticket_id uuid not null references tickets (id) on delete cascade,
    round integer not null check (round > 0),
    level smallint not null check (level between 1 and 10),
    approver_id uuid not null references users (id),
    decision text not null check (decision in ('approved', 'rejected')),
    note text not null default '' check (length(note) <= 2000),
    created_at timestamptz not null default now(),
    unique (ticket_id, round, level)
);

create index ticket_approvals_approver_idx on ticket_approvals (approver_id, created_at desc);

-- nobody decides on their own ticket, even through sql
create function check_approver_not_requester() returns trigger language plpgsql as $$
begin
    if exists (select 1 from tickets t where t.id = new.ticket_id and t.requester_id = new.approver_id) then
        raise exception 'approver % requested ticket %', new.approver_id, new.ticket_id
            using errcode = 'check_violation';
    end if;
    return new;
end
$$;

create trigger ticket_approvals_not_requester before insert on ticket_approvals
    for each row execute function check_approver_not_requester();
