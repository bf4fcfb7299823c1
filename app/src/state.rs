//! Shared server state, handed to axum handlers and to server functions.

use crate::services::cursor::CursorKey;
use crate::services::passwords::Passwords;
use crate::services::tokens::TokenKeys;
use crate::services::Db;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub keys: Arc<TokenKeys>,
    pub cursors: Arc<CursorKey>,
    pub passwords: Passwords,
    /// Cookies get `Secure` when the public URL is HTTPS.
    pub secure_cookies: bool,
}

impl AppState {
    pub fn new(
        leptos_options: LeptosOptions,
        db: Db,
        secret: &[u8],
        public_url: &str,
        hash_parallelism: usize,
    ) -> Result<Self, crate::services::ServiceError> {
        Ok(Self {
            leptos_options,
            db,
            // Until refresh tokens land, a sign-in lasts a working day.
            keys: Arc::new(TokenKeys::new(secret, public_url, 12 * 3600)?),
            cursors: Arc::new(CursorKey::derive(secret)),
            passwords: Passwords::new(hash_parallelism),
            secure_cookies: public_url.starts_with("https://"),
        })
    }
}
