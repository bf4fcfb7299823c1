-- consumable stock: paper, toner, coffee, soap.
create table stock_items (
    id uuid primary key,
    sku text not null check (sku ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$'),
    name text not null check (length(btrim(name)) between 1 and 200),
    unit text not null check (length(btrim(unit)) between 1 and 30),
    location text not null default '' check (length(location) <= 200),
    unit_price numeric(18, 2) not null default 0 check (unit_price between 0 and 1000000000000),
    on_hand integer not null default 0 check (on_hand >= 0),
    -- quantities promised to approved tickets, not yet handed out
    reserved integer not null default 0 check (reserved >= 0),
    reorder_level integer not null default 0 check (reorder_level >= 0),
    active boolean not null default true,
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);
create unique index stock_items_sku_key on stock_items (upper(sku));
create index stock_items_name_idx on stock_items (lower(name), id);
create index stock_items_low_idx on stock_items ((on_hand - reorder_level)) where active;

create trigger stock_items_updated_at before update on stock_items
    for each row execute function set_updated_at();

-- every change of on hand; on hand is always the sum of these deltas.
create table stock_movements (
    id bigint generated always as identity primary key,
    stock_item_id uuid not null references stock_items (id),
    kind text not null check (kind in ('receive', 'issue', 'adjust')),
    delta integer not null check (delta <> 0),
    on_hand_after integer not null check (on_hand_after >= 0),
    reason text not null default '' check (length(reason) <= 500),
    ticket_id uuid references tickets (id),
    actor_id uuid not null references users (id),
    created_at timestamptz not null default now(),
    check (kind <> 'receive' or delta > 0),
    check (kind <> 'issue' or delta < 0),
    check (kind <> 'adjust' or length(btrim(reason)) > 0)
);
create index stock_movements_item_idx on stock_movements (stock_item_id, id desc);
create index stock_movements_ticket_idx on stock_movements (ticket_id) where ticket_id is not null;

-- a ticket item can be a stock item
alter table ticket_items add column stock_item_id uuid references stock_items (id);
create index ticket_items_stock_idx on ticket_items (stock_item_id) where stock_item_id is not null;

-- what an approved ticket holds of each stock item until it is completed,
-- cancelled or rejected.
create table stock_reservations (
    ticket_id uuid not null references tickets (id) on delete cascade,
    stock_item_id uuid not null references stock_items (id),
    quantity integer not null check (quantity > 0),
    state text not null default 'reserved' check (state in ('reserved', 'issued', 'released')),
    updated_at timestamptz not null default now(),
    primary key (ticket_id, stock_item_id)
);
create index stock_reservations_item_idx on stock_reservations (stock_item_id) where state = 'reserved';
