//! What clients see of a ticket.

use super::kinds::{Category, Priority, Resolution, TicketStatus};
use super::lifecycle::{ApprovalRecord, Decision, TicketState};
use crate::money::Money;
use crate::user::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A row of a ticket list: everything a list shows, in one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct TicketSummary {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub category: Category,
    pub priority: Priority,
    pub status: TicketStatus,
    pub estimated_total: Money,
    pub requester_name: String,
    pub assignee_name: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Where the running service-level clock stands, in working time of
    /// the ticket's site (work queues only).
    #[cfg_attr(feature = "sqlx", sqlx(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub due: Option<crate::service_level::DueState>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketItem {
    pub line_no: i32,
    pub name: String,
    pub quantity: u32,
    pub unit: String,
    pub unit_price: Money,
    pub line_total: Money,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stock_item_id: Option<Uuid>,
}

/// A whole ticket with its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketDetail {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub priority: Priority,
    pub location: String,
    pub status: TicketStatus,
    pub resolution: Option<Resolution>,
    pub requester: UserRef,
    pub assignee: Option<UserRef>,
    pub items: Vec<TicketItem>,
    pub estimated_total: Money,
    pub actual_total: Option<Money>,
    pub due_date: Option<NaiveDate>,
    /// Approval levels the current total needs under the current policy.
    pub required_levels: u8,
    pub awaiting_level: Option<u8>,
    /// Who must decide the awaited level; `None` means any approver.
    pub awaiting_approver: Option<UserRef>,
    /// Who decides for the awaited approver while they are out of office.
    #[serde(default)]
    pub awaiting_delegate: Option<UserRef>,
    /// The requester's manager, when that manager may approve.
    pub manager_id: Option<Uuid>,
    pub approval_round: i32,
    /// Every decision ever taken on this ticket, oldest first.
    pub approvals: Vec<ApprovalView>,
    pub completed_at: Option<DateTime<Utc>>,
    /// An actual cost above the approved total, waiting for approval before
    /// the ticket completes.
    pub pending_cost: Option<Money>,
    /// An extra cost approved earlier.
    pub approved_cost: Option<Money>,
    /// How far (per cent) the actual cost may exceed what was approved.
    pub cost_tolerance_percent: u32,
    /// Open tickets of the same requester and category from the last
    /// 7 days that, with this one, reach an approval threshold each stays
    /// under (shown to whoever decides).
    #[serde(default)]
    pub split_with: Vec<SplitTicket>,
    /// The office whose hours and holidays the service levels count in.
    #[serde(default)]
    pub site: Option<SiteRef>,
    #[serde(default)]
    pub service: ServiceLevels,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A site as a ticket, a person or an asset names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SiteRef {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub time_zone: String,
}

/// A ticket's due times (working time of its site) and where it stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceLevels {
    pub approval_due_at: Option<DateTime<Utc>>,
    pub response_due_at: Option<DateTime<Utc>>,
    pub resolution_due_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    /// Waiting for the requester since then: no clock runs.
    pub paused_at: Option<DateTime<Utc>>,
    /// The clock running now and its due time.
    pub clock: Option<crate::service_level::Clock>,
    pub next_due_at: Option<DateTime<Utc>>,
    /// The clock running now and the working time left on it.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub now: Option<crate::service_level::DueState>,
}

/// Another ticket counted with this one as a possibly split purchase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct SplitTicket {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub estimated_total: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApprovalView {
    pub round: i32,
    pub level: u8,
    pub approver: UserRef,
    /// The approver this decision was taken for, by their delegate.
    #[serde(default)]
    pub on_behalf_of: Option<UserRef>,
    pub decision: Decision,
    pub note: String,
    pub at: DateTime<Utc>,
}

impl ServiceLevels {
    /// Puts where the ticket stands into working time of its site.
    pub fn read_on(&mut self, calendar: &crate::working_time::Calendar, now: DateTime<Utc>) {
        self.now = crate::service_level::due_state(
            self.clock,
            self.next_due_at,
            self.paused_at.is_some(),
            calendar,
            now,
        );
    }
}

impl TicketDetail {
    /// This ticket and the others it may have been split from, together.
    pub fn combined_total(&self) -> Money {
        crate::approval::combined_total(
            self.estimated_total,
            self.split_with.iter().map(|t| t.estimated_total),
        )
    }

    /// The facts the state machine decides on.
    pub fn state(&self) -> TicketState {
        TicketState {
            status: self.status,
            resolution: self.resolution,
            requester_id: self.requester.id,
            manager_id: self.manager_id,
            assignee_id: self.assignee.as_ref().map(|a| a.id),
            estimated_total: self.estimated_total,
            required_levels: self.required_levels,
            awaiting_level: self.awaiting_level,
            awaiting_approver_id: self.awaiting_approver.as_ref().map(|a| a.id),
            awaiting_delegate_id: self.awaiting_delegate.as_ref().map(|a| a.id),
            paused: self.service.paused_at.is_some(),
            approvals: self
                .approvals
                .iter()
                .filter(|a| a.round == self.approval_round && a.decision == Decision::Approved)
                .map(|a| ApprovalRecord {
                    level: a.level,
                    approver_id: a.approver.id,
                })
                .collect(),
            actual_total: self.actual_total,
            completed_at: self.completed_at,
            pending_cost: self.pending_cost,
            approved_cost: self.approved_cost,
            cost_tolerance_percent: self.cost_tolerance_percent,
        }
    }
}

/// One line of a ticket's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub version: i32,
    /// `None` for changes GA Desk made itself (auto-close).
    pub actor: Option<UserRef>,
    pub action: String,
    pub from_status: Option<TicketStatus>,
    pub to_status: TicketStatus,
    pub changed_fields: Vec<String>,
    /// What the person wrote (a reason, a note).
    pub note: String,
    /// What GA Desk itself noted ("closed automatically…"), read in the
    /// reader's language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_note: Option<crate::events::SystemNote>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Comment {
    pub id: Uuid,
    pub author: UserRef,
    pub body: String,
    /// Internal notes are visible to GA staff only.
    pub internal: bool,
    pub at: DateTime<Utc>,
}

/// A notification as its reader sees it; the notice is put into words
/// when shown, in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    pub id: i64,
    pub ticket_id: Option<Uuid>,
    pub notice: crate::events::Notice,
    pub at: DateTime<Utc>,
    pub read: bool,
}
