use super::ApiError;
use crate::domain::Actor;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
fn set_cookies(cookies: [String; 2]) -> Result<(), ApiError> {
    use http::header::{HeaderValue, SET_COOKIE};
    let response = expect_context::<leptos_axum::ResponseOptions>();
    for c in cookies {
        response.append_header(
            SET_COOKIE,
            HeaderValue::from_str(&c).map_err(|e| {
                tracing::error!(error = %e, "cookie is not a header value");
                ApiError::Refused(crate::domain::Refusal::ServerError)
            })?,
        );
    }
    Ok(())
}

/// Signs in and sets the session cookies. Returns where to go next. A plain
/// HTML form post (no WASM yet) is answered with a redirect instead.
#[server(prefix = "/rpc", endpoint = "login")]
pub async fn login(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<String, ApiError> {
    use super::ctx;
    use crate::services::auth;
    let state = ctx::state()?;
    let parts = ctx::parts()?;
    let client = crate::web::client(&parts.headers, &parts.extensions);
    let deps = auth::Deps {
        db: &state.db,
        passwords: &state.passwords,
        keys: &state.keys,
        limiter: &state.limiter,
        limits: state.limits,
    };
    let issued = auth::login(&deps, &email, &password, &client).await?;
    set_cookies(crate::web::session_cookies(&state, &issued))?;
    let next = if issued.must_change_password {
        "/account/password?required=1".to_string()
    } else {
        crate::web::safe_next(next.as_deref())
    };
    if ctx::is_plain_form_post()? {
        leptos_axum::redirect(&next);
    }
    Ok(next)
}

/// Ends this session and clears its cookies.
#[server(prefix = "/rpc", endpoint = "logout")]
pub async fn logout() -> Result<(), ApiError> {
    use super::ctx;
    let state = ctx::state()?;
    if let Ok(session) = ctx::any_session() {
        let parts = ctx::parts()?;
        let client = crate::web::client(&parts.headers, &parts.extensions);
        crate::services::auth::logout(
            &state.db,
            &state.revocations,
            &session.actor,
            session.sid,
            &client,
        )
        .await?;
    }
    set_cookies(crate::web::clear_cookies(&state))?;
    if ctx::is_plain_form_post()? {
        leptos_axum::redirect("/login");
    }
    Ok(())
}

/// Whether single sign-on is configured.
#[server(prefix = "/rpc", endpoint = "sso")]
pub async fn sso_enabled() -> Result<bool, ApiError> {
    Ok(super::ctx::state()?.sso_enabled)
}

/// Who is signed in, or `None`.
#[server(prefix = "/rpc", endpoint = "me")]
pub async fn current_user() -> Result<Option<Actor>, ApiError> {
    match super::ctx::any_session() {
        Ok(s) => Ok(Some(s.actor)),
        Err(ApiError::Refused(crate::domain::Refusal::SignInRequired)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Changes the caller's password; other sessions end, this one continues
/// with fresh cookies.
#[server(prefix = "/rpc", endpoint = "account/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    use super::ctx;
    let state = ctx::state()?;
    let session = ctx::any_session()?;
    let parts = ctx::parts()?;
    let client = crate::web::client(&parts.headers, &parts.extensions);
    let issued = crate::services::auth::change_password(
        &state.db,
        &state.passwords,
        &state.keys,
        &state.revocations,
        &session.actor,
        &current_password,
        &new_password,
        &client,
    )
    .await?;
    set_cookies(crate::web::session_cookies(&state, &issued))?;
    Ok(())
}

/// The caller's open sessions, the one in use first.
#[server(prefix = "/rpc", endpoint = "account/sessions")]
pub async fn my_sessions() -> Result<Vec<crate::domain::user::SessionView>, ApiError> {
    let state = super::ctx::state()?;
    let session = super::ctx::session()?;
    Ok(crate::services::sessions::list_mine(&state.db, &session.actor, session.sid).await?)
}

/// Signs out one other session (`Some`) or every other one (`None`).
#[server(prefix = "/rpc", endpoint = "account/sessions/end")]
pub async fn end_sessions(id: Option<uuid::Uuid>) -> Result<i64, ApiError> {
    let state = super::ctx::state()?;
    let session = super::ctx::session()?;
    let parts = super::ctx::parts()?;
    let client = crate::web::client(&parts.headers, &parts.extensions);
    Ok(crate::services::sessions::end_other_sessions(
        &state.db,
        &state.revocations,
        &session.actor,
        session.sid,
        id,
        &client,
    )
    .await?)
}
