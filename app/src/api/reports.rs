//! Server functions for the approver's dashboard and the summary report.

use super::ApiError;
use crate::domain::dashboard::ApproverDashboard;
use crate::domain::report::Summary;
use leptos::prelude::*;

/// Key figures and charts above the approver's queue.
#[server(prefix = "/rpc", endpoint = "reports/approver-dashboard")]
pub async fn dashboard_figures() -> Result<ApproverDashboard, ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::dashboard::approver(&state.read_db, &actor).await?)
}

/// The summary for a range of Jakarta days as written in the page's address
/// (empty: this month so far); a bad range is a 422 naming the field at
/// fault, and the page answers with that status too.
#[server(prefix = "/rpc", endpoint = "reports/summary")]
pub async fn report_summary(from: String, to: String) -> Result<Summary, ApiError> {
    use crate::domain::report::{jakarta_today, ReportRange};
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    let range = ReportRange::parse(Some(&from), Some(&to), jakarta_today(chrono::Utc::now()))
        .map_err(|e| crate::services::ServiceError::Validation(e.into_field_errors()))?;
    Ok(crate::services::reports::summary(&state.read_db, &actor, range.from, range.to).await?)
}
