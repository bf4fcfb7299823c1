use super::ApiError;
use crate::domain::approval::ApprovalPolicy;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A person in the admin list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminUser {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: String,
    pub manager_id: Option<Uuid>,
    pub active: bool,
    pub version: i32,
}

#[server(prefix = "/rpc", endpoint = "admin/users")]
pub async fn admin_users() -> Result<Vec<AdminUser>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let rows = crate::services::users::list_users(&state.db, &actor).await?;
    Ok(rows
        .into_iter()
        .map(|r| AdminUser {
            id: r.id,
            email: r.email,
            name: r.name,
            department: r.department,
            role: r.role,
            manager_id: r.manager_id,
            active: r.active,
            version: r.version,
        })
        .collect())
}

#[server(prefix = "/rpc", endpoint = "admin/manager", input = Json)]
pub async fn set_user_manager(
    user: Uuid,
    manager: Option<Uuid>,
    version: i32,
) -> Result<i32, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let row =
        crate::services::users::set_manager(&state.db, &actor, user, manager, version).await?;
    Ok(row.version)
}

#[server(prefix = "/rpc", endpoint = "admin/policy")]
pub async fn get_approval_policy() -> Result<ApprovalPolicy, ApiError> {
    let state = super::ctx::state()?;
    super::ctx::session()?;
    Ok(crate::services::policy::get(&state.db).await?)
}

/// Thresholds as typed (`1.000.000`); parsed here like every amount.
#[server(prefix = "/rpc", endpoint = "admin/policy/set", input = Json)]
pub async fn set_approval_policy(thresholds: Vec<String>) -> Result<ApprovalPolicy, ApiError> {
    use crate::domain::{FieldErrors, Money};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let mut errors = FieldErrors::new();
    let mut parsed = Vec::new();
    for (i, t) in thresholds.iter().enumerate() {
        match Money::parse_input(t) {
            Ok(m) => parsed.push(m),
            Err(e) => errors.add(format!("thresholds[{i}]"), e.to_string()),
        }
    }
    errors.into_result(()).map_err(ApiError::Validation)?;
    Ok(crate::services::policy::set(&state.db, &actor, parsed).await?)
}
