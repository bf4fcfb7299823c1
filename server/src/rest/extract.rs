//! Extractors whose rejections are problem+json like every other error.

use super::error::RestError;
use app::domain::Refusal;
use app::services::ServiceError;
use app::web::Session;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use http::request::Parts;
use serde::de::DeserializeOwned;

/// What a body the framework could not take is, by the status it chose:
/// too large, not JSON, broken JSON, or JSON of the wrong shape.
fn body_rejected(status: http::StatusCode, detail: String) -> RestError {
    let refusal = match status {
        http::StatusCode::PAYLOAD_TOO_LARGE => Refusal::BodyTooLarge {
            max_kib: (super::MAX_BODY_BYTES / 1024) as u32,
        },
        http::StatusCode::UNSUPPORTED_MEDIA_TYPE => Refusal::NotJson,
        http::StatusCode::UNPROCESSABLE_ENTITY => Refusal::UnreadableBody { detail },
        _ => Refusal::MalformedBody { detail },
    };
    refusal.into()
}

/// A JSON body. Unknown fields, wrong types and missing fields are 422,
/// broken JSON 400, a wrong content type 415, an oversize body 413.
pub struct Body<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Body<T> {
    type Rejection = RestError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(v)| Body(v))
            .map_err(|e: JsonRejection| body_rejected(e.status(), e.body_text()))
    }
}

/// A JSON body that may also be absent (empty): then `T::default()`.
pub struct OptionalBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequest<S> for OptionalBody<T> {
    type Rejection = RestError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|e| body_rejected(e.status(), e.body_text()))?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(OptionalBody(T::default()));
        }
        if !is_json {
            return Err(Refusal::NotJson.into());
        }
        serde_json::from_slice(&bytes)
            .map(OptionalBody)
            .map_err(|e| {
                let detail = e.to_string();
                if e.is_syntax() || e.is_eof() {
                    Refusal::MalformedBody { detail }.into()
                } else {
                    Refusal::UnreadableBody { detail }.into()
                }
            })
    }
}

pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|e: QueryRejection| {
                Refusal::MalformedQuery {
                    detail: e.body_text(),
                }
                .into()
            })
    }
}

pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(v)| Path(v))
            .map_err(|e: PathRejection| {
                Refusal::MalformedPath {
                    detail: e.body_text(),
                }
                .into()
            })
    }
}

fn session_of(parts: &Parts) -> Result<Session, RestError> {
    parts.extensions.get::<Session>().cloned().ok_or_else(|| {
        // The middleware saw a refresh token that was already used: say so.
        if parts
            .extensions
            .get::<crate::middleware::SignedOut>()
            .is_some()
        {
            RestError(ServiceError::Refused(Refusal::SessionEnded))
        } else {
            RestError(ServiceError::Refused(Refusal::SignInRequired))
        }
    })
}

/// The authenticated caller; 401 problem+json when there is none, 403 while
/// they still have to replace a temporary password.
pub struct Caller(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let s = session_of(parts)?;
        if s.must_change_password {
            return Err(Refusal::PasswordChangeRequired.into());
        }
        Ok(Caller(s))
    }
}

/// The authenticated caller, even one who must change their password.
pub struct AnyCaller(pub Session);

impl<S: Send + Sync> FromRequestParts<S> for AnyCaller {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        session_of(parts).map(AnyCaller)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for AnyCaller {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Session>().cloned().map(AnyCaller))
    }
}

/// Who is calling from where (for sessions and the audit log).
pub struct ClientInfo(pub app::services::sessions::Client);

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientInfo(app::web::client(
            &parts.headers,
            &parts.extensions,
        )))
    }
}
