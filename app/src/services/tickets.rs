//! Tickets: create, read, list.

use super::cursor::CursorKey;
use super::explain::{self, Plans, Statement};
use super::notifications::{self, Notice};
use super::{policy, Db, ServiceError};
use crate::domain::page::{page_size, Page};
use crate::domain::ticket::query::{SortField, TicketQuery};
use crate::domain::ticket::{
    ApprovalView, Category, NewTicket, Priority, Resolution, TicketDetail, TicketItem,
    TicketStatus, TicketSummary,
};
use crate::domain::{Actor, FieldError, FieldErrors, Money, Permission, Refusal, UserRef};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

/// Who may see a ticket, as SQL over `t` with `$2` = actor id,
/// `$3` = may read all, `$4` = may approve. Requesters see their own;
/// approvers also see what waits for them and every ticket that has been
/// decided on (so an approver who lost a race sees what won).
macro_rules! visible {
    () => {
        "($3 or t.requester_id = $2 or ($4 and (
            (t.status = 'waiting_approval' and (t.awaiting_approver_id = $2 or t.awaiting_approver_id is null))
            or exists (select 1 from ticket_approvals va where va.ticket_id = t.id))))"
    };
}

/// The columns of a list row; a macro so queries stay `&'static str`.
macro_rules! summary_select {
    () => {
        "select t.id, t.number, t.title, t.category, t.priority, t.status,
                t.estimated_total, r.name as requester_name, asg.name as assignee_name,
                t.version, t.created_at, t.updated_at
         from tickets t join users r on r.id = t.requester_id
         left join users asg on asg.id = t.assignee_id "
    };
}
pub(crate) use summary_select;

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: Uuid,
    number: String,
    title: String,
    description: String,
    category: Category,
    priority: Priority,
    location: String,
    status: TicketStatus,
    resolution: Option<Resolution>,
    requester_id: Uuid,
    requester_name: String,
    requester_email: String,
    assignee_id: Option<Uuid>,
    assignee_name: Option<String>,
    assignee_email: Option<String>,
    estimated_total: Money,
    actual_total: Option<Money>,
    due_date: Option<NaiveDate>,
    required_levels: i32,
    awaiting_level: Option<i16>,
    awaiting_approver_id: Option<Uuid>,
    awaiting_name: Option<String>,
    awaiting_email: Option<String>,
    manager_id: Option<Uuid>,
    approval_round: i32,
    completed_at: Option<DateTime<Utc>>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    items: Json<Vec<TicketItem>>,
    approvals: Json<Vec<ApprovalView>>,
}

fn user_ref(id: Option<Uuid>, name: Option<String>, email: Option<String>) -> Option<UserRef> {
    match (id, name, email) {
        (Some(id), Some(name), Some(email)) => Some(UserRef { id, name, email }),
        _ => None,
    }
}

impl DetailRow {
    fn into_detail(self) -> TicketDetail {
        TicketDetail {
            id: self.id,
            number: self.number,
            title: self.title,
            description: self.description,
            category: self.category,
            priority: self.priority,
            location: self.location,
            status: self.status,
            resolution: self.resolution,
            requester: UserRef {
                id: self.requester_id,
                name: self.requester_name,
                email: self.requester_email,
            },
            assignee: user_ref(self.assignee_id, self.assignee_name, self.assignee_email),
            items: self.items.0,
            estimated_total: self.estimated_total,
            actual_total: self.actual_total,
            due_date: self.due_date,
            required_levels: u8::try_from(self.required_levels).unwrap_or(u8::MAX),
            awaiting_level: self.awaiting_level.and_then(|l| u8::try_from(l).ok()),
            awaiting_approver: user_ref(
                self.awaiting_approver_id,
                self.awaiting_name,
                self.awaiting_email,
            ),
            manager_id: self.manager_id,
            approval_round: self.approval_round,
            approvals: self.approvals.0,
            completed_at: self.completed_at,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The whole ticket with items, approvals and whom it waits for, in one
/// round trip.
macro_rules! detail_select {
    () => {
        concat!(
            "select t.id, t.number, t.title, t.description, t.category, t.priority, t.location,
       t.status, t.resolution, t.requester_id, r.name as requester_name,
       r.email as requester_email, t.assignee_id, a.name as assignee_name,
       a.email as assignee_email, t.estimated_total, t.actual_total, t.due_date,
       (select count(*) from approval_levels l where t.estimated_total >= l.threshold)::int as required_levels,
       t.awaiting_level, t.awaiting_approver_id, aw.name as awaiting_name, aw.email as awaiting_email,
       (select m.id from users m where m.id = r.manager_id and m.active
            and m.role in ('approver', 'admin')) as manager_id,
       t.approval_round, t.completed_at, t.version, t.created_at, t.updated_at,
       coalesce((select json_agg(json_build_object(
                    'line_no', i.line_no, 'name', i.name, 'quantity', i.quantity,
                    'unit', i.unit, 'unit_price', i.unit_price::text,
                    'line_total', i.line_total::text, 'stock_item_id', i.stock_item_id)
                    order by i.line_no)
                 from ticket_items i where i.ticket_id = t.id), '[]'::json) as items,
       coalesce((select json_agg(json_build_object(
                    'round', ap.round, 'level', ap.level, 'decision', ap.decision, 'note', ap.note,
                    'at', ap.created_at,
                    'approver', json_build_object('id', u.id, 'name', u.name, 'email', u.email))
                    order by ap.id)
                 from ticket_approvals ap join users u on u.id = ap.approver_id
                 where ap.ticket_id = t.id), '[]'::json) as approvals
from tickets t
join users r on r.id = t.requester_id
left join users a on a.id = t.assignee_id
left join users aw on aw.id = t.awaiting_approver_id
where t.id = $1 and ",
            visible!()
        )
    };
}

fn can_read_all(actor: &Actor) -> bool {
    actor.can(Permission::TicketsReadAll)
}

fn can_approve(actor: &Actor) -> bool {
    actor.can(Permission::TicketsApprove)
}

/// Loads a ticket the actor may see, optionally locking its row until the
/// transaction ends (for decisions that must be taken one at a time).
pub(crate) async fn load_detail(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    lock: bool,
) -> Result<Option<TicketDetail>, ServiceError> {
    if lock {
        // Lock first, then read in a new statement: the read then sees what
        // the previous lock holder committed (approvals included), which a
        // single `select ... for update` with this filter would not.
        sqlx::query("select 1 from tickets where id = $1 for update")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(sqlx::query_as::<_, DetailRow>(detail_select!())
        .bind(id)
        .bind(actor.id)
        .bind(can_read_all(actor))
        .bind(can_approve(actor))
        .fetch_optional(conn)
        .await?
        .map(DetailRow::into_detail))
}

/// Reads a ticket the actor may see. Someone else's ticket is "not found"
/// (not "forbidden") for requesters, so ticket ids reveal nothing.
pub async fn get_ticket(db: &Db, actor: &Actor, id: Uuid) -> Result<TicketDetail, ServiceError> {
    if !actor.can(Permission::TicketsRead) {
        return Err(Refusal::CannotReadTickets.into());
    }
    Ok(sqlx::query_as::<_, DetailRow>(detail_select!())
        .bind(id)
        .bind(actor.id)
        .bind(can_read_all(actor))
        .bind(can_approve(actor))
        .fetch_optional(db)
        .await?
        .ok_or(ServiceError::Refused(Refusal::NotFound))?
        .into_detail())
}

/// Whether the actor may see the ticket at all (for comments and history).
pub(crate) async fn ensure_visible(db: &Db, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
    let found: Option<(i32,)> = sqlx::query_as(concat!(
        "select 1 from tickets t where t.id = $1 and ",
        visible!()
    ))
    .bind(id)
    .bind(actor.id)
    .bind(can_read_all(actor))
    .bind(can_approve(actor))
    .fetch_optional(db)
    .await?;
    found
        .map(|_| ())
        .ok_or(ServiceError::Refused(Refusal::NotFound))
}

/// The requester's manager, if that manager may decide approvals.
pub(crate) async fn approving_manager(
    conn: &mut PgConnection,
    requester: Uuid,
) -> Result<Option<Uuid>, ServiceError> {
    let row: Option<(Uuid,)> = sqlx::query_as(
        "select m.id from users r join users m on m.id = r.manager_id
         where r.id = $1 and m.active and m.role in ('approver', 'admin') and m.id <> r.id",
    )
    .bind(requester)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| id))
}

pub(crate) async fn replace_items(
    conn: &mut PgConnection,
    id: Uuid,
    items: &[crate::domain::ticket::NewItem],
) -> Result<(), ServiceError> {
    super::stock::check_item_refs(&mut *conn, items).await?;
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
    let input = input.normalized();
    let total = input.validate()?;
    let id = Uuid::now_v7();
    let policy = policy::load(&mut *tx).await?;
    let status = policy.initial_status(total);
    let waiting = status == TicketStatus::WaitingApproval;
    let approver = if waiting {
        approving_manager(&mut *tx, actor.id).await?
    } else {
        None
    };
    let (number,): (String,) = sqlx::query_as(
        "insert into tickets (id, title, description, category, priority, location, status,
                              requester_id, estimated_total, awaiting_level, awaiting_approver_id,
                              items_text)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
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
    super::queues::announce(&mut *tx, id, status, 1).await?;
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
    load_detail(&mut *tx, actor, id, false)
        .await?
        .ok_or_else(|| ServiceError::Internal("created ticket vanished".into()))
}

/// "My requests", first page: the actor's own tickets, newest first.
const MY_TICKETS: &str = concat!(
    summary_select!(),
    "where t.requester_id = $1
     order by t.created_at desc, t.id desc limit $2"
);

/// "My requests" after a cursor: strictly after the last row shown.
const MY_TICKETS_AFTER: &str = concat!(
    summary_select!(),
    "where t.requester_id = $1 and (t.created_at, t.id) < ($2, $3)
     order by t.created_at desc, t.id desc limit $4"
);

/// The query for one page of "my requests", and the page size.
fn my_tickets_statement(
    keys: &CursorKey,
    actor: &Actor,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<(Statement, u32), ServiceError> {
    if !actor.can(Permission::TicketsRead) {
        return Err(Refusal::CannotReadTickets.into());
    }
    let limit = page_size(limit)?;
    let fetch = i64::from(limit) + 1;
    let statement = match cursor.filter(|c| !c.is_empty()) {
        None => Statement::fixed(MY_TICKETS).bind(actor.id)?.bind(fetch)?,
        Some(c) => {
            let (at, id) = keys.decode_time_id(c)?;
            Statement::fixed(MY_TICKETS_AFTER)
                .bind(actor.id)?
                .bind(at)?
                .bind(id)?
                .bind(fetch)?
        }
    };
    Ok((statement, limit))
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
    let (statement, limit) = my_tickets_statement(keys, actor, cursor, limit)?;
    let rows: Vec<TicketSummary> = statement.query_as().fetch_all(db).await?;
    page_of(rows, limit as usize, keys)
}

/// The plans of the query [`list_my_tickets`] would run (for tests).
#[doc(hidden)]
pub async fn explain_my_tickets(
    db: &Db,
    keys: &CursorKey,
    actor: &Actor,
    cursor: Option<&str>,
    limit: Option<u32>,
) -> Result<Plans, ServiceError> {
    let (statement, _) = my_tickets_statement(keys, actor, cursor, limit)?;
    explain::plans(db, statement).await
}

fn page_of(
    mut rows: Vec<TicketSummary>,
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
    Ok(Page {
        items: rows,
        next_cursor,
    })
}

/// What a list cursor remembers: which query it belongs to and the last
/// row's sort key and id.
#[derive(serde::Serialize, serde::Deserialize)]
struct ListCursor {
    f: String,
    v: String,
    id: Uuid,
}

fn query_tag(query: &TicketQuery) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(query.fingerprint().as_bytes());
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

fn bad_cursor() -> ServiceError {
    Refusal::BadCursor.into()
}

/// The sort column of a list, as SQL (whitelisted, never from input).
fn sort_column(field: SortField) -> &'static str {
    match field {
        SortField::CreatedAt => "t.created_at",
        SortField::UpdatedAt => "t.updated_at",
        SortField::Priority => "t.priority_rank",
        SortField::Number => "t.number",
        SortField::EstimatedTotal => "t.estimated_total",
    }
}

#[derive(sqlx::FromRow)]
struct KeyedSummary {
    #[sqlx(flatten)]
    row: TicketSummary,
    sort_key: String,
}

/// Pushes the WHERE clause shared by the list and the CSV export: the
/// filters, full-text search, and what the caller may see.
pub(crate) fn push_filters(
    qb: &mut sqlx::QueryBuilder<sqlx::Postgres>,
    actor: &Actor,
    query: &TicketQuery,
) {
    qb.push(" where true");
    // Requesters and approvers list their own requests; GA staff list all.
    if !actor.can(Permission::TicketsReadAll) {
        qb.push(" and t.requester_id = ").push_bind(actor.id);
    }
    // One status is compared with `=`: then `tickets_status_created_idx`
    // hands rows over already in order (with `= any(...)` PostgreSQL 15
    // walks the creation index and filters, ~25x more rows for a rare
    // status).
    match query.statuses.as_slice() {
        [] => {}
        [one] => {
            qb.push(" and t.status = ").push_bind(one.as_str());
        }
        many => {
            let statuses: Vec<String> = many.iter().map(|s| s.as_str().to_string()).collect();
            qb.push(" and t.status = any(")
                .push_bind(statuses)
                .push(")");
        }
    }
    if let Some(c) = query.category {
        qb.push(" and t.category = ").push_bind(c.as_str());
    }
    if let Some(p) = query.priority {
        qb.push(" and t.priority = ").push_bind(p.as_str());
    }
    if let Some(r) = query.requester {
        qb.push(" and t.requester_id = ").push_bind(r);
    }
    if let Some(a) = query.assignee {
        qb.push(" and t.assignee_id = ").push_bind(a);
    }
    // Dates are days in Jakarta; "to" includes the whole day.
    if let Some(from) = query.created_from {
        qb.push(" and t.created_at >= (")
            .push_bind(from)
            .push("::timestamp at time zone 'Asia/Jakarta')");
    }
    if let Some(to) = query.created_to {
        qb.push(" and t.created_at < ((")
            .push_bind(to)
            .push(" + 1)::timestamp at time zone 'Asia/Jakarta')");
    }
    if let Some(q) = &query.q {
        qb.push(" and t.search @@ websearch_to_tsquery('simple', ")
            .push_bind(q.clone())
            .push(")");
    }
}

/// The query for one page of a ticket list: the builder, the tag tying
/// cursors to this query, and the page size.
fn build_search(
    keys: &CursorKey,
    actor: &Actor,
    query: &TicketQuery,
) -> Result<(sqlx::QueryBuilder<sqlx::Postgres>, String, u32), ServiceError> {
    if !actor.can(Permission::TicketsRead) {
        return Err(Refusal::CannotReadTickets.into());
    }
    let limit = page_size(query.limit)?;
    let tag = query_tag(query);
    let column = sort_column(query.sort.field);
    let dir = if query.sort.descending { "desc" } else { "asc" };
    let cmp = if query.sort.descending { "<" } else { ">" };

    let mut qb = sqlx::QueryBuilder::new(
        "select t.id, t.number, t.title, t.category, t.priority, t.status,
                t.estimated_total, r.name as requester_name, asg.name as assignee_name,
                t.version, t.created_at, t.updated_at, ",
    );
    qb.push(match query.sort.field {
        SortField::CreatedAt => "(extract(epoch from t.created_at) * 1000000)::bigint::text",
        SortField::UpdatedAt => "(extract(epoch from t.updated_at) * 1000000)::bigint::text",
        SortField::Priority => "t.priority_rank::text",
        SortField::Number => "t.number",
        SortField::EstimatedTotal => "t.estimated_total::text",
    });
    qb.push(" as sort_key from tickets t join users r on r.id = t.requester_id left join users asg on asg.id = t.assignee_id");
    push_filters(&mut qb, actor, query);
    if let Some(c) = query.cursor.as_deref() {
        let payload = keys.decode(c)?;
        let cursor: ListCursor = serde_json::from_str(&payload).map_err(|_| bad_cursor())?;
        if cursor.f != tag {
            return Err(Refusal::CursorOfAnotherQuery.into());
        }
        qb.push(format_args!(" and ({column}, t.id) {cmp} ("));
        match query.sort.field {
            SortField::CreatedAt | SortField::UpdatedAt => {
                let micros: i64 = cursor.v.parse().map_err(|_| bad_cursor())?;
                let at = DateTime::<Utc>::from_timestamp_micros(micros).ok_or_else(bad_cursor)?;
                qb.push_bind(at);
            }
            SortField::Priority => {
                let rank: i16 = cursor.v.parse().map_err(|_| bad_cursor())?;
                qb.push_bind(rank);
            }
            SortField::Number => {
                qb.push_bind(cursor.v);
            }
            SortField::EstimatedTotal => {
                let total: Decimal = cursor.v.parse().map_err(|_| bad_cursor())?;
                qb.push_bind(total);
            }
        }
        qb.push(", ").push_bind(cursor.id).push(")");
    }
    qb.push(format_args!(" order by {column} {dir}, t.id {dir} limit "))
        .push_bind(i64::from(limit) + 1);
    Ok((qb, tag, limit))
}

/// Lists tickets the actor may see with filters, full-text search and a
/// whitelisted sort, one keyset page at a time. The cursor is signed and
/// tied to the query, so a forged or reused cursor is a 400.
pub async fn search(
    db: &Db,
    keys: &CursorKey,
    actor: &Actor,
    query: &TicketQuery,
) -> Result<Page<TicketSummary>, ServiceError> {
    let (mut qb, tag, limit) = build_search(keys, actor, query)?;
    let mut rows: Vec<KeyedSummary> = qb.build_query_as().fetch_all(db).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => {
            let c = ListCursor {
                f: tag,
                v: last.sort_key.clone(),
                id: last.row.id,
            };
            Some(keys.encode(
                &serde_json::to_string(&c).map_err(|e| ServiceError::Internal(e.to_string()))?,
            ))
        }
        _ => None,
    };
    Ok(Page {
        items: rows.into_iter().map(|k| k.row).collect(),
        next_cursor,
    })
}

/// The plans of the query [`search`] would run for this list (for tests).
#[doc(hidden)]
pub async fn explain_search(
    db: &Db,
    keys: &CursorKey,
    actor: &Actor,
    query: &TicketQuery,
) -> Result<Plans, ServiceError> {
    let (qb, _, _) = build_search(keys, actor, query)?;
    explain::plans(db, Statement::built(qb)?).await
}
