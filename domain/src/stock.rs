//! Consumable stock: items on shelves, their movements, and what approved
//! tickets hold of them.

use crate::errors::{check_text, FieldError, FieldErrors};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const MAX_QUANTITY: i32 = 1_000_000;
const MAX_REASON: usize = 500;

string_enum!(
    MovementKind {
        Receive => "receive", "Received", "Diterima";
        Issue => "issue", "Issued", "Dikeluarkan";
        Adjust => "adjust", "Adjusted", "Disesuaikan";
    }
);

/// A stock item as lists and pickers show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockItem {
    pub id: Uuid,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub location: String,
    pub unit_price: Money,
    pub on_hand: i32,
    /// Held for approved tickets, not yet handed out.
    pub reserved: i32,
    /// On hand minus reserved; negative when more is promised than is there.
    pub available: i32,
    pub reorder_level: i32,
    /// At or below the reorder level.
    pub low: bool,
    pub active: bool,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// What of a stock item prices ticket lines and decides reordering: kept
/// in the security log before and after every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockTerms {
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub unit_price: Money,
    pub reorder_level: i32,
    pub active: bool,
}

impl From<&StockItem> for StockTerms {
    fn from(i: &StockItem) -> Self {
        StockTerms {
            sku: i.sku.clone(),
            name: i.name.clone(),
            unit: i.unit.clone(),
            unit_price: i.unit_price,
            reorder_level: i.reorder_level,
            active: i.active,
        }
    }
}

impl crate::message::Arg for StockTerms {
    fn phrase(&self, lang: crate::Lang) -> String {
        let price = self.unit_price.format();
        match lang {
            crate::Lang::En => format!(
                "{} {} at {price} per {}, reorder at {}{}",
                self.sku,
                self.name,
                self.unit,
                self.reorder_level,
                if self.active { "" } else { ", not stocked" }
            ),
            crate::Lang::Id => format!(
                "{} {} seharga {price} per {}, pesan ulang pada {}{}",
                self.sku,
                self.name,
                self.unit,
                self.reorder_level,
                if self.active {
                    ""
                } else {
                    ", tidak disediakan"
                }
            ),
        }
    }
}

/// Whether an item needs reordering.
pub fn is_low(on_hand: i32, reorder_level: i32) -> bool {
    on_hand <= reorder_level
}

/// One movement of a stock item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Movement {
    pub id: i64,
    pub kind: MovementKind,
    pub delta: i32,
    pub on_hand_after: i32,
    pub reason: String,
    pub ticket_id: Option<Uuid>,
    pub ticket_number: Option<String>,
    pub actor_name: String,
    /// What GA Desk itself noted ("opening stock", "handed out for GA-…").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_note: Option<crate::events::SystemNote>,
    pub at: DateTime<Utc>,
}

/// A stock item to create. An opening quantity is recorded as a receipt,
/// so on hand always equals the sum of the movements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewStockItem {
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", example = "ATK-KRT-A4")
    )]
    pub sku: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, example = "Kertas A4 80gsm")
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 30, example = "rim")
    )]
    pub unit: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub location: String,
    #[serde(default = "zero")]
    pub unit_price: Money,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub on_hand: i32,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1000000))]
    pub reorder_level: i32,
}

fn zero() -> Money {
    Money::ZERO
}

fn check_sku(e: &mut FieldErrors, sku: &str) {
    let ok = (1..=40).contains(&sku.len())
        && sku
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && sku
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !ok {
        e.add("sku", FieldError::Sku);
    }
}

fn whole_number(min: i64) -> FieldError {
    FieldError::WholeNumber {
        min,
        max: i64::from(MAX_QUANTITY),
    }
}

fn check_count(e: &mut FieldErrors, field: &str, value: i32) {
    if !(0..=MAX_QUANTITY).contains(&value) {
        e.add(field, whole_number(0));
    }
}

impl NewStockItem {
    pub fn normalized(mut self) -> Self {
        self.sku = self.sku.trim().to_ascii_uppercase();
        self.name = self.name.trim().to_string();
        self.unit = self.unit.trim().to_string();
        self.location = self.location.trim().to_string();
        self
    }

    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        check_sku(&mut e, &self.sku);
        check_text(&mut e, "name", &self.name, true, 200);
        check_text(&mut e, "unit", &self.unit, true, 30);
        check_text(&mut e, "location", &self.location, false, 200);
        check_count(&mut e, "on_hand", self.on_hand);
        check_count(&mut e, "reorder_level", self.reorder_level);
        e.into_result(())
    }
}

/// A change to a stock item's descriptive fields; on hand changes only by
/// movements.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockItemPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Money>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorder_level: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

impl StockItemPatch {
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        let any = self.name.is_some()
            || self.unit.is_some()
            || self.location.is_some()
            || self.unit_price.is_some()
            || self.reorder_level.is_some()
            || self.active.is_some();
        if !any {
            e.add("body", FieldError::NothingChanged);
        }
        if let Some(n) = &self.name {
            check_text(&mut e, "name", n, true, 200);
        }
        if let Some(u) = &self.unit {
            check_text(&mut e, "unit", u, true, 30);
        }
        if let Some(l) = &self.location {
            check_text(&mut e, "location", l, false, 200);
        }
        if let Some(r) = self.reorder_level {
            check_count(&mut e, "reorder_level", r);
        }
        e.into_result(())
    }
}

/// A movement as entered by GA staff. Receipts and issues are positive
/// quantities; an adjustment is a signed correction with a reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMovement {
    pub kind: MovementKind,
    #[cfg_attr(feature = "openapi", schema(minimum = -1000000, maximum = 1000000, example = 20))]
    pub quantity: i32,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 500, example = "Pengiriman dari PT Sinar Dunia")
    )]
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket_id: Option<Uuid>,
}

impl NewMovement {
    /// The change to on hand, or what is wrong with the input.
    pub fn delta(&self) -> Result<i32, FieldErrors> {
        let mut e = FieldErrors::new();
        check_text(&mut e, "reason", &self.reason, false, MAX_REASON);
        let q = self.quantity;
        let delta = match self.kind {
            MovementKind::Receive | MovementKind::Issue => {
                if !(1..=MAX_QUANTITY).contains(&q) {
                    e.add("quantity", whole_number(1));
                }
                if self.kind == MovementKind::Issue {
                    -q
                } else {
                    q
                }
            }
            MovementKind::Adjust => {
                if q == 0 || !(-MAX_QUANTITY..=MAX_QUANTITY).contains(&q) {
                    e.add("quantity", FieldError::CorrectionNonZero);
                }
                if self.reason.trim().is_empty() {
                    e.add("reason", FieldError::CorrectionReason);
                }
                q
            }
        };
        e.into_result(delta)
    }
}

/// What a ticket needs of one stock item that is not there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shortage {
    pub stock_item_id: Uuid,
    pub sku: String,
    pub name: String,
    pub unit: String,
    pub needed: i32,
    pub on_hand: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn movement(kind: MovementKind, quantity: i32, reason: &str) -> NewMovement {
        NewMovement {
            kind,
            quantity,
            reason: reason.into(),
            ticket_id: None,
        }
    }

    #[test]
    fn movement_deltas() {
        assert_eq!(movement(MovementKind::Receive, 5, "").delta().unwrap(), 5);
        assert_eq!(movement(MovementKind::Issue, 5, "").delta().unwrap(), -5);
        assert_eq!(
            movement(MovementKind::Adjust, -3, "rusak").delta().unwrap(),
            -3
        );
        assert!(movement(MovementKind::Receive, 0, "").delta().is_err());
        assert!(movement(MovementKind::Issue, -2, "").delta().is_err());
        assert!(movement(MovementKind::Adjust, 0, "x").delta().is_err());
        let e = movement(MovementKind::Adjust, 2, " ").delta().unwrap_err();
        assert!(e.get("reason").is_some());
        assert!(movement(MovementKind::Receive, MAX_QUANTITY + 1, "")
            .delta()
            .is_err());
    }

    #[test]
    fn new_item_rules() {
        let item = NewStockItem {
            sku: " atk-krt-a4 ".into(),
            name: "Kertas A4".into(),
            unit: "rim".into(),
            location: String::new(),
            unit_price: Money::ZERO,
            on_hand: -1,
            reorder_level: 5,
        }
        .normalized();
        assert_eq!(item.sku, "ATK-KRT-A4");
        assert!(item.validate().unwrap_err().get("on_hand").is_some());
        let mut e = FieldErrors::new();
        check_sku(&mut e, "ATK KRT");
        assert!(e.get("sku").is_some());
    }

    #[test]
    fn low_is_at_or_below_reorder_level() {
        assert!(is_low(5, 5));
        assert!(is_low(0, 0));
        assert!(!is_low(6, 5));
    }
}
