//! The summary report: its date range (Jakarta days, checked) and the
//! figures and series it shows.

use crate::ticket::query::parse_day;
use crate::ticket::Category;
use crate::{FieldError, FieldErrors};
use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A report covers at most this many months.
pub const MAX_RANGE_MONTHS: u32 = 24;

/// Why a report's date range is refused, and which end is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RangeError {
    BadFrom(FieldError),
    BadTo(FieldError),
    FromAfterTo,
    TooLong,
}

impl RangeError {
    pub fn field(&self) -> &'static str {
        match self {
            RangeError::BadFrom(_) | RangeError::FromAfterTo => "from",
            RangeError::BadTo(_) | RangeError::TooLong => "to",
        }
    }

    pub fn problem(&self) -> FieldError {
        match self {
            RangeError::BadFrom(e) | RangeError::BadTo(e) => e.clone(),
            RangeError::FromAfterTo => FieldError::StartAfterEnd,
            RangeError::TooLong => FieldError::RangeTooLong {
                months: MAX_RANGE_MONTHS,
            },
        }
    }

    pub fn into_field_errors(self) -> FieldErrors {
        FieldErrors::single(self.field(), self.problem())
    }
}

/// The Jakarta days a report covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

impl ReportRange {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, RangeError> {
        if from > to {
            return Err(RangeError::FromAfterTo);
        }
        match from.checked_add_months(Months::new(MAX_RANGE_MONTHS)) {
            Some(limit) if to <= limit => Ok(Self { from, to }),
            _ => Err(RangeError::TooLong),
        }
    }

    /// From the address (`?from=2026-11-01&to=2026-11-30`); an empty or
    /// missing end is today, an empty or missing start the first of the
    /// end's month, so no parameters mean this month so far.
    pub fn parse(
        from: Option<&str>,
        to: Option<&str>,
        today: NaiveDate,
    ) -> Result<Self, RangeError> {
        fn day(v: Option<&str>) -> Option<&str> {
            v.map(str::trim).filter(|v| !v.is_empty())
        }
        let to = match day(to) {
            None => today,
            Some(v) => parse_day(v).map_err(RangeError::BadTo)?,
        };
        let from = match day(from) {
            None => first_of_month(to),
            Some(v) => parse_day(v).map_err(RangeError::BadFrom)?,
        };
        Self::new(from, to)
    }

    pub fn this_month(today: NaiveDate) -> Self {
        Self {
            from: first_of_month(today),
            to: today,
        }
    }

    pub fn last_month(today: NaiveDate) -> Self {
        let to = first_of_month(today) - Duration::days(1);
        Self {
            from: first_of_month(to),
            to,
        }
    }

    pub fn this_year(today: NaiveDate) -> Self {
        Self {
            from: NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today),
            to: today,
        }
    }

    /// Up to about three months a chart by week reads better; beyond that,
    /// by month.
    pub fn weekly(&self) -> bool {
        (self.to - self.from).num_days() <= 92
    }

    /// Mondays of the weeks the range touches, oldest first.
    pub fn weeks(&self) -> Vec<NaiveDate> {
        let mut monday =
            self.from - Duration::days(self.from.weekday().num_days_from_monday() as i64);
        let mut out = Vec::new();
        while monday <= self.to {
            out.push(monday);
            monday += Duration::weeks(1);
        }
        out
    }

    /// First days of the months the range touches, oldest first.
    pub fn months(&self) -> Vec<NaiveDate> {
        let mut month = first_of_month(self.from);
        let mut out = Vec::new();
        while month <= self.to {
            out.push(month);
            match month.checked_add_months(Months::new(1)) {
                Some(next) => month = next,
                None => break,
            }
        }
        out
    }
}

/// Today in Jakarta, where the company's days begin.
pub fn jakarta_today(now: DateTime<Utc>) -> NaiveDate {
    (now + Duration::hours(7)).date_naive()
}

/// A count per key (a status or a category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Count {
    pub key: String,
    pub count: i64,
}

/// Rupiah per key (a category).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Amount {
    pub key: String,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2500000.00"))]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Month {
    /// `2026-11`
    pub month: String,
    pub tickets: i64,
    /// Sums can exceed what one ticket may cost, so they are plain decimal
    /// strings here.
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2500000.00"))]
    pub estimated_total: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2500000.00"))]
    pub actual_total: Decimal,
}

/// Tickets created in one week (its Monday, Jakarta).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Week {
    pub week: NaiveDate,
    pub tickets: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub tickets: i64,
    #[serde(with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2500000.00"))]
    pub estimated_total: Decimal,
    /// Tickets that were completed (some may be closed since).
    #[serde(default)]
    pub completed: i64,
    /// What approved work costs: the actual cost once completed, else the
    /// estimate; over tickets approved and not rejected or cancelled.
    #[serde(default, with = "rust_decimal::serde::str")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2500000.00"))]
    pub approved_spend: Decimal,
    pub by_status: Vec<Count>,
    pub by_category: Vec<Count>,
    /// `approved_spend` per category, largest first.
    #[serde(default)]
    pub spend_by_category: Vec<Amount>,
    pub by_month: Vec<Month>,
    /// Weeks with at least one ticket, oldest first.
    #[serde(default)]
    pub by_week: Vec<Week>,
    /// Hours from creation to approval, over tickets that were approved.
    pub avg_approval_hours: Option<f64>,
    /// Hours from creation to completion, over tickets that were completed.
    pub avg_completion_hours: Option<f64>,
    /// Service levels met, per site and category (working time of each
    /// site: its holidays and closed hours never count against GA).
    #[serde(default)]
    pub attainment: Vec<Attainment>,
}

/// How many tickets of one site and category met their targets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attainment {
    pub site: String,
    pub category: String,
    /// Tickets GA responded to, and of them those on time.
    pub responded: i64,
    pub responded_on_time: i64,
    /// Tickets completed, and of them those on time.
    pub resolved: i64,
    pub resolved_on_time: i64,
}

impl Attainment {
    /// Whole per cent on time, when anything was resolved.
    pub fn resolved_percent(&self) -> Option<i64> {
        (self.resolved > 0).then(|| self.resolved_on_time * 100 / self.resolved)
    }

    pub fn responded_percent(&self) -> Option<i64> {
        (self.responded > 0).then(|| self.responded_on_time * 100 / self.responded)
    }
}

/// One bar of a chart: a label and a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar<K> {
    pub key: K,
    pub value: f64,
}

impl Summary {
    pub fn range(&self) -> ReportRange {
        ReportRange {
            from: self.from,
            to: self.to,
        }
    }

    /// Tickets per week over every week of the range, empty weeks as 0.
    pub fn tickets_per_week(&self) -> Vec<Bar<NaiveDate>> {
        self.range()
            .weeks()
            .into_iter()
            .map(|week| Bar {
                key: week,
                value: self
                    .by_week
                    .iter()
                    .find(|w| w.week == week)
                    .map_or(0.0, |w| w.tickets as f64),
            })
            .collect()
    }

    /// Tickets per month over every month of the range, empty months as 0.
    pub fn tickets_per_month(&self) -> Vec<Bar<NaiveDate>> {
        self.range()
            .months()
            .into_iter()
            .map(|month| {
                let key = format!("{:04}-{:02}", month.year(), month.month());
                Bar {
                    key: month,
                    value: self
                        .by_month
                        .iter()
                        .find(|m| m.month == key)
                        .map_or(0.0, |m| m.tickets as f64),
                }
            })
            .collect()
    }

    /// Approved spend per category, in the categories' fixed order, only
    /// those with spend.
    pub fn spend_per_category(&self) -> Vec<Bar<Category>> {
        Category::ALL
            .iter()
            .filter_map(|c| {
                let amount = self
                    .spend_by_category
                    .iter()
                    .find(|a| a.key == c.as_str())?
                    .amount;
                (amount > Decimal::ZERO).then(|| Bar {
                    key: *c,
                    value: amount.to_f64().unwrap_or(0.0),
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn report_ranges_default_to_this_month_and_are_checked() {
        let today = d(2026, 11, 30);
        assert_eq!(
            ReportRange::parse(None, None, today),
            Ok(ReportRange {
                from: d(2026, 11, 1),
                to: today
            })
        );
        assert_eq!(
            ReportRange::parse(Some(""), Some("2026-10-15"), today),
            Ok(ReportRange {
                from: d(2026, 10, 1),
                to: d(2026, 10, 15)
            })
        );
        assert_eq!(
            ReportRange::parse(Some("2026-11-02"), Some("2026-11-01"), today),
            Err(RangeError::FromAfterTo)
        );
        assert_eq!(
            ReportRange::parse(Some("2024-11-30"), Some("2026-11-30"), today).map(|r| r.from),
            Ok(d(2024, 11, 30))
        );
        assert_eq!(
            ReportRange::parse(Some("2024-11-29"), Some("2026-11-30"), today),
            Err(RangeError::TooLong)
        );
        let bad = ReportRange::parse(Some("kemarin"), None, today).unwrap_err();
        assert_eq!(bad.field(), "from");
        assert_eq!(bad.problem(), FieldError::NotADate);
        assert_eq!(
            RangeError::TooLong.into_field_errors().get("to"),
            Some(&FieldError::RangeTooLong { months: 24 })
        );
    }

    #[test]
    fn presets_and_buckets() {
        let today = d(2026, 1, 14);
        assert_eq!(
            ReportRange::last_month(today),
            ReportRange {
                from: d(2025, 12, 1),
                to: d(2025, 12, 31)
            }
        );
        assert_eq!(ReportRange::this_year(today).from, d(2026, 1, 1));
        let r = ReportRange {
            from: d(2026, 11, 1),
            to: d(2026, 11, 30),
        };
        assert!(r.weekly());
        // 1 Nov 2026 is a Sunday: its week began on Monday 26 Oct.
        assert_eq!(r.weeks().first(), Some(&d(2026, 10, 26)));
        assert_eq!(r.weeks().last(), Some(&d(2026, 11, 30)));
        assert_eq!(r.weeks().len(), 6);
        let y = ReportRange {
            from: d(2025, 11, 15),
            to: d(2026, 2, 20),
        };
        assert!(!y.weekly());
        assert_eq!(
            y.months(),
            vec![d(2025, 11, 1), d(2025, 12, 1), d(2026, 1, 1), d(2026, 2, 1)]
        );
    }

    #[test]
    fn report_series_fill_the_gaps() {
        let s = Summary {
            from: d(2026, 11, 1),
            to: d(2026, 11, 30),
            tickets: 3,
            estimated_total: Decimal::from(10),
            completed: 0,
            approved_spend: Decimal::from(7),
            by_status: vec![],
            by_category: vec![],
            spend_by_category: vec![
                Amount {
                    key: "pantry_supplies".into(),
                    amount: Decimal::from(5),
                },
                Amount {
                    key: "office_supplies".into(),
                    amount: Decimal::from(2),
                },
            ],
            by_month: vec![Month {
                month: "2026-11".into(),
                tickets: 3,
                estimated_total: Decimal::from(10),
                actual_total: Decimal::ZERO,
            }],
            by_week: vec![Week {
                week: d(2026, 11, 9),
                tickets: 3,
            }],
            avg_approval_hours: None,
            avg_completion_hours: None,
            attainment: vec![],
        };
        let weeks = s.tickets_per_week();
        assert_eq!(weeks.len(), 6);
        assert_eq!(weeks.iter().map(|b| b.value).sum::<f64>(), 3.0);
        assert_eq!(
            weeks[2],
            Bar {
                key: d(2026, 11, 9),
                value: 3.0
            }
        );
        assert_eq!(
            s.tickets_per_month(),
            vec![Bar {
                key: d(2026, 11, 1),
                value: 3.0
            }]
        );
        let spend = s.spend_per_category();
        assert_eq!(
            spend.iter().map(|b| b.key).collect::<Vec<_>>(),
            vec![Category::OfficeSupplies, Category::PantrySupplies]
        );
    }
}
