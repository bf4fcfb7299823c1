//! The summary report: counts, Rupiah by month, approval and completion
//! times, for tickets created in a date range (Jakarta days).

use super::{Db, ServiceError};
use crate::domain::{Actor, Permission};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Count {
    pub key: String,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Month {
    /// `2026-11`
    pub month: String,
    pub tickets: i64,
    /// Sums can exceed what one ticket may cost, so they are plain decimal
    /// strings here.
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "2500000.00")]
    pub estimated_total: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "2500000.00")]
    pub actual_total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Summary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub tickets: i64,
    #[serde(with = "rust_decimal::serde::str")]
    #[schema(value_type = String, example = "2500000.00")]
    pub estimated_total: Decimal,
    pub by_status: Vec<Count>,
    pub by_category: Vec<Count>,
    pub by_month: Vec<Month>,
    /// Hours from creation to approval, over tickets that were approved.
    pub avg_approval_hours: Option<f64>,
    /// Hours from creation to completion, over tickets that were completed.
    pub avg_completion_hours: Option<f64>,
}

const MAX_DAYS: i64 = 3 * 366;

pub async fn summary(
    db: &Db,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Summary, ServiceError> {
    if !actor.can(Permission::ReportsRead) {
        return Err(ServiceError::forbidden(
            "Reports are for approvers and administrators.",
        ));
    }
    if from > to {
        return Err(ServiceError::BadRequest("from must not be after to".into()));
    }
    if (to - from).num_days() > MAX_DAYS {
        return Err(ServiceError::BadRequest(
            "choose a range of at most three years".into(),
        ));
    }
    // The range as instants: Jakarta midnight of `from` up to the next
    // midnight after `to`.
    let range = "t.created_at >= ($1::date::timestamp at time zone 'Asia/Jakarta')
                 and t.created_at < (($2::date + 1)::timestamp at time zone 'Asia/Jakarta')";
    let by_status: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select t.status, count(*) from tickets t where {range} group by 1 order by 2 desc, 1"
    )))
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let by_category: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select t.category, count(*) from tickets t where {range} group by 1 order by 2 desc, 1"
    )))
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let by_month: Vec<(String, i64, Decimal, Decimal)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "select to_char(t.created_at at time zone 'Asia/Jakarta', 'YYYY-MM'), count(*),
                coalesce(sum(t.estimated_total), 0), coalesce(sum(t.actual_total), 0)
         from tickets t where {range} group by 1 order by 1"
        )))
        .bind(from)
        .bind(to)
        .fetch_all(db)
        .await?;
    let (approval, completion): (Option<f64>, Option<f64>) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select
            (select avg(extract(epoch from (h.first_at - t.created_at)) / 3600)::float8
             from tickets t
             join lateral (select min(h.created_at) as first_at from ticket_history h
                           where h.ticket_id = t.id and h.to_status = 'approved') h on h.first_at is not null
             where {range}),
            (select avg(extract(epoch from (h.first_at - t.created_at)) / 3600)::float8
             from tickets t
             join lateral (select min(h.created_at) as first_at from ticket_history h
                           where h.ticket_id = t.id and h.to_status = 'completed') h on h.first_at is not null
             where {range})"
    )))
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await?;
    let total: Decimal = by_month.iter().map(|m| m.2).sum();
    let months = by_month
        .into_iter()
        .map(|(month, tickets, estimated_total, actual_total)| Month {
            month,
            tickets,
            estimated_total: estimated_total.round_dp(2),
            actual_total: actual_total.round_dp(2),
        })
        .collect();
    let counts = |rows: Vec<(String, i64)>| {
        rows.into_iter()
            .map(|(key, count)| Count { key, count })
            .collect::<Vec<_>>()
    };
    let by_status = counts(by_status);
    Ok(Summary {
        from,
        to,
        tickets: by_status.iter().map(|c| c.count).sum(),
        estimated_total: total.round_dp(2),
        by_status,
        by_category: counts(by_category),
        by_month: months,
        avg_approval_hours: approval.map(|h| (h * 10.0).round() / 10.0),
        avg_completion_hours: completion.map(|h| (h * 10.0).round() / 10.0),
    })
}
