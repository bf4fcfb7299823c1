use serde::{Deserialize, Serialize};
use std::fmt;

/// An email address, trimmed and lower-cased, so `Budi@Example.co.id` and
/// `budi@example.co.id` are the same account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// Not an email address; reads as [`crate::FieldError::Email`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidEmail;

impl From<InvalidEmail> for crate::FieldError {
    fn from(_: InvalidEmail) -> Self {
        crate::FieldError::Email
    }
}

impl fmt::Display for InvalidEmail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&crate::FieldError::Email, f)
    }
}

impl Email {
    pub fn parse(input: &str) -> Result<Email, InvalidEmail> {
        let s = input.trim().to_lowercase();
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(InvalidEmail);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(InvalidEmail)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(InvalidEmail);
        }
        Ok(Email(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Email {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Email::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(
            Email::parse("  Budi.Santoso@Example.CO.ID ")
                .unwrap()
                .as_str(),
            "budi.santoso@example.co.id"
        );
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "budi",
            "budi@",
            "@example.co.id",
            "budi@example",
            "budi@@example.co.id",
            "bu di@example.co.id",
            "budi@example..co.id",
            "budi@.example.co.id",
            "budi@example.co.id.",
            "budi@exa_mple.co.id",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
        assert!(Email::parse(&format!("{}@example.co.id", "a".repeat(65))).is_err());
    }

    #[test]
    fn serde_round_trip_validates() {
        let e: Email = serde_json::from_str("\"Ani@Example.co.id\"").unwrap();
        assert_eq!(serde_json::to_string(&e).unwrap(), "\"ani@example.co.id\"");
        assert!(serde_json::from_str::<Email>("\"nope\"").is_err());
    }
}
