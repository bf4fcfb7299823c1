-- photos and documents on tickets, comments and assets (issue 17).

-- the bytes, once per content: keyed by their sha-256. a blob no live
-- attachment points at is removed by a job after a grace period
-- (touched_at), so an upload in flight never loses its bytes.
create table blobs (
    sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint not null check (size >= 0),
    touched_at timestamptz not null default now()
);

create table attachments (
    id uuid primary key,
    ticket_id uuid references tickets (id) on delete cascade,
    comment_id uuid references ticket_comments (id) on delete cascade,
    asset_id uuid references assets (id) on delete cascade,
    -- staff-only, like an internal note (always so for an internal note's files)
    internal boolean not null default false,
    name text not null check (length(name) between 1 and 200 and name !~ '[/\\[:cntrl:]]'),
    kind text not null check (kind in ('jpeg', 'png', 'webp', 'pdf', 'docx', 'xlsx', 'pptx',
                                        'doc', 'xls', 'ppt', 'odt', 'ods', 'odp', 'text')),
    size bigint not null check (size > 0),
    blob text not null references blobs (sha256),
    thumb text references blobs (sha256),
    width integer check (width > 0),
    height integer check (height > 0),
    uploaded_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    check ((ticket_id is null) <> (asset_id is null)),
    check (comment_id is null or ticket_id is not null),
    check (asset_id is null or not internal),
    check ((kind in ('jpeg', 'png', 'webp')) = (thumb is not null and width is not null and height is not null))
);

create index attachments_ticket_idx on attachments (ticket_id, created_at) where ticket_id is not null;
create index attachments_asset_idx on attachments (asset_id, created_at) where asset_id is not null;
create index attachments_comment_idx on attachments (comment_id) where comment_id is not null;
create index attachments_blob_idx on attachments (blob);
create index attachments_thumb_idx on attachments (thumb) where thumb is not null;

-- caps, set by admins
create table attachment_settings (
    id boolean primary key default true check (id),
    max_file_mb integer not null default 20 check (max_file_mb between 1 and 100),
    max_files integer not null default 10 check (max_files between 1 and 50),
    version integer not null default 1 check (version > 0)
);
insert into attachment_settings default values;

-- a history entry about an internal note's files is staff-only too
alter table ticket_history add column internal boolean not null default false;

alter table asset_history drop constraint asset_history_action_check;
alter table asset_history add constraint asset_history_action_check check (action in (
    'register', 'edit', 'check_out', 'check_in', 'move', 'send_to_maintenance',
    'return_from_maintenance', 'retire', 'attach', 'remove_attachment'));
