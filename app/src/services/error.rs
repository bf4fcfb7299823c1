use crate::domain::ticket::lifecycle::Refusal;
use crate::domain::ticket::TicketDetail;
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
    /// The session was revoked (signed out elsewhere, refresh token reused,
    /// password or role changed): the person must sign in again.
    #[error("your session has ended; sign in again")]
    SessionEnded,
    #[error("too many attempts; retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// Who is asking may not do this (403).
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    /// Not possible in the ticket's current state (422).
    #[error("{0}")]
    Illegal(String),
    /// Someone else changed the row first; `current` is what it is now.
    #[error("{message}")]
    Conflict {
        message: String,
        current: Option<Box<TicketDetail>>,
    },
    #[error("the service is busy, try again shortly")]
    Unavailable,
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn forbidden(why: &str) -> Self {
        ServiceError::Forbidden(why.to_string())
    }

    pub fn stale(current: TicketDetail) -> Self {
        ServiceError::Conflict {
            message: format!(
                "Someone else changed this ticket (now at version {}). Reload it and try again.",
                current.version
            ),
            current: Some(Box::new(current)),
        }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            // A pool that cannot hand out a connection in time means overload
            // or a database outage: tell the client to retry, never hang.
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                metrics::counter!("db_unavailable_total").increment(1);
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

impl From<Refusal> for ServiceError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::Forbidden(m) => ServiceError::Forbidden(m),
            Refusal::Illegal(m) => ServiceError::Illegal(m),
            Refusal::Invalid(e) => ServiceError::Validation(e),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
