//! Bookings of rooms, pool cars and equipment. PostgreSQL refuses a double
//! booking itself (`bookings_no_overlap`, `bookings_driver_no_overlap`):
//! the checks here only explain, suggest and keep the policy.

use super::explain::{Plans, Statement};
use super::{notifications, sites, Db, ServiceError};
use crate::domain::booking::{
    check_policy, nearby_free, occurrences, Booked, Booking, BookingEvent, BookingInput,
    BookingStatus, Driver, FindQuery, FreeResource, Grid, Names, Resource, ResourceInput,
    ResourceKind, SeriesMode, SkipReason, Skipped, Slots, Window,
};
use crate::domain::errors::Entity;
use crate::domain::events::Notice;
use crate::domain::lang::Moment;
use crate::domain::outgoing::Outgoing;
use crate::domain::working_time::Calendar;
use crate::domain::{Actor, FieldError, FieldErrors, Permission, Refusal, UserRef, Zone};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

/// Check-in opens this long before the start.
pub const CHECK_IN_EARLY_MINUTES: i64 = 15;

fn is_staff(actor: &Actor) -> bool {
    actor.can(Permission::AssetsManage)
}

const RESOURCE: &str = "select r.id, r.site_id, s.code as site_code, s.time_zone, r.kind, r.name,
        r.floor, r.capacity, r.features, r.plate, r.asset_id, r.who_books, r.max_minutes,
        r.ahead_days, r.working_hours_only, r.approval, r.approval_above, r.show_booker,
        r.release_after, r.active, r.version
   from resources r join sites s on s.id = r.site_id";

/// Bookings as `$1` (the reader) may see them: who booked, the title and
/// the destination only when the resource shows them, or to the booker
/// and GA staff (`$2`).
const BOOKING: &str = "select b.id, b.resource_id, r.name as resource_name,
        r.kind as resource_kind, r.floor, s.time_zone as zone, b.series_id,
        case when r.show_booker or b.booked_by = $1 or $2
             then json_build_object('id', u.id, 'name', u.name, 'email', u.email) end as booked_by,
        case when r.show_booker or b.booked_by = $1 or $2 then b.title else '' end as title,
        b.attendees, lower(b.during) as starts_at, upper(b.during) as ends_at, b.status,
        case when a.id is not null
             then json_build_object('id', a.id, 'name', a.name, 'email', a.email) end as approver,
        b.decision_note,
        case when r.show_booker or b.booked_by = $1 or $2 then b.destination else '' end as destination,
        b.out_of_town,
        case when d.id is not null
             then json_build_object('id', d.id, 'name', d.name, 'phone', d.phone) end as driver,
        b.odometer_out, b.odometer_in, b.fuel_eighths, b.checked_in_at,
        case when b.status = 'confirmed' and r.release_after is not null
             then lower(b.during) + make_interval(mins => r.release_after) end as check_in_by,
        b.version
   from bookings b join resources r on r.id = b.resource_id join sites s on s.id = r.site_id
   join users u on u.id = b.booked_by left join users a on a.id = b.approver_id
   left join drivers d on d.id = b.driver_id";

const HOLDING: &str = "('pending', 'confirmed', 'checked_in')";

// ---------------------------------------------------------------- resources

/// Which resources to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceFilter {
    pub site: Option<Uuid>,
    pub kind: Option<ResourceKind>,
    pub floor: Option<String>,
    /// Also the inactive ones (GA staff).
    pub all: bool,
}

pub async fn resources(
    db: &Db,
    actor: &Actor,
    f: &ResourceFilter,
) -> Result<Vec<Resource>, ServiceError> {
    let all = f.all && is_staff(actor);
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{RESOURCE} where ($1::uuid is null or r.site_id = $1) and ($2::text is null or r.kind = $2)
            and ($3::text is null or r.floor = $3) and (r.active or $4)
          order by s.code, r.kind, r.floor, r.name limit 2000"
    )))
    .bind(f.site)
    .bind(f.kind)
    .bind(&f.floor)
    .bind(all)
    .fetch_all(db)
    .await?)
}

pub async fn resource(db: &Db, id: Uuid) -> Result<Resource, ServiceError> {
    resource_in(&mut *db.acquire().await?, id).await
}

async fn resource_in(conn: &mut PgConnection, id: Uuid) -> Result<Resource, ServiceError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{RESOURCE} where r.id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(ServiceError::Refused(Refusal::NotFound))
}

fn resource_conflict(e: sqlx::Error) -> ServiceError {
    if let sqlx::Error::Database(d) = &e {
        match d.constraint() {
            Some("resources_plate_key") => {
                return FieldErrors::single("plate", FieldError::PlateTaken).into()
            }
            Some("resources_site_id_kind_name_key") => {
                return FieldErrors::single("name", FieldError::ResourceTaken).into()
            }
            Some("resources_asset_id_key") | Some("resources_asset_id_fkey") => {
                return FieldErrors::single("asset_id", FieldError::NoSuchAsset).into()
            }
            Some("resources_site_id_fkey") | Some("drivers_site_id_fkey") => {
                return FieldErrors::single("site_id", FieldError::NoSuchSite).into()
            }
            _ => {}
        }
    }
    ServiceError::from(e)
}

/// Adds a room, car or piece of equipment (GA staff and administrators).
pub async fn create_resource(
    db: &Db,
    actor: &Actor,
    input: ResourceInput,
) -> Result<Resource, ServiceError> {
    if !is_staff(actor) {
        return Err(Refusal::ResourcesStaffOnly.into());
    }
    let i = input.validate()?;
    let id = Uuid::now_v7();
    let mut tx = db.begin().await?;
    sqlx::query(
        "insert into resources (id, site_id, kind, name, floor, capacity, features, plate, asset_id,
            who_books, max_minutes, ahead_days, working_hours_only, approval, approval_above,
            show_booker, release_after, active)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(id)
    .bind(i.site_id)
    .bind(i.kind)
    .bind(&i.name)
    .bind(&i.floor)
    .bind(i.capacity)
    .bind(&i.features)
    .bind(&i.plate)
    .bind(i.asset_id)
    .bind(i.policy.who_books)
    .bind(i.policy.max_minutes)
    .bind(i.policy.ahead_days)
    .bind(i.policy.working_hours_only)
    .bind(i.policy.approval)
    .bind(i.policy.approval_above)
    .bind(i.policy.show_booker)
    .bind(i.policy.release_after)
    .bind(i.active)
    .execute(&mut *tx)
    .await
    .map_err(resource_conflict)?;
    let r = resource_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(r)
}

/// Changes a resource from the version the person saw.
pub async fn update_resource(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
    input: ResourceInput,
) -> Result<Resource, ServiceError> {
    if !is_staff(actor) {
        return Err(Refusal::ResourcesStaffOnly.into());
    }
    let i = input.validate()?;
    let mut tx = db.begin().await?;
    let current: Option<i32> =
        sqlx::query_scalar("select version from resources where id = $1 for update")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    match current {
        None => return Err(Refusal::NotFound.into()),
        Some(v) if v != version => {
            return Err(ServiceError::conflict(Refusal::Changed {
                of: Entity::Resource,
                version: v,
            }))
        }
        _ => {}
    }
    sqlx::query(
        "update resources set site_id = $2, kind = $3, name = $4, floor = $5, capacity = $6,
            features = $7, plate = $8, asset_id = $9, who_books = $10, max_minutes = $11,
            ahead_days = $12, working_hours_only = $13, approval = $14, approval_above = $15,
            show_booker = $16, release_after = $17, active = $18, version = version + 1,
            updated_at = now()
          where id = $1",
    )
    .bind(id)
    .bind(i.site_id)
    .bind(i.kind)
    .bind(&i.name)
    .bind(&i.floor)
    .bind(i.capacity)
    .bind(&i.features)
    .bind(&i.plate)
    .bind(i.asset_id)
    .bind(i.policy.who_books)
    .bind(i.policy.max_minutes)
    .bind(i.policy.ahead_days)
    .bind(i.policy.working_hours_only)
    .bind(i.policy.approval)
    .bind(i.policy.approval_above)
    .bind(i.policy.show_booker)
    .bind(i.policy.release_after)
    .bind(i.active)
    .execute(&mut *tx)
    .await
    .map_err(resource_conflict)?;
    let r = resource_in(&mut tx, id).await?;
    tx.commit().await?;
    Ok(r)
}

/// A new driver of the pool cars.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DriverInput {
    pub site_id: Uuid,
    pub name: String,
    #[serde(default)]
    pub phone: String,
}

pub async fn drivers(db: &Db, site: Option<Uuid>) -> Result<Vec<Driver>, ServiceError> {
    Ok(sqlx::query_as(
        "select id, site_id, name, phone, active from drivers
          where active and ($1::uuid is null or site_id = $1) order by name limit 500",
    )
    .bind(site)
    .fetch_all(db)
    .await?)
}

pub async fn add_driver(
    db: &Db,
    actor: &Actor,
    input: DriverInput,
) -> Result<Driver, ServiceError> {
    if !is_staff(actor) {
        return Err(Refusal::DriversStaffOnly.into());
    }
    let mut errors = FieldErrors::new();
    let name = input.name.trim().to_string();
    let phone = input.phone.trim().to_string();
    crate::domain::errors::check_text(&mut errors, "name", &name, true, 120);
    crate::domain::errors::check_text(&mut errors, "phone", &phone, false, 40);
    errors.into_result(())?;
    sqlx::query_as(
        "insert into drivers (id, site_id, name, phone) values ($1, $2, $3, $4)
         returning id, site_id, name, phone, active",
    )
    .bind(Uuid::now_v7())
    .bind(input.site_id)
    .bind(name)
    .bind(phone)
    .fetch_one(db)
    .await
    .map_err(resource_conflict)
}

// ---------------------------------------------------------------- reading bookings

async fn read(conn: &mut PgConnection, actor: &Actor, id: Uuid) -> Result<Booking, ServiceError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{BOOKING} where b.id = $3")))
        .bind(actor.id)
        .bind(is_staff(actor))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or(ServiceError::Refused(Refusal::NotFound))
}

/// One booking. Anyone may see that a resource is taken; the details
/// follow the resource's privacy setting.
pub async fn get(db: &Db, actor: &Actor, id: Uuid) -> Result<Booking, ServiceError> {
    read(&mut *db.acquire().await?, actor, id).await
}

/// A person's bookings: coming ones soonest first, or past ones latest
/// first.
pub async fn mine(db: &Db, actor: &Actor, past: bool) -> Result<Vec<Booking>, ServiceError> {
    let sql = if past {
        format!(
            "{BOOKING} where b.booked_by = $1 and upper(b.during) <= now()
              order by lower(b.during) desc limit 200"
        )
    } else {
        format!(
            "{BOOKING} where b.booked_by = $1 and upper(b.during) > now()
              order by lower(b.during) limit 500"
        )
    };
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(actor.id)
        .bind(is_staff(actor))
        .fetch_all(db)
        .await?)
}

/// Bookings waiting for the actor's decision: those of the people they
/// manage, of the people they stand in for, or (administrators) those with
/// nobody to decide.
pub async fn awaiting(db: &Db, actor: &Actor) -> Result<Vec<Booking>, ServiceError> {
    if !actor.can(Permission::TicketsApprove) {
        return Ok(Vec::new());
    }
    let admin = actor.can(Permission::UsersManage);
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BOOKING} where b.status = 'pending'
            and (b.approver_id = $1 or current_delegate(b.approver_id) = $1
                 or (b.approver_id is null and $3))
          order by lower(b.during) limit 200"
    )))
    .bind(actor.id)
    .bind(true)
    .bind(admin)
    .fetch_all(db)
    .await?)
}

pub async fn grid(
    db: &Db,
    actor: &Actor,
    site: Uuid,
    kind: ResourceKind,
    floor: Option<String>,
    from: NaiveDate,
    days: u32,
) -> Result<Grid, ServiceError> {
    let days = days.clamp(1, 14);
    let mut conn = db.acquire().await?;
    let calendar = sites::calendar_of(&mut conn, site).await?;
    let zone = calendar.zone;
    let start = local_midnight(from, zone);
    let end = start + Duration::days(i64::from(days));
    let filter = ResourceFilter {
        site: Some(site),
        kind: Some(kind),
        floor: floor.filter(|f| !f.is_empty()),
        all: false,
    };
    let resources = resources(db, actor, &filter).await?;
    let ids: Vec<Uuid> = resources.iter().map(|r| r.id).collect();
    let bookings = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BOOKING} where b.resource_id = any($3) and b.during && tstzrange($4, $5)
            and b.status in {HOLDING}
          order by lower(b.during) limit 5000"
    )))
    .bind(actor.id)
    .bind(is_staff(actor))
    .bind(&ids)
    .bind(start)
    .bind(end)
    .fetch_all(&mut *conn)
    .await?;
    let floors = sqlx::query_scalar(
        "select distinct floor from resources where site_id = $1 and kind = $2 and active
          order by floor",
    )
    .bind(site)
    .bind(kind)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Grid {
        zone,
        from,
        days,
        resources,
        bookings,
        floors,
    })
}

pub fn local_midnight(day: NaiveDate, zone: Zone) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
        - Duration::hours(i64::from(zone.offset_hours()))
}

// ---------------------------------------------------------------- finding

/// What is free: resources of a site and kind, big enough, with the
/// features, that no holding booking overlaps (read through the exclusion
/// constraint's index).
static AVAILABILITY: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{RESOURCE} where r.active and r.site_id = $1 and r.kind = $2 and r.capacity >= $3
            and r.features @> $4
            and not exists (select 1 from bookings b where b.resource_id = r.id
                              and b.during && tstzrange($5, $6) and b.status in {HOLDING})
          order by r.capacity, r.floor, r.name limit 100"
    )
});

fn availability(q: &FindQuery) -> Result<Statement, ServiceError> {
    Statement::fixed(AVAILABILITY.as_str())
        .bind(q.site)?
        .bind(q.kind)?
        .bind(q.attendees)?
        .bind(q.features.clone())?
        .bind(q.from)?
        .bind(q.to)
}

/// How PostgreSQL runs the availability query (for the plan test).
#[doc(hidden)]
pub async fn explain_availability(db: &Db, q: &FindQuery) -> Result<Plans, ServiceError> {
    super::explain::plans(db, availability(q)?).await
}

/// The free resources, smallest that fits first, each with whether it
/// would need approval. Those the person may not book at that time (policy)
/// are left out.
pub async fn find(
    db: &Db,
    actor: &Actor,
    q: &FindQuery,
) -> Result<Vec<FreeResource>, ServiceError> {
    let mut errors = FieldErrors::new();
    if q.to <= q.from {
        errors.add("to", FieldError::EndsBeforeStart);
    }
    if !(1..=1000).contains(&q.attendees) {
        errors.add("attendees", FieldError::WholeNumber { min: 1, max: 1000 });
    }
    if q.to - q.from > Duration::days(14) {
        errors.add("to", FieldError::BookingTooLong { minutes: 20160 });
    }
    errors.into_result(())?;
    let mut conn = db.acquire().await?;
    let calendar = sites::calendar_of(&mut conn, q.site).await?;
    let free: Vec<Resource> = availability(q)?.query_as().fetch_all(&mut *conn).await?;
    let window = Window {
        from: q.from,
        to: q.to,
        zone: calendar.zone,
    };
    let staff = is_staff(actor);
    let now = Utc::now();
    Ok(free
        .into_iter()
        .filter_map(|r| {
            check_policy(&r, &window, q.attendees, false, staff, now, Some(&calendar))
                .ok()
                .map(|needs_approval| FreeResource {
                    resource: r,
                    needs_approval,
                })
        })
        .collect())
}

// ---------------------------------------------------------------- booking

fn clash(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some("bookings_no_overlap"))
}

fn driver_clash(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some("bookings_driver_no_overlap"))
}

async fn history(
    conn: &mut PgConnection,
    booking: Uuid,
    actor: Option<Uuid>,
    event: &BookingEvent,
) -> Result<(), ServiceError> {
    sqlx::query("insert into booking_history (booking_id, actor_id, event) values ($1, $2, $3)")
        .bind(booking)
        .bind(actor)
        .bind(Json(event))
        .execute(conn)
        .await?;
    Ok(())
}

/// Books a resource, or a series of it. A clash answers 409 with the busy
/// window, the nearest free slots and other free resources; a series
/// either books everything or nothing, or (mode `free_ones`) books the free
/// occurrences and lists the others.
pub async fn book(db: &Db, actor: &Actor, input: BookingInput) -> Result<Booked, ServiceError> {
    if !actor.can(Permission::TicketsCreate) {
        return Err(Refusal::CannotCreateTickets.into());
    }
    let input = input.validate()?;
    let mut tx = db.begin().await?;
    let resource = match resource_in(&mut tx, input.resource_id).await {
        Ok(r) => r,
        Err(ServiceError::Refused(Refusal::NotFound)) => {
            return Err(FieldErrors::single("resource_id", FieldError::NoSuchResource).into())
        }
        Err(e) => return Err(e),
    };
    let calendar = sites::calendar_of(&mut tx, resource.site_id).await?;
    let zone = calendar.zone;
    let length = input.ends_at - input.starts_at;
    let starts = match &input.repeat {
        None => vec![input.starts_at],
        Some(rule) => occurrences(rule, input.starts_at, zone)
            .map_err(|e| FieldErrors::single("repeat", e))?,
    };
    let mut skipped = Vec::new();
    let mut windows = Vec::new();
    for s in starts {
        let w = Window {
            from: s,
            to: s + length,
            zone,
        };
        // A series skips the days the office is closed.
        if input.repeat.is_some() && calendar.closed.contains(&calendar.local_date(s)) {
            skipped.push(Skipped {
                window: w,
                reason: SkipReason::Closed,
            });
        } else {
            windows.push(w);
        }
    }
    let staff = is_staff(actor);
    let now = Utc::now();
    let mut needs_approval = false;
    for w in &windows {
        needs_approval |= check_policy(
            &resource,
            w,
            input.attendees,
            input.out_of_town,
            staff,
            now,
            Some(&calendar),
        )?;
    }
    if windows.is_empty() {
        return Err(ServiceError::conflict(Refusal::NothingFree));
    }
    let status = if needs_approval {
        BookingStatus::Pending
    } else {
        BookingStatus::Confirmed
    };
    let approver: Option<Uuid> = if needs_approval {
        sqlx::query_scalar(
            "select m.id from users u join users m on m.id = u.manager_id
              where u.id = $1 and m.active",
        )
        .bind(actor.id)
        .fetch_optional(&mut *tx)
        .await?
    } else {
        None
    };
    let series = match &input.repeat {
        Some(rule) => {
            let id = Uuid::now_v7();
            sqlx::query(
                "insert into booking_series (id, resource_id, booked_by, rule) values ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(resource.id)
            .bind(actor.id)
            .bind(rule)
            .execute(&mut *tx)
            .await?;
            Some(id)
        }
        None => None,
    };
    let mut made = Vec::new();
    let mut taken = Vec::new();
    for w in &windows {
        let id = Uuid::now_v7();
        // A savepoint per occurrence of a series, so one clash does not
        // spoil the transaction for the others.
        let mut sp = sqlx::Connection::begin(&mut *tx).await?;
        let inserted = sqlx::query(
            "insert into bookings (id, resource_id, series_id, booked_by, title, attendees, during,
                status, approver_id, destination, out_of_town)
             values ($1, $2, $3, $4, $5, $6, tstzrange($7, $8), $9, $10, $11, $12)",
        )
        .bind(id)
        .bind(resource.id)
        .bind(series)
        .bind(actor.id)
        .bind(&input.title)
        .bind(input.attendees)
        .bind(w.from)
        .bind(w.to)
        .bind(status)
        .bind(approver)
        .bind(&input.destination)
        .bind(input.out_of_town)
        .execute(&mut *sp)
        .await;
        match inserted {
            Ok(_) => {
                history(
                    &mut sp,
                    id,
                    Some(actor.id),
                    &BookingEvent::Booked { status },
                )
                .await?;
                sp.commit().await?;
                made.push(id);
            }
            Err(e) if clash(&e) => {
                sp.rollback().await?;
                taken.push(*w);
            }
            Err(e) => return Err(e.into()),
        }
    }
    if !taken.is_empty() {
        if input.repeat.is_none() {
            drop(tx);
            return Err(clash_refusal(db, &resource, &calendar, &taken[0], input.attendees).await);
        }
        if input.mode == SeriesMode::AllOrNothing {
            return Err(ServiceError::conflict(Refusal::SeriesClash {
                taken: Slots(taken),
            }));
        }
        if made.is_empty() {
            return Err(ServiceError::conflict(Refusal::NothingFree));
        }
        skipped.extend(taken.into_iter().map(|w| Skipped {
            window: w,
            reason: SkipReason::Taken,
        }));
    }
    if needs_approval {
        let first = windows[0];
        let notice = Notice::BookingDecisionNeeded {
            resource: resource.name.clone(),
            when: first,
            by: actor.name.clone(),
        };
        let to: Vec<Uuid> = match approver {
            Some(a) => {
                let delegate: Option<Uuid> = sqlx::query_scalar("select current_delegate($1)")
                    .bind(a)
                    .fetch_one(&mut *tx)
                    .await?;
                std::iter::once(a).chain(delegate).collect()
            }
            None => {
                sqlx::query_scalar("select id from users where active and role = 'admin'")
                    .fetch_all(&mut *tx)
                    .await?
            }
        };
        for user in to {
            notifications::tell_person(
                &mut tx,
                user,
                None,
                Outgoing::new(notice.clone(), now),
                &format!("booking:{}:ask", made[0]),
            )
            .await?;
        }
    }
    let bookings = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BOOKING} where b.id = any($3) order by lower(b.during)"
    )))
    .bind(actor.id)
    .bind(staff)
    .bind(&made)
    .fetch_all(&mut *tx)
    .await?;
    skipped.sort_by_key(|s| s.window.from);
    tx.commit().await?;
    metrics::counter!("bookings_created_total").increment(made.len() as u64);
    Ok(Booked { bookings, skipped })
}

/// The 409 of a taken slot: what holds it, free times nearby on that day,
/// and other resources of the kind free at that time.
async fn clash_refusal(
    db: &Db,
    resource: &Resource,
    calendar: &Calendar,
    want: &Window,
    attendees: i32,
) -> ServiceError {
    let explain = async {
        let day = calendar.local_date(want.from);
        let open = match (resource.policy.working_hours_only, calendar.opening_on(day)) {
            (true, Some((a, b))) => Window {
                from: a,
                to: b,
                zone: want.zone,
            },
            _ => Window {
                from: local_midnight(day, want.zone),
                to: local_midnight(day, want.zone) + Duration::days(1),
                zone: want.zone,
            },
        };
        let busy: Vec<(DateTime<Utc>, DateTime<Utc>)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "select lower(during), upper(during) from bookings
              where resource_id = $1 and during && tstzrange($2, $3) and status in {HOLDING}
              order by lower(during)"
            )))
            .bind(resource.id)
            .bind(open.from.min(want.from))
            .bind(open.to.max(want.to))
            .fetch_all(db)
            .await?;
        let busy: Vec<Window> = busy
            .into_iter()
            .map(|(from, to)| Window {
                from,
                to,
                zone: want.zone,
            })
            .collect();
        let holder = busy
            .iter()
            .find(|b| b.overlaps(want))
            .copied()
            .unwrap_or(*want);
        let others: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select r.name from resources r
              where r.active and r.site_id = $1 and r.kind = $2 and r.id <> $3 and r.capacity >= $4
                and not exists (select 1 from bookings b where b.resource_id = r.id
                                  and b.during && tstzrange($5, $6) and b.status in {HOLDING})
              order by r.capacity, r.name limit 3"
        )))
        .bind(resource.site_id)
        .bind(resource.kind)
        .bind(resource.id)
        .bind(attendees)
        .bind(want.from)
        .bind(want.to)
        .fetch_all(db)
        .await?;
        Ok::<_, sqlx::Error>(Refusal::BookingClash {
            resource: resource.name.clone(),
            busy: holder,
            free: Slots(nearby_free(&busy, want, &open, 3)),
            others: Names(others),
        })
    };
    match explain.await {
        Ok(r) => ServiceError::conflict(r),
        Err(e) => e.into(),
    }
}

/// Locks a booking for a change from `version`; refuses when someone else
/// changed it first.
async fn lock(
    conn: &mut PgConnection,
    id: Uuid,
    version: i32,
) -> Result<(Uuid, BookingStatus, Option<Uuid>, Uuid), ServiceError> {
    let row: Option<(Uuid, BookingStatus, Option<Uuid>, Uuid, i32)> = sqlx::query_as(
        "select booked_by, status, approver_id, resource_id, version from bookings
          where id = $1 for update",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((by, status, approver, resource, current)) = row else {
        return Err(Refusal::NotFound.into());
    };
    if current != version {
        return Err(ServiceError::conflict(Refusal::Changed {
            of: Entity::Booking,
            version: current,
        }));
    }
    Ok((by, status, approver, resource))
}

async fn set_status(
    conn: &mut PgConnection,
    id: Uuid,
    status: BookingStatus,
    reason: &str,
) -> Result<(), ServiceError> {
    sqlx::query(
        "update bookings set status = $2, end_reason = $3, version = version + 1, updated_at = now(),
            ended_at = case when $2 in ('cancelled', 'released', 'rejected', 'returned') then now() end
          where id = $1",
    )
    .bind(id)
    .bind(status)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// Cancels a booking (its booker or GA staff): the slot is free at once.
pub async fn cancel(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
    reason: &str,
) -> Result<Booking, ServiceError> {
    let reason = reason.trim();
    let mut errors = FieldErrors::new();
    crate::domain::errors::check_text(&mut errors, "reason", reason, false, 500);
    errors.into_result(())?;
    let mut tx = db.begin().await?;
    let (by, status, _, _) = lock(&mut tx, id, version).await?;
    if by != actor.id && !is_staff(actor) {
        return Err(Refusal::CancelBookingNotAllowed.into());
    }
    if !status.holds() {
        return Err(Refusal::BookingNotChangeable { status }.into());
    }
    set_status(&mut tx, id, BookingStatus::Cancelled, reason).await?;
    history(
        &mut tx,
        id,
        Some(actor.id),
        &BookingEvent::Cancelled {
            reason: reason.to_string(),
        },
    )
    .await?;
    let b = read(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(b)
}

/// Checks in to a booking, from 15 minutes before its start until its end.
pub async fn check_in(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
) -> Result<Booking, ServiceError> {
    let mut tx = db.begin().await?;
    let (by, status, _, _) = lock(&mut tx, id, version).await?;
    if by != actor.id && !is_staff(actor) {
        return Err(Refusal::CheckInNotAllowed.into());
    }
    if status != BookingStatus::Confirmed {
        return Err(match status {
            BookingStatus::Pending => Refusal::CheckInOnlyConfirmed,
            s => Refusal::BookingNotChangeable { status: s },
        }
        .into());
    }
    let (starts, ends, zone): (DateTime<Utc>, DateTime<Utc>, String) = sqlx::query_as(
        "select lower(b.during), upper(b.during), s.time_zone from bookings b
           join resources r on r.id = b.resource_id join sites s on s.id = r.site_id
          where b.id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    let now = Utc::now();
    let opens = starts - Duration::minutes(CHECK_IN_EARLY_MINUTES);
    if now < opens {
        return Err(Refusal::CheckInNotOpen {
            opens: Moment {
                at: opens,
                zone: Zone::from_code(&zone).unwrap_or_default(),
            },
        }
        .into());
    }
    if now >= ends {
        return Err(Refusal::BookingNotChangeable { status }.into());
    }
    sqlx::query(
        "update bookings set status = 'checked_in', checked_in_at = now(), version = version + 1,
            updated_at = now() where id = $1",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    history(&mut tx, id, Some(actor.id), &BookingEvent::CheckedIn).await?;
    let b = read(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(b)
}

/// The booking at a resource that a person could check in to now: their
/// own confirmed one whose check-in is open, else their next one today.
pub async fn at_door(
    db: &Db,
    actor: &Actor,
    resource_id: Uuid,
) -> Result<(Resource, Vec<Booking>), ServiceError> {
    let resource = resource(db, resource_id).await?;
    let bookings = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{BOOKING} where b.resource_id = $3
            and b.during && tstzrange(now() - interval '1 hour', now() + interval '12 hours')
            and b.status in {HOLDING}
          order by lower(b.during) limit 20"
    )))
    .bind(actor.id)
    .bind(is_staff(actor))
    .bind(resource_id)
    .fetch_all(db)
    .await?;
    Ok((resource, bookings))
}

/// Approves or rejects a pending booking: the booker's manager, their
/// delegate while they are away, or an administrator when there is no
/// manager.
pub async fn decide(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
    approve: bool,
    note: &str,
) -> Result<Booking, ServiceError> {
    if !actor.can(Permission::TicketsApprove) {
        return Err(Refusal::NotAnApprover.into());
    }
    let note = note.trim();
    let mut errors = FieldErrors::new();
    crate::domain::errors::check_text(&mut errors, "note", note, !approve, 500);
    if !approve && note.is_empty() {
        errors = FieldErrors::single("note", FieldError::ReasonRequired);
    }
    errors.into_result(())?;
    let mut tx = db.begin().await?;
    let (by, status, approver, _) = lock(&mut tx, id, version).await?;
    if status != BookingStatus::Pending {
        return Err(Refusal::NotAwaitingBookingApproval.into());
    }
    if by == actor.id {
        return Err(Refusal::OwnRequest.into());
    }
    let on_behalf_of = match approver {
        Some(a) if a == actor.id => None,
        Some(a) => {
            let delegate: Option<Uuid> = sqlx::query_scalar("select current_delegate($1)")
                .bind(a)
                .fetch_one(&mut *tx)
                .await?;
            if delegate != Some(actor.id) {
                return Err(Refusal::NotTheBookingApprover.into());
            }
            Some(a)
        }
        None if actor.can(Permission::UsersManage) => None,
        None => return Err(Refusal::NotTheBookingApprover.into()),
    };
    let to = if approve {
        BookingStatus::Confirmed
    } else {
        BookingStatus::Rejected
    };
    sqlx::query(
        "update bookings set status = $2, decided_by = $3, on_behalf_of = $4, decision_note = $5,
            version = version + 1, updated_at = now(),
            ended_at = case when $2 = 'rejected' then now() end
          where id = $1",
    )
    .bind(id)
    .bind(to)
    .bind(actor.id)
    .bind(on_behalf_of)
    .bind(note)
    .execute(&mut *tx)
    .await?;
    let event = if approve {
        BookingEvent::Approved
    } else {
        BookingEvent::Rejected {
            reason: note.to_string(),
        }
    };
    history(&mut tx, id, Some(actor.id), &event).await?;
    let b = read(&mut tx, actor, id).await?;
    notifications::tell_person(
        &mut tx,
        by,
        None,
        Outgoing::new(
            Notice::BookingDecided {
                resource: b.resource_name.clone(),
                when: b.window(),
                status: to,
            },
            Utc::now(),
        ),
        &format!("booking:{id}:v{}", b.version),
    )
    .await?;
    tx.commit().await?;
    Ok(b)
}

/// Assigns a driver to a car booking (GA staff). The database refuses a
/// driver in two cars at once.
pub async fn assign_driver(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
    driver: Uuid,
) -> Result<Booking, ServiceError> {
    if !is_staff(actor) {
        return Err(Refusal::DriversStaffOnly.into());
    }
    let mut tx = db.begin().await?;
    let (_, status, _, resource) = lock(&mut tx, id, version).await?;
    let r = resource_in(&mut tx, resource).await?;
    if r.kind != ResourceKind::Car {
        return Err(Refusal::OnlyCars.into());
    }
    if !status.holds() {
        return Err(Refusal::BookingNotChangeable { status }.into());
    }
    let name: Option<String> =
        sqlx::query_scalar("select name from drivers where id = $1 and active and site_id = $2")
            .bind(driver)
            .bind(r.site_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some(name) = name else {
        return Err(FieldErrors::single("driver_id", FieldError::ChooseDriver).into());
    };
    sqlx::query(
        "update bookings set driver_id = $2, version = version + 1, updated_at = now() where id = $1",
    )
    .bind(id)
    .bind(driver)
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        if driver_clash(&e) {
            FieldErrors::single("driver_id", FieldError::DriverBusy).into()
        } else {
            ServiceError::from(e)
        }
    })?;
    history(
        &mut tx,
        id,
        Some(actor.id),
        &BookingEvent::DriverAssigned { driver: name },
    )
    .await?;
    let b = read(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(b)
}

/// A car back at the pool: the odometer and the fuel. The reading goes to
/// the car's asset history when the car is in the asset register.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CarReturn {
    pub version: i32,
    /// The odometer when the car left, if it was not noted then.
    #[serde(default)]
    pub odometer_out: Option<i32>,
    pub odometer_in: i32,
    /// Fuel left, in eighths of a tank (0–8).
    pub fuel_eighths: i16,
}

pub async fn return_car(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    input: CarReturn,
) -> Result<Booking, ServiceError> {
    if !is_staff(actor) {
        return Err(Refusal::DriversStaffOnly.into());
    }
    let mut errors = FieldErrors::new();
    if !(0..=9_999_999).contains(&input.odometer_in) {
        errors.add(
            "odometer_in",
            FieldError::WholeNumber {
                min: 0,
                max: 9_999_999,
            },
        );
    }
    if let Some(o) = input.odometer_out {
        if !(0..=9_999_999).contains(&o) {
            errors.add(
                "odometer_out",
                FieldError::WholeNumber {
                    min: 0,
                    max: 9_999_999,
                },
            );
        } else if input.odometer_in < o {
            errors.add("odometer_in", FieldError::OdometerBelowStart { start: o });
        }
    }
    if !(0..=8).contains(&input.fuel_eighths) {
        errors.add("fuel_eighths", FieldError::WholeNumber { min: 0, max: 8 });
    }
    errors.into_result(())?;
    let mut tx = db.begin().await?;
    let (_, status, _, resource) = lock(&mut tx, id, input.version).await?;
    let r = resource_in(&mut tx, resource).await?;
    if r.kind != ResourceKind::Car {
        return Err(Refusal::OnlyCars.into());
    }
    if !matches!(status, BookingStatus::Confirmed | BookingStatus::CheckedIn) {
        return Err(Refusal::BookingNotChangeable { status }.into());
    }
    let out: Option<i32> = sqlx::query_scalar("select odometer_out from bookings where id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    let out = input.odometer_out.or(out);
    if let Some(o) = out {
        if input.odometer_in < o {
            return Err(FieldErrors::single(
                "odometer_in",
                FieldError::OdometerBelowStart { start: o },
            )
            .into());
        }
    }
    sqlx::query(
        "update bookings set status = 'returned', odometer_out = $2, odometer_in = $3,
            fuel_eighths = $4, ended_at = now(), version = version + 1, updated_at = now()
          where id = $1",
    )
    .bind(id)
    .bind(out)
    .bind(input.odometer_in)
    .bind(input.fuel_eighths)
    .execute(&mut *tx)
    .await?;
    let event = BookingEvent::Returned {
        odometer: input.odometer_in,
        fuel_eighths: input.fuel_eighths,
    };
    history(&mut tx, id, Some(actor.id), &event).await?;
    if let Some(asset) = r.asset_id {
        super::assets::odometer_read(&mut tx, actor, asset, input.odometer_in).await?;
    }
    let b = read(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(b)
}

/// One line of a booking's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BookingHistoryEntry {
    pub at: DateTime<Utc>,
    /// `null`: GA Desk itself (the no-show job).
    pub actor: Option<UserRef>,
    pub event: BookingEvent,
}

pub async fn history_of(
    db: &Db,
    actor: &Actor,
    id: Uuid,
) -> Result<Vec<BookingHistoryEntry>, ServiceError> {
    let b = get(db, actor, id).await?;
    if b.booked_by.as_ref().map(|u| u.id) != Some(actor.id) && !is_staff(actor) {
        return Err(Refusal::NotFound.into());
    }
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "select h.created_at as at,
                case when u.id is not null then json_build_object('id', u.id, 'name', u.name, 'email', u.email) end as actor,
                h.event
           from booking_history h left join users u on u.id = h.actor_id
          where h.booking_id = $1 order by h.id",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| BookingHistoryEntry {
            at: r.at,
            actor: r.actor.map(|a| a.0),
            event: r.event.0,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    at: DateTime<Utc>,
    actor: Option<Json<UserRef>>,
    event: Json<BookingEvent>,
}

// ---------------------------------------------------------------- the no-show job

#[derive(sqlx::FromRow)]
struct Released {
    id: Uuid,
    booked_by: Uuid,
    minutes: i32,
    name: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    time_zone: String,
}

/// Releases confirmed bookings nobody checked in to within their
/// resource's grace time, and tells the booker. One statement marks them,
/// so with several instances running each booking is released once.
pub async fn release_no_shows(db: &Db, now: DateTime<Utc>) -> Result<u64, ServiceError> {
    let mut tx = db.begin().await?;
    let released: Vec<Released> = sqlx::query_as(
        "update bookings b set status = 'released', ended_at = $1, updated_at = $1,
                    version = b.version + 1
               from resources r join sites s on s.id = r.site_id
              where r.id = b.resource_id and b.status = 'confirmed' and b.checked_in_at is null
                and r.release_after is not null
                and lower(b.during) <= $1 - interval '5 minutes'
                and lower(b.during) > $1 - interval '1 day'
                and lower(b.during) + make_interval(mins => r.release_after) <= $1
             returning b.id, b.booked_by, r.release_after as minutes, r.name,
                       lower(b.during) as starts_at, upper(b.during) as ends_at, s.time_zone",
    )
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    for Released {
        id,
        booked_by: by,
        minutes,
        name,
        starts_at: from,
        ends_at: to,
        time_zone: zone,
    } in &released
    {
        history(
            &mut tx,
            *id,
            None,
            &BookingEvent::Released { minutes: *minutes },
        )
        .await?;
        let when = Window {
            from: *from,
            to: *to,
            zone: Zone::from_code(zone).unwrap_or_default(),
        };
        notifications::tell_person(
            &mut tx,
            *by,
            None,
            Outgoing::new(
                Notice::BookingReleased {
                    resource: name.clone(),
                    when,
                },
                now,
            ),
            &format!("booking:{id}:released"),
        )
        .await?;
    }
    tx.commit().await?;
    if !released.is_empty() {
        metrics::counter!("bookings_released_total").increment(released.len() as u64);
    }
    Ok(released.len() as u64)
}

// ---------------------------------------------------------------- calendar feed

/// Where a person's calendar feed lives (under the public address).
pub fn feed_path(key: &super::decision_links::DecisionKey, user: Uuid) -> String {
    format!("/feeds/bookings/{}.ics", key.feed_token(user))
}

#[derive(sqlx::FromRow)]
struct FeedRow {
    id: Uuid,
    title: String,
    room: String,
    site: String,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    status: BookingStatus,
    version: i32,
}

/// A person's bookings from a month ago on, as an iCalendar feed their
/// calendar app subscribes to.
pub async fn feed(db: &Db, user: Uuid, public_url: &str) -> Result<String, ServiceError> {
    use icalendar::{Calendar as Ics, Component, Event, EventLike, EventStatus};
    let rows: Vec<FeedRow> =
        sqlx::query_as(
            "select b.id, b.title, r.name as room, s.code as site, lower(b.during) as starts_at,
                    upper(b.during) as ends_at, b.status, b.version
               from bookings b join resources r on r.id = b.resource_id join sites s on s.id = r.site_id
              where b.booked_by = $1 and upper(b.during) > now() - interval '30 days'
              order by lower(b.during) limit 2000",
        )
        .bind(user)
        .fetch_all(db)
        .await?;
    let mut cal = Ics::new();
    cal.name("GA Desk");
    for FeedRow {
        id,
        title,
        room,
        site,
        starts_at: from,
        ends_at: to,
        status,
        version,
    } in rows
    {
        let mut e = Event::new();
        e.uid(&format!("{id}@gadesk"))
            .summary(&title)
            .location(&format!("{room} ({site})"))
            .starts(from)
            .ends(to)
            .sequence(version as u32)
            .url(&format!("{public_url}/bookings"))
            .status(match status {
                BookingStatus::Pending => EventStatus::Tentative,
                s if s.holds() || s == BookingStatus::Returned => EventStatus::Confirmed,
                _ => EventStatus::Cancelled,
            });
        cal.push(e.done());
    }
    Ok(cal.done().to_string())
}
