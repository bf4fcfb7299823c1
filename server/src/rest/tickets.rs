use super::error::{RestError, RestResult};
use super::extract::{Body, Caller, OptionalBody, Path, Query};
use app::domain::ticket::lifecycle::Command;
use app::domain::ticket::{
    Comment, HistoryEntry, NewTicket, TicketDetail, TicketPatch, TicketSummary,
};
use app::domain::{FieldErrors, Money, Page};
use app::services::activity::{self, NewComment};
use app::services::{lifecycle, tickets, ServiceError};
use app::state::AppState;
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use http::header::{ETAG, IF_MATCH, LOCATION};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
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
    let ticket = tickets::create_ticket(&state.db, &session.actor, input).await?;
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

/// `If-Match: "7"` (or `W/"7"`), when present, names the version the client
/// saw; it must agree with a `version` in the body.
fn version_from(headers: &HeaderMap, body: Option<i32>) -> Result<Option<i32>, RestError> {
    let Some(raw) = headers.get(IF_MATCH) else {
        return Ok(body);
    };
    let bad = || {
        RestError::Service(ServiceError::Validation(FieldErrors::single(
            "If-Match",
            "Use the ETag of the ticket, for example \"7\".",
        )))
    };
    let text = raw.to_str().map_err(|_| bad())?.trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    let header: i32 = text.parse().map_err(|_| bad())?;
    match body {
        Some(b) if b != header => Err(RestError::Service(ServiceError::Validation(
            FieldErrors::single("version", "The body's version and If-Match disagree."),
        ))),
        _ => Ok(Some(header)),
    }
}

#[derive(Serialize)]
pub struct Edited {
    #[serde(flatten)]
    pub ticket: TicketDetail,
    /// True when the edit was applied on top of someone else's newer,
    /// non-overlapping change.
    pub merged: bool,
}

pub async fn patch(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(mut patch): Body<TicketPatch>,
) -> RestResult<impl IntoResponse> {
    patch.version = version_from(&headers, patch.version)?;
    let edited = lifecycle::edit(&state.db, &session.actor, id, patch).await?;
    Ok((
        AppendHeaders([(ETAG, etag(&edited.ticket))]),
        Json(Edited {
            ticket: edited.ticket,
            merged: edited.merged,
        }),
    ))
}

/// Input of the action endpoints; which fields apply depends on the action.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    pub version: Option<i32>,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub actual_cost: Option<Money>,
}

fn required<T>(value: Option<T>, field: &str, message: &str) -> Result<T, RestError> {
    value.ok_or_else(|| {
        RestError::Service(ServiceError::Validation(FieldErrors::single(
            field, message,
        )))
    })
}

fn command(action: &str, body: ActionBody) -> Result<Command, RestError> {
    let text = |t: Option<String>| t.unwrap_or_default();
    Ok(match action {
        "submit" => Command::Submit,
        "accept" => Command::Accept,
        "approve" => Command::Approve {
            note: text(body.note),
        },
        "reject" => Command::Reject {
            reason: text(body.reason),
        },
        "assign" => Command::Assign {
            assignee_id: required(body.assignee_id, "assignee_id", "Choose who does the work.")?,
        },
        "start" => Command::Start,
        "complete" => Command::Complete {
            actual_cost: required(
                body.actual_cost,
                "actual_cost",
                "Enter what it actually cost.",
            )?,
            note: text(body.note),
        },
        "confirm" => Command::Confirm,
        "reopen" => Command::Reopen {
            reason: text(body.reason),
        },
        "cancel" => Command::Cancel {
            reason: text(body.reason),
        },
        _ => return Err(RestError::NoRoute),
    })
}

/// `POST /tickets/{id}/{action}` for every transition.
pub async fn act(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path((id, action)): Path<(Uuid, String)>,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<ActionBody>,
) -> RestResult<impl IntoResponse> {
    let version = version_from(&headers, body.version)?;
    let command = command(&action, body)?;
    let ticket = lifecycle::act(&state.db, &session.actor, id, version, command).await?;
    Ok((AppendHeaders([(ETAG, etag(&ticket))]), Json(ticket)))
}

pub async fn comments(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<Comment>>> {
    Ok(Json(
        activity::comments(&state.db, &session.actor, id).await?,
    ))
}

pub async fn add_comment(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(input): Body<NewComment>,
) -> RestResult<impl IntoResponse> {
    let comment = activity::add_comment(&state.db, &session.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

pub async fn history(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<HistoryEntry>>> {
    Ok(Json(
        activity::history(&state.db, &session.actor, id).await?,
    ))
}
