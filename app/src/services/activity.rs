//! A ticket's conversation and timeline.

use super::notifications::{self, Notice};
use super::tickets::ensure_visible;
use super::{Db, ServiceError};
use crate::domain::errors::check_text;
use crate::domain::events::SystemNote;
use crate::domain::ticket::{Comment, HistoryEntry, TicketStatus};
use crate::domain::{Actor, FieldErrors, Permission, Refusal, UserRef};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::types::Json;
use uuid::Uuid;

pub const MAX_COMMENT: usize = 5000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    pub body: String,
    #[serde(default)]
    pub internal: bool,
}

fn is_staff(actor: &Actor) -> bool {
    actor.can(Permission::TicketsReadAll)
}

#[derive(sqlx::FromRow)]
struct CommentRow {
    id: Uuid,
    author_id: Uuid,
    author_name: String,
    author_email: String,
    body: String,
    internal: bool,
    created_at: DateTime<Utc>,
}

impl From<CommentRow> for Comment {
    fn from(r: CommentRow) -> Self {
        Comment {
            id: r.id,
            author: UserRef {
                id: r.author_id,
                name: r.author_name,
                email: r.author_email,
            },
            body: r.body,
            internal: r.internal,
            at: r.created_at,
        }
    }
}

/// Comments the actor may read, oldest first. Internal notes only reach GA
/// staff.
pub async fn comments(db: &Db, actor: &Actor, ticket: Uuid) -> Result<Vec<Comment>, ServiceError> {
    ensure_visible(db, actor, ticket).await?;
    let rows: Vec<CommentRow> = sqlx::query_as(
        "select c.id, c.author_id, u.name as author_name, u.email as author_email, c.body, c.internal, c.created_at
         from ticket_comments c join users u on u.id = c.author_id
         where c.ticket_id = $1 and (not c.internal or $2)
         order by c.created_at, c.id limit 500",
    )
    .bind(ticket)
    .bind(is_staff(actor))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Comment::from).collect())
}

/// Adds a comment and tells the requester and the assignee (not the
/// author; internal notes are not announced to the requester).
pub async fn add_comment(
    db: &Db,
    actor: &Actor,
    ticket: Uuid,
    input: NewComment,
) -> Result<Comment, ServiceError> {
    ensure_visible(db, actor, ticket).await?;
    if input.internal && !is_staff(actor) {
        return Err(Refusal::InternalNotesStaffOnly.into());
    }
    let mut errors = FieldErrors::new();
    check_text(&mut errors, "body", &input.body, true, MAX_COMMENT);
    errors.into_result(())?;
    let mut tx = db.begin().await?;
    let comment = insert_comment(&mut tx, actor, ticket, &input).await?;
    tx.commit().await?;
    Ok(comment)
}

/// Writes a (checked) comment and its notifications in the caller's
/// transaction.
pub(crate) async fn insert_comment(
    conn: &mut sqlx::PgConnection,
    actor: &Actor,
    ticket: Uuid,
    input: &NewComment,
) -> Result<Comment, ServiceError> {
    let row: CommentRow = sqlx::query_as(
        "with c as (insert into ticket_comments (id, ticket_id, author_id, body, internal)
                    values ($1, $2, $3, $4, $5) returning *)
         select c.id, c.author_id, $6::text as author_name, $7::text as author_email, c.body, c.internal, c.created_at
         from c",
    )
    .bind(Uuid::now_v7())
    .bind(ticket)
    .bind(actor.id)
    .bind(input.body.trim())
    .bind(input.internal)
    .bind(&actor.name)
    .bind(&actor.email)
    .fetch_one(&mut *conn)
    .await?;
    let (number, requester, assignee): (String, Uuid, Option<Uuid>) =
        sqlx::query_as("select number, requester_id, assignee_id from tickets where id = $1")
            .bind(ticket)
            .fetch_one(&mut *conn)
            .await?;
    let mut told = Vec::new();
    if !input.internal {
        told.push(requester);
    }
    told.extend(assignee);
    told.retain(|u| *u != actor.id);
    told.dedup();
    for to in told {
        notifications::send(
            &mut *conn,
            Notice::Commented {
                ticket_id: ticket,
                number: &number,
                to,
                author: &actor.name,
                comment: row.id,
            },
        )
        .await?;
    }
    Ok(row.into())
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    version: i32,
    actor_id: Option<Uuid>,
    actor_name: Option<String>,
    actor_email: Option<String>,
    action: String,
    from_status: Option<TicketStatus>,
    to_status: TicketStatus,
    changed_fields: Vec<String>,
    note: String,
    system_note: Option<Json<SystemNote>>,
    created_at: DateTime<Utc>,
}

/// The ticket's timeline, oldest first.
pub async fn history(
    db: &Db,
    actor: &Actor,
    ticket: Uuid,
) -> Result<Vec<HistoryEntry>, ServiceError> {
    ensure_visible(db, actor, ticket).await?;
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "select h.version, h.actor_id, u.name as actor_name, u.email as actor_email, h.action,
                h.from_status, h.to_status, h.changed_fields, h.note, h.system_note, h.created_at
         from ticket_history h left join users u on u.id = h.actor_id
         where h.ticket_id = $1 and (not h.internal or $2)
         union all
         select e.ticket_version, null, null, null, 'sla_' || e.step, null, e.status, '{}', '',
                e.system_note, e.created_at
           from sla_escalations e where e.ticket_id = $1 and $2
         order by 1, 11",
    )
    .bind(ticket)
    .bind(is_staff(actor))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryEntry {
            version: r.version,
            actor: match (r.actor_id, r.actor_name, r.actor_email) {
                (Some(id), Some(name), Some(email)) => Some(UserRef { id, name, email }),
                _ => None,
            },
            action: r.action,
            from_status: r.from_status,
            to_status: r.to_status,
            changed_fields: r.changed_fields,
            note: r.note,
            system_note: r.system_note.map(|n| n.0),
            at: r.created_at,
        })
        .collect())
}
