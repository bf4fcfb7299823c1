use super::csv;
use super::error::{RestError, RestResult};
use super::extract::{Body, Caller, OptionalBody, Path};
use app::domain::ticket::lifecycle::Command;
use app::domain::ticket::query::TicketQuery;
use app::domain::ticket::{
    Comment, HistoryEntry, NewTicket, TicketDetail, TicketPatch, TicketSummary,
};
use app::domain::{FieldError, FieldErrors, Money, Page, Refusal};
use app::services::activity::{self, NewComment};
use app::services::{lifecycle, tickets, ServiceError};
use app::state::AppState;
use axum::extract::RawQuery;
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use futures::StreamExt;
use http::header::{ETAG, IF_MATCH, LOCATION};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Parses the list's query string (repeatable `status`); anything unknown
/// or malformed is a 400 naming the parameter.
pub fn parse_query(raw: Option<&str>) -> Result<TicketQuery, RestError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    TicketQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).map_err(RestError::from)
}

/// Tickets the caller may see (requesters and approvers: their own; GA
/// staff: all), filtered, searched, sorted, one keyset page at a time.
#[utoipa::path(get, path = "/api/v1/tickets", tag = "tickets",
    params(
        ("status" = Option<Vec<app::domain::ticket::TicketStatus>>, Query, explode = true, description = "Repeatable or comma-separated"),
        ("category" = Option<app::domain::ticket::Category>, Query),
        ("priority" = Option<app::domain::ticket::Priority>, Query),
        ("requester" = Option<uuid::Uuid>, Query),
        ("assignee" = Option<uuid::Uuid>, Query),
        ("created_from" = Option<chrono::NaiveDate>, Query, description = "Jakarta day, inclusive"),
        ("created_to" = Option<chrono::NaiveDate>, Query, description = "Jakarta day, inclusive"),
        ("q" = Option<String>, Query, description = "Full-text search over number, title, description and item names", max_length = 200),
        ("sort" = Option<String>, Query, description = "created_at, updated_at, priority, number or estimated_total; prefix - for descending", pattern = "^-?(created_at|updated_at|priority|number|estimated_total)$"),
        ("limit" = Option<u32>, Query, minimum = 1, maximum = 100),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page")
    ),
    responses((status = 200, description = "One page", body = app::domain::Page<TicketSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(session): Caller,
    RawQuery(raw): RawQuery,
) -> RestResult<Json<Page<TicketSummary>>> {
    let query = parse_query(raw.as_deref())?;
    Ok(Json(
        tickets::search(&state.read_db, &state.cursors, &session.actor, &query).await?,
    ))
}

/// Creates a ticket. With `Idempotency-Key`, retries of the same request
/// within 24 hours return the first answer instead of a second ticket.
#[utoipa::path(post, path = "/api/v1/tickets", tag = "tickets",
    params(("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key and body within 24 h return the first answer", max_length = 200)),
    request_body = NewTicket,
    responses((status = 201, description = "Created", body = TicketDetail)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(session): Caller,
    headers: HeaderMap,
    Body(input): Body<NewTicket>,
) -> RestResult<axum::response::Response> {
    let key = headers
        .get("idempotency-key")
        .map(|v| v.to_str().unwrap_or("\u{0}").to_string());
    let (value, replayed) = match key {
        None => {
            let t = tickets::create_ticket(&state.db, &session.actor, input).await?;
            (
                serde_json::to_value(t).map_err(|e| ServiceError::Internal(e.to_string()))?,
                false,
            )
        }
        Some(key) => {
            use sha2::Digest;
            let canonical = serde_json::to_vec(&input.clone().normalized())
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            let hash = sha2::Sha256::digest(&canonical);
            match tickets::create_idempotent(&state.db, &session.actor, input, &key, &hash).await? {
                tickets::Idempotent::Created(t) => (
                    serde_json::to_value(t).map_err(|e| ServiceError::Internal(e.to_string()))?,
                    false,
                ),
                tickets::Idempotent::Replayed(v) => (v, true),
            }
        }
    };
    let id = value["id"].as_str().unwrap_or_default().to_string();
    let version = value["version"].as_i64().unwrap_or(1);
    let mut response = (
        StatusCode::CREATED,
        AppendHeaders([
            (LOCATION, format!("/api/v1/tickets/{id}")),
            (ETAG, format!("\"{version}\"")),
        ]),
        Json(value),
    )
        .into_response();
    if replayed {
        response.headers_mut().insert(
            "idempotent-replayed",
            http::HeaderValue::from_static("true"),
        );
    }
    Ok(response)
}

/// The first line of a tickets CSV.
pub(super) const CSV_HEADER: &str = "number,title,status,category,priority,requester,assignee,estimated_total,created_at,updated_at,attachments\r\n";

/// CSV lines for tickets (WIB timestamps).
pub(super) fn csv_rows(
    items: &[TicketSummary],
    files: &std::collections::HashMap<Uuid, i64>,
) -> Vec<u8> {
    csv::lines(items.iter().map(|t| {
        [
            csv::cell(&t.number),
            csv::cell(&t.title),
            t.status.as_str().to_string(),
            t.category.as_str().to_string(),
            t.priority.as_str().to_string(),
            csv::cell(&t.requester_name),
            csv::cell(t.assignee_name.as_deref().unwrap_or("")),
            t.estimated_total.to_api_string(),
            t.created_at.with_timezone(&jakarta()).to_rfc3339(),
            t.updated_at.with_timezone(&jakarta()).to_rfc3339(),
            files.get(&t.id).copied().unwrap_or(0).to_string(),
        ]
    }))
}

/// `GET /tickets/export.csv`: the caller's visible tickets for the same
/// filters as the list, streamed page by page (never buffered whole), UTF-8
/// with a BOM so spreadsheets show Rupiah and Indonesian text correctly.
#[utoipa::path(get, path = "/api/v1/tickets/export.csv", tag = "tickets",
    params(
        ("status" = Option<Vec<app::domain::ticket::TicketStatus>>, Query, explode = true, description = "Repeatable or comma-separated"),
        ("category" = Option<app::domain::ticket::Category>, Query),
        ("priority" = Option<app::domain::ticket::Priority>, Query),
        ("requester" = Option<uuid::Uuid>, Query),
        ("assignee" = Option<uuid::Uuid>, Query),
        ("created_from" = Option<chrono::NaiveDate>, Query, description = "Jakarta day, inclusive"),
        ("created_to" = Option<chrono::NaiveDate>, Query, description = "Jakarta day, inclusive"),
        ("q" = Option<String>, Query, description = "Full-text search over number, title, description and item names", max_length = 200),
        ("sort" = Option<String>, Query, description = "created_at, updated_at, priority, number or estimated_total; prefix - for descending", pattern = "^-?(created_at|updated_at|priority|number|estimated_total)$")
    ),
    responses((status = 200, description = "UTF-8 CSV with a byte order mark", content_type = "text/csv", body = String)))]
pub async fn export_csv(
    State(state): State<AppState>,
    Caller(session): Caller,
    RawQuery(raw): RawQuery,
) -> RestResult<axum::response::Response> {
    let mut query = parse_query(raw.as_deref())?;
    if query.cursor.is_some() || query.limit.is_some() {
        return Err(Refusal::ExportTakesFilters.into());
    }
    query.limit = Some(100);
    // Fail early (before the 200 is sent) when the caller may not read.
    let first = tickets::search(&state.read_db, &state.cursors, &session.actor, &query).await?;
    let header = format!("{}{CSV_HEADER}", csv::BOM);
    let stream = futures::stream::unfold(
        (Some(first), query, state, session.actor, false),
        |(page, mut query, state, actor, done)| async move {
            if done {
                return None;
            }
            let page = match page {
                Some(p) => p,
                None => match tickets::search(&state.read_db, &state.cursors, &actor, &query).await
                {
                    Ok(p) => p,
                    Err(e) => {
                        tracing::warn!(error = %e, "export stopped");
                        return Some((
                            Err(std::io::Error::other(e.to_string())),
                            (None, query, state, actor, true),
                        ));
                    }
                },
            };
            let ids: Vec<Uuid> = page.items.iter().map(|t| t.id).collect();
            let files = match app::services::attachments::counts(&state.read_db, &actor, &ids).await
            {
                Ok(f) => f,
                Err(e) => {
                    tracing::warn!(error = %e, "export stopped");
                    return Some((
                        Err(std::io::Error::other(e.to_string())),
                        (None, query, state, actor, true),
                    ));
                }
            };
            let bytes = csv_rows(&page.items, &files);
            let finished = page.next_cursor.is_none();
            query.cursor = page.next_cursor;
            Some((
                Ok::<_, std::io::Error>(axum::body::Bytes::from(bytes)),
                (None, query, state, actor, finished),
            ))
        },
    );
    let body = axum::body::Body::from_stream(
        futures::stream::once(
            async move { Ok::<_, std::io::Error>(axum::body::Bytes::from(header)) },
        )
        .chain(stream),
    );
    Ok((csv::headers("gadesk-tickets.csv"), body).into_response())
}

fn jakarta() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}", tag = "tickets", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "The ticket; ETag is its version", body = TicketDetail)))]
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
pub(crate) fn version_from(
    headers: &HeaderMap,
    body: Option<i32>,
) -> Result<Option<i32>, RestError> {
    let Some(raw) = headers.get(IF_MATCH) else {
        return Ok(body);
    };
    let bad = || RestError::from(FieldErrors::single("If-Match", FieldError::NotAnEtag));
    let text = raw.to_str().map_err(|_| bad())?.trim();
    let text = text.strip_prefix("W/").unwrap_or(text).trim_matches('"');
    let header: i32 = text.parse().map_err(|_| bad())?;
    match body {
        Some(b) if b != header => {
            Err(FieldErrors::single("version", FieldError::VersionsDisagree).into())
        }
        _ => Ok(Some(header)),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Edited {
    #[serde(flatten)]
    pub ticket: TicketDetail,
    /// True when the edit was applied on top of someone else's newer,
    /// non-overlapping change.
    pub merged: bool,
}

#[utoipa::path(patch, path = "/api/v1/tickets/{id}", tag = "tickets",
    params(("id" = uuid::Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw, e.g. \"7\"")),
    request_body = TicketPatch,
    responses((status = 200, description = "Edited (merged = applied onto a newer version)", body = Edited)))]
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
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionBody {
    /// The version you saw (or send `If-Match`).
    #[schema(example = 1)]
    pub version: Option<i32>,
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    #[schema(max_length = 2000)]
    pub note: Option<String>,
    pub assignee_id: Option<Uuid>,
    pub actual_cost: Option<Money>,
    /// With `complete`: an available asset handed to the requester.
    pub asset_id: Option<Uuid>,
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, RestError> {
    value.ok_or_else(|| FieldErrors::single(field, FieldError::Required).into())
}

/// The transitions of the ticket state machine, as they appear in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TicketAction {
    /// Submit a pending ticket for approval (it costs enough to need it).
    Submit,
    /// GA accepts a pending ticket below the approval threshold.
    Accept,
    /// Approve the awaited level (`note` optional).
    Approve,
    /// Reject (`reason` required).
    Reject,
    /// Assign to a GA agent or admin (`assignee_id`).
    Assign,
    /// The assignee starts work on an approved ticket.
    Start,
    /// The assignee completes it (`actual_cost`, `note`, optional `asset_id`).
    Complete,
    /// The requester confirms it is done.
    Confirm,
    /// The requester reopens within 7 days (`reason` required).
    Reopen,
    /// Cancel before work starts (`reason` optional).
    Cancel,
    /// GA waits for the requester (`reason`: what is asked of them); the
    /// service-level clock stops.
    Pause,
    /// The requester answered, or GA goes on: the clock runs again.
    Resume,
}

impl TicketAction {
    fn command(self, body: ActionBody) -> Result<Command, RestError> {
        let text = |t: Option<String>| t.unwrap_or_default();
        Ok(match self {
            TicketAction::Submit => Command::Submit,
            TicketAction::Accept => Command::Accept,
            TicketAction::Approve => Command::Approve {
                note: text(body.note),
            },
            TicketAction::Reject => Command::Reject {
                reason: text(body.reason),
            },
            TicketAction::Assign => Command::Assign {
                assignee_id: required(body.assignee_id, "assignee_id")?,
            },
            TicketAction::Start => Command::Start,
            TicketAction::Complete => Command::complete(
                required(body.actual_cost, "actual_cost")?,
                text(body.note),
                body.asset_id,
            ),
            TicketAction::Confirm => Command::Confirm,
            TicketAction::Reopen => Command::Reopen {
                reason: text(body.reason),
            },
            TicketAction::Cancel => Command::Cancel {
                reason: text(body.reason),
            },
            TicketAction::Pause => Command::Pause {
                reason: text(body.reason),
            },
            TicketAction::Resume => Command::Resume,
        })
    }
}

/// Runs one transition of the ticket (submit, accept, approve, reject,
/// assign, start, complete, confirm, reopen, cancel) from the version the
/// client saw (`If-Match` or `version` in the body).
#[utoipa::path(post, path = "/api/v1/tickets/{id}/{action}", tag = "ticket actions",
    params(
        ("id" = uuid::Uuid, Path),
        ("action" = TicketAction, Path),
        ("If-Match" = Option<String>, Header, description = "The ETag you saw")
    ),
    request_body(content = Option<ActionBody>),
    responses((status = 200, description = "The ticket after the transition", body = TicketDetail)))]
pub async fn act(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path((id, action)): Path<(Uuid, String)>,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<ActionBody>,
) -> RestResult<axum::response::Response> {
    // An unknown action is an unknown address, like any other.
    let action: TicketAction = serde_json::from_value(serde_json::Value::String(action))
        .map_err(|_| Refusal::NoSuchRoute)?;
    let version = version_from(&headers, body.version)?;
    let command = action.command(body)?;
    let ticket = lifecycle::act(&state.db, &session.actor, id, version, command).await?;
    Ok((AppendHeaders([(ETAG, etag(&ticket))]), Json(ticket)).into_response())
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}/comments", tag = "tickets", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "Comments the caller may read", body = Vec<Comment>)))]
pub async fn comments(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<Comment>>> {
    Ok(Json(
        activity::comments(&state.db, &session.actor, id).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/tickets/{id}/comments", tag = "tickets", params(("id" = uuid::Uuid, Path)),
    request_body = NewComment,
    responses((status = 201, description = "Added", body = Comment)))]
pub async fn add_comment(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(input): Body<NewComment>,
) -> RestResult<impl IntoResponse> {
    let comment = activity::add_comment(&state.db, &session.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(comment)))
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}/history", tag = "tickets", params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "The timeline, oldest first", body = Vec<HistoryEntry>)))]
pub async fn history(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<HistoryEntry>>> {
    Ok(Json(
        activity::history(&state.db, &session.actor, id).await?,
    ))
}

/// What waits for the caller's decision, oldest first, each with its
/// service level in working time of the ticket's site (approvers; a
/// delegate also sees what waits for the approver they stand in for).
#[utoipa::path(get, path = "/api/v1/approvals", tag = "tickets",
    responses((status = 200, description = "The caller's approval queue", body = Vec<TicketSummary>)))]
pub async fn approval_queue(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<Vec<TicketSummary>>> {
    Ok(Json(
        app::services::queues::approvals_for(&state.db, &session.actor).await?,
    ))
}
