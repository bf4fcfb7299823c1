//! Bookings of rooms, cars and equipment: finding, booking, my bookings,
//! decisions, the week grid and the door's check-in page.

use super::ApiError;
use crate::domain::booking::{
    Booked, Booking, BookingInput, FindQuery, FreeResource, Grid, Resource, ResourceKind,
};
use crate::domain::site::Site;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What the bookings page shows besides search results.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingsData {
    pub sites: Vec<Site>,
    /// The person's own site, preselected.
    pub my_site: Uuid,
    /// Coming bookings, soonest first.
    pub mine: Vec<Booking>,
    /// Bookings waiting for this person's decision.
    pub awaiting: Vec<Booking>,
    /// The private address of the person's calendar feed.
    pub feed_url: String,
}

#[cfg(feature = "ssr")]
async fn site_of(db: &crate::services::Db, user: Uuid) -> Result<Uuid, ApiError> {
    Ok(
        sqlx::query_scalar("select site_id from users where id = $1")
            .bind(user)
            .fetch_optional(db)
            .await
            .map_err(crate::services::ServiceError::from)?
            .unwrap_or(crate::domain::site::HEAD_OFFICE),
    )
}

#[server(prefix = "/rpc", endpoint = "bookings")]
pub async fn bookings_page() -> Result<BookingsData, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let db = &state.db;
    use crate::services::bookings;
    Ok(BookingsData {
        sites: crate::services::sites::list(db)
            .await?
            .into_iter()
            .filter(|s| s.active)
            .collect(),
        my_site: site_of(db, actor.id).await?,
        mine: bookings::mine(db, &actor, false).await?,
        awaiting: bookings::awaiting(db, &actor).await?,
        feed_url: format!(
            "{}{}",
            state.public_url,
            bookings::feed_path(&state.decision_key, actor.id)
        ),
    })
}

#[server(prefix = "/rpc", endpoint = "bookings/find", input = Json)]
pub async fn find_free(query: FindQuery) -> Result<Vec<FreeResource>, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::bookings::find(&state.db, &actor, &query).await?)
}

#[server(prefix = "/rpc", endpoint = "bookings/book", input = Json)]
pub async fn make_booking(input: BookingInput) -> Result<Booked, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::bookings::book(&state.db, &actor, input).await?)
}

#[server(prefix = "/rpc", endpoint = "bookings/cancel", input = Json)]
pub async fn cancel_booking(id: Uuid, version: i32) -> Result<Booking, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::bookings::cancel(&state.db, &actor, id, version, "").await?)
}

#[server(prefix = "/rpc", endpoint = "bookings/decide", input = Json)]
pub async fn decide_booking(
    id: Uuid,
    version: i32,
    approve: bool,
    note: String,
) -> Result<Booking, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::bookings::decide(&state.db, &actor, id, version, approve, &note).await?)
}

/// Which grid to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridQuery {
    pub site: Option<Uuid>,
    pub kind: ResourceKind,
    pub floor: Option<String>,
    /// Any day of the week to show (Monday to Sunday); this week when absent.
    pub week_of: Option<NaiveDate>,
}

/// The grid and the sites to switch to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekData {
    pub grid: Grid,
    pub site: Uuid,
    pub sites: Vec<Site>,
}

#[server(prefix = "/rpc", endpoint = "bookings/week", input = Json)]
pub async fn week_grid(query: GridQuery) -> Result<WeekData, ApiError> {
    use chrono::Datelike;
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let db = &state.db;
    let site = match query.site {
        Some(s) => s,
        None => site_of(db, actor.id).await?,
    };
    let sites: Vec<Site> = crate::services::sites::list(db)
        .await?
        .into_iter()
        .filter(|s| s.active)
        .collect();
    let zone = sites
        .iter()
        .find(|s| s.id == site)
        .map(Site::zone)
        .unwrap_or_default();
    let day = query.week_of.unwrap_or_else(|| {
        (chrono::Utc::now() + chrono::Duration::hours(i64::from(zone.offset_hours()))).date_naive()
    });
    let monday = day - chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
    let grid =
        crate::services::bookings::grid(db, &actor, site, query.kind, query.floor, monday, 7)
            .await?;
    Ok(WeekData { grid, site, sites })
}

/// The check-in page on a room's door.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DoorData {
    pub resource: Resource,
    /// Bookings of the room from an hour ago to twelve hours ahead.
    pub bookings: Vec<Booking>,
    pub me: Uuid,
    pub now: chrono::DateTime<chrono::Utc>,
}

#[server(prefix = "/rpc", endpoint = "bookings/door")]
pub async fn door_page(resource: Uuid) -> Result<DoorData, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let (resource, bookings) =
        crate::services::bookings::at_door(&state.db, &actor, resource).await?;
    Ok(DoorData {
        resource,
        bookings,
        me: actor.id,
        now: chrono::Utc::now(),
    })
}

#[server(prefix = "/rpc", endpoint = "bookings/check-in", input = Json)]
pub async fn check_in_booking(id: Uuid, version: i32) -> Result<Booking, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::bookings::check_in(&state.db, &actor, id, version).await?)
}
