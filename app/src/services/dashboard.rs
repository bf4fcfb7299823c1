//! The approver's dashboard: figures about their own decisions and the
//! company's approved spend.

use super::{Db, ServiceError};
use crate::domain::dashboard::{ApproverDashboard, SpendCell, WeekDecisions};
use crate::domain::{Actor, Permission};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;

const WEEKS: i64 = 8;
const MONTHS: i32 = 6;

fn jakarta_today() -> NaiveDate {
    (Utc::now() + Duration::hours(7)).date_naive()
}

/// The last `MONTHS` months as `YYYY-MM`, oldest first.
fn last_months(today: NaiveDate) -> Vec<String> {
    let index = today.year() * 12 + today.month0() as i32;
    (0..MONTHS)
        .rev()
        .map(|back| {
            let i = index - back;
            format!("{:04}-{:02}", i.div_euclid(12), i.rem_euclid(12) + 1)
        })
        .collect()
}

/// Mondays of the last `WEEKS` weeks, oldest first.
fn last_weeks(today: NaiveDate) -> Vec<NaiveDate> {
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    (0..WEEKS)
        .rev()
        .map(|back| monday - Duration::weeks(back))
        .collect()
}

pub async fn approver(db: &Db, actor: &Actor) -> Result<ApproverDashboard, ServiceError> {
    if !actor.can(Permission::TicketsApprove) {
        return Err(crate::domain::Refusal::DashboardForApprovers.into());
    }
    let (approved_this_month, approved_amount_this_month): (i64, Decimal) = sqlx::query_as(
        "select count(*), coalesce(sum(t.estimated_total), 0)
           from ticket_approvals a join tickets t on t.id = a.ticket_id
          where a.approver_id = $1 and a.decision = 'approved'
            and a.created_at >= (date_trunc('month', now() at time zone 'Asia/Jakarta')
                                 at time zone 'Asia/Jakarta')",
    )
    .bind(actor.id)
    .fetch_one(db)
    .await?;
    let (avg_decision_hours,): (Option<f64>,) = sqlx::query_as(
        "select (avg(extract(epoch from a.created_at - t.created_at)) / 3600)::float8
           from ticket_approvals a join tickets t on t.id = a.ticket_id
          where a.approver_id = $1 and a.created_at >= now() - interval '90 days'",
    )
    .bind(actor.id)
    .fetch_one(db)
    .await?;
    let today = jakarta_today();
    let months = last_months(today);
    let spend_rows: Vec<(String, String, Decimal)> = sqlx::query_as(
        "select to_char(t.created_at at time zone 'Asia/Jakarta', 'YYYY-MM') as month, t.category,
                sum(coalesce(t.actual_total, t.estimated_total))
           from tickets t
          where t.created_at >= (date_trunc('month', now() at time zone 'Asia/Jakarta')
                                 - interval '5 months') at time zone 'Asia/Jakarta'
            and (t.status in ('approved', 'in_progress', 'completed')
                 or (t.status = 'closed' and t.resolution = 'done'))
          group by 1, 2 order by 1, 2",
    )
    .fetch_all(db)
    .await?;
    let spend = spend_rows
        .into_iter()
        .filter_map(|(month, category, amount)| {
            Some(SpendCell {
                month,
                category: category.parse().ok()?,
                amount,
            })
        })
        .collect();
    let weeks = last_weeks(today);
    let week_rows: Vec<(NaiveDate, i64, i64)> = sqlx::query_as(
        "select date_trunc('week', a.created_at at time zone 'Asia/Jakarta')::date,
                count(*) filter (where a.decision = 'approved'),
                count(*) filter (where a.decision = 'rejected')
           from ticket_approvals a
          where a.approver_id = $1 and a.created_at >= $2::date at time zone 'Asia/Jakarta'
          group by 1",
    )
    .bind(actor.id)
    .bind(weeks[0])
    .fetch_all(db)
    .await?;
    let decisions = weeks
        .into_iter()
        .map(|week| {
            let (approved, rejected) = week_rows
                .iter()
                .find(|(w, _, _)| *w == week)
                .map(|(_, a, r)| (*a, *r))
                .unwrap_or((0, 0));
            WeekDecisions {
                week,
                approved,
                rejected,
            }
        })
        .collect();
    let waiting_for_me = super::queues::approvals_for(db, actor).await?.len() as i64;
    Ok(ApproverDashboard {
        waiting_for_me,
        approved_this_month,
        approved_amount_this_month,
        avg_decision_hours,
        months,
        spend,
        decisions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_and_weeks_run_back_from_today() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 18).unwrap();
        assert_eq!(
            last_months(d),
            ["2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02"]
        );
        let w = last_weeks(d);
        assert_eq!(w.len(), 8);
        assert_eq!(w[7], NaiveDate::from_ymd_opt(2026, 2, 16).unwrap());
        assert_eq!(w[0], NaiveDate::from_ymd_opt(2025, 12, 29).unwrap());
    }
}
