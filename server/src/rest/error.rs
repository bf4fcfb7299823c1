//! The one place where service errors become HTTP answers for the REST API:
//! `application/problem+json` (RFC 9457) with the request id.

use crate::middleware::current_request_id;
use app::domain::ticket::TicketDetail;
use app::domain::FieldErrors;
use app::services::ServiceError;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum RestError {
    #[error(transparent)]
    Service(#[from] ServiceError),
    /// A request the framework could not even parse (bad JSON, wrong type,
    /// oversize body, bad query string).
    #[error("{detail}")]
    Malformed { status: StatusCode, detail: String },
    #[error("no such route")]
    NoRoute,
}

impl From<FieldErrors> for RestError {
    fn from(e: FieldErrors) -> Self {
        RestError::Service(ServiceError::Validation(e))
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: String,
    title: &'a str,
    status: u16,
    detail: String,
    request_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a FieldErrors>,
    /// On 409: the version to send next time, and the ticket as it is now.
    #[serde(skip_serializing_if = "Option::is_none")]
    current_version: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    current: Option<&'a TicketDetail>,
}

pub type RestResult<T> = Result<T, RestError>;

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        use ServiceError as S;
        let (status, slug, title, detail, errors) = match &self {
            RestError::Service(e) => match e {
                S::Validation(f) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "validation",
                    "Validation failed",
                    "One or more fields are invalid.".to_string(),
                    Some(f),
                ),
                S::BadRequest(m) => (
                    StatusCode::BAD_REQUEST,
                    "bad-request",
                    "Bad request",
                    m.clone(),
                    None,
                ),
                S::InvalidCredentials => (
                    StatusCode::UNAUTHORIZED,
                    "invalid-credentials",
                    "Sign-in failed",
                    "Email or password is incorrect.".to_string(),
                    None,
                ),
                S::SessionEnded => (
                    StatusCode::UNAUTHORIZED,
                    "session-ended",
                    "Session ended",
                    "This session was ended (signed out, revoked, or its refresh token was reused). Sign in again."
                        .to_string(),
                    None,
                ),
                S::RateLimited { retry_after } => (
                    StatusCode::TOO_MANY_REQUESTS,
                    "rate-limited",
                    "Too many requests",
                    format!("Too many attempts. Try again in {retry_after} seconds."),
                    None,
                ),
                S::Unauthenticated => (
                    StatusCode::UNAUTHORIZED,
                    "unauthenticated",
                    "Sign-in required",
                    "Send a valid access token (cookie or Authorization: Bearer).".to_string(),
                    None,
                ),
                S::Forbidden(m) => (
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    "Forbidden",
                    m.clone(),
                    None,
                ),
                S::Illegal(m) => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "illegal-transition",
                    "Not possible now",
                    m.clone(),
                    None,
                ),
                S::NotFound => (
                    StatusCode::NOT_FOUND,
                    "not-found",
                    "Not found",
                    "No such resource.".to_string(),
                    None,
                ),
                S::Conflict { message, .. } => (
                    StatusCode::CONFLICT,
                    "conflict",
                    "Conflict",
                    message.clone(),
                    None,
                ),
                S::Unavailable => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "Service unavailable",
                    "GA Desk is overloaded or its database is unreachable; retry shortly."
                        .to_string(),
                    None,
                ),
                S::Database(err) => {
                    tracing::error!(error = %err, "database error");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "Internal error",
                        "Something went wrong on our side.".to_string(),
                        None,
                    )
                }
                S::Internal(m) => {
                    tracing::error!(error = %m, "internal error");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "internal",
                        "Internal error",
                        "Something went wrong on our side.".to_string(),
                        None,
                    )
                }
            },
            RestError::Malformed { status, detail } => (
                *status,
                "malformed",
                "Malformed request",
                detail.clone(),
                None,
            ),
            RestError::NoRoute => (
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                "No such API route.".to_string(),
                None,
            ),
        };
        let current = match &self {
            RestError::Service(ServiceError::Conflict { current, .. }) => current.as_deref(),
            _ => None,
        };
        let body = Problem {
            kind: format!("/problems/{slug}"),
            title,
            status: status.as_u16(),
            detail,
            request_id: current_request_id().filter(|id| !id.is_empty()),
            errors,
            current_version: current.map(|t| t.version),
            current,
        };
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
        if let RestError::Service(ServiceError::RateLimited { retry_after }) = &self {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                headers.insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}
