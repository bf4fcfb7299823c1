#![recursion_limit = "256"]
//! GA Desk: the shared crate, compiled for the server (`ssr`) and for the
//! browser (`hydrate`).

pub mod api;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod outgoing;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod state;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod web;

pub use ui::{shell, App};

/// The pure rules live in their own crate, so they cannot reach the page,
/// the database or HTTP; the rest of the app names them `crate::domain`.
pub use domain;
