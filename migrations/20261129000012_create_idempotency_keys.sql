-- idempotency-key of post /tickets: the same key and body within 24 hours
-- returns the first answer instead of creating a second ticket.
create table idempotency_keys (
    user_id uuid not null references users (id) on delete cascade,
    key text not null check (length(key) between 1 and 200),
    request_hash bytea not null,
    response_status smallint,
    response_body jsonb,
    created_at timestamptz not null default now(),
    primary key (user_id, key)
);
create index idempotency_keys_created_idx on idempotency_keys (created_at);
