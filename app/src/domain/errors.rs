use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Validation failures keyed by the field they belong to, e.g. `title` or
/// `items[1].unit_price`, so forms can show each message next to its input.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(value_type = std::collections::BTreeMap<String, String>, example = json!({"items[0].unit_price": "The amount cannot be negative."})))]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keeps the first message for a field: it is usually the most basic one.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.entry(field.into()).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// `Ok(value)` when nothing was recorded, else the collected errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    pub fn single(field: impl Into<String>, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, message);
        e
    }
}

impl std::fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        f.write_str(&parts.join("; "))
    }
}

/// Checks a trimmed text's length in characters (not bytes: Indonesian names
/// and emoji count as one each).
pub fn check_text(
    errors: &mut FieldErrors,
    field: &str,
    value: &str,
    required: bool,
    max_chars: usize,
) {
    let len = value.trim().chars().count();
    if required && len == 0 {
        errors.add(field, "This field is required.");
    } else if len > max_chars {
        errors.add(field, format!("Use at most {max_chars} characters."));
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        errors.add(field, "Contains characters that are not allowed.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_message_per_field_wins() {
        let mut e = FieldErrors::new();
        e.add("title", "required");
        e.add("title", "too long");
        assert_eq!(e.get("title"), Some("required"));
        assert_eq!(e.len(), 1);
        assert!(e.into_result(()).is_err());
    }

    #[test]
    fn text_rules_count_characters_not_bytes() {
        let mut e = FieldErrors::new();
        check_text(&mut e, "t", &"é".repeat(200), true, 200);
        assert!(e.is_empty());
        check_text(&mut e, "t", &"é".repeat(201), true, 200);
        assert_eq!(e.get("t"), Some("Use at most 200 characters."));
        let mut e = FieldErrors::new();
        check_text(&mut e, "t", "   ", true, 10);
        assert_eq!(e.get("t"), Some("This field is required."));
        let mut e = FieldErrors::new();
        check_text(&mut e, "t", "a\u{0}b", true, 10);
        assert!(e.get("t").is_some());
        assert_eq!(FieldErrors::single("a", "b").to_string(), "a: b");
    }
}
