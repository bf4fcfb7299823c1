use super::ApiError;
use crate::domain::desk::Board;
use crate::domain::ticket::{Notification, TicketSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(prefix = "/rpc", endpoint = "queues/approvals")]
pub async fn approval_queue() -> Result<Vec<TicketSummary>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::queues::approvals_for(&state.db, &actor).await?)
}

/// Where the desk listens for ticket changes (server-sent events; GA staff
/// only).
pub const TICKET_EVENTS_PATH: &str = "/events/tickets";

/// The board with the filters of the address (`/desk?category=…`); empty
/// values mean no filter, unknown ones are refused (422).
#[server(prefix = "/rpc", endpoint = "queues/desk")]
pub async fn load_desk(
    category: String,
    priority: String,
    assignee: String,
    overdue: String,
) -> Result<Board, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let filter = crate::domain::desk::BoardFilter::parse(&category, &priority, &assignee, &overdue)
        .map_err(crate::services::ServiceError::from)?;
    Ok(crate::services::queues::board(&state.db, &actor, &filter).await?)
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
