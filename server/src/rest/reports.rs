use super::error::{RestError, RestResult};
use super::extract::{Caller, Query};
use app::domain::report::{jakarta_today, RangeError, ReportRange};
use app::domain::FieldErrors;
use app::services::reports::{self, Summary};
use app::state::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::Json;
use chrono::{Duration, NaiveDate, Utc};
use futures::StreamExt;
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
            .map_err(|e| FieldErrors::single(field, e).into()),
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
    let today = jakarta_today(Utc::now());
    let to = date("to", range.to.as_deref(), today)?;
    let from = date("from", range.from.as_deref(), to - Duration::days(365))?;
    Ok(Json(
        reports::summary(&state.read_db, &session.actor, from, to).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportRange {
    /// First Jakarta day (default: the first of `to`'s month)
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub from: Option<String>,
    /// Last Jakarta day (default: today)
    #[param(value_type = Option<chrono::NaiveDate>)]
    pub to: Option<String>,
}

const EXPORT_PAGE: i64 = 500;

/// `GET /reports/tickets.csv?from=&to=`: the tickets the summary counts for
/// the same range (everyone's; default: this month so far), oldest first,
/// streamed page by page, UTF-8 with a BOM and formulas neutralised.
#[utoipa::path(get, path = "/api/v1/reports/tickets.csv", tag = "reports", params(ExportRange),
    responses((status = 200, description = "UTF-8 CSV with a byte order mark (approvers and admins); the range is at most two years", content_type = "text/csv", body = String)))]
pub async fn tickets_csv(
    State(state): State<AppState>,
    Caller(session): Caller,
    Query(range): Query<ExportRange>,
) -> RestResult<axum::response::Response> {
    let range = ReportRange::parse(
        range.from.as_deref(),
        range.to.as_deref(),
        jakarta_today(Utc::now()),
    )
    .map_err(|e: RangeError| RestError::from(e.into_field_errors()))?;
    // Fail early (before the 200 is sent) when the caller may not read.
    let first = reports::tickets_page(
        &state.read_db,
        &session.actor,
        range.from,
        range.to,
        None,
        EXPORT_PAGE,
    )
    .await?;
    let stream = futures::stream::unfold(
        (Some(first), state, session.actor),
        move |(page, state, actor)| async move {
            let (items, next) = page?;
            let ids: Vec<uuid::Uuid> = items.iter().map(|t| t.id).collect();
            // A failed count ends the export like a failed page does.
            let files = app::services::attachments::counts(&state.read_db, &actor, &ids)
                .await
                .ok()?;
            let bytes = super::tickets::csv_rows(&items, &files);
            let following = match next {
                None => None,
                Some(after) => match reports::tickets_page(
                    &state.read_db,
                    &actor,
                    range.from,
                    range.to,
                    Some(after),
                    EXPORT_PAGE,
                )
                .await
                {
                    Ok(p) => Some(p),
                    Err(e) => {
                        tracing::warn!(error = %e, "report export stopped");
                        return Some((
                            Err(std::io::Error::other(e.to_string())),
                            (None, state, actor),
                        ));
                    }
                },
            };
            Some((
                Ok::<_, std::io::Error>(axum::body::Bytes::from(bytes)),
                (following, state, actor),
            ))
        },
    );
    let header = format!("{}{}", super::csv::BOM, super::tickets::CSV_HEADER);
    let body = axum::body::Body::from_stream(
        futures::stream::once(
            async move { Ok::<_, std::io::Error>(axum::body::Bytes::from(header)) },
        )
        .chain(stream),
    );
    let [content_type, _] = super::csv::headers("gadesk-tickets.csv");
    let disposition = format!(
        "attachment; filename=\"gadesk-tickets-{}-{}.csv\"",
        range.from, range.to
    );
    Ok((
        [
            content_type,
            (http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response())
}
