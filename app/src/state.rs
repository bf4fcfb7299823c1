//! Shared server state, handed to axum handlers and to server functions.

use crate::services::cursor::CursorKey;
use crate::services::limits::Limiter;
use crate::services::passwords::Passwords;
use crate::services::sessions::{RefreshKey, Revocations};
use crate::services::tokens::TokenKeys;
use crate::services::Db;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;
use std::sync::Arc;

/// Access tokens are short-lived; browsers refresh them silently.
pub const ACCESS_TOKEN_SECS: i64 = 15 * 60;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// A read replica for lists, exports and reports (the primary when no
    /// replica is configured).
    #[from_ref(skip)]
    pub read_db: Db,
    pub keys: Arc<TokenKeys>,
    pub cursors: Arc<CursorKey>,
    pub passwords: Passwords,
    pub refresh_key: Arc<RefreshKey>,
    pub revocations: Arc<Revocations>,
    pub limiter: Arc<Limiter>,
    pub limits: crate::services::auth::Limits,
    /// Whether "Sign in with SSO" is offered.
    #[from_ref(skip)]
    pub sso_enabled: bool,
    /// Cookies get `Secure` when the public URL is HTTPS.
    #[from_ref(skip)]
    pub secure_cookies: bool,
    /// Where people reach GA Desk (printed into asset labels' QR codes).
    #[from_ref(skip)]
    pub public_url: Arc<str>,
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
            read_db: db.clone(),
            db,
            keys: Arc::new(TokenKeys::new(secret, public_url, ACCESS_TOKEN_SECS)?),
            cursors: Arc::new(CursorKey::derive(secret)),
            passwords: Passwords::new(hash_parallelism),
            refresh_key: Arc::new(RefreshKey::derive(secret)),
            revocations: Arc::new(Revocations::default()),
            limiter: Arc::new(Limiter::default()),
            limits: crate::services::auth::Limits::default(),
            sso_enabled: false,
            secure_cookies: public_url.starts_with("https://"),
            public_url: Arc::from(public_url.trim_end_matches('/')),
        })
    }
}
