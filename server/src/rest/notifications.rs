//! `/api/v1/notifications`: the caller's notifications, each with its code
//! and values and the sentence in the language `Accept-Language` asks for
//! (English otherwise), put into words when read.

use super::error::RestResult;
use super::extract::{Caller, Query};
use crate::middleware::current_lang;
use app::services::notifications;
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One notification as a client reads it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub ticket_id: Option<Uuid>,
    /// What happened: `status_changed`, `awaiting_approval`, `assigned`, `commented`.
    pub code: String,
    /// The values the message names (ticket number, status, author).
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
    /// The sentence in the language asked for.
    pub message: String,
    pub at: DateTime<Utc>,
    pub read: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Inbox {
    pub items: Vec<NotificationView>,
    pub unread: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct InboxParams {
    /// How many of the newest (1 to 50, default 15).
    #[param(minimum = 1, maximum = 50)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(InboxParams),
    responses((status = 200, description = "The newest notifications and how many are unread", body = Inbox)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(p): Query<InboxParams>,
) -> RestResult<Json<Inbox>> {
    let lang = current_lang();
    let (items, unread) =
        notifications::recent(&state.db, &session.actor, p.limit.unwrap_or(15)).await?;
    let items = items
        .into_iter()
        .map(|n| {
            let value = serde_json::to_value(&n.notice).unwrap_or_default();
            NotificationView {
                id: n.id,
                ticket_id: n.ticket_id,
                code: n.notice.code().to_string(),
                params: value.get("params").cloned(),
                message: n.notice.render(lang),
                at: n.at,
                read: n.read,
            }
        })
        .collect();
    Ok(Json(Inbox { items, unread }))
}

#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "notifications",
    responses((status = 204, description = "All marked read")))]
pub async fn mark_read(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<StatusCode> {
    notifications::mark_all_read(&state.db, &session.actor).await?;
    Ok(StatusCode::NO_CONTENT)
}
