//! What clients see of a ticket.

use super::kinds::{Category, Priority, Resolution, TicketStatus};
use crate::domain::money::Money;
use crate::domain::user::UserRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A row of a ticket list: everything a list shows, in one query.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketSummary {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub category: Category,
    pub priority: Priority,
    pub status: TicketStatus,
    pub estimated_total: Money,
    pub requester_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketItem {
    pub line_no: i32,
    pub name: String,
    pub quantity: u32,
    pub unit: String,
    pub unit_price: Money,
    pub line_total: Money,
}

/// A whole ticket with its items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub description: String,
    pub category: Category,
    pub priority: Priority,
    pub location: String,
    pub status: TicketStatus,
    pub resolution: Option<Resolution>,
    pub requester: UserRef,
    pub assignee: Option<UserRef>,
    pub items: Vec<TicketItem>,
    pub estimated_total: Money,
    pub actual_total: Option<Money>,
    pub due_date: Option<NaiveDate>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
