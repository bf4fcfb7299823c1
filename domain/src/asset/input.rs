//! Registering and editing an asset: the input and its rules.

use super::{
    AssetCategory, AssetCondition, AssetDetail, MAX_LOCATION, MAX_NAME, MAX_NOTES, MAX_SERIAL,
};
use crate::errors::{check_text, sane_date, FieldError, FieldErrors};
use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

/// `Some(None)` for an explicit `null`, `None` when the field is absent, so
/// a PATCH can clear a value.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// An asset to register. Without a tag the database assigns `AST-000123`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAsset {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Za-z0-9][A-Za-z0-9-]{1,39}$", example = "AST-000123")
    )]
    pub tag: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            example = "Laptop Lenovo ThinkPad E14"
        )
    )]
    pub name: String,
    pub category: AssetCategory,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub serial_number: Option<String>,
    #[serde(default = "default_condition")]
    pub condition: AssetCondition,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            example = "Kantor Pusat Jakarta, Gudang GA"
        )
    )]
    pub location: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_date: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchase_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warranty_end: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub notes: String,
}

fn default_condition() -> AssetCondition {
    AssetCondition::Good
}

pub(super) fn check_tag(errors: &mut FieldErrors, tag: &str) {
    let ok = (2..=40).contains(&tag.len())
        && tag
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !ok {
        errors.add("tag", FieldError::AssetTag);
    }
}

fn check_dates(errors: &mut FieldErrors, purchase: Option<NaiveDate>, warranty: Option<NaiveDate>) {
    if purchase.is_some_and(|d| !sane_date(d)) {
        errors.add("purchase_date", FieldError::date_out_of_range());
    }
    if warranty.is_some_and(|d| !sane_date(d)) {
        errors.add("warranty_end", FieldError::date_out_of_range());
    }
    if let (Some(p), Some(w)) = (purchase, warranty) {
        if w < p {
            errors.add("warranty_end", FieldError::WarrantyBeforePurchase);
        }
    }
}

fn check_serial(errors: &mut FieldErrors, serial: Option<&str>) {
    if let Some(s) = serial {
        check_text(errors, "serial_number", s, true, MAX_SERIAL);
    }
}

fn blank_to_none(value: Option<String>) -> Option<String> {
    value
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl NewAsset {
    /// Trims text and turns blank optional text into "none".
    pub fn normalized(mut self) -> Self {
        self.tag = blank_to_none(self.tag).map(|t| t.to_ascii_uppercase());
        self.serial_number = blank_to_none(self.serial_number);
        self.name = self.name.trim().to_string();
        self.location = self.location.trim().to_string();
        self.notes = self.notes.trim().to_string();
        self
    }

    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if let Some(tag) = &self.tag {
            check_tag(&mut e, tag);
        }
        check_text(&mut e, "name", &self.name, true, MAX_NAME);
        check_serial(&mut e, self.serial_number.as_deref());
        check_text(&mut e, "location", &self.location, true, MAX_LOCATION);
        check_text(&mut e, "notes", &self.notes, false, MAX_NOTES);
        check_dates(&mut e, self.purchase_date, self.warranty_end);
        e.into_result(())
    }
}

/// A change to an asset's descriptive fields; location, status and holder
/// change only through actions, so they keep their history.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<AssetCategory>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, max_length = 100))]
    pub serial_number: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<AssetCondition>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub purchase_date: Option<Option<NaiveDate>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Money>))]
    pub purchase_price: Option<Option<Money>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<NaiveDate>))]
    pub warranty_end: Option<Option<NaiveDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 4000))]
    pub notes: Option<String>,
}

impl AssetPatch {
    pub fn normalized(mut self) -> Self {
        self.name = self.name.map(|s| s.trim().to_string());
        self.serial_number = self.serial_number.map(blank_to_none);
        self.notes = self.notes.map(|s| s.trim().to_string());
        self
    }

    /// Names of the fields this patch sets, as recorded in history.
    pub fn fields(&self) -> Vec<&'static str> {
        let mut f = Vec::new();
        let mut add = |present: bool, name| {
            if present {
                f.push(name)
            }
        };
        add(self.name.is_some(), "name");
        add(self.category.is_some(), "category");
        add(self.serial_number.is_some(), "serial_number");
        add(self.condition.is_some(), "condition");
        add(self.purchase_date.is_some(), "purchase_date");
        add(self.purchase_price.is_some(), "purchase_price");
        add(self.warranty_end.is_some(), "warranty_end");
        add(self.notes.is_some(), "notes");
        f
    }

    /// Checks the patch against the asset as it is now (dates are checked
    /// together with the values they keep).
    pub fn validate(&self, current: &AssetDetail) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        if self.fields().is_empty() {
            e.add("body", FieldError::NothingChanged);
        }
        if let Some(n) = &self.name {
            check_text(&mut e, "name", n, true, MAX_NAME);
        }
        if let Some(s) = &self.serial_number {
            check_serial(&mut e, s.as_deref());
        }
        if let Some(n) = &self.notes {
            check_text(&mut e, "notes", n, false, MAX_NOTES);
        }
        let purchase = self.purchase_date.unwrap_or(current.purchase_date);
        let warranty = self.warranty_end.unwrap_or(current.warranty_end);
        check_dates(&mut e, purchase, warranty);
        e.into_result(())
    }
}
