//! Use cases over PostgreSQL: one function per command or query. Services
//! know nothing of HTTP or Leptos; both the server functions and the REST
//! handlers call them, so every rule has one implementation.

pub mod activity;
pub mod assets;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod bookings;
pub mod cursor;
pub mod dashboard;
pub mod decision_links;
pub mod delegations;
pub mod error;
pub mod explain;
pub mod jobs;
pub mod labels;
pub mod lifecycle;
pub mod limits;
pub mod notifications;
pub mod outbox;
pub mod passwords;
pub mod policy;
pub mod preferences;
pub mod queues;
pub mod reports;
pub mod search;
pub mod service_levels;
pub mod sessions;
pub mod sites;
pub mod stock;
pub mod tickets;
pub mod tokens;
pub mod users;
pub mod webhooks;

pub use error::ServiceError;

pub type Db = sqlx::PgPool;
