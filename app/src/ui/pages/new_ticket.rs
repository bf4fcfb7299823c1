use crate::api::tickets::CreateTicket;
use crate::api::ApiError;
use crate::domain::ticket::{Category, ItemDraft, Priority, TicketDraft};
use crate::domain::FieldErrors;
use crate::ui::components::field::FieldError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// One editable item line; `key` keeps rows stable while others are removed.
#[derive(Clone, Copy)]
struct ItemRow {
    key: u32,
    name: RwSignal<String>,
    quantity: RwSignal<String>,
    unit: RwSignal<String>,
    unit_price: RwSignal<String>,
}

impl ItemRow {
    fn new(key: u32) -> Self {
        Self {
            key,
            name: RwSignal::new(String::new()),
            quantity: RwSignal::new("1".into()),
            unit: RwSignal::new("pcs".into()),
            unit_price: RwSignal::new(String::new()),
        }
    }

    fn draft(&self) -> ItemDraft {
        ItemDraft {
            name: self.name.get(),
            quantity: self.quantity.get(),
            unit: self.unit.get(),
            unit_price: self.unit_price.get(),
        }
    }
}

#[component]
pub fn NewTicketPage() -> impl IntoView {
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let category = RwSignal::new(Category::OfficeSupplies);
    let priority = RwSignal::new(Priority::Medium);
    let location = RwSignal::new(String::new());
    let next_key = StoredValue::new(1u32);
    let items = RwSignal::new(vec![ItemRow::new(0)]);
    let errors = RwSignal::new(FieldErrors::new());

    let draft = move || TicketDraft {
        title: title.get(),
        description: description.get(),
        category: category.get(),
        priority: priority.get(),
        location: location.get(),
        items: items.get().iter().map(ItemRow::draft).collect(),
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

    let add_item = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        items.update(|rows| rows.push(ItemRow::new(key)));
    };

    let numbered_items = move || items.get().into_iter().enumerate().collect::<Vec<_>>();

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

            <fieldset class="items">
                <legend>"Items"</legend>
                <FieldError errors field="items"/>
                <div class="item-head" aria-hidden="true">
                    <span>"Item"</span><span>"Qty"</span><span>"Unit"</span>
                    <span>"Unit price (Rp)"</span><span class="num">"Subtotal"</span><span></span>
                </div>
                <For each=numbered_items key=|(i, row)| (*i, row.key) let:entry>
                    {
                        let (i, row) = entry;
                        let line = move || {
                            ItemDraft {
                                name: String::new(),
                                quantity: row.quantity.get(),
                                unit: String::new(),
                                unit_price: row.unit_price.get(),
                            }
                            .line_total()
                            .map(|r| r.map(|m| m.to_string()).unwrap_or_else(|_| "Too large".into()))
                            .unwrap_or_else(|| "—".into())
                        };
                        let remove = move |_| items.update(|rows| rows.retain(|r| r.key != row.key));
                        let n = i + 1;
                        view! {
                            <div class="item-row" data-test="item-row">
                                <div class="field">
                                    <label class="sr-only" for=format!("i{i}-name")>{format!("Item {n} name")}</label>
                                    <input id=format!("i{i}-name") type="text" bind:value=row.name
                                        placeholder="Kertas A4 80gsm" data-test="item-name"/>
                                    <FieldError errors field=format!("items[{i}].name")/>
                                </div>
                                <div class="field">
                                    <label class="sr-only" for=format!("i{i}-qty")>{format!("Item {n} quantity")}</label>
                                    <input id=format!("i{i}-qty") type="text" inputmode="numeric" bind:value=row.quantity
                                        data-test="item-quantity"/>
                                    <FieldError errors field=format!("items[{i}].quantity")/>
                                </div>
                                <div class="field">
                                    <label class="sr-only" for=format!("i{i}-unit")>{format!("Item {n} unit")}</label>
                                    <input id=format!("i{i}-unit") type="text" bind:value=row.unit
                                        placeholder="rim" data-test="item-unit"/>
                                    <FieldError errors field=format!("items[{i}].unit")/>
                                </div>
                                <div class="field">
                                    <label class="sr-only" for=format!("i{i}-price")>{format!("Item {n} unit price in Rupiah")}</label>
                                    <input id=format!("i{i}-price") type="text" inputmode="decimal" bind:value=row.unit_price
                                        placeholder="55.000" data-test="item-price"/>
                                    <FieldError errors field=format!("items[{i}].unit_price")/>
                                </div>
                                <div class="num line-total" data-test="item-subtotal">{line}</div>
                                <button type="button" class="btn btn-quiet btn-icon" on:click=remove
                                    disabled=move || items.with(|r| r.len() <= 1)
                                    aria-label=format!("Remove item {n}") data-test="item-remove">"✕"</button>
                            </div>
                        }
                    }
                </For>
                <button type="button" class="btn" on:click=add_item data-test="add-item">"+ Add item"</button>
            </fieldset>

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
