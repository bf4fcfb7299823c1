//! The buttons of the actions the user may take now, and the dialog that
//! asks what an action needs (a reason, a cost, an assignee).

use super::texts::TicketT;
use super::Ctx;
use crate::domain::ticket::lifecycle::{available_actions, Action, Command};
use crate::domain::ticket::TicketDetail;
use crate::domain::{FieldError, FieldErrors, Money, Permission, UserRef};
use crate::i18n::Common;
use crate::i18n::Text;
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::modal::Modal;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;
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
            | Action::Pause
    )
}

#[component]
pub(super) fn ActionBar(ticket: TicketDetail, assignees: Vec<UserRef>) -> impl IntoView {
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
                                        Action::Resume => Command::Resume,
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
pub(super) fn ActionDialog(ticket: TicketDetail, assignees: Vec<UserRef>) -> impl IntoView {
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
            Action::Pause => (tx.pause_reason, "reason", true),
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
                Action::Pause => Command::Pause { reason: body },
                Action::Complete => match Money::parse_input(&cost.get()) {
                    Ok(actual_cost) => {
                        Command::complete(actual_cost, body, asset.get().map(|a| a.id))
                    }
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
