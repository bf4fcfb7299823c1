use super::error::RestResult;
use super::extract::{Body, Caller};
use app::domain::{Actor, Permission};
use app::services::users;
use app::state::AppState;
use app::web::{access_cookie, clear_access_cookie};
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use http::header::SET_COOKIE;
use http::StatusCode;
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize)]
pub struct LoginResponse {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub user: Me,
}

#[derive(Serialize)]
pub struct Me {
    #[serde(flatten)]
    pub actor: Actor,
    pub permissions: &'static [Permission],
}

impl From<Actor> for Me {
    fn from(actor: Actor) -> Self {
        let permissions = actor.role.permissions();
        Me { actor, permissions }
    }
}

/// Signs in: sets the session cookie for browsers and returns the access
/// token for API clients.
pub async fn login(
    State(state): State<AppState>,
    Body(req): Body<LoginRequest>,
) -> RestResult<impl IntoResponse> {
    let actor = users::authenticate(&state.db, &state.passwords, &req.email, &req.password).await?;
    let token = state.keys.issue_access(&actor, uuid::Uuid::now_v7())?;
    let cookie = access_cookie(&state, &token);
    Ok((
        AppendHeaders([(SET_COOKIE, cookie)]),
        Json(LoginResponse {
            access_token: token,
            token_type: "Bearer",
            expires_in: state.keys.access_ttl_secs,
            user: actor.into(),
        }),
    ))
}

pub async fn logout(State(state): State<AppState>) -> impl IntoResponse {
    (
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, clear_access_cookie(&state))]),
    )
}

pub async fn me(Caller(session): Caller) -> Json<Me> {
    Json(session.actor.into())
}
