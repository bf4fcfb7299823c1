//! `/decide/{token}`: the page an approval email's Approve or Reject link
//! opens. GET only shows what the link would do; POST decides (as the
//! link's approver, from the link's version, once). Being signed in is not
//! needed, but someone else signed in on this browser is refused.

use app::domain::outgoing::LinkRefusal;
use app::outgoing::decide::{page, Shown};
use app::services::decision_links::{self, LinkView};
use app::state::AppState;
use app::web::Session;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Form};
use http::StatusCode;

#[derive(serde::Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    reason: Option<String>,
}

fn answer(status: StatusCode, html: String) -> Response {
    (
        status,
        [(http::header::CACHE_CONTROL, "no-store")],
        Html(html),
    )
        .into_response()
}

fn ticket_url(id: uuid::Uuid) -> String {
    format!("/tickets/{id}")
}

/// The page for what the service answered: `fine` shows the link's view
/// (confirm, or done), a refusal says why.
fn respond(
    result: Result<Result<LinkView, LinkRefusal>, app::services::ServiceError>,
    token: &str,
    headers: &http::HeaderMap,
    fine: fn(&LinkView) -> Shown<'_>,
) -> Response {
    let path = format!("/decide/{token}");
    match result {
        Ok(Ok(view)) => {
            let url = ticket_url(view.ticket_id);
            let (status, shown) = match &view.refusal {
                None => (StatusCode::OK, fine(&view)),
                Some(why @ LinkRefusal::ReasonRequired) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Shown::Refused(Some(&view), why),
                ),
                Some(why) => (StatusCode::CONFLICT, Shown::Refused(Some(&view), why)),
            };
            answer(status, page(shown, view.lang, &path, Some(&url)))
        }
        Ok(Err(why)) => {
            let (lang, _) = app::web::page_locale(headers);
            answer(
                StatusCode::NOT_FOUND,
                page(Shown::Refused(None, &why), lang, &path, None),
            )
        }
        Err(e) => crate::rest::error::RestError::from(e).into_response(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    session: Option<Extension<Session>>,
    headers: http::HeaderMap,
) -> Response {
    let viewer = session.map(|s| s.0.actor.id);
    let result = decision_links::open(&state.db, &state.decision_key, &token, viewer).await;
    respond(result, &token, &headers, |v| Shown::Confirm(v))
}

pub async fn decide(
    State(state): State<AppState>,
    Path(token): Path<String>,
    session: Option<Extension<Session>>,
    headers: http::HeaderMap,
    Form(form): Form<DecideForm>,
) -> Response {
    let viewer = session.map(|s| s.0.actor.id);
    let result = decision_links::decide(
        &state.db,
        &state.decision_key,
        &token,
        viewer,
        form.reason.as_deref(),
    )
    .await;
    if let Ok(Ok(view)) = &result {
        if view.refusal.is_none() {
            tracing::info!(ticket = %view.ticket_id, action = %view.action, "decided from an email link");
        }
    }
    respond(result, &token, &headers, |v| Shown::Done(v))
}
