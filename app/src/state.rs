//! Shared server state, handed to axum handlers and to server functions.

use crate::domain::desk::TicketEvent;
use crate::services::attachments::store::{Backend, Files};
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
    /// Signs the Approve/Reject links of approval emails.
    pub decision_key: Arc<crate::services::decision_links::DecisionKey>,
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
    /// Ticket changes heard from PostgreSQL, for the desk's live refresh.
    pub ticket_events: TicketEvents,
    /// Where attachment bytes live, and the key of their download links.
    #[from_ref(skip)]
    pub files: Arc<crate::services::attachments::store::Files>,
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
            decision_key: Arc::new(crate::services::decision_links::DecisionKey::derive(secret)),
            revocations: Arc::new(Revocations::default()),
            limiter: Arc::new(Limiter::default()),
            limits: crate::services::auth::Limits::default(),
            sso_enabled: false,
            secure_cookies: public_url.starts_with("https://"),
            public_url: Arc::from(public_url.trim_end_matches('/')),
            ticket_events: TicketEvents::new(),
            // A private folder until the server configures the real store.
            files: {
                let base = std::env::temp_dir().join(format!("gadesk-{}", uuid::Uuid::now_v7()));
                Arc::new(
                    Files::open(
                        &Backend::Disk(base.join("files")),
                        &base.join("incoming"),
                        secret,
                    )
                    .map_err(|e| crate::services::ServiceError::Internal(e.to_string()))?,
                )
            },
        })
    }
}

impl AppState {
    /// Keeps attachments in `files` (the configured disk folder or bucket).
    pub fn with_files(mut self, files: Files) -> Self {
        self.files = Arc::new(files);
        self
    }

    /// Sets how many days a session may live in all (`GADESK_SESSION_MAX_DAYS`).
    pub fn with_session_max_days(mut self, days: i64) -> Self {
        if let Some(keys) = Arc::get_mut(&mut self.keys) {
            keys.session_max_days = days;
        }
        self
    }
}

/// This process's fan-out of ticket events: one listener on PostgreSQL
/// publishes, every open live stream subscribes. Closing it ends the
/// streams, so a shutting-down server does not wait on them (browsers
/// reconnect to another instance).
#[derive(Clone)]
pub struct TicketEvents {
    sender: tokio::sync::broadcast::Sender<TicketEvent>,
    closed: Arc<tokio::sync::watch::Sender<bool>>,
    open: Arc<std::sync::Mutex<OpenStreams>>,
}

/// Live streams open on this instance: each holds a connection and a task,
/// so one person (or all together) may hold only so many.
#[derive(Debug, Default)]
struct OpenStreams {
    total: usize,
    by_person: std::collections::HashMap<uuid::Uuid, usize>,
}

/// A place among the open streams, given back when dropped.
pub struct StreamSlot {
    open: Arc<std::sync::Mutex<OpenStreams>>,
    person: uuid::Uuid,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut o = self.open.lock().unwrap_or_else(|e| e.into_inner());
        o.total = o.total.saturating_sub(1);
        if let Some(n) = o.by_person.get_mut(&self.person) {
            *n -= 1;
            if *n == 0 {
                o.by_person.remove(&self.person);
            }
        }
    }
}

impl TicketEvents {
    /// Events a slow stream may fall behind by before it is told to reload.
    const BUFFER: usize = 256;
    /// Open streams per person (a few tabs and devices) and per instance.
    pub const PER_PERSON: usize = 8;
    pub const TOTAL: usize = 2_000;

    pub fn new() -> Self {
        Self {
            sender: tokio::sync::broadcast::channel(Self::BUFFER).0,
            closed: Arc::new(tokio::sync::watch::channel(false).0),
            open: Arc::default(),
        }
    }

    /// A place for one more stream of `person`, unless they or this
    /// instance already hold as many as allowed.
    pub fn open_stream(&self, person: uuid::Uuid) -> Option<StreamSlot> {
        let mut o = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let mine = o.by_person.get(&person).copied().unwrap_or(0);
        if mine >= Self::PER_PERSON || o.total >= Self::TOTAL {
            return None;
        }
        o.total += 1;
        o.by_person.insert(person, mine + 1);
        Some(StreamSlot {
            open: self.open.clone(),
            person,
        })
    }

    /// Hands an event to every current subscriber (none is fine).
    pub fn publish(&self, event: TicketEvent) {
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<TicketEvent> {
        self.sender.subscribe()
    }

    /// Resolves once [`TicketEvents::close`] was called.
    pub async fn closed(&self) {
        let mut rx = self.closed.subscribe();
        let _ = rx.wait_for(|closed| *closed).await;
    }

    pub fn close(&self) {
        self.closed.send_replace(true);
    }
}

impl Default for TicketEvents {
    fn default() -> Self {
        Self::new()
    }
}
