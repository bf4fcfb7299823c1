use super::error::RestResult;
use super::extract::{Body, Caller, Path};
use app::services::users::{self, UserRow};
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use uuid::Uuid;

pub async fn list(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<Vec<UserRow>>> {
    Ok(Json(users::list_users(&state.db, &session.actor).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub version: i32,
    /// `null` clears the manager.
    pub manager_id: Option<Uuid>,
}

pub async fn patch(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(p): Body<UserPatch>,
) -> RestResult<Json<UserRow>> {
    Ok(Json(
        users::set_manager(&state.db, &session.actor, id, p.manager_id, p.version).await?,
    ))
}
