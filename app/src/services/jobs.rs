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
