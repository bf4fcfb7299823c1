//! Creating a ticket: the form as typed (`TicketDraft`), the typed request
//! (`NewTicket`), and the rules both must pass.

use super::kinds::{Category, Priority};
use crate::errors::{check_text, FieldError, FieldErrors};
use crate::money::{Money, MoneyError};
use serde::{Deserialize, Serialize};

pub const MAX_ITEMS: usize = 50;
pub const MAX_QUANTITY: u32 = 1_000_000;
const MAX_TITLE: usize = 200;
const MAX_DESCRIPTION: usize = 10_000;
const MAX_LOCATION: usize = 200;
const MAX_ITEM_NAME: usize = 200;
const MAX_UNIT: usize = 30;

/// One item line as typed in the form: every field is still text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemDraft {
    pub name: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    /// Set when the line was picked from stock.
    #[serde(default)]
    pub stock_item_id: Option<uuid::Uuid>,
}

impl From<&super::TicketItem> for ItemDraft {
    /// An existing item line, typed the way a person would type it.
    fn from(i: &super::TicketItem) -> Self {
        ItemDraft {
            name: i.name.clone(),
            quantity: i.quantity.to_string(),
            unit: i.unit.clone(),
            unit_price: i.unit_price.input_text(),
            stock_item_id: i.stock_item_id,
        }
    }
}

/// The new-ticket form as typed. The browser computes its live total and the
/// server parses it with the same code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDraft {
    pub title: String,
    pub description: String,
    pub category: Category,
    pub priority: Priority,
    pub location: String,
    pub items: Vec<ItemDraft>,
}

impl Default for TicketDraft {
    fn default() -> Self {
        Self {
            title: String::new(),
            description: String::new(),
            category: Category::OfficeSupplies,
            priority: Priority::Medium,
            location: String::new(),
            items: vec![ItemDraft {
                quantity: "1".into(),
                unit: "pcs".into(),
                ..ItemDraft::default()
            }],
        }
    }
}

/// A requested item, typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewItem {
    /// Required, except on a line taken from stock, which gets its name,
    /// unit and price from the stock item.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, example = "Kertas A4 80gsm")
    )]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(minimum = 1, maximum = 1000000, example = 10)
    )]
    pub quantity: u32,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 30, example = "rim")
    )]
    pub unit: String,
    #[serde(default)]
    pub unit_price: Money,
    /// A stock item this line takes from the shelves: reserved on approval,
    /// issued on completion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_item_id: Option<uuid::Uuid>,
}

/// A ticket to create, typed. Clients never send totals, status or owner:
/// the server computes and sets those.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewTicket {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, example = "Kertas untuk lantai 7")
    )]
    pub title: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: String,
    pub category: Category,
    #[serde(default = "default_priority")]
    pub priority: Priority,
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 200,
            example = "Kantor Pusat Jakarta, Lantai 7"
        )
    )]
    pub location: String,
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub items: Vec<NewItem>,
}

fn default_priority() -> Priority {
    Priority::Medium
}

impl NewItem {
    /// This line as sent for a stock item: the item and the quantity only.
    pub fn from_stock(self) -> NewItem {
        NewItem {
            name: String::new(),
            unit: String::new(),
            unit_price: Money::ZERO,
            ..self
        }
    }
}

fn parse_quantity(text: &str) -> Option<u32> {
    let t = text.trim();
    if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    t.parse::<u32>()
        .ok()
        .filter(|q| (1..=MAX_QUANTITY).contains(q))
}

fn quantity_error() -> FieldError {
    FieldError::WholeNumber {
        min: 1,
        max: i64::from(MAX_QUANTITY),
    }
}

impl ItemDraft {
    /// The line total while typing: `None` while quantity or price are
    /// incomplete, an error when the product is out of range.
    pub fn line_total(&self) -> Option<Result<Money, MoneyError>> {
        let q = parse_quantity(&self.quantity)?;
        let p = Money::parse_input(&self.unit_price).ok()?;
        Some(p.checked_mul(q))
    }
}

impl TicketDraft {
    /// The total shown while the user types: incomplete lines count as zero.
    /// Fails only when the sum itself is out of range.
    pub fn live_total(&self) -> Result<Money, MoneyError> {
        self.items
            .iter()
            .filter_map(ItemDraft::line_total)
            .try_fold(Money::ZERO, |sum, line| sum.checked_add(line?))
    }

    /// Parses every field, collecting all errors at once.
    pub fn parse(&self) -> Result<NewTicket, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut items = Vec::with_capacity(self.items.len());
        for (i, item) in self.items.iter().enumerate() {
            let quantity = parse_quantity(&item.quantity);
            if quantity.is_none() {
                errors.add(format!("items[{i}].quantity"), quantity_error());
            }
            let price = Money::parse_input(&item.unit_price);
            if let Err(e) = price {
                errors.add(format!("items[{i}].unit_price"), e.into());
            }
            let mut line = NewItem {
                name: item.name.clone(),
                quantity: quantity.unwrap_or(1),
                unit: item.unit.clone(),
                unit_price: price.unwrap_or(Money::ZERO),
                stock_item_id: item.stock_item_id,
            };
            if line.stock_item_id.is_some() {
                // The server prices stock lines from the item itself.
                line = line.from_stock();
            }
            items.push(line);
        }
        let ticket = NewTicket {
            title: self.title.clone(),
            description: self.description.clone(),
            category: self.category,
            priority: self.priority,
            location: self.location.clone(),
            items,
        };
        if let Err(more) = ticket.validate() {
            errors.merge(more);
        }
        errors.into_result(ticket.normalized())
    }
}

/// Checks a list of items and returns their total (zero when invalid).
fn validate_items(errors: &mut FieldErrors, items: &[NewItem]) -> Money {
    if items.is_empty() {
        errors.add("items", FieldError::ItemsRequired);
    } else if items.len() > MAX_ITEMS {
        errors.add(
            "items",
            FieldError::TooManyItems {
                max: MAX_ITEMS as u32,
            },
        );
    }
    let mut total = Money::ZERO;
    for (i, item) in items.iter().enumerate() {
        // A stock line's name and unit come from the item (the server
        // fills them in before it checks the total).
        let typed = item.stock_item_id.is_none();
        check_text(
            errors,
            &format!("items[{i}].name"),
            &item.name,
            typed,
            MAX_ITEM_NAME,
        );
        check_text(
            errors,
            &format!("items[{i}].unit"),
            &item.unit,
            typed,
            MAX_UNIT,
        );
        if !(1..=MAX_QUANTITY).contains(&item.quantity) {
            errors.add(format!("items[{i}].quantity"), quantity_error());
            continue;
        }
        match item.unit_price.checked_mul(item.quantity) {
            Ok(line) => match total.checked_add(line) {
                Ok(t) => total = t,
                Err(_) => errors.add("items", MoneyError::TooLarge.into()),
            },
            Err(_) => errors.add(
                format!("items[{i}].unit_price"),
                FieldError::LineTotalTooLarge { max: Money::max() },
            ),
        }
    }
    total
}

fn trim_items(items: &mut [NewItem]) {
    for item in items {
        item.name = item.name.trim().to_string();
        item.unit = item.unit.trim().to_string();
    }
}

/// A change to an existing ticket: only the fields present change. The
/// version is the one the client saw (or comes from `If-Match`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 10000))]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<Priority>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_items = 1, max_items = 50))]
    pub items: Option<Vec<NewItem>>,
}

impl TicketPatch {
    /// Names of the fields this patch changes, as recorded in history.
    pub fn fields(&self) -> Vec<&'static str> {
        let mut f = Vec::new();
        if self.title.is_some() {
            f.push("title");
        }
        if self.description.is_some() {
            f.push("description");
        }
        if self.priority.is_some() {
            f.push("priority");
        }
        if self.location.is_some() {
            f.push("location");
        }
        if self.items.is_some() {
            f.push("items");
        }
        f
    }

    /// Checks the present fields; returns the new items' total, if any.
    pub fn validate(&self) -> Result<Option<Money>, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.fields().is_empty() {
            errors.add("patch", FieldError::NothingChanged);
        }
        if let Some(t) = &self.title {
            check_text(&mut errors, "title", t, true, MAX_TITLE);
        }
        if let Some(d) = &self.description {
            check_text(&mut errors, "description", d, false, MAX_DESCRIPTION);
        }
        if let Some(l) = &self.location {
            check_text(&mut errors, "location", l, true, MAX_LOCATION);
        }
        let total = self
            .items
            .as_ref()
            .map(|items| validate_items(&mut errors, items));
        errors.into_result(total)
    }

    pub fn normalized(mut self) -> Self {
        self.title = self.title.map(|t| t.trim().to_string());
        self.description = self.description.map(|t| t.trim().to_string());
        self.location = self.location.map(|t| t.trim().to_string());
        if let Some(items) = &mut self.items {
            trim_items(items);
        }
        self
    }
}

impl NewTicket {
    /// Checks every rule and returns the estimated total (sum of lines).
    pub fn validate(&self) -> Result<Money, FieldErrors> {
        let mut errors = FieldErrors::new();
        check_text(&mut errors, "title", &self.title, true, MAX_TITLE);
        check_text(
            &mut errors,
            "description",
            &self.description,
            false,
            MAX_DESCRIPTION,
        );
        check_text(&mut errors, "location", &self.location, true, MAX_LOCATION);
        let total = validate_items(&mut errors, &self.items);
        errors.into_result(total)
    }

    /// Trims the texts the way they will be stored.
    pub fn normalized(mut self) -> Self {
        self.title = self.title.trim().to_string();
        self.description = self.description.trim().to_string();
        self.location = self.location.trim().to_string();
        trim_items(&mut self.items);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, q: &str, unit: &str, price: &str) -> ItemDraft {
        ItemDraft {
            name: name.into(),
            quantity: q.into(),
            unit: unit.into(),
            unit_price: price.into(),
            stock_item_id: None,
        }
    }

    fn draft() -> TicketDraft {
        TicketDraft {
            title: "Kertas untuk lantai 7".into(),
            description: "Stok habis".into(),
            category: Category::OfficeSupplies,
            priority: Priority::Medium,
            location: "Kantor Pusat Jakarta, Lantai 7".into(),
            items: vec![
                item("Kertas A4 80gsm", "10", "rim", "55.000"),
                item("Toner printer laser", "2", "pcs", "1.250.000"),
            ],
        }
    }

    #[test]
    fn live_total_sums_complete_lines() {
        let mut d = draft();
        assert_eq!(d.live_total().unwrap().to_string(), "Rp 3.050.000");
        d.items.push(item("Half typed", "", "pcs", "10.000"));
        assert_eq!(d.live_total().unwrap().to_string(), "Rp 3.050.000");
        d.items
            .push(item("Huge", "1000000", "pcs", "1.000.000.000"));
        assert!(d.live_total().is_err());
    }

    #[test]
    fn parse_gives_typed_trimmed_ticket_and_same_total() {
        let mut d = draft();
        d.title = "  Kertas  ".into();
        let t = d.parse().unwrap();
        assert_eq!(t.title, "Kertas");
        assert_eq!(t.items[1].quantity, 2);
        assert_eq!(t.validate().unwrap(), d.live_total().unwrap());
    }

    #[test]
    fn parse_reports_every_bad_field() {
        let mut d = draft();
        d.title = " ".into();
        d.location = String::new();
        d.items[0] = item("", "0", "", "-5");
        d.items[1].unit_price = "abc".into();
        let e = d.parse().unwrap_err();
        assert_eq!(e.get("title"), Some(&FieldError::Required));
        assert!(e.get("location").is_some());
        assert!(e.get("items[0].name").is_some());
        assert!(e.get("items[0].unit").is_some());
        assert!(e.get("items[0].quantity").is_some());
        assert_eq!(
            e.get("items[0].unit_price"),
            Some(&FieldError::AmountNegative)
        );
        assert!(e.get("items[1].unit_price").is_some());
    }

    #[test]
    fn needs_items_and_limits_them() {
        let mut d = draft();
        d.items.clear();
        assert_eq!(
            d.parse().unwrap_err().get("items"),
            Some(&FieldError::ItemsRequired)
        );
        d.items = vec![item("x", "1", "pcs", "1"); MAX_ITEMS + 1];
        assert!(d.parse().unwrap_err().get("items").is_some());
    }

    #[test]
    fn absurd_totals_are_rejected() {
        let mut d = draft();
        d.items = vec![item("Gedung", "2", "unit", "600.000.000.000")];
        assert!(d.parse().unwrap_err().get("items[0].unit_price").is_some());
        d.items = vec![
            item("Gedung", "1", "unit", "600.000.000.000"),
            item("Gedung", "1", "unit", "600.000.000.000"),
        ];
        assert!(d.parse().unwrap_err().get("items").is_some());
    }

    #[test]
    fn patches_name_their_fields_and_validate_only_those() {
        let p: TicketPatch = serde_json::from_str(r#"{"version":3,"title":"  Baru  "}"#).unwrap();
        assert_eq!(p.fields(), vec!["title"]);
        assert_eq!(p.validate().unwrap(), None);
        assert_eq!(p.normalized().title.as_deref(), Some("Baru"));
        let empty = TicketPatch::default();
        assert!(empty.validate().unwrap_err().get("patch").is_some());
        let bad: TicketPatch = serde_json::from_str(r#"{"location":" ","items":[]}"#).unwrap();
        let e = bad.validate().unwrap_err();
        assert!(e.get("location").is_some() && e.get("items").is_some());
        assert!(serde_json::from_str::<TicketPatch>(r#"{"status":"approved"}"#).is_err());
        assert!(serde_json::from_str::<TicketPatch>(r#"{"category":"meeting_room"}"#).is_err());
        let items: TicketPatch = serde_json::from_str(
            r#"{"items":[{"name":"Kopi","quantity":2,"unit":"kg","unit_price":"180000"}]}"#,
        )
        .unwrap();
        assert_eq!(
            items.validate().unwrap(),
            Some(Money::from_rupiah(360_000).unwrap())
        );
    }

    #[test]
    fn json_rejects_unknown_fields_and_totals() {
        let ok = r#"{"title":"A","category":"pantry_supplies","location":"L","items":[{"name":"Kopi","quantity":2,"unit":"kg","unit_price":"180000.00"}]}"#;
        let t: NewTicket = serde_json::from_str(ok).unwrap();
        assert_eq!(t.priority, Priority::Medium);
        assert_eq!(t.validate().unwrap().to_string(), "Rp 360.000");
        let extra = ok.replace(r#""title":"A""#, r#""title":"A","estimated_total":"1""#);
        assert!(serde_json::from_str::<NewTicket>(&extra).is_err());
        let neg = ok
            .replace("\"2\"", "-2")
            .replace("\"quantity\":2", "\"quantity\":-2");
        assert!(serde_json::from_str::<NewTicket>(&neg).is_err());
    }
}
