use crate::domain::{Current, ErrorKind, FieldError, FieldErrors, Lang, Refusal};
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// Errors a server function returns to the browser, as values: the page
/// puts them into words in its language. Internal details are logged on
/// the server and never sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ApiError {
    /// Fields to correct, each with its own error.
    Validation(FieldErrors),
    Refused(Refusal),
    /// Someone else changed it first; `current` is the row as it is now.
    Conflict {
        reason: Refusal,
        current: Option<Current>,
    },
}

impl ApiError {
    /// What to say about it as a whole.
    pub fn refusal(&self) -> Refusal {
        match self {
            ApiError::Validation(_) => Refusal::CorrectFields,
            ApiError::Refused(r) | ApiError::Conflict { reason: r, .. } => r.clone(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            ApiError::Validation(_) => ErrorKind::Validation,
            ApiError::Refused(r) => r.kind(),
            ApiError::Conflict { .. } => ErrorKind::Conflict,
        }
    }

    pub fn field_errors(&self) -> Option<&FieldErrors> {
        match self {
            ApiError::Validation(e) => Some(e),
            _ => None,
        }
    }

    /// The error as one field's error (a form that shows a refusal next to
    /// the input it concerns).
    pub fn for_field(&self, field: &str) -> FieldErrors {
        match self {
            ApiError::Validation(e) => e.clone(),
            other => FieldErrors::single(
                field,
                FieldError::Refused {
                    reason: Box::new(other.refusal()),
                },
            ),
        }
    }

    pub fn is(&self, refusal: &Refusal) -> bool {
        matches!(self, ApiError::Refused(r) if r == refusal)
    }
}

impl From<Refusal> for ApiError {
    fn from(r: Refusal) -> Self {
        ApiError::Refused(r)
    }
}

/// The sentence a page shows for it, in its language: for invalid input
/// what is wrong with each field.
impl crate::domain::Arg for ApiError {
    fn phrase(&self, lang: Lang) -> String {
        match self {
            ApiError::Validation(e) if !e.is_empty() => e
                .iter()
                .map(|(_, error)| error.render(lang))
                .collect::<Vec<_>>()
                .join(" "),
            other => other.refusal().render(lang),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Validation(e) => write!(f, "{}: {e}", Refusal::CorrectFields),
            other => write!(f, "{}", other.refusal()),
        }
    }
}

impl std::error::Error for ApiError {}

impl FromServerFnError for ApiError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The request never reached GA Desk, or its answer never came.
            ServerFnErrorErr::Request(_) => ApiError::Refused(Refusal::Unreachable),
            _ => ApiError::Refused(Refusal::ServerError),
        }
    }
}

#[cfg(feature = "ssr")]
impl ApiError {
    /// The HTTP status this error answers with (logs and metrics then tell
    /// a refused request from a server failure).
    pub fn status(&self) -> http::StatusCode {
        crate::web::status(self.kind())
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
            S::Refused(r) => ApiError::Refused(r),
            S::Conflict { reason, current } => ApiError::Conflict { reason, current },
            S::Database(err) => {
                tracing::error!(error = %err, "database error in server function");
                ApiError::Refused(Refusal::ServerError)
            }
            S::Internal(m) => {
                tracing::error!(error = %m, "internal error in server function");
                ApiError::Refused(Refusal::ServerError)
            }
        }
    }
}
