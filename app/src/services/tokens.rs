//! Signed access tokens (JWT, HS256 pinned).

use super::ServiceError;
use crate::domain::Refusal;
use crate::domain::{Actor, Permission, Role};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: Uuid,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub permissions: Vec<Permission>,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: Uuid,
    pub sid: Uuid,
    pub typ: String,
    /// The user must choose a new password before doing anything else.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pwd_change: bool,
}

impl AccessClaims {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.sub,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
        }
    }
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    pub access_ttl_secs: i64,
    /// Sessions end this many days after they started, however often they
    /// are refreshed.
    pub session_max_days: i64,
}

impl std::fmt::Debug for TokenKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKeys")
            .field("issuer", &self.issuer)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl TokenKeys {
    pub fn new(secret: &[u8], issuer: &str, access_ttl_secs: i64) -> Result<Self, ServiceError> {
        if secret.len() < MIN_SECRET_BYTES {
            return Err(ServiceError::Internal(format!(
                "the JWT secret must be at least {MIN_SECRET_BYTES} bytes"
            )));
        }
        let key_err = |e: jsonwebtoken::errors::Error| ServiceError::Internal(e.to_string());
        let audience = "gadesk".to_string();
        // Only HS256 is accepted: "none" and every other algorithm fail.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[&audience]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Ok(Self {
            encoding: EncodingKey::from_secret(secret).map_err(key_err)?,
            decoding: DecodingKey::from_secret(secret).map_err(key_err)?,
            validation,
            issuer: issuer.to_string(),
            session_max_days: crate::domain::user::SESSION_MAX_DAYS,
            audience,
            access_ttl_secs,
        })
    }

    pub fn issue_access(
        &self,
        actor: &Actor,
        sid: Uuid,
        must_change_password: bool,
    ) -> Result<String, ServiceError> {
        let now = chrono::Utc::now().timestamp();
        let claims = AccessClaims {
            sub: actor.id,
            email: actor.email.clone(),
            name: actor.name.clone(),
            role: actor.role,
            permissions: actor.role.permissions().to_vec(),
            iat: now,
            exp: now + self.access_ttl_secs,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            jti: Uuid::now_v7(),
            sid,
            typ: "access".into(),
            pwd_change: must_change_password,
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ServiceError::Internal(format!("token signing failed: {e}")))
    }

    pub fn verify_access(&self, token: &str) -> Result<AccessClaims, ServiceError> {
        let data = decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map_err(|_| ServiceError::Refused(Refusal::SignInRequired))?;
        if data.claims.typ != "access" {
            return Err(ServiceError::Refused(Refusal::SignInRequired));
        }
        Ok(data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor() -> Actor {
        Actor {
            id: Uuid::now_v7(),
            email: "budi@example.co.id".into(),
            name: "Budi".into(),
            role: Role::Approver,
        }
    }

    #[test]
    fn round_trip_and_rejections() {
        let keys = TokenKeys::new(&[7u8; 32], "http://localhost", 900).unwrap();
        let a = actor();
        let sid = Uuid::now_v7();
        let t = keys.issue_access(&a, sid, false).unwrap();
        let c = keys.verify_access(&t).unwrap();
        assert_eq!(c.actor(), a);
        assert_eq!(c.sid, sid);
        assert!(c.permissions.contains(&Permission::TicketsApprove));

        let other = TokenKeys::new(&[8u8; 32], "http://localhost", 900).unwrap();
        assert!(other.verify_access(&t).is_err(), "wrong key");
        let other_iss = TokenKeys::new(&[7u8; 32], "http://evil", 900).unwrap();
        assert!(other_iss.verify_access(&t).is_err(), "wrong issuer");
        let expired = TokenKeys::new(&[7u8; 32], "http://localhost", -60).unwrap();
        let old = expired.issue_access(&a, sid, false).unwrap();
        assert!(keys.verify_access(&old).is_err(), "expired");
        assert!(keys.verify_access("garbage").is_err());
        assert!(TokenKeys::new(b"short", "x", 1).is_err());
    }

    #[test]
    fn alg_none_is_refused() {
        use base64::Engine;
        let keys = TokenKeys::new(&[7u8; 32], "http://localhost", 900).unwrap();
        let t = keys.issue_access(&actor(), Uuid::now_v7(), false).unwrap();
        let payload = t.split('.').nth(1).unwrap();
        let header = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert!(keys.verify_access(&format!("{header}.{payload}.")).is_err());
    }
}
