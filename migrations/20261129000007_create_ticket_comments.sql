-- conversation on a ticket. internal notes are for ga staff only.
create table ticket_comments (
    id uuid primary key,
    ticket_id uuid not null references tickets (id) on delete cascade,
    author_id uuid not null references users (id),
    body text not null check (length(btrim(body)) between 1 and 5000),
    internal boolean not null default false,
    created_at timestamptz not null default now()
);

create index ticket_comments_ticket_idx on ticket_comments (ticket_id, created_at);
