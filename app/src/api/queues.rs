use super::ApiError;
use crate::domain::ticket::{Notification, TicketStatus, TicketSummary};
use crate::domain::UserRef;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "queues/approvals")]
pub async fn approval_queue() -> Result<Vec<TicketSummary>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::queues::approvals_for(&state.db, &actor).await?)
}

/// Where the desk listens for ticket changes (server-sent events; GA staff
/// only).
pub const TICKET_EVENTS_PATH: &str = "/events/tickets";

/// A card on the desk board.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskCard {
    pub ticket: TicketSummary,
    pub assignee_id: Option<Uuid>,
    /// Open longer than the service level allows.
    pub overdue: bool,
}

/// One status on the board: how many tickets are in it, and the oldest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskColumn {
    pub status: TicketStatus,
    pub total: i64,
    /// False when the column holds more than `total` (counting stops at
    /// 1 000).
    pub counted_all: bool,
    pub cards: Vec<DeskCard>,
}

/// The GA desk board: pending, approved, in progress, completed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskBoard {
    pub columns: Vec<DeskColumn>,
    /// GA staff, whom the assignee filter offers.
    pub assignees: Vec<UserRef>,
}

/// The board with the filters of the address (`/desk?category=…`); empty
/// values mean no filter, unknown ones are refused (422).
#[server(prefix = "/rpc", endpoint = "queues/desk")]
pub async fn load_desk(
    category: String,
    priority: String,
    assignee: String,
    overdue: String,
) -> Result<DeskBoard, ApiError> {
    use crate::services::queues::{self, BoardFilter};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let filter = BoardFilter::parse(&category, &priority, &assignee, &overdue)
        .map_err(crate::services::ServiceError::from)?;
    let board = queues::board(&state.db, &actor, &filter).await?;
    let assignees = queues::assignees(&state.db, &actor).await?;
    Ok(DeskBoard {
        columns: board
            .columns
            .into_iter()
            .map(|c| DeskColumn {
                status: c.status,
                total: c.total,
                counted_all: c.counted_all,
                cards: c
                    .cards
                    .into_iter()
                    .map(|card| DeskCard {
                        ticket: card.ticket,
                        assignee_id: card.assignee_id,
                        overdue: card.overdue,
                    })
                    .collect(),
            })
            .collect(),
        assignees,
    })
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Inbox {
    pub items: Vec<Notification>,
    pub unread: i64,
}

#[server(prefix = "/rpc", endpoint = "notifications")]
pub async fn notifications() -> Result<Inbox, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let (items, unread) = crate::services::notifications::recent(&state.db, &actor, 15).await?;
    Ok(Inbox { items, unread })
}

#[server(prefix = "/rpc", endpoint = "notifications/read")]
pub async fn mark_notifications_read() -> Result<(), ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::notifications::mark_all_read(&state.db, &actor).await?)
}
