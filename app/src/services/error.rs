use crate::domain::refusal::Rejection;
use crate::domain::{Current, ErrorKind, FieldErrors, Refusal};

/// Everything a service can refuse or fail with, as values: the adapters
/// (REST problem+json, server functions) choose the status from
/// [`ServiceError::kind`] and the words from the value, in the reader's
/// language.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("validation failed: {0}")]
    Validation(FieldErrors),
    /// The rules say no; the refusal's kind says why (who, state, input).
    #[error("{0}")]
    Refused(Refusal),
    /// Someone else changed the row first, or what is needed is no longer
    /// there; `current` is the row as it is now, when there is one.
    #[error("{reason}")]
    Conflict {
        reason: Refusal,
        current: Option<Current>,
    },
    #[error("database error: {0}")]
    Database(sqlx::Error),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    /// A stale version: 409 with the row as it is now.
    pub fn stale(current: Current) -> Self {
        ServiceError::Conflict {
            reason: current.refusal(),
            current: Some(current),
        }
    }

    /// A conflict about something other than a version (not enough stock).
    pub fn conflict(reason: Refusal) -> Self {
        ServiceError::Conflict {
            reason,
            current: None,
        }
    }

    pub fn kind(&self) -> ErrorKind {
        match self {
            ServiceError::Validation(_) => ErrorKind::Validation,
            ServiceError::Refused(r) => r.kind(),
            ServiceError::Conflict { .. } => ErrorKind::Conflict,
            ServiceError::Database(_) | ServiceError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// The refusal, if the rules refused.
    pub fn refusal(&self) -> Option<&Refusal> {
        match self {
            ServiceError::Refused(r) | ServiceError::Conflict { reason: r, .. } => Some(r),
            _ => None,
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
                ServiceError::Refused(Refusal::Busy)
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
        match r.kind() {
            ErrorKind::Conflict => ServiceError::conflict(r),
            _ => ServiceError::Refused(r),
        }
    }
}

impl From<Rejection> for ServiceError {
    fn from(r: Rejection) -> Self {
        match r {
            Rejection::Refused(r) => r.into(),
            Rejection::Invalid(e) => ServiceError::Validation(e),
        }
    }
}

pub type ServiceResult<T> = Result<T, ServiceError>;
