//! Editing a ticket, and what to do when someone else changed it first.

use super::texts::TicketT;
use super::{Ctx, Retry};
use crate::domain::ticket::lifecycle::{available_actions, Action, Decision};
use crate::domain::ticket::{Priority, TicketDetail, TicketDraft, TicketPatch};
use crate::domain::{FieldErrors, UserRef};
use crate::i18n::Text;
use crate::i18n::{fill, use_lang, Lang};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::items_editor::{ItemRows, ItemsEditor};
use crate::ui::components::modal::Modal;
use leptos::prelude::*;
/// Editing plain fields and, while not yet approved, the items. Only what
/// changed is sent; after a conflict the typed values stay in the form.
#[component]
pub(super) fn EditForm(ticket: TicketDetail) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let tx = TicketT::get();
    let actor = ctx.actor.get_untracked();
    let items_allowed = actor.as_ref().is_some_and(|a| {
        available_actions(&ticket.state(), a, chrono::Utc::now()).contains(&Action::EditItems)
    });
    // What the approver saw is fixed once approved: staff may still change
    // the priority, and comment.
    let content_fixed = matches!(
        ticket.status,
        crate::domain::ticket::TicketStatus::Approved
            | crate::domain::ticket::TicketStatus::InProgress
    ) || ticket.pending_cost.is_some();
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
                    // A stock line is its item and quantity (the server
                    // prices it); a typed line is all of it.
                    let unchanged = parsed.items.len() == seen.items.len()
                        && parsed.items.iter().zip(&seen.items).all(|(n, o)| {
                            n.quantity == o.quantity
                                && n.stock_item_id == o.stock_item_id
                                && (n.stock_item_id.is_some()
                                    || (n.name == o.name
                                        && n.unit == o.unit
                                        && n.unit_price == o.unit_price))
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
            {content_fixed.then(|| view! { <p class="muted small" data-test="content-fixed">{tx.content_fixed}</p> })}
            <div class="field">
                <label for="e-title">{tx.title}</label>
                <input id="e-title" type="text" maxlength="200" bind:value=title data-test="edit-title" disabled=content_fixed/>
                <FieldErrorText errors field="title"/>
            </div>
            <div class="grid-2">
                <div class="field">
                    <label for="e-location">{tx.location}</label>
                    <input id="e-location" type="text" maxlength="200" bind:value=location data-test="edit-location" disabled=content_fixed/>
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
                <textarea id="e-description" rows="3" bind:value=description data-test="edit-description" disabled=content_fixed></textarea>
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
pub(super) fn ConflictDialog() -> impl IntoView {
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
