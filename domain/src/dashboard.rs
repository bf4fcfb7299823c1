//! What the approver's dashboard shows: key figures and the series of
//! its charts, already shaped for drawing, and a request's service level.

use crate::ticket::Category;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Approved spend of one category in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpendCell {
    /// `2026-11`
    pub month: String,
    pub category: Category,
    pub amount: Decimal,
}

/// An approver's decisions in one week (Monday, Jakarta).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekDecisions {
    pub week: NaiveDate,
    pub approved: i64,
    pub rejected: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApproverDashboard {
    /// Requests in this approver's queue now (the queue shows at most 100).
    pub waiting_for_me: i64,
    /// Requests this approver approved since the first of the month.
    pub approved_this_month: i64,
    /// Their estimated totals, in Rupiah.
    pub approved_amount_this_month: Decimal,
    /// Hours from request to this approver's decision, last 90 days.
    pub avg_decision_hours: Option<f64>,
    /// The last six months, oldest first, every month present.
    pub months: Vec<String>,
    pub spend: Vec<SpendCell>,
    /// The last eight weeks, oldest first, every week present.
    pub decisions: Vec<WeekDecisions>,
}

impl ApproverDashboard {
    /// Total approved spend per month, in `months` order.
    pub fn month_totals(&self) -> Vec<Decimal> {
        self.months
            .iter()
            .map(|m| {
                self.spend
                    .iter()
                    .filter(|c| &c.month == m)
                    .map(|c| c.amount)
                    .sum()
            })
            .collect()
    }

    /// Categories that appear in the spend, in a fixed order.
    pub fn categories(&self) -> Vec<Category> {
        Category::ALL
            .iter()
            .copied()
            .filter(|c| self.spend.iter().any(|s| s.category == *c))
            .collect()
    }
}

/// A duration read naturally: minutes under an hour, hours under two days,
/// then days. The UI words it in the page's language.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Span {
    Minutes(i64),
    Hours(f64),
    Days(f64),
}

pub fn span(hours: f64) -> Span {
    if hours < 1.0 {
        Span::Minutes((hours * 60.0).round() as i64)
    } else if hours < 48.0 {
        Span::Hours((hours * 10.0).round() / 10.0)
    } else {
        Span::Days((hours / 24.0 * 10.0).round() / 10.0)
    }
}

/// How long a request may wait for its next step before it is late.
pub const SLA_HOURS: i64 = 48;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaState {
    /// More than a day left.
    Ok,
    /// Less than a day left.
    Soon,
    Late,
}

/// Where a waiting request stands against [`SLA_HOURS`]: `minutes` is the
/// time left, or for a late one how long it is overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sla {
    pub state: SlaState,
    pub minutes: i64,
}

pub fn sla(since: DateTime<Utc>, now: DateTime<Utc>) -> Sla {
    let left = (since + Duration::hours(SLA_HOURS) - now).num_minutes();
    let state = if left <= 0 {
        SlaState::Late
    } else if left < 24 * 60 {
        SlaState::Soon
    } else {
        SlaState::Ok
    };
    Sla {
        state,
        minutes: left.abs(),
    }
}

/// A whole number of the largest fitting unit, for compact labels
/// ("3 h", "2 d").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compact {
    Minutes(i64),
    Hours(i64),
    Days(i64),
}

pub fn compact(minutes: i64) -> Compact {
    match minutes.max(0) {
        m @ 0..=59 => Compact::Minutes(m),
        m @ 60..=1439 => Compact::Hours(m / 60),
        m => Compact::Days(m / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_and_categories_follow_the_months() {
        let d = ApproverDashboard {
            waiting_for_me: 0,
            approved_this_month: 0,
            approved_amount_this_month: Decimal::ZERO,
            avg_decision_hours: None,
            months: vec!["2026-10".into(), "2026-11".into()],
            spend: vec![
                SpendCell {
                    month: "2026-11".into(),
                    category: Category::PantrySupplies,
                    amount: Decimal::from(5),
                },
                SpendCell {
                    month: "2026-11".into(),
                    category: Category::OfficeSupplies,
                    amount: Decimal::from(7),
                },
            ],
            decisions: vec![],
        };
        assert_eq!(d.month_totals(), vec![Decimal::ZERO, Decimal::from(12)]);
        assert_eq!(
            d.categories(),
            vec![Category::OfficeSupplies, Category::PantrySupplies]
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(span(0.5), Span::Minutes(30));
        assert_eq!(span(5.25), Span::Hours(5.3));
        assert_eq!(span(72.0), Span::Days(3.0));
        assert_eq!(compact(59), Compact::Minutes(59));
        assert_eq!(compact(3 * 60 + 5), Compact::Hours(3));
        assert_eq!(compact(2 * 1440 + 1), Compact::Days(2));
    }

    #[test]
    fn service_level_counts_down_then_overdue() {
        let now = Utc::now();
        let s = sla(now - Duration::hours(1), now);
        assert_eq!((s.state, s.minutes), (SlaState::Ok, 47 * 60));
        let s = sla(now - Duration::hours(45), now);
        assert_eq!((s.state, s.minutes), (SlaState::Soon, 3 * 60));
        let s = sla(now - Duration::days(4), now);
        assert_eq!((s.state, s.minutes), (SlaState::Late, 2 * 1440));
    }
}
