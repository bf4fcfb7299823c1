use super::ApiError;
use crate::domain::ticket::{TicketDetail, TicketDraft, TicketSummary};
use crate::domain::Page;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

/// Creates a ticket from the form as typed; the server parses and checks
/// every field again with the same rules the browser used.
#[server(prefix = "/rpc", endpoint = "tickets/create", input = Json)]
pub async fn create_ticket(draft: TicketDraft) -> Result<TicketDetail, ApiError> {
    let state = super::ctx::state()?;
    let session = super::ctx::session()?;
    let ticket = draft.parse().map_err(ApiError::Validation)?;
    Ok(
        crate::services::tickets::create_ticket(&state.db, &session.actor, &state.policy, ticket)
            .await?,
    )
}

/// One page of the caller's own tickets, newest first.
#[server(prefix = "/rpc", endpoint = "tickets/mine")]
pub async fn my_tickets(cursor: Option<String>) -> Result<Page<TicketSummary>, ApiError> {
    let state = super::ctx::state()?;
    let session = super::ctx::session()?;
    Ok(crate::services::tickets::list_my_tickets(
        &state.db,
        &state.cursors,
        &session.actor,
        cursor.as_deref(),
        Some(20),
    )
    .await?)
}

#[server(prefix = "/rpc", endpoint = "tickets/get")]
pub async fn get_ticket(id: Uuid) -> Result<TicketDetail, ApiError> {
    let state = super::ctx::state()?;
    let session = super::ctx::session()?;
    Ok(crate::services::tickets::get_ticket(&state.db, &session.actor, id).await?)
}
