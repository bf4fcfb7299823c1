use crate::domain::FieldErrors;

/// Everything a service can refuse or fail with. Adapters map these to HTTP
/// statuses in exactly one place each (REST problem+json, server functions).
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("validation failed: {0}")]
    Validation(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("email or password is incorrect")]
    InvalidCredentials,
    #[error("sign in required")]
    Unauthenticated,
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("the service is busy, try again shortly")]
    Unavailable,
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            // A pool that cannot hand out a connection in time means overload
            // or a database outage: tell the client to retry, never hang.
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                ServiceError::Unavailable
            }
            other => ServiceError::Database(other),
        }
    }
}

impl From<FieldErrors> for ServiceError {
    fn from(e: FieldErrors) -> Self {
        ServiceError::Validation(e)
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
