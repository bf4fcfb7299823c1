//! Request plumbing: request ids, authentication, the sign-in guard for
//! pages.

use app::state::AppState;
use app::web::{session_from_headers, Session};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    /// The current request's id, so error bodies can quote it.
    pub static REQUEST_ID: String;
}

pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// Runs the rest of the request inside the request id's scope.
pub async fn scope_request_id(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    REQUEST_ID.scope(id, next.run(req)).await
}

/// Verifies the caller's token, if any, and records the session in the
/// request's extensions. Rejecting is left to the handlers: some routes are
/// public.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(session) = session_from_headers(&state, req.headers()) {
        tracing::Span::current().record("user_id", tracing::field::display(session.actor.id));
        req.extensions_mut().insert(session);
    }
    next.run(req).await
}

/// Pages need a signed-in user: anyone else is sent to `/login`, with the
/// page they wanted kept in `next`. The sign-in page itself sends signed-in
/// users home.
pub async fn require_sign_in(req: Request, next: Next) -> Response {
    let signed_in = req.extensions().get::<Session>().is_some();
    let path = req.uri().path();
    // Server functions answer for themselves (401-style errors, not redirects).
    if path.starts_with("/rpc/") {
        return next.run(req).await;
    }
    if path == "/login" {
        if signed_in {
            return Redirect::to("/").into_response();
        }
        return next.run(req).await;
    }
    if !signed_in {
        let target = req
            .uri()
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let location = if target == "/" {
            "/login".to_string()
        } else {
            format!("/login?next={}", encode_component(target))
        };
        return Redirect::to(&location).into_response();
    }
    next.run(req).await
}

fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_next_parameter() {
        assert_eq!(
            super::encode_component("/tickets/new?x=1&y"),
            "/tickets/new%3Fx%3D1%26y"
        );
    }
}
