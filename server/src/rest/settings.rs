use super::error::RestResult;
use super::extract::{Body, Caller};
use app::domain::approval::ApprovalPolicy;
use app::domain::Money;
use app::services::policy;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Deserialize;

#[utoipa::path(get, path = "/api/v1/settings/approval-policy", tag = "settings",
    responses((status = 200, description = "Thresholds per level", body = ApprovalPolicy)))]
pub async fn policy(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<ApprovalPolicy>> {
    Ok(Json(policy::get(&state.db, &session.actor).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"thresholds": ["1000000.00", "10000000.00"]}))]
pub struct PolicyInput {
    pub thresholds: Vec<Money>,
}

#[utoipa::path(put, path = "/api/v1/settings/approval-policy", tag = "settings", request_body = PolicyInput,
    responses((status = 200, description = "Saved (admins)", body = ApprovalPolicy)))]
pub async fn set_policy(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<PolicyInput>,
) -> RestResult<Json<ApprovalPolicy>> {
    Ok(Json(
        policy::set(&state.db, &session.actor, input.thresholds).await?,
    ))
}
