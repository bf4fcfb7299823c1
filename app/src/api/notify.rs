//! Notifications that leave GA Desk: a person's own delivery settings, and
//! for administrators the webhooks and the recent deliveries.

use super::ApiError;
use crate::domain::outgoing::{
    Channel, Delivery, DeliveryStatus, NotifyPrefs, Webhook, WebhookInput,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// How many of the newest deliveries the admin page lists.
pub const RECENT_DELIVERIES: i64 = 100;

#[server(prefix = "/rpc", endpoint = "account/notifications")]
pub async fn my_notify_prefs() -> Result<NotifyPrefs, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::preferences::get(&state.db, &actor).await?)
}

#[server(prefix = "/rpc", endpoint = "account/notifications/set", input = Json)]
pub async fn set_notify_prefs(prefs: NotifyPrefs) -> Result<NotifyPrefs, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::preferences::set(&state.db, &actor, prefs).await?)
}

/// How many messages are in each state (administrators).
#[server(prefix = "/rpc", endpoint = "admin/deliveries/counts")]
pub async fn delivery_counts() -> Result<Vec<(DeliveryStatus, i64)>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::outbox::counts(&state.db, &actor).await?)
}

/// The newest deliveries, newest first (administrators).
#[server(prefix = "/rpc", endpoint = "admin/deliveries", input = Json)]
pub async fn recent_deliveries(
    status: Option<DeliveryStatus>,
    channel: Option<Channel>,
) -> Result<Vec<Delivery>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let filter = crate::domain::outgoing::DeliveryFilter {
        status,
        channel,
        webhook: None,
    };
    Ok(crate::services::outbox::recent(&state.db, &actor, &filter, RECENT_DELIVERIES).await?)
}

#[server(prefix = "/rpc", endpoint = "admin/webhooks")]
pub async fn list_webhooks() -> Result<Vec<Webhook>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::webhooks::list(&state.db, &actor).await?)
}

/// A new webhook and its signing secret, which is shown only this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedWebhook {
    pub webhook: Webhook,
    pub secret: String,
}

#[server(prefix = "/rpc", endpoint = "admin/webhooks/create", input = Json)]
pub async fn create_webhook(input: WebhookInput) -> Result<CreatedWebhook, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let (webhook, secret) = crate::services::webhooks::create(&state.db, &actor, &input).await?;
    Ok(CreatedWebhook { webhook, secret })
}

/// Changes a webhook from the version the page showed (`input.version`).
#[server(prefix = "/rpc", endpoint = "admin/webhooks/update", input = Json)]
pub async fn update_webhook(id: Uuid, input: WebhookInput) -> Result<Webhook, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::webhooks::update(&state.db, &actor, id, &input).await?)
}

#[server(prefix = "/rpc", endpoint = "admin/webhooks/delete", input = Json)]
pub async fn delete_webhook(id: Uuid) -> Result<(), ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::webhooks::delete(&state.db, &actor, id).await?)
}

/// Queues a test message to the webhook.
#[server(prefix = "/rpc", endpoint = "admin/webhooks/test", input = Json)]
pub async fn test_webhook(id: Uuid) -> Result<(), ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::webhooks::send_test(&state.db, &actor, id).await?)
}
