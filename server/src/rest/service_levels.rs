//! Sites and their calendars, service-level targets and out-of-office
//! delegation.

use super::error::RestResult;
use super::extract::{Body, Caller, Path, Query};
use app::domain::holidays::HolidayKind;
use app::domain::service_level::{Policy, Targets};
use app::domain::site::{ClosedDay, ClosedDayInput, Delegation, DelegationInput, Site, SiteInput};
use app::domain::ticket::{Category, Priority};
use app::services::{delegations, service_levels, sites};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/sites", tag = "service levels",
    responses((status = 200, description = "Every site, head office first", body = Vec<Site>)))]
pub async fn list_sites(
    State(state): State<AppState>,
    Caller(_session): Caller,
) -> RestResult<Json<Vec<Site>>> {
    Ok(Json(sites::list(&state.db).await?))
}

#[utoipa::path(post, path = "/api/v1/sites", tag = "service levels", request_body = SiteInput,
    responses((status = 201, description = "Created (administrators)", body = Site)))]
pub async fn create_site(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<SiteInput>,
) -> RestResult<(StatusCode, Json<Site>)> {
    let site = sites::create(&state.db, &session.actor, input).await?;
    Ok((StatusCode::CREATED, Json(site)))
}

/// A change of a site, from the version the administrator saw.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct SiteChange {
    #[serde(flatten)]
    pub site: SiteInput,
    pub version: i32,
}

#[utoipa::path(put, path = "/api/v1/sites/{id}", tag = "service levels", params(("id" = Uuid, Path)),
    request_body = SiteChange,
    responses((status = 200, description = "Changed; open tickets' due times follow", body = Site)))]
pub async fn update_site(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(change): Body<SiteChange>,
) -> RestResult<Json<Site>> {
    Ok(Json(
        sites::update(&state.db, &session.actor, id, change.version, change.site).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ClosedDayParams {
    /// Days that apply to this site (its own and the national ones); all
    /// sites' days when absent.
    pub site: Option<Uuid>,
    /// First day (default: 1 January of this year).
    pub from: Option<NaiveDate>,
    /// Last day (default: 31 December of next year).
    pub to: Option<NaiveDate>,
}

#[utoipa::path(get, path = "/api/v1/closed-days", tag = "service levels", params(ClosedDayParams),
    responses((status = 200, description = "Holidays, cuti bersama and closures, by day", body = Vec<ClosedDay>)))]
pub async fn closed_days(
    State(state): State<AppState>,
    Caller(_session): Caller,
    Query(p): Query<ClosedDayParams>,
) -> RestResult<Json<Vec<ClosedDay>>> {
    let [this, next] = sites::current_years();
    let from = p
        .from
        .unwrap_or_else(|| NaiveDate::from_ymd_opt(this, 1, 1).unwrap_or_default());
    let to =
        p.to.unwrap_or_else(|| NaiveDate::from_ymd_opt(next, 12, 31).unwrap_or_default());
    Ok(Json(sites::closed_days(&state.db, p.site, from, to).await?))
}

#[utoipa::path(post, path = "/api/v1/closed-days", tag = "service levels", request_body = ClosedDayInput,
    responses((status = 201, description = "Closed (administrators); due times of open tickets move", body = ClosedDay)))]
pub async fn add_closed_day(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<ClosedDayInput>,
) -> RestResult<(StatusCode, Json<ClosedDay>)> {
    let day = sites::add_closed_day(&state.db, &session.actor, input).await?;
    Ok((StatusCode::CREATED, Json(day)))
}

#[utoipa::path(delete, path = "/api/v1/closed-days/{id}", tag = "service levels", params(("id" = i64, Path)),
    responses((status = 204, description = "Open again (administrators)")))]
pub async fn remove_closed_day(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<i64>,
) -> RestResult<StatusCode> {
    sites::remove_closed_day(&state.db, &session.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An iCalendar file's all-day events, to close.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IcsImport {
    /// The site they close; every site when absent.
    #[serde(default)]
    pub site_id: Option<Uuid>,
    pub kind: HolidayKind,
    /// The file's text (`BEGIN:VCALENDAR` …).
    #[schema(max_length = 200000)]
    pub ics: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Imported {
    /// Days added; days already closed are left as they were.
    pub added: u64,
}

#[utoipa::path(post, path = "/api/v1/closed-days/import", tag = "service levels", request_body = IcsImport,
    responses((status = 200, description = "Imported (administrators)", body = Imported)))]
pub async fn import_ics(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<IcsImport>,
) -> RestResult<Json<Imported>> {
    let added = sites::import_ics(
        &state.db,
        &session.actor,
        input.site_id,
        input.kind,
        &input.ics,
    )
    .await?;
    Ok(Json(Imported { added }))
}

#[utoipa::path(get, path = "/api/v1/service-levels", tag = "service levels",
    responses((status = 200, description = "Targets per category and priority, in working minutes", body = Vec<Policy>)))]
pub async fn policies(
    State(state): State<AppState>,
    Caller(_session): Caller,
) -> RestResult<Json<Vec<Policy>>> {
    Ok(Json(service_levels::policies(&state.db).await?))
}

/// New targets, from the version the administrator saw.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetsChange {
    pub approval_minutes: u32,
    pub response_minutes: u32,
    pub resolution_minutes: u32,
    pub version: i32,
}

#[utoipa::path(put, path = "/api/v1/service-levels/{category}/{priority}", tag = "service levels",
    params(("category" = Category, Path), ("priority" = Priority, Path)),
    request_body = TargetsChange,
    responses((status = 200, description = "Changed (administrators); open tickets' due times follow", body = Policy)))]
pub async fn set_policy(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path((category, priority)): Path<(Category, Priority)>,
    Body(change): Body<TargetsChange>,
) -> RestResult<Json<Policy>> {
    let targets = Targets {
        approval_minutes: change.approval_minutes,
        response_minutes: change.response_minutes,
        resolution_minutes: change.resolution_minutes,
    };
    Ok(Json(
        service_levels::update_policy(
            &state.db,
            &session.actor,
            category,
            priority,
            change.version,
            targets,
        )
        .await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/me/delegations", tag = "service levels",
    responses((status = 200, description = "The caller's periods away, and those they decide for others", body = Vec<Delegation>)))]
pub async fn my_delegations(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<Vec<Delegation>>> {
    Ok(Json(delegations::mine(&state.db, &session.actor).await?))
}

#[utoipa::path(get, path = "/api/v1/delegations", tag = "service levels",
    responses((status = 200, description = "Every current and coming period away (administrators)", body = Vec<Delegation>)))]
pub async fn all_delegations(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<Vec<Delegation>>> {
    Ok(Json(delegations::all(&state.db, &session.actor).await?))
}

#[utoipa::path(post, path = "/api/v1/delegations", tag = "service levels", request_body = DelegationInput,
    responses((status = 201, description = "Out of office set; overlapping periods are refused", body = Delegation)))]
pub async fn set_delegation(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<DelegationInput>,
) -> RestResult<(StatusCode, Json<Delegation>)> {
    let d = delegations::set(&state.db, &session.actor, input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VersionParam {
    /// The version you saw.
    pub version: i32,
}

#[utoipa::path(delete, path = "/api/v1/delegations/{id}", tag = "service levels",
    params(("id" = Uuid, Path), VersionParam),
    responses((status = 204, description = "Ended (the person is back)")))]
pub async fn end_delegation(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Query(p): Query<VersionParam>,
) -> RestResult<StatusCode> {
    delegations::end(&state.db, &session.actor, id, p.version).await?;
    Ok(StatusCode::NO_CONTENT)
}
