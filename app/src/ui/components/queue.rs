//! Ticket cards for work queues (approvals, desk).

use crate::domain::ticket::TicketSummary;
use crate::ui::components::badges::{PriorityBadge, StatusBadge};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// "3 hours", "2 days": how long a ticket has been waiting.
pub fn age(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let minutes = (now - since).num_minutes().max(0);
    match minutes {
        0..=59 => format!("{minutes} min"),
        60..=1439 => format!("{} h", minutes / 60),
        _ => format!("{} d", minutes / 1440),
    }
}

/// Waiting more than 2 days is late, more than 1 day needs attention.
pub fn sla_class(since: DateTime<Utc>, now: DateTime<Utc>) -> &'static str {
    match (now - since).num_hours() {
        h if h >= 48 => "sla sla-late",
        h if h >= 24 => "sla sla-soon",
        _ => "sla sla-ok",
    }
}

#[component]
pub fn TicketCard(ticket: TicketSummary, children: Children) -> impl IntoView {
    let now = Utc::now();
    let href = format!("/tickets/{}", ticket.id);
    view! {
        <li class="ticket-card" data-test="queue-item" data-ticket=ticket.id.to_string()>
            <div class="card-top">
                <a href=href data-test="ticket-number">{ticket.number.clone()}</a>
                <StatusBadge status=ticket.status/>
            </div>
            <p class="card-title" data-test="ticket-title">{ticket.title.clone()}</p>
            <p class="card-meta">
                <span>{ticket.requester_name.clone()}</span>
                " · " <span>{ticket.category.label()}</span>
                " · " <PriorityBadge priority=ticket.priority/>
            </p>
            <div class="card-bottom">
                <strong class="amount" data-test="ticket-total">{ticket.estimated_total.to_string()}</strong>
                <span class=sla_class(ticket.created_at, now) title="Time since the request was made">
                    {format!("waiting {}", age(ticket.created_at, now))}
                </span>
            </div>
            {ticket.assignee_name.clone().map(|a| view! { <p class="card-meta">"Assigned to " {a}</p> })}
            <div class="card-actions">{children()}</div>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn ages_and_sla() {
        let now = Utc::now();
        assert_eq!(age(now - Duration::minutes(5), now), "5 min");
        assert_eq!(age(now - Duration::hours(5), now), "5 h");
        assert_eq!(age(now - Duration::days(3), now), "3 d");
        assert_eq!(sla_class(now - Duration::hours(1), now), "sla sla-ok");
        assert_eq!(sla_class(now - Duration::hours(30), now), "sla sla-soon");
        assert_eq!(sla_class(now - Duration::days(3), now), "sla sla-late");
    }
}
