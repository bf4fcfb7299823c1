use crate::domain::ticket::TicketDetail;
use crate::domain::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Errors a server function can return to the browser. Internal details are
/// logged on the server and never sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("Please sign in.")]
    Unauthenticated,
    #[error("Your session has ended. Please sign in again.")]
    SessionEnded,
    #[error("Too many attempts. Try again in {0} seconds.")]
    RateLimited(u64),
    #[error("Email or password is incorrect.")]
    InvalidCredentials,
    #[error("{0}")]
    Forbidden(String),
    #[error("Not found.")]
    NotFound,
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    /// Not possible in the current state of the ticket.
    #[error("{0}")]
    Illegal(String),
    /// Someone else changed it first; `current` is the ticket as it is now.
    #[error("{message}")]
    Conflict {
        message: String,
        current: Option<Box<TicketDetail>>,
    },
    #[error("GA Desk is busy right now. Please try again in a moment.")]
    Unavailable,
    #[error("Something went wrong. Please try again.")]
    Server(String),
}

impl ApiError {
    /// The message in the language of the page being rendered.
    pub fn localized(&self) -> String {
        crate::i18n::message(crate::i18n::use_lang(), &self.to_string())
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            ApiError::Validation(e) => Some(e),
            _ => None,
        }
    }
}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        ApiError::Server(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl ApiError {
    /// The HTTP status this error answers with (logs and metrics then tell
    /// a refused request from a server failure).
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as C;
        match self {
            ApiError::Unauthenticated | ApiError::InvalidCredentials | ApiError::SessionEnded => {
                C::UNAUTHORIZED
            }
            ApiError::RateLimited(_) => C::TOO_MANY_REQUESTS,
            ApiError::Forbidden(_) => C::FORBIDDEN,
            ApiError::NotFound => C::NOT_FOUND,
            ApiError::Validation(_) | ApiError::Illegal(_) => C::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest(_) => C::BAD_REQUEST,
            ApiError::Conflict { .. } => C::CONFLICT,
            ApiError::Unavailable => C::SERVICE_UNAVAILABLE,
            ApiError::Server(_) => C::INTERNAL_SERVER_ERROR,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<crate::services::ServiceError> for ApiError {
    fn from(e: crate::services::ServiceError) -> Self {
        let api = Self::from_service(e);
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(api.status());
        }
        api
    }
}

#[cfg(feature = "ssr")]
impl ApiError {
    fn from_service(e: crate::services::ServiceError) -> Self {
        use crate::services::ServiceError as S;
        match e {
            S::Validation(f) => ApiError::Validation(f),
            S::BadRequest(m) => ApiError::BadRequest(m),
            S::InvalidCredentials => ApiError::InvalidCredentials,
            S::Unauthenticated => ApiError::Unauthenticated,
            S::SessionEnded => ApiError::SessionEnded,
            S::RateLimited { retry_after } => ApiError::RateLimited(retry_after),
            S::Forbidden(m) => ApiError::Forbidden(m),
            S::Illegal(m) => ApiError::Illegal(m),
            S::NotFound => ApiError::NotFound,
            S::Conflict { message, current } => ApiError::Conflict { message, current },
            S::Unavailable => ApiError::Unavailable,
            S::Database(err) => {
                tracing::error!(error = %err, "database error in server function");
                ApiError::Server("internal error".into())
            }
            S::Internal(m) => {
                tracing::error!(error = %m, "internal error in server function");
                ApiError::Server("internal error".into())
            }
        }
    }
}
