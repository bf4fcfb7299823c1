//! The approver's queue: what waits for my decision, oldest first.

use crate::api::queues::approval_queue;
use crate::api::tickets::act_on_ticket;
use crate::api::ApiError;
use crate::domain::ticket::lifecycle::Command;
use crate::domain::ticket::TicketSummary;
use crate::domain::FieldErrors;
use crate::ui::components::field::FieldError;
use crate::ui::components::modal::Modal;
use crate::ui::components::queue::TicketCard;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let queue = Resource::new(|| (), |_| approval_queue());
    let rejecting = RwSignal::new(None::<TicketSummary>);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let decide = move |ticket: TicketSummary, command: Command| {
        busy.set(true);
        spawn_local(async move {
            let result = act_on_ticket(ticket.id, ticket.version, command).await;
            busy.set(false);
            match result {
                Ok(t) => {
                    rejecting.set(None);
                    message.set(Some(format!(
                        "{} is now {}.",
                        t.number,
                        t.status.label().to_lowercase()
                    )));
                    queue.refetch();
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(ApiError::Conflict { .. }) => {
                    rejecting.set(None);
                    message.set(Some(format!(
                        "{} was changed by someone else meanwhile; the list is refreshed.",
                        ticket.number
                    )));
                    queue.refetch();
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };

    view! {
        <Title text="Approvals"/>
        <div class="page-head"><h1>"Waiting for my approval"</h1></div>
        {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
        <Transition fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading…"</div> }>
            {move || queue.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(list) if list.is_empty() => view! {
                    <section class="empty" data-test="empty-approvals">
                        <h2>"Nothing waits for you"</h2>
                        <p>"When a request needs your approval it appears here, oldest first."</p>
                    </section>
                }.into_any(),
                Ok(list) => view! {
                    <ul class="cards" data-test="approval-queue">
                        {list.into_iter().map(|t| {
                            let approve_t = t.clone();
                            let reject_t = t.clone();
                            view! {
                                <TicketCard ticket=t>
                                    <button class="btn btn-primary" data-test="approve" disabled=move || busy.get()
                                        on:click=move |_| decide(approve_t.clone(), Command::Approve { note: String::new() })>
                                        "Approve"
                                    </button>
                                    <button class="btn btn-danger" data-test="reject" disabled=move || busy.get()
                                        on:click=move |_| {
                                            reason.set(String::new());
                                            errors.set(FieldErrors::new());
                                            rejecting.set(Some(reject_t.clone()));
                                        }>
                                        "Reject"
                                    </button>
                                </TicketCard>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Transition>
        {move || rejecting.get().map(|t| {
            let title = format!("Reject {}", t.number);
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                decide(t.clone(), Command::Reject { reason: reason.get() });
            };
            view! {
                <Modal title test_id="reject-dialog" on_close=Callback::new(move |_| rejecting.set(None))>
                    <form class="form" on:submit=submit novalidate>
                        <div class="field">
                            <label for="r-reason">"Why is it rejected?"</label>
                            <textarea id="r-reason" rows="3" bind:value=reason data-test="dialog-text"></textarea>
                            <FieldError errors field="reason"/>
                        </div>
                        <div class="actions">
                            <button type="button" class="btn btn-quiet" on:click=move |_| rejecting.set(None)>"Back"</button>
                            <button type="submit" class="btn btn-danger" data-test="dialog-confirm" disabled=move || busy.get()>"Reject"</button>
                        </div>
                    </form>
                </Modal>
            }
        })}
    }
}
