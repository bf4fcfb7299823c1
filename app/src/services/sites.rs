//! Sites and their calendars: working weeks, national holidays and cuti
//! bersama loaded from the shipped data, closures, `.ics` imports. Every
//! change recomputes the due times of the open tickets it touches, in the
//! same transaction.

use super::audit;
use super::{service_levels, Db, ServiceError};
use crate::domain::errors::Entity;
use crate::domain::events::{SecurityDetail, SecurityKind};
use crate::domain::holidays::{self, HolidayKind};
use crate::domain::site::{ClosedDay, ClosedDayInput, Site, SiteInput};
use crate::domain::working_time::{Calendar, WeeklyHours};
use crate::domain::{Actor, FieldError, FieldErrors, Permission, Refusal};
use chrono::{Datelike, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::PgConnection;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use uuid::Uuid;

fn require_admin(actor: &Actor) -> Result<(), ServiceError> {
    if actor.can(Permission::UsersManage) {
        Ok(())
    } else {
        Err(Refusal::SitesAdminOnly.into())
    }
}

#[derive(sqlx::FromRow)]
struct SiteRow {
    id: Uuid,
    code: String,
    name: String,
    time_zone: String,
    hours: Json<WeeklyHours>,
    active: bool,
    version: i32,
}

impl From<SiteRow> for Site {
    fn from(r: SiteRow) -> Site {
        Site {
            id: r.id,
            code: r.code,
            name: r.name,
            time_zone: r.time_zone,
            hours: r.hours.0,
            active: r.active,
            version: r.version,
        }
    }
}

const SITE_COLUMNS: &str = "id, code, name, time_zone, hours, active, version";

/// Every site, head office first, for anyone signed in (forms pick one).
pub async fn list(db: &Db) -> Result<Vec<Site>, ServiceError> {
    let rows: Vec<SiteRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {SITE_COLUMNS} from sites order by id = '{}' desc, name",
        crate::domain::site::HEAD_OFFICE
    )))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Site::from).collect())
}

fn taken(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d)
        if matches!(d.constraint(), Some("sites_code_key" | "sites_name_key")))
}

async fn site_saved(
    conn: &mut PgConnection,
    actor: &Actor,
    row: &SiteRow,
) -> Result<(), ServiceError> {
    audit::record(
        conn,
        audit::Event::new(SecurityKind::SiteChanged)
            .actor(actor.id)
            .email(&actor.email)
            .detail(SecurityDetail::SiteSaved {
                code: row.code.clone(),
                name: row.name.clone(),
            }),
    )
    .await
}

fn site_taken() -> ServiceError {
    FieldErrors::single("code", FieldError::SiteTaken).into()
}

pub async fn create(db: &Db, actor: &Actor, input: SiteInput) -> Result<Site, ServiceError> {
    require_admin(actor)?;
    let input = input.validate()?;
    let mut tx = db.begin().await?;
    let row: SiteRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into sites (id, code, name, time_zone, hours, active) values ($1, $2, $3, $4, $5, $6)
         returning {SITE_COLUMNS}"
    )))
    .bind(Uuid::now_v7())
    .bind(&input.code)
    .bind(&input.name)
    .bind(&input.time_zone)
    .bind(Json(&input.hours))
    .bind(input.active)
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| if taken(&e) { site_taken() } else { e.into() })?;
    site_saved(&mut tx, actor, &row).await?;
    tx.commit().await?;
    forget_calendars();
    Ok(row.into())
}

/// Changes a site from the version the admin saw; a new zone or week
/// moves the due times of its open tickets.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: i32,
    input: SiteInput,
) -> Result<Site, ServiceError> {
    require_admin(actor)?;
    let input = input.validate()?;
    let mut tx = db.begin().await?;
    let row: Option<SiteRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update sites set code = $3, name = $4, time_zone = $5, hours = $6, active = $7,
                version = version + 1
          where id = $1 and version = $2 returning {SITE_COLUMNS}"
    )))
    .bind(id)
    .bind(version)
    .bind(&input.code)
    .bind(&input.name)
    .bind(&input.time_zone)
    .bind(Json(&input.hours))
    .bind(input.active)
    .fetch_optional(&mut *tx)
    .await
    .map_err(|e| if taken(&e) { site_taken() } else { e.into() })?;
    let Some(row) = row else {
        let now: Option<(i32,)> = sqlx::query_as("select version from sites where id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(match now {
            Some((version,)) => Refusal::Changed {
                of: Entity::Site,
                version,
            }
            .into(),
            None => Refusal::NotFound.into(),
        });
    };
    site_saved(&mut tx, actor, &row).await?;
    forget_calendars();
    service_levels::recompute_open(&mut tx, Some(id)).await?;
    tx.commit().await?;
    forget_calendars();
    Ok(row.into())
}

/// Closed days from `from` on, of every site (`site: None`) or those that
/// apply to one site (its own and the national ones).
pub async fn closed_days(
    db: &Db,
    site: Option<Uuid>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ClosedDay>, ServiceError> {
    Ok(
        sqlx::query_as::<_, (i64, Option<Uuid>, NaiveDate, HolidayKind, String, String)>(
            "select id, site_id, day, kind, name_id, name_en from closed_days
          where day between $2 and $3 and ($1::uuid is null or site_id is null or site_id = $1)
          order by day, site_id nulls first",
        )
        .bind(site)
        .bind(from)
        .bind(to)
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|(id, site_id, day, kind, name_id, name_en)| ClosedDay {
            id,
            site_id,
            day,
            kind,
            name_id,
            name_en,
        })
        .collect(),
    )
}

async fn check_site(conn: &mut PgConnection, site: Option<Uuid>) -> Result<(), ServiceError> {
    if let Some(site) = site {
        let found: Option<(i32,)> = sqlx::query_as("select 1 from sites where id = $1")
            .bind(site)
            .fetch_optional(conn)
            .await?;
        if found.is_none() {
            return Err(FieldErrors::single("site_id", FieldError::NoSuchSite).into());
        }
    }
    Ok(())
}

/// Inserts days that are not there yet; returns how many were new.
async fn insert_days(
    conn: &mut PgConnection,
    days: &[ClosedDayInput],
) -> Result<u64, ServiceError> {
    let mut added = 0;
    for d in days {
        added += sqlx::query(
            "insert into closed_days (site_id, day, kind, name_id, name_en)
             values ($1, $2, $3, $4, $5) on conflict do nothing",
        )
        .bind(d.site_id)
        .bind(d.day)
        .bind(d.kind)
        .bind(&d.name_id)
        .bind(&d.name_en)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    }
    Ok(added)
}

async fn calendar_changed(
    conn: &mut PgConnection,
    actor: &Actor,
    site: Option<Uuid>,
    detail: SecurityDetail,
) -> Result<(), ServiceError> {
    audit::record(
        conn,
        audit::Event::new(SecurityKind::CalendarChanged)
            .actor(actor.id)
            .email(&actor.email)
            .detail(detail),
    )
    .await?;
    forget_calendars();
    service_levels::recompute_open(conn, site).await?;
    Ok(())
}

pub async fn add_closed_day(
    db: &Db,
    actor: &Actor,
    input: ClosedDayInput,
) -> Result<ClosedDay, ServiceError> {
    require_admin(actor)?;
    let input = input.validate()?;
    let mut tx = db.begin().await?;
    check_site(&mut tx, input.site_id).await?;
    if insert_days(&mut tx, std::slice::from_ref(&input)).await? == 0 {
        return Err(FieldErrors::single("day", FieldError::DayAlreadyClosed).into());
    }
    let (id,): (i64,) = sqlx::query_as(
        "select id from closed_days where coalesce(site_id, '00000000-0000-0000-0000-000000000000') = coalesce($1, '00000000-0000-0000-0000-000000000000') and day = $2",
    )
    .bind(input.site_id)
    .bind(input.day)
    .fetch_one(&mut *tx)
    .await?;
    calendar_changed(
        &mut tx,
        actor,
        input.site_id,
        SecurityDetail::DayClosed {
            day: input.day,
            name: input.name_id.clone(),
        },
    )
    .await?;
    tx.commit().await?;
    forget_calendars();
    Ok(ClosedDay {
        id,
        site_id: input.site_id,
        day: input.day,
        kind: input.kind,
        name_id: input.name_id,
        name_en: input.name_en,
    })
}

pub async fn remove_closed_day(db: &Db, actor: &Actor, id: i64) -> Result<(), ServiceError> {
    require_admin(actor)?;
    let mut tx = db.begin().await?;
    let gone: Option<(Option<Uuid>, NaiveDate, String)> =
        sqlx::query_as("delete from closed_days where id = $1 returning site_id, day, name_id")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((site, day, name)) = gone else {
        return Err(Refusal::NotFound.into());
    };
    calendar_changed(
        &mut tx,
        actor,
        site,
        SecurityDetail::DayOpened { day, name },
    )
    .await?;
    tx.commit().await?;
    forget_calendars();
    Ok(())
}

/// All-day events of an iCalendar file as closed days of `site` (every
/// site when `None`); a multi-day event closes each of its days.
pub fn read_ics(
    text: &str,
    site: Option<Uuid>,
    kind: HolidayKind,
) -> Result<Vec<ClosedDayInput>, FieldErrors> {
    use icalendar::{Component, DatePerhapsTime};
    let bad = || FieldErrors::single("file", FieldError::NotAnIcsFile);
    let calendar: icalendar::Calendar = text.parse().map_err(|_| bad())?;
    let mut days = Vec::new();
    for event in calendar.events() {
        let Some(DatePerhapsTime::Date(start)) = event.get_start() else {
            continue;
        };
        let end = match event.get_end() {
            Some(DatePerhapsTime::Date(end)) if end > start => end,
            _ => start + chrono::Duration::days(1),
        };
        let name = event.get_summary().unwrap_or("").trim().to_string();
        let mut day = start;
        // A closure longer than a quarter is a mistake in the file.
        while day < end && (day - start).num_days() < 92 {
            let input = ClosedDayInput {
                site_id: site,
                day,
                kind,
                name_id: name.clone(),
                name_en: String::new(),
            }
            .validate()?;
            days.push(input);
            day += chrono::Duration::days(1);
        }
    }
    if days.is_empty() {
        return Err(bad());
    }
    Ok(days)
}

/// Imports an `.ics` file; days already closed are kept as they are.
/// Returns how many days were added.
pub async fn import_ics(
    db: &Db,
    actor: &Actor,
    site: Option<Uuid>,
    kind: HolidayKind,
    text: &str,
) -> Result<u64, ServiceError> {
    require_admin(actor)?;
    let kind = if site.is_none() && kind == HolidayKind::Closure {
        HolidayKind::National
    } else {
        kind
    };
    let days = read_ics(text, site, kind)?;
    let mut tx = db.begin().await?;
    check_site(&mut tx, site).await?;
    let added = insert_days(&mut tx, &days).await?;
    calendar_changed(
        &mut tx,
        actor,
        site,
        SecurityDetail::CalendarImported {
            count: added as i64,
        },
    )
    .await?;
    tx.commit().await?;
    forget_calendars();
    Ok(added)
}

/// Loads the decreed days of the years that have shipped data and were not
/// loaded before (a day an admin removed stays removed). Run at start-up
/// by every instance; the year row makes it happen once.
pub async fn load_shipped_holidays(db: &Db, years: &[i32]) -> Result<u64, ServiceError> {
    let mut added = 0;
    for &year in years {
        let Some(list) = holidays::indonesia(year) else {
            continue;
        };
        let mut tx = db.begin().await?;
        let new =
            sqlx::query("insert into holiday_years (year) values ($1) on conflict do nothing")
                .bind(year)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if new == 0 {
            continue;
        }
        let days: Vec<ClosedDayInput> = list
            .into_iter()
            .map(|h| ClosedDayInput {
                site_id: None,
                day: h.date,
                kind: h.kind,
                name_id: h.name_id,
                name_en: h.name_en,
            })
            .collect();
        added += insert_days(&mut tx, &days).await?;
        service_levels::recompute_open(&mut tx, None).await?;
        tx.commit().await?;
    }
    forget_calendars();
    Ok(added)
}

/// The years whose holidays a running GA Desk needs: this one and the next.
pub fn current_years() -> [i32; 2] {
    let y = (Utc::now() + chrono::Duration::hours(7)).year();
    [y, y + 1]
}

/// Closed days kept in a calendar: two years back (open tickets can be
/// old) and two ahead.
fn calendar_window() -> (NaiveDate, NaiveDate) {
    let today = Utc::now().date_naive();
    (
        today - chrono::Duration::days(2 * 366),
        today + chrono::Duration::days(2 * 366),
    )
}

/// The calendar of one site, read in the caller's transaction (so a change
/// made in it counts).
pub async fn calendar_of(conn: &mut PgConnection, site: Uuid) -> Result<Calendar, ServiceError> {
    let (from, to) = calendar_window();
    let (row, closed): (Json<Site>, Vec<NaiveDate>) = sqlx::query_as(
        "select json_build_object('id', s.id, 'code', s.code, 'name', s.name,
                    'time_zone', s.time_zone, 'hours', s.hours, 'active', s.active,
                    'version', s.version),
                array(select d.day from closed_days d
                       where (d.site_id is null or d.site_id = s.id) and d.day between $2 and $3)
           from sites s where s.id = $1",
    )
    .bind(site)
    .bind(from)
    .bind(to)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(ServiceError::Refused(Refusal::NotFound))?;
    Ok(row.0.calendar(closed.into_iter().collect()))
}

/// Every site's calendar, for putting due times into words. Cached for a
/// minute per database: a change made here clears it at once, one made by
/// another instance shows within the minute (due times themselves are
/// stored and always current).
pub type Calendars = Arc<HashMap<Uuid, Calendar>>;

const CACHE_FOR: Duration = Duration::from_secs(60);

type Cache = Mutex<HashMap<String, (Instant, Calendars)>>;

fn cache() -> &'static Cache {
    static CACHE: std::sync::OnceLock<Cache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

fn forget_calendars() {
    if let Ok(mut c) = cache().lock() {
        c.clear();
    }
}

pub async fn calendars(db: &Db) -> Result<Calendars, ServiceError> {
    let key = db
        .connect_options()
        .get_database()
        .unwrap_or_default()
        .to_string();
    if let Some((at, cals)) = cache().lock().ok().and_then(|c| c.get(&key).cloned()) {
        if at.elapsed() < CACHE_FOR {
            return Ok(cals);
        }
    }
    let sites = list(db).await?;
    let (from, to) = calendar_window();
    let closed: Vec<(Option<Uuid>, NaiveDate)> =
        sqlx::query_as("select site_id, day from closed_days where day between $1 and $2")
            .bind(from)
            .bind(to)
            .fetch_all(db)
            .await?;
    let national: BTreeSet<NaiveDate> = closed
        .iter()
        .filter(|(s, _)| s.is_none())
        .map(|(_, d)| *d)
        .collect();
    let cals: HashMap<Uuid, Calendar> = sites
        .into_iter()
        .map(|site| {
            let mut days = national.clone();
            days.extend(
                closed
                    .iter()
                    .filter(|(s, _)| *s == Some(site.id))
                    .map(|(_, d)| *d),
            );
            (site.id, site.calendar(days))
        })
        .collect();
    let cals = Arc::new(cals);
    if let Ok(mut c) = cache().lock() {
        c.insert(key, (Instant::now(), cals.clone()));
    }
    Ok(cals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ics_file_closes_each_day_of_its_all_day_events() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20270310\r\nDTEND;VALUE=DATE:20270312\r\nSUMMARY:Idul Fitri 1448 H\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:b\r\nDTSTART:20270401T090000Z\r\nSUMMARY:A meeting, not a holiday\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";
        let days = read_ics(ics, None, HolidayKind::National).unwrap();
        let dates: Vec<String> = days.iter().map(|d| d.day.to_string()).collect();
        assert_eq!(dates, ["2027-03-10", "2027-03-11"]);
        assert_eq!(days[0].name_id, "Idul Fitri 1448 H");
        assert!(read_ics("hello", None, HolidayKind::National).is_err());
    }
}
