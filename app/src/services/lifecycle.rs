//! Changing tickets: every transition and edit is one transaction that
//! checks the caller and the state machine, checks the version, writes the
//! change, a history row, the approval decision and notifications, and
//! bumps the version.

use super::notifications::{self, Notice};
use super::tickets::{approving_manager, items_text, load_detail, replace_items};
use super::{assets, policy, stock, Db, ServiceError};
use crate::domain::errors::Entity;
use crate::domain::ticket::lifecycle::{apply, can_merge, decide, Action, Command, Outcome};
use crate::domain::ticket::{TicketDetail, TicketPatch, TicketStatus};
use crate::domain::{Actor, Current, ErrorKind, FieldError, FieldErrors, Refusal};
use chrono::Utc;
use sqlx::{PgConnection, Postgres, Transaction};
use uuid::Uuid;

fn version_required() -> ServiceError {
    ServiceError::Validation(FieldErrors::single(
        "version",
        FieldError::VersionRequired { of: Entity::Ticket },
    ))
}

/// Passes on only a "forbidden" answer; other refusals wait until the
/// version has been checked.
fn forbid_only(decision: Result<(), Refusal>) -> Result<(), ServiceError> {
    match decision {
        Err(r) if r.kind() == ErrorKind::Forbidden => Err(r.into()),
        _ => Ok(()),
    }
}

fn stale_ticket(current: TicketDetail) -> ServiceError {
    ServiceError::stale(Current::Ticket(Box::new(current)))
}

/// The result of an edit: the ticket now, and whether the edit was merged
/// onto changes someone else made meanwhile.
#[derive(Debug, Clone)]
pub struct Edited {
    pub ticket: TicketDetail,
    pub merged: bool,
}

async fn current_or_missing(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    lock: bool,
) -> Result<TicketDetail, ServiceError> {
    load_detail(conn, actor, id, lock)
        .await?
        .ok_or(ServiceError::Refused(Refusal::NotFound))
}

/// Someone else won: answer with the ticket as it is now.
async fn stale(db: &Db, actor: &Actor, id: Uuid) -> ServiceError {
    let mut conn = match db.acquire().await {
        Ok(c) => c,
        Err(e) => return e.into(),
    };
    match load_detail(&mut conn, actor, id, false).await {
        Ok(Some(t)) => stale_ticket(t),
        Ok(None) => ServiceError::Refused(Refusal::NotFound),
        Err(e) => e,
    }
}

/// An approver who lost a race no longer sees the ticket: they hear who
/// decided it, and nothing else about it. Only an approver who could have
/// taken that decision hears it (the requester's manager for a level routed
/// to them, any approver for a pool level); anyone else gets "not found".
async fn decided_by(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<ServiceError, ServiceError> {
    let last: Option<(String,)> = sqlx::query_as(
        "select u.name from ticket_approvals a
           join users u on u.id = a.approver_id
           join tickets t on t.id = a.ticket_id
           join users r on r.id = t.requester_id
          where a.ticket_id = $1 and t.requester_id <> $2
            and a.id = (select max(id) from ticket_approvals where ticket_id = $1)
            and (a.level > 1 or r.manager_id = $2
                 or not exists (select 1 from users m where m.id = r.manager_id
                                and m.active and m.role in ('approver', 'admin')))",
    )
    .bind(id)
    .bind(actor.id)
    .fetch_optional(conn)
    .await?;
    Ok(match last {
        Some((name,)) => Refusal::DecidedBy { name }.into(),
        None => Refusal::NotFound.into(),
    })
}

async fn check_assignee(conn: &mut PgConnection, id: Uuid) -> Result<(), ServiceError> {
    let ok: Option<(bool,)> =
        sqlx::query_as("select active and role in ('agent', 'admin') from users where id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    match ok {
        Some((true,)) => Ok(()),
        _ => Err(ServiceError::Validation(FieldErrors::single(
            "assignee_id",
            FieldError::ChooseAssignee,
        ))),
    }
}

fn changed_fields(before: &TicketDetail, out: &Outcome, extra: &[&'static str]) -> Vec<String> {
    let after = &out.state;
    let mut f: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    if out.from != out.to {
        f.push("status".into());
    }
    if before.assignee.as_ref().map(|a| a.id) != after.assignee_id {
        f.push("assignee".into());
    }
    if out.decision.is_some() || out.approvals_reset {
        f.push("approvals".into());
    }
    if before.actual_total != after.actual_total {
        f.push("actual_total".into());
    }
    if before.pending_cost != after.pending_cost {
        f.push("pending_cost".into());
    }
    f
}

/// Writes the new state with the version check. Returns false when the
/// version moved on meanwhile (nothing written).
#[allow(clippy::too_many_arguments)]
async fn write_state(
    tx: &mut Transaction<'_, Postgres>,
    actor: &Actor,
    before: &TicketDetail,
    version: i32,
    out: &Outcome,
    fields: &[String],
    patch: Option<&TicketPatch>,
) -> Result<bool, ServiceError> {
    let s = &out.state;
    let round_bump = i32::from(out.approvals_reset);
    let items = patch.and_then(|p| p.items.as_ref());
    let updated = sqlx::query(
        "update tickets set
             status = $3, resolution = $4, assignee_id = $5, awaiting_level = $6,
             awaiting_approver_id = $7, actual_total = $8, completed_at = $9,
             approval_round = approval_round + $10, estimated_total = $11,
             title = coalesce($12, title), description = coalesce($13, description),
             priority = coalesce($14, priority), location = coalesce($15, location),
             items_text = coalesce($16, items_text),
             pending_cost = $17, approved_cost = $18,
             version = version + 1
         where id = $1 and version = $2",
    )
    .bind(before.id)
    .bind(version)
    .bind(s.status.as_str())
    .bind(s.resolution.map(|r| r.as_str()))
    .bind(s.assignee_id)
    .bind(s.awaiting_level.map(i16::from))
    .bind(s.awaiting_approver_id)
    .bind(s.actual_total)
    .bind(s.completed_at)
    .bind(round_bump)
    .bind(s.estimated_total)
    .bind(patch.and_then(|p| p.title.as_deref()))
    .bind(patch.and_then(|p| p.description.as_deref()))
    .bind(patch.and_then(|p| p.priority.map(|x| x.as_str())))
    .bind(patch.and_then(|p| p.location.as_deref()))
    .bind(items.map(|i| items_text(i)))
    .bind(s.pending_cost)
    .bind(s.approved_cost)
    .execute(&mut **tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    if let Some(items) = items {
        replace_items(tx, before.id, items).await?;
    }
    let new_version = version + 1;
    let round = before.approval_round + round_bump;
    sqlx::query(
        "insert into ticket_history (ticket_id, version, actor_id, action, from_status, to_status, changed_fields, note)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(before.id)
    .bind(new_version)
    .bind(actor.id)
    .bind(out.action.as_str())
    .bind(out.from.as_str())
    .bind(out.to.as_str())
    .bind(fields)
    .bind(&out.note)
    .execute(&mut **tx)
    .await?;
    if let Some((level, decision)) = out.decision {
        // A delegate decides for the approver who is away: both are kept.
        let on_behalf_of = before
            .awaiting_approver
            .as_ref()
            .map(|a| a.id)
            .filter(|a| *a != actor.id);
        sqlx::query(
            "insert into ticket_approvals (ticket_id, round, level, approver_id, decision, note, on_behalf_of)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(before.id)
        .bind(round)
        .bind(i16::from(level))
        .bind(actor.id)
        .bind(decision.as_str())
        .bind(&out.note)
        .bind(on_behalf_of)
        .execute(&mut **tx)
        .await?;
    }
    super::service_levels::moved(
        tx,
        before.id,
        out.action,
        out.from,
        out.to,
        out.approvals_reset,
        Utc::now(),
    )
    .await?;
    notify(tx, actor, before, out, round).await?;
    super::queues::announce(tx, before.id, s.status, new_version).await?;
    Ok(true)
}

async fn notify(
    tx: &mut Transaction<'_, Postgres>,
    actor: &Actor,
    before: &TicketDetail,
    out: &Outcome,
    round: i32,
) -> Result<(), ServiceError> {
    let s = &out.state;
    let number = before.number.as_str();
    if out.from != out.to && before.requester.id != actor.id {
        notifications::send(
            tx,
            Notice::StatusChanged {
                ticket_id: before.id,
                number,
                requester: before.requester.id,
                to: out.to,
                note: Some(out.note.as_str()),
            },
        )
        .await?;
    }
    let newly_awaited = s.status == TicketStatus::WaitingApproval
        && (out.from != TicketStatus::WaitingApproval
            || out.approvals_reset
            || out.decision.is_some()
            || before.awaiting_level != s.awaiting_level);
    if newly_awaited {
        notifications::send(
            tx,
            Notice::AwaitingApproval {
                ticket_id: before.id,
                number,
                approver: s.awaiting_approver_id,
                requester: before.requester.id,
                round,
            },
        )
        .await?;
    }
    if let Some(assignee) = s.assignee_id {
        if before.assignee.as_ref().map(|a| a.id) != Some(assignee) && assignee != actor.id {
            notifications::send(
                tx,
                Notice::Assigned {
                    ticket_id: before.id,
                    number,
                    assignee,
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// Keeps stock and assets in step with the ticket, in its transaction:
/// approval reserves stock, cancel and reject release it, completion issues
/// it and hands out the asset, if any.
async fn inventory(
    tx: &mut Transaction<'_, Postgres>,
    actor: &Actor,
    before: &TicketDetail,
    out: &Outcome,
    asset: Option<Uuid>,
) -> Result<(), ServiceError> {
    use TicketStatus::*;
    match out.to {
        Approved if out.from != Approved => stock::reserve(tx, before.id).await?,
        Rejected | Closed if out.from != Completed => stock::release(tx, before.id).await?,
        Completed if out.from != Completed => {
            stock::issue(tx, actor, before.id, &before.number).await?;
            if let Some(asset) = asset {
                assets::hand_out(
                    tx,
                    actor,
                    asset,
                    before.requester.id,
                    before.id,
                    &before.number,
                )
                .await?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Runs a transition (submit, accept, approve, reject, assign, start,
/// complete, confirm, reopen, cancel) from the version the client saw.
/// Decisions lock the row first, so racing approvers queue up and all but
/// the first find the version moved on.
pub async fn act(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    command: Command,
) -> Result<TicketDetail, ServiceError> {
    if matches!(command, Command::Edit { .. } | Command::EditItems { .. }) {
        return Err(Refusal::EditsUsePatch.into());
    }
    let mut tx = db.begin().await?;
    let ticket = act_in(&mut tx, actor, id, version, command).await?;
    tx.commit().await?;
    Ok(ticket)
}

/// [`act`] in a transaction the caller commits: a decision from an email
/// link spends the link in the same transaction.
pub async fn act_in(
    tx: &mut Transaction<'_, Postgres>,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    command: Command,
) -> Result<TicketDetail, ServiceError> {
    let lock = matches!(command.action(), Action::Approve | Action::Reject)
        && actor.can(crate::domain::Permission::TicketsApprove);
    let current = match current_or_missing(tx, actor, id, lock).await {
        Err(ServiceError::Refused(Refusal::NotFound)) if lock => {
            return Err(decided_by(tx, actor, id).await?);
        }
        other => other?,
    };
    // Who may act is answered before the version, so a stale client that
    // may not act at all hears "forbidden", not "reload".
    let now = Utc::now();
    forbid_only(decide(&current.state(), actor, command.action(), now))?;
    let version = version.ok_or_else(version_required)?;
    if current.version != version {
        return Err(stale_ticket(current));
    }
    if let Command::Assign { assignee_id } = &command {
        check_assignee(tx, *assignee_id).await?;
    }
    let asset = match &command {
        Command::Complete { asset_id, .. } => *asset_id,
        _ => None,
    };
    if asset.is_some() && !actor.can(crate::domain::Permission::AssetsManage) {
        return Err(Refusal::HandOutStaffOnly.into());
    }
    let mut command = command;
    let state = current.state();
    if let Command::Complete {
        actual_cost,
        cost_levels,
        ..
    } = &mut command
    {
        let policy = policy::load(tx).await?;
        *cost_levels = policy.required_levels(*actual_cost);
    }
    let out = apply(&state, actor, command, now)?;
    let fields = changed_fields(&current, &out, &[]);
    if !write_state(tx, actor, &current, version, &out, &fields, None).await? {
        return Err(match load_detail(tx, actor, id, false).await {
            Ok(Some(t)) => stale_ticket(t),
            Ok(None) => ServiceError::Refused(Refusal::NotFound),
            Err(e) => e,
        });
    }
    inventory(tx, actor, &current, &out, asset).await?;
    let ticket = current_or_missing(tx, actor, id, false).await;
    // A decision can remove the ticket from an approver's view (not theirs
    // any more); they still succeeded.
    match ticket {
        Ok(mut t) => {
            super::tickets::read_due(tx, &mut t).await?;
            Ok(t)
        }
        Err(ServiceError::Refused(Refusal::NotFound)) => Err(ServiceError::Internal(
            "ticket vanished after update".into(),
        )),
        Err(e) => Err(e),
    }
}

/// Edits plain fields and/or items. A stale edit merges onto the current
/// version when everything changed since the client's version is disjoint
/// from what it edits and status, assignee and approvals did not change;
/// otherwise it is a conflict.
pub async fn edit(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    patch: TicketPatch,
) -> Result<Edited, ServiceError> {
    let mut patch = patch.normalized();
    if let Some(items) = patch.items.as_mut() {
        let mut conn = db.acquire().await?;
        stock::price_lines(&mut conn, items).await?;
    }
    let new_total = patch.validate()?;
    let expected = patch.version.ok_or_else(version_required)?;
    let fields = patch.fields();
    // Optimistic: if another edit slips in between our read and our write,
    // look again (it may still merge).
    for _ in 0..3 {
        let mut tx = db.begin().await?;
        let current = current_or_missing(&mut tx, actor, id, false).await?;
        let now = Utc::now();
        let state = current.state();
        let wanted: &[Action] = if new_total.is_some() {
            &[Action::Edit, Action::EditItems]
        } else {
            &[Action::Edit]
        };
        // Who may edit is answered first; a stale version next (the user
        // should see what changed); whether the state allows it last.
        for action in wanted {
            forbid_only(decide(&state, actor, *action, now))?;
        }
        let mut merged = false;
        if current.version != expected {
            if current.version < expected {
                return Err(stale_ticket(current));
            }
            let since: Vec<(String, Vec<String>)> = sqlx::query_as(
                "select action, changed_fields from ticket_history where ticket_id = $1 and version > $2",
            )
            .bind(id)
            .bind(expected)
            .fetch_all(&mut *tx)
            .await?;
            if !can_merge(&since, &fields) {
                return Err(stale_ticket(current));
            }
            merged = true;
        }
        for action in wanted {
            decide(&state, actor, *action, now)?;
        }
        let command = match new_total {
            Some(total) => {
                let policy = policy::load(&mut tx).await?;
                Command::EditItems {
                    total,
                    required_levels: policy.required_levels(total),
                }
            }
            None => Command::Edit {
                content: patch.title.is_some()
                    || patch.description.is_some()
                    || patch.location.is_some(),
            },
        };
        let mut state = state;
        // Re-routing to level 1 goes to the manager as of now.
        state.manager_id = approving_manager(&mut tx, current.requester.id).await?;
        let out = apply(&state, actor, command, now)?;
        let changed = changed_fields(&current, &out, &fields);
        if write_state(
            &mut tx,
            actor,
            &current,
            current.version,
            &out,
            &changed,
            Some(&patch),
        )
        .await?
        {
            let mut ticket = current_or_missing(&mut tx, actor, id, false).await?;
            super::tickets::read_due(&mut tx, &mut ticket).await?;
            tx.commit().await?;
            return Ok(Edited { ticket, merged });
        }
    }
    Err(stale(db, actor, id).await)
}
