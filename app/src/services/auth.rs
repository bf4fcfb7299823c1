//! Signing in and changing passwords.

use super::limits::Limiter;
use super::passwords::Passwords;
use super::sessions::{self, Client, Issued, Revocations};
use super::tokens::TokenKeys;
use super::users::authenticate;
use super::{audit, Db, ServiceError};
use crate::domain::events::{SecurityDetail, SecurityKind};
use crate::domain::user::password_problem;
use crate::domain::{Actor, Email, FieldError, FieldErrors, Refusal};
use std::time::Duration;
use uuid::Uuid;

/// Failed sign-ins per account before it is locked for a while.
pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// Attempts per client address per minute, on each instance. Generous,
/// because a whole office may sign in at 8:00 behind one address; guessing
/// one account's password is stopped by the account lockout instead.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub logins_per_ip_per_minute: u32,
    pub refreshes_per_ip_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            logins_per_ip_per_minute: 100,
            refreshes_per_ip_per_minute: 600,
        }
    }
}

/// What signing in needs from the application state.
pub struct Deps<'a> {
    pub db: &'a Db,
    pub passwords: &'a Passwords,
    pub keys: &'a TokenKeys,
    pub limiter: &'a Limiter,
    pub limits: Limits,
}

/// Seconds until a locked account may try again, if it is locked.
async fn locked_for(db: &Db, email: &str) -> Result<Option<i64>, ServiceError> {
    let (failures, remaining): (i64, Option<f64>) = sqlx::query_as(
        "select count(*), extract(epoch from min(at) + make_interval(mins => $2) - now())::float8
         from security_events
         where kind = 'login_failed' and email = $1 and at > now() - make_interval(mins => $2)",
    )
    .bind(email)
    .bind(LOCK_MINUTES as i32)
    .fetch_one(db)
    .await?;
    Ok((failures >= MAX_FAILURES).then(|| remaining.unwrap_or(60.0).ceil().max(1.0) as i64))
}

/// Checks the password (rate limited per client address and per account)
/// and starts a session. Every outcome is written to the audit log.
pub async fn login(
    deps: &Deps<'_>,
    email: &str,
    password: &str,
    client: &Client,
) -> Result<Issued, ServiceError> {
    if let Err(retry) = deps.limiter.hit(
        &format!("login:{}", client.ip),
        deps.limits.logins_per_ip_per_minute,
        Duration::from_secs(60),
    ) {
        return Err(ServiceError::Refused(Refusal::TooManyAttempts {
            seconds: retry,
        }));
    }
    let normalized = Email::parse(email)
        .map(|e| e.to_string())
        .unwrap_or_default();
    if !normalized.is_empty() {
        if let Some(retry) = locked_for(deps.db, &normalized).await? {
            let mut conn = deps.db.acquire().await?;
            audit::record(
                &mut conn,
                audit::Event::new(SecurityKind::LoginLocked)
                    .email(&normalized)
                    .ip(&client.ip)
                    .detail(SecurityDetail::TooManyFailures),
            )
            .await?;
            return Err(Refusal::TooManyAttempts {
                seconds: retry as u64,
            }
            .into());
        }
    }
    match authenticate(deps.db, deps.passwords, email, password).await {
        Ok(actor) => {
            let mut tx = deps.db.begin().await?;
            let issued = sessions::start(&mut tx, deps.keys, &actor, client).await?;
            audit::record(
                &mut tx,
                audit::Event::new(SecurityKind::LoginSucceeded)
                    .user(actor.id)
                    .email(&actor.email)
                    .ip(&client.ip),
            )
            .await?;
            tx.commit().await?;
            Ok(issued)
        }
        Err(ServiceError::Refused(Refusal::InvalidCredentials)) => {
            metrics::counter!("gadesk_login_failures_total").increment(1);
            let mut conn = deps.db.acquire().await?;
            let shown = if normalized.is_empty() {
                email.chars().take(100).collect()
            } else {
                normalized
            };
            audit::record(
                &mut conn,
                audit::Event::new(SecurityKind::LoginFailed)
                    .email(&shown)
                    .ip(&client.ip),
            )
            .await?;
            Err(ServiceError::Refused(Refusal::InvalidCredentials))
        }
        Err(e) => Err(e),
    }
}

/// Changes the caller's own password: the current one is required, every
/// other session ends, and this device gets a fresh session.
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    db: &Db,
    passwords: &Passwords,
    keys: &TokenKeys,
    revocations: &Revocations,
    actor: &Actor,
    current: &str,
    new: &str,
    client: &Client,
) -> Result<Issued, ServiceError> {
    let hash: Option<(Option<String>,)> =
        sqlx::query_as("select password_hash from users where id = $1 and active")
            .bind(actor.id)
            .fetch_optional(db)
            .await?;
    let Some((hash,)) = hash else {
        return Err(ServiceError::Refused(Refusal::SignInRequired));
    };
    if !passwords.verify(current, hash.as_deref()).await? {
        return Err(FieldErrors::single("current_password", FieldError::NotCurrentPassword).into());
    }
    if let Some(problem) = password_problem(new, &actor.email) {
        return Err(FieldErrors::single("new_password", problem).into());
    }
    if new == current {
        return Err(FieldErrors::single("new_password", FieldError::SamePassword).into());
    }
    let new_hash = passwords.hash(new).await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "update users set password_hash = $2, must_change_password = false, version = version + 1 where id = $1",
    )
    .bind(actor.id)
    .bind(new_hash)
    .execute(&mut *tx)
    .await?;
    sessions::end_all_for_user(&mut tx, actor.id, "password changed").await?;
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::PasswordChanged)
            .user(actor.id)
            .actor(actor.id)
            .email(&actor.email)
            .ip(&client.ip),
    )
    .await?;
    let issued = sessions::start(&mut tx, keys, actor, client).await?;
    tx.commit().await?;
    revocations.reload(db).await?;
    Ok(issued)
}

/// Ends one session of the caller (signing out).
pub async fn logout(
    db: &Db,
    revocations: &Revocations,
    actor: &Actor,
    sid: Uuid,
    client: &Client,
) -> Result<(), ServiceError> {
    sessions::logout(db, revocations, actor, sid, client).await
}

/// Signs in someone whose identity provider vouched for their (verified)
/// email. Known active users are matched by email; people new to GA Desk
/// become requesters (an admin can promote them).
pub async fn sso_login(
    db: &Db,
    keys: &TokenKeys,
    email: &str,
    name: &str,
    client: &Client,
) -> Result<Issued, ServiceError> {
    let email =
        Email::parse(email).map_err(|_| ServiceError::Refused(Refusal::InvalidCredentials))?;
    let mut tx = db.begin().await?;
    let existing: Option<(Uuid, bool)> =
        sqlx::query_as("select id, active from users where lower(email) = $1")
            .bind(email.as_str())
            .fetch_optional(&mut *tx)
            .await?;
    let (id, created) = match existing {
        Some((_, false)) => {
            audit::record(
                &mut tx,
                audit::Event::new(SecurityKind::LoginFailed)
                    .email(email.as_str())
                    .ip(&client.ip)
                    .detail(SecurityDetail::InactiveAccount),
            )
            .await?;
            tx.commit().await?;
            return Err(ServiceError::Refused(Refusal::InvalidCredentials));
        }
        Some((id, true)) => (id, false),
        None => {
            let display = if name.trim().is_empty() {
                email.as_str().split('@').next().unwrap_or("")
            } else {
                name.trim()
            };
            let (id,): (Uuid,) = sqlx::query_as(
                "insert into users (id, email, name, role) values ($1, $2, left($3, 200), 'requester') returning id",
            )
            .bind(Uuid::now_v7())
            .bind(email.as_str())
            .bind(display)
            .fetch_one(&mut *tx)
            .await?;
            (id, true)
        }
    };
    let actor = super::users::find_actor(&mut tx, id)
        .await?
        .ok_or(ServiceError::Refused(Refusal::InvalidCredentials))?;
    let issued = sessions::start(&mut tx, keys, &actor, client).await?;
    let mut event = audit::Event::new(SecurityKind::OidcLogin)
        .user(id)
        .email(email.as_str())
        .ip(&client.ip);
    if created {
        event = event.detail(SecurityDetail::CreatedBySso);
    }
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(issued)
}
