//! Work queues: what waits for an approver, and the GA desk's lists.

use super::tickets::{summaries, summary_select, SummaryRow};
use super::{Db, ServiceError};
use crate::domain::ticket::TicketSummary;
use crate::domain::{Actor, Permission, UserRef};
use serde::{Deserialize, Serialize};

const QUEUE_LIMIT: i64 = 100;

/// Tickets waiting for this approver's decision, oldest first: routed to
/// them, or open to any approver and not requested or already approved by
/// them in this round. Uses the partial index on waiting tickets.
pub async fn approvals_for(db: &Db, actor: &Actor) -> Result<Vec<TicketSummary>, ServiceError> {
    if !actor.can(Permission::TicketsApprove) {
        return Err(ServiceError::forbidden(
            "Only approvers have an approval queue.",
        ));
    }
    let rows: Vec<SummaryRow> = sqlx::query_as(concat!(
        summary_select!(),
        "where t.status = 'waiting_approval'
           and (t.awaiting_approver_id = $1
                or (t.awaiting_approver_id is null and t.requester_id <> $1
                    and not exists (select 1 from ticket_approvals a
                                    where a.ticket_id = t.id and a.round = t.approval_round
                                      and a.approver_id = $1)))
         order by t.created_at, t.id limit $2"
    ))
    .bind(actor.id)
    .bind(QUEUE_LIMIT)
    .fetch_all(db)
    .await?;
    summaries(rows)
}

/// The GA desk: triage, approved but unassigned, mine, and all in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Desk {
    pub triage: Vec<TicketSummary>,
    pub unassigned: Vec<TicketSummary>,
    pub mine: Vec<TicketSummary>,
    pub in_progress: Vec<TicketSummary>,
}

pub async fn desk(db: &Db, actor: &Actor) -> Result<Desk, ServiceError> {
    if !actor.can(Permission::TicketsFulfil) {
        return Err(ServiceError::forbidden("The desk is for GA staff."));
    }
    let triage = sqlx::query_as(concat!(
        summary_select!(),
        "where t.status = 'pending' order by t.created_at, t.id limit $1"
    ))
    .bind(QUEUE_LIMIT)
    .fetch_all(db);
    let unassigned = sqlx::query_as(concat!(
        summary_select!(),
        "where t.status = 'approved' and t.assignee_id is null order by t.created_at, t.id limit $1"
    ))
    .bind(QUEUE_LIMIT)
    .fetch_all(db);
    let mine = sqlx::query_as(concat!(
        summary_select!(),
        "where t.assignee_id = $1 and t.status in ('pending', 'waiting_approval', 'approved', 'in_progress')
         order by t.created_at, t.id limit $2"
    ))
    .bind(actor.id)
    .bind(QUEUE_LIMIT)
    .fetch_all(db);
    let in_progress = sqlx::query_as(concat!(
        summary_select!(),
        "where t.status = 'in_progress' order by t.created_at, t.id limit $1"
    ))
    .bind(QUEUE_LIMIT)
    .fetch_all(db);
    let (triage, unassigned, mine, in_progress): (
        Vec<SummaryRow>,
        Vec<SummaryRow>,
        Vec<SummaryRow>,
        Vec<SummaryRow>,
    ) = tokio::try_join!(triage, unassigned, mine, in_progress)?;
    Ok(Desk {
        triage: summaries(triage)?,
        unassigned: summaries(unassigned)?,
        mine: summaries(mine)?,
        in_progress: summaries(in_progress)?,
    })
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
