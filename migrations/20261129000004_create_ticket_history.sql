-- every transition and edit of a ticket, one row per version.
create table ticket_history (
    id bigint generated always as identity primary key,
    ticket_id uuid not null references tickets (id) on delete cascade,
    version integer not null check (version > 0),
    actor_id uuid not null references users (id),
    action text not null check (length(action) between 1 and 40),
    from_status text,
    to_status text not null,
    changed_fields text[] not null default '{}',
    note text not null default '' check (length(note) <= 2000),
    created_at timestamptz not null default now(),
    unique (ticket_id, version)
);
