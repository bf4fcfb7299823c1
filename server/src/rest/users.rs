use super::error::RestResult;
use super::extract::{Body, Caller, ClientInfo, OptionalBody, Path, Query};
use app::domain::events::SecurityEntry;
use app::domain::{NewUserInput, UserAccount, UserUpdate};
use app::services::{audit, users};
use app::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/users", tag = "users",
    responses((status = 200, description = "All users (admins)", body = Vec<UserAccount>)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<Vec<UserAccount>>> {
    Ok(Json(users::list_users(&state.db, &session.actor).await?))
}

#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)),
    responses((status = 200, description = "A user", body = UserAccount)))]
pub async fn get_one(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<UserAccount>> {
    Ok(Json(users::get_user(&state.db, &session.actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/users", tag = "users", request_body = NewUserInput,
    responses((status = 201, description = "Created", body = UserAccount)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(session): Caller,
    ClientInfo(client): ClientInfo,
    Body(input): Body<NewUserInput>,
) -> RestResult<impl IntoResponse> {
    let user =
        users::create_user(&state.db, &state.passwords, &session.actor, input, &client).await?;
    Ok((StatusCode::CREATED, Json(user)))
}

#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", params(("id" = Uuid, Path)), request_body = UserUpdate,
    responses((status = 200, description = "Changed", body = UserAccount)))]
pub async fn patch(
    State(state): State<AppState>,
    Caller(session): Caller,
    ClientInfo(client): ClientInfo,
    Path(id): Path<Uuid>,
    Body(update): Body<UserUpdate>,
) -> RestResult<Json<UserAccount>> {
    Ok(Json(
        users::update_user(
            &state.db,
            &state.revocations,
            &session.actor,
            id,
            update,
            &client,
        )
        .await?,
    ))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    /// Leave out to have the server generate one.
    pub temporary_password: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ResetResponse {
    pub user: UserAccount,
    pub temporary_password: String,
}

#[utoipa::path(post, path = "/api/v1/users/{id}/reset-password", tag = "users", params(("id" = Uuid, Path)),
    request_body(content = Option<ResetRequest>),
    responses((status = 200, description = "Reset; the user must change it at next sign-in", body = ResetResponse)))]
pub async fn reset_password(
    State(state): State<AppState>,
    Caller(session): Caller,
    ClientInfo(client): ClientInfo,
    Path(id): Path<Uuid>,
    OptionalBody(req): OptionalBody<ResetRequest>,
) -> RestResult<Json<ResetResponse>> {
    let (user, temporary_password) = users::reset_password(
        &state.db,
        &state.passwords,
        &state.revocations,
        &session.actor,
        id,
        req.temporary_password.as_deref(),
        &client,
    )
    .await?;
    Ok(Json(ResetResponse {
        user,
        temporary_password,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LogParams {
    pub before: Option<i64>,
    pub limit: Option<i64>,
}

#[utoipa::path(get, path = "/api/v1/security-events", tag = "users", params(LogParams),
    responses((status = 200, description = "Newest first (admins)", body = Vec<SecurityEntry>)))]
pub async fn security_events(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(p): Query<LogParams>,
) -> RestResult<Json<Vec<SecurityEntry>>> {
    Ok(Json(
        audit::list(&state.db, &session.actor, p.before, p.limit.unwrap_or(50)).await?,
    ))
}
