//! Tickets: create, read, list.

use super::cursor::CursorKey;
use super::{Db, ServiceError};
use crate::domain::approval::ApprovalPolicy;
use crate::domain::page::{page_size, Page};
use crate::domain::ticket::{NewTicket, TicketDetail, TicketItem, TicketStatus, TicketSummary};
use crate::domain::{Actor, Money, Permission, UserRef};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::types::Json;
use std::str::FromStr;
use uuid::Uuid;

pub(crate) fn parse_db<T: FromStr>(value: &str, what: &str) -> Result<T, ServiceError> {
    value
        .parse()
        .map_err(|_| ServiceError::Internal(format!("unexpected {what} {value:?} in database")))
}

pub(crate) fn money_db(value: Decimal) -> Result<Money, ServiceError> {
    Money::new(value).map_err(|e| ServiceError::Internal(format!("amount out of range: {e}")))
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: Uuid,
    number: String,
    title: String,
    category: String,
    priority: String,
    status: String,
    estimated_total: Decimal,
    requester_name: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl SummaryRow {
    fn into_summary(self) -> Result<TicketSummary, ServiceError> {
        Ok(TicketSummary {
            id: self.id,
            number: self.number,
            title: self.title,
            category: parse_db(&self.category, "category")?,
            priority: parse_db(&self.priority, "priority")?,
            status: parse_db(&self.status, "status")?,
            estimated_total: money_db(self.estimated_total)?,
            requester_name: self.requester_name,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: Uuid,
    number: String,
    title: String,
    description: String,
    category: String,
    priority: String,
    location: String,
    status: String,
    resolution: Option<String>,
    requester_id: Uuid,
    requester_name: String,
    requester_email: String,
    assignee_id: Option<Uuid>,
    assignee_name: Option<String>,
    assignee_email: Option<String>,
    estimated_total: Decimal,
    actual_total: Option<Decimal>,
    due_date: Option<NaiveDate>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    items: Json<Vec<TicketItem>>,
}

impl DetailRow {
    fn into_detail(self) -> Result<TicketDetail, ServiceError> {
        let assignee = match (self.assignee_id, self.assignee_name, self.assignee_email) {
            (Some(id), Some(name), Some(email)) => Some(UserRef { id, name, email }),
            _ => None,
        };
        Ok(TicketDetail {
            id: self.id,
            number: self.number,
            title: self.title,
            description: self.description,
            category: parse_db(&self.category, "category")?,
            priority: parse_db(&self.priority, "priority")?,
            location: self.location,
            status: parse_db(&self.status, "status")?,
            resolution: self
                .resolution
                .as_deref()
                .map(|r| parse_db(r, "resolution"))
                .transpose()?,
            requester: UserRef {
                id: self.requester_id,
                name: self.requester_name,
                email: self.requester_email,
            },
            assignee,
            items: self.items.0,
            estimated_total: money_db(self.estimated_total)?,
            actual_total: self.actual_total.map(money_db).transpose()?,
            due_date: self.due_date,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// The whole ticket with its items in one round trip.
const DETAIL_SQL: &str = "
select t.id, t.number, t.title, t.description, t.category, t.priority, t.location,
       t.status, t.resolution, t.requester_id, r.name as requester_name,
       r.email as requester_email, t.assignee_id, a.name as assignee_name,
       a.email as assignee_email, t.estimated_total, t.actual_total, t.due_date,
       t.version, t.created_at, t.updated_at,
       coalesce((select json_agg(json_build_object(
                    'line_no', i.line_no, 'name', i.name, 'quantity', i.quantity,
                    'unit', i.unit, 'unit_price', i.unit_price::text,
                    'line_total', i.line_total::text) order by i.line_no)
                 from ticket_items i where i.ticket_id = t.id), '[]'::json) as items
from tickets t
join users r on r.id = t.requester_id
left join users a on a.id = t.assignee_id
where t.id = $1 and (t.requester_id = $2 or $3)";

/// Reads a ticket the actor may see. Someone else's ticket is "not found"
/// (not "forbidden") for requesters, so ticket ids reveal nothing.
pub async fn get_ticket(db: &Db, actor: &Actor, id: Uuid) -> Result<TicketDetail, ServiceError> {
    if !actor.can(Permission::TicketsRead) {
        return Err(ServiceError::Forbidden);
    }
    sqlx::query_as::<_, DetailRow>(DETAIL_SQL)
        .bind(id)
        .bind(actor.id)
        .bind(actor.can(Permission::TicketsReadAll))
        .fetch_optional(db)
        .await?
        .ok_or(ServiceError::NotFound)?
        .into_detail()
}

/// Creates a ticket with its items and first history row in one
/// transaction. The total and the starting status are computed here, never
/// taken from the client.
pub async fn create_ticket(
    db: &Db,
    actor: &Actor,
    policy: &ApprovalPolicy,
    input: NewTicket,
) -> Result<TicketDetail, ServiceError> {
    if !actor.can(Permission::TicketsCreate) {
        return Err(ServiceError::Forbidden);
    }
    let input = input.normalized();
    let total = input.validate()?;
    let status = policy.initial_status(total);
    let awaiting_level: Option<i16> = (status == TicketStatus::WaitingApproval).then_some(1);
    let id = Uuid::now_v7();
    let items_text = input
        .items
        .iter()
        .map(|i| i.name.as_str())
        .collect::<Vec<_>>()
        .join(" ");

    let mut tx = db.begin().await?;
    let (number, created_at): (String, DateTime<Utc>) = sqlx::query_as(
        "insert into tickets (id, title, description, category, priority, location, status,
                              requester_id, estimated_total, awaiting_level, items_text)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         returning number, created_at",
    )
    .bind(id)
    .bind(&input.title)
    .bind(&input.description)
    .bind(input.category.as_str())
    .bind(input.priority.as_str())
    .bind(&input.location)
    .bind(status.as_str())
    .bind(actor.id)
    .bind(total.amount())
    .bind(awaiting_level)
    .bind(&items_text)
    .fetch_one(&mut *tx)
    .await?;

    let n = input.items.len();
    let mut line_nos = Vec::with_capacity(n);
    let mut names = Vec::with_capacity(n);
    let mut quantities = Vec::with_capacity(n);
    let mut units = Vec::with_capacity(n);
    let mut prices = Vec::with_capacity(n);
    for (i, item) in input.items.iter().enumerate() {
        line_nos.push(i as i32 + 1);
        names.push(item.name.clone());
        quantities.push(item.quantity as i32);
        units.push(item.unit.clone());
        prices.push(item.unit_price.amount());
    }
    sqlx::query(
        "insert into ticket_items (ticket_id, line_no, name, quantity, unit, unit_price)
         select $1, * from unnest($2::int[], $3::text[], $4::int[], $5::text[], $6::numeric[])",
    )
    .bind(id)
    .bind(&line_nos)
    .bind(&names)
    .bind(&quantities)
    .bind(&units)
    .bind(&prices)
    .execute(&mut *tx)
    .await?;

    sqlx::query(
        "insert into ticket_history (ticket_id, version, actor_id, action, to_status)
         values ($1, 1, $2, 'create', $3)",
    )
    .bind(id)
    .bind(actor.id)
    .bind(status.as_str())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;

    let items = input
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            Ok(TicketItem {
                line_no: i as i32 + 1,
                line_total: item
                    .unit_price
                    .checked_mul(item.quantity)
                    .map_err(|e| ServiceError::Internal(e.to_string()))?,
                name: item.name,
                quantity: item.quantity,
                unit: item.unit,
                unit_price: item.unit_price,
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    Ok(TicketDetail {
        id,
        number,
        title: input.title,
        description: input.description,
        category: input.category,
        priority: input.priority,
        location: input.location,
        status,
        resolution: None,
        requester: UserRef {
            id: actor.id,
            name: actor.name.clone(),
            email: actor.email.clone(),
        },
        assignee: None,
        items,
        estimated_total: total,
        actual_total: None,
        due_date: None,
        version: 1,
        created_at,
        updated_at: created_at,
    })
}

/// The columns of a list row; a macro so queries stay `&'static str`.
macro_rules! summary_select {
    () => {
        "select t.id, t.number, t.title, t.category, t.priority, t.status,
                t.estimated_total, r.name as requester_name, t.created_at, t.updated_at
         from tickets t join users r on r.id = t.requester_id "
    };
}

/// "My requests": the actor's own tickets, newest first, one page at a time.
/// Both queries walk `tickets_requester_created_idx`; the cursor continues
/// strictly after the last row, so rows inserted meanwhile never shift pages.
pub async fn list_my_tickets(
    db: &Db,
    keys: &CursorKey,
    actor: &Actor,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<Page<TicketSummary>, ServiceError> {
    if !actor.can(Permission::TicketsRead) {
        return Err(ServiceError::Forbidden);
    }
    let limit = page_size(limit).map_err(ServiceError::BadRequest)?;
    let fetch = i64::from(limit) + 1;
    let rows: Vec<SummaryRow> = match cursor.filter(|c| !c.is_empty()) {
        None => {
            sqlx::query_as(concat!(
                summary_select!(),
                "where t.requester_id = $1
                 order by t.created_at desc, t.id desc limit $2"
            ))
            .bind(actor.id)
            .bind(fetch)
            .fetch_all(db)
            .await?
        }
        Some(c) => {
            let (at, id) = keys.decode_time_id(c)?;
            sqlx::query_as(concat!(
                summary_select!(),
                "where t.requester_id = $1 and (t.created_at, t.id) < ($2, $3)
                 order by t.created_at desc, t.id desc limit $4"
            ))
            .bind(actor.id)
            .bind(at)
            .bind(id)
            .bind(fetch)
            .fetch_all(db)
            .await?
        }
    };
    page_of(rows, limit as usize, keys)
}

fn page_of(
    mut rows: Vec<SummaryRow>,
    limit: usize,
    keys: &CursorKey,
) -> Result<Page<TicketSummary>, ServiceError> {
    let more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if more {
        rows.last().map(|r| keys.encode_time_id(r.created_at, r.id))
    } else {
        None
    };
    let items = rows
        .into_iter()
        .map(SummaryRow::into_summary)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Page { items, next_cursor })
}
