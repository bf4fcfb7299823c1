//! REST API v1: thin adapters over `app::services`. Routes and the OpenAPI
//! document come from one list ([`api`]): a handler is reachable exactly
//! when it is documented.

pub mod assets;
pub mod attachments;
pub mod auth;
pub mod bookings;
pub mod csv;
pub mod error;
pub mod extract;
pub mod notifications;
pub mod outbox;
pub mod reports;
pub mod service_levels;
pub mod settings;
pub mod stock;
pub mod tickets;
pub mod users;

use app::state::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get};
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Request bodies above this are refused with 413 before any parsing.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Every operation of `/api/v1`, with its documentation.
pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(crate::openapi::ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::refresh))
        .routes(routes!(auth::oidc_login))
        .routes(routes!(auth::oauth2_callback))
        .routes(routes!(auth::me))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::sessions))
        .routes(routes!(auth::end_session))
        .routes(routes!(auth::end_other_sessions))
        .routes(routes!(tickets::list, tickets::create))
        .routes(routes!(tickets::export_csv))
        .routes(routes!(tickets::get_one, tickets::patch))
        .routes(routes!(tickets::comments, tickets::add_comment))
        .routes(routes!(tickets::history))
        .routes(routes!(tickets::approval_queue))
        .routes(routes!(tickets::act))
        .routes(routes!(users::list, users::create))
        .routes(routes!(users::get_one, users::patch))
        .routes(routes!(users::reset_password))
        .routes(routes!(users::security_events))
        .routes(routes!(assets::list, assets::create))
        .routes(routes!(assets::export_csv))
        .routes(routes!(assets::holders))
        .routes(routes!(assets::get_one, assets::patch))
        .routes(routes!(assets::history))
        .routes(routes!(assets::label))
        .routes(routes!(assets::checkout))
        .routes(routes!(assets::checkin))
        .routes(routes!(assets::move_to))
        .routes(routes!(assets::maintenance))
        .routes(routes!(assets::maintenance_return))
        .routes(routes!(assets::retire))
        .routes(routes!(stock::list, stock::create))
        .routes(routes!(stock::get_one, stock::patch))
        .routes(routes!(stock::movements, stock::add_movement))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_read))
        .routes(routes!(outbox::my_settings, outbox::set_my_settings))
        .routes(routes!(outbox::deliveries))
        .routes(routes!(outbox::list_hooks, outbox::create_hook))
        .routes(routes!(
            outbox::get_hook,
            outbox::update_hook,
            outbox::delete_hook
        ))
        .routes(routes!(outbox::test_hook))
        .routes(routes!(reports::summary))
        .routes(routes!(reports::tickets_csv))
        .routes(routes!(settings::policy, settings::set_policy))
        .routes(routes!(attachments::limits, attachments::set_limits))
        .routes(routes!(
            service_levels::list_sites,
            service_levels::create_site
        ))
        .routes(routes!(service_levels::update_site))
        .routes(routes!(
            service_levels::closed_days,
            service_levels::add_closed_day
        ))
        .routes(routes!(service_levels::remove_closed_day))
        .routes(routes!(service_levels::import_ics))
        .routes(routes!(service_levels::policies))
        .routes(routes!(service_levels::set_policy))
        .routes(routes!(service_levels::my_delegations))
        .routes(routes!(
            service_levels::all_delegations,
            service_levels::set_delegation
        ))
        .routes(routes!(service_levels::end_delegation))
        .routes(routes!(bookings::list_resources, bookings::create_resource))
        .routes(routes!(bookings::get_resource, bookings::update_resource))
        .routes(routes!(bookings::door_sign))
        .routes(routes!(bookings::availability))
        .routes(routes!(bookings::list_drivers, bookings::add_driver))
        .routes(routes!(bookings::create_booking))
        .routes(routes!(bookings::my_bookings))
        .routes(routes!(bookings::booking_approvals))
        .routes(routes!(bookings::calendar_feed))
        .routes(routes!(bookings::get_booking))
        .routes(routes!(bookings::booking_history))
        .routes(routes!(bookings::cancel))
        .routes(routes!(bookings::check_in))
        .routes(routes!(bookings::approve))
        .routes(routes!(bookings::reject))
        .routes(routes!(bookings::assign_driver))
        .routes(routes!(bookings::return_car))
        .routes(routes!(
            attachments::list_for_ticket,
            attachments::remove_from_ticket
        ))
        .routes(routes!(
            attachments::list_for_asset,
            attachments::remove_from_asset
        ))
        .merge(
            // Uploads are streamed and capped per file while they arrive,
            // not by the body limit of JSON requests.
            OpenApiRouter::new()
                .routes(routes!(attachments::upload_to_ticket))
                .routes(routes!(attachments::upload_to_asset))
                .layer(DefaultBodyLimit::disable()),
        )
}

pub fn router(oidc: Option<std::sync::Arc<crate::oidc::Oidc>>) -> Router<AppState> {
    let (routes, _) = api().split_for_parts();
    routes
        .route(
            "/api/v1/openapi.json",
            get(|| async {
                (
                    [(http::header::CONTENT_TYPE, "application/json")],
                    crate::openapi::document(),
                )
            }),
        )
        // Any other address under /api/v1 is a problem+json 404.
        .route(
            "/api/v1/{*rest}",
            any(|| async { error::RestError::from(app::domain::Refusal::NoSuchRoute) }),
        )
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::Extension(oidc))
}
