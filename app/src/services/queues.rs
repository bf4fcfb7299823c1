//! Work queues: what waits for an approver, and the GA desk's lists.

use super::explain::{self, Plans, Statement};
use super::tickets::{summaries, summary_select, SummaryRow};
use super::{Db, ServiceError};
use crate::domain::ticket::TicketSummary;
use crate::domain::{Actor, Permission, UserRef};
use serde::{Deserialize, Serialize};

const QUEUE_LIMIT: i64 = 100;

const APPROVALS: &str = concat!(
    summary_select!(),
    "where t.status = 'waiting_approval'
       and (t.awaiting_approver_id = $1
            or (t.awaiting_approver_id is null and t.requester_id <> $1
                and not exists (select 1 from ticket_approvals a
                                where a.ticket_id = t.id and a.round = t.approval_round
                                  and a.approver_id = $1)))
     order by t.created_at, t.id limit $2"
);

fn approvals_statement(actor: &Actor) -> Result<Statement, ServiceError> {
    if !actor.can(Permission::TicketsApprove) {
        return Err(ServiceError::forbidden(
            "Only approvers have an approval queue.",
        ));
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
    let rows: Vec<SummaryRow> = approvals_statement(actor)?.query_as().fetch_all(db).await?;
    summaries(rows)
}

/// The plans of the query [`approvals_for`] would run (for tests).
#[doc(hidden)]
pub async fn explain_approvals_for(db: &Db, actor: &Actor) -> Result<Plans, ServiceError> {
    explain::plans(db, approvals_statement(actor)?).await
}

/// The GA desk: triage, approved but unassigned, mine, and all in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    pub triage: Vec<TicketSummary>,
    pub unassigned: Vec<TicketSummary>,
    pub mine: Vec<TicketSummary>,
    pub in_progress: Vec<TicketSummary>,
}

const TRIAGE: &str = concat!(
    summary_select!(),
    "where t.status = 'pending' order by t.created_at, t.id limit $1"
);
const UNASSIGNED: &str = concat!(
    summary_select!(),
    "where t.status = 'approved' and t.assignee_id is null order by t.created_at, t.id limit $1"
);
const MINE: &str = concat!(
    summary_select!(),
    "where t.assignee_id = $1 and t.status in ('pending', 'waiting_approval', 'approved', 'in_progress')
     order by t.created_at, t.id limit $2"
);
const IN_PROGRESS: &str = concat!(
    summary_select!(),
    "where t.status = 'in_progress' order by t.created_at, t.id limit $1"
);

/// The desk's four queries: triage, unassigned, mine, in progress.
fn desk_statements(actor: &Actor) -> Result<[Statement; 4], ServiceError> {
    if !actor.can(Permission::TicketsFulfil) {
        return Err(ServiceError::forbidden("The desk is for GA staff."));
    }
    Ok([
        Statement::fixed(TRIAGE).bind(QUEUE_LIMIT)?,
        Statement::fixed(UNASSIGNED).bind(QUEUE_LIMIT)?,
        Statement::fixed(MINE).bind(actor.id)?.bind(QUEUE_LIMIT)?,
        Statement::fixed(IN_PROGRESS).bind(QUEUE_LIMIT)?,
    ])
}

pub async fn desk(db: &Db, actor: &Actor) -> Result<Desk, ServiceError> {
    let [triage, unassigned, mine, in_progress] = desk_statements(actor)?;
    let (triage, unassigned, mine, in_progress): (
        Vec<SummaryRow>,
        Vec<SummaryRow>,
        Vec<SummaryRow>,
        Vec<SummaryRow>,
    ) = tokio::try_join!(
        triage.query_as().fetch_all(db),
        unassigned.query_as().fetch_all(db),
        mine.query_as().fetch_all(db),
        in_progress.query_as().fetch_all(db),
    )?;
    Ok(Desk {
        triage: summaries(triage)?,
        unassigned: summaries(unassigned)?,
        mine: summaries(mine)?,
        in_progress: summaries(in_progress)?,
    })
}

/// The plans of the desk's queries, named "triage", "unassigned", "mine"
/// and "in_progress" (for tests).
#[doc(hidden)]
pub async fn explain_desk(
    db: &Db,
    actor: &Actor,
) -> Result<Vec<(&'static str, Plans)>, ServiceError> {
    let mut out = Vec::with_capacity(4);
    for (name, statement) in ["triage", "unassigned", "mine", "in_progress"]
        .into_iter()
        .zip(desk_statements(actor)?)
    {
        out.push((name, explain::plans(db, statement).await?));
    }
    Ok(out)
}

/// People tickets can be assigned to.
pub async fn assignees(db: &Db, actor: &Actor) -> Result<Vec<UserRef>, ServiceError> {
    if !actor.can(Permission::TicketsAssign) {
        return Err(ServiceError::forbidden("Only GA staff assign tickets."));
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
