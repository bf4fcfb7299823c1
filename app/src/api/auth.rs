use super::ApiError;
use crate::domain::Actor;
use leptos::prelude::*;

/// Only same-site paths are allowed as a place to return to after signing in.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

/// Signs in and sets the session cookie. Returns where to go next. A plain
/// HTML form post (no WASM yet) is answered with a redirect instead.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<String, ApiError> {
    use super::ctx;
    use crate::services::users;
    use http::header::{HeaderValue, SET_COOKIE};
    use leptos_axum::ResponseOptions;

    let state = ctx::state()?;
    let actor = users::authenticate(&state.db, &state.passwords, &email, &password).await?;
    let token = state.keys.issue_access(&actor, uuid::Uuid::now_v7())?;
    let response = expect_context::<ResponseOptions>();
    let cookie = crate::web::access_cookie(&state, &token);
    response.append_header(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| ApiError::Server(e.to_string()))?,
    );
    let next = safe_next(next.as_deref());
    if ctx::is_plain_form_post()? {
        leptos_axum::redirect(&next);
    }
    tracing::info!(user = %actor.id, "signed in");
    Ok(next)
}

/// Ends the session by clearing its cookie.
#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    use http::header::{HeaderValue, SET_COOKIE};
    use leptos_axum::ResponseOptions;

    let state = super::ctx::state()?;
    let response = expect_context::<ResponseOptions>();
    let cookie = crate::web::clear_access_cookie(&state);
    response.append_header(
        SET_COOKIE,
        HeaderValue::from_str(&cookie).map_err(|e| ApiError::Server(e.to_string()))?,
    );
    if super::ctx::is_plain_form_post()? {
        leptos_axum::redirect("/login");
    }
    Ok(())
}

/// Who is signed in, or `None`.
#[server(prefix = "/rpc", endpoint = "me")]
pub async fn current_user() -> Result<Option<Actor>, ApiError> {
    match super::ctx::session() {
        Ok(s) => Ok(Some(s.actor)),
        Err(ApiError::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/tickets/new")), "/tickets/new");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
