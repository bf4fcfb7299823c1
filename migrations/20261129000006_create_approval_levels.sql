-- the amount-based approval policy that admins edit: level n is needed from
-- its threshold up.
create table approval_levels (
    level smallint primary key check (level between 1 and 10),
    threshold numeric(18, 2) not null check (threshold between 0 and 1000000000000),
    updated_at timestamptz not null default now()
);

insert into approval_levels (level, threshold) values (1, 1000000), (2, 10000000);
