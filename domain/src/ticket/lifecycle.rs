//! The ticket state machine (DESIGN §3): who may do what, in which status,
//! and what each action changes. Pure data in, pure data out: the server
//! enforces it and the browser uses it to show exactly the allowed buttons.

use super::kinds::{Resolution, TicketStatus};
use crate::errors::{has_control, FieldError, FieldErrors};
use crate::money::Money;
use crate::refusal::{Refusal, Rejection};
use crate::role::Permission;
use crate::user::Actor;
use crate::Lang;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Completed tickets close by themselves after this long, and can be
/// reopened by the requester until then.
pub const CONFIRM_WINDOW_DAYS: i64 = 7;
const MAX_NOTE: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Edit,
    EditItems,
    Submit,
    Accept,
    Approve,
    Reject,
    Assign,
    Start,
    Complete,
    Confirm,
    Reopen,
    Cancel,
    /// Waiting for the requester (an answer, a document, access to a
    /// room): the service-level clock stops.
    Pause,
    Resume,
}

impl Action {
    pub const ALL: [Action; 14] = [
        Action::Edit,
        Action::EditItems,
        Action::Submit,
        Action::Accept,
        Action::Approve,
        Action::Reject,
        Action::Assign,
        Action::Start,
        Action::Complete,
        Action::Confirm,
        Action::Reopen,
        Action::Cancel,
        Action::Pause,
        Action::Resume,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Edit => "edit",
            Action::EditItems => "edit_items",
            Action::Submit => "submit",
            Action::Accept => "accept",
            Action::Approve => "approve",
            Action::Reject => "reject",
            Action::Assign => "assign",
            Action::Start => "start",
            Action::Complete => "complete",
            Action::Confirm => "confirm",
            Action::Reopen => "reopen",
            Action::Cancel => "cancel",
            Action::Pause => "pause",
            Action::Resume => "resume",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Edit => "Edit",
            Action::EditItems => "Edit items",
            Action::Submit => "Submit for approval",
            Action::Accept => "Accept",
            Action::Approve => "Approve",
            Action::Reject => "Reject",
            Action::Assign => "Assign",
            Action::Start => "Start work",
            Action::Complete => "Complete",
            Action::Confirm => "Confirm done",
            Action::Reopen => "Reopen",
            Action::Cancel => "Cancel request",
            Action::Pause => "Wait for requester",
            Action::Resume => "Resume",
        }
    }

    pub fn label_in(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.label(),
            Lang::Id => match self {
                Action::Edit => "Ubah",
                Action::EditItems => "Ubah barang",
                Action::Submit => "Ajukan persetujuan",
                Action::Accept => "Terima",
                Action::Approve => "Setujui",
                Action::Reject => "Tolak",
                Action::Assign => "Tugaskan",
                Action::Start => "Mulai kerjakan",
                Action::Complete => "Selesaikan",
                Action::Confirm => "Konfirmasi selesai",
                Action::Reopen => "Buka lagi",
                Action::Cancel => "Batalkan permintaan",
                Action::Pause => "Tunggu pemohon",
                Action::Resume => "Lanjutkan",
            },
        }
    }
}

impl crate::Label for Action {
    fn label_in(self, lang: Lang) -> &'static str {
        Action::label_in(self, lang)
    }
}

impl std::str::FromStr for Action {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| FieldError::OneOf {
                allowed: Action::ALL.map(Action::as_str).join(", "),
            })
    }
}

/// One approval given in the current approval round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApprovalRecord {
    pub level: u8,
    pub approver_id: Uuid,
}

/// What the rules need to know about a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketState {
    pub status: TicketStatus,
    pub resolution: Option<Resolution>,
    pub requester_id: Uuid,
    /// The requester's manager when that manager may approve (level 1 goes
    /// to them), else `None` (any approver).
    pub manager_id: Option<Uuid>,
    pub assignee_id: Option<Uuid>,
    pub estimated_total: Money,
    /// Levels the approval policy requires for the current total.
    pub required_levels: u8,
    pub awaiting_level: Option<u8>,
    pub awaiting_approver_id: Option<Uuid>,
    pub approvals: Vec<ApprovalRecord>,
    pub actual_total: Option<Money>,
    pub completed_at: Option<DateTime<Utc>>,
    /// An actual cost above what was approved, waiting for a decision
    /// before the ticket may complete.
    #[serde(default)]
    pub pending_cost: Option<Money>,
    /// An extra cost approved earlier: the new base for the ceiling.
    #[serde(default)]
    pub approved_cost: Option<Money>,
    /// How far (per cent) the actual cost may exceed what was approved.
    #[serde(default)]
    pub cost_tolerance_percent: u32,
    /// Waiting for the requester: the service-level clock is stopped.
    #[serde(default)]
    pub paused: bool,
    /// Who decides for `awaiting_approver_id` while they are out of office.
    #[serde(default)]
    pub awaiting_delegate_id: Option<Uuid>,
}

/// A request to change a ticket, with the input the action needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    /// Plain fields changed; `content` when any of them is something the
    /// approver saw (title, description, location), not only the priority.
    Edit {
        content: bool,
    },
    /// Items changed: the new total and the levels it needs.
    EditItems {
        total: Money,
        required_levels: u8,
    },
    Submit,
    Accept,
    Approve {
        note: String,
    },
    Reject {
        reason: String,
    },
    Assign {
        assignee_id: Uuid,
    },
    Start,
    Complete {
        actual_cost: Money,
        note: String,
        /// An asset handed to the requester with this completion.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        asset_id: Option<Uuid>,
        /// Levels the policy requires for `actual_cost`; the server fills
        /// this in, whatever a client sent.
        #[serde(default, skip)]
        cost_levels: u8,
    },
    Confirm,
    Reopen {
        reason: String,
    },
    Cancel {
        reason: String,
    },
    /// What GA asks of the requester.
    Pause {
        reason: String,
    },
    Resume,
}

impl Command {
    /// Completing at a cost, as a client asks for it (the server works out
    /// the approval levels that cost needs).
    pub fn complete(actual_cost: Money, note: String, asset_id: Option<Uuid>) -> Command {
        Command::Complete {
            actual_cost,
            note,
            asset_id,
            cost_levels: 0,
        }
    }

    pub fn action(&self) -> Action {
        match self {
            Command::Edit { .. } => Action::Edit,
            Command::EditItems { .. } => Action::EditItems,
            Command::Submit => Action::Submit,
            Command::Accept => Action::Accept,
            Command::Approve { .. } => Action::Approve,
            Command::Reject { .. } => Action::Reject,
            Command::Assign { .. } => Action::Assign,
            Command::Start => Action::Start,
            Command::Complete { .. } => Action::Complete,
            Command::Confirm => Action::Confirm,
            Command::Reopen { .. } => Action::Reopen,
            Command::Cancel { .. } => Action::Cancel,
            Command::Pause { .. } => Action::Pause,
            Command::Resume => Action::Resume,
        }
    }
}

/// The decision an approval row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Decision {
    Approved,
    Rejected,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Rejected => "rejected",
        }
    }
}

/// What applying a command does; the service persists exactly this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub state: TicketState,
    pub action: Action,
    pub from: TicketStatus,
    pub to: TicketStatus,
    /// A decision to record for this level of the current round.
    pub decision: Option<(u8, Decision)>,
    /// Earlier approvals no longer count (items changed while waiting).
    pub approvals_reset: bool,
    pub note: String,
}

impl TicketState {
    fn is_requester(&self, actor: &Actor) -> bool {
        self.requester_id == actor.id
    }

    fn is_assignee(&self, actor: &Actor) -> bool {
        self.assignee_id == Some(actor.id)
    }

    /// The highest actual cost that completes without a new decision: what
    /// was approved (the estimate, or an extra cost approved later) plus the
    /// tolerance.
    pub fn cost_ceiling(&self) -> Money {
        self.estimated_total
            .max(self.approved_cost.unwrap_or(Money::ZERO))
            .plus_percent(self.cost_tolerance_percent)
    }

    /// Whether what was decided on is being decided again because of the
    /// actual cost.
    pub fn cost_round(&self) -> bool {
        self.pending_cost.is_some()
    }

    /// Checks whether the state is one the rules can produce. Used by the
    /// property tests; cheap enough to assert anywhere.
    pub fn invariant_violation(&self) -> Option<&'static str> {
        use TicketStatus::*;
        if (self.status == Closed) != self.resolution.is_some() {
            return Some("closed exactly when resolved");
        }
        if (self.status == WaitingApproval) != self.awaiting_level.is_some() {
            return Some("awaiting a level exactly when waiting for approval");
        }
        if self.awaiting_approver_id.is_some() && self.awaiting_level != Some(1) {
            return Some("only level 1 is routed to a person");
        }
        if matches!(self.status, InProgress | Completed) && self.assignee_id.is_none() {
            return Some("work needs an assignee");
        }
        if self.status == Completed && (self.completed_at.is_none() || self.actual_total.is_none())
        {
            return Some("completed tickets have a cost and a time");
        }
        let mut seen = Vec::new();
        for (i, a) in self.approvals.iter().enumerate() {
            if a.level as usize != i + 1 {
                return Some("approval levels are consecutive from 1");
            }
            if a.approver_id == self.requester_id {
                return Some("nobody approves their own ticket");
            }
            if seen.contains(&a.approver_id) {
                return Some("each level has a different approver");
            }
            seen.push(a.approver_id);
        }
        if let Some(level) = self.awaiting_level {
            if level as usize != self.approvals.len() + 1 {
                return Some("the awaited level follows the approvals given");
            }
        }
        if self.pending_cost.is_some() && self.status != WaitingApproval {
            return Some("a pending cost waits for approval");
        }
        if self.status == Approved && self.approvals.len() < self.required_levels as usize {
            return Some("approved tickets have every required approval");
        }
        None
    }
}

fn check_note(field: &str, text: &str, required: bool) -> Result<String, FieldErrors> {
    let t = text.trim();
    let error = if required && t.is_empty() {
        Some(FieldError::ReasonRequired)
    } else if t.chars().count() > MAX_NOTE {
        Some(FieldError::TooLong {
            max: MAX_NOTE as u32,
        })
    } else if has_control(t) {
        Some(FieldError::ControlCharacters)
    } else {
        None
    };
    match error {
        Some(e) => Err(FieldErrors::single(field, e)),
        None => Ok(t.to_string()),
    }
}

/// Whether `actor` may take `action` on a ticket in `state` now. Who is
/// asking is checked before the state, so a stranger learns nothing about
/// the ticket's progress from the answer.
pub fn decide(
    state: &TicketState,
    actor: &Actor,
    action: Action,
    now: DateTime<Utc>,
) -> Result<(), Refusal> {
    use TicketStatus::*;
    let owner = state.is_requester(actor);
    let staff = actor.can(Permission::TicketsUpdate);
    let admin = actor.can(Permission::UsersManage);
    match action {
        Action::Edit => {
            if !owner && !staff {
                return Err(Refusal::EditNotAllowed);
            }
            if state.cost_round() && !staff {
                return Err(Refusal::CostAwaitingApproval);
            }
            let open = if staff {
                matches!(
                    state.status,
                    Pending | WaitingApproval | Approved | InProgress
                )
            } else {
                matches!(state.status, Pending | WaitingApproval)
            };
            if !open {
                return Err(Refusal::NoLongerEditable);
            }
        }
        Action::EditItems => {
            if !owner && !staff {
                return Err(Refusal::ItemsNotAllowed);
            }
            if !matches!(state.status, Pending | WaitingApproval) {
                return Err(Refusal::ItemsFixed);
            }
            if state.cost_round() {
                return Err(Refusal::CostAwaitingApproval);
            }
        }
        Action::Submit => {
            if !owner && !staff {
                return Err(Refusal::SubmitNotAllowed);
            }
            if state.status != Pending {
                return Err(Refusal::SubmitOnlyPending);
            }
            if state.required_levels == 0 {
                return Err(Refusal::BelowThreshold);
            }
        }
        Action::Accept => {
            if !actor.can(Permission::TicketsAssign) {
                return Err(Refusal::AcceptStaffOnly);
            }
            if owner {
                return Err(Refusal::AcceptOwnRequest);
            }
            if state.status != Pending {
                return Err(Refusal::AcceptOnlyPending);
            }
            if state.required_levels > 0 {
                return Err(Refusal::NeedsApproval);
            }
        }
        Action::Approve | Action::Reject => {
            if !actor.can(Permission::TicketsApprove) {
                return Err(Refusal::NotAnApprover);
            }
            if owner {
                return Err(Refusal::OwnRequest);
            }
            if state.status != WaitingApproval {
                return Err(Refusal::NotAwaitingApproval);
            }
            if let Some(m) = state.awaiting_approver_id {
                if m != actor.id && state.awaiting_delegate_id != Some(actor.id) {
                    return Err(Refusal::ForTheManager);
                }
            }
            if state.approvals.iter().any(|a| a.approver_id == actor.id) {
                return Err(Refusal::DifferentApproverNeeded);
            }
        }
        Action::Assign => {
            if !actor.can(Permission::TicketsAssign) {
                return Err(Refusal::AssignStaffOnly);
            }
            if !matches!(
                state.status,
                Pending | WaitingApproval | Approved | InProgress
            ) {
                return Err(Refusal::NoLongerAssignable);
            }
        }
        Action::Start | Action::Complete => {
            if !actor.can(Permission::TicketsFulfil) {
                return Err(Refusal::FulfilStaffOnly);
            }
            if state.assignee_id.is_some() && !state.is_assignee(actor) && !admin {
                return Err(Refusal::NotTheAssignee);
            }
            let needed = if action == Action::Start {
                Approved
            } else {
                InProgress
            };
            if state.status != needed {
                return Err(if action == Action::Start {
                    Refusal::StartOnlyApproved
                } else {
                    Refusal::CompleteOnlyInProgress
                });
            }
            if state.assignee_id.is_none() {
                return Err(Refusal::AssignFirst);
            }
        }
        Action::Confirm | Action::Reopen => {
            if !owner && !admin {
                return Err(Refusal::NotTheRequester);
            }
            if state.status != Completed {
                return Err(Refusal::ConfirmOnlyCompleted);
            }
            if action == Action::Reopen {
                let within = state
                    .completed_at
                    .is_some_and(|at| now - at <= Duration::days(CONFIRM_WINDOW_DAYS));
                if !within {
                    return Err(Refusal::ReopenWindowClosed {
                        days: CONFIRM_WINDOW_DAYS,
                    });
                }
            }
        }
        Action::Cancel => {
            if !owner && !staff {
                return Err(Refusal::CancelNotAllowed);
            }
            if !matches!(state.status, Pending | WaitingApproval | Approved) {
                return Err(Refusal::CancelOnlyNotStarted);
            }
            if state.cost_round() {
                return Err(Refusal::CostAwaitingApproval);
            }
        }
        Action::Pause => {
            if !actor.can(Permission::TicketsFulfil) {
                return Err(Refusal::PauseStaffOnly);
            }
            if !matches!(state.status, Pending | Approved | InProgress) {
                return Err(Refusal::PauseOnlyOpenWork);
            }
            if state.paused {
                return Err(Refusal::AlreadyPaused);
            }
        }
        Action::Resume => {
            if !owner && !actor.can(Permission::TicketsFulfil) {
                return Err(Refusal::ResumeNotAllowed);
            }
            if !state.paused {
                return Err(Refusal::NotPaused);
            }
        }
    }
    Ok(())
}

/// Every action `actor` may take now: the UI shows exactly these buttons.
pub fn available_actions(state: &TicketState, actor: &Actor, now: DateTime<Utc>) -> Vec<Action> {
    Action::ALL
        .into_iter()
        .filter(|a| decide(state, actor, *a, now).is_ok())
        .collect()
}

/// Waiting for approval at level 1, routed to the manager when there is one.
fn await_first_level(s: &mut TicketState) {
    s.status = TicketStatus::WaitingApproval;
    s.awaiting_level = Some(1);
    s.awaiting_approver_id = s.manager_id.filter(|m| *m != s.requester_id);
}

fn clear_awaiting(s: &mut TicketState) {
    s.awaiting_level = None;
    s.awaiting_approver_id = None;
}

/// Checks and applies a command, returning the new state and what to record.
pub fn apply(
    state: &TicketState,
    actor: &Actor,
    command: Command,
    now: DateTime<Utc>,
) -> Result<Outcome, Rejection> {
    use TicketStatus::*;
    let action = command.action();
    decide(state, actor, action, now)?;
    let mut s = state.clone();
    let mut decision = None;
    let mut approvals_reset = false;
    let mut note = String::new();
    match command {
        Command::Edit { content } => {
            if content {
                match state.status {
                    // GA staff may still reprioritise approved work, but what
                    // the approver saw is not theirs to rewrite.
                    Approved | InProgress => return Err(Refusal::ApprovedContentFixed.into()),
                    WaitingApproval if state.cost_round() => {
                        return Err(Refusal::CostAwaitingApproval.into())
                    }
                    // A decision was taken on the old words: decide again.
                    WaitingApproval if !s.approvals.is_empty() => {
                        approvals_reset = true;
                        s.approvals.clear();
                        await_first_level(&mut s);
                    }
                    _ => {}
                }
            }
        }
        Command::EditItems {
            total,
            required_levels,
        } => {
            s.estimated_total = total;
            s.required_levels = required_levels;
            if state.status == WaitingApproval {
                // New amounts need fresh decisions, from level 1 again.
                approvals_reset = !s.approvals.is_empty();
                s.approvals.clear();
                if required_levels > 0 {
                    await_first_level(&mut s);
                } else {
                    s.status = Pending;
                    clear_awaiting(&mut s);
                }
            }
        }
        Command::Submit => await_first_level(&mut s),
        Command::Accept => s.status = Approved,
        Command::Approve { note: n } => {
            note = check_note("note", &n, false)?;
            let level = s.awaiting_level.unwrap_or(1);
            s.approvals.push(ApprovalRecord {
                level,
                approver_id: actor.id,
            });
            decision = Some((level, Decision::Approved));
            if s.approvals.len() >= s.required_levels as usize {
                // A cost round ends back at work, with the new ceiling.
                s.status = if let Some(cost) = s.pending_cost.take() {
                    s.approved_cost = Some(cost);
                    InProgress
                } else {
                    Approved
                };
                clear_awaiting(&mut s);
            } else {
                s.awaiting_level = Some(level + 1);
                s.awaiting_approver_id = None;
            }
        }
        Command::Reject { reason } => {
            note = check_note("reason", &reason, true)?;
            decision = Some((s.awaiting_level.unwrap_or(1), Decision::Rejected));
            // A refused extra cost sends the work back, not the request.
            s.status = if s.pending_cost.take().is_some() {
                InProgress
            } else {
                Rejected
            };
            clear_awaiting(&mut s);
        }
        Command::Assign { assignee_id } => {
            if s.assignee_id == Some(assignee_id) {
                return Err(Refusal::AlreadyAssigned.into());
            }
            s.assignee_id = Some(assignee_id);
        }
        Command::Start => s.status = InProgress,
        Command::Complete {
            actual_cost,
            note: n,
            cost_levels,
            ..
        } => {
            note = check_note("note", &n, false)?;
            if actual_cost > state.cost_ceiling() && cost_levels > 0 {
                // Spending more than was approved needs the approval level
                // of the new amount before the work counts as done.
                s.pending_cost = Some(actual_cost);
                s.required_levels = cost_levels;
                approvals_reset = !s.approvals.is_empty();
                s.approvals.clear();
                await_first_level(&mut s);
            } else {
                s.status = Completed;
                s.actual_total = Some(actual_cost);
                s.completed_at = Some(now);
            }
        }
        Command::Confirm => {
            s.status = Closed;
            s.resolution = Some(Resolution::Done);
        }
        Command::Reopen { reason } => {
            note = check_note("reason", &reason, true)?;
            s.status = InProgress;
            s.completed_at = None;
        }
        Command::Cancel { reason } => {
            note = check_note("reason", &reason, false)?;
            s.status = Closed;
            s.resolution = Some(Resolution::Cancelled);
            clear_awaiting(&mut s);
            s.paused = false;
        }
        Command::Pause { reason } => {
            note = check_note("reason", &reason, true)?;
            s.paused = true;
        }
        Command::Resume => s.paused = false,
    }
    if s.status == Completed {
        s.paused = false;
    }
    Ok(Outcome {
        from: state.status,
        to: s.status,
        state: s,
        action,
        decision,
        approvals_reset,
        note,
    })
}

/// Fields whose change makes a stale edit impossible to merge.
pub const STRUCTURAL: [&str; 3] = ["status", "assignee", "approvals"];

/// Whether an edit of `fields` made from an older version can be applied
/// on top of what changed since (each later history row's action and
/// changed fields): only when those were plain edits of other fields, and
/// status, assignee and approvals did not move (DESIGN §3).
pub fn can_merge(since: &[(String, Vec<String>)], fields: &[&str]) -> bool {
    since.iter().all(|(action, changed)| {
        (action == Action::Edit.as_str() || action == Action::EditItems.as_str())
            && !changed
                .iter()
                .any(|c| STRUCTURAL.contains(&c.as_str()) || fields.contains(&c.as_str()))
    })
}

/// Completed tickets nobody confirmed close by themselves after 7 days.
pub fn auto_close_due(state: &TicketState, now: DateTime<Utc>) -> bool {
    state.status == TicketStatus::Completed
        && state
            .completed_at
            .is_some_and(|at| now - at > Duration::days(CONFIRM_WINDOW_DAYS))
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    fn row(action: &str, fields: &[&str]) -> (String, Vec<String>) {
        (
            action.to_string(),
            fields.iter().map(|f| f.to_string()).collect(),
        )
    }

    #[test]
    fn stale_edits_merge_only_onto_disjoint_plain_edits() {
        assert!(can_merge(&[], &["title"]));
        assert!(can_merge(&[row("edit", &["description"])], &["title"]));
        assert!(!can_merge(&[row("edit", &["title"])], &["title"]));
        assert!(!can_merge(&[row("approve", &["approvals"])], &["title"]));
        assert!(!can_merge(
            &[row("edit_items", &["items", "status"])],
            &["title"]
        ));
        assert!(can_merge(
            &[row("edit", &["location"]), row("edit_items", &["items"])],
            &["title", "description"]
        ));
    }
}
