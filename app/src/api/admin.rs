use super::ApiError;
use crate::domain::approval::ApprovalPolicy;
use crate::domain::events::SecurityEntry;
use crate::domain::{NewUserInput, UserAccount, UserUpdate};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[cfg(feature = "ssr")]
fn client() -> Result<crate::services::sessions::Client, ApiError> {
    let parts = super::ctx::parts()?;
    Ok(crate::web::client(&parts.headers, &parts.extensions))
}

#[server(prefix = "/rpc", endpoint = "admin/users")]
pub async fn admin_users() -> Result<Vec<UserAccount>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::users::list_users(&state.db, &actor).await?)
}

#[server(prefix = "/rpc", endpoint = "admin/users/update", input = Json)]
pub async fn update_user(id: Uuid, update: UserUpdate) -> Result<UserAccount, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::users::update_user(
        &state.db,
        &state.revocations,
        &actor,
        id,
        update,
        &client()?,
    )
    .await?)
}

#[server(prefix = "/rpc", endpoint = "admin/users/create", input = Json)]
pub async fn create_user(input: NewUserInput) -> Result<UserAccount, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(
        crate::services::users::create_user(&state.db, &state.passwords, &actor, input, &client()?)
            .await?,
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetResult {
    pub user: UserAccount,
    /// Generated on the server; shown once to the administrator.
    pub temporary_password: String,
}

#[server(prefix = "/rpc", endpoint = "admin/users/reset", input = Json)]
pub async fn reset_password(id: Uuid) -> Result<ResetResult, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let (row, temporary_password) = crate::services::users::reset_password(
        &state.db,
        &state.passwords,
        &state.revocations,
        &actor,
        id,
        None,
        &client()?,
    )
    .await?;
    Ok(ResetResult {
        user: row,
        temporary_password,
    })
}

#[server(prefix = "/rpc", endpoint = "admin/security-log")]
pub async fn security_log(before: Option<i64>) -> Result<Vec<SecurityEntry>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::audit::list(&state.db, &actor, before, 50).await?)
}

#[server(prefix = "/rpc", endpoint = "admin/policy")]
pub async fn get_approval_policy() -> Result<ApprovalPolicy, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::policy::get(&state.db, &actor).await?)
}

/// Thresholds as typed (`1.000.000`); parsed here like every amount.
#[server(prefix = "/rpc", endpoint = "admin/policy/set", input = Json)]
pub async fn set_approval_policy(
    thresholds: Vec<String>,
    cost_tolerance_percent: String,
    route_split_purchases: bool,
) -> Result<ApprovalPolicy, ApiError> {
    use crate::domain::{FieldErrors, Money};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let mut errors = FieldErrors::new();
    let mut parsed = Vec::new();
    for (i, t) in thresholds.iter().enumerate() {
        match Money::parse_input(t) {
            Ok(m) => parsed.push(m),
            Err(e) => errors.add(format!("thresholds[{i}]"), e.into()),
        }
    }
    let tolerance = cost_tolerance_percent.trim().parse::<u32>().ok();
    if tolerance.is_none() {
        errors.add(
            "cost_tolerance_percent",
            crate::domain::FieldError::PercentRange {
                max: crate::domain::approval::MAX_TOLERANCE_PERCENT,
            },
        );
    }
    errors.into_result(()).map_err(ApiError::Validation)?;
    let change = crate::services::policy::PolicyChange {
        thresholds: parsed,
        cost_tolerance_percent: tolerance,
        route_split_purchases: Some(route_split_purchases),
    };
    Ok(crate::services::policy::set(&state.db, &actor, change).await?)
}
