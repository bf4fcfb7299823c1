-- in-app notifications (the bell).
create table notifications (
    id bigint generated always as identity primary key,
    user_id uuid not null references users (id) on delete cascade,
    ticket_id uuid references tickets (id) on delete cascade,
    kind text not null check (kind in ('status_changed', 'awaiting_approval', 'assigned', 'commented')),
    message text not null check (length(message) between 1 and 500),
    created_at timestamptz not null default now(),
    read_at timestamptz
);

create index notifications_user_idx on notifications (user_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;
