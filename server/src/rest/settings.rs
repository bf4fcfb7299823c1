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
#[schema(example = json!({"thresholds": ["1000000.00", "10000000.00"], "cost_tolerance_percent": 10, "route_split_purchases": false}))]
pub struct PolicyInput {
    pub thresholds: Vec<Money>,
    /// How far (per cent) an actual cost may exceed the approved total
    /// before completing needs a new decision; unchanged when absent.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 1000)]
    pub cost_tolerance_percent: Option<u32>,
    /// Route split purchases to approval; unchanged when absent.
    #[serde(default)]
    pub route_split_purchases: Option<bool>,
}

#[utoipa::path(put, path = "/api/v1/settings/approval-policy", tag = "settings", request_body = PolicyInput,
    responses((status = 200, description = "Saved (admins)", body = ApprovalPolicy)))]
pub async fn set_policy(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<PolicyInput>,
) -> RestResult<Json<ApprovalPolicy>> {
    Ok(Json(
        policy::set(
            &state.db,
            &session.actor,
            policy::PolicyChange {
                thresholds: input.thresholds,
                cost_tolerance_percent: input.cost_tolerance_percent,
                route_split_purchases: input.route_split_purchases,
            },
        )
        .await?,
    ))
}
