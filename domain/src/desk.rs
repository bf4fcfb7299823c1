//! The GA desk board: its columns, filters and when work is overdue, and
//! the events that keep an open board live.

use crate::errors::{FieldError, FieldErrors};
use crate::ticket::{Category, Priority, TicketStatus, TicketSummary};
use crate::user::UserRef;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The GA desk board's columns, in the order work flows through them.
pub const BOARD_COLUMNS: [TicketStatus; 4] = [
    TicketStatus::Pending,
    TicketStatus::Approved,
    TicketStatus::InProgress,
    TicketStatus::Completed,
];

/// Cards shown per column; the column's total counts them all.
pub const BOARD_CARDS: i64 = 50;

/// A column stops counting past this many tickets and says "1000+": every
/// ticket change reloads every open board, so a count must cost an index
/// walk of bounded length, never a scan of a status with 100 000 rows. A
/// desk that far behind needs no exact number to know it.
pub const BOARD_COUNT_CAP: i64 = 1000;

/// Whose work the board shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssigneeFilter {
    #[default]
    Anyone,
    Me,
    Unassigned,
    Person(Uuid),
}

/// The board's filters, as given in the address (`/desk?category=…`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoardFilter {
    pub category: Option<Category>,
    pub priority: Option<Priority>,
    pub assignee: AssigneeFilter,
    pub overdue: bool,
}

impl BoardFilter {
    /// Reads the filters from their address form; an empty value means no
    /// filter, anything unknown is refused field by field.
    pub fn parse(
        category: &str,
        priority: &str,
        assignee: &str,
        overdue: &str,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut filter = BoardFilter::default();
        match category.trim() {
            "" => {}
            c => match c.parse() {
                Ok(c) => filter.category = Some(c),
                Err(e) => errors.add("category", e),
            },
        }
        match priority.trim() {
            "" => {}
            p => match p.parse() {
                Ok(p) => filter.priority = Some(p),
                Err(e) => errors.add("priority", e),
            },
        }
        filter.assignee = match assignee.trim() {
            "" => AssigneeFilter::Anyone,
            "me" => AssigneeFilter::Me,
            "unassigned" => AssigneeFilter::Unassigned,
            a => match Uuid::parse_str(a) {
                Ok(id) => AssigneeFilter::Person(id),
                Err(_) => {
                    errors.add("assignee", FieldError::AssigneeFilter);
                    AssigneeFilter::Anyone
                }
            },
        };
        match overdue.trim() {
            "" | "false" => {}
            "true" => filter.overdue = true,
            _ => errors.add("overdue", FieldError::NotTrueOrFalse),
        }
        errors.into_result(filter)
    }

    /// Whether any filter narrows the board.
    pub fn is_narrowed(&self) -> bool {
        *self != BoardFilter::default()
    }
}

fn can_be_late(status: TicketStatus) -> bool {
    !matches!(
        status,
        TicketStatus::Completed | TicketStatus::Closed | TicketStatus::Rejected
    )
}

/// One card on the board: the ticket and what the desk needs to decide
/// which buttons it offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardCard {
    pub ticket: TicketSummary,
    pub assignee_id: Option<Uuid>,
    pub overdue: bool,
}

/// A column: every ticket in one status that passes the filters, counted,
/// with the oldest [`BOARD_CARDS`] of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardColumn {
    pub status: TicketStatus,
    /// Every ticket in the column, up to [`BOARD_COUNT_CAP`].
    pub total: i64,
    /// False when there are more than [`BOARD_COUNT_CAP`].
    pub counted_all: bool,
    pub cards: Vec<BoardCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Board {
    /// Pending, approved, in progress, completed.
    pub columns: Vec<BoardColumn>,
    /// GA staff, whom the assignee filter offers.
    pub assignees: Vec<UserRef>,
}

/// The columns a filter can match: completed work is never overdue.
pub fn board_statuses(filter: &BoardFilter) -> Vec<TicketStatus> {
    BOARD_COLUMNS
        .into_iter()
        .filter(|s| !filter.overdue || can_be_late(*s))
        .collect()
}

/// What the desk hears about tickets: enough to know the board is out of
/// date, nothing a GA agent could not read anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TicketEvent {
    /// A ticket was created or changed and is now at `version`.
    Changed {
        id: Uuid,
        status: TicketStatus,
        version: i32,
    },
    /// Events may have been missed (the listener reconnected, or a reader
    /// fell behind): load the board again.
    Resync,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_filters_from_the_address() {
        assert_eq!(
            BoardFilter::parse("", "", "", ""),
            Ok(BoardFilter::default())
        );
        let id = Uuid::now_v7();
        let f = BoardFilter::parse("pantry_supplies", "high", &id.to_string(), "true").unwrap();
        assert_eq!(f.category, Some(Category::PantrySupplies));
        assert_eq!(f.priority, Some(Priority::High));
        assert_eq!(f.assignee, AssigneeFilter::Person(id));
        assert!(f.overdue && f.is_narrowed());
        assert_eq!(
            BoardFilter::parse("", "", "me", "false").unwrap().assignee,
            AssigneeFilter::Me
        );
        assert_eq!(
            BoardFilter::parse("", "", "unassigned", "")
                .unwrap()
                .assignee,
            AssigneeFilter::Unassigned
        );
    }

    #[test]
    fn refuses_unknown_filters_by_field() {
        let e = BoardFilter::parse("snacks", "urgent", "bob", "yes").unwrap_err();
        for field in ["category", "priority", "assignee", "overdue"] {
            assert!(e.get(field).is_some(), "{field}: {e:?}");
        }
    }

    #[test]
    fn completed_work_is_never_in_the_overdue_filter() {
        let overdue = BoardFilter {
            overdue: true,
            ..BoardFilter::default()
        };
        assert_eq!(board_statuses(&overdue).len(), 3);
        assert_eq!(board_statuses(&BoardFilter::default()).len(), 4);
    }

    #[test]
    fn events_are_small_json() {
        let id = Uuid::nil();
        let json = serde_json::to_value(TicketEvent::Changed {
            id,
            status: TicketStatus::Approved,
            version: 3,
        })
        .unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "changed", "id": id, "status": "approved", "version": 3})
        );
    }
}
