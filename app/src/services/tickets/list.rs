//! Lists of tickets: "my requests", and the filtered, searched and sorted
//! list of everything the caller may see, one keyset page at a time.

use crate::domain::page::{page_size, Page};
use crate::domain::ticket::query::{SortField, TicketQuery};
use crate::domain::ticket::TicketSummary;
use crate::domain::{Actor, Permission, Refusal};
use crate::services::cursor::CursorKey;
use crate::services::explain::{self, Plans, Statement};
use crate::services::{Db, ServiceError};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;

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
