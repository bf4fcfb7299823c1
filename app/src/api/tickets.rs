use super::ApiError;
use crate::domain::ticket::lifecycle::Command;
use crate::domain::ticket::{
    Comment, HistoryEntry, TicketDetail, TicketDraft, TicketPatch, TicketSummary,
};
use crate::domain::{Page, UserRef};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Creates a ticket from the form as typed; the server parses and checks
/// every field again with the same rules the browser used.
#[server(prefix = "/rpc", endpoint = "tickets/create", input = Json)]
pub async fn create_ticket(draft: TicketDraft) -> Result<TicketDetail, ApiError> {
    let state = super::ctx::state()?;
    let session = super::ctx::session()?;
    let ticket = draft.parse().map_err(ApiError::Validation)?;
    Ok(crate::services::tickets::create_ticket(&state.db, &session.actor, ticket).await?)
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

/// The status chips of "My requests": the key in the address and the
/// statuses each one shows. Their labels are UI texts and live with the page.
pub const MY_FILTERS: &[(&str, &str)] = &[
    ("", ""),
    ("open", "pending,waiting_approval,approved,in_progress"),
    ("waiting", "waiting_approval"),
    ("done", "completed"),
    ("closed", "closed,rejected"),
];

/// How many pages "My requests" renders at once when the address asks for
/// more than one (coming back to a list where "Load more" was pressed).
pub const MY_MAX_PAGES: u32 = 10;

/// "My requests" with a search and a status chip; without either it is the
/// plain newest-first list. `pages` > 1 returns that many pages joined, so a
/// list the user had extended renders the same rows again on the server.
#[server(prefix = "/rpc", endpoint = "tickets/mine/search")]
pub async fn search_my_tickets(
    q: String,
    filter: String,
    cursor: Option<String>,
    pages: Option<u32>,
) -> Result<Page<TicketSummary>, ApiError> {
    let mut page = my_tickets_page(&q, &filter, cursor).await?;
    for _ in 1..pages.unwrap_or(1).clamp(1, MY_MAX_PAGES) {
        let Some(next) = page.next_cursor.take() else {
            break;
        };
        let more = my_tickets_page(&q, &filter, Some(next)).await?;
        page.items.extend(more.items);
        page.next_cursor = more.next_cursor;
    }
    Ok(page)
}

#[cfg(feature = "ssr")]
async fn my_tickets_page(
    q: &str,
    filter: &str,
    cursor: Option<String>,
) -> Result<Page<TicketSummary>, ApiError> {
    use crate::domain::ticket::query::TicketQuery;
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let statuses = MY_FILTERS
        .iter()
        .find(|(key, _)| *key == filter)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            ApiError::Refused(crate::domain::Refusal::BadParameter {
                name: "status".into(),
                problem: crate::domain::FieldError::OneOf {
                    allowed: MY_FILTERS
                        .iter()
                        .map(|(key, _)| *key)
                        .collect::<Vec<_>>()
                        .join(", "),
                },
            })
        })?;
    if q.trim().is_empty() && statuses.is_empty() {
        return Ok(crate::services::tickets::list_my_tickets(
            &state.db,
            &state.cursors,
            &actor,
            cursor.as_deref(),
            Some(20),
        )
        .await?);
    }
    let me = actor.id.to_string();
    let mut pairs = vec![("requester", me.as_str()), ("limit", "20")];
    if !q.trim().is_empty() {
        pairs.push(("q", q.trim()));
    }
    if !statuses.is_empty() {
        pairs.push(("status", statuses));
    }
    if let Some(c) = cursor.as_deref() {
        pairs.push(("cursor", c));
    }
    let query = TicketQuery::parse(pairs).map_err(ApiError::Refused)?;
    Ok(crate::services::tickets::search(&state.read_db, &state.cursors, &actor, &query).await?)
}

#[server(prefix = "/rpc", endpoint = "tickets/get")]
pub async fn get_ticket(id: Uuid) -> Result<TicketDetail, ApiError> {
    let state = super::ctx::state()?;
    let session = super::ctx::session()?;
    Ok(crate::services::tickets::get_ticket(&state.db, &session.actor, id).await?)
}

/// Everything the ticket page shows, in one call.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketPageData {
    pub ticket: TicketDetail,
    pub history: Vec<HistoryEntry>,
    pub comments: Vec<Comment>,
    /// Photos and documents the caller may see, oldest first.
    pub files: Vec<crate::domain::attachment::Attachment>,
    /// People the caller may assign the ticket to (empty for non-staff).
    pub assignees: Vec<UserRef>,
}

#[server(prefix = "/rpc", endpoint = "tickets/page")]
pub async fn ticket_page(id: Uuid) -> Result<TicketPageData, ApiError> {
    use crate::domain::Permission;
    use crate::services::attachments::{self, Owner};
    use crate::services::{activity, queues, tickets};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let ticket = tickets::get_ticket(&state.db, &actor, id).await?;
    let (history, comments, files) = tokio::try_join!(
        activity::history(&state.db, &actor, id),
        activity::comments(&state.db, &actor, id),
        attachments::list(&state.db, &state.files, &actor, Owner::Ticket(id))
    )?;
    let assignees = if actor.can(Permission::TicketsAssign) {
        queues::assignees(&state.db, &actor).await?
    } else {
        Vec::new()
    };
    Ok(TicketPageData {
        ticket,
        history,
        comments,
        files,
        assignees,
    })
}

/// Runs a transition from the version the user saw.
#[server(prefix = "/rpc", endpoint = "tickets/act", input = Json)]
pub async fn act_on_ticket(
    id: Uuid,
    version: i32,
    command: Command,
) -> Result<TicketDetail, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::lifecycle::act(&state.db, &actor, id, Some(version), command).await?)
}

/// The ticket after an edit, and whether it was merged onto someone else's
/// concurrent change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditResult {
    pub ticket: TicketDetail,
    pub merged: bool,
}

#[server(prefix = "/rpc", endpoint = "tickets/edit", input = Json)]
pub async fn edit_ticket(id: Uuid, patch: TicketPatch) -> Result<EditResult, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let edited = crate::services::lifecycle::edit(&state.db, &actor, id, patch).await?;
    Ok(EditResult {
        ticket: edited.ticket,
        merged: edited.merged,
    })
}

#[server(prefix = "/rpc", endpoint = "tickets/comment", input = Json)]
pub async fn add_comment(id: Uuid, body: String, internal: bool) -> Result<Comment, ApiError> {
    use crate::services::activity::{add_comment, NewComment};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(add_comment(&state.db, &actor, id, NewComment { body, internal }).await?)
}
