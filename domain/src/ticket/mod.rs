//! Tickets: what an employee asks GA for.

mod draft;
mod kinds;
pub mod lifecycle;
pub mod query;
mod view;

pub use draft::{ItemDraft, NewItem, NewTicket, TicketDraft, TicketPatch, MAX_ITEMS, MAX_QUANTITY};
pub use kinds::{Category, Priority, Resolution, TicketStatus};
pub use view::{
    ApprovalView, Comment, HistoryEntry, Notification, ServiceLevels, SiteRef, SplitTicket,
    TicketDetail, TicketItem, TicketSummary,
};
