//! The summary report: counts, Rupiah by month, approval and completion
//! times, for tickets created in a date range (Jakarta days).

use super::{Db, ServiceError};
use crate::domain::ticket::TicketSummary;
use crate::domain::{Actor, Permission, Refusal};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

pub use crate::domain::report::{Amount, Attainment, Count, Month, ReportRange, Summary, Week};

/// Reports are for approvers and administrators, over a checked range.
fn check(actor: &Actor, from: NaiveDate, to: NaiveDate) -> Result<ReportRange, ServiceError> {
    if !actor.can(Permission::ReportsRead) {
        return Err(Refusal::ReportsForApprovers.into());
    }
    ReportRange::new(from, to).map_err(|e| ServiceError::Validation(e.into_field_errors()))
}

/// Tickets whose work was approved and not rejected or cancelled since:
/// what the company spends.
const SPENT: &str = "(t.status in ('approved', 'in_progress', 'completed')
                     or (t.status = 'closed' and t.resolution = 'done'))";

pub async fn summary(
    db: &Db,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Summary, ServiceError> {
    check(actor, from, to)?;
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
    let by_week: Vec<(NaiveDate, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select date_trunc('week', t.created_at at time zone 'Asia/Jakarta')::date, count(*)
         from tickets t where {range} group by 1 order by 1"
    )))
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    let spend: Vec<(String, Decimal)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select t.category, sum(coalesce(t.actual_total, t.estimated_total))
         from tickets t where {range} and {SPENT} group by 1 order by 2 desc, 1"
    )))
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?;
    // Completed once, whatever happened after (confirmed and closed).
    let (completed,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select count(*) from tickets t where {range}
           and exists (select 1 from ticket_history h
                        where h.ticket_id = t.id and h.to_status = 'completed')"
    )))
    .bind(from)
    .bind(to)
    .fetch_one(db)
    .await?;
    let attainment: Vec<(String, String, i64, i64, i64, i64)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "select s.name, t.category,
                count(*) filter (where t.responded_at is not null and t.response_due_at is not null),
                count(*) filter (where t.responded_at <= t.response_due_at),
                count(*) filter (where t.completed_at is not null and t.resolution_due_at is not null),
                count(*) filter (where t.completed_at <= t.resolution_due_at)
           from tickets t join sites s on s.id = t.site_id
          where {range} group by 1, 2 order by 1, 2"
        )))
        .bind(from)
        .bind(to)
        .fetch_all(db)
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
        completed,
        approved_spend: spend.iter().map(|s| s.1).sum::<Decimal>().round_dp(2),
        by_status,
        by_category: counts(by_category),
        spend_by_category: spend
            .into_iter()
            .map(|(key, amount)| Amount {
                key,
                amount: amount.round_dp(2),
            })
            .collect(),
        by_month: months,
        by_week: by_week
            .into_iter()
            .map(|(week, tickets)| Week { week, tickets })
            .collect(),
        avg_approval_hours: approval.map(|h| (h * 10.0).round() / 10.0),
        avg_completion_hours: completion.map(|h| (h * 10.0).round() / 10.0),
        attainment: attainment
            .into_iter()
            .map(
                |(site, category, responded, responded_on_time, resolved, resolved_on_time)| {
                    Attainment {
                        site,
                        category,
                        responded,
                        responded_on_time,
                        resolved,
                        resolved_on_time,
                    }
                },
            )
            .collect(),
    })
}

const EXPORT_FIRST: &str = concat!(
    super::tickets::summary_select!(),
    "where t.created_at >= ($1::date::timestamp at time zone 'Asia/Jakarta')
       and t.created_at < (($2::date + 1)::timestamp at time zone 'Asia/Jakarta')
     order by t.created_at, t.id limit $3"
);

const EXPORT_AFTER: &str = concat!(
    super::tickets::summary_select!(),
    "where t.created_at >= ($1::date::timestamp at time zone 'Asia/Jakarta')
       and t.created_at < (($2::date + 1)::timestamp at time zone 'Asia/Jakarta')
       and (t.created_at, t.id) > ($4, $5)
     order by t.created_at, t.id limit $3"
);

/// Where the next page of an export starts: after this ticket.
pub type ExportCursor = (DateTime<Utc>, Uuid);

/// The tickets a summary counts (created in the range, everyone's), oldest
/// first, one keyset page at a time, for the report's CSV export.
pub async fn tickets_page(
    db: &Db,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
    after: Option<ExportCursor>,
    limit: i64,
) -> Result<(Vec<TicketSummary>, Option<ExportCursor>), ServiceError> {
    check(actor, from, to)?;
    let query = sqlx::query_as::<_, TicketSummary>(match after {
        None => EXPORT_FIRST,
        Some(_) => EXPORT_AFTER,
    })
    .bind(from)
    .bind(to)
    .bind(limit);
    let rows = match after {
        None => query,
        Some((at, id)) => query.bind(at).bind(id),
    }
    .fetch_all(db)
    .await?;
    let items = rows;
    let next = (items.len() as i64 == limit)
        .then(|| items.last().map(|t| (t.created_at, t.id)))
        .flatten();
    Ok((items, next))
}
