use crate::api::tickets::{get_ticket, CreateTicket};
use crate::api::ApiError;
use crate::domain::attachment::Owner;
use crate::domain::ticket::{Category, ItemDraft, Priority, TicketDetail, TicketDraft};
use crate::domain::{FieldError, FieldErrors};
use crate::i18n::{fill, Common};
use crate::i18n::{Localized, Text};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::files::{send, FilePicker, FilesT, Pending, UploadProgress};
use crate::ui::components::items_editor::{ItemRows, ItemsEditor};
use leptos::prelude::*;
use leptos::task::spawn_local;
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
            Some(id) => get_ticket(id).await.map(Some),
            None => Ok(None),
        }
    });
    let c = Common::get();
    let t = NewTicketT::get();
    view! {
        <Suspense fallback=move || view! { <FormSkeleton label=c.loading/> }>
            {move || source.get().map(|result| match result {
                Ok(earlier) => {
                    let copied = earlier.is_some();
                    let draft = earlier.map(|e| draft_of(&e)).unwrap_or_default();
                    view! { <NewTicketForm initial=draft copied/> }.into_any()
                }
                // The form still works without the copy; say why it is empty.
                Err(e) => view! {
                    <div class="notice inline" role="alert" data-test="copy-error">
                        <span>{fill(t.copy_failed, &[&e.localized()])}</span>
                        <button type="button" class="btn" data-test="retry" on:click=move |_| source.refetch()>
                            {c.retry}
                        </button>
                    </div>
                    <NewTicketForm initial=TicketDraft::default() copied=false/>
                }.into_any(),
            })}
        </Suspense>
    }
}

/// Grey blocks shaped like the form, while a copied request loads.
#[component]
fn FormSkeleton(label: &'static str) -> impl IntoView {
    view! {
        <div class="skeleton skeleton-form" aria-busy="true" role="status" data-test="skeleton">
            <span class="sr-only">{label}</span>
            <span class="skeleton-bar heading" aria-hidden="true"></span>
            {(0..4).map(|_| view! {
                <span class="skeleton-bar short" aria-hidden="true"></span>
                <span class="skeleton-bar field" aria-hidden="true"></span>
            }).collect_view()}
        </div>
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
        items: t.items.iter().map(ItemDraft::from).collect(),
    }
}

#[component]
fn NewTicketForm(initial: TicketDraft, copied: bool) -> impl IntoView {
    let t = NewTicketT::get();
    let common = Common::get();
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
    let pending = Pending::default();
    let progress = RwSignal::new(None);
    let upload_error = RwSignal::new(None::<(String, String)>);
    let ft = FilesT::get();
    Effect::new(move |_| match create.value().get() {
        Some(Ok(ticket)) => {
            let page = format!("/tickets/{}", ticket.id);
            if pending.is_empty() {
                navigate(&page, Default::default());
                return;
            }
            let navigate = navigate.clone();
            spawn_local(async move {
                match send(Owner::Ticket(ticket.id), pending, Vec::new(), progress).await {
                    Ok(()) => navigate(&page, Default::default()),
                    // The request exists: say so, and lead to it.
                    Err(e) => upload_error
                        .set(Some((fill(ft.attach_failed, &[&ticket.number, &e]), page))),
                }
            });
        }
        Some(Err(ApiError::Validation(e))) => errors.set(e),
        _ => {}
    });
    let server_error = move || match create.value().get() {
        Some(Err(ApiError::Validation(_))) => None,
        Some(Err(e)) => Some(e.localized()),
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
        <Title text=common.new_request/>
        <div class="page-head">
            <h1>{common.new_request}</h1>
        </div>
        {copied.then(|| view! {
            <p class="notice" role="status" data-test="copied-notice">
                {t.copied}
            </p>
        })}
        <form class="card form" on:submit=on_submit novalidate data-test="new-ticket-form">
            <div class="field">
                <label for="t-title">{t.title}</label>
                <input id="t-title" type="text" maxlength="200" bind:value=title
                    placeholder=t.title_example data-test="title"/>
                <FieldErrorText errors field="title"/>
            </div>
            <div class="grid-2">
                <div class="field">
                    <label for="t-category">{t.category}</label>
                    <select id="t-category" data-test="category"
                        on:change=move |ev| {
                            if let Ok(c) = event_target_value(&ev).parse() { category.set(c) }
                        }>
                        {Category::ALL.iter().map(|c| view! {
                            <option value=c.as_str() selected=move || category.get() == *c>{c.text()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="t-priority">{t.priority}</label>
                    <select id="t-priority" data-test="priority"
                        on:change=move |ev| {
                            if let Ok(p) = event_target_value(&ev).parse() { priority.set(p) }
                        }>
                        {Priority::ALL.iter().map(|p| view! {
                            <option value=p.as_str() selected=move || priority.get() == *p>{p.text()}</option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="t-location">{t.location}</label>
                <input id="t-location" type="text" maxlength="200" bind:value=location
                    placeholder=t.location_example data-test="location"/>
                <FieldErrorText errors field="location"/>
            </div>
            <div class="field">
                <label for="t-description">{t.description}</label>
                <textarea id="t-description" rows="4" maxlength="10000" bind:value=description
                    placeholder=t.description_example data-test="description"></textarea>
                <FieldErrorText errors field="description"/>
            </div>

            <ItemsEditor items errors/>

            <fieldset class="field attach-field">
                <legend>{ft.attach_with_request}</legend>
                <FilePicker pending id="new-files"/>
                <UploadProgress progress/>
            </fieldset>

            <div class="total-bar">
                <span>{t.estimated_total}</span>
                <strong data-test="live-total" aria-live="polite">
                    {move || match total.get() {
                        Ok(m) => m.to_string(),
                        Err(e) => FieldError::from(e).localized(),
                    }}
                </strong>
            </div>
            <p class="muted small">
                {t.approval_rule}
            </p>
            {move || upload_error.get().map(|(m, page)| view! {
                <p class="form-error" role="alert" data-test="upload-error">{m} " " <a href=page>{ft.open_request}</a></p>
            })}
            {move || server_error().map(|m| view! { <p class="form-error" role="alert" data-test="form-error">{m}</p> })}
            {move || (!errors.get().is_empty()).then(|| view! {
                <p class="form-error" role="alert" data-test="form-error">{t.correct_fields}</p>
            })}
            <div class="actions">
                <a class="btn btn-quiet" href="/">{common.cancel}</a>
                <button type="submit" class="btn btn-primary" data-test="submit"
                    disabled=move || create.pending().get() || progress.get().is_some()>
                    {move || if create.pending().get() { t.submitting } else { t.submit }}
                </button>
            </div>
        </form>
    }
}

crate::texts! {
    NewTicketT {
        copy_failed: "Your earlier request could not be copied: {0}", "Permintaan Anda sebelumnya tidak dapat disalin: {0}";
        copied: "Copied from your earlier request. Check the details, then submit.", "Disalin dari permintaan Anda sebelumnya. Periksa isinya, lalu kirim.";
        title: "Title", "Judul";
        title_example: "e.g. Paper for the 7th floor printer", "mis. Kertas untuk printer lantai 7";
        category: "Category", "Kategori";
        priority: "Priority", "Prioritas";
        location: "Location", "Lokasi";
        location_example: "e.g. Kantor Pusat Jakarta, Lantai 7", "mis. Kantor Pusat Jakarta, Lantai 7";
        description: "Description", "Deskripsi";
        description_example: "What do you need, and why?", "Apa yang Anda butuhkan, dan untuk apa?";
        estimated_total: "Estimated total", "Perkiraan total";
        approval_rule: "Requests from Rp 1.000.000 need a manager's approval; from Rp 10.000.000 a second approval.", "Permintaan mulai Rp 1.000.000 perlu persetujuan atasan; mulai Rp 10.000.000 perlu persetujuan kedua.";
        correct_fields: "Please correct the highlighted fields.", "Mohon perbaiki isian yang ditandai.";
        submitting: "Submitting…", "Mengirim…";
        submit: "Submit request", "Kirim permintaan";
    }
}
