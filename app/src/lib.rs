#![recursion_limit = "256"]
//! GA Desk: the shared crate, compiled for the server (`ssr`) and for the
//! browser (`hydrate`).

pub mod api;
pub mod domain;
pub mod i18n;
#[cfg(feature = "ssr")]
pub mod services;
#[cfg(feature = "ssr")]
pub mod state;
pub mod ui;
#[cfg(feature = "ssr")]
pub mod web;

pub use ui::{shell, App};
