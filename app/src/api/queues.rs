use super::ApiError;
use crate::domain::ticket::{Notification, TicketSummary};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[server(prefix = "/rpc", endpoint = "queues/approvals")]
pub async fn approval_queue() -> Result<Vec<TicketSummary>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::queues::approvals_for(&state.db, &actor).await?)
}

/// The GA desk's four lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeskData {
    pub triage: Vec<TicketSummary>,
    pub unassigned: Vec<TicketSummary>,
    pub mine: Vec<TicketSummary>,
    pub in_progress: Vec<TicketSummary>,
}

#[server(prefix = "/rpc", endpoint = "queues/desk")]
pub async fn desk() -> Result<DeskData, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let d = crate::services::queues::desk(&state.db, &actor).await?;
    Ok(DeskData {
        triage: d.triage,
        unassigned: d.unassigned,
        mine: d.mine,
        in_progress: d.in_progress,
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
