//! Sign-in sessions: short access tokens, rotating refresh tokens, and
//! revocation that every instance learns about within seconds.
//!
//! A refresh token is 32 random bytes; the database keeps only its SHA-256.
//! Each use rotates it. The successor is derived (HMAC of the old token with
//! a server key), so two requests that race with the same token get the same
//! successor within a short grace period instead of tripping reuse
//! detection; presenting a rotated token after that revokes the session.

use super::tokens::{AccessClaims, TokenKeys};
use super::users::find_actor;
use super::{audit, Db, ServiceError};
use crate::domain::events::{SecurityDetail, SecurityKind};
use crate::domain::user::SessionView;
use crate::domain::{Actor, FieldError, FieldErrors, Refusal};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::PgConnection;
use std::collections::{HashMap, HashSet};
use std::sync::RwLock;
use uuid::Uuid;

pub const REFRESH_TTL_DAYS: i64 = 7;
/// A rotated refresh token presented again within this many seconds is a
/// race between the user's own requests, not theft.
pub const REUSE_GRACE_SECS: i64 = 30;
/// Access tokens live 15 minutes; revocations older than this need no
/// remembering.
const REVOCATION_WINDOW_MINUTES: i64 = 20;

/// Derives successors of refresh tokens.
#[derive(Clone)]
pub struct RefreshKey([u8; 32]);

impl std::fmt::Debug for RefreshKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RefreshKey(<redacted>)")
    }
}

impl RefreshKey {
    pub fn derive(secret: &[u8]) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("hmac takes any key length");
        mac.update(b"gadesk refresh key v1");
        Self(mac.finalize().into_bytes().into())
    }

    fn successor(&self, token: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("hmac takes any key length");
        mac.update(token.as_bytes());
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    }
}

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn new_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What a sign-in or refresh hands to the client.
#[derive(Debug, Clone)]
pub struct Issued {
    pub access: String,
    pub refresh: String,
    pub sid: Uuid,
    pub actor: Actor,
    pub must_change_password: bool,
}

/// Who and where, for the session list and the audit log.
#[derive(Debug, Clone, Default)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

impl Client {
    /// What rate limits count by: the address, or its /64 for IPv6.
    pub fn network(&self) -> String {
        super::limits::network_of(&self.ip).unwrap_or_else(|| self.ip.clone())
    }
}

async fn must_change(conn: &mut PgConnection, user: Uuid) -> Result<bool, ServiceError> {
    let (m,): (bool,) = sqlx::query_as("select must_change_password from users where id = $1")
        .bind(user)
        .fetch_one(conn)
        .await?;
    Ok(m)
}

/// Starts a session for a user who just proved who they are.
pub async fn start(
    conn: &mut PgConnection,
    keys: &TokenKeys,
    actor: &Actor,
    client: &Client,
) -> Result<Issued, ServiceError> {
    let sid = Uuid::now_v7();
    let refresh = new_token();
    sqlx::query(
        "insert into sessions (id, user_id, expires_at, user_agent, client_ip)
         values ($1, $2, now() + make_interval(days => least($3, $6)), left($4, 300), left($5, 64))",
    )
    .bind(sid)
    .bind(actor.id)
    .bind(REFRESH_TTL_DAYS as i32)
    .bind(&client.user_agent)
    .bind(&client.ip)
    .bind(keys.session_max_days as i32)
    .execute(&mut *conn)
    .await?;
    sqlx::query("insert into refresh_tokens (token_hash, session_id) values ($1, $2)")
        .bind(hash(&refresh))
        .bind(sid)
        .execute(&mut *conn)
        .await?;
    let must_change_password = must_change(conn, actor.id).await?;
    Ok(Issued {
        access: keys.issue_access(actor, sid, must_change_password)?,
        refresh,
        sid,
        actor: actor.clone(),
        must_change_password,
    })
}

#[derive(sqlx::FromRow)]
struct TokenRow {
    session_id: Uuid,
    rotated_at: Option<DateTime<Utc>>,
    user_id: Uuid,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
}

/// Exchanges a refresh token for a new pair. Reusing a rotated token after
/// the grace period ends the session (`SessionEnded`).
pub async fn refresh(
    db: &Db,
    keys: &TokenKeys,
    refresh_key: &RefreshKey,
    revocations: &Revocations,
    token: &str,
    client: &Client,
) -> Result<Issued, ServiceError> {
    if token.is_empty() || token.len() > 100 {
        return Err(ServiceError::Refused(Refusal::SignInRequired));
    }
    let mut tx = db.begin().await?;
    let row: Option<TokenRow> = sqlx::query_as(
        "select rt.session_id, rt.rotated_at, s.user_id, s.created_at, s.expires_at, s.revoked_at
         from refresh_tokens rt join sessions s on s.id = rt.session_id
         where rt.token_hash = $1
         for update of rt",
    )
    .bind(hash(token))
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(ServiceError::Refused(Refusal::SignInRequired));
    };
    let now = Utc::now();
    if row.revoked_at.is_some() {
        return Err(ServiceError::Refused(Refusal::SessionEnded));
    }
    if row.expires_at < now {
        return Err(ServiceError::Refused(Refusal::SignInRequired));
    }
    // However often it was refreshed, a session ends at its longest
    // lifetime: a stolen refresh token is not a key for ever.
    if now - row.created_at >= Duration::days(keys.session_max_days) {
        let why = (SecurityKind::SessionEnded, SecurityDetail::SessionExpired);
        return end_refusing(tx, revocations, &row, client, "lifetime reached", why).await;
    }
    let successor = refresh_key.successor(token);
    match row.rotated_at {
        None => {
            sqlx::query("update refresh_tokens set rotated_at = now() where token_hash = $1")
                .bind(hash(token))
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "insert into refresh_tokens (token_hash, session_id) values ($1, $2)
                 on conflict (token_hash) do nothing",
            )
            .bind(hash(&successor))
            .bind(row.session_id)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "update sessions set last_seen_at = now(),
                     expires_at = least(now() + make_interval(days => $2),
                                        created_at + make_interval(days => $3)),
                     client_ip = left($4, 64), user_agent = left($5, 300)
                 where id = $1",
            )
            .bind(row.session_id)
            .bind(REFRESH_TTL_DAYS as i32)
            .bind(keys.session_max_days as i32)
            .bind(&client.ip)
            .bind(&client.user_agent)
            .execute(&mut *tx)
            .await?;
        }
        Some(at) if now - at <= Duration::seconds(REUSE_GRACE_SECS) => {
            // The same user's parallel request: hand out the same successor.
        }
        Some(_) => {
            let why = (
                SecurityKind::RefreshReused,
                SecurityDetail::SessionEndedForReuse,
            );
            return end_refusing(tx, revocations, &row, client, "refresh token reused", why).await;
        }
    }
    let Some(actor) = find_actor(&mut tx, row.user_id).await? else {
        end_session(&mut tx, row.session_id, "user deactivated").await?;
        tx.commit().await?;
        return Err(ServiceError::Refused(Refusal::SessionEnded));
    };
    let must_change_password = must_change(&mut tx, actor.id).await?;
    tx.commit().await?;
    Ok(Issued {
        access: keys.issue_access(&actor, row.session_id, must_change_password)?,
        refresh: successor,
        sid: row.session_id,
        actor,
        must_change_password,
    })
}

/// Ends the session a refresh token belongs to, logs why, and answers
/// "session ended".
async fn end_refusing(
    mut tx: sqlx::Transaction<'_, sqlx::Postgres>,
    revocations: &Revocations,
    row: &TokenRow,
    client: &Client,
    reason: &str,
    (kind, detail): (SecurityKind, SecurityDetail),
) -> Result<Issued, ServiceError> {
    end_session(&mut tx, row.session_id, reason).await?;
    audit::record(
        &mut tx,
        audit::Event::new(kind)
            .user(row.user_id)
            .ip(&client.ip)
            .detail(detail),
    )
    .await?;
    tx.commit().await?;
    revocations.revoke_local(row.session_id);
    Err(ServiceError::Refused(Refusal::SessionEnded))
}

pub async fn end_session(
    conn: &mut PgConnection,
    sid: Uuid,
    reason: &str,
) -> Result<(), ServiceError> {
    sqlx::query(
        "update sessions set revoked_at = now(), revoked_reason = $2 where id = $1 and revoked_at is null",
    )
    .bind(sid)
    .bind(reason)
    .execute(conn)
    .await?;
    Ok(())
}

/// Signs out: this session only.
pub async fn logout(
    db: &Db,
    revocations: &Revocations,
    actor: &Actor,
    sid: Uuid,
    client: &Client,
) -> Result<(), ServiceError> {
    let mut tx = db.begin().await?;
    end_session(&mut tx, sid, "signed out").await?;
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::Logout)
            .user(actor.id)
            .email(&actor.email)
            .ip(&client.ip),
    )
    .await?;
    tx.commit().await?;
    revocations.revoke_local(sid);
    Ok(())
}

/// The caller's sessions that are still open, newest first: device,
/// address and when each was last used, for the account page.
pub async fn list_mine(
    db: &Db,
    actor: &Actor,
    current: Uuid,
) -> Result<Vec<SessionView>, ServiceError> {
    Ok(sqlx::query_as(
        "select id, user_agent, client_ip, created_at, last_seen_at, id = $2 as current
         from sessions
         where user_id = $1 and revoked_at is null and expires_at > now()
         order by (id = $2) desc, last_seen_at desc limit 100",
    )
    .bind(actor.id)
    .bind(current)
    .fetch_all(db)
    .await?)
}

/// Signs out the caller's other sessions: the one named (`Some`, a lost
/// phone or a shared computer) or all of them (`None`). The session in use
/// is ended by signing out instead. Returns how many ended.
pub async fn end_other_sessions(
    db: &Db,
    revocations: &Revocations,
    actor: &Actor,
    current: Uuid,
    only: Option<Uuid>,
    client: &Client,
) -> Result<i64, ServiceError> {
    if only == Some(current) {
        return Err(FieldErrors::single("session", FieldError::ThisSession).into());
    }
    let mut tx = db.begin().await?;
    let ended: Vec<(Uuid, String)> = sqlx::query_as(
        "update sessions set revoked_at = now(), revoked_reason = 'signed out from another session'
         where user_id = $1 and id <> $2 and revoked_at is null and ($3::uuid is null or id = $3)
         returning id, user_agent",
    )
    .bind(actor.id)
    .bind(current)
    .bind(only)
    .fetch_all(&mut *tx)
    .await?;
    let detail = match (only, ended.first()) {
        // Someone else's session, or one already ended: the same answer.
        (Some(_), None) => return Err(Refusal::NotFound.into()),
        (_, None) => None,
        (Some(_), Some((_, device))) => Some(SecurityDetail::SessionSignedOut {
            device: device.chars().take(120).collect(),
        }),
        (None, Some(_)) => Some(SecurityDetail::OtherSessionsSignedOut {
            count: ended.len() as i64,
        }),
    };
    if let Some(detail) = detail {
        audit::record(
            &mut tx,
            audit::Event::new(SecurityKind::SessionEnded)
                .user(actor.id)
                .email(&actor.email)
                .ip(&client.ip)
                .detail(detail),
        )
        .await?;
    }
    tx.commit().await?;
    for (sid, _) in &ended {
        revocations.revoke_local(*sid);
    }
    Ok(ended.len() as i64)
}

/// Ends every session of a user (password, role or active change): their
/// refresh tokens stop working at once and their access tokens within
/// seconds on every instance.
pub async fn end_all_for_user(
    conn: &mut PgConnection,
    user: Uuid,
    reason: &str,
) -> Result<(), ServiceError> {
    sqlx::query(
        "update sessions set revoked_at = now(), revoked_reason = $2 where user_id = $1 and revoked_at is null",
    )
    .bind(user)
    .bind(reason)
    .execute(&mut *conn)
    .await?;
    sqlx::query("update users set sessions_valid_after = now() where id = $1")
        .bind(user)
        .execute(conn)
        .await?;
    Ok(())
}

/// Recently revoked sessions and users, held in memory by every instance and
/// reloaded from the database every few seconds, so checking an access
/// token never needs a query.
#[derive(Debug, Default)]
pub struct Revocations {
    state: RwLock<RevocationState>,
}

#[derive(Debug, Default)]
struct RevocationState {
    sessions: HashSet<Uuid>,
    /// Access tokens of these users issued before this time (unix seconds)
    /// are refused.
    users: HashMap<Uuid, i64>,
}

impl Revocations {
    pub fn is_revoked(&self, claims: &AccessClaims) -> bool {
        let s = self.state.read().unwrap_or_else(|e| e.into_inner());
        s.sessions.contains(&claims.sid)
            || s.users
                .get(&claims.sub)
                .is_some_and(|cut| claims.iat < *cut)
    }

    pub fn revoke_local(&self, sid: Uuid) {
        let mut s = self.state.write().unwrap_or_else(|e| e.into_inner());
        s.sessions.insert(sid);
    }

    pub fn cut_user_local(&self, user: Uuid, at: DateTime<Utc>) {
        let mut s = self.state.write().unwrap_or_else(|e| e.into_inner());
        s.users.insert(user, at.timestamp());
    }

    /// Replaces the in-memory lists with what the database says now.
    pub async fn reload(&self, db: &Db) -> Result<(), ServiceError> {
        let sessions: Vec<(Uuid,)> = sqlx::query_as(
            "select id from sessions where revoked_at > now() - make_interval(mins => $1)",
        )
        .bind(REVOCATION_WINDOW_MINUTES as i32)
        .fetch_all(db)
        .await?;
        let users: Vec<(Uuid, DateTime<Utc>)> = sqlx::query_as(
            "select id, sessions_valid_after from users
             where sessions_valid_after > now() - make_interval(mins => $1)",
        )
        .bind(REVOCATION_WINDOW_MINUTES as i32)
        .fetch_all(db)
        .await?;
        let fresh = RevocationState {
            sessions: sessions.into_iter().map(|(id,)| id).collect(),
            users: users
                .into_iter()
                .map(|(id, at)| (id, at.timestamp()))
                .collect(),
        };
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }
}
