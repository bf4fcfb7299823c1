//! Text people type into search boxes and filters, made safe for SQL.

use super::ServiceError;
use crate::domain::{FieldError, FieldErrors};

/// A search or filter text: trimmed, at most `max` characters, no control
/// characters (PostgreSQL text cannot even hold a NUL byte); blank is none.
pub fn filter_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ServiceError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(ServiceError::Validation(FieldErrors::single(
            field,
            FieldError::TooLong { max: max as u32 },
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(ServiceError::Validation(FieldErrors::single(
            field,
            FieldError::ControlCharacters,
        )));
    }
    Ok(Some(v.to_string()))
}

/// An ILIKE pattern matching `text` anywhere, with its wildcards escaped.
pub fn like(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}
