pub mod admin;
pub mod approvals;
pub mod desk;
pub mod login;
pub mod my_requests;
pub mod new_ticket;
pub mod not_found;
pub mod ticket;
