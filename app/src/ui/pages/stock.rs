//! Consumable stock for GA staff: what is on the shelves, what approved
//! tickets hold, what needs reordering; receive, issue and correct.

use crate::api::inventory::{create_stock_item, list_stock, move_stock, stock_movements};
use crate::api::ApiError;
use crate::domain::stock::{MovementKind, NewStockItem, StockItem};
use crate::domain::{FieldErrors, Money};
use crate::ui::components::field::FieldError;
use crate::ui::components::modal::Modal;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

#[component]
pub fn StockPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let low = Memo::new(move |_| query.read().get("low").is_some_and(|v| v == "true"));
    let list = Resource::new(
        move || (q.get(), low.get()),
        |(q, low)| list_stock(q, low, None),
    );
    let selected = RwSignal::new(None::<StockItem>);
    let creating = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    view! {
        <Title text="Stock"/>
        <div class="page-head">
            <h1>{move || if low.get() { "Low stock" } else { "Stock" }}</h1>
            <div class="head-actions">
                <a class="btn" href="/stock?low=true" data-test="low-stock-link">"Low stock"</a>
                <button class="btn btn-primary" data-test="new-stock-item" on:click=move |_| creating.update(|c| *c = !*c)>"New stock item"</button>
            </div>
        </div>
        {move || notice.get().map(|n| view! { <p class="notice" role="status" data-test="notice">{n}</p> })}
        <Show when=move || creating.get()>
            <NewItemForm on_done=Callback::new(move |name: Option<String>| {
                creating.set(false);
                if let Some(n) = name { notice.set(Some(format!("{n} added."))); list.refetch(); }
            })/>
        </Show>
        <Form method="GET" action="/stock" attr:class="filters">
            <div class="field">
                <label for="s-q">"Search"</label>
                <input id="s-q" name="q" type="search" placeholder="Name or SKU" prop:value=move || q.get()/>
            </div>
            <label class="checkbox">
                <input type="checkbox" name="low" value="true" prop:checked=move || low.get()/>
                " Only at or below reorder level"
            </label>
            <button type="submit" class="btn">"Apply"</button>
        </Form>
        <Transition fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading stock…"</div> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <section class="empty" data-test="empty-stock">
                        <h2>{if low.get_untracked() { "Nothing needs reordering" } else { "No stock items" }}</h2>
                        <p>"Add what GA keeps on its shelves (paper, toner, coffee, soap) so requests can draw on it."</p>
                    </section>
                }.into_any(),
                Ok(page) => view! {
                    <div class="table-wrap">
                        <table class="stack" data-test="stock-list">
                            <thead>
                                <tr>
                                    <th scope="col">"SKU"</th>
                                    <th scope="col">"Name"</th>
                                    <th scope="col">"Location"</th>
                                    <th scope="col" class="num">"On hand"</th>
                                    <th scope="col" class="num">"Reserved"</th>
                                    <th scope="col" class="num">"Available"</th>
                                    <th scope="col" class="num">"Reorder at"</th>
                                    <th scope="col"><span class="sr-only">"Actions"</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {page.items.into_iter().map(|item| {
                                    let chosen = item.clone();
                                    view! {
                                        <tr data-test="stock-row" class:low=item.low>
                                            <td class="nowrap stack-head" data-test="stock-sku">{item.sku.clone()}</td>
                                            <td class="stack-title">{item.name.clone()}
                                                {item.low.then(|| view! { <span class="badge low-badge" data-test="low">"Low"</span> })}
                                            </td>
                                            <td data-label="Location">{item.location.clone()}</td>
                                            <td data-label="On hand" class="num" data-test="stock-on-hand">{format!("{} {}", item.on_hand, item.unit)}</td>
                                            <td data-label="Reserved" class="num">{item.reserved}</td>
                                            <td data-label="Available" class="num" data-test="stock-available">{item.available}</td>
                                            <td data-label="Reorder at" class="num">{item.reorder_level}</td>
                                            <td><button class="btn" data-test="stock-move" on:click=move |_| selected.set(Some(chosen.clone()))>"Movements"</button></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any(),
            })}
        </Transition>
        {move || selected.get().map(|item| view! {
            <MovementDialog item on_close=Callback::new(move |changed: bool| {
                selected.set(None);
                if changed { list.refetch(); }
            })/>
        })}
    }
}

#[component]
fn MovementDialog(item: StockItem, on_close: Callback<bool>) -> impl IntoView {
    let id = item.id;
    let history = Resource::new(move || id, stock_movements);
    let kind = RwSignal::new(MovementKind::Receive);
    let quantity = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let busy = RwSignal::new(false);
    let on_hand = RwSignal::new(item.on_hand);
    let changed = RwSignal::new(false);
    let unit = item.unit.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(q) = quantity.get().trim().parse::<i32>() else {
            errors.set(FieldErrors::single("quantity", "Enter a whole number."));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let r = move_stock(id, kind.get_untracked(), q, reason.get_untracked()).await;
            busy.set(false);
            match r {
                Ok(item) => {
                    on_hand.set(item.on_hand);
                    quantity.set(String::new());
                    reason.set(String::new());
                    errors.set(FieldErrors::new());
                    changed.set(true);
                    history.refetch();
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => errors.set(FieldErrors::single("quantity", e.to_string())),
            }
        });
    };
    view! {
        <Modal title=format!("{} ({})", item.name, item.sku) test_id="stock-dialog" on_close=Callback::new(move |_| on_close.run(changed.get_untracked()))>
            <p data-test="dialog-on-hand">{move || format!("On hand: {} {}", on_hand.get(), unit)}</p>
            <form class="form" on:submit=submit novalidate>
                <div class="grid-2">
                    <div class="field">
                        <label for="m-kind">"Movement"</label>
                        <select id="m-kind" data-test="movement-kind" on:change=move |ev| if let Ok(k) = event_target_value(&ev).parse() { kind.set(k) }>
                            <option value="receive">"Receive (+)"</option>
                            <option value="issue">"Issue (−)"</option>
                            <option value="adjust">"Correct the count (±)"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="m-qty">"Quantity"</label>
                        <input id="m-qty" type="text" inputmode="numeric" bind:value=quantity data-test="movement-quantity"/>
                        <FieldError errors field="quantity"/>
                    </div>
                </div>
                <div class="field">
                    <label for="m-reason">{move || if kind.get() == MovementKind::Adjust { "Why is the count corrected?" } else { "Reason (optional)" }}</label>
                    <input id="m-reason" type="text" bind:value=reason placeholder="PO-2026-118" data-test="movement-reason"/>
                    <FieldError errors field="reason"/>
                </div>
                <div class="actions">
                    <button type="button" class="btn btn-quiet" on:click=move |_| on_close.run(changed.get_untracked())>"Close"</button>
                    <button type="submit" class="btn btn-primary" data-test="movement-save" disabled=move || busy.get()>"Record"</button>
                </div>
            </form>
            <h3>"Recent movements"</h3>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || history.get().map(|r| match r {
                    Err(e) => view! { <p class="form-error">{e.to_string()}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">"No movements yet."</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="plain-list" data-test="movements">
                            {list.into_iter().map(|m| view! {
                                <li data-test="movement">
                                    <strong>{format!("{:+}", m.delta)}</strong> " " {m.kind.label()} " → " {m.on_hand_after}
                                    {m.ticket_id.zip(m.ticket_number).map(|(t, n)| view! { <span>" · " <a href=format!("/tickets/{t}")>{n}</a></span> })}
                                    <div class="muted small">{format!("{} · {}", m.actor_name, date_time(m.at))}</div>
                                    {(!m.reason.is_empty()).then(|| view! { <div class="small">{m.reason}</div> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </Modal>
    }
}

#[component]
fn NewItemForm(on_done: Callback<Option<String>>) -> impl IntoView {
    let sku = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let unit = RwSignal::new("pcs".to_string());
    let location = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let on_hand = RwSignal::new("0".to_string());
    let reorder = RwSignal::new("0".to_string());
    let errors = RwSignal::new(FieldErrors::new());
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::new();
        let count =
            |text: String, field: &str, e: &mut FieldErrors| match text.trim().parse::<i32>() {
                Ok(n) => n,
                Err(_) => {
                    e.add(field, "Enter a whole number.");
                    0
                }
            };
        let opening = count(on_hand.get(), "on_hand", &mut e);
        let reorder_level = count(reorder.get(), "reorder_level", &mut e);
        let unit_price = match price.get().trim() {
            "" => Money::ZERO,
            p => Money::parse_input(p).unwrap_or_else(|err| {
                e.add("unit_price", err.to_string());
                Money::ZERO
            }),
        };
        let input = NewStockItem {
            sku: sku.get(),
            name: name.get(),
            unit: unit.get(),
            location: location.get(),
            unit_price,
            on_hand: opening,
            reorder_level,
        };
        if let Err(more) = input.clone().normalized().validate() {
            for (f, m) in more.iter() {
                e.add(f, m);
            }
        }
        if !e.is_empty() {
            errors.set(e);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let r = create_stock_item(input).await;
            busy.set(false);
            match r {
                Ok(item) => on_done.run(Some(item.name)),
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => errors.set(FieldErrors::single("sku", e.to_string())),
            }
        });
    };
    view! {
        <section class="card" data-test="stock-form">
            <h2>"New stock item"</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="grid-2">
                    <div class="field">
                        <label for="n-sku">"SKU"</label>
                        <input id="n-sku" type="text" bind:value=sku placeholder="ATK-KRT-A4" data-test="stock-sku-input"/>
                        <FieldError errors field="sku"/>
                    </div>
                    <div class="field">
                        <label for="n-name">"Name"</label>
                        <input id="n-name" type="text" bind:value=name placeholder="Kertas A4 80gsm" data-test="stock-name-input"/>
                        <FieldError errors field="name"/>
                    </div>
                    <div class="field">
                        <label for="n-unit">"Unit"</label>
                        <input id="n-unit" type="text" bind:value=unit placeholder="rim" data-test="stock-unit-input"/>
                        <FieldError errors field="unit"/>
                    </div>
                    <div class="field">
                        <label for="n-location">"Location"</label>
                        <input id="n-location" type="text" bind:value=location placeholder="Gudang GA Lantai B1"/>
                        <FieldError errors field="location"/>
                    </div>
                    <div class="field">
                        <label for="n-price">"Unit price (Rp)"</label>
                        <input id="n-price" type="text" inputmode="decimal" bind:value=price placeholder="55.000" data-test="stock-price-input"/>
                        <FieldError errors field="unit_price"/>
                    </div>
                    <div class="field">
                        <label for="n-onhand">"Opening quantity"</label>
                        <input id="n-onhand" type="text" inputmode="numeric" bind:value=on_hand data-test="stock-onhand-input"/>
                        <FieldError errors field="on_hand"/>
                    </div>
                    <div class="field">
                        <label for="n-reorder">"Reorder at or below"</label>
                        <input id="n-reorder" type="text" inputmode="numeric" bind:value=reorder data-test="stock-reorder-input"/>
                        <FieldError errors field="reorder_level"/>
                    </div>
                </div>
                <div class="actions">
                    <button type="button" class="btn btn-quiet" on:click=move |_| on_done.run(None)>"Cancel"</button>
                    <button type="submit" class="btn btn-primary" data-test="save-stock-item" disabled=move || busy.get()>"Add"</button>
                </div>
            </form>
        </section>
    }
}
