//! The one place where service errors become HTTP answers for the REST API:
//! `application/problem+json` (RFC 9457) with a stable `code`, its
//! `params`, the words in the caller's language and the request id.

use crate::middleware::{current_lang, current_request_id};
use app::domain::{ErrorKind, FieldErrors, Lang, Refusal};
use app::services::ServiceError;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct RestError(#[from] pub ServiceError);

impl From<FieldErrors> for RestError {
    fn from(e: FieldErrors) -> Self {
        RestError(ServiceError::Validation(e))
    }
}

impl From<Refusal> for RestError {
    fn from(r: Refusal) -> Self {
        RestError(r.into())
    }
}

/// One field's error: its code and values, and the sentence.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    pub code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
    pub message: String,
}

/// An error answer (RFC 9457 problem details). `code` names what happened
/// and stays the same across releases and languages; `detail` says it in
/// English, or in Indonesian when `Accept-Language` asks for it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// `/problems/<kind>`: forbidden, illegal-transition, conflict, validation…
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// What happened, for programs to match (see the `Refusal` schema for every code).
    #[schema(example = "own_request")]
    pub code: String,
    /// The values the message names.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub params: Option<serde_json::Value>,
    pub detail: String,
    pub request_id: Option<String>,
    /// For validation: what is wrong with each field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<BTreeMap<String, FieldProblem>>,
    /// On 409 after a stale version: the version to send next time…
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i32>,
    /// …and the row as it is now (a ticket, an asset, a stock item or a user).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub current: Option<serde_json::Value>,
}

pub type RestResult<T> = Result<T, RestError>;

/// A message value as `code` and `params` (absent when it names nothing).
fn code_and_params<T: Serialize>(value: &T) -> (String, Option<serde_json::Value>) {
    let json = serde_json::to_value(value).unwrap_or_default();
    let code = json["code"].as_str().unwrap_or("internal").to_string();
    (code, json.get("params").cloned())
}

impl Problem {
    pub fn of(error: &ServiceError, lang: Lang) -> (ErrorKind, Problem) {
        let kind = error.kind();
        let mut problem = Problem {
            kind: format!("/problems/{}", kind.slug()),
            title: kind.render(lang),
            status: kind.status(),
            code: String::new(),
            params: None,
            detail: String::new(),
            request_id: current_request_id().filter(|id| !id.is_empty()),
            errors: None,
            current_version: None,
            current: None,
        };
        let refusal = match error {
            ServiceError::Validation(fields) => {
                problem.errors = Some(
                    fields
                        .iter()
                        .map(|(name, e)| {
                            let (_, params) = code_and_params(e);
                            let problem = FieldProblem {
                                code: e.code(),
                                params,
                                message: e.render(lang),
                            };
                            (name.to_string(), problem)
                        })
                        .collect(),
                );
                Refusal::CorrectFields
            }
            ServiceError::Refused(r) => r.clone(),
            ServiceError::Conflict { reason, current } => {
                problem.current_version = current.as_ref().map(|c| c.version());
                problem.current = current.as_ref().map(|c| c.to_json());
                reason.clone()
            }
            ServiceError::Database(err) => {
                tracing::error!(error = %err, "database error");
                Refusal::ServerError
            }
            ServiceError::Internal(m) => {
                tracing::error!(error = %m, "internal error");
                Refusal::ServerError
            }
        };
        let (code, params) = code_and_params(&refusal);
        problem.code = code;
        problem.params = params;
        problem.detail = refusal.render(lang);
        (kind, problem)
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        let (kind, body) = Problem::of(&self.0, current_lang());
        let status = app::web::status(kind);
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        if let Some(Refusal::TooManyAttempts { seconds }) = self.0.refusal() {
            if let Ok(v) = HeaderValue::from_str(&seconds.to_string()) {
                headers.insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}
