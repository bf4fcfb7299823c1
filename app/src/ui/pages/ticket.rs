//! One ticket: its facts and items, the actions the user may take now,
//! approvals, timeline and comments.

use crate::api::tickets::{act_on_ticket, add_comment, edit_ticket, ticket_page, TicketPageData};
use crate::api::ApiError;
use crate::domain::ticket::lifecycle::{available_actions, Action, Command, Decision};
use crate::domain::ticket::{Priority, TicketDetail, TicketDraft, TicketPatch};
use crate::domain::{Actor, Current, FieldError, FieldErrors, Money, Permission, Refusal, UserRef};
use crate::i18n::{fill, use_lang, Common, Lang};
use crate::i18n::{Localized, Text};
use crate::ui::components::badges::{PriorityBadge, StatusBadge};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::items_editor::{ItemRows, ItemsEditor};
use crate::ui::components::modal::Modal;
use crate::ui::format::date_time;
use crate::ui::pages::not_found::NotFound;
use crate::ui::CurrentUser;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
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
        let who = t
            .awaiting_approver
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_else(|| tx.any_approver.into());
        fill(tx.level_of, &[&level, &t.required_levels, &who])
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

/// Actions that run without asking for anything.
fn needs_input(action: Action) -> bool {
    matches!(
        action,
        Action::Approve
            | Action::Reject
            | Action::Cancel
            | Action::Complete
            | Action::Reopen
            | Action::Assign
    )
}

#[component]
fn ActionBar(ticket: TicketDetail, assignees: Vec<UserRef>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tx = TicketT::get();
    let t = StoredValue::new(ticket);
    let can_assign_self = assignees
        .iter()
        .any(|a| Some(a.id) == ctx.actor.get_untracked().map(|x| x.id));
    move || {
        let actor = ctx.actor.get()?;
        let ticket = t.get_value();
        let allowed = available_actions(&ticket.state(), &actor, chrono::Utc::now());
        let editable = allowed.contains(&Action::Edit);
        let assign_self = allowed.contains(&Action::Assign)
            && can_assign_self
            && ticket.assignee.as_ref().map(|a| a.id) != Some(actor.id);
        let buttons: Vec<Action> = allowed
            .into_iter()
            .filter(|a| !matches!(a, Action::Edit | Action::EditItems))
            .collect();
        if buttons.is_empty() && !editable {
            return None;
        }
        let me = actor.id;
        Some(view! {
            <div class="action-bar" data-test="actions">
                {buttons.into_iter().map(|action| {
                    let primary = matches!(action, Action::Approve | Action::Accept | Action::Start | Action::Complete | Action::Confirm | Action::Submit);
                    let class = if primary { "btn btn-primary" } else if matches!(action, Action::Reject | Action::Cancel) { "btn btn-danger" } else { "btn" };
                    view! {
                        <button type="button" class=class data-test=format!("action-{}", action.as_str())
                            disabled=move || ctx.busy.get()
                            on:click=move |_| {
                                if needs_input(action) {
                                    ctx.dialog_errors.set(FieldErrors::new());
                                    ctx.dialog.set(Some(action));
                                } else {
                                    let command = match action {
                                        Action::Submit => Command::Submit,
                                        Action::Accept => Command::Accept,
                                        Action::Start => Command::Start,
                                        _ => Command::Confirm,
                                    };
                                    ctx.act(t.get_value(), command);
                                }
                            }>
                            {action.text()}
                        </button>
                    }
                }).collect_view()}
                {assign_self.then(|| view! {
                    <button type="button" class="btn" data-test="assign-me" disabled=move || ctx.busy.get()
                        on:click=move |_| ctx.act(t.get_value(), Command::Assign { assignee_id: me })>
                        {tx.assign_me}
                    </button>
                })}
                {editable.then(|| view! {
                    <button type="button" class="btn" data-test="edit"
                        on:click=move |_| ctx.editing.update(|e| *e = !*e)>
                        {move || if ctx.editing.get() { tx.close_editor } else { Action::Edit.text() }}
                    </button>
                })}
            </div>
        })
    }
}

#[component]
fn ActionDialog(ticket: TicketDetail, assignees: Vec<UserRef>) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tx = TicketT::get();
    let c = Common::get();
    let t = StoredValue::new(ticket);
    let people = StoredValue::new(assignees);
    let text = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let assignee = RwSignal::new(String::new());
    let hands_out = ctx
        .actor
        .get_untracked()
        .is_some_and(|a| a.can(Permission::AssetsManage));
    let asset_q = RwSignal::new(String::new());
    let asset_found = RwSignal::new(Vec::<crate::domain::asset::AssetSummary>::new());
    let asset = RwSignal::new(None::<crate::domain::asset::AssetSummary>);
    let find_assets = move || {
        let q = asset_q.get_untracked();
        spawn_local(async move {
            match crate::api::inventory::available_assets(q).await {
                Ok(list) => asset_found.set(list),
                Err(e) => ctx.dialog_errors.set(e.for_field("asset_id")),
            }
        });
    };
    move || {
        let action = ctx.dialog.get()?;
        asset.set(None);
        asset_found.set(Vec::new());
        let ticket = t.get_value();
        text.set(String::new());
        cost.set(ticket.estimated_total.input_text());
        assignee.set(
            ticket
                .assignee
                .as_ref()
                .or(people.get_value().first())
                .map(|a| a.id.to_string())
                .unwrap_or_default(),
        );
        let (label, field, required) = match action {
            Action::Approve => (tx.approve_note, "note", false),
            Action::Reject => (tx.reject_reason, "reason", true),
            Action::Cancel => (tx.cancel_reason, "reason", false),
            Action::Complete => (tx.complete_note, "note", false),
            Action::Reopen => (tx.reopen_reason, "reason", true),
            _ => ("", "", false),
        };
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let body = text.get();
            let command = match action {
                Action::Approve => Command::Approve { note: body },
                Action::Reject => Command::Reject { reason: body },
                Action::Cancel => Command::Cancel { reason: body },
                Action::Reopen => Command::Reopen { reason: body },
                Action::Complete => match Money::parse_input(&cost.get()) {
                    Ok(actual_cost) => Command::Complete {
                        actual_cost,
                        note: body,
                        asset_id: asset.get().map(|a| a.id),
                    },
                    Err(e) => {
                        ctx.dialog_errors
                            .set(FieldErrors::single("actual_cost", e.into()));
                        return;
                    }
                },
                Action::Assign => match Uuid::parse_str(&assignee.get()) {
                    Ok(assignee_id) => Command::Assign { assignee_id },
                    Err(_) => {
                        ctx.dialog_errors.set(FieldErrors::single(
                            "assignee_id",
                            FieldError::ChooseAssignee,
                        ));
                        return;
                    }
                },
                _ => return,
            };
            ctx.act(t.get_value(), command);
        };
        let title = format!("{} {}", action.text(), ticket.number);
        Some(view! {
            <Modal title test_id="action-dialog" on_close=Callback::new(move |_| ctx.dialog.set(None))>
                <form class="form" on:submit=submit novalidate>
                    {(action == Action::Complete).then(|| view! {
                        <div class="field">
                            <label for="d-cost">{tx.actual_cost_rp}</label>
                            <input id="d-cost" type="text" inputmode="decimal" bind:value=cost data-test="dialog-cost"/>
                            <FieldErrorText errors=ctx.dialog_errors field="actual_cost"/>
                        </div>
                    })}
                    {(action == Action::Complete && hands_out).then(|| view! {
                        <div class="field">
                            <label for="d-asset">{tx.hand_out}</label>
                            <div class="inline">
                                <input id="d-asset" type="search" bind:value=asset_q placeholder=tx.asset_search data-test="asset-search"
                                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); find_assets() }/>
                                <button type="button" class="btn" on:click=move |_| find_assets() data-test="asset-find">{tx.find}</button>
                            </div>
                            <ul class="picker" data-test="asset-results">
                                <For each=move || asset_found.get() key=|a| a.id let:a>
                                    {
                                        let chosen = a.clone();
                                        let id = a.id;
                                        view! {
                                            <li>
                                                <button type="button" class="pick" data-test="asset-option"
                                                    class:selected=move || asset.get().is_some_and(|x| x.id == id)
                                                    aria-pressed=move || asset.get().is_some_and(|x| x.id == id).to_string()
                                                    on:click=move |_| asset.set(Some(chosen.clone()))>
                                                    <strong>{a.tag.clone()}</strong> " " {a.name.clone()}
                                                    <span class="muted">{format!(" · {}", a.location)}</span>
                                                </button>
                                            </li>
                                        }
                                    }
                                </For>
                            </ul>
                            <FieldErrorText errors=ctx.dialog_errors field="asset_id"/>
                        </div>
                    })}
                    {(action == Action::Assign).then(|| view! {
                        <div class="field">
                            <label for="d-assignee">{tx.assign_to}</label>
                            <select id="d-assignee" data-test="dialog-assignee"
                                on:change=move |ev| assignee.set(event_target_value(&ev))>
                                {people.get_value().into_iter().map(|p| {
                                    let id = p.id.to_string();
                                    let selected = assignee.get_untracked() == id;
                                    view! { <option value=id selected=selected>{p.name}</option> }
                                }).collect_view()}
                            </select>
                            <FieldErrorText errors=ctx.dialog_errors field="assignee_id"/>
                        </div>
                    })}
                    {(!field.is_empty()).then(|| view! {
                        <div class="field">
                            <label for="d-text">{label}</label>
                            <textarea id="d-text" rows="3" bind:value=text aria-required=required.to_string() data-test="dialog-text"></textarea>
                            <FieldErrorText errors=ctx.dialog_errors field=field/>
                        </div>
                    })}
                    <div class="actions">
                        <button type="button" class="btn btn-quiet" on:click=move |_| ctx.dialog.set(None)>{c.back}</button>
                        <button type="submit" class=if matches!(action, Action::Reject | Action::Cancel) { "btn btn-danger" } else { "btn btn-primary" }
                            data-test="dialog-confirm" disabled=move || ctx.busy.get()>
                            {action.text()}
                        </button>
                    </div>
                </form>
            </Modal>
        })
    }
}

/// Editing plain fields and, while not yet approved, the items. Only what
/// changed is sent; after a conflict the typed values stay in the form.
#[component]
fn EditForm(ticket: TicketDetail) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tx = TicketT::get();
    let actor = ctx.actor.get_untracked();
    let items_allowed = actor.as_ref().is_some_and(|a| {
        available_actions(&ticket.state(), a, chrono::Utc::now()).contains(&Action::EditItems)
    });
    let title = RwSignal::new(ticket.title.clone());
    let description = RwSignal::new(ticket.description.clone());
    let location = RwSignal::new(ticket.location.clone());
    let priority = RwSignal::new(ticket.priority);
    let items = ItemRows::from_items(&ticket.items);
    let errors = RwSignal::new(FieldErrors::new());
    let original = StoredValue::new(ticket);
    Effect::new(move |_| {
        let e = ctx.dialog_errors.get();
        if ctx.dialog.get_untracked().is_none() && !e.is_empty() {
            errors.set(e);
        }
    });

    let on_priority = move |ev: leptos::ev::Event| {
        if let Ok(p) = event_target_value(&ev).parse::<Priority>() {
            priority.set(p)
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let seen = original.get_value();
        let mut patch = TicketPatch {
            version: Some(seen.version),
            ..TicketPatch::default()
        };
        if title.get() != seen.title {
            patch.title = Some(title.get());
        }
        if description.get() != seen.description {
            patch.description = Some(description.get());
        }
        if location.get() != seen.location {
            patch.location = Some(location.get());
        }
        if priority.get() != seen.priority {
            patch.priority = Some(priority.get());
        }
        if items_allowed {
            let draft = TicketDraft {
                title: title.get(),
                description: description.get(),
                category: seen.category,
                priority: priority.get(),
                location: location.get(),
                items: items.drafts(),
            };
            match draft.parse() {
                Err(e) => {
                    errors.set(e);
                    return;
                }
                Ok(parsed) => {
                    let unchanged = parsed.items.len() == seen.items.len()
                        && parsed.items.iter().zip(&seen.items).all(|(n, o)| {
                            n.name == o.name
                                && n.quantity == o.quantity
                                && n.unit == o.unit
                                && n.unit_price == o.unit_price
                        });
                    if !unchanged {
                        patch.items = Some(parsed.items);
                    }
                }
            }
        }
        if let Err(e) = patch.validate() {
            errors.set(e);
            return;
        }
        errors.set(FieldErrors::new());
        ctx.edit(seen, patch);
    };

    view! {
        <form class="card form" on:submit=submit novalidate data-test="edit-form">
            <h2>{tx.edit_request}</h2>
            <div class="field">
                <label for="e-title">{tx.title}</label>
                <input id="e-title" type="text" maxlength="200" bind:value=title data-test="edit-title"/>
                <FieldErrorText errors field="title"/>
            </div>
            <div class="grid-2">
                <div class="field">
                    <label for="e-location">{tx.location}</label>
                    <input id="e-location" type="text" maxlength="200" bind:value=location data-test="edit-location"/>
                    <FieldErrorText errors field="location"/>
                </div>
                <div class="field">
                    <label for="e-priority">{tx.priority}</label>
                    <select id="e-priority" data-test="edit-priority"
                        on:change=on_priority>
                        {Priority::ALL.iter().map(|p| view! {
                            <option value=p.as_str() selected=move || priority.get() == *p>{p.text()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="e-description">{tx.description}</label>
                <textarea id="e-description" rows="3" bind:value=description data-test="edit-description"></textarea>
                <FieldErrorText errors field="description"/>
            </div>
            {items_allowed.then(|| view! {
                <ItemsEditor items errors/>
                <p class="muted small">{tx.restarts_approval}</p>
            })}
            <FieldErrorText errors field="patch"/>
            <div class="actions">
                <button type="button" class="btn btn-quiet" on:click=move |_| ctx.editing.set(false)>{tx.discard}</button>
                <button type="submit" class="btn btn-primary" data-test="edit-save" disabled=move || ctx.busy.get()>{tx.save_changes}</button>
            </div>
        </form>
    }
}

/// What differs between the ticket the user saw and the ticket now.
fn differences(
    lang: Lang,
    seen: &TicketDetail,
    now: &TicketDetail,
) -> Vec<(&'static str, String, String)> {
    let t = TicketT::of(lang);
    let mut d = Vec::new();
    let name = |u: &Option<UserRef>| {
        u.as_ref()
            .map(|u| u.name.clone())
            .unwrap_or_else(|| t.nobody.into())
    };
    if seen.status != now.status {
        d.push((
            t.status,
            seen.status.label_in(lang).to_string(),
            now.status.label_in(lang).to_string(),
        ));
    }
    if seen.assignee != now.assignee {
        d.push((t.assignee, name(&seen.assignee), name(&now.assignee)));
    }
    if seen.title != now.title {
        d.push((t.title, seen.title.clone(), now.title.clone()));
    }
    if seen.priority != now.priority {
        d.push((
            t.priority,
            seen.priority.label_in(lang).into(),
            now.priority.label_in(lang).into(),
        ));
    }
    if seen.location != now.location {
        d.push((t.location, seen.location.clone(), now.location.clone()));
    }
    if seen.description != now.description {
        d.push((
            t.description,
            t.previous_text.into(),
            now.description.clone(),
        ));
    }
    if seen.estimated_total != now.estimated_total || seen.items != now.items {
        d.push((
            t.items,
            seen.estimated_total.to_string(),
            now.estimated_total.to_string(),
        ));
    }
    if seen.approvals.len() != now.approvals.len() {
        let last = now.approvals.last().map(|a| {
            let by = match a.decision {
                Decision::Approved => t.approved_by,
                Decision::Rejected => t.rejected_by,
            };
            fill(by, &[&a.approver.name])
        });
        d.push((
            t.approvals,
            fill(t.n_decisions, &[&seen.approvals.len()]),
            last.unwrap_or_default(),
        ));
    }
    d
}

#[component]
fn ConflictDialog() -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let lang = use_lang();
    let tx = TicketT::of(lang);
    move || {
        let c = ctx.conflict.get()?;
        let rows = differences(lang, &c.seen, &c.current);
        let retry = c.retry.clone();
        let current = c.current.clone();
        let reapply = move |_| {
            let current = current.clone();
            ctx.conflict.set(None);
            match retry.clone() {
                Retry::Act(command) => ctx.act(current, command),
                Retry::Edit(mut patch) => {
                    patch.version = Some(current.version);
                    ctx.edit(current, patch);
                }
            }
        };
        let reload = move |_| {
            ctx.conflict.set(None);
            ctx.dialog.set(None);
            ctx.editing.set(false);
            ctx.data.refetch();
        };
        Some(view! {
            <Modal title=tx.conflict_title test_id="conflict-dialog"
                on_close=Callback::new(move |_| ctx.conflict.set(None))>
                <p>{fill(tx.conflict_text, &[&c.seen.version, &c.current.version])}</p>
                <table class="diff" data-test="conflict-changes">
                    <thead><tr><th scope="col">{tx.field}</th><th scope="col">{tx.you_saw}</th><th scope="col">{tx.now}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(field, before, after)| view! {
                            <tr><th scope="row">{field}</th><td>{before}</td><td>{after}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <div class="actions">
                    <button type="button" class="btn" data-test="conflict-reload" on:click=reload>{tx.reload_discard}</button>
                    <button type="button" class="btn btn-primary" data-test="conflict-reapply" on:click=reapply>{tx.reapply}</button>
                </div>
            </Modal>
        })
    }
}

#[component]
fn Approvals(ticket: TicketDetail) -> impl IntoView {
    let tx = TicketT::get();
    let t = ticket;
    if t.approvals.is_empty() && t.required_levels == 0 {
        return None;
    }
    let round = t.approval_round;
    Some(view! {
        <section class="card" data-test="approvals">
            <h2>{tx.approvals}</h2>
            <p class="muted small">{match t.required_levels {
                0 => tx.no_approval_needed.to_string(),
                1 => tx.one_approval_needed.to_string(),
                n => fill(tx.n_approvals_needed, &[&n]),
            }}</p>
            <ol class="plain-list">
                {t.approvals.iter().map(|a| {
                    let superseded = a.round != round;
                    let (class, word) = match a.decision {
                        Decision::Approved => ("decision approved", tx.approved),
                        Decision::Rejected => ("decision rejected", tx.rejected),
                    };
                    view! {
                        <li data-test="approval" class:superseded=superseded>
                            <span class=class>{if a.decision == Decision::Approved { "✓ " } else { "✗ " }}{word}</span>
                            {fill(tx.level_n, &[&a.level])} <strong>{a.approver.name.clone()}</strong>
                            <span class="muted small">" · " {date_time(a.at)}</span>
                            {superseded.then(|| view! { <span class="muted small">{tx.earlier_round}</span> })}
                            {(!a.note.is_empty()).then(|| view! { <p class="quote">{a.note.clone()}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    })
}

/// What a history entry says someone did, after their name.
fn action_words(t: &TicketT, action: &str) -> &'static str {
    match action {
        "create" => t.did_create,
        "edit" => t.did_edit,
        "edit_items" => t.did_edit_items,
        "submit" => t.did_submit,
        "accept" => t.did_accept,
        "approve" => t.did_approve,
        "reject" => t.did_reject,
        "assign" => t.did_assign,
        "start" => t.did_start,
        "complete" => t.did_complete,
        "confirm" => t.did_confirm,
        "reopen" => t.did_reopen,
        "cancel" => t.did_cancel,
        "auto_close" => t.did_auto_close,
        _ => t.did_change,
    }
}

/// A changed field of a history entry, by its wire name.
fn field_word<'a>(t: &TicketT, field: &'a str) -> &'a str {
    match field {
        "title" => t.f_title,
        "description" => t.f_description,
        "priority" => t.f_priority,
        "location" => t.f_location,
        "items" => t.f_items,
        "status" => t.f_status,
        "assignee" => t.f_assignee,
        "approvals" => t.f_approvals,
        "actual_total" => t.f_actual_total,
        other => other,
    }
}

#[component]
fn Timeline(page: TicketPageData) -> impl IntoView {
    let tx = TicketT::get();
    let lang = use_lang();
    view! {
        <section class="card" data-test="timeline">
            <h2>{tx.timeline}</h2>
            <ol class="timeline">
                {page.history.into_iter().rev().map(|h| {
                    let who = h.actor.map(|a| a.name).unwrap_or_else(|| "GA Desk".into());
                    let moved = h.from_status.filter(|f| *f != h.to_status).map(|f| format!("{} → {}", f.text(), h.to_status.text()));
                    let fields = (!h.changed_fields.is_empty() && h.action.starts_with("edit"))
                        .then(|| h.changed_fields.iter().map(|f| field_word(tx, f)).collect::<Vec<_>>().join(", "));
                    view! {
                        <li data-test="history-entry">
                            <strong>{who}</strong> " " {action_words(tx, &h.action)}
                            {fields.map(|f| view! { <span class="muted">" (" {f} ")"</span> })}
                            {moved.map(|m| view! { <span class="muted small">" · " {m}</span> })}
                            <div class="muted small">{date_time(h.at)}</div>
                            {(!h.note.is_empty()).then(|| view! { <p class="quote">{h.note}</p> })}
                            {h.system_note.map(|n| view! { <p class="muted small" data-test="system-note">{n.render(lang)}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
fn Comments(page: TicketPageData) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tx = TicketT::get();
    let staff = ctx
        .actor
        .get_untracked()
        .is_some_and(|a| a.can(Permission::TicketsReadAll));
    let id = page.ticket.id;
    let body = RwSignal::new(String::new());
    let internal = RwSignal::new(false);
    let errors = RwSignal::new(FieldErrors::new());
    let sending = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sending.set(true);
        spawn_local(async move {
            let r = add_comment(id, body.get_untracked(), internal.get_untracked()).await;
            sending.set(false);
            match r {
                Ok(_) => {
                    body.set(String::new());
                    internal.set(false);
                    errors.set(FieldErrors::new());
                    ctx.data.refetch();
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => errors.set(e.for_field("body")),
            }
        });
    };
    view! {
        <section class="card" data-test="comments">
            <h2>{tx.comments}</h2>
            {page.comments.is_empty().then(|| view! { <p class="muted" data-test="no-comments">{tx.no_comments}</p> })}
            <ol class="plain-list comments">
                {page.comments.into_iter().map(|c| view! {
                    <li data-test="comment" class:internal=c.internal>
                        <div>
                            <strong>{c.author.name}</strong>
                            <span class="muted small">" · " {date_time(c.at)}</span>
                            {c.internal.then(|| view! { <span class="badge internal-badge">{tx.internal_note}</span> })}
                        </div>
                        <p class="prewrap" data-test="comment-body">{c.body}</p>
                    </li>
                }).collect_view()}
            </ol>
            <form class="form" on:submit=submit>
                <div class="field">
                    <label for="c-body">{tx.add_comment}</label>
                    <textarea id="c-body" rows="3" bind:value=body data-test="comment-input"></textarea>
                    <FieldErrorText errors field="body"/>
                </div>
                <div class="actions">
                    {staff.then(|| view! {
                        <label class="checkbox">
                            <input type="checkbox" bind:checked=internal data-test="comment-internal"/>
                            " " {tx.internal_staff_only}
                        </label>
                    })}
                    <button type="submit" class="btn" data-test="comment-send" disabled=move || sending.get()>{tx.send}</button>
                </div>
            </form>
        </section>
    }
}

crate::texts! {
    TicketT {
        loading: "Loading ticket…", "Memuat tiket…";
        load_failed: "This request could not be loaded", "Permintaan ini gagal dimuat";
        merged: "Saved. Someone else had changed other fields meanwhile; both changes are kept.", "Tersimpan. Sementara itu orang lain mengubah isian lain; kedua perubahan disimpan.";
        any_approver: "any approver", "penyetuju mana pun";
        level_of: "Level {0} of {1}: {2}", "Tingkat {0} dari {1}: {2}";
        category: "Category", "Kategori";
        priority: "Priority", "Prioritas";
        location: "Location", "Lokasi";
        requester: "Requester", "Pemohon";
        assignee: "Assignee", "Petugas";
        not_assigned: "Not assigned yet", "Belum ada petugas";
        waiting_for: "Waiting for", "Menunggu";
        created: "Created", "Dibuat";
        last_update: "Last update", "Terakhir diperbarui";
        resolution: "Resolution", "Hasil akhir";
        description: "Description", "Deskripsi";
        title: "Title", "Judul";
        status: "Status", "Status";
        back_to_list: "← Back to my requests", "← Kembali ke permintaan saya";
        request_again: "Request again", "Ajukan lagi";
        items: "Items", "Barang";
        item: "Item", "Barang";
        qty: "Qty", "Jml";
        unit: "Unit", "Satuan";
        unit_price: "Unit price", "Harga satuan";
        subtotal: "Subtotal", "Subtotal";
        estimated_total: "Estimated total", "Perkiraan total";
        actual_cost: "Actual cost", "Biaya aktual";
        assign_me: "Assign to me", "Tugaskan ke saya";
        close_editor: "Close editor", "Tutup formulir";
        approve_note: "Note for the requester (optional)", "Catatan untuk pemohon (opsional)";
        reject_reason: "Why is it rejected?", "Mengapa ditolak?";
        cancel_reason: "Why cancel? (optional)", "Alasan pembatalan (opsional)";
        complete_note: "What was done? (optional)", "Apa yang sudah dikerjakan? (opsional)";
        reopen_reason: "What is still wrong?", "Apa yang masih bermasalah?";
        actual_cost_rp: "Actual cost (Rp)", "Biaya aktual (Rp)";
        hand_out: "Hand out an asset to the requester (optional)", "Serahkan aset kepada pemohon (opsional)";
        asset_search: "Tag, name or serial", "Tag, nama, atau nomor seri";
        find: "Find", "Cari";
        assign_to: "Assign to", "Tugaskan ke";
        edit_request: "Edit request", "Ubah permintaan";
        restarts_approval: "Changing items or prices while waiting for approval restarts the approval.", "Mengubah barang atau harga saat menunggu persetujuan akan mengulang proses persetujuan.";
        discard: "Discard", "Buang perubahan";
        save_changes: "Save changes", "Simpan perubahan";
        nobody: "nobody", "belum ada";
        previous_text: "(previous text)", "(teks sebelumnya)";
        approved_by: "approved by {0}", "disetujui oleh {0}";
        rejected_by: "rejected by {0}", "ditolak oleh {0}";
        n_decisions: "{0} decisions", "{0} keputusan";
        conflict_title: "Someone else changed this request", "Orang lain telah mengubah permintaan ini";
        conflict_text: "While you were working, the request moved from version {0} to {1}. Your change was not saved.", "Selagi Anda mengerjakannya, permintaan ini berubah dari versi {0} ke versi {1}. Perubahan Anda belum tersimpan.";
        field: "Field", "Isian";
        you_saw: "You saw", "Yang Anda lihat";
        now: "Now", "Sekarang";
        reload_discard: "Reload and discard mine", "Muat ulang dan buang perubahan saya";
        reapply: "Apply my change again", "Terapkan lagi perubahan saya";
        approvals: "Approvals", "Persetujuan";
        no_approval_needed: "No approval needed at this amount.", "Tidak perlu persetujuan untuk nilai ini.";
        one_approval_needed: "One approval needed at this amount.", "Perlu satu persetujuan untuk nilai ini.";
        n_approvals_needed: "{0} approvals needed at this amount.", "Perlu {0} persetujuan untuk nilai ini.";
        approved: "Approved", "Disetujui";
        rejected: "Rejected", "Ditolak";
        level_n: " · level {0} · ", " · tingkat {0} · ";
        earlier_round: " (earlier round, no longer counts)", " (putaran sebelumnya, tidak dihitung lagi)";
        timeline: "Timeline", "Riwayat";
        did_create: "created the request", "membuat permintaan";
        did_edit: "edited", "mengubah";
        did_edit_items: "changed the items", "mengubah daftar barang";
        did_submit: "submitted it for approval", "mengajukannya untuk persetujuan";
        did_accept: "accepted it", "menerimanya";
        did_approve: "approved", "menyetujui";
        did_reject: "rejected it", "menolaknya";
        did_assign: "assigned it", "menugaskannya";
        did_start: "started work", "mulai mengerjakan";
        did_complete: "completed it", "menyelesaikannya";
        did_confirm: "confirmed it is done", "mengonfirmasi sudah selesai";
        did_reopen: "reopened it", "membukanya lagi";
        did_cancel: "cancelled it", "membatalkannya";
        did_auto_close: "closed it automatically", "menutupnya otomatis";
        did_change: "changed it", "mengubahnya";
        f_title: "title", "judul";
        f_description: "description", "deskripsi";
        f_priority: "priority", "prioritas";
        f_location: "location", "lokasi";
        f_items: "items", "barang";
        f_status: "status", "status";
        f_assignee: "assignee", "petugas";
        f_approvals: "approvals", "persetujuan";
        f_actual_total: "actual cost", "biaya aktual";
        comments: "Comments", "Komentar";
        no_comments: "No comments yet.", "Belum ada komentar.";
        internal_note: "Internal note", "Catatan internal";
        add_comment: "Add a comment", "Tulis komentar";
        internal_staff_only: "Internal note (GA staff only)", "Catatan internal (hanya staf GA)";
        send: "Send", "Kirim";
    }
}
