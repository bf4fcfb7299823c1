//! In-app notifications (the bell), written in the same transaction as the
//! change they announce.

use super::{Db, ServiceError};
use crate::domain::ticket::{Notification, TicketStatus};
use crate::domain::Actor;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

pub enum Notice<'a> {
    StatusChanged {
        ticket_id: Uuid,
        number: &'a str,
        requester: Uuid,
        to: TicketStatus,
    },
    /// `approver: None` means any approver may decide: all are told, except
    /// the requester and those who already approved in this round.
    AwaitingApproval {
        ticket_id: Uuid,
        number: &'a str,
        approver: Option<Uuid>,
        requester: Uuid,
        round: i32,
    },
    Assigned {
        ticket_id: Uuid,
        number: &'a str,
        assignee: Uuid,
    },
    Commented {
        ticket_id: Uuid,
        number: &'a str,
        to: Uuid,
        author: &'a str,
    },
}

async fn insert(
    conn: &mut PgConnection,
    user: Uuid,
    ticket: Uuid,
    notice: &domain::events::Notice,
) -> Result<(), ServiceError> {
    sqlx::query(
        "insert into notifications (user_id, ticket_id, kind, event) values ($1, $2, $3, $4)",
    )
    .bind(user)
    .bind(ticket)
    .bind(notice.code())
    .bind(Json(notice))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn send(conn: &mut PgConnection, notice: Notice<'_>) -> Result<(), ServiceError> {
    use domain::events::Notice as N;
    match notice {
        Notice::StatusChanged {
            ticket_id,
            number,
            requester,
            to,
        } => {
            let n = N::StatusChanged {
                number: number.into(),
                status: to,
            };
            insert(conn, requester, ticket_id, &n).await
        }
        Notice::AwaitingApproval {
            ticket_id,
            number,
            approver: Some(approver),
            ..
        } => {
            let n = N::AwaitingApproval {
                number: number.into(),
            };
            insert(conn, approver, ticket_id, &n).await
        }
        // Waiting for any approver: it is in every approver's queue
        // (/approvals). Pinging each of them would write one row per
        // approver on every decision (1 666 rows in the 20 000-person
        // benchmark) and turn the bell into noise; the bell is for what is
        // addressed to you.
        Notice::AwaitingApproval { approver: None, .. } => Ok(()),
        Notice::Assigned {
            ticket_id,
            number,
            assignee,
        } => {
            let n = N::Assigned {
                number: number.into(),
            };
            insert(conn, assignee, ticket_id, &n).await
        }
        Notice::Commented {
            ticket_id,
            number,
            to,
            author,
        } => {
            let n = N::Commented {
                number: number.into(),
                author: author.into(),
            };
            insert(conn, to, ticket_id, &n).await
        }
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    ticket_id: Option<Uuid>,
    event: Json<domain::events::Notice>,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

/// The newest notifications of the actor and how many are unread.
pub async fn recent(
    db: &Db,
    actor: &Actor,
    limit: i64,
) -> Result<(Vec<Notification>, i64), ServiceError> {
    let rows: Vec<Row> = sqlx::query_as(
        "select id, ticket_id, event, created_at, read_at from notifications
         where user_id = $1 order by created_at desc, id desc limit $2",
    )
    .bind(actor.id)
    .bind(limit.clamp(1, 50))
    .fetch_all(db)
    .await?;
    let unread = unread_count(db, actor).await?;
    let list = rows
        .into_iter()
        .map(|r| Notification {
            id: r.id,
            ticket_id: r.ticket_id,
            notice: r.event.0,
            at: r.created_at,
            read: r.read_at.is_some(),
        })
        .collect();
    Ok((list, unread))
}

pub async fn unread_count(db: &Db, actor: &Actor) -> Result<i64, ServiceError> {
    let (n,): (i64,) =
        sqlx::query_as("select count(*) from notifications where user_id = $1 and read_at is null")
            .bind(actor.id)
            .fetch_one(db)
            .await?;
    Ok(n)
}

pub async fn mark_all_read(db: &Db, actor: &Actor) -> Result<(), ServiceError> {
    sqlx::query("update notifications set read_at = now() where user_id = $1 and read_at is null")
        .bind(actor.id)
        .execute(db)
        .await?;
    Ok(())
}
