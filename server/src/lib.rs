//! The `gadesk` server: configuration, router, REST API and middleware.

pub mod config;
pub mod decide;
pub mod delivery;
pub mod events;
pub mod forms;
pub mod metrics;
pub mod middleware;
pub mod oidc;
pub mod openapi;
pub mod rest;
pub mod router;
pub mod seed;
pub mod serve;

pub use router::{build_router, RouterOptions};
