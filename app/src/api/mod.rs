//! Server functions: thin adapters from the UI to `services`.

pub mod admin;
pub mod auth;
pub mod away;
pub mod bookings;
pub mod calendar;
pub mod error;
pub mod files;
pub mod inventory;
pub mod notify;
pub mod queues;
pub mod reports;
pub mod tickets;

pub use error::ApiError;

/// Helpers to reach the request's state and caller from a server function.
#[cfg(feature = "ssr")]
pub(crate) mod ctx {
    use super::ApiError;
    use crate::domain::Refusal;
    use crate::state::AppState;
    use crate::web::Session;
    use leptos::prelude::use_context;

    pub fn state() -> Result<AppState, ApiError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("application state missing in a server function");
            ApiError::Refused(Refusal::ServerError)
        })
    }

    pub fn parts() -> Result<http::request::Parts, ApiError> {
        use_context::<http::request::Parts>().ok_or_else(|| {
            tracing::error!("request missing in a server function");
            ApiError::Refused(Refusal::ServerError)
        })
    }

    /// True for an HTML form posted by the browser itself (before the WASM
    /// bundle has loaded): such callers need a redirect, not data.
    pub fn is_plain_form_post() -> Result<bool, ApiError> {
        Ok(parts()?
            .headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("text/html")))
    }

    /// The signed-in caller, even one who must change their password.
    pub fn any_session() -> Result<Session, ApiError> {
        parts()?
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or(ApiError::Refused(Refusal::SignInRequired))
    }

    /// The signed-in caller, or `Unauthenticated`; someone who must change
    /// their password may do nothing else first.
    pub fn session() -> Result<Session, ApiError> {
        let s = any_session()?;
        if s.must_change_password {
            return Err(ApiError::Refused(Refusal::PasswordChangeRequired));
        }
        Ok(s)
    }
}
