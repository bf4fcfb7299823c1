//! The GA desk: triage, approved but unassigned, my work, all in progress.

use crate::api::queues::{desk, DeskData};
use crate::api::tickets::act_on_ticket;
use crate::api::ApiError;
use crate::domain::ticket::lifecycle::Command;
use crate::domain::ticket::{TicketStatus, TicketSummary};
use crate::domain::{FieldErrors, Money};
use crate::ui::components::field::FieldError;
use crate::ui::components::modal::Modal;
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

    let completing = RwSignal::new(None::<TicketSummary>);
    let cost = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let cost_error = RwSignal::new(FieldErrors::new());

    let column = move |title: &'static str,
                       test: &'static str,
                       empty: &'static str,
                       list: Vec<TicketSummary>,
                       mine: bool| {
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
                        let complete = (mine && t.status == TicketStatus::InProgress).then(|| t.clone());
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
                                {complete.map(|t| view! {
                                    <button class="btn btn-primary" data-test="complete" disabled=move || busy.get()
                                        on:click=move |_| {
                                            cost.set(t.estimated_total.format().trim_start_matches("Rp ").to_string());
                                            note.set(String::new());
                                            cost_error.set(FieldErrors::new());
                                            completing.set(Some(t.clone()));
                                        }>"Complete"</button>
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
                        {column("To triage", "desk-triage", "No new requests.", triage, false)}
                        {column("Approved, unassigned", "desk-unassigned", "Everything approved has someone on it.", unassigned, false)}
                        {column("Assigned to me", "desk-mine", "Nothing assigned to you.", mine, true)}
                        {column("In progress", "desk-progress", "Nothing in progress.", in_progress, false)}
                    </div>
                }.into_any(),
            })}
        </Transition>
        {move || completing.get().map(|t| {
            let title = format!("Complete {}", t.number);
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                match Money::parse_input(&cost.get()) {
                    Ok(actual_cost) => {
                        completing.set(None);
                        run(t.clone(), Command::Complete { actual_cost, note: note.get(), asset_id: None });
                    }
                    Err(e) => cost_error.set(FieldErrors::single("actual_cost", e.to_string())),
                }
            };
            view! {
                <Modal title test_id="complete-dialog" on_close=Callback::new(move |_| completing.set(None))>
                    <form class="form" on:submit=submit novalidate>
                        <div class="field">
                            <label for="dc-cost">"Actual cost (Rp)"</label>
                            <input id="dc-cost" type="text" inputmode="decimal" bind:value=cost data-test="dialog-cost"/>
                            <FieldError errors=cost_error field="actual_cost"/>
                        </div>
                        <div class="field">
                            <label for="dc-note">"What was done? (optional)"</label>
                            <textarea id="dc-note" rows="3" bind:value=note data-test="dialog-text"></textarea>
                        </div>
                        <div class="actions">
                            <button type="button" class="btn btn-quiet" on:click=move |_| completing.set(None)>"Back"</button>
                            <button type="submit" class="btn btn-primary" data-test="dialog-confirm">"Complete"</button>
                        </div>
                    </form>
                </Modal>
            }
        })}
    }
}
