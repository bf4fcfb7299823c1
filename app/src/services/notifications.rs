//! In-app notifications (the bell), written in the same transaction as the
//! change they announce.

use super::outbox::{self, Occasion};
use super::{Db, ServiceError};
use crate::domain::outgoing::Outgoing;
use crate::domain::ticket::{Notification, TicketStatus};
use crate::domain::Actor;
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

pub enum Notice<'a> {
    /// `note` is the reason when the change is a rejection.
    StatusChanged {
        ticket_id: Uuid,
        number: &'a str,
        requester: Uuid,
        to: TicketStatus,
        note: Option<&'a str>,
    },
    /// `approver: None` means any approver may decide: it is in every
    /// approver's queue and goes to the webhooks (a team channel), not to
    /// each approver.
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
        comment: Uuid,
    },
}

async fn insert(
    conn: &mut PgConnection,
    user: Uuid,
    ticket: Option<Uuid>,
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

/// Tells one person about a ticket, in the transaction of the change: the
/// bell, and the outbox (email and the webhooks that want this kind). The
/// event key names this change of this ticket, so one change never queues
/// the same message twice.
async fn tell(
    conn: &mut PgConnection,
    ticket: Uuid,
    to: Option<Uuid>,
    notice: domain::events::Notice,
    occasion: Occasion,
) -> Result<(), ServiceError> {
    if let Some(user) = to {
        insert(conn, user, Some(ticket), &notice).await?;
    }
    outbox::about_ticket(conn, ticket, to, notice, occasion).await?;
    Ok(())
}

/// A reminder about a ticket, once per `key`: the bell rings only when the
/// outbox took it as new.
pub async fn remind(
    conn: &mut PgConnection,
    ticket: Uuid,
    to: Uuid,
    notice: domain::events::Notice,
    key: String,
) -> Result<bool, ServiceError> {
    let new =
        outbox::about_ticket(conn, ticket, Some(to), notice.clone(), Occasion::Key(key)).await?;
    if new {
        insert(conn, to, Some(ticket), &notice).await?;
    }
    Ok(new)
}

pub async fn send(conn: &mut PgConnection, notice: Notice<'_>) -> Result<(), ServiceError> {
    use domain::events::Notice as N;
    match notice {
        Notice::StatusChanged {
            ticket_id,
            number,
            requester,
            to,
            note,
        } => {
            let number = number.to_string();
            let n = match to {
                TicketStatus::Rejected => N::Rejected {
                    number,
                    reason: note.unwrap_or_default().to_string(),
                },
                TicketStatus::Completed => N::PleaseConfirm { number },
                status => N::StatusChanged { number, status },
            };
            tell(conn, ticket_id, Some(requester), n, Occasion::Change).await
        }
        Notice::AwaitingApproval {
            ticket_id,
            number,
            approver,
            ..
        } => {
            let n = N::AwaitingApproval {
                number: number.into(),
            };
            if let Some(approver) = approver {
                // Away: their delegate hears it too, and may decide.
                let (delegate,): (Option<Uuid>,) = sqlx::query_as("select current_delegate($1)")
                    .bind(approver)
                    .fetch_one(&mut *conn)
                    .await?;
                if let Some(delegate) = delegate {
                    tell(conn, ticket_id, Some(delegate), n.clone(), Occasion::Change).await?;
                }
            }
            tell(conn, ticket_id, approver, n, Occasion::Change).await
        }
        Notice::Assigned {
            ticket_id,
            number,
            assignee,
        } => {
            let n = N::Assigned {
                number: number.into(),
            };
            tell(conn, ticket_id, Some(assignee), n, Occasion::Change).await
        }
        Notice::Commented {
            ticket_id,
            number,
            to,
            author,
            comment,
        } => {
            let n = N::Commented {
                number: number.into(),
                author: author.into(),
            };
            tell(conn, ticket_id, Some(to), n, Occasion::Comment(comment)).await
        }
    }
}

/// Tells a person about something that is not one ticket's change (stock,
/// assets) or is a reminder: the bell and the outbox, once per `event_key`.
pub async fn tell_person(
    conn: &mut PgConnection,
    user: Uuid,
    ticket: Option<Uuid>,
    message: Outgoing,
    event_key: &str,
) -> Result<bool, ServiceError> {
    let queued = outbox::email(conn, user, ticket, &message, event_key).await?;
    // The bell row only with a new outbox row: a job that runs again does
    // not ring twice.
    if queued {
        insert(conn, user, ticket, &message.notice).await?;
    }
    Ok(queued)
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
