//! `/api/v1/resources…` and `/api/v1/bookings…`: rooms, pool cars and
//! equipment, and their bookings.

use super::error::RestResult;
use super::extract::{Body, Caller, Path, Query};
use app::domain::booking::{
    Booked, Booking, Driver, Feature, FindQuery, FreeResource, Resource, ResourceInput,
    ResourceKind,
};
use app::domain::FieldError;
use app::services::bookings::{self, BookingHistoryEntry, CarReturn, DriverInput, ResourceFilter};
use app::services::{labels, ServiceError};
use app::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ResourceParams {
    pub site: Option<Uuid>,
    pub kind: Option<ResourceKind>,
    pub floor: Option<String>,
    /// Inactive ones too (GA staff).
    #[serde(default)]
    pub all: bool,
}

#[utoipa::path(get, path = "/api/v1/resources", tag = "bookings", params(ResourceParams),
    responses((status = 200, description = "Rooms, cars and equipment, by site, kind, floor and name", body = Vec<Resource>)))]
pub async fn list_resources(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(p): Query<ResourceParams>,
) -> RestResult<Json<Vec<Resource>>> {
    let filter = ResourceFilter {
        site: p.site,
        kind: p.kind,
        floor: p.floor,
        all: p.all,
    };
    Ok(Json(
        bookings::resources(&state.db, &session.actor, &filter).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/resources", tag = "bookings", request_body = ResourceInput,
    responses((status = 201, description = "Added (GA staff and administrators)", body = Resource)))]
pub async fn create_resource(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<ResourceInput>,
) -> RestResult<(StatusCode, Json<Resource>)> {
    let r = bookings::create_resource(&state.db, &session.actor, input).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[utoipa::path(get, path = "/api/v1/resources/{id}", tag = "bookings", params(("id" = Uuid, Path)),
    responses((status = 200, description = "One resource and its booking policy", body = Resource)))]
pub async fn get_resource(
    State(state): State<AppState>,
    Caller(_session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Resource>> {
    Ok(Json(bookings::resource(&state.db, id).await?))
}

/// A change of a resource, from the version the person saw.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ResourceChange {
    #[serde(flatten)]
    pub resource: ResourceInput,
    pub version: i32,
}

#[utoipa::path(put, path = "/api/v1/resources/{id}", tag = "bookings", params(("id" = Uuid, Path)),
    request_body = ResourceChange,
    responses((status = 200, description = "Changed (GA staff and administrators)", body = Resource)))]
pub async fn update_resource(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(change): Body<ResourceChange>,
) -> RestResult<Json<Resource>> {
    Ok(Json(
        bookings::update_resource(
            &state.db,
            &session.actor,
            id,
            change.version,
            change.resource,
        )
        .await?,
    ))
}

/// The door sign of a room: a QR code that opens its check-in page.
#[utoipa::path(get, path = "/api/v1/resources/{id}/door-sign.svg", tag = "bookings", params(("id" = Uuid, Path)),
    responses((status = 200, description = "A6 SVG sign", content_type = "image/svg+xml", body = String)))]
pub async fn door_sign(
    State(state): State<AppState>,
    Caller(_session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Response> {
    let r = bookings::resource(&state.db, id).await?;
    let svg = labels::door_sign(&r, &state.public_url).map_err(ServiceError::Internal)?;
    Ok((
        [
            (http::header::CONTENT_TYPE, "image/svg+xml"),
            (http::header::CACHE_CONTROL, "private, max-age=60"),
        ],
        svg,
    )
        .into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FindParams {
    pub site: Uuid,
    /// Default `room`.
    pub kind: Option<ResourceKind>,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    /// How many people (default 1).
    pub attendees: Option<i32>,
    /// What it must have, comma-separated: `projector,video_conference`.
    pub features: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/availability", tag = "bookings", params(FindParams),
    responses((status = 200, description = "Resources free for the whole time that the caller may book, smallest that fits first", body = Vec<FreeResource>)))]
pub async fn availability(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(p): Query<FindParams>,
) -> RestResult<Json<Vec<FreeResource>>> {
    let mut features = Vec::new();
    for f in p.features.iter().flat_map(|f| f.split(',')) {
        let f = f.trim();
        if f.is_empty() {
            continue;
        }
        features.push(f.parse::<Feature>().map_err(|e: FieldError| {
            app::domain::Refusal::BadParameter {
                name: "features".into(),
                problem: e,
            }
        })?);
    }
    let q = FindQuery {
        site: p.site,
        kind: p.kind.unwrap_or(ResourceKind::Room),
        from: p.from,
        to: p.to,
        attendees: p.attendees.unwrap_or(1),
        features,
    };
    Ok(Json(bookings::find(&state.db, &session.actor, &q).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SiteParam {
    pub site: Option<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/drivers", tag = "bookings", params(SiteParam),
    responses((status = 200, description = "Active drivers of the pool cars", body = Vec<Driver>)))]
pub async fn list_drivers(
    State(state): State<AppState>,
    Caller(_session): Caller,
    Query(p): Query<SiteParam>,
) -> RestResult<Json<Vec<Driver>>> {
    Ok(Json(bookings::drivers(&state.db, p.site).await?))
}

#[utoipa::path(post, path = "/api/v1/drivers", tag = "bookings", request_body = DriverInput,
    responses((status = 201, description = "Added (GA staff)", body = Driver)))]
pub async fn add_driver(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<DriverInput>,
) -> RestResult<(StatusCode, Json<Driver>)> {
    let d = bookings::add_driver(&state.db, &session.actor, input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

#[utoipa::path(post, path = "/api/v1/bookings", tag = "bookings",
    request_body = app::domain::booking::BookingInput,
    responses(
        (status = 201, description = "Booked: the bookings made and, in a series, the occurrences left out", body = Booked),
        (status = 409, description = "Taken: `booking_clash` names the busy window, free slots nearby and other free resources; `series_clash` lists the taken occurrences", body = super::error::Problem)))]
pub async fn create_booking(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(input): Body<app::domain::booking::BookingInput>,
) -> RestResult<(StatusCode, Json<Booked>)> {
    let booked = bookings::book(&state.db, &session.actor, input).await?;
    Ok((StatusCode::CREATED, Json(booked)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MineParams {
    /// Past bookings (latest first) instead of coming ones.
    #[serde(default)]
    pub past: bool,
}

#[utoipa::path(get, path = "/api/v1/me/bookings", tag = "bookings", params(MineParams),
    responses((status = 200, description = "The caller's bookings", body = Vec<Booking>)))]
pub async fn my_bookings(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(p): Query<MineParams>,
) -> RestResult<Json<Vec<Booking>>> {
    Ok(Json(
        bookings::mine(&state.db, &session.actor, p.past).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/me/booking-approvals", tag = "bookings",
    responses((status = 200, description = "Bookings waiting for the caller's decision", body = Vec<Booking>)))]
pub async fn booking_approvals(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<Vec<Booking>>> {
    Ok(Json(bookings::awaiting(&state.db, &session.actor).await?))
}

/// Where a calendar app subscribes to the caller's bookings.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FeedAddress {
    pub url: String,
}

#[utoipa::path(get, path = "/api/v1/me/calendar-feed", tag = "bookings",
    responses((status = 200, description = "The private address of the caller's iCalendar feed", body = FeedAddress)))]
pub async fn calendar_feed(
    State(state): State<AppState>,
    Caller(session): Caller,
) -> RestResult<Json<FeedAddress>> {
    Ok(Json(FeedAddress {
        url: feed_url(&state, session.actor.id),
    }))
}

fn feed_url(state: &AppState, user: Uuid) -> String {
    let path = bookings::feed_path(&state.decision_key, user);
    format!("{}{path}", state.public_url)
}

/// The calendar feed itself: signed address, no session (calendar apps
/// send no cookies).
pub async fn feed(
    State(state): State<AppState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> RestResult<Response> {
    let user = file
        .strip_suffix(".ics")
        .and_then(|t| state.decision_key.feed_user(t))
        .ok_or(app::domain::Refusal::NotFound)?;
    let ics = bookings::feed(&state.db, user, &state.public_url).await?;
    Ok((
        [
            (http::header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (http::header::CACHE_CONTROL, "private, max-age=300"),
        ],
        ics,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/bookings/{id}", tag = "bookings", params(("id" = Uuid, Path)),
    responses((status = 200, description = "One booking (who booked and the title only where the resource shows them)", body = Booking)))]
pub async fn get_booking(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Booking>> {
    Ok(Json(bookings::get(&state.db, &session.actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/bookings/{id}/history", tag = "bookings", params(("id" = Uuid, Path)),
    responses((status = 200, description = "What happened to it, oldest first (its booker and GA staff)", body = Vec<BookingHistoryEntry>)))]
pub async fn booking_history(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<BookingHistoryEntry>>> {
    Ok(Json(
        bookings::history_of(&state.db, &session.actor, id).await?,
    ))
}

/// A change of a booking from the version the person saw, with an optional
/// reason or note (a rejection needs one).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingStep {
    pub version: i32,
    #[serde(default)]
    pub note: String,
}

#[utoipa::path(post, path = "/api/v1/bookings/{id}/cancel", tag = "bookings", params(("id" = Uuid, Path)),
    request_body = BookingStep,
    responses((status = 200, description = "Cancelled; the slot is free at once", body = Booking)))]
pub async fn cancel(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(step): Body<BookingStep>,
) -> RestResult<Json<Booking>> {
    Ok(Json(
        bookings::cancel(&state.db, &session.actor, id, step.version, &step.note).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bookings/{id}/check-in", tag = "bookings", params(("id" = Uuid, Path)),
    request_body = BookingStep,
    responses((status = 200, description = "Checked in (from 15 minutes before the start)", body = Booking)))]
pub async fn check_in(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(step): Body<BookingStep>,
) -> RestResult<Json<Booking>> {
    Ok(Json(
        bookings::check_in(&state.db, &session.actor, id, step.version).await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bookings/{id}/approve", tag = "bookings", params(("id" = Uuid, Path)),
    request_body = BookingStep,
    responses((status = 200, description = "Approved: confirmed", body = Booking)))]
pub async fn approve(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(step): Body<BookingStep>,
) -> RestResult<Json<Booking>> {
    Ok(Json(
        bookings::decide(
            &state.db,
            &session.actor,
            id,
            step.version,
            true,
            &step.note,
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bookings/{id}/reject", tag = "bookings", params(("id" = Uuid, Path)),
    request_body = BookingStep,
    responses((status = 200, description = "Rejected (a reason is required); the slot is free", body = Booking)))]
pub async fn reject(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(step): Body<BookingStep>,
) -> RestResult<Json<Booking>> {
    Ok(Json(
        bookings::decide(
            &state.db,
            &session.actor,
            id,
            step.version,
            false,
            &step.note,
        )
        .await?,
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DriverChoice {
    pub version: i32,
    pub driver_id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/bookings/{id}/driver", tag = "bookings", params(("id" = Uuid, Path)),
    request_body = DriverChoice,
    responses((status = 200, description = "Driver assigned (GA staff); a driver already out at that time is refused", body = Booking)))]
pub async fn assign_driver(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(choice): Body<DriverChoice>,
) -> RestResult<Json<Booking>> {
    Ok(Json(
        bookings::assign_driver(
            &state.db,
            &session.actor,
            id,
            choice.version,
            choice.driver_id,
        )
        .await?,
    ))
}

#[utoipa::path(post, path = "/api/v1/bookings/{id}/return", tag = "bookings", params(("id" = Uuid, Path)),
    request_body = CarReturn,
    responses((status = 200, description = "Car back (GA staff): odometer and fuel; the reading goes to the car's asset history", body = Booking)))]
pub async fn return_car(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    Body(input): Body<CarReturn>,
) -> RestResult<Json<Booking>> {
    Ok(Json(
        bookings::return_car(&state.db, &session.actor, id, input).await?,
    ))
}
