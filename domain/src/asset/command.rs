//! The actions of an asset's life and which state allows which.

use super::{
    AssetAction, AssetCondition, AssetStatus, MAX_LOCATION, MAX_NAME, MAX_NOTE, MAX_REASON,
};
use crate::errors::{check_text, sane_date, FieldError, FieldErrors};
use crate::money::Money;
use crate::refusal::Refusal;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

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
        (A::Edit | A::Move | A::Attach | A::RemoveAttachment | A::Trip, _) => Ok(()),
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
