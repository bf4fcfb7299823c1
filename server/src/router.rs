//! The whole HTTP surface in one place: pages, server functions, REST,
//! static files, health, and the middleware around them.

use crate::config::Network;
use crate::middleware::{
    authenticate, client_ip, cors, drop_odd_request_id, require_sign_in, same_origin,
    scope_request_id, security_headers, REQUEST_ID_HEADER,
};
use crate::rest;
use app::domain::{FieldError, Refusal};
use app::state::AppState;
use app::{shell, App};
use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::middleware::from_fn;
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use http::{HeaderName, StatusCode};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes};
use std::time::Duration;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// An answer must start within 30 seconds; an upload (up to 20 MB from
/// a phone on a slow network) within 10 minutes.
async fn time_limit(req: Request<Body>, next: axum::middleware::Next) -> axum::response::Response {
    let upload = req.method() == http::Method::POST && req.uri().path().ends_with("/attachments");
    let limit = Duration::from_secs(if upload { 600 } else { 30 });
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers within a second.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    let ping = sqlx::query("select 1").execute(&state.db);
    match tokio::time::timeout(Duration::from_secs(1), ping).await {
        Ok(Ok(_)) => (StatusCode::OK, "ready"),
        _ => (StatusCode::SERVICE_UNAVAILABLE, "database unreachable"),
    }
}

#[derive(serde::Deserialize)]
struct Preferences {
    lang: Option<String>,
    tz: Option<String>,
    back: Option<String>,
}

/// A preference form field with a value GA Desk does not offer (400).
fn bad_preference(name: &str, allowed: String) -> axum::response::Response {
    crate::rest::error::RestError::from(Refusal::BadParameter {
        name: name.into(),
        problem: FieldError::OneOf { allowed },
    })
    .into_response()
}

/// The language switcher's and the time zone picker's forms: keep the
/// choice in a cookie for a year and send the browser back where it was
/// (only to a path on this site).
async fn set_preferences(
    State(state): State<AppState>,
    session: Option<axum::Extension<app::web::Session>>,
    axum::Form(choice): axum::Form<Preferences>,
) -> axum::response::Response {
    use app::i18n::{Lang, Zone, LANG_COOKIE, ZONE_COOKIE};
    let cookie = |name: &str, value: &str| {
        format!(
            "{name}={value}; Path=/; SameSite=Lax; Max-Age=31536000{}",
            if state.secure_cookies { "; Secure" } else { "" }
        )
    };
    let mut cookies = Vec::new();
    let (mut lang, mut zone) = (None, None);
    if let Some(code) = &choice.lang {
        let Some(l) = Lang::from_code(code) else {
            return bad_preference("lang", Lang::ALL.map(Lang::code).join(", "));
        };
        cookies.push(cookie(LANG_COOKIE, l.code()));
        lang = Some(l);
    }
    if let Some(code) = &choice.tz {
        let Some(z) = Zone::from_code(code) else {
            return bad_preference("tz", Zone::ALL.map(Zone::code).join(", "));
        };
        cookies.push(cookie(ZONE_COOKIE, z.code()));
        zone = Some(z);
    }
    // Signed in: their emails follow the same choice.
    if let Some(s) = &session {
        if let Err(e) =
            app::services::preferences::set_locale(&state.db, s.0.actor.id, lang, zone).await
        {
            tracing::warn!(error = %e, "could not keep the language for emails");
        }
    }
    if cookies.is_empty() {
        return crate::rest::error::RestError::from(Refusal::BadParameter {
            name: "lang".into(),
            problem: FieldError::Required,
        })
        .into_response();
    }
    let back = app::web::safe_next(choice.back.as_deref());
    let mut response = (StatusCode::SEE_OTHER, [(http::header::LOCATION, back)]).into_response();
    for c in cookies {
        if let Ok(v) = http::HeaderValue::from_str(&c) {
            response.headers_mut().append(http::header::SET_COOKIE, v);
        }
    }
    response
}

/// What every page and server function gets from the request: the state,
/// the reader's language and time zone, and this response's CSP nonce
/// (the hydration scripts carry it so the policy lets them run).
fn page_context(state: &AppState) {
    provide_context(state.clone());
    if let Some(parts) = use_context::<http::request::Parts>() {
        let (lang, zone) = app::web::page_locale(&parts.headers);
        provide_context(lang);
        provide_context(zone);
        if let Some(nonce) = parts.extensions.get::<app::web::CspNonce>() {
            provide_context(leptos::nonce::Nonce::from_value(nonce.0.clone()));
        }
    }
}

/// Server-only parts of the HTTP surface.
#[derive(Default)]
pub struct RouterOptions {
    pub network: Network,
    pub metrics: crate::metrics::Exposure,
    pub oidc: Option<std::sync::Arc<crate::oidc::Oidc>>,
}

pub fn build_router(state: AppState, options: RouterOptions) -> Router {
    let network = std::sync::Arc::new(options.network);
    let exposure = std::sync::Arc::new(options.metrics);
    let metrics_handle = crate::metrics::install();
    let leptos_options = state.leptos_options.clone();
    let routes = generate_route_list(App);

    // Also registers every server function (under /rpc) with the same context.
    let context = {
        let state = state.clone();
        move || page_context(&state)
    };
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = leptos_options.clone();
            move || shell(options.clone())
        })
        .route_layer(from_fn(require_sign_in));

    let request_id = HeaderName::from_static(REQUEST_ID_HEADER);
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/prefs", axum::routing::post(set_preferences))
        .route(
            "/files/{id}/{variant}",
            get(crate::rest::attachments::download),
        )
        .route(
            "/tickets/{id}/attachments",
            axum::routing::post(crate::forms::attach_to_ticket)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route(
            "/assets/{id}/attachments",
            axum::routing::post(crate::forms::attach_to_asset)
                .layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/feeds/bookings/{file}", get(crate::rest::bookings::feed))
        .route(
            "/decide/{token}",
            get(crate::decide::show).post(crate::decide::decide),
        )
        .route(
            app::api::queues::TICKET_EVENTS_PATH,
            get(crate::events::ticket_events),
        )
        .route(
            "/api/docs",
            get(|| async { axum::response::Html(crate::openapi::docs_page()) }),
        )
        .route(
            "/metrics",
            get(move |headers: http::HeaderMap| {
                let (handle, exposure) = (metrics_handle.clone(), exposure.clone());
                async move { crate::metrics::guarded(handle, &exposure, &headers).await }
            }),
        )
        .merge(rest::router(options.oidc))
        .merge(pages)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(context, shell))
        .layer(from_fn(crate::metrics::track))
        .layer(from_fn_with_state(state.clone(), authenticate))
        .layer(from_fn_with_state(network.clone(), client_ip))
        .layer(from_fn_with_state(network.clone(), same_origin))
        .layer(from_fn_with_state(network.clone(), cors))
        .layer(from_fn_with_state(network, security_headers))
        .layer(from_fn(scope_request_id))
        .layer(from_fn(time_limit))
        .layer(
            TraceLayer::new_for_http()
                .on_response(
                    tower_http::trace::DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(tower_http::LatencyUnit::Millis),
                )
                .make_span_with(|req: &Request<Body>| {
                    let id = req
                        .headers()
                        .get(REQUEST_ID_HEADER)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default();
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        path = %req.uri().path(),
                        request_id = %id,
                        user_id = tracing::field::Empty,
                    )
                }),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(from_fn(drop_odd_request_id))
        .with_state(state)
}
