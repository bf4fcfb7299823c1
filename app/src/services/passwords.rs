//! Password hashing with argon2id, kept off the async runtime.
//!
//! Each hash costs tens of milliseconds of CPU. Running it on the runtime's
//! worker threads would stall every other request, so it runs on the
//! blocking pool behind a semaphore that bounds how many run at once.

use super::ServiceError;
use crate::domain::Refusal;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// A real hash of a random password: unknown users are verified against
    /// it so that a wrong email costs as much as a wrong password.
    dummy_hash: Arc<String>,
    /// Temporary passwords an administrator sets stop working after this
    /// many hours (`GADESK_TEMP_PASSWORD_HOURS`).
    pub temp_password_hours: i64,
}

fn argon() -> Argon2<'static> {
    // OWASP's argon2id baseline: m = 19 MiB, t = 2, p = 1.
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash_blocking(password: &str) -> Result<String, ServiceError> {
    argon()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(format!("password hashing failed: {e}")))
}

fn verify_blocking(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

impl Passwords {
    /// `max_parallel` hashes run at once; more wait their turn.
    pub fn new(max_parallel: usize) -> Self {
        let bytes: [u8; 32] = rand::random();
        let random: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let dummy = hash_blocking(&random).expect("argon2 works");
        Self {
            permits: Arc::new(Semaphore::new(max_parallel.max(1))),
            dummy_hash: Arc::new(dummy),
            temp_password_hours: crate::domain::user::TEMP_PASSWORD_HOURS,
        }
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ServiceError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ServiceError::Refused(Refusal::Busy))?;
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|e| ServiceError::Internal(format!("hashing task failed: {e}")))
    }

    pub async fn hash(&self, password: &str) -> Result<String, ServiceError> {
        let password = password.to_owned();
        self.run(move || hash_blocking(&password)).await?
    }

    /// Verifies against `hash`, or against the dummy hash when the user is
    /// unknown (then the answer is always `false`, at the same cost).
    pub async fn verify(&self, password: &str, hash: Option<&str>) -> Result<bool, ServiceError> {
        let password = password.to_owned();
        let (target, real) = match hash {
            Some(h) => (h.to_owned(), true),
            None => (self.dummy_hash.as_ref().clone(), false),
        };
        let ok = self
            .run(move || verify_blocking(&password, &target))
            .await?;
        Ok(ok && real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_unknown_users_never_match() {
        let p = Passwords::new(2);
        let h = p.hash("kopi-tubruk-2026").await.unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(p.verify("kopi-tubruk-2026", Some(&h)).await.unwrap());
        assert!(!p.verify("kopi-tubruk-2027", Some(&h)).await.unwrap());
        assert!(!p.verify("anything", None).await.unwrap());
        assert!(!p.verify("x", Some("not a hash")).await.unwrap());
    }
}
