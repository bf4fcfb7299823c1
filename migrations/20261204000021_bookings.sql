-- Bookings of meeting rooms, pool cars and shared equipment. The database
-- itself refuses a double booking (of a resource, or of a driver).

create extension if not exists btree_gist;

create table resources (
    id uuid primary key,
    site_id uuid not null references sites (id),
    kind text not null check (kind in ('room', 'car', 'equipment')),
    name text not null check (length(name) between 1 and 120),
    floor text not null default '' check (length(floor) <= 40),
    -- people in a room, seats in a car, 1 for equipment
    capacity integer not null check (capacity between 1 and 1000),
    features text[] not null default '{}',
    plate text unique check (plate is null or length(plate) between 3 and 16),
    asset_id uuid unique references assets (id),
    -- the booking policy
    who_books text not null default 'everyone' check (who_books in ('everyone', 'staff')),
    max_minutes integer not null default 480 check (max_minutes between 15 and 20160),
    ahead_days integer not null default 60 check (ahead_days between 0 and 366),
    working_hours_only boolean not null default true,
    approval text not null default 'never' check (approval in ('never', 'always', 'out_of_town', 'above_attendees')),
    approval_above integer check (approval_above is null or approval_above >= 1),
    show_booker boolean not null default true,
    -- minutes after the start a booking not checked in is released; null: no check-in
    release_after integer check (release_after is null or release_after between 5 and 240),
    active boolean not null default true,
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (kind = 'car' or plate is null),
    check (approval <> 'above_attendees' or approval_above is not null),
    unique (site_id, kind, name)
);
create index resources_site_idx on resources (site_id, kind, floor, name) where active;

-- drivers of the pool cars: not users of GA Desk, assigned by GA staff
create table drivers (
    id uuid primary key,
    site_id uuid not null references sites (id),
    name text not null check (length(name) between 1 and 120),
    phone text not null default '' check (length(phone) <= 40),
    active boolean not null default true,
    created_at timestamptz not null default now()
);

-- a recurring booking: its rule and the occurrences it made
create table booking_series (
    id uuid primary key,
    resource_id uuid not null references resources (id),
    booked_by uuid not null references users (id),
    rule text not null check (length(rule) between 1 and 500),
    created_at timestamptz not null default now()
);

create table bookings (
    id uuid primary key,
    resource_id uuid not null references resources (id),
    series_id uuid references booking_series (id),
    booked_by uuid not null references users (id),
    title text not null check (length(title) between 1 and 200),
    attendees integer not null default 1 check (attendees between 1 and 1000),
    during tstzrange not null check (not isempty(during) and lower_inc(during) and not upper_inc(during)
        and not lower_inf(during) and not upper_inf(during)),
    status text not null check (status in ('pending', 'confirmed', 'checked_in', 'cancelled', 'released', 'rejected', 'returned')),
    -- the approver a pending booking waits for (the booker's manager)
    approver_id uuid references users (id),
    decided_by uuid references users (id),
    on_behalf_of uuid references users (id),
    decision_note text not null default '' check (length(decision_note) <= 500),
    -- cars
    destination text not null default '' check (length(destination) <= 200),
    out_of_town boolean not null default false,
    driver_id uuid references drivers (id),
    odometer_out integer check (odometer_out is null or odometer_out >= 0),
    odometer_in integer check (odometer_in is null or odometer_in >= 0),
    fuel_eighths smallint check (fuel_eighths is null or fuel_eighths between 0 and 8),
    checked_in_at timestamptz,
    ended_at timestamptz,
    end_reason text not null default '' check (length(end_reason) <= 500),
    version integer not null default 1 check (version > 0),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (odometer_in is null or odometer_out is null or odometer_in >= odometer_out),
    -- held (pending) and confirmed bookings of one resource never overlap
    constraint bookings_no_overlap exclude using gist (resource_id with =, during with &&)
        where (status in ('pending', 'confirmed', 'checked_in')),
    -- nor does one driver drive two cars at once
    constraint bookings_driver_no_overlap exclude using gist (driver_id with =, during with &&)
        where (driver_id is not null and status in ('pending', 'confirmed', 'checked_in'))
);
-- "what is free then" probes every room of a site for one stretch of time:
-- a range index on time alone answers it in about a millisecond at a
-- million bookings (the constraint's (resource, time) index takes ~20 ms)
create index bookings_during_idx on bookings using gist (during)
    where status in ('pending', 'confirmed', 'checked_in');
create index bookings_person_idx on bookings (booked_by, lower(during) desc);
create index bookings_series_idx on bookings (series_id) where series_id is not null;
create index bookings_approver_idx on bookings (approver_id) where status = 'pending';
-- the no-show job looks only at confirmed bookings waiting for check-in
create index bookings_checkin_idx on bookings (lower(during)) where status = 'confirmed' and checked_in_at is null;

-- what happened to a booking, as typed values (domain::booking::BookingEvent)
create table booking_history (
    id bigserial primary key,
    booking_id uuid not null references bookings (id) on delete cascade,
    actor_id uuid references users (id),
    event jsonb not null,
    created_at timestamptz not null default now()
);
create index booking_history_booking_idx on booking_history (booking_id, id);

alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (kind in (
    'status_changed', 'awaiting_approval', 'assigned', 'commented', 'rejected',
    'please_confirm', 'approval_reminder', 'confirm_reminder', 'stock_low',
    'warranty_ending', 'sla_reminder', 'sla_breached', 'booking_decision_needed',
    'booking_decided', 'booking_released'));

-- a pool car's trips go into its asset history with the odometer reading
alter table assets add column odometer_km integer check (odometer_km is null or odometer_km >= 0);
alter table asset_history drop constraint asset_history_action_check;
alter table asset_history add constraint asset_history_action_check check (action in (
    'register', 'edit', 'check_out', 'check_in', 'move', 'send_to_maintenance',
    'return_from_maintenance', 'retire', 'attach', 'remove_attachment', 'trip'));
