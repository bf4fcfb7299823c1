//! What the approver's dashboard shows: key figures and the series of its
//! two charts, already shaped for drawing.

use crate::domain::ticket::Category;
use chrono::NaiveDate;
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

/// "3 h", "2.5 days": a duration in hours, readable.
pub fn hours_text(hours: f64) -> String {
    if hours < 1.0 {
        format!("{} min", (hours * 60.0).round() as i64)
    } else if hours < 48.0 {
        format!("{hours:.1} h")
    } else {
        format!("{:.1} days", hours / 24.0)
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
        assert_eq!(hours_text(0.5), "30 min");
        assert_eq!(hours_text(5.25), "5.2 h");
        assert_eq!(hours_text(72.0), "3.0 days");
    }
}
