//! The outbox: messages that leave GA Desk (email, webhooks), written in
//! the transaction of the change they announce, so a change that rolls
//! back tells nobody. Workers in every instance claim due rows with
//! `FOR UPDATE SKIP LOCKED` and a lease, deliver, and record the outcome;
//! `(event_key, channel, recipient)` is unique, so one event queues one
//! message per recipient and channel however often it is written.

use super::{Db, ServiceError};
use crate::domain::events::Notice;
use crate::domain::outgoing::{
    backoff, next_digest, quiet_until, Channel, Delivery, DeliveryFilter, DeliveryStatus, Outgoing,
    TicketFacts, DECISION_LINK_HOURS, MAX_ATTEMPTS,
};
use crate::domain::ticket::TicketStatus;
use crate::domain::{Actor, Lang, Money, Permission, Refusal, Zone};
use chrono::{DateTime, Duration, Utc};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

/// What makes an event about a ticket one event.
#[derive(Debug, Clone)]
pub enum Occasion {
    /// A change of the ticket: its new version names it.
    Change,
    /// A comment on it.
    Comment(Uuid),
    /// Named by the caller (a reminder: which one).
    Key(String),
}

/// A person's delivery choices and where they live.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Prefs {
    active: bool,
    time_zone: String,
    email_off: Vec<String>,
    email_digest: bool,
    quiet_from: Option<i16>,
    quiet_to: Option<i16>,
}

impl Prefs {
    fn zone(&self) -> Zone {
        Zone::from_code(&self.time_zone).unwrap_or_default()
    }

    /// Whether this message goes by email now, later (quiet hours), in the
    /// digest, or not at all (the person reads this kind in the app only).
    fn schedule(&self, kind: &str, now: DateTime<Utc>) -> (DeliveryStatus, DateTime<Utc>) {
        if !self.active || self.email_off.iter().any(|k| k == kind) {
            return (DeliveryStatus::InApp, now);
        }
        if self.email_digest {
            return (DeliveryStatus::Digest, next_digest(now, self.zone()));
        }
        let at = match (self.quiet_from, self.quiet_to) {
            (Some(from), Some(to)) => quiet_until(now, self.zone(), from as u32, to as u32),
            _ => None,
        };
        (DeliveryStatus::Pending, at.unwrap_or(now))
    }
}

#[derive(sqlx::FromRow)]
struct Facts {
    number: String,
    title: String,
    estimated_total: rust_decimal::Decimal,
    status: String,
    version: i32,
}

/// Queues the email (by the person's choice) and the webhook messages for
/// an event about a ticket. An approval request to a named approver gets
/// an Approve/Reject link bound to this version of the ticket. Returns
/// whether the person's row was new (false: this event was queued before).
pub async fn about_ticket(
    conn: &mut PgConnection,
    ticket: Uuid,
    to: Option<Uuid>,
    notice: Notice,
    occasion: Occasion,
) -> Result<bool, ServiceError> {
    let f: Facts = sqlx::query_as(
        "select number, title, estimated_total, status, version from tickets where id = $1",
    )
    .bind(ticket)
    .fetch_one(&mut *conn)
    .await?;
    let now = Utc::now();
    let mut message = Outgoing::new(notice, now);
    message.ticket = Some(TicketFacts {
        id: ticket,
        number: f.number,
        title: f.title,
        amount: Money::new(f.estimated_total).unwrap_or_default(),
        status: f.status.parse().unwrap_or(TicketStatus::Pending),
    });
    let key = match occasion {
        Occasion::Change => format!("t:{ticket}:v{}:{}", f.version, message.kind()),
        Occasion::Comment(c) => format!("t:{ticket}:c{c}:{}", message.kind()),
        Occasion::Key(k) => k,
    };
    let mut new = false;
    if let Some(user) = to {
        let (queued,): (bool,) = sqlx::query_as(
            "select exists (select 1 from outbox where event_key = $1 and channel = 'email' and user_id = $2)",
        )
        .bind(&key)
        .bind(user)
        .fetch_one(&mut *conn)
        .await?;
        if queued {
            return Ok(false);
        }
        if matches!(
            message.notice,
            Notice::AwaitingApproval { .. } | Notice::ApprovalReminder { .. }
        ) {
            let link = Uuid::now_v7();
            sqlx::query(
                "insert into decision_links (id, ticket_id, approver_id, ticket_version, expires_at)
                 values ($1, $2, $3, $4, $5)",
            )
            .bind(link)
            .bind(ticket)
            .bind(user)
            .bind(f.version)
            .bind(now + Duration::hours(DECISION_LINK_HOURS))
            .execute(&mut *conn)
            .await?;
            message.decision_link = Some(link);
        }
        new = email(conn, user, Some(ticket), &message, &key).await?;
    }
    message.decision_link = None;
    webhooks(conn, Some(ticket), &message, &key).await?;
    Ok(new)
}

/// Queues an email to `user`, or records that they read this kind in the
/// app only. Returns whether a new row was written (false: this event was
/// queued already), so a job that runs again tells nobody twice.
pub async fn email(
    conn: &mut PgConnection,
    user: Uuid,
    ticket: Option<Uuid>,
    message: &Outgoing,
    event_key: &str,
) -> Result<bool, ServiceError> {
    let prefs: Option<Prefs> = sqlx::query_as(
        "select active, time_zone, email_off, email_digest, quiet_from, quiet_to
         from users where id = $1",
    )
    .bind(user)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(prefs) = prefs else {
        return Ok(false);
    };
    let (status, at) = prefs.schedule(message.kind(), message.at);
    let r = sqlx::query(
        "insert into outbox (event_key, channel, user_id, ticket_id, message, status, next_attempt_at)
         values ($1, 'email', $2, $3, $4, $5, $6)
         on conflict do nothing",
    )
    .bind(event_key)
    .bind(user)
    .bind(ticket)
    .bind(Json(message))
    .bind(status.as_str())
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Queues the message for every active webhook that wants its kind.
pub async fn webhooks(
    conn: &mut PgConnection,
    ticket: Option<Uuid>,
    message: &Outgoing,
    event_key: &str,
) -> Result<u64, ServiceError> {
    let r = sqlx::query(
        "insert into outbox (event_key, channel, webhook_id, ticket_id, message)
         select $1, 'webhook', w.id, $2, $3 from webhooks w
          where w.active and $4 = any(w.events)
         on conflict do nothing",
    )
    .bind(event_key)
    .bind(ticket)
    .bind(Json(message))
    .bind(message.kind())
    .execute(&mut *conn)
    .await?;
    Ok(r.rows_affected())
}

/// A message a worker has claimed, with what it needs to deliver it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub attempts: i32,
    pub message: Json<Outgoing>,
    pub user_id: Option<Uuid>,
    pub webhook_id: Option<Uuid>,
    pub email: Option<String>,
    pub name: Option<String>,
    pub lang: Option<String>,
    pub time_zone: Option<String>,
    pub user_active: Option<bool>,
    pub hook_name: Option<String>,
    pub url: Option<String>,
    pub secret: Option<String>,
    pub format: Option<String>,
    pub hook_lang: Option<String>,
    pub hook_active: Option<bool>,
}

impl Claimed {
    pub fn lang(&self) -> Lang {
        self.lang
            .as_deref()
            .or(self.hook_lang.as_deref())
            .and_then(Lang::from_code)
            .unwrap_or_default()
    }

    pub fn zone(&self) -> Zone {
        self.time_zone
            .as_deref()
            .and_then(Zone::from_code)
            .unwrap_or_default()
    }
}

/// Claims up to `limit` due messages of `channel` for `lease`: no other
/// worker takes them meanwhile; if this one dies, they are due again when
/// the lease ends.
pub async fn claim(
    db: &Db,
    channel: Channel,
    limit: i64,
    lease: std::time::Duration,
) -> Result<Vec<Claimed>, ServiceError> {
    Ok(sqlx::query_as(
        "with c as (
            update outbox o set leased_until = now() + make_interval(secs => $3), attempts = attempts + 1
             where o.id in (select id from outbox
                             where status = 'pending' and channel = $1 and next_attempt_at <= now()
                               and (leased_until is null or leased_until < now())
                             order by next_attempt_at, id limit $2
                             for update skip locked)
            returning o.id, o.attempts, o.message, o.user_id, o.webhook_id)
         select c.id, c.attempts, c.message, c.user_id, c.webhook_id,
                u.email, u.name, u.lang, u.time_zone, u.active as user_active,
                w.name as hook_name, w.url, w.secret, w.format, w.lang as hook_lang, w.active as hook_active
           from c left join users u on u.id = c.user_id left join webhooks w on w.id = c.webhook_id
          order by c.id",
    )
    .bind(channel.as_str())
    .bind(limit.clamp(1, 500))
    .bind(lease.as_secs_f64())
    .fetch_all(db)
    .await?)
}

/// Records a delivery. Only the worker holding this attempt may: a row
/// claimed again after a lapsed lease is not marked by the late one.
pub async fn delivered(db: &Db, row: &Claimed) -> Result<(), ServiceError> {
    sqlx::query(
        "update outbox set status = 'sent', sent_at = now(), leased_until = null, last_error = null
          where id = $1 and attempts = $2 and status = 'pending'",
    )
    .bind(row.id)
    .bind(row.attempts)
    .execute(db)
    .await?;
    if let Some(hook) = row.webhook_id {
        sqlx::query("update webhooks set failures = 0 where id = $1 and failures <> 0")
            .bind(hook)
            .execute(db)
            .await?;
    }
    Ok(())
}

/// Records a failed attempt: due again after the backoff, or failed for
/// good after the last attempt (`permanent` gives up at once). A webhook
/// that keeps failing is disabled.
pub async fn attempt_failed(
    db: &Db,
    row: &Claimed,
    error: &str,
    permanent: bool,
) -> Result<(), ServiceError> {
    let give_up = permanent || row.attempts >= MAX_ATTEMPTS;
    let error: String = error.chars().take(500).collect();
    sqlx::query(
        "update outbox set status = $3, next_attempt_at = now() + make_interval(secs => $4),
                leased_until = null, last_error = $5
          where id = $1 and attempts = $2 and status = 'pending'",
    )
    .bind(row.id)
    .bind(row.attempts)
    .bind(if give_up { "failed" } else { "pending" })
    .bind(backoff(row.attempts).num_seconds() as f64)
    .bind(&error)
    .execute(db)
    .await?;
    if let Some(hook) = row.webhook_id {
        sqlx::query(
            "update webhooks set failures = failures + 1,
                    active = active and failures + 1 < $2,
                    disabled_at = case when active and failures + 1 >= $2 then now() else disabled_at end
              where id = $1",
        )
        .bind(hook)
        .bind(crate::domain::outgoing::HOOK_FAILURE_LIMIT)
        .execute(db)
        .await?;
    }
    Ok(())
}

/// Gathers each person's held messages into one digest email when their
/// digest time has come. Returns how many digests were queued.
pub async fn gather_digests(db: &Db, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let people: Vec<(Uuid,)> = sqlx::query_as(
        "select distinct user_id from outbox where status = 'digest' and next_attempt_at <= $1",
    )
    .bind(now)
    .fetch_all(db)
    .await?;
    let mut queued = 0;
    for (user,) in people {
        let mut tx = db.begin().await?;
        let rows: Vec<(i64, Json<Outgoing>)> = sqlx::query_as(
            "select id, message from outbox
              where user_id = $1 and status = 'digest' and next_attempt_at <= $2
              order by id for update skip locked",
        )
        .bind(user)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        let Some((last, _)) = rows.last() else {
            continue;
        };
        let key = format!("digest:{user}:{last}");
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let mut digest = Outgoing::new(
            Notice::Digest {
                count: rows.len() as i64,
            },
            now,
        );
        digest.digest = rows.into_iter().map(|r| r.1 .0).collect();
        sqlx::query(
            "insert into outbox (event_key, channel, user_id, message) values ($1, 'email', $2, $3)
             on conflict do nothing",
        )
        .bind(&key)
        .bind(user)
        .bind(Json(&digest))
        .execute(&mut *tx)
        .await?;
        sqlx::query("update outbox set status = 'digested', sent_at = $2 where id = any($1)")
            .bind(&ids)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

/// Messages that could not leave within this long (no mail server
/// configured, a receiver down for days) are given up as failed rather
/// than sent stale.
pub const GIVE_UP_AFTER_HOURS: i64 = 72;

/// Compares the database's own timestamps with its own clock.
pub async fn expire(db: &Db) -> Result<u64, ServiceError> {
    Ok(sqlx::query(
        "update outbox set status = 'failed', last_error = 'not delivered within 72 hours'
          where status = 'pending' and created_at < now() - make_interval(hours => $1)
            and (leased_until is null or leased_until < now())",
    )
    .bind(GIVE_UP_AFTER_HOURS as i32)
    .execute(db)
    .await?
    .rows_affected())
}

/// The newest deliveries (administrators), newest first.
pub async fn recent(
    db: &Db,
    actor: &Actor,
    filter: &DeliveryFilter,
    limit: i64,
) -> Result<Vec<Delivery>, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(Refusal::DeliveryAdminOnly.into());
    }
    Ok(sqlx::query_as(
        "select o.id, o.created_at, o.channel, coalesce(u.email, w.name, '') as recipient,
                o.message->'notice'->>'code' as kind, t.number as ticket_number,
                o.status, o.attempts, o.next_attempt_at, o.sent_at, o.last_error
           from outbox o
           left join users u on u.id = o.user_id
           left join webhooks w on w.id = o.webhook_id
           left join tickets t on t.id = o.ticket_id
          where ($1::text is null or o.status = $1)
            and ($2::text is null or o.channel = $2)
            and ($3::uuid is null or o.webhook_id = $3)
          order by o.created_at desc, o.id desc limit $4",
    )
    .bind(filter.status.map(|s| s.as_str()))
    .bind(filter.channel.map(|c| c.as_str()))
    .bind(filter.webhook)
    .bind(limit.clamp(1, 500))
    .fetch_all(db)
    .await?)
}

/// How many messages are in each state, for the admin page's figures.
pub async fn counts(db: &Db, actor: &Actor) -> Result<Vec<(DeliveryStatus, i64)>, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(Refusal::DeliveryAdminOnly.into());
    }
    let rows: Vec<(String, i64)> =
        sqlx::query_as("select status, count(*) from outbox group by status order by status")
            .fetch_all(db)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(s, n)| s.parse().ok().map(|s| (s, n)))
        .collect())
}
