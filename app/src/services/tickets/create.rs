//! Creating tickets: the items, the first history row, the approver it
//! goes to, and creating at most once per idempotency key.

use super::approving_manager;
use crate::domain::approval::combined_total;
use crate::domain::ticket::{NewTicket, TicketDetail, TicketStatus};
use crate::domain::{Actor, FieldError, FieldErrors, Permission, Refusal};
use crate::services::notifications::{self, Notice};
use crate::services::{policy, Db, ServiceError};
use sqlx::PgConnection;
use uuid::Uuid;

pub(crate) async fn replace_items(
    conn: &mut PgConnection,
    id: Uuid,
    items: &[crate::domain::ticket::NewItem],
) -> Result<(), ServiceError> {
    sqlx::query("delete from ticket_items where ticket_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    let n = items.len();
    let mut line_nos = Vec::with_capacity(n);
    let mut names = Vec::with_capacity(n);
    let mut quantities = Vec::with_capacity(n);
    let mut units = Vec::with_capacity(n);
    let mut prices = Vec::with_capacity(n);
    let mut stock = Vec::with_capacity(n);
    for (i, item) in items.iter().enumerate() {
        stock.push(item.stock_item_id);
        line_nos.push(i as i32 + 1);
        names.push(item.name.as_str());
        quantities.push(item.quantity as i32);
        units.push(item.unit.as_str());
        prices.push(item.unit_price.amount());
    }
    sqlx::query(
        "insert into ticket_items (ticket_id, line_no, name, quantity, unit, unit_price, stock_item_id)
         select $1, * from unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::numeric[], $7::uuid[])",
    )
    .bind(id)
    .bind(&line_nos)
    .bind(&names)
    .bind(&quantities)
    .bind(&units)
    .bind(&prices)
    .bind(&stock)
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) fn items_text(items: &[crate::domain::ticket::NewItem]) -> String {
    items
        .iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Creates a ticket with its items and first history row in one
/// transaction. The total and the starting status are computed here, never
/// taken from the client; costly tickets go straight to their first
/// approver.
pub async fn create_ticket(
    db: &Db,
    actor: &Actor,
    input: NewTicket,
) -> Result<TicketDetail, ServiceError> {
    let mut tx = db.begin().await?;
    let ticket = create_in(&mut tx, actor, input).await?;
    tx.commit().await?;
    Ok(ticket)
}

/// The answer to a create with an `Idempotency-Key`.
pub enum Idempotent {
    Created(Box<TicketDetail>),
    /// The same key and body came before: the first answer, as stored.
    Replayed(serde_json::Value),
}

/// Creates a ticket at most once per (user, key) within 24 hours. The same
/// key with another body is refused. Concurrent requests with one key
/// queue on the key's row, so only one ticket is ever made.
pub async fn create_idempotent(
    db: &Db,
    actor: &Actor,
    input: NewTicket,
    key: &str,
    request_hash: &[u8],
) -> Result<Idempotent, ServiceError> {
    if key.is_empty() || key.len() > 200 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(FieldErrors::single("Idempotency-Key", FieldError::IdempotencyKey).into());
    }
    let mut tx = db.begin().await?;
    // Keys older than a day are forgotten.
    sqlx::query(
        "delete from idempotency_keys
         where user_id = $1 and key = $2 and created_at < now() - interval '24 hours'",
    )
    .bind(actor.id)
    .bind(key)
    .execute(&mut *tx)
    .await?;
    let claimed = sqlx::query(
        "insert into idempotency_keys (user_id, key, request_hash) values ($1, $2, $3) on conflict do nothing",
    )
    .bind(actor.id)
    .bind(key)
    .bind(request_hash)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        let (hash, body): (Vec<u8>, Option<serde_json::Value>) =
            sqlx::query_as("select request_hash, response_body from idempotency_keys where user_id = $1 and key = $2")
                .bind(actor.id)
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
        if hash != request_hash {
            return Err(
                FieldErrors::single("Idempotency-Key", FieldError::IdempotencyKeyReused).into(),
            );
        }
        return body
            .map(Idempotent::Replayed)
            .ok_or(ServiceError::conflict(Refusal::IdempotencyInProgress));
    }
    let ticket = create_in(&mut tx, actor, input).await?;
    let body = serde_json::to_value(&ticket).map_err(|e| ServiceError::Internal(e.to_string()))?;
    sqlx::query("update idempotency_keys set response_status = 201, response_body = $3 where user_id = $1 and key = $2")
        .bind(actor.id)
        .bind(key)
        .bind(&body)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Idempotent::Created(Box::new(ticket)))
}

async fn create_in(
    tx: &mut PgConnection,
    actor: &Actor,
    input: NewTicket,
) -> Result<TicketDetail, ServiceError> {
    if !actor.can(Permission::TicketsCreate) {
        return Err(Refusal::CannotCreateTickets.into());
    }
    let mut input = input.normalized();
    crate::services::stock::price_lines(&mut *tx, &mut input.items).await?;
    let total = input.validate()?;
    let id = Uuid::now_v7();
    let policy = policy::load(&mut *tx).await?;
    let mut status = policy.initial_status(total);
    if status == TicketStatus::Pending && policy.route_split_purchases {
        // Together with this requester's other open tickets in the category
        // it may reach a threshold it was split to stay under.
        let others =
            super::split_candidates(&mut *tx, actor.id, input.category, chrono::Utc::now(), None)
                .await?;
        let combined = combined_total(total, others.iter().map(|t| t.estimated_total));
        if policy.split_levels(total, combined) > 0 {
            status = TicketStatus::WaitingApproval;
        }
    }
    let waiting = status == TicketStatus::WaitingApproval;
    let approver = if waiting {
        approving_manager(&mut *tx, actor.id).await?
    } else {
        None
    };
    let (number,): (String,) = sqlx::query_as(
        "insert into tickets (id, title, description, category, priority, location, status,
                              requester_id, estimated_total, awaiting_level, awaiting_approver_id,
                              items_text, site_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                 (select site_id from users where id = $8))
         returning number",
    )
    .bind(id)
    .bind(&input.title)
    .bind(&input.description)
    .bind(input.category)
    .bind(input.priority)
    .bind(&input.location)
    .bind(status)
    .bind(actor.id)
    .bind(total)
    .bind(waiting.then_some(1i16))
    .bind(approver)
    .bind(items_text(&input.items))
    .fetch_one(&mut *tx)
    .await?;
    replace_items(&mut *tx, id, &input.items).await?;
    sqlx::query(
        "insert into ticket_history (ticket_id, version, actor_id, action, to_status)
         values ($1, 1, $2, 'create', $3)",
    )
    .bind(id)
    .bind(actor.id)
    .bind(status.as_str())
    .execute(&mut *tx)
    .await?;
    crate::services::service_levels::started(&mut *tx, id, status).await?;
    crate::services::queues::announce(&mut *tx, id, status, 1).await?;
    if waiting {
        notifications::send(
            &mut *tx,
            Notice::AwaitingApproval {
                ticket_id: id,
                number: &number,
                approver,
                requester: actor.id,
                round: 1,
            },
        )
        .await?;
    }
    let mut ticket = super::load_detail(&mut *tx, actor, id, false)
        .await?
        .ok_or_else(|| ServiceError::Internal("created ticket vanished".into()))?;
    super::read_due(&mut *tx, &mut ticket).await?;
    Ok(ticket)
}
