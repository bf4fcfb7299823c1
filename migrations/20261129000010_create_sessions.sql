-- sign-in sessions. the access token names its session (sid); the browser
-- keeps a refresh token that rotates on every use. only hashes are stored.
create table sessions (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    revoked_at timestamptz,
    revoked_reason text check (length(revoked_reason) <= 200),
    user_agent text not null default '' check (length(user_agent) <= 300),
    client_ip text not null default '' check (length(client_ip) <= 64)
);

create index sessions_user_idx on sessions (user_id) where revoked_at is null;
create index sessions_revoked_idx on sessions (revoked_at) where revoked_at is not null;

-- every refresh token ever issued for a session: presenting one that was
-- already rotated (outside a short grace period) revokes the session.
create table refresh_tokens (
    token_hash bytea primary key check (length(token_hash) = 32),
    session_id uuid not null references sessions (id) on delete cascade,
    issued_at timestamptz not null default now(),
    rotated_at timestamptz
);

create index refresh_tokens_session_idx on refresh_tokens (session_id);

-- access tokens issued before this moment are no longer accepted (password
-- change, role change, deactivation).
alter table users add column sessions_valid_after timestamptz not null default '-infinity';

-- security audit log: sign-ins, lockouts, role changes, deactivations...
create table security_events (
    id bigint generated always as identity primary key,
    at timestamptz not null default now(),
    kind text not null check (kind in (
        'login_succeeded', 'login_failed', 'login_locked', 'logout', 'refresh_reused',
        'password_changed', 'password_reset', 'role_changed', 'user_created',
        'user_deactivated', 'user_reactivated', 'user_updated', 'oidc_login', 'rate_limited')),
    user_id uuid references users (id) on delete set null,
    actor_id uuid references users (id) on delete set null,
    email text not null default '' check (length(email) <= 254),
    client_ip text not null default '' check (length(client_ip) <= 64),
    detail text not null default '' check (length(detail) <= 500)
);

create index security_events_at_idx on security_events (at desc, id desc);
create index security_events_failures_idx on security_events (email, at) where kind = 'login_failed';
