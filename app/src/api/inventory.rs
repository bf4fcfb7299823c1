//! Server functions for the asset and stock pages.

use super::ApiError;
use crate::domain::asset::{
    AssetCommand, AssetDetail, AssetHistoryEntry, AssetPatch, AssetQuery, AssetSummary, NewAsset,
};
use crate::domain::stock::{Movement, MovementKind, NewStockItem, StockItem};
use crate::domain::{Page, UserRef};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[server(prefix = "/rpc", endpoint = "assets/list", input = Json)]
pub async fn list_assets(
    filters: AssetQuery,
    cursor: Option<String>,
) -> Result<Page<AssetSummary>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let query = AssetQuery { cursor, ..filters };
    Ok(crate::services::assets::list(&state.read_db, &state.cursors, &actor, &query).await?)
}

/// Everything the asset page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssetPageData {
    pub asset: AssetDetail,
    pub history: Vec<AssetHistoryEntry>,
    /// Photos, invoice, warranty card, handover documents.
    pub files: Vec<crate::domain::attachment::Attachment>,
    pub can_manage: bool,
}

#[server(prefix = "/rpc", endpoint = "assets/page")]
pub async fn asset_page(id: Uuid) -> Result<AssetPageData, ApiError> {
    use crate::domain::Permission;
    use crate::services::assets;
    use crate::services::attachments::{self, Owner};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let (asset, history, files) = tokio::try_join!(
        assets::get(&state.db, &actor, id),
        assets::history(&state.db, &actor, id),
        attachments::list(&state.db, &state.files, &actor, Owner::Asset(id))
    )?;
    Ok(AssetPageData {
        asset,
        history,
        files,
        can_manage: actor.can(Permission::AssetsManage),
    })
}

#[server(prefix = "/rpc", endpoint = "assets/create", input = Json)]
pub async fn create_asset(input: NewAsset) -> Result<AssetDetail, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::assets::create(&state.db, &actor, input).await?)
}

#[server(prefix = "/rpc", endpoint = "assets/edit", input = Json)]
pub async fn edit_asset(id: Uuid, patch: AssetPatch) -> Result<AssetDetail, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::assets::update(&state.db, &actor, id, patch).await?)
}

#[server(prefix = "/rpc", endpoint = "assets/act", input = Json)]
pub async fn act_on_asset(
    id: Uuid,
    version: i32,
    command: AssetCommand,
) -> Result<AssetDetail, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::assets::act(&state.db, &actor, id, Some(version), command).await?)
}

#[server(prefix = "/rpc", endpoint = "assets/holders")]
pub async fn find_holders(q: String) -> Result<Vec<UserRef>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::assets::people(&state.read_db, &actor, &q).await?)
}

#[server(prefix = "/rpc", endpoint = "assets/available")]
pub async fn available_assets(q: String) -> Result<Vec<AssetSummary>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::assets::available(&state.read_db, &state.cursors, &actor, &q).await?)
}

#[server(prefix = "/rpc", endpoint = "stock/list")]
pub async fn list_stock(
    q: String,
    low: bool,
    cursor: Option<String>,
) -> Result<Page<StockItem>, ApiError> {
    use crate::services::stock::{list, StockQuery};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let query = StockQuery {
        q: Some(q).filter(|q| !q.trim().is_empty()),
        low_only: low,
        include_inactive: false,
        cursor,
        limit: Some(50),
    };
    Ok(list(&state.read_db, &state.cursors, &actor, &query).await?)
}

/// Stock items matching what the requester types, for the item picker.
#[server(prefix = "/rpc", endpoint = "stock/pick")]
pub async fn pick_stock(q: String) -> Result<Vec<StockItem>, ApiError> {
    use crate::services::stock::{list, StockQuery};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let query = StockQuery {
        q: Some(q).filter(|q| !q.trim().is_empty()),
        limit: Some(8),
        ..StockQuery::default()
    };
    Ok(list(&state.read_db, &state.cursors, &actor, &query)
        .await?
        .items)
}

#[server(prefix = "/rpc", endpoint = "stock/create", input = Json)]
pub async fn create_stock_item(input: NewStockItem) -> Result<StockItem, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::stock::create(&state.db, &actor, input).await?)
}

#[server(prefix = "/rpc", endpoint = "stock/move", input = Json)]
pub async fn move_stock(
    id: Uuid,
    kind: MovementKind,
    quantity: i32,
    reason: String,
) -> Result<StockItem, ApiError> {
    use crate::domain::stock::NewMovement;
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let input = NewMovement {
        kind,
        quantity,
        reason,
        ticket_id: None,
    };
    Ok(
        crate::services::stock::move_stock(&state.db, &actor, id, input)
            .await?
            .0,
    )
}

#[server(prefix = "/rpc", endpoint = "stock/movements")]
pub async fn stock_movements(id: Uuid) -> Result<Vec<Movement>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::stock::movements(&state.db, &actor, id).await?)
}

/// How many stock items need reordering (0 for people who do not manage
/// stock): the badge in the navigation.
#[server(prefix = "/rpc", endpoint = "stock/low-count")]
pub async fn low_stock_count() -> Result<i64, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::stock::low_count(&state.read_db, &actor).await?)
}
