use crate::api::tickets::{get_ticket, CreateTicket};
use crate::api::ApiError;
use crate::domain::ticket::{Category, ItemDraft, Priority, TicketDetail, TicketDraft};
use crate::domain::FieldErrors;
use crate::ui::components::field::FieldError;
use crate::ui::components::items_editor::{ItemRows, ItemsEditor};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_query_map};
use uuid::Uuid;

/// `/tickets/new`, or `/tickets/new?from=<id>` to request again: the form
/// starts as a copy of that earlier ticket (rendered filled on the server,
/// so nothing jumps when the page hydrates).
#[component]
pub fn NewTicketPage() -> impl IntoView {
    let query = use_query_map();
    let from = move || {
        query
            .read()
            .get("from")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    let source = Resource::new(from, |from| async move {
        match from {
            Some(id) => get_ticket(id).await.ok(),
            None => None,
        }
    });
    view! {
        <Suspense fallback=|| view! { <div class="skeleton-card" aria-busy="true">"Loading…"</div> }>
            {move || source.get().map(|t| {
                let copied = t.is_some();
                let draft = t.map(|t| draft_of(&t)).unwrap_or_default();
                view! { <NewTicketForm initial=draft copied/> }
            })}
        </Suspense>
    }
}

/// A new draft with an earlier ticket's fields and items.
fn draft_of(t: &TicketDetail) -> TicketDraft {
    TicketDraft {
        title: t.title.clone(),
        description: t.description.clone(),
        category: t.category,
        priority: t.priority,
        location: t.location.clone(),
        items: t
            .items
            .iter()
            .map(|i| ItemDraft {
                name: i.name.clone(),
                quantity: i.quantity.to_string(),
                unit: i.unit.clone(),
                unit_price: i.unit_price.format().trim_start_matches("Rp ").to_string(),
                stock_item_id: i.stock_item_id,
            })
            .collect(),
    }
}

#[component]
fn NewTicketForm(initial: TicketDraft, copied: bool) -> impl IntoView {
    let title = RwSignal::new(initial.title);
    let description = RwSignal::new(initial.description);
    let category = RwSignal::new(initial.category);
    let priority = RwSignal::new(initial.priority);
    let location = RwSignal::new(initial.location);
    let items = ItemRows::new(initial.items);
    let errors = RwSignal::new(FieldErrors::new());

    let draft = move || TicketDraft {
        title: title.get(),
        description: description.get(),
        category: category.get(),
        priority: priority.get(),
        location: location.get(),
        items: items.drafts(),
    };
    // The same domain code computes this total here and on the server.
    let total = Memo::new(move |_| draft().live_total());

    let create = ServerAction::<CreateTicket>::new();
    let navigate = use_navigate();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(ticket)) => navigate(&format!("/tickets/{}", ticket.id), Default::default()),
        Some(Err(ApiError::Validation(e))) => errors.set(e),
        _ => {}
    });
    let server_error = move || match create.value().get() {
        Some(Err(ApiError::Validation(_))) => None,
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let d = draft();
        match d.parse() {
            Err(e) => errors.set(e),
            Ok(_) => {
                errors.set(FieldErrors::new());
                create.dispatch(CreateTicket { draft: d });
            }
        }
    };

    view! {
        <Title text="New request"/>
        <div class="page-head">
            <h1>"New request"</h1>
        </div>
        {copied.then(|| view! {
            <p class="notice" role="status" data-test="copied-notice">
                "Copied from your earlier request. Check the details, then submit."
            </p>
        })}
        <form class="card form" on:submit=on_submit novalidate data-test="new-ticket-form">
            <div class="field">
                <label for="t-title">"Title"</label>
                <input id="t-title" type="text" maxlength="200" bind:value=title
                    placeholder="e.g. Paper for the 7th floor printer" data-test="title"/>
                <FieldError errors field="title"/>
            </div>
            <div class="grid-2">
                <div class="field">
                    <label for="t-category">"Category"</label>
                    <select id="t-category" data-test="category"
                        on:change=move |ev| {
                            if let Ok(c) = event_target_value(&ev).parse() { category.set(c) }
                        }>
                        {Category::ALL.iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get() == *c>{c.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="t-priority">"Priority"</label>
                    <select id="t-priority" data-test="priority"
                        on:change=move |ev| {
                            if let Ok(p) = event_target_value(&ev).parse() { priority.set(p) }
                        }>
                        {Priority::ALL.iter().map(|p| view! {
                            <option value=p.as_str() selected=move || priority.get() == *p>{p.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="t-location">"Location"</label>
                <input id="t-location" type="text" maxlength="200" bind:value=location
                    placeholder="e.g. Kantor Pusat Jakarta, Lantai 7" data-test="location"/>
                <FieldError errors field="location"/>
            </div>
            <div class="field">
                <label for="t-description">"Description"</label>
                <textarea id="t-description" rows="4" maxlength="10000" bind:value=description
                    placeholder="What do you need, and why?" data-test="description"></textarea>
                <FieldError errors field="description"/>
            </div>

            <ItemsEditor items errors/>

            <div class="total-bar">
                <span>"Estimated total"</span>
                <strong data-test="live-total" aria-live="polite">
                    {move || match total.get() {
                        Ok(m) => m.to_string(),
                        Err(e) => e.to_string(),
                    }}
                </strong>
            </div>
            <p class="muted small">
                "Requests from Rp 1.000.000 need a manager's approval; from Rp 10.000.000 a second approval."
            </p>
            {move || server_error().map(|m| view! { <p class="form-error" role="alert" data-test="form-error">{m}</p> })}
            {move || (!errors.get().is_empty()).then(|| view! {
                <p class="form-error" role="alert" data-test="form-error">"Please correct the highlighted fields."</p>
            })}
            <div class="actions">
                <a class="btn btn-quiet" href="/">"Cancel"</a>
                <button type="submit" class="btn btn-primary" data-test="submit"
                    disabled=move || create.pending().get()>
                    {move || if create.pending().get() { "Submitting…" } else { "Submit request" }}
                </button>
            </div>
        </form>
    }
}
