//! Assets GA owns and hands out: what they are, which state they are in,
//! and which action is possible from which state.

use crate::errors::{check_text, sane_date, FieldError, FieldErrors};
use crate::money::Money;
use crate::refusal::Refusal;
use crate::user::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use uuid::Uuid;

const MAX_NAME: usize = 200;
const MAX_LOCATION: usize = 200;
const MAX_SERIAL: usize = 100;
const MAX_NOTES: usize = 4000;
const MAX_NOTE: usize = 2000;
const MAX_REASON: usize = 1000;

string_enum!(
    AssetCategory {
        Laptop => "laptop", "Laptop", "Laptop";
        Desktop => "desktop", "Desktop computer", "Komputer desktop";
        Monitor => "monitor", "Monitor", "Monitor";
        Phone => "phone", "Phone", "Telepon";
        Projector => "projector", "Projector", "Proyektor";
        Printer => "printer", "Printer", "Printer";
        Network => "network", "Network device", "Perangkat jaringan";
        Furniture => "furniture", "Furniture", "Perabot";
        Vehicle => "vehicle", "Vehicle", "Kendaraan";
        Appliance => "appliance", "Appliance", "Peralatan elektronik";
        Other => "other", "Other", "Lainnya";
    }
);

string_enum!(
    AssetCondition {
        New => "new", "New", "Baru";
        Good => "good", "Good", "Baik";
        Fair => "fair", "Fair", "Cukup";
        Poor => "poor", "Poor", "Kurang";
        Broken => "broken", "Broken", "Rusak";
    }
);

string_enum!(
    AssetStatus {
        Available => "available", "Available", "Tersedia";
        CheckedOut => "checked_out", "Checked out", "Dipinjam";
        UnderMaintenance => "under_maintenance", "Under maintenance", "Dalam perbaikan";
        Retired => "retired", "Retired", "Dihapuskan";
    }
);

string_enum!(
    /// What can happen to an asset; each writes one history row.
    AssetAction {
        Register => "register", "Registered", "Didaftarkan";
        Edit => "edit", "Edited", "Diubah";
        CheckOut => "check_out", "Checked out", "Dipinjam";
        CheckIn => "check_in", "Checked in", "Dikembalikan";
        Move => "move", "Moved", "Dipindahkan";
        SendToMaintenance => "send_to_maintenance", "Sent to maintenance", "Dikirim ke perbaikan";
        ReturnFromMaintenance => "return_from_maintenance", "Back from maintenance", "Kembali dari perbaikan";
        Retire => "retire", "Retired", "Dihapuskan";
    }
);

/// Filters of the asset list and its CSV export, as the address or the
/// query string gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct AssetQuery {
    /// Words in tag, name, serial number or location; an exact tag or serial also matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(max_length = 100))]
    pub q: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AssetStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<AssetCategory>,
    /// Part of the location, e.g. "Lantai 3".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(max_length = 200))]
    pub location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<Uuid>,
    /// Only assets the caller holds ("my assets").
    #[serde(default)]
    pub mine: bool,
    /// Warranty ends within this many days from today (Jakarta).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 0, maximum = 3650))]
    pub warranty_days: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 100))]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl AssetQuery {
    /// The filters as a query string (for links such as the CSV export);
    /// blank text is no filter.
    pub fn to_query(&self) -> String {
        let enc = crate::page::encode_query_value;
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(enc)
        };
        let mut parts: Vec<String> = Vec::new();
        if let Some(q) = text(&self.q) {
            parts.push(format!("q={q}"));
        }
        if let Some(s) = self.status {
            parts.push(format!("status={}", s.as_str()));
        }
        if let Some(c) = self.category {
            parts.push(format!("category={}", c.as_str()));
        }
        if let Some(l) = text(&self.location) {
            parts.push(format!("location={l}"));
        }
        if let Some(h) = self.holder {
            parts.push(format!("holder={h}"));
        }
        if self.mine {
            parts.push("mine=true".into());
        }
        if let Some(d) = self.warranty_days {
            parts.push(format!("warranty_days={d}"));
        }
        parts.join("&")
    }

    /// Blank text filters are none.
    pub fn normalized(mut self) -> Self {
        let blank = |v: Option<String>| v.filter(|t| !t.trim().is_empty());
        self.q = blank(self.q);
        self.location = blank(self.location);
        self.cursor = blank(self.cursor);
        self
    }
}

/// `Some(None)` for an explicit `null`, `None` when the field is absent, so
/// a PATCH can clear a value.
fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A row of the asset list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct AssetSummary {
    pub id: Uuid,
    pub tag: String,
    pub name: String,
    pub category: AssetCategory,
    pub condition: AssetCondition,
    pub status: AssetStatus,
    pub location: String,
    pub holder_name: Option<String>,
    pub warranty_end: Option<NaiveDate>,
    pub version: i32,
}

/// An open or past maintenance visit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MaintenanceView {
    pub vendor: String,
    pub cost: Money,
    pub sent_on: NaiveDate,
    pub expected_back: Option<NaiveDate>,
    pub returned_on: Option<NaiveDate>,
    pub note: String,
}

/// A whole asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetDetail {
    pub id: Uuid,
    pub tag: String,
    pub name: String,
    pub category: AssetCategory,
    pub serial_number: Option<String>,
    pub condition: AssetCondition,
    pub location: String,
    pub status: AssetStatus,
    pub holder: Option<UserRef>,
    pub purchase_date: Option<NaiveDate>,
    pub purchase_price: Option<Money>,
    pub warranty_end: Option<NaiveDate>,
    pub notes: String,
    pub retired_reason: Option<String>,
    /// Maintenance visits, newest first.
    pub maintenance: Vec<MaintenanceView>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AssetDetail {
    /// The actions this asset's state allows (who may act is checked
    /// separately, by permission).
    pub fn available_actions(&self) -> Vec<AssetAction> {
        AssetAction::ALL
            .iter()
            .copied()
            .filter(|a| *a != AssetAction::Register)
            .filter(|a| allowed(self.status, self.condition, *a).is_ok())
            .collect()
    }
}

/// One line of an asset's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssetHistoryEntry {
    pub version: i32,
    pub action: AssetAction,
    pub actor_name: String,
    pub from_status: Option<AssetStatus>,
    pub to_status: AssetStatus,
    pub changed_fields: Vec<String>,
    pub holder_name: Option<String>,
    pub ticket_id: Option<Uuid>,
    pub ticket_number: Option<String>,
    pub note: String,
    /// What GA Desk itself noted ("handed out for GA-…").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_note: Option<crate::events::SystemNote>,
    pub at: DateTime<Utc>,
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

fn check_tag(errors: &mut FieldErrors, tag: &str) {
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

/// An action on an asset, with what it needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum AssetCommand {
    CheckOut {
        holder_id: Uuid,
        #[serde(default)]
        note: String,
    },
    CheckIn {
        condition: AssetCondition,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        location: Option<String>,
        #[serde(default)]
        note: String,
    },
    Move {
        location: String,
        #[serde(default)]
        note: String,
    },
    SendToMaintenance {
        vendor: String,
        #[serde(default = "zero")]
        cost: Money,
        sent_on: NaiveDate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected_back: Option<NaiveDate>,
        #[serde(default)]
        note: String,
    },
    ReturnFromMaintenance {
        condition: AssetCondition,
        returned_on: NaiveDate,
        /// The final cost, when it differs from the estimate.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        cost: Option<Money>,
        #[serde(default)]
        note: String,
    },
    Retire {
        reason: String,
    },
}

fn zero() -> Money {
    Money::ZERO
}

impl AssetCommand {
    pub fn action(&self) -> AssetAction {
        match self {
            AssetCommand::CheckOut { .. } => AssetAction::CheckOut,
            AssetCommand::CheckIn { .. } => AssetAction::CheckIn,
            AssetCommand::Move { .. } => AssetAction::Move,
            AssetCommand::SendToMaintenance { .. } => AssetAction::SendToMaintenance,
            AssetCommand::ReturnFromMaintenance { .. } => AssetAction::ReturnFromMaintenance,
            AssetCommand::Retire { .. } => AssetAction::Retire,
        }
    }

    /// The note recorded in history.
    pub fn note(&self) -> String {
        match self {
            AssetCommand::CheckOut { note, .. }
            | AssetCommand::CheckIn { note, .. }
            | AssetCommand::Move { note, .. }
            | AssetCommand::SendToMaintenance { note, .. }
            | AssetCommand::ReturnFromMaintenance { note, .. } => note.trim().to_string(),
            AssetCommand::Retire { reason } => reason.trim().to_string(),
        }
    }

    /// Checks the command's own fields.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut e = FieldErrors::new();
        match self {
            AssetCommand::CheckOut { note, .. } | AssetCommand::Move { note, .. } => {
                check_text(&mut e, "note", note, false, MAX_NOTE);
            }
            AssetCommand::CheckIn { location, note, .. } => {
                if let Some(l) = location {
                    check_text(&mut e, "location", l, true, MAX_LOCATION);
                }
                check_text(&mut e, "note", note, false, MAX_NOTE);
            }
            AssetCommand::SendToMaintenance {
                vendor,
                sent_on,
                expected_back,
                note,
                ..
            } => {
                check_text(&mut e, "vendor", vendor, true, MAX_NAME);
                check_text(&mut e, "note", note, false, MAX_NOTE);
                if !sane_date(*sent_on) {
                    e.add("sent_on", FieldError::date_out_of_range());
                }
                if expected_back.is_some_and(|b| b < *sent_on || !sane_date(b)) {
                    e.add("expected_back", FieldError::ExpectedBackBeforeSent);
                }
            }
            AssetCommand::ReturnFromMaintenance {
                returned_on, note, ..
            } => {
                check_text(&mut e, "note", note, false, MAX_NOTE);
                if !sane_date(*returned_on) {
                    e.add("returned_on", FieldError::date_out_of_range());
                }
            }
            AssetCommand::Retire { reason } => {
                check_text(&mut e, "reason", reason, true, MAX_REASON);
            }
        }
        if let AssetCommand::Move { location, .. } = self {
            check_text(&mut e, "location", location, true, MAX_LOCATION);
        }
        e.into_result(())
    }
}

/// Whether an action is possible from a state; the refusal says why not.
pub fn allowed(
    status: AssetStatus,
    condition: AssetCondition,
    action: AssetAction,
) -> Result<(), Refusal> {
    use AssetAction as A;
    use AssetStatus as S;
    match (action, status) {
        (_, S::Retired) => Err(Refusal::AssetRetired),
        (A::Register, _) => Err(Refusal::AssetAlreadyRegistered),
        (A::Edit | A::Move, _) => Ok(()),
        (A::CheckOut, S::Available) if condition == AssetCondition::Broken => {
            Err(Refusal::AssetBroken)
        }
        (A::CheckOut, S::Available) => Ok(()),
        (A::CheckOut, status) => Err(Refusal::AssetNotAvailable { status }),
        (A::CheckIn, S::CheckedOut) => Ok(()),
        (A::CheckIn, status) => Err(Refusal::AssetNotCheckedOut { status }),
        (A::SendToMaintenance, S::Available) => Ok(()),
        (A::SendToMaintenance, S::CheckedOut) => Err(Refusal::CheckInBeforeMaintenance),
        (A::SendToMaintenance, _) => Err(Refusal::AlreadyInMaintenance),
        (A::ReturnFromMaintenance, S::UnderMaintenance) => Ok(()),
        (A::ReturnFromMaintenance, _) => Err(Refusal::NotInMaintenance),
        (A::Retire, S::Available | S::UnderMaintenance) => Ok(()),
        (A::Retire, _) => Err(Refusal::CheckInBeforeRetiring),
    }
}

/// The asset's state after an action: status, holder, condition, location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetState {
    pub status: AssetStatus,
    pub holder_id: Option<Uuid>,
    pub condition: AssetCondition,
    pub location: String,
    pub retired_reason: Option<String>,
}

impl AssetState {
    /// Applies a (validated, allowed) command.
    pub fn apply(&self, command: &AssetCommand) -> AssetState {
        let mut next = self.clone();
        match command {
            AssetCommand::CheckOut { holder_id, .. } => {
                next.status = AssetStatus::CheckedOut;
                next.holder_id = Some(*holder_id);
            }
            AssetCommand::CheckIn {
                condition,
                location,
                ..
            } => {
                next.status = AssetStatus::Available;
                next.holder_id = None;
                next.condition = *condition;
                if let Some(l) = location {
                    next.location = l.trim().to_string();
                }
            }
            AssetCommand::Move { location, .. } => next.location = location.trim().to_string(),
            AssetCommand::SendToMaintenance { .. } => next.status = AssetStatus::UnderMaintenance,
            AssetCommand::ReturnFromMaintenance { condition, .. } => {
                next.status = AssetStatus::Available;
                next.condition = *condition;
            }
            AssetCommand::Retire { reason } => {
                next.status = AssetStatus::Retired;
                next.holder_id = None;
                next.retired_reason = Some(reason.trim().to_string());
            }
        }
        next
    }

    /// Names of what an action changed, for history.
    pub fn changed_fields(&self, after: &AssetState) -> Vec<String> {
        let mut f = Vec::new();
        if self.status != after.status {
            f.push("status".to_string());
        }
        if self.holder_id != after.holder_id {
            f.push("holder".to_string());
        }
        if self.condition != after.condition {
            f.push("condition".to_string());
        }
        if self.location != after.location {
            f.push("location".to_string());
        }
        f
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(status: AssetStatus) -> AssetState {
        AssetState {
            status,
            holder_id: (status == AssetStatus::CheckedOut).then(Uuid::nil),
            condition: AssetCondition::Good,
            location: "Gudang".into(),
            retired_reason: None,
        }
    }

    #[test]
    fn every_action_from_every_state() {
        use AssetAction as A;
        use AssetStatus as S;
        // (status, actions allowed)
        let table = [
            (
                S::Available,
                vec![
                    A::Edit,
                    A::CheckOut,
                    A::Move,
                    A::SendToMaintenance,
                    A::Retire,
                ],
            ),
            (S::CheckedOut, vec![A::Edit, A::CheckIn, A::Move]),
            (
                S::UnderMaintenance,
                vec![A::Edit, A::Move, A::ReturnFromMaintenance, A::Retire],
            ),
            (S::Retired, vec![]),
        ];
        for (status, ok) in table {
            for action in AssetAction::ALL {
                let got = allowed(status, AssetCondition::Good, *action);
                assert_eq!(
                    got.is_ok(),
                    ok.contains(action),
                    "{status:?} {action:?}: {got:?}"
                );
                if let Err(r) = got {
                    assert_eq!(r.kind(), crate::ErrorKind::Illegal);
                }
            }
        }
    }

    #[test]
    fn broken_assets_are_not_handed_out() {
        let e = allowed(
            AssetStatus::Available,
            AssetCondition::Broken,
            AssetAction::CheckOut,
        );
        assert_eq!(e, Err(Refusal::AssetBroken));
    }

    #[test]
    fn apply_keeps_holder_and_status_consistent() {
        let holder = Uuid::from_u128(7);
        let out = state(AssetStatus::Available).apply(&AssetCommand::CheckOut {
            holder_id: holder,
            note: String::new(),
        });
        assert_eq!(
            (out.status, out.holder_id),
            (AssetStatus::CheckedOut, Some(holder))
        );
        let back = out.apply(&AssetCommand::CheckIn {
            condition: AssetCondition::Fair,
            location: Some(" Lantai 3 ".into()),
            note: String::new(),
        });
        assert_eq!(back.status, AssetStatus::Available);
        assert_eq!(back.holder_id, None);
        assert_eq!(back.location, "Lantai 3");
        assert_eq!(
            out.changed_fields(&back),
            ["status", "holder", "condition", "location"]
        );
        let retired = back.apply(&AssetCommand::Retire {
            reason: "rusak".into(),
        });
        assert_eq!(retired.retired_reason.as_deref(), Some("rusak"));
    }

    #[test]
    fn commands_validate_their_fields() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let bad = AssetCommand::SendToMaintenance {
            vendor: " ".into(),
            cost: Money::ZERO,
            sent_on: day,
            expected_back: day.pred_opt(),
            note: String::new(),
        };
        let e = bad.validate().unwrap_err();
        assert!(e.get("vendor").is_some() && e.get("expected_back").is_some());
        assert!(AssetCommand::Retire { reason: "".into() }
            .validate()
            .is_err());
        assert!(AssetCommand::Move {
            location: "".into(),
            note: String::new()
        }
        .validate()
        .is_err());
    }

    #[test]
    fn new_asset_rules() {
        let a = NewAsset {
            tag: Some(" ast-9 ".into()),
            name: " Proyektor Epson ".into(),
            category: AssetCategory::Projector,
            serial_number: Some("  ".into()),
            condition: AssetCondition::New,
            location: "Ruang Rapat Melati".into(),
            purchase_date: NaiveDate::from_ymd_opt(2025, 1, 1),
            purchase_price: None,
            warranty_end: NaiveDate::from_ymd_opt(2024, 1, 1),
            notes: String::new(),
        }
        .normalized();
        assert_eq!(a.tag.as_deref(), Some("AST-9"));
        assert_eq!(a.serial_number, None);
        let e = a.validate().unwrap_err();
        assert!(e.get("warranty_end").is_some());
        let mut e = FieldErrors::new();
        check_tag(&mut e, "AST 1");
        assert!(e.get("tag").is_some());
    }

    #[test]
    fn patch_distinguishes_null_from_absent() {
        let p: AssetPatch = serde_json::from_str(r#"{"version":3,"warranty_end":null}"#).unwrap();
        assert_eq!(p.warranty_end, Some(None));
        assert_eq!(p.purchase_date, None);
        assert_eq!(p.fields(), ["warranty_end"]);
        assert!(serde_json::from_str::<AssetPatch>(r#"{"status":"retired"}"#).is_err());
        assert!(serde_json::from_str::<AssetPatch>(r#"{"holder_id":null}"#).is_err());
    }
}
