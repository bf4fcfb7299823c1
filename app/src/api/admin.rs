use super::ApiError;
use crate::domain::approval::ApprovalPolicy;
use crate::domain::{NewUserInput, UserUpdate};
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
    pub must_change_password: bool,
    pub version: i32,
}

#[cfg(feature = "ssr")]
impl From<crate::services::users::UserRow> for AdminUser {
    fn from(r: crate::services::users::UserRow) -> Self {
        AdminUser {
            id: r.id,
            email: r.email,
            name: r.name,
            department: r.department,
            role: r.role,
            manager_id: r.manager_id,
            active: r.active,
            must_change_password: r.must_change_password,
            version: r.version,
        }
    }
}

#[cfg(feature = "ssr")]
fn client() -> Result<crate::services::sessions::Client, ApiError> {
    let parts = super::ctx::parts()?;
    Ok(crate::web::client(&parts.headers, &parts.extensions))
}

#[server(prefix = "/rpc", endpoint = "admin/users")]
pub async fn admin_users() -> Result<Vec<AdminUser>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let rows = crate::services::users::list_users(&state.db, &actor).await?;
    Ok(rows.into_iter().map(AdminUser::from).collect())
}

#[server(prefix = "/rpc", endpoint = "admin/users/update", input = Json)]
pub async fn update_user(id: Uuid, update: UserUpdate) -> Result<AdminUser, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let row = crate::services::users::update_user(
        &state.db,
        &state.revocations,
        &actor,
        id,
        update,
        &client()?,
    )
    .await?;
    Ok(row.into())
}

#[server(prefix = "/rpc", endpoint = "admin/users/create", input = Json)]
pub async fn create_user(input: NewUserInput) -> Result<AdminUser, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let row =
        crate::services::users::create_user(&state.db, &state.passwords, &actor, input, &client()?)
            .await?;
    Ok(row.into())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetResult {
    pub user: AdminUser,
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
        user: row.into(),
        temporary_password,
    })
}

/// One line of the security log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub kind: String,
    pub who: String,
    pub by: Option<String>,
    pub client_ip: String,
    pub detail: String,
}

#[server(prefix = "/rpc", endpoint = "admin/security-log")]
pub async fn security_log(before: Option<i64>) -> Result<Vec<LogLine>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let events = crate::services::audit::list(&state.db, &actor, before, 50).await?;
    Ok(events
        .into_iter()
        .map(|e| LogLine {
            id: e.id,
            at: e.at,
            kind: e.kind,
            who: e.user_email.unwrap_or(e.email),
            by: e.actor_email,
            client_ip: e.client_ip,
            detail: e.detail,
        })
        .collect())
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
