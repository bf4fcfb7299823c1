-- the things a ticket asks for.
create table ticket_items (
    ticket_id uuid not null references tickets (id) on delete cascade,
    line_no integer not null check (line_no between 1 and 50),
    name text not null check (length(btrim(name)) between 1 and 200),
    quantity integer not null check (quantity between 1 and 1000000),
    unit text not null check (length(btrim(unit)) between 1 and 30),
    unit_price numeric(18, 2) not null check (unit_price between 0 and 1000000000000),
    line_total numeric(18, 2) generated always as (quantity * unit_price) stored
        check (line_total <= 1000000000000),
    primary key (ticket_id, line_no)
);
