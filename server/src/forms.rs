//! Forms that post without WebAssembly: attaching files from the ticket
//! and asset pages. Success goes back to the page; a refusal gets a page
//! saying why.

use crate::rest::attachments::receive;
use app::services::attachments::Owner;
use app::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use http::{header, HeaderMap, StatusCode};
use uuid::Uuid;

pub async fn attach_to_ticket(
    State(state): State<AppState>,
    session: Option<axum::Extension<app::web::Session>>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    attach(state, session, Owner::Ticket(id), headers, body).await
}

pub async fn attach_to_asset(
    State(state): State<AppState>,
    session: Option<axum::Extension<app::web::Session>>,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    attach(state, session, Owner::Asset(id), headers, body).await
}

async fn attach(
    state: AppState,
    session: Option<axum::Extension<app::web::Session>>,
    owner: Owner,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let back = owner.page_path();
    let Some(axum::Extension(session)) = session else {
        return (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("/login?next={back}"))],
        )
            .into_response();
    };
    match receive(&state, &session.actor, owner, &headers, body).await {
        Ok(_) => (
            StatusCode::SEE_OTHER,
            [(header::LOCATION, format!("{back}#files"))],
        )
            .into_response(),
        Err(e) => {
            let (lang, _) = app::web::page_locale(&headers);
            let (kind, problem) = crate::rest::error::Problem::of(&e.0, lang);
            (
                app::web::status(kind),
                Html(app::outgoing::upload::refused_page(
                    lang,
                    &problem.detail,
                    &back,
                )),
            )
                .into_response()
        }
    }
}
