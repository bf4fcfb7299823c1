//! Out of office: a person's periods away and who decides for them.

use super::ApiError;
use crate::domain::site::{Delegation, DelegationInput};
use crate::domain::UserRef;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the out-of-office page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AwayData {
    /// Periods the person is away, and those they decide for someone.
    pub periods: Vec<Delegation>,
    /// Who may stand in: the other active approvers and administrators.
    pub delegates: Vec<UserRef>,
    /// Whether this person approves at all (others have nothing to delegate).
    pub approves: bool,
    pub me: Uuid,
}

#[server(prefix = "/rpc", endpoint = "account/away")]
pub async fn away_page() -> Result<AwayData, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let db = &state.db;
    Ok(AwayData {
        periods: crate::services::delegations::mine(db, &actor).await?,
        delegates: crate::services::delegations::candidates(db, &actor).await?,
        approves: actor.can(crate::domain::Permission::TicketsApprove),
        me: actor.id,
    })
}

#[server(prefix = "/rpc", endpoint = "account/away/set", input = Json)]
pub async fn set_away(input: DelegationInput) -> Result<Delegation, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::delegations::set(&state.db, &actor, input).await?)
}

#[server(prefix = "/rpc", endpoint = "account/away/end", input = Json)]
pub async fn end_away(id: Uuid, version: i32) -> Result<(), ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::delegations::end(&state.db, &actor, id, version).await?)
}
