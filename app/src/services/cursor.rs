//! Opaque, tamper-proof keyset cursors.
//!
//! A cursor names the last row of a page. It is signed so clients cannot
//! forge one to probe other rows: a changed cursor is a 400, never a 500.

use super::ServiceError;
use crate::domain::Refusal;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct CursorKey([u8; 32]);

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(<redacted>)")
    }
}

fn bad_cursor() -> ServiceError {
    ServiceError::Refused(Refusal::BadCursor)
}

impl CursorKey {
    /// Derives the cursor key from the server secret, so no extra secret is
    /// needed and token keys are never used directly for another purpose.
    pub fn derive(secret: &[u8]) -> Self {
        Self::derive_for(secret, "cursor")
    }

    /// A key for another kind of signed value (the same format, a separate
    /// key per purpose).
    pub fn derive_for(secret: &[u8], purpose: &str) -> Self {
        let mut mac = HmacSha256::new_from_slice(secret).expect("hmac takes any key length");
        mac.update(format!("gadesk {purpose} key v1").as_bytes());
        Self(mac.finalize().into_bytes().into())
    }

    fn tag(&self, payload: &[u8]) -> [u8; 16] {
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("hmac takes any key length");
        mac.update(payload);
        let full = mac.finalize().into_bytes();
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    pub fn encode(&self, payload: &str) -> String {
        let tag = self.tag(payload.as_bytes());
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(tag)
        )
    }

    pub fn decode(&self, cursor: &str) -> Result<String, ServiceError> {
        if cursor.len() > 512 {
            return Err(bad_cursor());
        }
        let (p, t) = cursor.split_once('.').ok_or_else(bad_cursor)?;
        let payload = URL_SAFE_NO_PAD.decode(p).map_err(|_| bad_cursor())?;
        let tag = URL_SAFE_NO_PAD.decode(t).map_err(|_| bad_cursor())?;
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("hmac takes any key length");
        mac.update(&payload);
        // Constant-time comparison of the truncated tag.
        mac.verify_truncated_left(&tag).map_err(|_| bad_cursor())?;
        if tag.len() != 16 {
            return Err(bad_cursor());
        }
        String::from_utf8(payload).map_err(|_| bad_cursor())
    }

    /// Cursor for lists ordered by `(created_at desc, id desc)`.
    pub fn encode_time_id(&self, at: DateTime<Utc>, id: Uuid) -> String {
        self.encode(&format!("t:{}:{}", at.timestamp_micros(), id))
    }

    pub fn decode_time_id(&self, cursor: &str) -> Result<(DateTime<Utc>, Uuid), ServiceError> {
        let payload = self.decode(cursor)?;
        let rest = payload.strip_prefix("t:").ok_or_else(bad_cursor)?;
        let (micros, id) = rest.split_once(':').ok_or_else(bad_cursor)?;
        let micros: i64 = micros.parse().map_err(|_| bad_cursor())?;
        let at = DateTime::<Utc>::from_timestamp_micros(micros).ok_or_else(bad_cursor)?;
        let id = Uuid::parse_str(id).map_err(|_| bad_cursor())?;
        Ok((at, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_forgeries() {
        let k = CursorKey::derive(b"0123456789abcdef0123456789abcdef");
        let at = DateTime::<Utc>::from_timestamp_micros(1_780_000_000_123_456).unwrap();
        let id = Uuid::now_v7();
        let c = k.encode_time_id(at, id);
        assert_eq!(k.decode_time_id(&c).unwrap(), (at, id));

        let forged_payload = URL_SAFE_NO_PAD.encode(format!("t:1:{id}"));
        let tag = c.split_once('.').unwrap().1;
        assert!(k
            .decode_time_id(&format!("{forged_payload}.{tag}"))
            .is_err());
        let other = CursorKey::derive(b"another secret of enough length!!");
        assert!(other.decode_time_id(&c).is_err());
        for junk in ["", ".", "abc", "a.b", &"x".repeat(600), "%%.%%"] {
            assert!(k.decode_time_id(junk).is_err(), "{junk}");
        }
        assert!(matches!(
            k.decode("x.y"),
            Err(ServiceError::Refused(Refusal::BadCursor))
        ));
    }
}
