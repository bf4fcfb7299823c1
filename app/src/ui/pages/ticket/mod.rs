//! One ticket: its facts and items, the actions the user may take now,
//! approvals, timeline and comments.

mod actions;
mod edit;
mod texts;
mod timeline;

use crate::api::tickets::{act_on_ticket, edit_ticket, ticket_page, TicketPageData};
use crate::api::ApiError;
use crate::domain::attachment::Owner;
use crate::domain::service_level::DueState;
use crate::domain::ticket::lifecycle::{Action, Command};
use crate::domain::ticket::{TicketDetail, TicketPatch};
use crate::domain::{Actor, Current, FieldErrors, Refusal};
use crate::i18n::{fill, use_lang, Common};
use crate::i18n::{Localized, Text};
use crate::ui::components::badges::{PriorityBadge, StatusBadge};
use crate::ui::components::files::FilesCard;
use crate::ui::format::date_time;
use crate::ui::pages::not_found::NotFound;
use crate::ui::CurrentUser;
use actions::{ActionBar, ActionDialog};
use edit::{ConflictDialog, EditForm};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use texts::TicketT;
use timeline::{Approvals, Comments, Timeline};
use uuid::Uuid;

/// What to send again after a conflict.
#[derive(Debug, Clone)]
enum Retry {
    Act(Command),
    Edit(TicketPatch),
}

#[derive(Debug, Clone)]
struct Conflict {
    seen: TicketDetail,
    current: TicketDetail,
    retry: Retry,
}

/// State shared by the parts of the ticket page.
#[derive(Clone, Copy)]
struct Ctx {
    data: Resource<Result<TicketPageData, ApiError>>,
    actor: Signal<Option<Actor>>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    notice: RwSignal<Option<String>>,
    conflict: RwSignal<Option<Conflict>>,
    dialog: RwSignal<Option<Action>>,
    dialog_errors: RwSignal<FieldErrors>,
    editing: RwSignal<bool>,
}

impl Ctx {
    fn failed(&self, seen: TicketDetail, retry: Retry, e: ApiError) {
        match e {
            ApiError::Conflict {
                current: Some(Current::Ticket(current)),
                ..
            } => self.conflict.set(Some(Conflict {
                seen,
                current: *current,
                retry,
            })),
            ApiError::Validation(f) => self.dialog_errors.set(f),
            // Not a stale version but something missing (stock, an asset):
            // close the dialog and say what.
            ApiError::Conflict { reason, .. } => {
                self.dialog.set(None);
                self.error.set(Some(reason.render(use_lang())));
            }
            other => self.error.set(Some(other.localized())),
        }
    }

    fn succeeded(&self, notice: Option<String>) {
        self.error.set(None);
        self.dialog.set(None);
        self.dialog_errors.set(FieldErrors::new());
        self.conflict.set(None);
        self.notice.set(notice);
        self.data.refetch();
    }

    fn act(self, seen: TicketDetail, command: Command) {
        self.busy.set(true);
        spawn_local(async move {
            let result = act_on_ticket(seen.id, seen.version, command.clone()).await;
            self.busy.set(false);
            match result {
                Ok(_) => self.succeeded(None),
                Err(e) => self.failed(seen, Retry::Act(command), e),
            }
        });
    }

    fn edit(self, seen: TicketDetail, patch: TicketPatch) {
        let t = TicketT::get();
        self.busy.set(true);
        spawn_local(async move {
            let result = edit_ticket(seen.id, patch.clone()).await;
            self.busy.set(false);
            match result {
                Ok(r) => {
                    self.editing.set(false);
                    self.succeeded(r.merged.then(|| t.merged.to_string()));
                }
                Err(e) => self.failed(seen, Retry::Edit(patch), e),
            }
        });
    }
}

#[component]
pub fn TicketPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => ticket_page(id).await,
            None => Err(ApiError::Refused(Refusal::NotFound)),
        }
    });
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let ctx = Ctx {
        data,
        actor: Signal::derive(move || user.get().flatten()),
        busy: RwSignal::new(false),
        error: RwSignal::new(None),
        notice: RwSignal::new(None),
        conflict: RwSignal::new(None),
        dialog: RwSignal::new(None),
        dialog_errors: RwSignal::new(FieldErrors::new()),
        editing: RwSignal::new(false),
    };
    provide_context(ctx);
    let t = TicketT::get();
    let c = Common::get();

    view! {
        <Transition fallback=move || view! { <TicketSkeleton label=t.loading/> }>
            {move || data.get().map(|result| match result {
                Ok(page) => view! { <TicketView page/> }.into_any(),
                Err(ApiError::Refused(Refusal::NotFound)) => {
                    #[cfg(feature = "ssr")]
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.set_status(http::StatusCode::NOT_FOUND);
                    }
                    view! { <NotFound/> }.into_any()
                }
                Err(e) => view! {
                    <section class="empty" role="alert" data-test="ticket-error">
                        <h2>{t.load_failed}</h2>
                        <p>{e.localized()}</p>
                        <button type="button" class="btn" data-test="retry" on:click=move |_| data.refetch()>
                            {c.retry}
                        </button>
                    </section>
                }.into_any(),
            })}
        </Transition>
        <ConflictDialog/>
    }
}

/// Grey blocks shaped like a ticket (number, title, facts, items), while
/// it loads.
#[component]
fn TicketSkeleton(label: &'static str) -> impl IntoView {
    view! {
        <div class="skeleton skeleton-ticket" aria-busy="true" role="status" data-test="skeleton">
            <span class="sr-only">{label}</span>
            <span class="skeleton-bar short" aria-hidden="true"></span>
            <span class="skeleton-bar heading" aria-hidden="true"></span>
            <div class="skeleton-facts" aria-hidden="true">
                {(0..6).map(|_| view! { <span class="skeleton-bar"></span> }).collect_view()}
            </div>
            {(0..3).map(|_| view! { <span class="skeleton-bar field" aria-hidden="true"></span> }).collect_view()}
        </div>
    }
}

#[component]
fn TicketView(page: TicketPageData) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tx = TicketT::get();
    let t = page.ticket.clone();
    let waiting_for = t.awaiting_level.map(|level| {
        let who = match (&t.awaiting_approver, &t.awaiting_delegate) {
            (Some(a), Some(d)) => fill(tx.decides_for, &[&a.name, &d.name]),
            (Some(a), None) => a.name.clone(),
            _ => tx.any_approver.into(),
        };
        fill(tx.level_of, &[&level, &t.required_levels, &who])
    });
    let lang = use_lang();
    let service = t.service.now.map(|due| {
        let words = due.text().render(lang);
        match due {
            DueState::Running { due_at, .. } => (
                fill(tx.due_at, &[&words, &date_time(due_at)]),
                due.overdue(),
            ),
            DueState::Paused => (words, false),
        }
    });
    view! {
        <Title text=format!("{} {}", t.number, t.title)/>
        <article class="ticket" data-test="ticket">
            <header class="ticket-head">
                <div>
                    <p class="ticket-number" data-test="ticket-number">{t.number.clone()}</p>
                    <h1 data-test="ticket-title">{t.title.clone()}</h1>
                </div>
                <StatusBadge status=t.status/>
            </header>
            {move || ctx.notice.get().map(|n| view! { <p class="notice" role="status" data-test="notice">{n}</p> })}
            {move || ctx.error.get().map(|e| view! { <p class="form-error" role="alert" data-test="action-error">{e}</p> })}
            <CostAndSplit ticket=t.clone()/>
            <ActionBar ticket=t.clone() assignees=page.assignees.clone()/>
            {
                let editable = page.ticket.clone();
                move || ctx.editing.get().then(|| view! { <EditForm ticket=editable.clone()/> })
            }
            <dl class="facts">
                <div><dt>{tx.category}</dt><dd data-test="ticket-category">{t.category.text()}</dd></div>
                <div><dt>{tx.priority}</dt><dd><PriorityBadge priority=t.priority/></dd></div>
                <div><dt>{tx.location}</dt><dd data-test="ticket-location">{t.location.clone()}</dd></div>
                <div><dt>{tx.requester}</dt><dd data-test="ticket-requester">{t.requester.name.clone()}</dd></div>
                <div><dt>{tx.assignee}</dt><dd data-test="ticket-assignee">{t.assignee.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| tx.not_assigned.into())}</dd></div>
                {waiting_for.map(|w| view! { <div><dt>{tx.waiting_for}</dt><dd data-test="waiting-for">{w}</dd></div> })}
                {service.map(|(words, late)| view! {
                    <div><dt>{tx.service_level}</dt>
                        <dd data-test="ticket-due" class="sla" class:sla-late=late>{words}</dd></div>
                })}
                {t.site.as_ref().map(|s| view! { <div><dt>{tx.site}</dt><dd data-test="ticket-site">{s.name.clone()}</dd></div> })}
                <div><dt>{tx.created}</dt><dd>{date_time(t.created_at)}</dd></div>
                <div><dt>{tx.last_update}</dt><dd>{date_time(t.updated_at)}</dd></div>
                {t.resolution.map(|r| view! { <div><dt>{tx.resolution}</dt><dd data-test="ticket-resolution">{r.text()}</dd></div> })}
            </dl>
            {(!t.description.is_empty()).then(|| view! {
                <section class="card">
                    <h2>{tx.description}</h2>
                    <p class="prewrap" data-test="ticket-description">{t.description.clone()}</p>
                </section>
            })}
            <ItemsTable ticket=t.clone()/>
            <FilesCard owner=Owner::Ticket(t.id) files=page.files.clone()
                can_add=!t.status.is_final() on_change=Callback::new(move |_| ctx.data.refetch())/>
            <div class="ticket-columns">
                <Approvals ticket=t.clone()/>
                <Timeline page=page.clone()/>
            </div>
            <Comments page=page.clone()/>
            <div class="inline page-foot">
                <a href="/">{tx.back_to_list}</a>
                {
                    let again = format!("/tickets/new?from={}", t.id);
                    let owner = t.requester.id;
                    move || ctx.actor.get().is_some_and(|a| a.id == owner).then(|| view! {
                        <a class="btn" href=again.clone() data-test="request-again">{tx.request_again}</a>
                    })
                }
            </div>
        </article>
        <ActionDialog ticket=t assignees=page.assignees/>
    }
}

/// Why the money on this ticket needs a closer look: an actual cost above
/// what was approved, or other tickets that together may be one purchase.
#[component]
fn CostAndSplit(ticket: TicketDetail) -> impl IntoView {
    let tx = TicketT::get();
    let t = ticket;
    let approved = t.estimated_total.max(t.approved_cost.unwrap_or_default());
    let pending = t.pending_cost.map(|cost| {
        view! {
            <p class="notice notice-warn" role="note" data-test="cost-waiting">
                {fill(tx.cost_waiting, &[&cost, &approved, &t.cost_tolerance_percent])}
            </p>
        }
    });
    let approved_extra = (t.approved_cost.is_some()
        && t.status == crate::domain::ticket::TicketStatus::InProgress)
        .then(|| {
            view! {
                <p class="notice" role="note" data-test="cost-approved">
                    {fill(tx.cost_approved, &[&approved])}
                </p>
            }
        });
    let split = (!t.split_with.is_empty()).then(|| {
        let combined = t.combined_total();
        view! {
            <div class="notice notice-warn" role="note" data-test="split-warning">
                <p>{fill(tx.split_intro, &[&combined])}</p>
                <ul>
                    {t.split_with.iter().map(|o| view! {
                        <li><a href=format!("/tickets/{}", o.id)>{o.number.clone()}</a>
                            " · " {o.title.clone()} " · " {o.estimated_total.to_string()}</li>
                    }).collect_view()}
                </ul>
            </div>
        }
    });
    view! { {pending} {approved_extra} {split} }
}

#[component]
fn ItemsTable(ticket: TicketDetail) -> impl IntoView {
    let tx = TicketT::get();
    let t = ticket;
    view! {
        <section class="card">
            <h2>{tx.items}</h2>
            <div class="table-wrap">
                <table class="items-table" data-test="ticket-items">
                    <thead>
                        <tr>
                            <th scope="col">"#"</th>
                            <th scope="col">{tx.item}</th>
                            <th scope="col" class="num">{tx.qty}</th>
                            <th scope="col">{tx.unit}</th>
                            <th scope="col" class="num">{tx.unit_price}</th>
                            <th scope="col" class="num">{tx.subtotal}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {t.items.iter().map(|i| view! {
                            <tr data-test="item">
                                <td class="c-line">{i.line_no}</td>
                                <td class="c-name" data-test="item-name">{i.name.clone()}</td>
                                <td class="c-qty num">{i.quantity}</td>
                                <td class="c-unit">{i.unit.clone()}</td>
                                <td class="c-price num">{i.unit_price.to_string()}</td>
                                <td class="c-subtotal num" data-test="item-subtotal">{i.line_total.to_string()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="5">{tx.estimated_total}</th>
                            <td class="num"><strong data-test="ticket-total">{t.estimated_total.to_string()}</strong></td>
                        </tr>
                        {t.actual_total.map(|a| view! {
                            <tr>
                                <th scope="row" colspan="5">{tx.actual_cost}</th>
                                <td class="num" data-test="ticket-actual">{a.to_string()}</td>
                            </tr>
                        })}
                    </tfoot>
                </table>
            </div>
        </section>
    }
}
