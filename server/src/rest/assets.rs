//! `/api/v1/assets…`: the asset register, its actions, history, labels and
//! CSV export.

use super::csv;
use super::error::RestResult;
use super::extract::{Body, Caller, Path, Query};
use super::tickets::version_from;
use app::domain::asset::{
    AssetCommand, AssetCondition, AssetDetail, AssetHistoryEntry, AssetPatch, AssetQuery,
    AssetSummary, NewAsset,
};
use app::domain::{Money, Page, Refusal, UserRef};
use app::services::assets;
use app::services::{labels, ServiceError};
use app::state::AppState;
use axum::extract::State;
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use chrono::NaiveDate;
use http::header::{ETAG, LOCATION};
use http::{HeaderMap, StatusCode};
use serde::Deserialize;
use uuid::Uuid;

fn etag(asset: &AssetDetail) -> String {
    format!("\"{}\"", asset.version)
}

fn answer(asset: AssetDetail) -> Response {
    (AppendHeaders([(ETAG, etag(&asset))]), Json(asset)).into_response()
}

#[utoipa::path(get, path = "/api/v1/assets", tag = "assets", params(AssetQuery),
    responses((status = 200, description = "One page, newest first", body = Page<AssetSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(params): Query<AssetQuery>,
) -> RestResult<Json<Page<AssetSummary>>> {
    Ok(Json(
        assets::list(&state.read_db, &state.cursors, &session.actor, &params).await?,
    ))
}

/// The filtered assets as CSV (UTF-8 with a byte order mark).
#[utoipa::path(get, path = "/api/v1/assets/export.csv", tag = "assets", params(AssetQuery),
    responses((status = 200, description = "CSV", content_type = "text/csv", body = String)))]
pub async fn export_csv(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(params): Query<AssetQuery>,
) -> RestResult<Response> {
    if params.cursor.is_some() || params.limit.is_some() {
        return Err(ServiceError::Refused(Refusal::ExportTakesFilters).into());
    }
    let rows = assets::export(&state.read_db, &session.actor, &params).await?;
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let body = csv::lines(rows.into_iter().map(|r| {
        [
            csv::cell(&r.tag),
            csv::cell(&r.name),
            r.category.as_str().to_string(),
            csv::cell(r.serial_number.as_deref().unwrap_or_default()),
            r.condition.as_str().to_string(),
            r.status.as_str().to_string(),
            csv::cell(&r.location),
            csv::cell(r.holder_name.as_deref().unwrap_or_default()),
            csv::cell(r.holder_email.as_deref().unwrap_or_default()),
            day(r.purchase_date),
            r.purchase_price
                .map(|p| p.amount().normalize().to_string())
                .unwrap_or_default(),
            day(r.warranty_end),
        ]
    }));
    Ok(csv::download(
        "gadesk-assets.csv",
        "tag,name,category,serial_number,condition,status,location,holder,holder_email,purchase_date,purchase_price_idr,warranty_end\r\n",
        body,
    ))
}

#[utoipa::path(post, path = "/api/v1/assets", tag = "assets", request_body = NewAsset,
    responses((status = 201, description = "Registered (tag AST-000123 when none was given)", body = AssetDetail)))]
pub async fn create(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<NewAsset>,
) -> RestResult<Response> {
    let asset = assets::create(&state.db, &session.actor, input).await?;
    Ok((
        StatusCode::CREATED,
        AppendHeaders([
            (LOCATION, format!("/api/v1/assets/{}", asset.id)),
            (ETAG, etag(&asset)),
        ]),
        Json(asset),
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/assets/{id}", tag = "assets", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The asset; ETag is its version", body = AssetDetail)))]
pub async fn get_one(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Response> {
    Ok(answer(assets::get(&state.db, &session.actor, id).await?))
}

#[utoipa::path(patch, path = "/api/v1/assets/{id}", tag = "assets",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw")),
    request_body = AssetPatch,
    responses((status = 200, description = "Edited", body = AssetDetail)))]
pub async fn patch(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(mut patch): Body<AssetPatch>,
) -> RestResult<Response> {
    patch.version = version_from(&headers, patch.version)?;
    Ok(answer(
        assets::update(&state.db, &session.actor, id, patch).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/assets/{id}/history", tag = "assets", params(("id" = Uuid, Path)),
    responses((status = 200, description = "Newest first", body = Vec<AssetHistoryEntry>)))]
pub async fn history(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<AssetHistoryEntry>>> {
    Ok(Json(assets::history(&state.db, &session.actor, id).await?))
}

/// A printable 62 × 29 mm label with a QR code that opens the asset's page.
#[utoipa::path(get, path = "/api/v1/assets/{id}/label.svg", tag = "assets", params(("id" = Uuid, Path)),
    responses((status = 200, description = "SVG label", content_type = "image/svg+xml", body = String)))]
pub async fn label(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Response> {
    let asset = assets::get(&state.db, &session.actor, id).await?;
    let svg = labels::asset_label(&asset, &state.public_url).map_err(ServiceError::Internal)?;
    Ok((
        [
            (http::header::CONTENT_TYPE, "image/svg+xml"),
            (http::header::CACHE_CONTROL, "private, max-age=60"),
        ],
        svg,
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckOutBody {
    pub version: Option<i32>,
    /// The employee who receives it.
    pub holder_id: Uuid,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInBody {
    pub version: Option<i32>,
    pub condition: AssetCondition,
    /// Where it is kept now (unchanged when absent).
    #[schema(max_length = 200)]
    pub location: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    pub version: Option<i32>,
    #[schema(min_length = 1, max_length = 200)]
    pub location: String,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MaintenanceBody {
    pub version: Option<i32>,
    #[schema(min_length = 1, max_length = 200, example = "CV Teknik Jaya")]
    pub vendor: String,
    pub cost: Option<Money>,
    pub sent_on: NaiveDate,
    pub expected_back: Option<NaiveDate>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    pub version: Option<i32>,
    pub condition: AssetCondition,
    pub returned_on: NaiveDate,
    /// The final cost, when it differs from the estimate.
    pub cost: Option<Money>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetireBody {
    pub version: Option<i32>,
    #[schema(min_length = 1, max_length = 1000)]
    pub reason: String,
}

async fn run(
    state: &AppState,
    actor: &app::domain::Actor,
    id: Uuid,
    headers: &HeaderMap,
    version: Option<i32>,
    command: AssetCommand,
) -> RestResult<Response> {
    let version = version_from(headers, version)?;
    Ok(answer(
        assets::act(&state.db, actor, id, version, command).await?,
    ))
}

/// Hands an available asset to an employee.
#[utoipa::path(post, path = "/api/v1/assets/{id}/checkout", tag = "asset actions",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw")),
    request_body = CheckOutBody,
    responses((status = 200, description = "The asset after the action", body = AssetDetail)))]
pub async fn checkout(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(b): Body<CheckOutBody>,
) -> RestResult<Response> {
    let command = AssetCommand::CheckOut {
        holder_id: b.holder_id,
        note: b.note,
    };
    run(&state, &session.actor, id, &headers, b.version, command).await
}

/// Takes a checked-out asset back, recording its condition.
#[utoipa::path(post, path = "/api/v1/assets/{id}/checkin", tag = "asset actions",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw")),
    request_body = CheckInBody,
    responses((status = 200, description = "The asset after the action", body = AssetDetail)))]
pub async fn checkin(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(b): Body<CheckInBody>,
) -> RestResult<Response> {
    let command = AssetCommand::CheckIn {
        condition: b.condition,
        location: b.location,
        note: b.note,
    };
    run(&state, &session.actor, id, &headers, b.version, command).await
}

/// Records a new location.
#[utoipa::path(post, path = "/api/v1/assets/{id}/move", tag = "asset actions",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw")),
    request_body = MoveBody,
    responses((status = 200, description = "The asset after the action", body = AssetDetail)))]
pub async fn move_to(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(b): Body<MoveBody>,
) -> RestResult<Response> {
    let command = AssetCommand::Move {
        location: b.location,
        note: b.note,
    };
    run(&state, &session.actor, id, &headers, b.version, command).await
}

/// Sends an available asset to a vendor for maintenance.
#[utoipa::path(post, path = "/api/v1/assets/{id}/maintenance", tag = "asset actions",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw")),
    request_body = MaintenanceBody,
    responses((status = 200, description = "The asset after the action", body = AssetDetail)))]
pub async fn maintenance(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(b): Body<MaintenanceBody>,
) -> RestResult<Response> {
    let command = AssetCommand::SendToMaintenance {
        vendor: b.vendor,
        cost: b.cost.unwrap_or(Money::ZERO),
        sent_on: b.sent_on,
        expected_back: b.expected_back,
        note: b.note,
    };
    run(&state, &session.actor, id, &headers, b.version, command).await
}

/// Records the asset's return from maintenance.
#[utoipa::path(post, path = "/api/v1/assets/{id}/maintenance/return", tag = "asset actions",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw")),
    request_body = ReturnBody,
    responses((status = 200, description = "The asset after the action", body = AssetDetail)))]
pub async fn maintenance_return(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(b): Body<ReturnBody>,
) -> RestResult<Response> {
    let command = AssetCommand::ReturnFromMaintenance {
        condition: b.condition,
        returned_on: b.returned_on,
        cost: b.cost,
        note: b.note,
    };
    run(&state, &session.actor, id, &headers, b.version, command).await
}

/// Retires an asset for good.
#[utoipa::path(post, path = "/api/v1/assets/{id}/retire", tag = "asset actions",
    params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header, description = "The ETag you saw")),
    request_body = RetireBody,
    responses((status = 200, description = "The asset after the action", body = AssetDetail)))]
pub async fn retire(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    Body(b): Body<RetireBody>,
) -> RestResult<Response> {
    let command = AssetCommand::Retire { reason: b.reason };
    run(&state, &session.actor, id, &headers, b.version, command).await
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    #[param(max_length = 100)]
    pub q: Option<String>,
}

/// Active employees to hand an asset to (GA staff).
#[utoipa::path(get, path = "/api/v1/assets/holders", tag = "assets", params(PeopleParams),
    responses((status = 200, description = "At most 20, by name", body = Vec<UserRef>)))]
pub async fn holders(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(p): Query<PeopleParams>,
) -> RestResult<Json<Vec<UserRef>>> {
    Ok(Json(
        assets::people(&state.read_db, &session.actor, p.q.as_deref().unwrap_or("")).await?,
    ))
}
