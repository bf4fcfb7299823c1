//! The ticket state machine: every (status, action, actor) combination, and
//! random sequences of actions that must never reach an invalid state.

use chrono::{DateTime, Duration, Utc};
use domain::refusal::Rejection;
use domain::ticket::lifecycle::{
    apply, auto_close_due, available_actions, decide, Action, ApprovalRecord, Command, TicketState,
};
use domain::ticket::{Resolution, TicketStatus};
use domain::{Actor, Money, Role};
use domain::{ErrorKind, Refusal};
use proptest::prelude::*;
use uuid::Uuid;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn actor(n: u128, role: Role) -> Actor {
    Actor {
        id: id(n),
        email: format!("user{n}@example.co.id"),
        name: format!("User {n}"),
        role,
    }
}

const R: u128 = 1; // the requester
const O: u128 = 2; // another requester
const M: u128 = 3; // the requester's manager, an approver
const A: u128 = 4; // another approver
const G: u128 = 5; // the GA agent assigned
const H: u128 = 6; // another GA agent
const D: u128 = 7; // an admin

fn cast() -> Vec<(char, Actor)> {
    vec![
        ('R', actor(R, Role::Requester)),
        ('O', actor(O, Role::Requester)),
        ('M', actor(M, Role::Approver)),
        ('A', actor(A, Role::Approver)),
        ('G', actor(G, Role::Agent)),
        ('H', actor(H, Role::Agent)),
        ('D', actor(D, Role::Admin)),
    ]
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-29T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn rp(n: u64) -> Money {
    Money::from_rupiah(n).unwrap()
}

const STATUSES: [TicketStatus; 7] = [
    TicketStatus::Pending,
    TicketStatus::WaitingApproval,
    TicketStatus::Approved,
    TicketStatus::Rejected,
    TicketStatus::InProgress,
    TicketStatus::Completed,
    TicketStatus::Closed,
];

/// A consistent ticket costing enough for one approval level, assigned to G,
/// in the given status.
fn ticket_in(status: TicketStatus) -> TicketState {
    use TicketStatus::*;
    let approved_once = vec![ApprovalRecord {
        level: 1,
        approver_id: id(M),
    }];
    let mut s = TicketState {
        status,
        resolution: None,
        requester_id: id(R),
        manager_id: Some(id(M)),
        assignee_id: Some(id(G)),
        estimated_total: rp(2_500_000),
        required_levels: 1,
        awaiting_level: None,
        awaiting_approver_id: None,
        approvals: vec![],
        actual_total: None,
        completed_at: None,
        pending_cost: None,
        approved_cost: None,
        cost_tolerance_percent: 10,
        paused: false,
        awaiting_delegate_id: None,
    };
    match status {
        Pending | Rejected => {}
        WaitingApproval => {
            s.awaiting_level = Some(1);
            s.awaiting_approver_id = Some(id(M));
        }
        Approved | InProgress => s.approvals = approved_once,
        Completed | Closed => {
            s.approvals = approved_once;
            s.actual_total = Some(rp(2_400_000));
            s.completed_at = Some(now() - Duration::days(1));
            if status == Closed {
                s.resolution = Some(Resolution::Done);
            }
        }
    }
    assert_eq!(s.invariant_violation(), None, "fixture for {status:?}");
    s
}

/// Expected answers per action: one row per actor (R O M A G H D), one
/// column per status (pending, waiting, approved, rejected, in progress,
/// completed, closed). o = allowed, f = forbidden (403), i = illegal (422).
const TABLE: &[(Action, [&str; 7])] = &[
    (
        Action::Edit,
        [
            "ooiiiii", "fffffff", "fffffff", "fffffff", "oooioii", "oooioii", "oooioii",
        ],
    ),
    (
        Action::EditItems,
        [
            "ooiiiii", "fffffff", "fffffff", "fffffff", "ooiiiii", "ooiiiii", "ooiiiii",
        ],
    ),
    (
        Action::Submit,
        [
            "oiiiiii", "fffffff", "fffffff", "fffffff", "oiiiiii", "oiiiiii", "oiiiiii",
        ],
    ),
    (
        Action::Accept,
        [
            "fffffff", "fffffff", "fffffff", "fffffff", "iiiiiii", "iiiiiii", "iiiiiii",
        ],
    ),
    (
        Action::Approve,
        [
            "fffffff", "fffffff", "ioiiiii", "ifiiiii", "fffffff", "fffffff", "ifiiiii",
        ],
    ),
    (
        Action::Reject,
        [
            "fffffff", "fffffff", "ioiiiii", "ifiiiii", "fffffff", "fffffff", "ifiiiii",
        ],
    ),
    (
        Action::Assign,
        [
            "fffffff", "fffffff", "fffffff", "fffffff", "oooioii", "oooioii", "oooioii",
        ],
    ),
    (
        Action::Start,
        [
            "fffffff", "fffffff", "fffffff", "fffffff", "iioiiii", "fffffff", "iioiiii",
        ],
    ),
    (
        Action::Complete,
        [
            "fffffff", "fffffff", "fffffff", "fffffff", "iiiioii", "fffffff", "iiiioii",
        ],
    ),
    (
        Action::Confirm,
        [
            "iiiiioi", "fffffff", "fffffff", "fffffff", "fffffff", "fffffff", "iiiiioi",
        ],
    ),
    (
        Action::Reopen,
        [
            "iiiiioi", "fffffff", "fffffff", "fffffff", "fffffff", "fffffff", "iiiiioi",
        ],
    ),
    (
        Action::Cancel,
        [
            "oooiiii", "fffffff", "fffffff", "fffffff", "oooiiii", "oooiiii", "oooiiii",
        ],
    ), // Waiting for the requester: GA staff on open work; the fixtures are
    // not paused, so resuming is never possible here (see the pause test).
    (
        Action::Pause,
        [
            "fffffff", "fffffff", "fffffff", "fffffff", "oioioii", "oioioii", "oioioii",
        ],
    ),
    (
        Action::Resume,
        [
            "iiiiiii", "fffffff", "fffffff", "fffffff", "iiiiiii", "iiiiiii", "iiiiiii",
        ],
    ),
];

fn verdict(r: &Result<(), Refusal>) -> char {
    match r {
        Ok(()) => 'o',
        Err(r) => match r.kind() {
            ErrorKind::Forbidden => 'f',
            ErrorKind::Illegal => 'i',
            other => panic!("{r:?} is {other:?}"),
        },
    }
}

/// The kind of a refusal (who asks: forbidden; the state: illegal).
fn kind<T>(r: Result<T, Rejection>) -> Option<ErrorKind> {
    match r {
        Err(Rejection::Refused(r)) => Some(r.kind()),
        Err(Rejection::Invalid(_)) => Some(ErrorKind::Validation),
        Ok(_) => None,
    }
}

#[test]
fn every_status_action_and_actor_combination() {
    assert_eq!(TABLE.len(), Action::ALL.len(), "every action has a row");
    let cast = cast();
    let mut mismatches = Vec::new();
    for (action, rows) in TABLE {
        for ((who, actor), expected) in cast.iter().zip(rows.iter()) {
            for (status, want) in STATUSES.iter().zip(expected.chars()) {
                let got = verdict(&decide(&ticket_in(*status), actor, *action, now()));
                if got != want {
                    mismatches.push(format!(
                        "{action:?} by {who} on {status:?}: want {want}, got {got}"
                    ));
                }
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

#[test]
fn available_actions_are_exactly_the_allowed_ones() {
    for (_, actor) in cast() {
        for status in STATUSES {
            let s = ticket_in(status);
            let shown = available_actions(&s, &actor, now());
            for a in Action::ALL {
                assert_eq!(shown.contains(&a), decide(&s, &actor, a, now()).is_ok());
            }
        }
    }
}

#[test]
fn cheap_tickets_are_accepted_not_submitted() {
    let mut s = ticket_in(TicketStatus::Pending);
    s.required_levels = 0;
    s.estimated_total = rp(500_000);
    let agent = actor(G, Role::Agent);
    let requester = actor(R, Role::Requester);
    assert!(decide(&s, &agent, Action::Accept, now()).is_ok());
    assert_eq!(
        decide(&s, &requester, Action::Submit, now()).map_err(|r| r.kind()),
        Err(ErrorKind::Illegal)
    );
    let out = apply(&s, &agent, Command::Accept, now()).unwrap();
    assert_eq!(out.to, TicketStatus::Approved);
}

#[test]
fn two_levels_need_two_different_approvers_routed_by_manager() {
    let mut s = ticket_in(TicketStatus::Pending);
    s.required_levels = 2;
    s.estimated_total = rp(12_500_000);
    let requester = actor(R, Role::Requester);
    let manager = actor(M, Role::Approver);
    let other = actor(A, Role::Approver);
    let s = apply(&s, &requester, Command::Submit, now()).unwrap().state;
    assert_eq!(s.awaiting_approver_id, Some(id(M)));
    // Level 1 belongs to the manager.
    assert_eq!(
        apply(
            &s,
            &other,
            Command::Approve {
                note: String::new()
            },
            now()
        ),
        Err(Rejection::Refused(Refusal::ForTheManager))
    );
    let out = apply(&s, &manager, Command::Approve { note: "ok".into() }, now()).unwrap();
    assert_eq!(
        out.decision,
        Some((1, domain::ticket::lifecycle::Decision::Approved))
    );
    let s = out.state;
    assert_eq!(
        (s.status, s.awaiting_level, s.awaiting_approver_id),
        (TicketStatus::WaitingApproval, Some(2), None)
    );
    // The manager cannot also decide level 2.
    assert_eq!(
        apply(
            &s,
            &manager,
            Command::Approve {
                note: String::new()
            },
            now()
        ),
        Err(Rejection::Refused(Refusal::DifferentApproverNeeded))
    );
    let s = apply(
        &s,
        &other,
        Command::Approve {
            note: String::new(),
        },
        now(),
    )
    .unwrap()
    .state;
    assert_eq!(s.status, TicketStatus::Approved);
    assert_eq!(s.invariant_violation(), None);
}

#[test]
fn without_a_manager_any_approver_decides_level_one() {
    let mut s = ticket_in(TicketStatus::WaitingApproval);
    s.manager_id = None;
    s.awaiting_approver_id = None;
    let other = actor(A, Role::Approver);
    assert!(decide(&s, &other, Action::Approve, now()).is_ok());
}

#[test]
fn rejection_needs_a_reason_and_is_final() {
    let s = ticket_in(TicketStatus::WaitingApproval);
    let manager = actor(M, Role::Approver);
    match apply(
        &s,
        &manager,
        Command::Reject {
            reason: "  ".into(),
        },
        now(),
    ) {
        Err(Rejection::Invalid(e)) => {
            assert_eq!(e.get("reason"), Some(&domain::FieldError::ReasonRequired))
        }
        other => panic!("{other:?}"),
    }
    let out = apply(
        &s,
        &manager,
        Command::Reject {
            reason: "Terlalu mahal".into(),
        },
        now(),
    )
    .unwrap();
    assert_eq!(out.to, TicketStatus::Rejected);
    assert_eq!(out.note, "Terlalu mahal");
    for (_, a) in cast() {
        assert!(available_actions(&out.state, &a, now()).is_empty());
    }
}

/// Two levels needed; the manager approved level 1, level 2 is open.
fn waiting_at_level_two() -> TicketState {
    let mut s = ticket_in(TicketStatus::WaitingApproval);
    s.required_levels = 2;
    s.approvals = vec![ApprovalRecord {
        level: 1,
        approver_id: id(M),
    }];
    s.awaiting_level = Some(2);
    s.awaiting_approver_id = None;
    assert_eq!(s.invariant_violation(), None);
    s
}

#[test]
fn changing_items_while_waiting_restarts_approval() {
    let s = waiting_at_level_two();
    let requester = actor(R, Role::Requester);
    let out = apply(
        &s,
        &requester,
        Command::EditItems {
            total: rp(15_000_000),
            required_levels: 2,
        },
        now(),
    )
    .unwrap();
    assert!(out.approvals_reset);
    assert_eq!(out.state.approvals, vec![]);
    assert_eq!(out.state.awaiting_level, Some(1));
    assert_eq!(out.state.awaiting_approver_id, Some(id(M)));
    let cheaper = apply(
        &s,
        &requester,
        Command::EditItems {
            total: rp(500_000),
            required_levels: 0,
        },
        now(),
    )
    .unwrap();
    assert_eq!(cheaper.to, TicketStatus::Pending);
    assert_eq!(cheaper.state.invariant_violation(), None);
}

#[test]
fn reopen_only_within_seven_days_and_auto_close_after() {
    let requester = actor(R, Role::Requester);
    let mut s = ticket_in(TicketStatus::Completed);
    s.completed_at = Some(now() - Duration::days(6));
    assert!(decide(&s, &requester, Action::Reopen, now()).is_ok());
    assert!(!auto_close_due(&s, now()));
    assert_eq!(
        kind(apply(
            &s,
            &requester,
            Command::Reopen {
                reason: String::new()
            },
            now()
        )),
        Some(ErrorKind::Validation)
    );
    let back = apply(
        &s,
        &requester,
        Command::Reopen {
            reason: "AC masih panas".into(),
        },
        now(),
    )
    .unwrap();
    assert_eq!(back.to, TicketStatus::InProgress);
    s.completed_at = Some(now() - Duration::days(8));
    assert_eq!(
        decide(&s, &requester, Action::Reopen, now()).map_err(|r| r.kind()),
        Err(ErrorKind::Illegal)
    );
    assert!(auto_close_due(&s, now()));
}

#[test]
fn completing_records_cost_and_time() {
    let s = ticket_in(TicketStatus::InProgress);
    let agent = actor(G, Role::Agent);
    let out = apply(
        &s,
        &agent,
        Command::Complete {
            actual_cost: rp(2_300_000),
            note: "Selesai".into(),
            asset_id: None,
            cost_levels: 1,
        },
        now(),
    )
    .unwrap();
    assert_eq!(out.state.actual_total, Some(rp(2_300_000)));
    assert_eq!(out.state.completed_at, Some(now()));
    assert_eq!(out.note, "Selesai");
}

// ---- what was approved stays approved --------------------------------------

#[test]
fn content_edits_after_a_decision_restart_approval_from_level_one() {
    let s = waiting_at_level_two();
    let requester = actor(R, Role::Requester);
    let out = apply(&s, &requester, Command::Edit { content: true }, now()).unwrap();
    assert!(out.approvals_reset);
    assert!(out.state.approvals.is_empty());
    assert_eq!(out.state.awaiting_level, Some(1));
    assert_eq!(out.state.awaiting_approver_id, Some(id(M)));
    // Only the priority: nothing the approver saw changed.
    let out = apply(&s, &requester, Command::Edit { content: false }, now()).unwrap();
    assert!(!out.approvals_reset);
    assert_eq!(out.state.awaiting_level, Some(2));
}

#[test]
fn staff_reprioritise_but_cannot_rewrite_approved_content() {
    let agent = actor(G, Role::Agent);
    for status in [TicketStatus::Approved, TicketStatus::InProgress] {
        let s = ticket_in(status);
        assert!(apply(&s, &agent, Command::Edit { content: false }, now()).is_ok());
        assert_eq!(
            apply(&s, &agent, Command::Edit { content: true }, now()).unwrap_err(),
            Rejection::Refused(Refusal::ApprovedContentFixed)
        );
    }
}

#[test]
fn nobody_accepts_their_own_request() {
    let mut s = ticket_in(TicketStatus::Pending);
    s.required_levels = 0;
    s.estimated_total = rp(300_000);
    s.requester_id = id(G);
    let agent = actor(G, Role::Agent);
    assert_eq!(
        decide(&s, &agent, Action::Accept, now()),
        Err(Refusal::AcceptOwnRequest)
    );
    let other = actor(H, Role::Agent);
    assert_eq!(decide(&s, &other, Action::Accept, now()), Ok(()));
}

fn complete(cost: u64, levels: u8) -> Command {
    Command::Complete {
        actual_cost: rp(cost),
        note: String::new(),
        asset_id: None,
        cost_levels: levels,
    }
}

#[test]
fn an_overrun_beyond_the_tolerance_waits_for_approval_of_the_new_cost() {
    let agent = actor(G, Role::Agent);
    let manager = actor(M, Role::Approver);
    let s = ticket_in(TicketStatus::InProgress);
    // Approved Rp 2.500.000; 10 % more completes as usual.
    assert_eq!(s.cost_ceiling(), rp(2_750_000));
    let out = apply(&s, &agent, complete(2_750_000, 1), now()).unwrap();
    assert_eq!(out.to, TicketStatus::Completed);
    // More than that goes back to the approvers first.
    let out = apply(&s, &agent, complete(4_000_000, 1), now()).unwrap();
    assert_eq!(out.to, TicketStatus::WaitingApproval);
    assert_eq!(out.state.pending_cost, Some(rp(4_000_000)));
    assert_eq!(out.state.actual_total, None);
    assert!(out.approvals_reset);
    let waiting = out.state;
    assert_eq!(waiting.invariant_violation(), None);
    // Meanwhile the request cannot be cancelled or edited by its requester.
    let requester = actor(R, Role::Requester);
    for action in [Action::Cancel, Action::Edit, Action::EditItems] {
        assert_eq!(
            decide(&waiting, &requester, action, now()),
            Err(Refusal::CostAwaitingApproval)
        );
    }
    // Approved: back to work, and the new cost is the new base.
    let out = apply(
        &waiting,
        &manager,
        Command::Approve {
            note: String::new(),
        },
        now(),
    )
    .unwrap();
    assert_eq!(out.to, TicketStatus::InProgress);
    assert_eq!(out.state.approved_cost, Some(rp(4_000_000)));
    assert_eq!(out.state.pending_cost, None);
    let done = apply(&out.state, &agent, complete(4_000_000, 1), now()).unwrap();
    assert_eq!(done.to, TicketStatus::Completed);
    // Refused: back to work as well, nothing completed.
    let out = apply(
        &waiting,
        &manager,
        Command::Reject {
            reason: "Terlalu mahal".into(),
        },
        now(),
    )
    .unwrap();
    assert_eq!(out.to, TicketStatus::InProgress);
    assert_eq!(out.state.pending_cost, None);
    assert_eq!(out.state.actual_total, None);
}

#[test]
fn an_overrun_that_needs_no_approval_completes() {
    let agent = actor(G, Role::Agent);
    let mut s = ticket_in(TicketStatus::InProgress);
    s.estimated_total = rp(100_000);
    s.required_levels = 0;
    s.approvals.clear();
    let out = apply(&s, &agent, complete(900_000, 0), now()).unwrap();
    assert_eq!(out.to, TicketStatus::Completed);
}

// ---- property test: random sequences never reach an invalid state -------

fn command_strategy() -> impl Strategy<Value = Command> {
    prop_oneof![
        any::<bool>().prop_map(|content| Command::Edit { content }),
        (0u64..20_000_000).prop_map(|t| Command::EditItems {
            total: rp(t),
            required_levels: domain::approval::ApprovalPolicy::default().required_levels(rp(t)),
        }),
        Just(Command::Submit),
        Just(Command::Accept),
        Just(Command::Approve {
            note: String::new()
        }),
        prop_oneof![Just(String::new()), Just("alasan".to_string())]
            .prop_map(|r| Command::Reject { reason: r }),
        (5u128..8).prop_map(|n| Command::Assign { assignee_id: id(n) }),
        Just(Command::Start),
        (0u64..20_000_000).prop_map(|c| Command::Complete {
            actual_cost: rp(c),
            note: String::new(),
            asset_id: None,
            cost_levels: domain::approval::ApprovalPolicy::default().required_levels(rp(c)),
        }),
        Just(Command::Confirm),
        prop_oneof![Just(String::new()), Just("rusak lagi".to_string())]
            .prop_map(|r| Command::Reopen { reason: r }),
        Just(Command::Cancel {
            reason: String::new()
        }),
        Just(Command::Pause {
            reason: "Mohon kirim foto".into()
        }),
        Just(Command::Resume),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn no_sequence_reaches_an_invalid_state(
        total in 0u64..20_000_000,
        has_manager in any::<bool>(),
        steps in proptest::collection::vec((0usize..7, command_strategy(), 0i64..10), 1..40),
    ) {
        let policy = domain::approval::ApprovalPolicy::default();
        let cast = cast();
        let levels = policy.required_levels(rp(total));
        let mut s = TicketState {
            status: policy.initial_status(rp(total)),
            resolution: None,
            requester_id: id(R),
            manager_id: has_manager.then(|| id(M)),
            assignee_id: None,
            estimated_total: rp(total),
            required_levels: levels,
            awaiting_level: None,
            awaiting_approver_id: None,
            approvals: vec![],
            actual_total: None,
            completed_at: None,
            pending_cost: None,
            approved_cost: None,
            cost_tolerance_percent: policy.cost_tolerance_percent,
            paused: false,
            awaiting_delegate_id: None,
        };
        if s.status == TicketStatus::WaitingApproval {
            s.awaiting_level = Some(1);
            s.awaiting_approver_id = s.manager_id;
        }
        let mut clock = now();
        prop_assert_eq!(s.invariant_violation(), None);
        for (who, command, days) in steps {
            clock += Duration::days(days);
            let actor = &cast[who].1;
            let action = command.action();
            let allowed = decide(&s, actor, action, clock).is_ok();
            let was_final = s.status.is_final();
            match apply(&s, actor, command, clock) {
                Ok(out) => {
                    prop_assert!(allowed, "apply succeeded where decide refused");
                    prop_assert!(!was_final, "final states never change");
                    prop_assert_eq!(out.from, s.status);
                    prop_assert_eq!(out.state.invariant_violation(), None, "after {:?}", action);
                    s = out.state;
                }
                Err(Rejection::Invalid(_)) => prop_assert!(allowed),
                Err(Rejection::Refused(Refusal::AlreadyAssigned)) if action == Action::Assign && allowed => {}
                // Which fields an edit touches is in the command, not the action.
                Err(Rejection::Refused(Refusal::ApprovedContentFixed | Refusal::CostAwaitingApproval))
                    if action == Action::Edit && allowed => {}
                Err(_) => prop_assert!(!allowed),
            }
        }
    }
}

/// On hold for the requester: the requester or GA may resume it, nobody
/// pauses it twice, and completing or cancelling ends the wait.
#[test]
fn waiting_for_the_requester_pauses_and_resumes() {
    let cast = cast();
    let (requester, agent) = (&cast[0].1, &cast[4].1);
    let s = ticket_in(TicketStatus::InProgress);
    let paused = apply(
        &s,
        agent,
        Command::Pause {
            reason: "Mohon kirim foto kursi yang rusak".into(),
        },
        now(),
    )
    .unwrap();
    assert!(paused.state.paused);
    assert_eq!(paused.to, TicketStatus::InProgress, "the status stays");
    assert_eq!(
        kind(apply(
            &paused.state,
            agent,
            Command::Pause {
                reason: "lagi".into()
            },
            now()
        )),
        Some(ErrorKind::Illegal)
    );
    let resumed = apply(&paused.state, requester, Command::Resume, now()).unwrap();
    assert!(!resumed.state.paused);
    let done = apply(
        &paused.state,
        agent,
        Command::complete(rp(2_400_000), String::new(), None),
        now(),
    )
    .unwrap();
    assert!(!done.state.paused, "completing ends the wait");
    assert_eq!(
        kind(apply(
            &s,
            agent,
            Command::Pause { reason: " ".into() },
            now()
        )),
        Some(ErrorKind::Validation),
        "GA says what it needs"
    );
}
