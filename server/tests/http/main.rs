//! Every test that needs PostgreSQL, in one binary so the app is linked
//! once: services called directly, and HTTP through the real router.
//! Each test gets its own database (`#[sqlx::test]`).

mod common;

mod admin;
mod api;
mod attachments;
mod bookings;
mod controls;
mod dashboard;
mod desk;
mod inventory;
mod lifecycle;
mod lists;
mod messages;
mod notify;
mod pages;
mod plans;
mod reports_ui;
mod security;
mod service_levels;
mod ticket_services;
mod user_services;
