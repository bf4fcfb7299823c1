use super::error::{RestError, RestResult};
use super::extract::{Caller, Query};
use app::services::reports::{self, Summary};
use app::services::ServiceError;
use app::state::AppState;
use axum::extract::State;
use axum::Json;
use chrono::{Duration, NaiveDate, Utc};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub from: Option<String>,
    pub to: Option<String>,
}

fn date(field: &str, value: Option<&str>, default: NaiveDate) -> Result<NaiveDate, RestError> {
    match value {
        None => Ok(default),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map_err(|_| ServiceError::BadRequest(format!("{field}: use YYYY-MM-DD")).into()),
    }
}

/// `GET /reports/summary?from=&to=` (default: the last 12 months).
pub async fn summary(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(range): Query<Range>,
) -> RestResult<Json<Summary>> {
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let to = date("to", range.to.as_deref(), today)?;
    let from = date("from", range.from.as_deref(), to - Duration::days(365))?;
    Ok(Json(
        reports::summary(&state.db, &session.actor, from, to).await?,
    ))
}
