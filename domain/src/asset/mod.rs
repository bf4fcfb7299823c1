//! Assets GA owns and hands out: what they are, which state they are in,
//! and which action is possible from which state.

mod command;
mod input;
mod query;

pub use command::{allowed, AssetCommand, AssetState};
pub use input::{AssetPatch, NewAsset};
pub use query::AssetQuery;

use crate::money::Money;
use crate::user::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
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
        Attach => "attach", "Files attached", "Berkas dilampirkan";
        RemoveAttachment => "remove_attachment", "File removed", "Berkas dihapus";
        Trip => "trip", "Pool-car trip", "Perjalanan mobil operasional";
    }
);

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
            .filter(|a| {
                !matches!(
                    a,
                    AssetAction::Register
                        | AssetAction::Attach
                        | AssetAction::RemoveAttachment
                        | AssetAction::Trip
                )
            })
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

#[cfg(test)]
mod tests {
    use super::input::check_tag;
    use super::*;
    use crate::errors::FieldErrors;
    use crate::refusal::Refusal;

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
                    A::Attach,
                    A::RemoveAttachment,
                    A::Trip,
                ],
            ),
            (
                S::CheckedOut,
                vec![
                    A::Edit,
                    A::CheckIn,
                    A::Move,
                    A::Attach,
                    A::RemoveAttachment,
                    A::Trip,
                ],
            ),
            (
                S::UnderMaintenance,
                vec![
                    A::Edit,
                    A::Move,
                    A::ReturnFromMaintenance,
                    A::Retire,
                    A::Attach,
                    A::RemoveAttachment,
                    A::Trip,
                ],
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
