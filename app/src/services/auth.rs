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

/// Failed sign-ins for one account from one network (an IPv4 address or
/// an IPv6 /64) before that network must wait: the guesser is stopped, the
/// owner elsewhere is not.
pub const MAX_FAILURES: i64 = 5;
pub const LOCK_MINUTES: i64 = 15;
/// Failed sign-ins for one account from all networks together after which
/// every further attempt is slowed down (never refused: a stranger with
/// many addresses must not be able to lock the owner out).
pub const SLOW_DOWN_AFTER: i64 = 50;
const SLOW_DOWN: Duration = Duration::from_secs(2);
/// Failed password changes per account before the form must wait.
pub const MAX_PASSWORD_CHANGE_FAILURES: i64 = 5;

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

/// Recent failures for an account: from the caller's network (with the
/// seconds until the oldest of them stops counting) and from everywhere.
async fn failures(db: &Db, email: &str, ip: &str) -> Result<(i64, i64, Option<f64>), ServiceError> {
    Ok(sqlx::query_as(
        "select count(*) filter (where client_net is not distinct from $3::cidr),
                count(*),
                extract(epoch from min(at) filter (where client_net is not distinct from $3::cidr)
                                   + make_interval(mins => $2) - now())::float8
         from security_events
         where kind = 'login_failed' and email = $1 and at > now() - make_interval(mins => $2)",
    )
    .bind(email)
    .bind(LOCK_MINUTES as i32)
    .bind(super::limits::network_of(ip))
    .fetch_one(db)
    .await?)
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
        &format!("login:{}", client.network()),
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
        let (from_here, everywhere, oldest) = failures(deps.db, &normalized, &client.ip).await?;
        if from_here >= MAX_FAILURES {
            let mut conn = deps.db.acquire().await?;
            audit::record(
                &mut conn,
                audit::Event::new(SecurityKind::LoginLocked)
                    .email(&normalized)
                    .ip(&client.ip)
                    .detail(SecurityDetail::ThrottledAddress),
            )
            .await?;
            return Err(Refusal::TooManyAttempts {
                seconds: oldest.unwrap_or(60.0).ceil().max(1.0) as u64,
            }
            .into());
        }
        if everywhere >= SLOW_DOWN_AFTER {
            tokio::time::sleep(SLOW_DOWN).await;
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
        Err(ServiceError::Refused(Refusal::TemporaryPasswordExpired)) => {
            let mut conn = deps.db.acquire().await?;
            audit::record(
                &mut conn,
                audit::Event::new(SecurityKind::LoginFailed)
                    .email(&normalized)
                    .ip(&client.ip)
                    .detail(SecurityDetail::TemporaryPasswordExpired),
            )
            .await?;
            Err(Refusal::TemporaryPasswordExpired.into())
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
    if let Some(problem) = password_problem(new, &actor.email) {
        return Err(FieldErrors::single("new_password", problem).into());
    }
    if new == current {
        return Err(FieldErrors::single("new_password", FieldError::SamePassword).into());
    }
    let mut tx = db.begin().await?;
    // The row lock makes guesses from one stolen session queue up, so the
    // count below cannot be raced past.
    let hash: Option<(Option<String>,)> =
        sqlx::query_as("select password_hash from users where id = $1 and active for update")
            .bind(actor.id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((hash,)) = hash else {
        return Err(ServiceError::Refused(Refusal::SignInRequired));
    };
    let (failed, oldest): (i64, Option<f64>) = sqlx::query_as(
        "select count(*), extract(epoch from min(at) + make_interval(mins => $2) - now())::float8
         from security_events
         where kind = 'password_change_failed' and user_id = $1 and at > now() - make_interval(mins => $2)",
    )
    .bind(actor.id)
    .bind(LOCK_MINUTES as i32)
    .fetch_one(&mut *tx)
    .await?;
    if failed >= MAX_PASSWORD_CHANGE_FAILURES {
        return Err(Refusal::TooManyAttempts {
            seconds: oldest.unwrap_or(60.0).ceil().max(1.0) as u64,
        }
        .into());
    }
    if !passwords.verify(current, hash.as_deref()).await? {
        audit::record(
            &mut tx,
            audit::Event::new(SecurityKind::PasswordChangeFailed)
                .user(actor.id)
                .email(&actor.email)
                .ip(&client.ip),
        )
        .await?;
        tx.commit().await?;
        return Err(FieldErrors::single("current_password", FieldError::NotCurrentPassword).into());
    }
    let new_hash = passwords.hash(new).await?;
    sqlx::query(
        "update users set password_hash = $2, must_change_password = false,
             temp_password_expires_at = null, version = version + 1 where id = $1",
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

/// Who an identity provider vouched for.
#[derive(Debug, Clone, Copy)]
pub struct SsoIdentity<'a> {
    pub issuer: &'a str,
    pub subject: &'a str,
    /// Verified by the provider.
    pub email: &'a str,
    pub name: &'a str,
}

/// Whether an email's domain may sign in with single sign-on; an empty
/// list allows every domain.
pub fn domain_allowed(email: &Email, allowed: &[String]) -> bool {
    let domain = email.as_str().rsplit('@').next().unwrap_or("");
    allowed.is_empty() || allowed.iter().any(|d| d.eq_ignore_ascii_case(domain))
}

/// Signs in someone whose identity provider vouched for them. An account
/// bound to the provider's (issuer, subject) is that person whatever email
/// the provider now reports; an unbound active account with the verified
/// email is bound at its first sign-in; a person new to GA Desk becomes a
/// requester (an admin can promote them). Only allowed email domains get in.
pub async fn sso_login(
    db: &Db,
    keys: &TokenKeys,
    who: &SsoIdentity<'_>,
    allowed_domains: &[String],
    client: &Client,
) -> Result<Issued, ServiceError> {
    let email =
        Email::parse(who.email).map_err(|_| ServiceError::Refused(Refusal::InvalidCredentials))?;
    let mut tx = db.begin().await?;
    let bound: Option<(Uuid, bool)> =
        sqlx::query_as("select id, active from users where oidc_issuer = $1 and oidc_subject = $2")
            .bind(who.issuer)
            .bind(who.subject)
            .fetch_optional(&mut *tx)
            .await?;
    let by_email: Option<(Uuid, bool, Option<String>)> = if bound.is_none() {
        sqlx::query_as(
            "select id, active, oidc_issuer from users where lower(email) = $1 for update",
        )
        .bind(email.as_str())
        .fetch_optional(&mut *tx)
        .await?
    } else {
        None
    };
    let outcome = match (bound, by_email) {
        (Some((_, false)), _) | (None, Some((_, false, _))) => {
            Err((SecurityDetail::InactiveAccount, Refusal::InvalidCredentials))
        }
        // The domain list holds for everyone, bound or not: narrowing it
        // shuts those domains out.
        _ if !domain_allowed(&email, allowed_domains) => Err((
            SecurityDetail::SsoDomainNotAllowed,
            Refusal::SsoDomainNotAllowed,
        )),
        (Some((id, true)), _) => Ok((id, false)),
        // Someone else (another subject of the same or another provider)
        // already owns this account: the email alone proves nothing.
        (None, Some((_, true, Some(_)))) => Err((
            SecurityDetail::SsoBoundElsewhere,
            Refusal::SsoAccountBoundElsewhere,
        )),
        (None, Some((id, true, None))) => {
            sqlx::query("update users set oidc_issuer = $2, oidc_subject = $3 where id = $1")
                .bind(id)
                .bind(who.issuer)
                .bind(who.subject)
                .execute(&mut *tx)
                .await?;
            Ok((id, false))
        }
        (None, None) => {
            let display = if who.name.trim().is_empty() {
                email.as_str().split('@').next().unwrap_or("")
            } else {
                who.name.trim()
            };
            let (id,): (Uuid,) = sqlx::query_as(
                "insert into users (id, email, name, role, oidc_issuer, oidc_subject)
                 values ($1, $2, left($3, 200), 'requester', $4, $5) returning id",
            )
            .bind(Uuid::now_v7())
            .bind(email.as_str())
            .bind(display)
            .bind(who.issuer)
            .bind(who.subject)
            .fetch_one(&mut *tx)
            .await?;
            Ok((id, true))
        }
    };
    let (id, created) = match outcome {
        Ok(v) => v,
        Err((detail, refusal)) => {
            audit::record(
                &mut tx,
                audit::Event::new(SecurityKind::LoginFailed)
                    .email(email.as_str())
                    .ip(&client.ip)
                    .detail(detail),
            )
            .await?;
            tx.commit().await?;
            return Err(refusal.into());
        }
    };
    let actor = super::users::find_actor(&mut tx, id)
        .await?
        .ok_or(ServiceError::Refused(Refusal::InvalidCredentials))?;
    let issued = sessions::start(&mut tx, keys, &actor, client).await?;
    let mut event = audit::Event::new(SecurityKind::OidcLogin)
        .user(id)
        .email(&actor.email)
        .ip(&client.ip);
    if created {
        event = event.detail(SecurityDetail::CreatedBySso);
    }
    audit::record(&mut tx, event).await?;
    tx.commit().await?;
    Ok(issued)
}
