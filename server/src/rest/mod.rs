//! REST API v1: thin adapters over `app::services`.

pub mod assets;
pub mod auth;
pub mod error;
pub mod extract;
pub mod reports;
pub mod settings;
pub mod stock;
pub mod tickets;
pub mod users;

use app::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// Request bodies above this are refused with 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

pub fn router(oidc: Option<std::sync::Arc<crate::oidc::Oidc>>) -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/refresh", post(auth::refresh))
        .route("/auth/oidc/login", get(auth::oidc_login))
        .route("/auth/oauth2/callback", get(auth::oauth2_callback))
        .route("/me", get(auth::me))
        .route("/me/password", post(auth::change_password))
        .route("/tickets", get(tickets::list).post(tickets::create))
        .route("/tickets/export.csv", get(tickets::export_csv))
        .route("/tickets/{id}", get(tickets::get_one).patch(tickets::patch))
        .route(
            "/tickets/{id}/comments",
            get(tickets::comments).post(tickets::add_comment),
        )
        .route("/tickets/{id}/history", get(tickets::history))
        .route("/tickets/{id}/submit", post(tickets::submit))
        .route("/tickets/{id}/accept", post(tickets::accept))
        .route("/tickets/{id}/approve", post(tickets::approve))
        .route("/tickets/{id}/reject", post(tickets::reject))
        .route("/tickets/{id}/assign", post(tickets::assign))
        .route("/tickets/{id}/start", post(tickets::start))
        .route("/tickets/{id}/complete", post(tickets::complete))
        .route("/tickets/{id}/confirm", post(tickets::confirm))
        .route("/tickets/{id}/reopen", post(tickets::reopen))
        .route("/tickets/{id}/cancel", post(tickets::cancel))
        .route("/users", get(users::list).post(users::create))
        .route("/users/{id}", get(users::get_one).patch(users::patch))
        .route("/users/{id}/reset-password", post(users::reset_password))
        .route("/security-events", get(users::security_events))
        .route("/assets", get(assets::list).post(assets::create))
        .route("/assets/export.csv", get(assets::export_csv))
        .route("/assets/holders", get(assets::holders))
        .route("/assets/{id}", get(assets::get_one).patch(assets::patch))
        .route("/assets/{id}/history", get(assets::history))
        .route("/assets/{id}/label.svg", get(assets::label))
        .route("/assets/{id}/checkout", post(assets::checkout))
        .route("/assets/{id}/checkin", post(assets::checkin))
        .route("/assets/{id}/move", post(assets::move_to))
        .route("/assets/{id}/maintenance", post(assets::maintenance))
        .route(
            "/assets/{id}/maintenance/return",
            post(assets::maintenance_return),
        )
        .route("/assets/{id}/retire", post(assets::retire))
        .route("/stock", get(stock::list).post(stock::create))
        .route("/stock/{id}", get(stock::get_one).patch(stock::patch))
        .route(
            "/stock/{id}/movements",
            get(stock::movements).post(stock::add_movement),
        )
        .route("/reports/summary", get(reports::summary))
        .route("/reports/tickets.csv", get(reports::tickets_csv))
        .route(
            "/openapi.json",
            get(|| async {
                (
                    [(http::header::CONTENT_TYPE, "application/json")],
                    crate::openapi::document(),
                )
            }),
        )
        .route(
            "/settings/approval-policy",
            get(settings::policy).put(settings::set_policy),
        )
        .fallback(|| async { error::RestError::NoRoute })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::Extension(oidc))
}
