//! Webhooks for chat and other systems: administrators register a URL and
//! the kinds of notice it wants; the outbox delivers them signed.

use super::audit;
use super::{Db, ServiceError};
use crate::domain::errors::Entity;
use crate::domain::events::{Notice, SecurityDetail, SecurityKind};
use crate::domain::outgoing::{Outgoing, Webhook, WebhookInput};
use crate::domain::{Actor, FieldError, FieldErrors, Permission, Refusal};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use uuid::Uuid;

fn require_admin(actor: &Actor) -> Result<(), ServiceError> {
    if actor.can(Permission::UsersManage) {
        Ok(())
    } else {
        Err(Refusal::DeliveryAdminOnly.into())
    }
}

const COLUMNS: &str =
    "id, name, url, format, lang, events, active, failures, disabled_at, version, created_at";

pub async fn list(db: &Db, actor: &Actor) -> Result<Vec<Webhook>, ServiceError> {
    require_admin(actor)?;
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from webhooks order by created_at, id"
    )))
    .fetch_all(db)
    .await?)
}

pub async fn get(db: &Db, actor: &Actor, id: Uuid) -> Result<Webhook, ServiceError> {
    require_admin(actor)?;
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from webhooks where id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(Refusal::NotFound.into())
}

/// A new webhook and its signing secret, shown this once.
pub async fn create(
    db: &Db,
    actor: &Actor,
    input: &WebhookInput,
) -> Result<(Webhook, String), ServiceError> {
    require_admin(actor)?;
    input.validate()?;
    let secret = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>());
    let mut tx = db.begin().await?;
    let hook: Webhook = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into webhooks (id, name, url, format, lang, events, secret, active, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning {COLUMNS}"
    )))
    .bind(Uuid::now_v7())
    .bind(input.name.trim())
    .bind(input.url.trim())
    .bind(input.format)
    .bind(&input.lang)
    .bind(&input.events)
    .bind(&secret)
    .bind(input.active)
    .bind(actor.id)
    .fetch_one(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::WebhookChanged)
            .actor(actor.id)
            .email(&actor.email)
            .detail(SecurityDetail::WebhookCreated {
                name: hook.name.clone(),
                url: hook.url.clone(),
            }),
    )
    .await?;
    tx.commit().await?;
    Ok((hook, secret))
}

/// Changes a webhook from the version the admin saw. Turning it on again
/// forgets its failures.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    input: &WebhookInput,
) -> Result<Webhook, ServiceError> {
    require_admin(actor)?;
    input.validate()?;
    let version = input.version.ok_or_else(|| {
        ServiceError::Validation(FieldErrors::single(
            "version",
            FieldError::VersionRequired {
                of: Entity::Webhook,
            },
        ))
    })?;
    let mut tx = db.begin().await?;
    let hook: Option<Webhook> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update webhooks set name = $3, url = $4, format = $5, lang = $6, events = $7,
                failures = case when $8 and not active then 0 else failures end,
                disabled_at = case when $8 then null else disabled_at end,
                active = $8, version = version + 1
          where id = $1 and version = $2 returning {COLUMNS}"
    )))
    .bind(id)
    .bind(version)
    .bind(input.name.trim())
    .bind(input.url.trim())
    .bind(input.format)
    .bind(&input.lang)
    .bind(&input.events)
    .bind(input.active)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(hook) = hook else {
        let now: Option<(i32,)> = sqlx::query_as("select version from webhooks where id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        return Err(match now {
            Some((version,)) => Refusal::Changed {
                of: Entity::Webhook,
                version,
            }
            .into(),
            None => Refusal::NotFound.into(),
        });
    };
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::WebhookChanged)
            .actor(actor.id)
            .email(&actor.email)
            .detail(SecurityDetail::WebhookUpdated {
                name: hook.name.clone(),
                url: hook.url.clone(),
                active: hook.active.to_string(),
            }),
    )
    .await?;
    tx.commit().await?;
    Ok(hook)
}

pub async fn delete(db: &Db, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
    require_admin(actor)?;
    let mut tx = db.begin().await?;
    let name: Option<(String,)> =
        sqlx::query_as("delete from webhooks where id = $1 returning name")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((name,)) = name else {
        return Err(Refusal::NotFound.into());
    };
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::WebhookChanged)
            .actor(actor.id)
            .email(&actor.email)
            .detail(SecurityDetail::WebhookDeleted { name }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Queues a test message to this webhook (whatever kinds it wants).
pub async fn send_test(db: &Db, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
    let hook = get(db, actor, id).await?;
    let message = Outgoing::new(
        Notice::WebhookTest {
            name: hook.name.clone(),
        },
        chrono::Utc::now(),
    );
    sqlx::query(
        "insert into outbox (event_key, channel, webhook_id, message) values ($1, 'webhook', $2, $3)",
    )
    .bind(format!("test:{id}:{}", Uuid::now_v7()))
    .bind(id)
    .bind(sqlx::types::Json(&message))
    .execute(db)
    .await?;
    Ok(())
}

/// The signature a receiver checks: HMAC-SHA256 over `"{timestamp}.{body}"`
/// with the hook's secret, as `t=<unix seconds>,v1=<hex>`.
pub fn signature(secret: &str, timestamp: i64, body: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("hmac takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={hex}")
}
