use super::error::{RestError, RestResult};
use super::extract::{AnyCaller, Body, Caller, ClientInfo, OptionalBody, Path};
use app::domain::user::SessionView;
use app::domain::Refusal;
use app::domain::{Actor, Permission};
use app::services::sessions::Issued;
use app::services::{auth, sessions, ServiceError};
use app::state::AppState;
use app::web::{clear_cookies, cookie_value, session_cookies};
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse};
use axum::Json;
use http::header::SET_COOKIE;
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "budi.santoso@example.co.id", "password": "kopi-susu-gula-aren"}))]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub must_change_password: bool,
    pub user: Me,
}

#[derive(Serialize, utoipa::ToSchema)]
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

fn tokens(state: &AppState, issued: Issued) -> impl IntoResponse {
    let [access, refresh] = session_cookies(state, &issued);
    (
        AppendHeaders([(SET_COOKIE, access), (SET_COOKIE, refresh)]),
        Json(TokenResponse {
            access_token: issued.access,
            refresh_token: issued.refresh,
            token_type: "Bearer",
            expires_in: state.keys.access_ttl_secs,
            must_change_password: issued.must_change_password,
            user: issued.actor.into(),
        }),
    )
}

/// Signs in: sets the session cookies for browsers and returns the tokens
/// for API clients.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", security(()),
    request_body = LoginRequest,
    responses((status = 200, description = "Signed in; cookies set", body = TokenResponse)))]
pub async fn login(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    Body(req): Body<LoginRequest>,
) -> RestResult<impl IntoResponse> {
    let deps = auth::Deps {
        db: &state.db,
        passwords: &state.passwords,
        keys: &state.keys,
        limiter: &state.limiter,
        limits: state.limits,
    };
    let issued = auth::login(&deps, &req.email, &req.password, &client).await?;
    Ok(tokens(&state, issued))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(max_length = 100)]
    pub refresh_token: Option<String>,
}

/// Rotates a refresh token (from the body, or the browser's cookie).
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", security(()),
    request_body(content = Option<RefreshRequest>, description = "The refresh token, or none to use the cookie"),
    responses((status = 200, description = "A new pair; the old refresh token is spent", body = TokenResponse)))]
pub async fn refresh(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    headers: HeaderMap,
    OptionalBody(body): OptionalBody<RefreshRequest>,
) -> RestResult<impl IntoResponse> {
    if state
        .limiter
        .hit(
            &format!("refresh:{}", client.network()),
            state.limits.refreshes_per_ip_per_minute,
            std::time::Duration::from_secs(60),
        )
        .is_err()
    {
        return Err(ServiceError::Refused(Refusal::TooManyAttempts { seconds: 60 }).into());
    }
    let token = body
        .refresh_token
        .or_else(|| app::web::refresh_cookie(&state, &headers).map(str::to_string))
        .ok_or(RestError(ServiceError::Refused(Refusal::SignInRequired)))?;
    match sessions::refresh(
        &state.db,
        &state.keys,
        &state.refresh_key,
        &state.revocations,
        &token,
        &client,
    )
    .await
    {
        Ok(issued) => Ok(tokens(&state, issued).into_response()),
        Err(
            e @ (ServiceError::Refused(Refusal::SessionEnded)
            | ServiceError::Refused(Refusal::SignInRequired)),
        ) => {
            let [a, r] = clear_cookies(&state);
            let mut res = RestError(e).into_response();
            for c in [a, r] {
                if let Ok(v) = http::HeaderValue::from_str(&c) {
                    res.headers_mut().append(SET_COOKIE, v);
                }
            }
            Ok(res)
        }
        Err(e) => Err(e.into()),
    }
}

/// Ends the caller's session everywhere it is used and clears the cookies.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204, description = "Signed out; cookies cleared")))]
pub async fn logout(
    State(state): State<AppState>,
    ClientInfo(client): ClientInfo,
    caller: Option<AnyCaller>,
) -> RestResult<impl IntoResponse> {
    if let Some(AnyCaller(session)) = caller {
        auth::logout(
            &state.db,
            &state.revocations,
            &session.actor,
            session.sid,
            &client,
        )
        .await?;
    }
    let [a, r] = clear_cookies(&state);
    Ok((
        StatusCode::NO_CONTENT,
        AppendHeaders([(SET_COOKIE, a), (SET_COOKIE, r)]),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MeResponse {
    #[serde(flatten)]
    pub me: Me,
    pub must_change_password: bool,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "auth",
    responses((status = 200, description = "The caller", body = MeResponse)))]
pub async fn me(AnyCaller(session): AnyCaller) -> Json<MeResponse> {
    Json(MeResponse {
        must_change_password: session.must_change_password,
        me: session.actor.into(),
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    #[schema(min_length = 10, max_length = 256)]
    pub new_password: String,
}

/// Changes the caller's password; every other session ends.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth",
    request_body = PasswordChange,
    responses((status = 200, description = "Changed; other sessions ended; new tokens", body = TokenResponse)))]
pub async fn change_password(
    State(state): State<AppState>,
    AnyCaller(session): AnyCaller,
    ClientInfo(client): ClientInfo,
    Body(req): Body<PasswordChange>,
) -> RestResult<impl IntoResponse> {
    let issued = auth::change_password(
        &state.db,
        &state.passwords,
        &state.keys,
        &state.revocations,
        &session.actor,
        &req.current_password,
        &req.new_password,
        &client,
    )
    .await?;
    Ok(tokens(&state, issued))
}

/// The caller's open sessions, the one in use first.
#[utoipa::path(get, path = "/api/v1/me/sessions", tag = "auth",
    responses((status = 200, description = "Open sessions: device, address, last seen", body = Vec<SessionView>)))]
pub async fn sessions(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<Vec<SessionView>>> {
    Ok(Json(
        sessions::list_mine(&state.db, &session.actor, session.sid).await?,
    ))
}

/// Signs out one of the caller's other sessions (the one in use is ended
/// with `POST /auth/logout`).
#[utoipa::path(delete, path = "/api/v1/me/sessions/{id}", tag = "auth", params(("id" = Uuid, Path)),
    responses((status = 204, description = "That session has ended")))]
pub async fn end_session(
    State(state): State<AppState>,
    Caller(session): Caller,
    ClientInfo(client): ClientInfo,
    Path(id): Path<Uuid>,
) -> RestResult<StatusCode> {
    end_others(&state, &session, Some(id), &client).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn end_others(
    state: &AppState,
    session: &app::web::Session,
    only: Option<Uuid>,
    client: &sessions::Client,
) -> Result<i64, ServiceError> {
    sessions::end_other_sessions(
        &state.db,
        &state.revocations,
        &session.actor,
        session.sid,
        only,
        client,
    )
    .await
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Ended {
    /// How many sessions ended.
    pub ended: i64,
}

/// Signs out every session of the caller except the one in use.
#[utoipa::path(post, path = "/api/v1/me/sessions/end-others", tag = "auth",
    responses((status = 200, description = "The others have ended", body = Ended)))]
pub async fn end_other_sessions(
    State(state): State<AppState>,
    Caller(session): Caller,
    ClientInfo(client): ClientInfo,
) -> RestResult<Json<Ended>> {
    let ended = end_others(&state, &session, None, &client).await?;
    Ok(Json(Ended { ended }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SsoStart {
    pub next: Option<String>,
}

fn flow_cookie(state: &AppState, value: &str, max_age: i64) -> String {
    format!(
        "{}={value}; Path=/api/v1/auth; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        crate::oidc::FLOW_COOKIE,
        if state.secure_cookies { "; Secure" } else { "" }
    )
}

/// `GET /auth/oidc/login`: off to the identity provider.
#[utoipa::path(get, path = "/api/v1/auth/oidc/login", tag = "auth", security(()), params(SsoStart),
    responses((status = 303, description = "Off to the identity provider")))]
pub async fn oidc_login(
    State(state): State<AppState>,
    axum::Extension(oidc): axum::Extension<Option<std::sync::Arc<crate::oidc::Oidc>>>,
    axum::extract::Query(q): axum::extract::Query<SsoStart>,
) -> RestResult<axum::response::Response> {
    let Some(oidc) = oidc else {
        return Err(Refusal::NoSuchRoute.into());
    };
    let next = app::web::safe_next(q.next.as_deref());
    match oidc.start(&next).await {
        Ok((url, cookie)) => Ok((
            AppendHeaders([(SET_COOKIE, flow_cookie(&state, &cookie, 600))]),
            axum::response::Redirect::to(&url),
        )
            .into_response()),
        Err(e) => {
            tracing::warn!(error = %e, "single sign-on could not start");
            Ok(axum::response::Redirect::to("/login?sso=failed").into_response())
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// `GET /auth/oauth2/callback`: back from the identity provider.
#[utoipa::path(get, path = "/api/v1/auth/oauth2/callback", tag = "auth", security(()), params(Callback),
    responses((status = 303, description = "Signed in (or back to /login?sso=failed)")))]
pub async fn oauth2_callback(
    State(state): State<AppState>,
    axum::Extension(oidc): axum::Extension<Option<std::sync::Arc<crate::oidc::Oidc>>>,
    ClientInfo(client): ClientInfo,
    headers: HeaderMap,
    axum::extract::Query(cb): axum::extract::Query<Callback>,
) -> RestResult<axum::response::Response> {
    let Some(oidc) = oidc else {
        return Err(Refusal::NoSuchRoute.into());
    };
    let clear_flow = flow_cookie(&state, "", 0);
    let failed = |why: String| {
        tracing::warn!(reason = %why, "single sign-on failed");
        (
            AppendHeaders([(SET_COOKIE, clear_flow.clone())]),
            axum::response::Redirect::to("/login?sso=failed"),
        )
            .into_response()
    };
    let (Some(code), Some(returned_state), None) = (cb.code, cb.state, cb.error.clone()) else {
        return Ok(failed(
            cb.error.unwrap_or_else(|| "missing code or state".into()),
        ));
    };
    let Some(cookie) = cookie_value(&headers, crate::oidc::FLOW_COOKIE) else {
        return Ok(failed("no flow cookie".into()));
    };
    let (identity, next) = match oidc.finish(&code, &returned_state, cookie).await {
        Ok(v) => v,
        Err(e) => return Ok(failed(e.to_string())),
    };
    match auth::sso_login(
        &state.db,
        &state.keys,
        &auth::SsoIdentity {
            issuer: &identity.issuer,
            subject: &identity.subject,
            email: &identity.email,
            name: &identity.name,
        },
        oidc.allowed_domains(),
        &client,
    )
    .await
    {
        Ok(issued) => {
            let [access, refresh] = session_cookies(&state, &issued);
            let target = if issued.must_change_password {
                "/".to_string()
            } else {
                next
            };
            Ok((
                AppendHeaders([
                    (SET_COOKIE, access),
                    (SET_COOKIE, refresh),
                    (SET_COOKIE, clear_flow),
                ]),
                axum::response::Redirect::to(&target),
            )
                .into_response())
        }
        Err(e) => Ok(failed(e.to_string())),
    }
}
