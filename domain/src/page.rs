use crate::errors::FieldError;
use crate::refusal::Refusal;
use serde::{Deserialize, Serialize};

/// One page of a keyset-paginated list. `next_cursor` is opaque to clients
/// and absent on the last page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Page sizes are capped so no request can ask the database for everything.
pub const MAX_PAGE_SIZE: u32 = 100;
pub const DEFAULT_PAGE_SIZE: u32 = 20;

/// Clamps a requested page size into `1..=MAX_PAGE_SIZE`, or rejects it.
pub fn page_size(requested: Option<u32>) -> Result<u32, Refusal> {
    match requested {
        None => Ok(DEFAULT_PAGE_SIZE),
        Some(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
        Some(_) => Err(Refusal::BadParameter {
            name: "limit".into(),
            problem: FieldError::WholeNumber {
                min: 1,
                max: i64::from(MAX_PAGE_SIZE),
            },
        }),
    }
}

/// Percent-encodes a value for a query string (links to filtered lists).
pub fn encode_query_value(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_bounded() {
        assert_eq!(page_size(None), Ok(DEFAULT_PAGE_SIZE));
        assert_eq!(page_size(Some(1)), Ok(1));
        assert_eq!(page_size(Some(100)), Ok(100));
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(101)).is_err());
    }
}
