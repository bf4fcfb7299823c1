//! Out of office: an approver names a delegate for a period, and requests
//! waiting for them may be decided by the delegate meanwhile (one hop:
//! never the delegate's own delegate). The database refuses overlapping
//! periods of one person.

use super::{audit, Db, ServiceError};
use crate::domain::errors::Entity;
use crate::domain::events::{SecurityDetail, SecurityKind};
use crate::domain::site::{Delegation, DelegationInput};
use crate::domain::{Actor, FieldError, FieldErrors, Permission, Refusal, UserRef, Zone};
use chrono::{Duration, NaiveTime, TimeZone, Utc};
use uuid::Uuid;

const SELECT: &str = "select d.id,
        json_build_object('id', u.id, 'name', u.name, 'email', u.email) as user,
        json_build_object('id', g.id, 'name', g.name, 'email', g.email) as delegate,
        d.starts_on, d.ends_on, d.note, d.version
   from delegations d join users u on u.id = d.user_id join users g on g.id = d.delegate_id";

/// The periods a person is away or decides for someone, current and
/// coming, soonest first.
pub async fn mine(db: &Db, actor: &Actor) -> Result<Vec<Delegation>, ServiceError> {
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} where (d.user_id = $1 or d.delegate_id = $1) and upper(d.period) > now()
          order by d.starts_on, d.id"
    )))
    .bind(actor.id)
    .fetch_all(db)
    .await?)
}

/// Every current and coming period, for administrators.
pub async fn all(db: &Db, actor: &Actor) -> Result<Vec<Delegation>, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(Refusal::DelegationForOthersAdminOnly.into());
    }
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} where upper(d.period) > now() order by d.starts_on, u.name, d.id"
    )))
    .fetch_all(db)
    .await?)
}

/// Every change of someone's out of office goes into the security log.
async fn logged(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    away: Uuid,
    detail: SecurityDetail,
) -> Result<(), ServiceError> {
    audit::record(
        conn,
        audit::Event::new(SecurityKind::DelegationChanged)
            .actor(actor.id)
            .user(away)
            .email(&actor.email)
            .detail(detail),
    )
    .await
}

fn overlaps(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some("delegations_no_overlap"))
}

/// Sets a period away: one's own, or (administrators) someone else's.
pub async fn set(
    db: &Db,
    actor: &Actor,
    input: DelegationInput,
) -> Result<Delegation, ServiceError> {
    let away = input.user_id.unwrap_or(actor.id);
    if away != actor.id && !actor.can(Permission::UsersManage) {
        return Err(Refusal::DelegationForOthersAdminOnly.into());
    }
    if away == actor.id && !actor.can(Permission::TicketsApprove) {
        return Err(Refusal::DelegationApproversOnly.into());
    }
    let mut tx = db.begin().await?;
    let person: Option<(String, String, bool)> = sqlx::query_as(
        "select name, time_zone, active and role in ('approver', 'admin') from users where id = $1",
    )
    .bind(away)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((away_name, tz, approves)) = person else {
        return Err(FieldErrors::single("user_id", FieldError::NoSuchStaff).into());
    };
    if !approves {
        return Err(Refusal::DelegationApproversOnly.into());
    }
    let zone = Zone::from_code(&tz).unwrap_or_default();
    let offset = Duration::hours(i64::from(zone.offset_hours()));
    let today = (Utc::now() + offset).date_naive();
    let input = input.validate(away, today)?;
    let delegate: Option<(String, bool)> = sqlx::query_as(
        "select name, active and role in ('approver', 'admin') from users where id = $1",
    )
    .bind(input.delegate_id)
    .fetch_optional(&mut *tx)
    .await?;
    let delegate_name = match delegate {
        Some((name, true)) => name,
        _ => return Err(FieldErrors::single("delegate_id", FieldError::ChooseDelegate).into()),
    };
    let start = Utc.from_utc_datetime(&input.starts_on.and_time(NaiveTime::MIN)) - offset;
    let end =
        Utc.from_utc_datetime(&input.ends_on.and_time(NaiveTime::MIN)) - offset + Duration::days(1);
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into delegations (id, user_id, delegate_id, starts_on, ends_on, period, note, created_by)
         values ($1, $2, $3, $4, $5, tstzrange($6, $7), $8, $9)",
    )
    .bind(id)
    .bind(away)
    .bind(input.delegate_id)
    .bind(input.starts_on)
    .bind(input.ends_on)
    .bind(start)
    .bind(end)
    .bind(&input.note)
    .bind(actor.id)
    .execute(&mut *tx)
    .await
    .map_err(|e| {
        if overlaps(&e) {
            FieldErrors::single("starts_on", FieldError::DelegationOverlaps).into()
        } else {
            ServiceError::from(e)
        }
    })?;
    logged(
        &mut tx,
        actor,
        away,
        SecurityDetail::DelegationSet {
            away: away_name,
            delegate: delegate_name,
            from: input.starts_on,
            to: input.ends_on,
        },
    )
    .await?;
    let row = sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} where d.id = $1")))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(row)
}

/// Ends a period (the person is back, or plans changed): its owner or an
/// administrator, from the version they saw.
pub async fn end(db: &Db, actor: &Actor, id: Uuid, version: i32) -> Result<(), ServiceError> {
    let mut tx = db.begin().await?;
    let row: Option<(Uuid, i32, String, String)> = sqlx::query_as(
        "select d.user_id, d.version, u.name, g.name from delegations d
           join users u on u.id = d.user_id join users g on g.id = d.delegate_id
          where d.id = $1 for update of d",
    )
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((away, current, away_name, delegate_name)) = row else {
        return Err(Refusal::NotFound.into());
    };
    if away != actor.id && !actor.can(Permission::UsersManage) {
        return Err(Refusal::NotFound.into());
    }
    if current != version {
        return Err(Refusal::Changed {
            of: Entity::Delegation,
            version: current,
        }
        .into());
    }
    sqlx::query("delete from delegations where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    logged(
        &mut tx,
        actor,
        away,
        SecurityDetail::DelegationEnded {
            away: away_name,
            delegate: delegate_name,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Who may stand in for `actor`: the other active approvers and
/// administrators, by name.
pub async fn candidates(db: &Db, actor: &Actor) -> Result<Vec<UserRef>, ServiceError> {
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "select id, name, email from users
          where active and role in ('approver', 'admin') and id <> $1 order by name limit 500",
    )
    .bind(actor.id)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email)| UserRef { id, name, email })
        .collect())
}
