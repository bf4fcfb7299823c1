use super::error::{RestError, RestResult};
use super::extract::{Caller, Query};
use app::services::reports::{self, Summary};
use app::services::ServiceError;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{Duration, NaiveDate, Utc};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Range {
    /// First Jakarta day (default: a year before `to`)
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// Last Jakarta day (default: today)
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
}

fn date(field: &str, value: Option<&str>, default: NaiveDate) -> Result<NaiveDate, RestError> {
    match value {
        None => Ok(default),
        Some(v) => app::domain::ticket::query::parse_day(v)
            .map_err(|e| ServiceError::BadRequest(format!("{field}: {e}")).into()),
    }
}

/// `GET /reports/summary?from=&to=` (default: the last 12 months).
#[utoipa::path(get, path = "/api/v1/reports/summary", tag = "reports", params(Range),
    responses((status = 200, description = "Counts and sums (approvers and admins)", body = Summary)))]
pub async fn summary(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(range): Query<Range>,
) -> RestResult<Json<Summary>> {
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let to = date("to", range.to.as_deref(), today)?;
    let from = date("from", range.from.as_deref(), to - Duration::days(365))?;
    Ok(Json(
        reports::summary(&state.read_db, &session.actor, from, to).await?,
    ))
}
