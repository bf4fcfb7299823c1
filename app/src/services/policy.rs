//! The approval policy admins edit, stored in `approval_levels`.

use super::{audit, Db, ServiceError};
use crate::domain::approval::{ApprovalPolicy, DEFAULT_TOLERANCE_PERCENT, MAX_TOLERANCE_PERCENT};
use crate::domain::events::{SecurityDetail, SecurityKind};
use crate::domain::{Actor, FieldError, FieldErrors, Money, Permission, Refusal};
use sqlx::PgConnection;

pub const MAX_LEVELS: usize = 5;

pub async fn load(conn: &mut PgConnection) -> Result<ApprovalPolicy, ServiceError> {
    let (thresholds, tolerance, split): (Vec<rust_decimal::Decimal>, i32, bool) = sqlx::query_as(
        "select coalesce((select array_agg(threshold order by level) from approval_levels), '{}'),
                s.cost_tolerance_percent, s.route_split_purchases
         from approval_settings s",
    )
    .fetch_one(conn)
    .await?;
    Ok(ApprovalPolicy {
        thresholds: thresholds
            .into_iter()
            .map(|t| {
                Money::new(t).map_err(|e| ServiceError::Internal(format!("stored threshold: {e}")))
            })
            .collect::<Result<_, _>>()?,
        cost_tolerance_percent: u32::try_from(tolerance).unwrap_or(DEFAULT_TOLERANCE_PERCENT),
        route_split_purchases: split,
    })
}

/// A change of the policy: the thresholds, and the settings beside them
/// when given (absent ones stay as they are).
#[derive(Debug, Clone, Default)]
pub struct PolicyChange {
    pub thresholds: Vec<Money>,
    pub cost_tolerance_percent: Option<u32>,
    pub route_split_purchases: Option<bool>,
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

/// Thresholds must rise with the level and stay above zero; the tolerance
/// is a sensible percentage.
pub fn validate(change: &PolicyChange) -> Result<(), FieldErrors> {
    let thresholds = &change.thresholds;
    let mut e = FieldErrors::new();
    if change
        .cost_tolerance_percent
        .is_some_and(|t| t > MAX_TOLERANCE_PERCENT)
    {
        e.add(
            "cost_tolerance_percent",
            FieldError::PercentRange {
                max: MAX_TOLERANCE_PERCENT,
            },
        );
    }
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
/// decisions use the new thresholds. The security log keeps the policy
/// before and after.
pub async fn set(
    db: &Db,
    actor: &Actor,
    change: PolicyChange,
) -> Result<ApprovalPolicy, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(Refusal::PolicyAdminOnly.into());
    }
    validate(&change)?;
    let mut tx = db.begin().await?;
    // One change at a time, so each log line's "before" is the truth.
    sqlx::query("select 1 from approval_settings for update")
        .execute(&mut *tx)
        .await?;
    let before = load(&mut tx).await?;
    sqlx::query("delete from approval_levels")
        .execute(&mut *tx)
        .await?;
    let levels: Vec<i16> = (1..=change.thresholds.len() as i16).collect();
    let amounts: Vec<rust_decimal::Decimal> = change.thresholds.iter().map(Money::amount).collect();
    sqlx::query("insert into approval_levels (level, threshold) select * from unnest($1::smallint[], $2::numeric[])")
        .bind(&levels)
        .bind(&amounts)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "update approval_settings set
             cost_tolerance_percent = coalesce($1, cost_tolerance_percent),
             route_split_purchases = coalesce($2, route_split_purchases),
             version = version + 1, updated_at = now()",
    )
    .bind(change.cost_tolerance_percent.map(|t| t as i32))
    .bind(change.route_split_purchases)
    .execute(&mut *tx)
    .await?;
    let after = load(&mut tx).await?;
    if after != before {
        audit::record(
            &mut tx,
            audit::Event::new(SecurityKind::PolicyChanged)
                .actor(actor.id)
                .email(&actor.email)
                .detail(SecurityDetail::PolicyChanged {
                    before,
                    after: after.clone(),
                }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after)
}
