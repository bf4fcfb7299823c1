//! Sites (head office, branches) with their zone, working week and closed
//! days, and approvers' out-of-office delegation: the values the service
//! levels are computed on, and their checks.

use crate::errors::{check_text, FieldError, FieldErrors};
use crate::holidays::HolidayKind;
use crate::user::UserRef;
use crate::working_time::{Calendar, WeeklyHours};
use crate::Zone;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The site every row belonged to before there were sites.
pub const HEAD_OFFICE: Uuid = Uuid::from_u128(0x0192f000_0000_7000_8000_000000000001);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Site {
    pub id: Uuid,
    /// Short code, for example `MKS`.
    pub code: String,
    pub name: String,
    /// `Asia/Jakarta` (WIB), `Asia/Makassar` (WITA) or `Asia/Jayapura` (WIT).
    pub time_zone: String,
    pub hours: WeeklyHours,
    pub active: bool,
    pub version: i32,
}

impl Site {
    pub fn zone(&self) -> Zone {
        Zone::from_code(&self.time_zone).unwrap_or_default()
    }

    pub fn calendar(&self, closed: BTreeSet<NaiveDate>) -> Calendar {
        Calendar {
            zone: self.zone(),
            hours: self.hours.clone(),
            closed,
        }
    }
}

/// A new site or a change of one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteInput {
    pub code: String,
    pub name: String,
    pub time_zone: String,
    pub hours: WeeklyHours,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl SiteInput {
    pub fn validate(mut self) -> Result<SiteInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.code = self.code.trim().to_uppercase();
        let code_ok = (2..=12).contains(&self.code.len())
            && self
                .code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-')
            && !self.code.starts_with('-');
        if !code_ok {
            errors.add("code", FieldError::SiteCode);
        }
        self.name = self.name.trim().to_string();
        check_text(&mut errors, "name", &self.name, true, 120);
        if Zone::from_code(&self.time_zone).is_none() {
            errors.add(
                "time_zone",
                FieldError::OneOf {
                    allowed: Zone::ALL.map(Zone::code).join(", "),
                },
            );
        }
        if self.hours.check().is_err() {
            errors.add("hours", FieldError::WorkingHours);
        }
        errors.into_result(self)
    }
}

/// A day a site (or every site) is closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedDay {
    pub id: i64,
    /// `null`: every site (national holidays and cuti bersama).
    pub site_id: Option<Uuid>,
    pub day: NaiveDate,
    pub kind: HolidayKind,
    pub name_id: String,
    pub name_en: String,
}

impl ClosedDay {
    pub fn name(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Id => &self.name_id,
            crate::Lang::En => &self.name_en,
        }
    }
}

/// A day to close. A site closure needs its site; the decreed days apply
/// to all sites unless a site is named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClosedDayInput {
    #[serde(default)]
    pub site_id: Option<Uuid>,
    pub day: NaiveDate,
    pub kind: HolidayKind,
    pub name_id: String,
    /// Defaults to the Indonesian name.
    #[serde(default)]
    pub name_en: String,
}

impl ClosedDayInput {
    pub fn validate(mut self) -> Result<ClosedDayInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.name_id = self.name_id.trim().to_string();
        self.name_en = self.name_en.trim().to_string();
        if self.name_en.is_empty() {
            self.name_en = self.name_id.clone();
        }
        check_text(&mut errors, "name_id", &self.name_id, true, 200);
        check_text(&mut errors, "name_en", &self.name_en, true, 200);
        if !crate::errors::sane_date(self.day) {
            errors.add("day", FieldError::date_out_of_range());
        }
        if self.kind == HolidayKind::Closure && self.site_id.is_none() {
            errors.add("site_id", FieldError::Required);
        }
        errors.into_result(self)
    }
}

/// An approver away, and who decides for them meanwhile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Delegation {
    pub id: Uuid,
    #[cfg_attr(feature = "sqlx", sqlx(json))]
    pub user: UserRef,
    #[cfg_attr(feature = "sqlx", sqlx(json))]
    pub delegate: UserRef,
    /// First day away, in the away person's zone.
    pub starts_on: NaiveDate,
    /// Last day away (inclusive).
    pub ends_on: NaiveDate,
    pub note: String,
    pub version: i32,
}

/// Setting out of office. `user_id` is for administrators setting it for
/// someone who is away; people set their own without it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DelegationInput {
    #[serde(default)]
    pub user_id: Option<Uuid>,
    pub delegate_id: Uuid,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[serde(default)]
    pub note: String,
}

impl DelegationInput {
    /// Checks what needs no database; `user` is whose absence it is and
    /// `today` their local date.
    pub fn validate(
        mut self,
        user: Uuid,
        today: NaiveDate,
    ) -> Result<DelegationInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.delegate_id == user {
            errors.add("delegate_id", FieldError::OwnDelegate);
        }
        if !crate::errors::sane_date(self.starts_on) {
            errors.add("starts_on", FieldError::date_out_of_range());
        }
        if !crate::errors::sane_date(self.ends_on) {
            errors.add("ends_on", FieldError::date_out_of_range());
        } else if self.ends_on < self.starts_on {
            errors.add("ends_on", FieldError::EndBeforeStart);
        } else if self.ends_on < today {
            errors.add("ends_on", FieldError::EndedAlready);
        }
        self.note = self.note.trim().to_string();
        check_text(&mut errors, "note", &self.note, false, 500);
        errors.into_result(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_site_needs_a_code_a_zone_and_working_time() {
        let ok = SiteInput {
            code: " mks ".into(),
            name: "Cabang Makassar".into(),
            time_zone: "Asia/Makassar".into(),
            hours: WeeklyHours::indonesian_office(),
            active: true,
        }
        .validate()
        .unwrap();
        assert_eq!(ok.code, "MKS");
        let bad = SiteInput {
            code: "-".into(),
            name: " ".into(),
            time_zone: "Europe/Paris".into(),
            hours: WeeklyHours {
                days: Default::default(),
            },
            active: true,
        }
        .validate()
        .unwrap_err();
        for f in ["code", "name", "time_zone", "hours"] {
            assert!(bad.get(f).is_some(), "{f}");
        }
    }

    #[test]
    fn nobody_delegates_to_themselves_or_backwards() {
        let me = Uuid::now_v7();
        let input = DelegationInput {
            user_id: None,
            delegate_id: me,
            starts_on: d(2026, 12, 10),
            ends_on: d(2026, 12, 9),
            note: String::new(),
        };
        let e = input.validate(me, d(2026, 12, 1)).unwrap_err();
        assert_eq!(e.get("delegate_id"), Some(&FieldError::OwnDelegate));
        assert_eq!(e.get("ends_on"), Some(&FieldError::EndBeforeStart));
        let past = DelegationInput {
            user_id: None,
            delegate_id: Uuid::now_v7(),
            starts_on: d(2026, 11, 1),
            ends_on: d(2026, 11, 5),
            note: String::new(),
        };
        assert_eq!(
            past.validate(me, d(2026, 12, 1))
                .unwrap_err()
                .get("ends_on"),
            Some(&FieldError::EndedAlready)
        );
    }

    #[test]
    fn a_closure_belongs_to_a_site() {
        let e = ClosedDayInput {
            site_id: None,
            day: d(2026, 12, 31),
            kind: HolidayKind::Closure,
            name_id: "Renovasi".into(),
            name_en: String::new(),
        }
        .validate()
        .unwrap_err();
        assert_eq!(e.get("site_id"), Some(&FieldError::Required));
    }
}
