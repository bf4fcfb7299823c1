//! Pure business rules. No I/O, no database, no HTTP: this module compiles
//! for the browser too, so the UI and the server apply the very same rules.

#[macro_use]
mod macros;

pub mod approval;
pub mod asset;
pub mod dashboard;
pub mod email;
pub mod errors;
pub mod money;
pub mod page;
pub mod role;
pub mod stock;
pub mod ticket;
pub mod user;

pub use email::Email;
pub use errors::FieldErrors;
pub use money::Money;
pub use page::Page;
pub use role::{Permission, Role};
pub use user::{Actor, NewUserInput, UserRef, UserUpdate};
