//! Notifications that leave the app: the caller's delivery settings, and
//! for administrators the webhooks and the log of recent deliveries.

use super::error::RestResult;
use super::extract::{Body, Caller, Path, Query};
use app::domain::outgoing::{
    Channel, Delivery, DeliveryFilter, DeliveryStatus, NotifyPrefs, Webhook, WebhookInput,
};
use app::services::{outbox, preferences, webhooks};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/me/notification-settings", tag = "notifications",
    responses((status = 200, description = "The caller's delivery choices", body = NotifyPrefs)))]
pub async fn my_settings(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<NotifyPrefs>> {
    Ok(Json(preferences::get(&state.db, &session.actor).await?))
}

#[utoipa::path(put, path = "/api/v1/me/notification-settings", tag = "notifications", request_body = NotifyPrefs,
    responses((status = 200, description = "Saved", body = NotifyPrefs)))]
pub async fn set_my_settings(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(prefs): Body<NotifyPrefs>,
) -> RestResult<Json<NotifyPrefs>> {
    Ok(Json(
        preferences::set(&state.db, &session.actor, prefs).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryParams {
    pub status: Option<DeliveryStatus>,
    pub channel: Option<Channel>,
    pub webhook: Option<Uuid>,
    /// How many of the newest (1 to 500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/deliveries", tag = "notifications", params(DeliveryParams),
    responses((status = 200, description = "Recent email and webhook deliveries, newest first (administrators)", body = Vec<Delivery>)))]
pub async fn deliveries(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(p): Query<DeliveryParams>,
) -> RestResult<Json<Vec<Delivery>>> {
    let filter = DeliveryFilter {
        status: p.status,
        channel: p.channel,
        webhook: p.webhook,
    };
    Ok(Json(
        outbox::recent(&state.db, &session.actor, &filter, p.limit.unwrap_or(100)).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/webhooks", tag = "notifications",
    responses((status = 200, description = "Registered webhooks (administrators)", body = Vec<Webhook>)))]
pub async fn list_hooks(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<Vec<Webhook>>> {
    Ok(Json(webhooks::list(&state.db, &session.actor).await?))
}

/// A new webhook with its signing secret, which is shown only this once.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedHook {
    #[serde(flatten)]
    pub webhook: Webhook,
    /// HMAC-SHA256 key of the `X-GADesk-Signature` header.
    pub secret: String,
}

#[utoipa::path(post, path = "/api/v1/webhooks", tag = "notifications", request_body = WebhookInput,
    responses((status = 201, description = "Registered; the secret is shown only now", body = CreatedHook)))]
pub async fn create_hook(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<WebhookInput>,
) -> RestResult<(StatusCode, Json<CreatedHook>)> {
    let (webhook, secret) = webhooks::create(&state.db, &session.actor, &input).await?;
    Ok((StatusCode::CREATED, Json(CreatedHook { webhook, secret })))
}

#[utoipa::path(get, path = "/api/v1/webhooks/{id}", tag = "notifications", params(("id" = Uuid, Path)),
    responses((status = 200, description = "One webhook", body = Webhook)))]
pub async fn get_hook(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Webhook>> {
    Ok(Json(webhooks::get(&state.db, &session.actor, id).await?))
}

#[utoipa::path(put, path = "/api/v1/webhooks/{id}", tag = "notifications", params(("id" = Uuid, Path)), request_body = WebhookInput,
    responses((status = 200, description = "Changed (from `version`)", body = Webhook)))]
pub async fn update_hook(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(input): Body<WebhookInput>,
) -> RestResult<Json<Webhook>> {
    Ok(Json(
        webhooks::update(&state.db, &session.actor, id, &input).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/webhooks/{id}", tag = "notifications", params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted, with its deliveries")))]
pub async fn delete_hook(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<StatusCode> {
    webhooks::delete(&state.db, &session.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/webhooks/{id}/test", tag = "notifications", params(("id" = Uuid, Path)),
    responses((status = 202, description = "A test message is queued")))]
pub async fn test_hook(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<StatusCode> {
    webhooks::send_test(&state.db, &session.actor, id).await?;
    Ok(StatusCode::ACCEPTED)
}
