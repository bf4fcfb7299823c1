-- assets: the company's things GA hands out and looks after.
create sequence asset_tag_seq;

create table assets (
    id uuid primary key,
    tag text not null check (tag ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
    name text not null check (length(btrim(name)) between 1 and 200),
    category text not null check (category in (
        'laptop', 'desktop', 'monitor', 'phone', 'projector', 'printer',
        'network', 'furniture', 'vehicle', 'appliance', 'other')),
    serial_number text check (length(serial_number) between 1 and 100),
    condition text not null default 'good' check (condition in ('new', 'good', 'fair', 'poor', 'broken')),
    location text not null check (length(btrim(location)) between 1 and 200),
    status text not null default 'available' check (status in (
        'available', 'checked_out', 'under_maintenance', 'retired')),
    holder_id uuid references users (id),
    purchase_date date,
    purchase_price numeric(18, 2) check (purchase_price between 0 and 1000000000000),
    warranty_end date,
    notes text not null default '' check (length(notes) <= 4000),
    retired_reason text check (length(retired_reason) <= 1000),
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- a holder exactly when checked out; a reason exactly when retired
    check ((status = 'checked_out') = (holder_id is not null)),
    check ((status = 'retired') = (retired_reason is not null)),
    check (warranty_end is null or purchase_date is null or warranty_end >= purchase_date),
    search tsvector generated always as (
        to_tsvector('simple', tag || ' ' || replace(tag, '-', ' ') || ' ' || name || ' '
            || coalesce(serial_number, '') || ' ' || location)
    ) stored
);
create unique index assets_tag_key on assets (upper(tag));
create unique index assets_serial_key on assets (category, lower(serial_number)) where serial_number is not null;
create index assets_list_idx on assets (created_at desc, id desc);
create index assets_status_idx on assets (status, created_at desc, id desc);
create index assets_holder_idx on assets (holder_id) where holder_id is not null;
create index assets_warranty_idx on assets (warranty_end) where warranty_end is not null and status <> 'retired';
create index assets_search_idx on assets using gin (search);

create trigger assets_updated_at before update on assets
    for each row execute function set_updated_at();

create function assign_asset_tag() returns trigger language plpgsql as $$
begin
    if new.tag is null or new.tag = '' then
        new.tag := 'AST-' || lpad(nextval('asset_tag_seq')::text, 6, '0');
    end if;
    return new;
end
$$;
create trigger assets_tag before insert on assets
    for each row execute function assign_asset_tag();

-- every change of an asset, one row per version, in the same transaction.
create table asset_history (
    id bigint generated always as identity primary key,
    asset_id uuid not null references assets (id) on delete cascade,
    version integer not null check (version > 0),
    actor_id uuid not null references users (id),
    action text not null check (action in (
        'register', 'edit', 'check_out', 'check_in', 'move', 'send_to_maintenance',
        'return_from_maintenance', 'retire')),
    from_status text,
    to_status text not null,
    changed_fields text[] not null default '{}',
    holder_id uuid references users (id),
    ticket_id uuid references tickets (id),
    note text not null default '' check (length(note) <= 2000),
    created_at timestamptz not null default now(),
    unique (asset_id, version)
);

-- maintenance visits: vendor, cost and dates.
create table asset_maintenance (
    id bigint generated always as identity primary key,
    asset_id uuid not null references assets (id) on delete cascade,
    vendor text not null check (length(btrim(vendor)) between 1 and 200),
    cost numeric(18, 2) not null default 0 check (cost between 0 and 1000000000000),
    sent_on date not null,
    expected_back date,
    returned_on date,
    note text not null default '' check (length(note) <= 2000),
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    check (expected_back is null or expected_back >= sent_on),
    check (returned_on is null or returned_on >= sent_on)
);
create index asset_maintenance_asset_idx on asset_maintenance (asset_id, id desc);
-- at most one open visit per asset
create unique index asset_maintenance_open_key on asset_maintenance (asset_id) where returned_on is null;
