use super::role::{Permission, Role};
use crate::errors::FieldError;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in user on whose behalf a call runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
}

impl Actor {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.has(permission)
    }
}

/// A person's account as administrators see and edit it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct UserAccount {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: Role,
    pub manager_id: Option<Uuid>,
    pub active: bool,
    /// Signed in with a temporary password that must be replaced.
    pub must_change_password: bool,
    pub version: i32,
}

/// A short reference to a person shown next to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserRef {
    pub id: Uuid,
    pub name: String,
    pub email: String,
}

/// Passwords people pick first; refused outright.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "1111111111",
    "qwertyuiop",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "iloveyou12",
    "administrator",
    "admin12345",
    "letmein123",
    "welcome123",
    "sayangkamu",
    "indonesia1",
    "indonesia123",
    "jakarta123",
    "bismillah1",
    "bismillah123",
    "qwerty12345",
    "abcdefghij",
    "abc1234567",
    "gadesk1234",
    "changeme123",
];

pub const MIN_PASSWORD_CHARS: usize = 10;
/// A temporary password an administrator set stops working after this
/// long if nobody used it to choose their own (the default of
/// `GADESK_TEMP_PASSWORD_HOURS`).
pub const TEMP_PASSWORD_HOURS: i64 = 72;
/// Sign-in sessions end this long after they started, however often they
/// are refreshed (the default of `GADESK_SESSION_MAX_DAYS`).
pub const SESSION_MAX_DAYS: i64 = 30;

pub const MAX_PASSWORD_CHARS: usize = 256;

/// Why a password is not acceptable, or `None` when it is.
pub fn password_problem(password: &str, email: &str) -> Option<FieldError> {
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(FieldError::TooShort {
            min: MIN_PASSWORD_CHARS as u32,
        })
    } else if password.chars().count() > MAX_PASSWORD_CHARS {
        Some(FieldError::TooLong {
            max: MAX_PASSWORD_CHARS as u32,
        })
    } else if lower == email.to_lowercase() || (local.len() >= 4 && lower.contains(local)) {
        Some(FieldError::PasswordContainsEmail)
    } else if COMMON_PASSWORDS.contains(&lower.as_str()) {
        Some(FieldError::PasswordTooCommon)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        let e = "budi.santoso@example.co.id";
        assert_eq!(
            password_problem("short", e),
            Some(FieldError::TooShort { min: 10 })
        );
        assert_eq!(
            password_problem("Password123", e),
            Some(FieldError::PasswordTooCommon)
        );
        assert!(password_problem("Password123", e).is_some());
        assert!(password_problem("budi.santoso-rahasia", e).is_some());
        assert!(password_problem(e, e).is_some());
        assert!(password_problem(&"x".repeat(300), e).is_some());
        assert_eq!(password_problem("teh-manis-di-pantry", e), None);
    }

    #[test]
    fn actor_permissions_follow_role() {
        let a = Actor {
            id: Uuid::nil(),
            email: "a@example.co.id".into(),
            name: "A".into(),
            role: Role::Requester,
        };
        assert!(a.can(Permission::TicketsCreate));
        assert!(!a.can(Permission::TicketsReadAll));
    }
}

/// Distinguishes a missing field (`None`) from an explicit `null`
/// (`Some(None)`) in a JSON patch.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// An administrator's change to a user; absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserUpdate {
    pub version: i32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// `null` clears the manager.
    #[serde(
        default,
        deserialize_with = "double_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub manager_id: Option<Option<Uuid>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
}

/// A user an administrator creates, with a temporary password the person
/// must change at first sign-in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewUserInput {
    #[cfg_attr(feature = "openapi", schema(format = Email, max_length = 254, example = "joko.wibowo@example.co.id"))]
    pub email: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, example = "Joko Wibowo")
    )]
    pub name: String,
    #[serde(default)]
    pub department: String,
    #[serde(default = "default_role")]
    pub role: Role,
    #[serde(default)]
    pub manager_id: Option<Uuid>,
    /// Absent for people who will only sign in through single sign-on.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 256))]
    pub temporary_password: Option<String>,
}

fn default_role() -> Role {
    Role::Requester
}

#[cfg(test)]
mod patch_tests {
    use super::*;

    #[test]
    fn null_and_missing_differ() {
        let a: UserUpdate = serde_json::from_str(r#"{"version":1}"#).unwrap();
        assert_eq!(a.manager_id, None);
        let b: UserUpdate = serde_json::from_str(r#"{"version":1,"manager_id":null}"#).unwrap();
        assert_eq!(b.manager_id, Some(None));
        let id = Uuid::nil();
        let c: UserUpdate =
            serde_json::from_str(&format!(r#"{{"version":1,"manager_id":"{id}"}}"#)).unwrap();
        assert_eq!(c.manager_id, Some(Some(id)));
        assert!(
            serde_json::from_str::<UserUpdate>(r#"{"version":1,"password_hash":"x"}"#).is_err()
        );
        assert!(serde_json::from_str::<UserUpdate>(r#"{"version":1,"role":"root"}"#).is_err());
    }
}

/// One of a person's open sign-in sessions, as the account page lists them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct SessionView {
    pub id: uuid::Uuid,
    /// The browser or app, as it introduced itself.
    pub user_agent: String,
    pub client_ip: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_seen_at: chrono::DateTime<chrono::Utc>,
    /// The session this request came from.
    pub current: bool,
}

/// A short name for a browser's user agent ("Chrome on Android").
pub fn device_name(user_agent: &str) -> String {
    let ua = user_agent.to_ascii_lowercase();
    let browser = if ua.contains("edg/") {
        "Edge"
    } else if ua.contains("firefox/") {
        "Firefox"
    } else if ua.contains("chrome/") || ua.contains("chromium/") {
        "Chrome"
    } else if ua.contains("safari/") {
        "Safari"
    } else if ua.contains("curl/") {
        "curl"
    } else {
        ""
    };
    let system = if ua.contains("android") {
        "Android"
    } else if ua.contains("iphone") || ua.contains("ipad") {
        "iOS"
    } else if ua.contains("windows") {
        "Windows"
    } else if ua.contains("mac os") {
        "macOS"
    } else if ua.contains("linux") {
        "Linux"
    } else {
        ""
    };
    match (browser, system) {
        ("", "") => user_agent.chars().take(60).collect(),
        (b, "") => b.to_string(),
        ("", s) => s.to_string(),
        (b, s) => format!("{b} · {s}"),
    }
}
