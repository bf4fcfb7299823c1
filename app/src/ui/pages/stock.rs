//! Consumable stock for GA staff: what is on the shelves, what approved
//! tickets hold, what needs reordering; receive, issue and correct.

use super::assets::{LoadFailed, SkeletonRows};
use crate::api::inventory::{create_stock_item, list_stock, move_stock, stock_movements};
use crate::api::ApiError;
use crate::domain::stock::{MovementKind, NewStockItem, StockItem};
use crate::domain::{FieldError, FieldErrors, Money};
use crate::i18n::Text;
use crate::i18n::{fill, Common};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::load_more::{replay, trail_from, LoadMore};
use crate::ui::components::modal::Modal;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use uuid::Uuid;

#[component]
pub fn StockPage() -> impl IntoView {
    let t = StockT::get();
    let c = Common::get();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let low = Memo::new(move |_| query.read().get("low").is_some_and(|v| v == "true"));
    // As on the asset list, the pages added with "Load more" are kept in
    // the address and replayed from it (see `components::load_more`).
    let list = Resource::new(
        move || (q.get(), low.get()),
        move |(q, low)| {
            replay(
                move |cursor| list_stock(q.clone(), low, cursor),
                trail_from(&query.read_untracked()),
                item_id,
            )
        },
    );
    let selected = RwSignal::new(None::<StockItem>);
    let creating = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let more = LoadMore::new(list);
    let load_more = more.on_click(
        "/stock",
        move || stock_query(&q.get_untracked(), low.get_untracked()),
        move |next| list_stock(q.get_untracked(), low.get_untracked(), Some(next)),
        item_id,
    );
    view! {
        <Title text=move || if low.get() { t.low_stock } else { c.stock }/>
        <div class="page-head">
            <h1>{move || if low.get() { t.low_stock } else { c.stock }}</h1>
            <div class="head-actions">
                <a class="btn" href="/stock?low=true" data-test="low-stock-link">{t.low_stock}</a>
                <button class="btn btn-primary" data-test="new-stock-item" on:click=move |_| creating.update(|c| *c = !*c)>{t.new_item}</button>
            </div>
        </div>
        {move || notice.get().map(|n| view! { <p class="notice" role="status" data-test="notice">{n}</p> })}
        <Show when=move || creating.get()>
            <NewItemForm on_done=Callback::new(move |name: Option<String>| {
                creating.set(false);
                if let Some(n) = name { notice.set(Some(fill(t.added, &[&n]))); list.refetch(); }
            })/>
        </Show>
        <Form method="GET" action="/stock" attr:class="filters">
            <div class="field">
                <label for="s-q">{c.search}</label>
                <input id="s-q" name="q" type="search" placeholder=t.search_placeholder prop:value=move || q.get()/>
            </div>
            <label class="checkbox">
                <input type="checkbox" name="low" value="true" prop:checked=move || low.get()/>
                {t.only_low}
            </label>
            <button type="submit" class="btn">{t.apply}</button>
        </Form>
        <Transition fallback=|| view! { <SkeletonRows rows=8 columns=5/> }>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <LoadFailed error=e on_retry=Callback::new(move |_| list.refetch())/> }.into_any(),
                Ok(page) if page.items.is_empty() => {
                    let searching = !q.get_untracked().trim().is_empty();
                    if searching {
                        let clear = if low.get_untracked() { "/stock?low=true" } else { "/stock" };
                        view! {
                            <section class="empty" data-test="empty-stock">
                                <h2>{t.no_match}</h2>
                                <p>{t.no_match_hint}</p>
                                <a class="btn" href=clear data-test="clear-search">{t.clear_search}</a>
                            </section>
                        }.into_any()
                    } else if low.get_untracked() {
                        view! {
                            <section class="empty" data-test="empty-stock">
                                <h2>{t.nothing_low}</h2>
                                <p>{t.nothing_low_hint}</p>
                                <a class="btn" href="/stock" data-test="show-all-stock">{t.show_all}</a>
                            </section>
                        }.into_any()
                    } else {
                        view! {
                            <section class="empty" data-test="empty-stock">
                                <h2>{t.none}</h2>
                                <p>{t.none_hint}</p>
                                <button type="button" class="btn btn-primary" data-test="add-first-stock-item"
                                    on:click=move |_| creating.set(true)>{t.add_first}</button>
                            </section>
                        }.into_any()
                    }
                }
                Ok(page) => {
                    let has_next = page.next_cursor.is_some();
                    let load_more = load_more.clone();
                    view! {
                        <div class="table-wrap">
                            <table class="stack" data-test="stock-list">
                                <thead>
                                    <tr>
                                        <th scope="col">{t.sku}</th>
                                        <th scope="col">{t.name}</th>
                                        <th scope="col">{t.location}</th>
                                        <th scope="col" class="num">{t.on_hand}</th>
                                        <th scope="col" class="num">{t.reserved}</th>
                                        <th scope="col" class="num">{t.available}</th>
                                        <th scope="col" class="num">{t.reorder_at}</th>
                                        <th scope="col"><span class="sr-only">{t.actions}</span></th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {more.table_rows(page.items, item_id, move |item| view! { <StockRow item selected/> })}
                                </tbody>
                            </table>
                        </div>
                        {more.footer(has_next, load_more)}
                    }.into_any()
                }
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

fn item_id(i: &StockItem) -> Uuid {
    i.id
}

/// The list's filters as a query string (`q=…&low=true`).
fn stock_query(q: &str, low: bool) -> String {
    let mut parts = Vec::new();
    if !q.trim().is_empty() {
        parts.push(format!(
            "q={}",
            crate::domain::page::encode_query_value(q.trim())
        ));
    }
    if low {
        parts.push("low=true".to_string());
    }
    parts.join("&")
}

#[component]
fn StockRow(item: StockItem, selected: RwSignal<Option<StockItem>>) -> impl IntoView {
    let t = StockT::get();
    let chosen = item.clone();
    view! {
        <tr data-test="stock-row" class:low=item.low>
            <td class="nowrap stack-head" data-test="stock-sku">{item.sku.clone()}</td>
            <td class="stack-title">{item.name.clone()}
                {item.low.then(|| view! { <span class="badge low-badge" data-test="low">{t.low}</span> })}
            </td>
            <td data-label=t.location>{item.location.clone()}</td>
            <td data-label=t.on_hand class="num" data-test="stock-on-hand">{format!("{} {}", item.on_hand, item.unit)}</td>
            <td data-label=t.reserved class="num">{item.reserved}</td>
            <td data-label=t.available class="num" data-test="stock-available">{item.available}</td>
            <td data-label=t.reorder_at class="num">{item.reorder_level}</td>
            <td><button class="btn" data-test="stock-move" on:click=move |_| selected.set(Some(chosen.clone()))>{t.movements}</button></td>
        </tr>
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
    let t = StockT::get();
    let lang = crate::i18n::use_lang();
    let c = Common::get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(q) = quantity.get().trim().parse::<i32>() else {
            errors.set(FieldErrors::single("quantity", FieldError::NotANumber));
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
                Err(e) => errors.set(e.for_field("quantity")),
            }
        });
    };
    view! {
        <Modal title=format!("{} ({})", item.name, item.sku) test_id="stock-dialog" on_close=Callback::new(move |_| on_close.run(changed.get_untracked()))>
            <p data-test="dialog-on-hand">{move || fill(t.on_hand_now, &[&on_hand.get(), &unit])}</p>
            <form class="form" on:submit=submit novalidate>
                <div class="grid-2">
                    <div class="field">
                        <label for="m-kind">{t.movement}</label>
                        <select id="m-kind" data-test="movement-kind" on:change=move |ev| if let Ok(k) = event_target_value(&ev).parse() { kind.set(k) }>
                            <option value="receive">{t.receive}</option>
                            <option value="issue">{t.issue}</option>
                            <option value="adjust">{t.adjust}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="m-qty">{t.quantity}</label>
                        <input id="m-qty" type="text" inputmode="numeric" bind:value=quantity data-test="movement-quantity"/>
                        <FieldErrorText errors field="quantity"/>
                    </div>
                </div>
                <div class="field">
                    <label for="m-reason">{move || if kind.get() == MovementKind::Adjust { t.why_adjust } else { t.reason_optional }}</label>
                    <input id="m-reason" type="text" bind:value=reason placeholder=t.reason_example data-test="movement-reason"/>
                    <FieldErrorText errors field="reason"/>
                </div>
                <div class="actions">
                    <button type="button" class="btn btn-quiet" on:click=move |_| on_close.run(changed.get_untracked())>{c.close}</button>
                    <button type="submit" class="btn btn-primary" data-test="movement-save" disabled=move || busy.get()>{t.record}</button>
                </div>
            </form>
            <h3>{t.recent}</h3>
            <Transition fallback=|| view! { <SkeletonRows rows=3 columns=2/> }>
                {move || history.get().map(|r| match r {
                    Err(e) => view! { <LoadFailed error=e on_retry=Callback::new(move |_| history.refetch())/> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t.no_movements}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="plain-list" data-test="movements">
                            {list.into_iter().map(|m| view! {
                                <li data-test="movement">
                                    <strong>{format!("{:+}", m.delta)}</strong> " " {m.kind.text()} " → " {m.on_hand_after}
                                    {m.ticket_id.zip(m.ticket_number).map(|(t, n)| view! { <span>" · " <a href=format!("/tickets/{t}")>{n}</a></span> })}
                                    <div class="muted small">{format!("{} · {}", m.actor_name, date_time(m.at))}</div>
                                    {(!m.reason.is_empty()).then(|| view! { <div class="small">{m.reason}</div> })}
                                    {m.system_note.map(|n| view! { <div class="small" data-test="system-note">{n.render(lang)}</div> })}
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
    let t = StockT::get();
    let c = Common::get();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::new();
        let count =
            |text: String, field: &str, e: &mut FieldErrors| match text.trim().parse::<i32>() {
                Ok(n) => n,
                Err(_) => {
                    e.add(field, FieldError::NotANumber);
                    0
                }
            };
        let opening = count(on_hand.get(), "on_hand", &mut e);
        let reorder_level = count(reorder.get(), "reorder_level", &mut e);
        let unit_price = match price.get().trim() {
            "" => Money::ZERO,
            p => Money::parse_input(p).unwrap_or_else(|err| {
                e.add("unit_price", err.into());
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
            e.merge(more);
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
                Err(e) => errors.set(e.for_field("sku")),
            }
        });
    };
    view! {
        <section class="card" data-test="stock-form">
            <h2>{t.new_item}</h2>
            <form class="form" on:submit=submit novalidate>
                <div class="grid-2">
                    <div class="field">
                        <label for="n-sku">{t.sku}</label>
                        <input id="n-sku" type="text" bind:value=sku placeholder=t.sku_example data-test="stock-sku-input"/>
                        <FieldErrorText errors field="sku"/>
                    </div>
                    <div class="field">
                        <label for="n-name">{t.name}</label>
                        <input id="n-name" type="text" bind:value=name placeholder=t.name_example data-test="stock-name-input"/>
                        <FieldErrorText errors field="name"/>
                    </div>
                    <div class="field">
                        <label for="n-unit">{t.unit}</label>
                        <input id="n-unit" type="text" bind:value=unit placeholder=t.unit_example data-test="stock-unit-input"/>
                        <FieldErrorText errors field="unit"/>
                    </div>
                    <div class="field">
                        <label for="n-location">{t.location}</label>
                        <input id="n-location" type="text" bind:value=location placeholder=t.location_example/>
                        <FieldErrorText errors field="location"/>
                    </div>
                    <div class="field">
                        <label for="n-price">{t.unit_price}</label>
                        <input id="n-price" type="text" inputmode="decimal" bind:value=price placeholder=t.price_example data-test="stock-price-input"/>
                        <FieldErrorText errors field="unit_price"/>
                    </div>
                    <div class="field">
                        <label for="n-onhand">{t.opening}</label>
                        <input id="n-onhand" type="text" inputmode="numeric" bind:value=on_hand data-test="stock-onhand-input"/>
                        <FieldErrorText errors field="on_hand"/>
                    </div>
                    <div class="field">
                        <label for="n-reorder">{t.reorder_label}</label>
                        <input id="n-reorder" type="text" inputmode="numeric" bind:value=reorder data-test="stock-reorder-input"/>
                        <FieldErrorText errors field="reorder_level"/>
                    </div>
                </div>
                <div class="actions">
                    <button type="button" class="btn btn-quiet" on:click=move |_| on_done.run(None)>{c.cancel}</button>
                    <button type="submit" class="btn btn-primary" data-test="save-stock-item" disabled=move || busy.get()>{t.add}</button>
                </div>
            </form>
        </section>
    }
}

crate::texts! {
    StockT {
        low_stock: "Low stock", "Stok menipis";
        new_item: "New stock item", "Barang stok baru";
        added: "{0} added.", "{0} ditambahkan.";
        search_placeholder: "Name or SKU", "Nama atau SKU";
        only_low: " Only at or below reorder level", " Hanya yang pada atau di bawah batas pesan ulang";
        apply: "Apply", "Terapkan";
        no_match: "No stock items match", "Tidak ada barang stok yang cocok";
        no_match_hint: "Try another name or SKU, or clear the search.", "Coba nama atau SKU lain, atau hapus pencarian.";
        clear_search: "Clear the search", "Hapus pencarian";
        nothing_low: "Nothing needs reordering", "Tidak ada yang perlu dipesan ulang";
        nothing_low_hint: "Every item is above its reorder level.", "Semua barang masih di atas batas pesan ulang.";
        show_all: "Show all stock", "Tampilkan semua stok";
        none: "No stock items", "Belum ada barang stok";
        none_hint: "Add what GA keeps on its shelves (paper, toner, coffee, soap) so requests can draw on it.", "Tambahkan barang yang disimpan GA di rak (kertas, toner, kopi, sabun) agar permintaan bisa diambil dari stok.";
        add_first: "Add the first item", "Tambah barang pertama";
        sku: "SKU", "SKU";
        name: "Name", "Nama";
        location: "Location", "Lokasi";
        on_hand: "On hand", "Stok fisik";
        reserved: "Reserved", "Dicadangkan";
        available: "Available", "Tersedia";
        reorder_at: "Reorder at", "Batas pesan ulang";
        actions: "Actions", "Tindakan";
        low: "Low", "Menipis";
        movements: "Movements", "Mutasi";
        on_hand_now: "On hand: {0} {1}", "Stok fisik: {0} {1}";
        movement: "Movement", "Jenis mutasi";
        receive: "Receive (+)", "Terima barang (+)";
        issue: "Issue (−)", "Keluarkan (−)";
        adjust: "Correct the count (±)", "Sesuaikan jumlah (±)";
        quantity: "Quantity", "Jumlah";
        why_adjust: "Why is the count corrected?", "Mengapa jumlahnya disesuaikan?";
        reason_optional: "Reason (optional)", "Alasan (opsional)";
        reason_example: "PO-2026-118", "PO-2026-118";
        record: "Record", "Catat";
        recent: "Recent movements", "Mutasi terakhir";
        no_movements: "No movements yet.", "Belum ada mutasi.";
        sku_example: "ATK-KRT-A4", "ATK-KRT-A4";
        name_example: "Kertas A4 80gsm", "Kertas A4 80gsm";
        unit: "Unit", "Satuan";
        unit_example: "rim", "rim";
        location_example: "Gudang GA Lantai B1", "Gudang GA Lantai B1";
        unit_price: "Unit price (Rp)", "Harga satuan (Rp)";
        price_example: "55.000", "55.000";
        opening: "Opening quantity", "Jumlah awal";
        reorder_label: "Reorder at or below", "Batas pesan ulang";
        add: "Add", "Tambah";
    }
}
