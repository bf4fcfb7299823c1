//! Ticket list queries: filters, the whitelisted sort keys, and parsing of
//! the query string (repeatable `status`, `-` for descending).

use super::kinds::{Category, Priority, TicketStatus};
use crate::errors::FieldError;
use crate::page::{page_size, MAX_PAGE_SIZE};
use crate::refusal::Refusal;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Priority,
    Number,
    EstimatedTotal,
}

impl SortField {
    pub const ALL: [SortField; 5] = [
        SortField::CreatedAt,
        SortField::UpdatedAt,
        SortField::Priority,
        SortField::Number,
        SortField::EstimatedTotal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortField::CreatedAt => "created_at",
            SortField::UpdatedAt => "updated_at",
            SortField::Priority => "priority",
            SortField::Number => "number",
            SortField::EstimatedTotal => "estimated_total",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub field: SortField,
    pub descending: bool,
}

impl Default for Sort {
    /// Newest first.
    fn default() -> Self {
        Sort {
            field: SortField::CreatedAt,
            descending: true,
        }
    }
}

impl Sort {
    pub fn parse(s: &str) -> Result<Sort, FieldError> {
        let (descending, name) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        SortField::ALL
            .into_iter()
            .find(|f| f.as_str() == name)
            .map(|field| Sort { field, descending })
            .ok_or_else(|| FieldError::OneOf {
                allowed: SortField::ALL
                    .map(|f| format!("{0}, -{0}", f.as_str()))
                    .join(", "),
            })
    }

    pub fn to_param(self) -> String {
        format!(
            "{}{}",
            if self.descending { "-" } else { "" },
            self.field.as_str()
        )
    }
}

/// What a list asks for. Built only by [`TicketQuery::parse`] or in code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketQuery {
    pub statuses: Vec<TicketStatus>,
    pub category: Option<Category>,
    pub priority: Option<Priority>,
    pub requester: Option<Uuid>,
    pub assignee: Option<Uuid>,
    pub created_from: Option<NaiveDate>,
    pub created_to: Option<NaiveDate>,
    pub q: Option<String>,
    pub sort: Sort,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

pub const MAX_SEARCH_CHARS: usize = 200;

const FIRST_DAY_YEAR: i32 = 2000;
const LAST_DAY_YEAR: i32 = 2100;

/// A calendar day `YYYY-MM-DD` between the years 2000 and 2100.
pub fn parse_day(value: &str) -> Result<NaiveDate, FieldError> {
    use chrono::Datelike;
    let d = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| FieldError::NotADate)?;
    if (FIRST_DAY_YEAR..=LAST_DAY_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(FieldError::DateOutOfRange {
            first: FIRST_DAY_YEAR,
            last: LAST_DAY_YEAR,
        })
    }
}

impl TicketQuery {
    /// Parses decoded `(key, value)` pairs of a query string. Unknown keys,
    /// repeated single-valued keys and bad values are errors naming the key.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<TicketQuery, Refusal> {
        let mut q = TicketQuery::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, value) in pairs {
            if key != "status" {
                if seen.contains(&key) {
                    return Err(Refusal::RepeatedParameter { name: key.into() });
                }
                seen.push(key);
            }
            let bad = |problem: FieldError| Refusal::BadParameter {
                name: key.into(),
                problem,
            };
            match key {
                "status" => {
                    for part in value.split(',').filter(|s| !s.is_empty()) {
                        let s = part.parse().map_err(bad)?;
                        if !q.statuses.contains(&s) {
                            q.statuses.push(s);
                        }
                    }
                }
                "category" => q.category = Some(value.parse().map_err(bad)?),
                "priority" => q.priority = Some(value.parse().map_err(bad)?),
                "requester" => {
                    q.requester =
                        Some(Uuid::parse_str(value).map_err(|_| bad(FieldError::NotAnId))?)
                }
                "assignee" => {
                    q.assignee = Some(Uuid::parse_str(value).map_err(|_| bad(FieldError::NotAnId))?)
                }
                "created_from" => q.created_from = Some(parse_day(value).map_err(bad)?),
                "created_to" => q.created_to = Some(parse_day(value).map_err(bad)?),
                "q" => {
                    let t = value.trim();
                    if t.chars().count() > MAX_SEARCH_CHARS {
                        return Err(bad(FieldError::TooLong {
                            max: MAX_SEARCH_CHARS as u32,
                        }));
                    }
                    if t.chars().any(char::is_control) {
                        return Err(bad(FieldError::ControlCharacters));
                    }
                    q.q = (!t.is_empty()).then(|| t.to_string());
                }
                "sort" => q.sort = Sort::parse(value).map_err(bad)?,
                "limit" => {
                    let n: u32 = value.parse().map_err(|_| {
                        bad(FieldError::WholeNumber {
                            min: 1,
                            max: i64::from(MAX_PAGE_SIZE),
                        })
                    })?;
                    q.limit = Some(page_size(Some(n))?);
                }
                "cursor" => q.cursor = (!value.is_empty()).then(|| value.to_string()),
                _ => return Err(Refusal::UnknownParameter { name: key.into() }),
            }
        }
        if let (Some(from), Some(to)) = (q.created_from, q.created_to) {
            if from > to {
                return Err(Refusal::BadParameter {
                    name: "created_from".into(),
                    problem: FieldError::StartAfterEnd,
                });
            }
        }
        Ok(q)
    }

    /// The filters and sort as one string: a cursor is only valid for the
    /// query that produced it.
    pub fn fingerprint(&self) -> String {
        let mut statuses: Vec<&str> = self.statuses.iter().map(|s| s.as_str()).collect();
        statuses.sort_unstable();
        format!(
            "{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{}",
            statuses.join(","),
            self.category.map(|c| c.as_str()),
            self.priority.map(|p| p.as_str()),
            self.requester,
            self.assignee,
            self.created_from,
            self.created_to,
            self.q,
            self.sort.to_param()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_filters_and_sort() {
        let q = TicketQuery::parse([
            ("status", "pending"),
            ("status", "approved,in_progress"),
            ("category", "pantry_supplies"),
            ("sort", "-estimated_total"),
            ("limit", "50"),
            ("created_from", "2026-01-01"),
            ("q", "  kopi "),
        ])
        .unwrap();
        assert_eq!(
            q.statuses,
            vec![
                TicketStatus::Pending,
                TicketStatus::Approved,
                TicketStatus::InProgress
            ]
        );
        assert_eq!(
            q.sort,
            Sort {
                field: SortField::EstimatedTotal,
                descending: true
            }
        );
        assert_eq!(q.limit, Some(50));
        assert_eq!(q.q.as_deref(), Some("kopi"));
        assert_eq!(TicketQuery::parse([]).unwrap().sort, Sort::default());
    }

    #[test]
    fn refuses_what_it_does_not_know() {
        for bad in [
            vec![("sort", "password")],
            vec![("sort", "created_at; drop table tickets")],
            vec![("status", "lost")],
            vec![("limit", "0")],
            vec![("limit", "101")],
            vec![("limit", "-1")],
            vec![("requester", "me")],
            vec![("created_from", "yesterday")],
            vec![("created_to", "+262143-12-31")],
            vec![("created_to", "1900-01-01")],
            vec![("created_from", "2026-02-01"), ("created_to", "2026-01-01")],
            vec![("category", "x"), ("category", "y")],
            vec![("admin", "true")],
            vec![("q", "a\u{0}b")],
        ] {
            assert!(TicketQuery::parse(bad.clone()).is_err(), "{bad:?}");
        }
        let long = "x".repeat(201);
        assert!(TicketQuery::parse([("q", long.as_str())]).is_err());
    }

    #[test]
    fn fingerprints_ignore_status_order() {
        let a = TicketQuery::parse([("status", "pending,approved")]).unwrap();
        let b = TicketQuery::parse([("status", "approved"), ("status", "pending")]).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        let c = TicketQuery::parse([("status", "approved")]).unwrap();
        assert_ne!(a.fingerprint(), c.fingerprint());
    }
}
