//! Tickets: what an employee asks GA for.

mod draft;
mod kinds;
pub mod lifecycle;
mod view;

pub use draft::{ItemDraft, NewItem, NewTicket, TicketDraft, MAX_ITEMS, MAX_QUANTITY};
pub use kinds::{Category, Priority, Resolution, TicketStatus};
pub use view::{TicketDetail, TicketItem, TicketSummary};
