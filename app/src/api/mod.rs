//! Server functions: thin adapters from the UI to `services`.

pub mod auth;
pub mod error;
pub mod tickets;

pub use error::ApiError;

/// Helpers to reach the request's state and caller from a server function.
#[cfg(feature = "ssr")]
pub(crate) mod ctx {
    use super::ApiError;
    use crate::state::AppState;
    use crate::web::Session;
    use leptos::prelude::use_context;

    pub fn state() -> Result<AppState, ApiError> {
        use_context::<AppState>()
            .ok_or_else(|| ApiError::Server("application state missing".into()))
    }

    pub fn parts() -> Result<http::request::Parts, ApiError> {
        use_context::<http::request::Parts>()
            .ok_or_else(|| ApiError::Server("request missing".into()))
    }

    /// The signed-in caller, or `Unauthenticated`.
    pub fn session() -> Result<Session, ApiError> {
        parts()?
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or(ApiError::Unauthenticated)
    }
}
