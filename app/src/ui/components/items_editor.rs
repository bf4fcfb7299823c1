//! Editable item lines with live subtotals, shared by the new-request form
//! and the edit form.

use crate::domain::stock::StockItem;
use crate::domain::ticket::{ItemDraft, TicketItem};
use crate::domain::FieldErrors;
use crate::i18n::fill;
use crate::i18n::Localized;
use crate::ui::components::field::FieldErrorText;
use leptos::prelude::*;

/// One editable item line; `key` keeps rows stable while others are removed.
#[derive(Clone, Copy)]
pub struct ItemRow {
    pub key: u32,
    pub name: RwSignal<String>,
    pub quantity: RwSignal<String>,
    pub unit: RwSignal<String>,
    pub unit_price: RwSignal<String>,
    pub stock_item_id: RwSignal<Option<uuid::Uuid>>,
}

impl ItemRow {
    pub fn new(key: u32, draft: ItemDraft) -> Self {
        Self {
            key,
            name: RwSignal::new(draft.name),
            quantity: RwSignal::new(draft.quantity),
            unit: RwSignal::new(draft.unit),
            unit_price: RwSignal::new(draft.unit_price),
            stock_item_id: RwSignal::new(draft.stock_item_id),
        }
    }

    pub fn draft(&self) -> ItemDraft {
        ItemDraft {
            name: self.name.get(),
            quantity: self.quantity.get(),
            unit: self.unit.get(),
            unit_price: self.unit_price.get(),
            stock_item_id: self.stock_item_id.get(),
        }
    }
}

/// The rows of an items editor and the key for the next one.
#[derive(Clone, Copy)]
pub struct ItemRows {
    pub rows: RwSignal<Vec<ItemRow>>,
    next_key: StoredValue<u32>,
}

impl ItemRows {
    pub fn new(drafts: Vec<ItemDraft>) -> Self {
        let rows: Vec<ItemRow> = drafts
            .into_iter()
            .enumerate()
            .map(|(i, d)| ItemRow::new(i as u32, d))
            .collect();
        let next = rows.len() as u32;
        Self {
            rows: RwSignal::new(rows),
            next_key: StoredValue::new(next),
        }
    }

    /// Rows for existing items, typed the way a person would type them.
    pub fn from_items(items: &[TicketItem]) -> Self {
        Self::new(items.iter().map(ItemDraft::from).collect())
    }

    pub fn add(&self) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        self.rows.update(|rows| {
            rows.push(ItemRow::new(
                key,
                ItemDraft {
                    quantity: "1".into(),
                    unit: "pcs".into(),
                    ..ItemDraft::default()
                },
            ))
        });
    }

    /// Adds a line for a stock item, or one more of it when already listed.
    pub fn add_stock(&self, item: &StockItem) {
        let existing = self
            .rows
            .get_untracked()
            .into_iter()
            .find(|r| r.stock_item_id.get_untracked() == Some(item.id));
        if let Some(row) = existing {
            let q: u32 = row.quantity.get_untracked().trim().parse().unwrap_or(0);
            row.quantity.set((q + 1).to_string());
            return;
        }
        let draft = ItemDraft {
            name: item.name.clone(),
            quantity: "1".into(),
            unit: item.unit.clone(),
            unit_price: item.unit_price.input_text(),
            stock_item_id: Some(item.id),
        };
        // An untouched empty first line is replaced rather than kept.
        let blank = |r: &ItemRow| {
            r.name.get_untracked().trim().is_empty()
                && r.unit_price.get_untracked().trim().is_empty()
                && r.stock_item_id.get_untracked().is_none()
        };
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        self.rows.update(|rows| {
            rows.retain(|r| !blank(r));
            rows.push(ItemRow::new(key, draft));
        });
    }

    pub fn drafts(&self) -> Vec<ItemDraft> {
        self.rows.get().iter().map(ItemRow::draft).collect()
    }
}

#[component]
pub fn ItemsEditor(items: ItemRows, errors: RwSignal<FieldErrors>) -> impl IntoView {
    let t = ItemsEditorT::get();
    let numbered = move || items.rows.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <fieldset class="items">
            <legend>{t.items}</legend>
            <FieldErrorText errors field="items"/>
            <div class="item-head" aria-hidden="true">
                <span>{t.item}</span><span>{t.qty}</span><span>{t.unit}</span>
                <span>{t.unit_price}</span><span class="num">{t.subtotal}</span><span></span>
            </div>
            <For each=numbered key=|(i, row)| (*i, row.key) let:entry>
                {
                    let (i, row) = entry;
                    let line = move || {
                        ItemDraft {
                            name: String::new(),
                            quantity: row.quantity.get(),
                            unit: String::new(),
                            unit_price: row.unit_price.get(),
                            stock_item_id: None,
                        }
                        .line_total()
                        .map(|r| r.map(|m| m.to_string()).unwrap_or_else(|_| t.too_large.into()))
                        .unwrap_or_else(|| "—".into())
                    };
                    let remove = move |_| items.rows.update(|rows| rows.retain(|r| r.key != row.key));
                    let n = i + 1;
                    view! {
                        <div class="item-row" data-test="item-row">
                            <div class="field">
                                <label class="sr-only" for=format!("i{i}-name")>{fill(t.name_n, &[&n])}</label>
                                <input id=format!("i{i}-name") type="text" bind:value=row.name
                                    readonly=move || row.stock_item_id.get().is_some()
                                    placeholder=t.name_example data-test="item-name"/>
                                {move || row.stock_item_id.get().map(|_| view! {
                                    <span class="stock-chip" data-test="item-from-stock">{t.from_stock}</span>
                                })}
                                <FieldErrorText errors field=format!("items[{i}].name")/>
                            </div>
                            <div class="field">
                                <label class="sr-only" for=format!("i{i}-qty")>{fill(t.quantity_n, &[&n])}</label>
                                <input id=format!("i{i}-qty") type="text" inputmode="numeric" bind:value=row.quantity
                                    data-test="item-quantity"/>
                                <FieldErrorText errors field=format!("items[{i}].quantity")/>
                            </div>
                            <div class="field">
                                <label class="sr-only" for=format!("i{i}-unit")>{fill(t.unit_n, &[&n])}</label>
                                <input id=format!("i{i}-unit") type="text" bind:value=row.unit
                                    readonly=move || row.stock_item_id.get().is_some()
                                    placeholder=t.unit_example data-test="item-unit"/>
                                <FieldErrorText errors field=format!("items[{i}].unit")/>
                            </div>
                            <div class="field">
                                <label class="sr-only" for=format!("i{i}-price")>{fill(t.price_n, &[&n])}</label>
                                <input id=format!("i{i}-price") type="text" inputmode="decimal" bind:value=row.unit_price
                                    placeholder="55.000" data-test="item-price"/>
                                <FieldErrorText errors field=format!("items[{i}].unit_price")/>
                            </div>
                            <div class="num line-total" data-test="item-subtotal">{line}</div>
                            <button type="button" class="btn btn-quiet btn-icon" on:click=remove
                                disabled=move || items.rows.with(|r| r.len() <= 1)
                                aria-label=fill(t.remove_n, &[&n]) data-test="item-remove">"✕"</button>
                        </div>
                    }
                }
            </For>
            <div class="inline">
                <button type="button" class="btn" on:click=move |_| items.add() data-test="add-item">{t.add_item}</button>
                <StockPicker items/>
            </div>
        </fieldset>
    }
}

/// Finds stock items by name or SKU and adds them as lines; shows what is
/// available (on hand minus what approved requests hold).
#[component]
fn StockPicker(items: ItemRows) -> impl IntoView {
    let open = RwSignal::new(false);
    let q = RwSignal::new(String::new());
    let t = ItemsEditorT::get();
    let found = RwSignal::new(None::<Result<Vec<StockItem>, String>>);
    let search = move |text: String| {
        leptos::task::spawn_local(async move {
            let r = crate::api::inventory::pick_stock(text.clone()).await;
            // Answers can come back out of order: only the one for what is
            // in the box now counts.
            if q.get_untracked() == text {
                found.set(Some(r.map_err(|e| e.localized())));
            }
        });
    };
    view! {
        <button type="button" class="btn" data-test="from-stock" aria-expanded=move || open.get().to_string()
            on:click=move |_| { open.update(|o| *o = !*o); if open.get_untracked() { search(q.get_untracked()) } }>
            {t.add_from_stock}
        </button>
        <Show when=move || open.get()>
            <div class="stock-picker" data-test="stock-picker">
                <label for="stock-q" class="sr-only">{t.search_stock}</label>
                <input id="stock-q" type="search" placeholder=t.search_stock_example bind:value=q
                    data-test="stock-search"
                    on:input=move |ev| search(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); search(q.get_untracked()) }/>
                {move || found.get().map(|r| match r {
                    Err(e) => view! { <p class="form-error">{e}</p> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{t.nothing_in_stock}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="picker">
                            {list.into_iter().map(|item| {
                                let chosen = item.clone();
                                let available = item.available.max(0);
                                view! {
                                    <li>
                                        <button type="button" class="pick" data-test="stock-option"
                                            on:click=move |_| items.add_stock(&chosen)>
                                            <strong>{item.name.clone()}</strong>
                                            <span class="muted">{fill(t.stock_line, &[&item.sku, &available, &item.unit, &item.unit_price])}</span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </div>
        </Show>
    }
}

crate::texts! {
    ItemsEditorT {
        items: "Items", "Barang";
        item: "Item", "Barang";
        qty: "Qty", "Jml";
        unit: "Unit", "Satuan";
        unit_price: "Unit price (Rp)", "Harga satuan (Rp)";
        subtotal: "Subtotal", "Subtotal";
        too_large: "Too large", "Terlalu besar";
        name_n: "Item {0} name", "Nama barang {0}";
        quantity_n: "Item {0} quantity", "Jumlah barang {0}";
        unit_n: "Item {0} unit", "Satuan barang {0}";
        price_n: "Item {0} unit price in Rupiah", "Harga satuan barang {0} dalam Rupiah";
        remove_n: "Remove item {0}", "Hapus barang {0}";
        name_example: "Kertas A4 80gsm", "Kertas A4 80gsm";
        unit_example: "rim", "rim";
        from_stock: "From GA stock", "Dari stok GA";
        add_item: "+ Add item", "+ Tambah barang";
        add_from_stock: "+ From GA stock", "+ Dari stok GA";
        search_stock: "Search GA stock", "Cari stok GA";
        search_stock_example: "Search GA stock: kertas, toner, kopi…", "Cari stok GA: kertas, toner, kopi…";
        nothing_in_stock: "Nothing in stock matches.", "Tidak ada stok yang cocok.";
        stock_line: " {0} · {1} {2} available · {3}", " {0} · tersedia {1} {2} · {3}";
    }
}
