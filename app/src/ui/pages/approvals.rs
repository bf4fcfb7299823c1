//! The approver's dashboard: what waits for my decision, oldest first, with
//! key figures above and two charts below.
//!
//! Hydration: the queue and the figures are loaded together, once, and
//! shipped in the page under a fixed name (see `PageData`), so the browser
//! starts from exactly what the server rendered instead of fetching again;
//! a fresh fetch while other people decide could render a different list
//! than the server sent. The `Transition`s only read that data and create
//! nothing.

use crate::api::queues::approval_queue;
use crate::api::reports::dashboard_figures;
use crate::api::tickets::act_on_ticket;
use crate::api::ApiError;
use crate::domain::dashboard::ApproverDashboard;
use crate::domain::money::format_idr;
use crate::domain::ticket::lifecycle::Command;
use crate::domain::ticket::TicketSummary;
use crate::domain::FieldErrors;
use crate::i18n::{fill, use_lang, Common};
use crate::i18n::{Localized, Text};
use crate::ui::components::charts::{hours_text, DecisionsChart, SpendChart};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::modal::Modal;
use crate::ui::components::page_data::PageData;
use crate::ui::components::queue::TicketCard;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

/// Everything the page shows, loaded in one go so the figures always agree
/// with the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Approvals {
    queue: Result<Vec<TicketSummary>, ApiError>,
    figures: Result<ApproverDashboard, ApiError>,
}

async fn load() -> Approvals {
    Approvals {
        queue: approval_queue().await,
        figures: dashboard_figures().await,
    }
}

#[component]
fn Figures(d: ApproverDashboard, waiting: i64) -> impl IntoView {
    let lang = use_lang();
    let t = ApprovalsT::of(lang);
    view! {
        <section class="figures" data-test="approver-figures" aria-label=t.figures>
            <div class="figure">
                <span class="figure-value" data-test="fig-waiting">{waiting}</span>
                <span class="figure-label">{t.waiting_for_you}</span>
            </div>
            <div class="figure">
                <span class="figure-value" data-test="fig-approved-amount">{format_idr(d.approved_amount_this_month)}</span>
                <span class="figure-label" data-test="fig-approved-count">{fill(t.approved_this_month, &[&d.approved_this_month])}</span>
            </div>
            <div class="figure">
                <span class="figure-value" data-test="fig-decision-time">
                    {d.avg_decision_hours.map(|h| hours_text(lang, h)).unwrap_or_else(|| "—".into())}
                </span>
                <span class="figure-label">{t.decision_time}</span>
            </div>
        </section>
    }
}

/// An error with a way to try again (once the page is interactive).
#[component]
fn LoadError(error: ApiError, retry: Callback<()>) -> impl IntoView {
    let common = Common::get();
    view! {
        <div class="load-error" role="alert" data-test="load-error">
            <p class="form-error">{error.localized()}</p>
            <button type="button" class="btn" on:click=move |_| retry.run(())>{common.retry}</button>
        </div>
    }
}

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let data = PageData::new("approvals-data", || (), |_| load());
    let t = ApprovalsT::get();
    let common = Common::get();
    let rejecting = RwSignal::new(None::<TicketSummary>);
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let reload = Callback::new(move |_| data.refetch());

    let decide = move |ticket: TicketSummary, command: Command| {
        busy.set(true);
        spawn_local(async move {
            let result = act_on_ticket(ticket.id, ticket.version, command).await;
            busy.set(false);
            match result {
                Ok(done) => {
                    rejecting.set(None);
                    message.set(Some(fill(
                        t.now_status,
                        &[&done.number, &done.status.text().to_lowercase()],
                    )));
                    reload.run(());
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(ApiError::Conflict { .. }) => {
                    rejecting.set(None);
                    message.set(Some(fill(common.changed_meanwhile, &[&ticket.number])));
                    reload.run(());
                }
                Err(e) => message.set(Some(e.localized())),
            }
        });
    };

    view! {
        <Title text=t.title/>
        <div class="page-head"><h1>{t.heading}</h1></div>
        <Transition fallback=move || view! {
            <div class="figures" aria-busy="true">
                <div class="figure skeleton-card skeleton-figure"><span class="sr-only">{common.loading}</span></div>
                <div class="figure skeleton-card skeleton-figure"></div>
                <div class="figure skeleton-card skeleton-figure"></div>
            </div>
        }>
            {data.script()}
            {move || data.get().map(|all| match all.figures {
                Ok(d) => {
                    // The list on screen, when there is one: loaded a moment
                    // apart, the two counts could differ by a new request.
                    let waiting = all.queue.as_ref().map_or(d.waiting_for_me, |q| q.len() as i64);
                    view! { <Figures d waiting/> }.into_any()
                }
                Err(e) => view! { <LoadError error=e retry=reload/> }.into_any(),
            })}
        </Transition>
        {move || message.get().map(|m| view! { <p class="notice" role="status" data-test="notice">{m}</p> })}
        <Transition fallback=move || view! { <div class="skeleton-table" aria-busy="true">{common.loading}</div> }>
            {move || match data.get().map(|d| d.queue) {
                None => view! { <div class="skeleton-table" aria-busy="true">{common.loading}</div> }.into_any(),
                Some(Err(e)) => view! { <LoadError error=e retry=reload/> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! {
                    <section class="empty" data-test="empty-approvals">
                        <h2>{t.nothing_waits}</h2>
                        <p>{t.nothing_waits_hint}</p>
                    </section>
                }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="cards" data-test="approval-queue">
                        {list.into_iter().map(|ticket| {
                            let approve_t = ticket.clone();
                            let reject_t = ticket.clone();
                            view! {
                                <TicketCard ticket>
                                    <button class="btn btn-primary" data-test="approve" disabled=move || busy.get()
                                        on:click=move |_| decide(approve_t.clone(), Command::Approve { note: String::new() })>
                                        {t.approve}
                                    </button>
                                    <button class="btn btn-danger" data-test="reject" disabled=move || busy.get()
                                        on:click=move |_| {
                                            reason.set(String::new());
                                            errors.set(FieldErrors::new());
                                            rejecting.set(Some(reject_t.clone()));
                                        }>
                                        {t.reject}
                                    </button>
                                </TicketCard>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Transition>
        <Transition fallback=|| ()>
            {move || data.get().and_then(|d| d.figures.ok()).map(|d| view! {
                <div class="charts">
                    <section class="card">
                        <h2>{t.spend_heading}</h2>
                        <SpendChart data=d.clone()/>
                    </section>
                    <section class="card">
                        <h2>{t.decisions_heading}</h2>
                        <DecisionsChart data=d/>
                    </section>
                </div>
            })}
        </Transition>
        {move || rejecting.get().map(|ticket| {
            let title = fill(t.reject_title, &[&ticket.number]);
            let submit = move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                decide(ticket.clone(), Command::Reject { reason: reason.get() });
            };
            view! {
                <Modal title test_id="reject-dialog" on_close=Callback::new(move |_| rejecting.set(None))>
                    <form class="form" on:submit=submit novalidate>
                        <div class="field">
                            <label for="r-reason">{t.why_rejected}</label>
                            <textarea id="r-reason" rows="3" bind:value=reason data-test="dialog-text"></textarea>
                            <FieldErrorText errors field="reason"/>
                        </div>
                        <div class="actions">
                            <button type="button" class="btn btn-quiet" on:click=move |_| rejecting.set(None)>{common.back}</button>
                            <button type="submit" class="btn btn-danger" data-test="dialog-confirm" disabled=move || busy.get()>{t.reject}</button>
                        </div>
                    </form>
                </Modal>
            }
        })}
    }
}

crate::texts! {
    ApprovalsT {
        title: "Approvals", "Persetujuan";
        heading: "Waiting for my approval", "Menunggu persetujuan saya";
        figures: "Key figures", "Angka utama";
        waiting_for_you: "waiting for you", "menunggu Anda";
        approved_this_month: "approved by you this month ({0} requests)", "Anda setujui bulan ini ({0} permintaan)";
        decision_time: "from request to your decision, on average (90 days)", "rata-rata dari pengajuan sampai keputusan Anda (90 hari)";
        nothing_waits: "Nothing waits for you", "Tidak ada yang menunggu Anda";
        nothing_waits_hint: "When a request needs your approval it appears here, oldest first.", "Permintaan yang perlu persetujuan Anda muncul di sini, yang terlama lebih dulu.";
        approve: "Approve", "Setujui";
        reject: "Reject", "Tolak";
        reject_title: "Reject {0}", "Tolak {0}";
        why_rejected: "Why is it rejected?", "Mengapa ditolak?";
        now_status: "{0} is now {1}.", "{0} kini {1}.";
        spend_heading: "Approved spend, last 6 months", "Belanja disetujui, 6 bulan terakhir";
        decisions_heading: "My decisions, last 8 weeks", "Keputusan saya, 8 minggu terakhir";
    }
}
