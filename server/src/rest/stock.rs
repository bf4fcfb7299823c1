//! `/api/v1/stock…`: consumable stock items and their movements.

use super::error::RestResult;
use super::extract::{Body, Caller, Path, Query};
use super::tickets::version_from;
use app::domain::stock::{Movement, NewMovement, NewStockItem, StockItem, StockItemPatch};
use app::domain::Page;
use app::services::stock::{self, StockQuery};
use app::state::AppState;
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use http::header::{ETAG, LOCATION};
use http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

fn answer(item: StockItem) -> Response {
    (
        AppendHeaders([(ETAG, format!("\"{}\"", item.version))]),
        Json(item),
    )
        .into_response()
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Part of the name or SKU.
    #[param(max_length = 100)]
    pub q: Option<String>,
    /// Only items at or below their reorder level.
    pub low: Option<bool>,
    /// Include items no longer stocked.
    pub inactive: Option<bool>,
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// Stock items by name; `available` = on hand − reserved.
#[utoipa::path(get, path = "/api/v1/stock", tag = "stock", params(ListParams),
    responses((status = 200, description = "One page, by name", body = Page<StockItem>)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(p): Query<ListParams>,
) -> RestResult<Json<Page<StockItem>>> {
    let query = StockQuery {
        q: p.q,
        low_only: p.low.unwrap_or(false),
        include_inactive: p.inactive.unwrap_or(false),
        cursor: p.cursor,
        limit: p.limit,
    };
    Ok(Json(
        stock::list(&state.read_db, &state.cursors, &session.actor, &query).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/stock", tag = "stock", request_body = NewStockItem,
    responses((status = 201, description = "Created; an opening quantity is recorded as a receipt", body = StockItem)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<NewStockItem>,
) -> RestResult<Response> {
    let item = stock::create(&state.db, &session.actor, input).await?;
    Ok((
        StatusCode::CREATED,
        AppendHeaders([
            (LOCATION, format!("/api/v1/stock/{}", item.id)),
            (ETAG, format!("\"{}\"", item.version)),
        ]),
        Json(item),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/stock/{id}", tag = "stock", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The item", body = StockItem)))]
pub async fn get_one(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Response> {
    Ok(answer(stock::get(&state.db, &session.actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/stock/{id}", tag = "stock",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw")),
    request_body = StockItemPatch,
    responses((status = 200, description = "Edited", body = StockItem)))]
pub async fn patch(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(mut patch): Body<StockItemPatch>,
) -> RestResult<Response> {
    patch.version = version_from(&headers, patch.version)?;
    Ok(answer(
        stock::update(&state.db, &session.actor, id, patch).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/stock/{id}/movements", tag = "stock", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The newest 100, newest first", body = Vec<Movement>)))]
pub async fn movements(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<Movement>>> {
    Ok(Json(stock::movements(&state.db, &session.actor, id).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Moved {
    pub item: StockItem,
    pub movement: Movement,
}

/// Receives, issues or corrects stock; on hand never goes below zero.
#[utoipa::path(post, path = "/api/v1/stock/{id}/movements", tag = "stock",
    params(("id" = Uuid, Path)), request_body = NewMovement,
    responses((status = 201, description = "Recorded", body = Moved)))]
pub async fn add_movement(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(input): Body<NewMovement>,
) -> RestResult<Response> {
    let (item, movement) = stock::move_stock(&state.db, &session.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(Moved { item, movement })).into_response())
}
