-- Notifications that leave the app: each person's language, time zone and
-- delivery choices; the outbox written in the same transaction as the
-- change; approval links that decide from an email; webhooks for chat.

alter table users
    add column lang text not null default 'id' check (lang in ('id', 'en')),
    add column time_zone text not null default 'Asia/Jakarta'
        check (time_zone in ('Asia/Jakarta', 'Asia/Makassar', 'Asia/Jayapura')),
    -- notice kinds (codes) this person reads in the app only, not by email
    add column email_off text[] not null default '{}',
    -- one mail a day with everything instead of single mails
    add column email_digest boolean not null default false,
    -- local hours [from, to) when nothing but the digest is sent
    add column quiet_from smallint check (quiet_from between 0 and 23),
    add column quiet_to smallint check (quiet_to between 0 and 23),
    add constraint users_quiet_hours_both check ((quiet_from is null) = (quiet_to is null));

create table webhooks (
    id uuid primary key,
    name text not null check (length(btrim(name)) between 1 and 100),
    url text not null check (url ~ '^https?://[^\s]+$' and length(url) <= 2000),
    -- the body the receiver understands
    format text not null check (format in ('json', 'slack', 'teams')),
    lang text not null default 'id' check (lang in ('id', 'en')),
    -- notice kinds (codes) it wants; empty means none
    events text[] not null,
    secret text not null check (length(secret) >= 32),
    active boolean not null default true,
    -- deliveries that failed in a row; reaching the limit disables the hook
    failures integer not null default 0 check (failures >= 0),
    disabled_at timestamptz,
    created_by uuid references users (id) on delete set null,
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create trigger webhooks_updated_at before update on webhooks
    for each row execute function set_updated_at();

create table outbox (
    id bigint generated always as identity primary key,
    -- what happened; with channel and recipient it names one message, so
    -- the same event never queues the same message twice
    event_key text not null check (length(event_key) between 1 and 200),
    channel text not null check (channel in ('email', 'webhook')),
    user_id uuid references users (id) on delete cascade,
    webhook_id uuid references webhooks (id) on delete cascade,
    ticket_id uuid references tickets (id) on delete set null,
    -- the notice and the ticket's facts as a value (domain::outgoing)
    message jsonb not null,
    status text not null default 'pending'
        check (status in ('pending', 'digest', 'sent', 'failed', 'digested', 'in_app')),
    attempts integer not null default 0 check (attempts >= 0),
    next_attempt_at timestamptz not null default now(),
    -- a worker that claimed the row owns it until then; a worker that dies
    -- lets it go when this passes
    leased_until timestamptz,
    last_error text,
    created_at timestamptz not null default now(),
    sent_at timestamptz,
    check ((channel = 'email') = (user_id is not null and webhook_id is null)),
    check ((channel = 'webhook') = (webhook_id is not null and user_id is null))
);

create unique index outbox_once on outbox (event_key, channel, coalesce(user_id, webhook_id));
create index outbox_due on outbox (next_attempt_at) where status = 'pending';
create index outbox_digest on outbox (user_id) where status = 'digest';
create index outbox_recent on outbox (created_at desc, id desc);
create index outbox_webhook on outbox (webhook_id, created_at desc) where webhook_id is not null;

-- Approve and Reject links in an approval email. The token is signed over
-- the row's id; the row binds it to one approver, one ticket version and
-- one use.
create table decision_links (
    id uuid primary key,
    ticket_id uuid not null references tickets (id) on delete cascade,
    approver_id uuid not null references users (id) on delete cascade,
    ticket_version integer not null,
    expires_at timestamptz not null,
    used_at timestamptz,
    used_action text check (used_action in ('approve', 'reject')),
    created_at timestamptz not null default now(),
    check ((used_at is null) = (used_action is null))
);

create index decision_links_ticket on decision_links (ticket_id);

-- The bell hears the new kinds too.
alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (kind in (
    'status_changed', 'awaiting_approval', 'assigned', 'commented', 'rejected',
    'please_confirm', 'approval_reminder', 'confirm_reminder', 'stock_low',
    'warranty_ending'));

alter table security_events drop constraint security_events_kind_check;
alter table security_events add constraint security_events_kind_check check (kind in (
    'login_succeeded', 'login_failed', 'login_locked', 'logout', 'refresh_reused',
    'password_changed', 'password_reset', 'role_changed', 'user_created',
    'user_deactivated', 'user_reactivated', 'user_updated', 'oidc_login', 'rate_limited',
    'password_change_failed', 'session_ended', 'policy_changed', 'stock_item_changed',
    'webhook_changed'));
