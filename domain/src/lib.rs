//! GA Desk's pure rules and the words for what they decide. No I/O, no
//! database, no HTTP, no UI framework: this crate compiles for the browser
//! too, so the UI and the server apply the very same rules, and it cannot
//! reach the page it is shown on (the language is always a parameter).

#[macro_use]
pub mod message;
#[macro_use]
mod macros;

pub mod approval;
pub mod asset;
pub mod attachment;
pub mod booking;
pub mod dashboard;
pub mod desk;
pub mod email;
pub mod errors;
pub mod events;
pub mod holidays;
pub mod lang;
pub mod money;
pub mod outgoing;
pub mod page;
pub mod refusal;
pub mod report;
pub mod role;
pub mod service_level;
pub mod site;
pub mod stock;
pub mod ticket;
pub mod user;
pub mod working_time;

pub use email::Email;
pub use errors::{FieldError, FieldErrors};
pub use lang::{Lang, Zone};
pub use macros::Label;
pub use message::{Arg, ErrorKind};
pub use money::Money;
pub use page::Page;
pub use refusal::{Current, Refusal};
pub use role::{Permission, Role};
pub use user::{Actor, NewUserInput, UserAccount, UserRef, UserUpdate};
