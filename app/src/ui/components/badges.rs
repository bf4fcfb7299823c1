use crate::domain::ticket::{Priority, TicketStatus};
use crate::i18n::Text;
use leptos::prelude::*;

/// Status as text plus colour: colour is never the only signal.
#[component]
pub fn StatusBadge(status: TicketStatus) -> impl IntoView {
    view! {
        <span class=format!("badge status-{}", status.as_str()) data-test="status">
            {status.text()}
        </span>
    }
}

#[component]
pub fn PriorityBadge(priority: Priority) -> impl IntoView {
    view! {
        <span class=format!("priority priority-{}", priority.as_str()) data-test="priority">
            {priority.text()}
        </span>
    }
}
