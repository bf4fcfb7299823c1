//! Decisions, the timeline and the conversation of a ticket.

use super::texts::TicketT;
use super::Ctx;
use crate::api::tickets::{add_comment, TicketPageData};
use crate::api::ApiError;
use crate::domain::attachment::Owner;
use crate::domain::ticket::lifecycle::Decision;
use crate::domain::ticket::TicketDetail;
use crate::domain::{FieldErrors, Permission};
use crate::i18n::Text;
use crate::i18n::{fill, use_lang};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::files::{send, FilePicker, Gallery, Pending, UploadProgress};
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos::task::spawn_local;
#[component]
pub(super) fn Approvals(ticket: TicketDetail) -> impl IntoView {
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
                            {a.on_behalf_of.as_ref().map(|o| view! {
                                <span data-test="on-behalf-of">{fill(tx.on_behalf_of, &[&o.name])}</span>
                            })}
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
        "attach" => t.did_attach,
        "remove_attachment" => t.did_remove_attachment,
        "pause" => t.did_pause,
        "resume" => t.did_resume,
        "sla_remind" => t.did_sla_remind,
        "sla_breach" => t.did_sla_breach,
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
pub(super) fn Timeline(page: TicketPageData) -> impl IntoView {
    let tx = TicketT::get();
    let lang = use_lang();
    let id = page.ticket.id;
    let ctx = expect_context::<Ctx>();
    let files = page.files;
    view! {
        <section class="card" data-test="timeline">
            <h2>{tx.timeline}</h2>
            <ol class="timeline">
                {page.history.into_iter().rev().map(|h| {
                    let who = h.actor.map(|a| a.name).unwrap_or_else(|| "GA Desk".into());
                    let moved = h.from_status.filter(|f| *f != h.to_status).map(|f| format!("{} → {}", f.text(), h.to_status.text()));
                    let fields = (!h.changed_fields.is_empty() && h.action.starts_with("edit"))
                        .then(|| h.changed_fields.iter().map(|f| field_word(tx, f)).collect::<Vec<_>>().join(", "));
                    // Files are written in the same transaction as their
                    // history entry, so they share its time.
                    let shots: Vec<_> = if h.action == "attach" {
                        files.iter().filter(|f| f.at == h.at && f.kind.is_image()).cloned().collect()
                    } else {
                        Vec::new()
                    };
                    view! {
                        <li data-test="history-entry">
                            <strong>{who}</strong> " " {action_words(tx, &h.action)}
                            {fields.map(|f| view! { <span class="muted">" (" {f} ")"</span> })}
                            {moved.map(|m| view! { <span class="muted small">" · " {m}</span> })}
                            <div class="muted small">{date_time(h.at)}</div>
                            {(!h.note.is_empty()).then(|| view! { <p class="quote">{h.note}</p> })}
                            {h.system_note.map(|n| view! { <p class="muted small" data-test="system-note">{n.render(lang)}</p> })}
                            {(!shots.is_empty()).then(|| view! {
                                <Gallery owner=Owner::Ticket(id) files=shots compact=true
                                    on_change=Callback::new(move |_| ctx.data.refetch())/>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

#[component]
pub(super) fn Comments(page: TicketPageData) -> impl IntoView {
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
    let pending = Pending::default();
    let progress = RwSignal::new(None);
    let file_error = RwSignal::new(None::<String>);
    let open = !page.ticket.status.is_final();
    let files = page.files.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sending.set(true);
        spawn_local(async move {
            let text = body.get_untracked();
            let staff_only = internal.get_untracked();
            // Files go with their comment in one request, so a refused
            // file leaves no comment behind.
            let r = if pending.is_empty() {
                add_comment(id, text, staff_only)
                    .await
                    .map(|_| ())
                    .map_err(Some)
            } else {
                let fields = vec![("comment", text), ("internal", staff_only.to_string())];
                send(Owner::Ticket(id), pending, fields, progress)
                    .await
                    .map_err(|e| {
                        file_error.set(Some(e));
                        None
                    })
            };
            sending.set(false);
            match r {
                Ok(_) => {
                    body.set(String::new());
                    internal.set(false);
                    errors.set(FieldErrors::new());
                    file_error.set(None);
                    ctx.data.refetch();
                }
                Err(None) => {}
                Err(Some(ApiError::Validation(e))) => errors.set(e),
                Err(Some(e)) => errors.set(e.for_field("body")),
            }
        });
    };
    view! {
        <section class="card" data-test="comments">
            <h2>{tx.comments}</h2>
            {page.comments.is_empty().then(|| view! { <p class="muted" data-test="no-comments">{tx.no_comments}</p> })}
            <ol class="plain-list comments">
                {page.comments.into_iter().map(|c| {
                    let mine: Vec<_> = files.iter().filter(|f| f.comment_id == Some(c.id)).cloned().collect();
                    view! {
                    <li data-test="comment" class:internal=c.internal>
                        <div>
                            <strong>{c.author.name}</strong>
                            <span class="muted small">" · " {date_time(c.at)}</span>
                            {c.internal.then(|| view! { <span class="badge internal-badge">{tx.internal_note}</span> })}
                        </div>
                        <p class="prewrap" data-test="comment-body">{c.body}</p>
                        {(!mine.is_empty()).then(|| view! {
                            <Gallery owner=Owner::Ticket(id) files=mine on_change=Callback::new(move |_| ctx.data.refetch())/>
                        })}
                    </li>
                }}).collect_view()}
            </ol>
            <form class="form" on:submit=submit>
                <div class="field">
                    <label for="c-body">{tx.add_comment}</label>
                    <textarea id="c-body" rows="3" bind:value=body data-test="comment-input"></textarea>
                    <FieldErrorText errors field="body"/>
                </div>
                {open.then(|| view! {
                    <FilePicker pending id="comment-files"/>
                    <UploadProgress progress/>
                })}
                {move || file_error.get().map(|e| view! { <p class="form-error" role="alert" data-test="comment-file-error">{e}</p> })}
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
