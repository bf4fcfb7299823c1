//! Work queues: what waits for an approver, the GA desk's board, and the
//! ticket events that keep the board live.

use super::explain::{self, Plans, Statement};
use super::sites::Calendars;
use super::tickets::summary_select;
use super::{Db, ServiceError};
use crate::domain::desk::{
    board_statuses, AssigneeFilter, Board, BoardCard, BoardColumn, BoardFilter, TicketEvent,
    BOARD_CARDS, BOARD_COLUMNS, BOARD_COUNT_CAP,
};
use crate::domain::service_level::{due_state, Clock};
use crate::domain::ticket::{TicketStatus, TicketSummary};
use crate::domain::{Actor, FieldError, FieldErrors, Permission, Refusal, UserRef};
use chrono::{DateTime, Utc};
use sqlx::{Postgres, QueryBuilder};
use uuid::Uuid;

const QUEUE_LIMIT: i64 = 100;

const APPROVALS: &str = concat!(
    summary_select!(
        "coalesce(t.pending_cost, t.estimated_total)",
        ", t.site_id, t.sla_clock, t.next_due_at, t.paused_at"
    ),
    "where t.status = 'waiting_approval'
       and (t.awaiting_approver_id = $1
            or (t.awaiting_approver_id is not null and t.requester_id <> $1
                and current_delegate(t.awaiting_approver_id) = $1)
            or (t.awaiting_approver_id is null and t.requester_id <> $1
                and not exists (select 1 from ticket_approvals a
                                where a.ticket_id = t.id and a.round = t.approval_round
                                  and a.approver_id = $1)))
     order by t.created_at, t.id limit $2"
);

fn approvals_statement(actor: &Actor) -> Result<Statement, ServiceError> {
    if !actor.can(Permission::TicketsApprove) {
        return Err(Refusal::NoApprovalQueue.into());
    }
    Statement::fixed(APPROVALS)
        .bind(actor.id)?
        .bind(QUEUE_LIMIT)
}

/// Tickets waiting for this approver's decision, oldest first: routed to
/// them, or open to any approver and not requested or already approved by
/// them in this round. Walks `tickets_status_created_idx` over the waiting
/// tickets (server/tests/plans.rs shows the plan).
pub async fn approvals_for(db: &Db, actor: &Actor) -> Result<Vec<TicketSummary>, ServiceError> {
    let rows: Vec<DueRow> = approvals_statement(actor)?.query_as().fetch_all(db).await?;
    let calendars = super::sites::calendars(db).await?;
    let now = Utc::now();
    Ok(rows
        .into_iter()
        .map(|r| r.read_on(&calendars, now))
        .collect())
}

/// A queue row with what its due time is read from.
#[derive(sqlx::FromRow)]
struct DueRow {
    #[sqlx(flatten)]
    row: TicketSummary,
    site_id: Uuid,
    sla_clock: Option<Clock>,
    next_due_at: Option<DateTime<Utc>>,
    paused_at: Option<DateTime<Utc>>,
}

impl DueRow {
    fn read_on(self, calendars: &Calendars, now: DateTime<Utc>) -> TicketSummary {
        let mut row = self.row;
        row.due = calendars.get(&self.site_id).and_then(|cal| {
            due_state(
                self.sla_clock,
                self.next_due_at,
                self.paused_at.is_some(),
                cal,
                now,
            )
        });
        row
    }
}

/// The plans of the query [`approvals_for`] would run (for tests).
#[doc(hidden)]
pub async fn explain_approvals_for(db: &Db, actor: &Actor) -> Result<Plans, ServiceError> {
    explain::plans(db, approvals_statement(actor)?).await
}

#[derive(sqlx::FromRow)]
struct CardRow {
    #[sqlx(flatten)]
    row: DueRow,
    assignee_id: Option<Uuid>,
}

/// The filters every column shares, pushed after its status. Each is a
/// plain comparison, so the column still walks `tickets_status_created_idx`
/// (or the category or assignee index when that is narrower).
fn push_board_filters(
    qb: &mut QueryBuilder<Postgres>,
    actor: &Actor,
    filter: &BoardFilter,
    now: DateTime<Utc>,
) {
    if let Some(c) = filter.category {
        qb.push(" and t.category = ").push_bind(c.as_str());
    }
    if let Some(p) = filter.priority {
        qb.push(" and t.priority = ").push_bind(p.as_str());
    }
    match filter.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Me => {
            qb.push(" and t.assignee_id = ").push_bind(actor.id);
        }
        AssigneeFilter::Unassigned => {
            qb.push(" and t.assignee_id is null");
        }
        AssigneeFilter::Person(id) => {
            qb.push(" and t.assignee_id = ").push_bind(id);
        }
    }
    if filter.overdue {
        qb.push(" and t.next_due_at < ").push_bind(now);
    }
}

/// The board's two queries: the oldest cards of each column, and each
/// column's count. One branch per status keeps every branch an index walk
/// in creation order that stops after its limit.
fn board_statements(
    actor: &Actor,
    filter: &BoardFilter,
    now: DateTime<Utc>,
) -> Result<[Statement; 2], ServiceError> {
    if !actor.can(Permission::TicketsFulfil) {
        return Err(Refusal::DeskStaffOnly.into());
    }
    let statuses = board_statuses(filter);
    let mut cards = QueryBuilder::<Postgres>::new("");
    let mut counts = QueryBuilder::<Postgres>::new("");
    for (i, status) in statuses.iter().enumerate() {
        if i > 0 {
            cards.push(" union all ");
            counts.push(" union all ");
        }
        // The status is written into the SQL (it is one of four fixed
        // words), so even a generic plan knows how many rows it selects.
        let name = status.as_str();
        let status = format!(" where t.status = '{name}'");
        cards.push("(").push(CARD_SELECT).push(&status);
        push_board_filters(&mut cards, actor, filter, now);
        cards.push(" order by t.created_at, t.id limit ");
        cards.push_bind(BOARD_CARDS).push(")");

        // Counted along the same index walk as the cards, stopping one
        // past the cap.
        counts
            .push(format!(
                "select '{name}'::text as status, count(*) as total from (select 1 from tickets t"
            ))
            .push(&status);
        push_board_filters(&mut counts, actor, filter, now);
        counts
            .push(" order by t.created_at, t.id limit ")
            .push_bind(BOARD_COUNT_CAP + 1)
            .push(") c");
    }
    Ok([Statement::built(cards)?, Statement::built(counts)?])
}

/// The columns of a board card; [`summary_select`] plus the assignee's id.
const CARD_SELECT: &str = "select t.id, t.number, t.title, t.category, t.priority, t.status,
        t.estimated_total, r.name as requester_name, asg.name as assignee_name,
        t.version, t.created_at, t.updated_at, t.assignee_id,
        t.site_id, t.sla_clock, t.next_due_at, t.paused_at
     from tickets t join users r on r.id = t.requester_id
     left join users asg on asg.id = t.assignee_id";

/// The GA desk board: pending, approved, in progress and completed tickets
/// that pass `filter`, each column counted (up to [`BOARD_COUNT_CAP`]) and
/// showing its oldest cards. Cards and counts are read from one snapshot, so they agree.
pub async fn board(db: &Db, actor: &Actor, filter: &BoardFilter) -> Result<Board, ServiceError> {
    let now = Utc::now();
    let [cards, counts] = board_statements(actor, filter, now)?;
    if let AssigneeFilter::Person(id) = filter.assignee {
        let (staff,): (bool,) = sqlx::query_as(
            "select exists (select 1 from users where id = $1 and role in ('agent', 'admin'))",
        )
        .bind(id)
        .fetch_one(db)
        .await?;
        if !staff {
            return Err(FieldErrors::single("assignee", FieldError::NoSuchStaff).into());
        }
    }
    let mut tx = db.begin().await?;
    sqlx::query("set transaction isolation level repeatable read, read only")
        .execute(&mut *tx)
        .await?;
    let rows: Vec<CardRow> = cards.query_as().fetch_all(&mut *tx).await?;
    let totals: Vec<(String, i64)> = counts.query_as().fetch_all(&mut *tx).await?;
    tx.commit().await?;

    let mut columns: Vec<BoardColumn> = BOARD_COLUMNS
        .into_iter()
        .map(|status| {
            let counted = totals
                .iter()
                .find(|(s, _)| s == status.as_str())
                .map_or(0, |(_, n)| *n);
            BoardColumn {
                status,
                total: counted.min(BOARD_COUNT_CAP),
                counted_all: counted <= BOARD_COUNT_CAP,
                cards: Vec::new(),
            }
        })
        .collect();
    let calendars = super::sites::calendars(db).await?;
    for CardRow { row, assignee_id } in rows {
        let ticket = row.read_on(&calendars, now);
        if let Some(column) = columns.iter_mut().find(|c| c.status == ticket.status) {
            column.cards.push(BoardCard {
                overdue: ticket.due.is_some_and(|d| d.overdue()),
                assignee_id,
                ticket,
            });
        }
    }
    let assignees = assignees(db, actor).await?;
    Ok(Board { columns, assignees })
}

/// The plans of the board's queries for `filter`, named "cards" and
/// "counts" (for tests).
#[doc(hidden)]
pub async fn explain_board(
    db: &Db,
    actor: &Actor,
    filter: &BoardFilter,
) -> Result<Vec<(&'static str, Plans)>, ServiceError> {
    let mut out = Vec::with_capacity(2);
    for (name, statement) in
        ["cards", "counts"]
            .into_iter()
            .zip(board_statements(actor, filter, Utc::now())?)
    {
        out.push((name, explain::plans(db, statement).await?));
    }
    Ok(out)
}

/// People tickets can be assigned to.
pub async fn assignees(db: &Db, actor: &Actor) -> Result<Vec<UserRef>, ServiceError> {
    if !actor.can(Permission::TicketsAssign) {
        return Err(Refusal::AssignStaffOnly.into());
    }
    let rows: Vec<(uuid::Uuid, String, String)> = sqlx::query_as(
        "select id, name, email from users where active and role in ('agent', 'admin') order by name limit 500",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email)| UserRef { id, name, email })
        .collect())
}

/// The PostgreSQL channel ticket changes are announced on. Every server
/// process listens on it, so a change made through one reaches the boards
/// served by all of them.
pub const TICKET_EVENTS_CHANNEL: &str = "ticket_events";

/// Announces a ticket change inside the transaction that makes it:
/// PostgreSQL delivers the notification only when that transaction
/// commits, so nobody hears of a change that was rolled back.
pub(crate) async fn announce(
    conn: &mut sqlx::PgConnection,
    id: Uuid,
    status: TicketStatus,
    version: i32,
) -> Result<(), ServiceError> {
    let payload = serde_json::to_string(&TicketEvent::Changed {
        id,
        status,
        version,
    })
    .map_err(|e| ServiceError::Internal(format!("cannot encode a ticket event: {e}")))?;
    sqlx::query("select pg_notify($1, $2)")
        .bind(TICKET_EVENTS_CHANNEL)
        .bind(payload)
        .execute(conn)
        .await?;
    Ok(())
}
