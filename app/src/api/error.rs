use crate::domain::FieldErrors;
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Errors a server function can return to the browser. Internal details are
/// logged on the server and never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum ApiError {
    #[error("Please sign in.")]
    Unauthenticated,
    #[error("Email or password is incorrect.")]
    InvalidCredentials,
    #[error("You are not allowed to do this.")]
    Forbidden,
    #[error("Not found.")]
    NotFound,
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("GA Desk is busy right now. Please try again in a moment.")]
    Unavailable,
    #[error("Something went wrong. Please try again.")]
    Server(String),
}

impl ApiError {
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
impl From<crate::services::ServiceError> for ApiError {
    fn from(e: crate::services::ServiceError) -> Self {
        use crate::services::ServiceError as S;
        match e {
            S::Validation(f) => ApiError::Validation(f),
            S::BadRequest(m) => ApiError::BadRequest(m),
            S::InvalidCredentials => ApiError::InvalidCredentials,
            S::Unauthenticated => ApiError::Unauthenticated,
            S::Forbidden => ApiError::Forbidden,
            S::NotFound => ApiError::NotFound,
            S::Conflict(m) => ApiError::Conflict(m),
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
