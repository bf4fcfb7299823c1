//! Sites, their closed days and the service-level targets, for the
//! administrators' page.

use super::ApiError;
use crate::domain::holidays::HolidayKind;
use crate::domain::service_level::{Policy, Targets};
use crate::domain::site::{ClosedDay, ClosedDayInput, Site};
use crate::domain::ticket::{Category, Priority};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLevelsData {
    pub sites: Vec<Site>,
    /// This year's and next year's closed days, of every site.
    pub days: Vec<ClosedDay>,
    pub policies: Vec<Policy>,
}

#[server(prefix = "/rpc", endpoint = "admin/service-levels")]
pub async fn calendar_data() -> Result<ServiceLevelsData, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    if !actor.can(crate::domain::Permission::UsersManage) {
        return Err(ApiError::Refused(crate::domain::Refusal::SitesAdminOnly));
    }
    let db = &state.db;
    let [this, next] = crate::services::sites::current_years();
    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(this, 1, 1).unwrap_or_default(),
        chrono::NaiveDate::from_ymd_opt(next, 12, 31).unwrap_or_default(),
    );
    Ok(ServiceLevelsData {
        sites: crate::services::sites::list(db).await?,
        days: crate::services::sites::closed_days(db, None, from, to).await?,
        policies: crate::services::service_levels::policies(db).await?,
    })
}

#[server(prefix = "/rpc", endpoint = "admin/closed-days/add", input = Json)]
pub async fn add_closed_day(input: ClosedDayInput) -> Result<ClosedDay, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::sites::add_closed_day(&state.db, &actor, input).await?)
}

#[server(prefix = "/rpc", endpoint = "admin/closed-days/remove", input = Json)]
pub async fn remove_closed_day(id: i64) -> Result<(), ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::sites::remove_closed_day(&state.db, &actor, id).await?)
}

#[server(prefix = "/rpc", endpoint = "admin/closed-days/import", input = Json)]
pub async fn import_closed_days(
    site_id: Option<Uuid>,
    kind: HolidayKind,
    ics: String,
) -> Result<u64, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::sites::import_ics(&state.db, &actor, site_id, kind, &ics).await?)
}

#[server(prefix = "/rpc", endpoint = "admin/service-levels/set", input = Json)]
pub async fn set_targets(
    category: Category,
    priority: Priority,
    version: i32,
    targets: Targets,
) -> Result<Policy, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::service_levels::update_policy(
        &state.db, &actor, category, priority, version, targets,
    )
    .await?)
}
