use super::error::RestResult;
use super::extract::{Body, Caller, Path, Query};
use app::domain::ticket::{NewTicket, TicketDetail, TicketSummary};
use app::domain::Page;
use app::services::tickets;
use app::state::AppState;
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use http::header::{ETAG, LOCATION};
use http::StatusCode;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The caller's own tickets, newest first.
pub async fn list(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(params): Query<ListParams>,
) -> RestResult<Json<Page<TicketSummary>>> {
    let page = tickets::list_my_tickets(
        &state.db,
        &state.cursors,
        &session.actor,
        params.cursor.as_deref(),
        params.limit,
    )
    .await?;
    Ok(Json(page))
}

pub async fn create(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<NewTicket>,
) -> RestResult<impl IntoResponse> {
    let ticket = tickets::create_ticket(&state.db, &session.actor, &state.policy, input).await?;
    let location = format!("/api/v1/tickets/{}", ticket.id);
    Ok((
        StatusCode::CREATED,
        AppendHeaders([(LOCATION, location), (ETAG, etag(&ticket))]),
        Json(ticket),
    ))
}

pub async fn get_one(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<impl IntoResponse> {
    let ticket = tickets::get_ticket(&state.db, &session.actor, id).await?;
    Ok((AppendHeaders([(ETAG, etag(&ticket))]), Json(ticket)))
}

/// The version is the entity tag: clients send it back in `If-Match`.
fn etag(ticket: &TicketDetail) -> String {
    format!("\"{}\"", ticket.version)
}
