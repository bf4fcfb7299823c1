//! Ticket cards for work queues (approvals, desk).

use crate::domain::dashboard::{compact, sla, Compact, SlaState};
use crate::domain::service_level::DueState;
use crate::domain::ticket::TicketSummary;
use crate::domain::working_time::{Amount, TimeLeft};
use crate::i18n::Text;
use crate::i18n::{fill, Lang};
use crate::ui::components::badges::{PriorityBadge, StatusBadge};
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// "3 h", "2 d": a compact duration in the page's language.
pub fn compact_text(lang: Lang, minutes: i64) -> String {
    let t = QueueT::of(lang);
    match compact(minutes) {
        Compact::Minutes(m) => fill(t.minutes, &[&m]),
        Compact::Hours(h) => fill(t.hours, &[&h]),
        Compact::Days(d) => fill(t.days, &[&d]),
    }
}

/// The service level as words and a class: the words carry the meaning,
/// the colour only repeats it.
pub fn sla_text(lang: Lang, since: DateTime<Utc>, now: DateTime<Utc>) -> (String, &'static str) {
    let t = QueueT::of(lang);
    let s = sla(since, now);
    let time = compact_text(lang, s.minutes);
    match s.state {
        SlaState::Ok => (fill(t.due_in, &[&time]), "sla sla-ok"),
        SlaState::Soon => (fill(t.due_in, &[&time]), "sla sla-soon"),
        SlaState::Late => (fill(t.overdue, &[&time]), "sla sla-late"),
    }
}

/// A ticket's service level on its site's working time, as words and a
/// class: overdue, due within two working hours, or comfortably ahead.
pub fn due_text(lang: Lang, due: DueState) -> (String, &'static str) {
    let class = match due {
        DueState::Paused => "sla sla-paused",
        DueState::Running {
            left: TimeLeft::Overdue(_),
            ..
        } => "sla sla-late",
        DueState::Running {
            left: TimeLeft::Due(Amount::Minutes(_) | Amount::Hours(0..=2)),
            ..
        } => "sla sla-soon",
        DueState::Running { .. } => "sla sla-ok",
    };
    (due.text().render(lang), class)
}

#[component]
pub fn TicketCard(ticket: TicketSummary, children: Children) -> impl IntoView {
    let lang = crate::i18n::use_lang();
    let t = QueueT::of(lang);
    let now = Utc::now();
    let href = format!("/tickets/{}", ticket.id);
    let age = (now - ticket.created_at).num_minutes();
    let (sla_words, sla_class) = match ticket.due {
        Some(due) => due_text(lang, due),
        None => sla_text(lang, ticket.created_at, now),
    };
    view! {
        <li class="ticket-card" data-test="queue-item" data-ticket=ticket.id.to_string()>
            <div class="card-top">
                <a href=href data-test="ticket-number">{ticket.number.clone()}</a>
                <StatusBadge status=ticket.status/>
            </div>
            <p class="card-title" data-test="ticket-title">{ticket.title.clone()}</p>
            <p class="card-meta">
                <span>{ticket.requester_name.clone()}</span>
                " · " <span>{ticket.category.text()}</span>
                " · " <PriorityBadge priority=ticket.priority/>
            </p>
            <div class="card-bottom">
                <strong class="amount" data-test="ticket-total">{ticket.estimated_total.to_string()}</strong>
                <span class="card-age muted" data-test="ticket-age">{fill(t.requested, &[&compact_text(lang, age)])}</span>
            </div>
            <p class="card-sla">
                <span class=sla_class data-test="sla" title=t.sla_title>{sla_words}</span>
            </p>
            {ticket.assignee_name.clone().map(|a| view! { <p class="card-meta">{t.assigned_to} {a}</p> })}
            <div class="card-actions">{children()}</div>
        </li>
    }
}

crate::texts! {
    QueueT {
        requested: "Requested {0} ago", "Diajukan {0} lalu";
        due_in: "Due in {0}", "Tenggat {0} lagi";
        overdue: "Overdue {0}", "Terlambat {0}";
        sla_title: "Service level: the next step's target, in working time of the request's site", "Target layanan: tenggat langkah berikutnya, dalam jam kerja lokasi permintaan";
        minutes: "{0} min", "{0} menit";
        hours: "{0} h", "{0} jam";
        days: "{0} d", "{0} hari";
        assigned_to: "Assigned to ", "Ditugaskan ke ";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn ages_and_service_level_in_words() {
        let now = Utc::now();
        assert_eq!(compact_text(Lang::En, 5), "5 min");
        assert_eq!(compact_text(Lang::Id, 5 * 60), "5 jam");
        assert_eq!(compact_text(Lang::En, 3 * 1440), "3 d");
        assert_eq!(
            sla_text(Lang::En, now - Duration::hours(45), now),
            ("Due in 3 h".to_string(), "sla sla-soon")
        );
        assert_eq!(
            sla_text(Lang::En, now - Duration::hours(1), now),
            ("Due in 1 d".to_string(), "sla sla-ok")
        );
        assert_eq!(
            sla_text(Lang::Id, now - Duration::days(4), now),
            ("Terlambat 2 hari".to_string(), "sla sla-late")
        );
    }
}
