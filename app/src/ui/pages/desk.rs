//! The GA desk: triage, approved but unassigned, my work, all in progress.

use crate::api::queues::{desk, DeskData};
use crate::api::tickets::act_on_ticket;
use crate::api::ApiError;
use crate::domain::ticket::lifecycle::Command;
use crate::domain::ticket::{TicketStatus, TicketSummary};
use crate::ui::components::queue::TicketCard;
use crate::ui::CurrentUser;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

#[component]
pub fn DeskPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| desk());
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let run = move |ticket: TicketSummary, command: Command| {
        busy.set(true);
        spawn_local(async move {
            let result = act_on_ticket(ticket.id, ticket.version, command).await;
            busy.set(false);
            match result {
                Ok(t) => message.set(Some(format!(
                    "{}: {}.",
                    t.number,
                    t.status.label().to_lowercase()
                ))),
                Err(ApiError::Conflict { .. }) => message.set(Some(format!(
                    "{} was changed by someone else meanwhile; the board is refreshed.",
                    ticket.number
                ))),
                Err(e) => message.set(Some(format!("{}: {e}", ticket.number))),
            }
            data.refetch();
        });
    };

    let column = move |title: &'static str,
                       test: &'static str,
                       empty: &'static str,
                       list: Vec<TicketSummary>| {
        let me = user.get_untracked().flatten().map(|a| a.id);
        view! {
            <section class="desk-column" data-test=test>
                <h2>{title} " " <span class="count">{list.len()}</span></h2>
                {list.is_empty().then(|| view! { <p class="muted">{empty}</p> })}
                <ul class="cards">
                    {list.into_iter().map(|t| {
                        let accept = (t.status == TicketStatus::Pending).then(|| t.clone());
                        let take = (t.assignee_name.is_none()).then(|| t.clone());
                        let start = (t.status == TicketStatus::Approved && t.assignee_name.is_some()).then(|| t.clone());
                        view! {
                            <TicketCard ticket=t>
                                {accept.map(|t| view! {
                                    <button class="btn btn-primary" data-test="accept" disabled=move || busy.get()
                                        on:click=move |_| run(t.clone(), Command::Accept)>"Accept"</button>
                                })}
                                {take.zip(me).map(|(t, me)| view! {
                                    <button class="btn" data-test="assign-me" disabled=move || busy.get()
                                        on:click=move |_| run(t.clone(), Command::Assign { assignee_id: me })>"Assign to me"</button>
                                })}
                                {start.map(|t| view! {
                                    <button class="btn btn-primary" data-test="start" disabled=move || busy.get()
                                        on:click=move |_| run(t.clone(), Command::Start)>"Start work"</button>
                                })}
                            </TicketCard>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    };

    view! {
        <Title text="GA desk"/>
        <div class="page-head"><h1>"GA desk"</h1></div>
        {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
        <Transition fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading…"</div> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(DeskData { triage, unassigned, mine, in_progress }) => view! {
                    <div class="desk">
                        {column("To triage", "desk-triage", "No new requests.", triage)}
                        {column("Approved, unassigned", "desk-unassigned", "Everything approved has someone on it.", unassigned)}
                        {column("Assigned to me", "desk-mine", "Nothing assigned to you.", mine)}
                        {column("In progress", "desk-progress", "Nothing in progress.", in_progress)}
                    </div>
                }.into_any(),
            })}
        </Transition>
    }
}
