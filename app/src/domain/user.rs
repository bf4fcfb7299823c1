use super::role::{Permission, Role};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The signed-in user on whose behalf a call runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// A short reference to a person shown next to a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Why a password is not acceptable, or `None` when it is.
pub fn password_problem(password: &str, email: &str) -> Option<String> {
    let lower = password.to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if password.chars().count() < MIN_PASSWORD_CHARS {
        Some(format!("Use at least {MIN_PASSWORD_CHARS} characters."))
    } else if password.chars().count() > 256 {
        Some("Use at most 256 characters.".into())
    } else if lower == email.to_lowercase() || (local.len() >= 4 && lower.contains(local)) {
        Some("The password must not contain your email address.".into())
    } else if COMMON_PASSWORDS.contains(&lower.as_str()) {
        Some("This password is too common; choose another.".into())
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
        assert!(password_problem("short", e).is_some());
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
