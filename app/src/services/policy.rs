//! The approval policy admins edit, stored in `approval_levels`.

use super::{Db, ServiceError};
use crate::domain::approval::ApprovalPolicy;
use crate::domain::{Actor, FieldError, FieldErrors, Money, Permission, Refusal};
use sqlx::PgConnection;

pub const MAX_LEVELS: usize = 5;

pub async fn load(conn: &mut PgConnection) -> Result<ApprovalPolicy, ServiceError> {
    let rows: Vec<(Money,)> =
        sqlx::query_as("select threshold from approval_levels order by level")
            .fetch_all(conn)
            .await?;
    Ok(ApprovalPolicy {
        thresholds: rows.into_iter().map(|(t,)| t).collect(),
    })
}

/// The policy as anyone who may read tickets sees it (the new-request form
/// says when approval will be needed).
pub async fn get(db: &Db, actor: &Actor) -> Result<ApprovalPolicy, ServiceError> {
    if !actor.can(Permission::TicketsRead) {
        return Err(Refusal::CannotReadPolicy.into());
    }
    let mut conn = db.acquire().await?;
    load(&mut conn).await
}

/// Thresholds must rise with the level and stay above zero.
pub fn validate(thresholds: &[Money]) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if thresholds.is_empty() || thresholds.len() > MAX_LEVELS {
        e.add(
            "thresholds",
            FieldError::LevelCount {
                max: MAX_LEVELS as u32,
            },
        );
    }
    for (i, t) in thresholds.iter().enumerate() {
        if t.is_zero() {
            e.add(format!("thresholds[{i}]"), FieldError::ThresholdPositive);
        }
        if i > 0 && *t <= thresholds[i - 1] {
            e.add(format!("thresholds[{i}]"), FieldError::ThresholdAscending);
        }
    }
    e.into_result(())
}

/// Replaces the policy. Tickets already waiting keep their place; new
/// decisions use the new thresholds.
pub async fn set(
    db: &Db,
    actor: &Actor,
    thresholds: Vec<Money>,
) -> Result<ApprovalPolicy, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(Refusal::PolicyAdminOnly.into());
    }
    validate(&thresholds)?;
    let mut tx = db.begin().await?;
    sqlx::query("delete from approval_levels")
        .execute(&mut *tx)
        .await?;
    let levels: Vec<i16> = (1..=thresholds.len() as i16).collect();
    let amounts: Vec<rust_decimal::Decimal> = thresholds.iter().map(Money::amount).collect();
    sqlx::query("insert into approval_levels (level, threshold) select * from unnest($1::smallint[], $2::numeric[])")
        .bind(&levels)
        .bind(&amounts)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ApprovalPolicy { thresholds })
}
