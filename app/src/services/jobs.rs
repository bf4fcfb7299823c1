//! Background work the server runs periodically.

use super::notifications::{self, Notice};
use super::{Db, ServiceError};
use crate::domain::events::SystemNote;
use crate::domain::ticket::lifecycle::CONFIRM_WINDOW_DAYS;
use crate::domain::ticket::TicketStatus;
use chrono::{DateTime, Duration, Utc};
use sqlx::types::Json;
use uuid::Uuid;

/// Any fixed number shared by all instances: only one of them runs the
/// auto-close at a time.
const AUTO_CLOSE_LOCK: i64 = 0x6761_6465_736b_0001;

/// Closes (as done) tickets completed more than 7 days before `now` that
/// nobody confirmed or reopened. Returns how many were closed; 0 when
/// another instance holds the job's lock.
pub async fn auto_close(db: &Db, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let mut tx = db.begin().await?;
    let (got,): (bool,) = sqlx::query_as("select pg_try_advisory_xact_lock($1)")
        .bind(AUTO_CLOSE_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !got {
        return Ok(0);
    }
    let due: Vec<(Uuid, String, Uuid, i32)> = sqlx::query_as(
        "update tickets set status = 'closed', resolution = 'done', version = version + 1
         where status = 'completed' and completed_at < $1
         returning id, number, requester_id, version",
    )
    .bind(now - Duration::days(CONFIRM_WINDOW_DAYS))
    .fetch_all(&mut *tx)
    .await?;
    for (id, number, requester, version) in &due {
        sqlx::query(
            "insert into ticket_history (ticket_id, version, actor_id, action, from_status, to_status, changed_fields, system_note)
             values ($1, $2, null, 'auto_close', 'completed', 'closed', '{status}', $3)",
        )
        .bind(id)
        .bind(version)
        .bind(Json(SystemNote::AutoClosed {
            days: CONFIRM_WINDOW_DAYS,
        }))
        .execute(&mut *tx)
        .await?;
        notifications::send(
            &mut tx,
            Notice::StatusChanged {
                ticket_id: *id,
                number,
                requester: *requester,
                to: TicketStatus::Closed,
            },
        )
        .await?;
        // Open desk boards drop the card from "Completed".
        super::queues::announce(&mut tx, *id, TicketStatus::Closed, *version).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Security log lines are kept this long by default (`GADESK_SECURITY_LOG_DAYS`).
pub const SECURITY_LOG_DAYS: i64 = 400;
/// Rows removed per statement, so retention never holds long locks.
const RETENTION_BATCH: i64 = 5_000;

/// What one retention run removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Retained {
    pub sessions: u64,
    pub refresh_tokens: u64,
    pub idempotency_keys: u64,
    pub security_events: u64,
}

/// Deletes in batches until nothing matches; `what` is a table and a
/// condition, both fixed text.
async fn delete_batches(
    db: &Db,
    table: &str,
    condition: &str,
    bind: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    let sql = format!(
        "delete from {table} where ctid = any(array(select ctid from {table} where {condition} limit {RETENTION_BATCH}))"
    );
    let mut total = 0;
    loop {
        let n = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(bind)
            .execute(db)
            .await?
            .rows_affected();
        total += n;
        if n < RETENTION_BATCH as u64 {
            return Ok(total);
        }
    }
}

/// Removes what no one needs any more: sessions that ended or expired a day
/// ago (with their refresh tokens), refresh tokens rotated a day ago,
/// idempotency keys past 24 hours and security log lines past
/// `security_log_days`. One instance at a time (the jobs' advisory lock);
/// `None` when another holds it.
pub async fn retention(
    db: &Db,
    now: DateTime<Utc>,
    security_log_days: i64,
) -> Result<Option<Retained>, ServiceError> {
    let mut lock = db.acquire().await?;
    let (got,): (bool,) = sqlx::query_as("select pg_try_advisory_lock($1)")
        .bind(AUTO_CLOSE_LOCK)
        .fetch_one(&mut *lock)
        .await?;
    if !got {
        return Ok(None);
    }
    let day_ago = now - Duration::days(1);
    let run = async {
        Ok::<_, ServiceError>(Retained {
            sessions: delete_batches(
                db,
                "sessions",
                "coalesce(revoked_at, expires_at) < $1",
                day_ago,
            )
            .await?,
            refresh_tokens: delete_batches(db, "refresh_tokens", "rotated_at < $1", day_ago)
                .await?,
            idempotency_keys: delete_batches(db, "idempotency_keys", "created_at < $1", day_ago)
                .await?,
            security_events: delete_batches(
                db,
                "security_events",
                "at < $1",
                now - Duration::days(security_log_days),
            )
            .await?,
        })
    };
    let result = run.await;
    sqlx::query("select pg_advisory_unlock($1)")
        .bind(AUTO_CLOSE_LOCK)
        .execute(&mut *lock)
        .await?;
    result.map(Some)
}
