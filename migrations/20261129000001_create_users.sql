-- people who use ga desk. emails are stored lower-cased by the application
-- and unique regardless of case.
create table users (
    id uuid primary key,
    email text not null check (email = lower(email) and length(email) between 3 and 254),
    name text not null check (length(btrim(name)) between 1 and 200),
    department text not null default '' check (length(department) <= 200),
    manager_id uuid references users (id) on delete set null check (manager_id <> id),
    role text not null default 'requester'
        check (role in ('requester', 'approver', 'agent', 'admin')),
    active boolean not null default true,
    -- absent for people who only sign in through single sign-on
    password_hash text,
    must_change_password boolean not null default false,
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
);

create unique index users_email_key on users (lower(email));
create index users_manager_idx on users (manager_id) where manager_id is not null;

create function set_updated_at() returns trigger language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end
$$;

create trigger users_updated_at before update on users
    for each row execute function set_updated_at();
