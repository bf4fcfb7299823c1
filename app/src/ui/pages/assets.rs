//! The asset register: filters in the address (shareable, work without
//! WASM), keyset "Load more", CSV export, and registering new assets.

use crate::api::inventory::{create_asset, list_assets};
use crate::api::ApiError;
use crate::domain::asset::{
    AssetCategory, AssetCondition, AssetQuery, AssetStatus, AssetSummary, NewAsset,
};
use crate::domain::{FieldError, FieldErrors, Money, Page, Permission};
use crate::i18n::{fill, Common};
use crate::i18n::{Localized, Text};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::load_more::{replay, trail_from, LoadMore};
use crate::ui::CurrentUser;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use uuid::Uuid;

#[component]
pub fn AssetStatusBadge(status: AssetStatus) -> impl IntoView {
    view! {
        <span class=format!("badge asset-{}", status.as_str()) data-test="asset-status">{status.text()}</span>
    }
}

/// A grey placeholder shaped like the list it stands for, so the page does
/// not jump when the rows arrive. Shared by the inventory and admin pages.
/// Bars after the third are hidden on narrow screens, where lists are cards.
#[component]
pub(crate) fn SkeletonRows(
    #[prop(default = 6)] rows: usize,
    #[prop(default = 4)] columns: usize,
) -> impl IntoView {
    let c = Common::get();
    view! {
        <div class="skeleton skeleton-list" aria-busy="true" data-test="skeleton">
            <span class="sr-only">{c.loading}</span>
            {(0..rows).map(|_| view! {
                <div class="skeleton-row" aria-hidden="true">
                    {(0..columns).map(|i| {
                        let short = if i % 2 == 1 { " short" } else { "" };
                        let narrow = if i >= 3 { " hide-narrow" } else { "" };
                        view! { <span class=format!("skeleton-line skeleton-bar{short}{narrow}")></span> }
                    }).collect_view()}
                </div>
            }).collect_view()}
        </div>
    }
}

/// A failed load: the reason in the page's language and a way to ask again.
#[component]
pub(crate) fn LoadFailed(error: ApiError, on_retry: Callback<()>) -> impl IntoView {
    let c = Common::get();
    view! {
        <div class="load-failed" role="alert" data-test="load-error">
            <p class="form-error">{error.localized()}</p>
            <button type="button" class="btn" data-test="retry" on:click=move |_| on_retry.run(())>{c.retry}</button>
        </div>
    }
}

#[component]
fn AssetRow(asset: AssetSummary) -> impl IntoView {
    let t = AssetsT::get();
    let href = format!("/assets/{}", asset.id);
    view! {
        <tr data-test="asset-row">
            <td class="nowrap stack-head"><a href=href data-test="asset-tag">{asset.tag}</a></td>
            <td class="stack-title" data-test="asset-name">{asset.name}</td>
            <td data-label=t.category>{asset.category.text()}</td>
            <td data-label=t.status><AssetStatusBadge status=asset.status/></td>
            <td data-label=t.condition>{asset.condition.text()}</td>
            <td data-label=t.location>{asset.location}</td>
            <td data-label=t.holder data-test="asset-holder">{asset.holder_name.unwrap_or_else(|| "—".into())}</td>
            <td data-label=t.warranty class="nowrap muted">{asset.warranty_end.map(crate::ui::format::day).unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}

fn filters_from(query: &ParamsMap) -> AssetQuery {
    AssetQuery {
        q: query.get("q"),
        status: query.get("status").and_then(|s| s.parse().ok()),
        category: query.get("category").and_then(|s| s.parse().ok()),
        location: query.get("location"),
        mine: query.get("mine").is_some_and(|m| m == "true"),
        warranty_days: query.get("warranty_days").and_then(|d| d.parse().ok()),
        limit: Some(25),
        ..AssetQuery::default()
    }
    .normalized()
}

/// True when something narrows the list beyond "mine", which has its own
/// empty state.
fn narrowed(f: &AssetQuery) -> bool {
    f.q.is_some()
        || f.status.is_some()
        || f.category.is_some()
        || f.location.is_some()
        || f.warranty_days.is_some()
}

fn asset_id(a: &AssetSummary) -> Uuid {
    a.id
}

async fn load_list(
    filters: AssetQuery,
    trail: Vec<String>,
) -> Result<Page<AssetSummary>, ApiError> {
    replay(
        |cursor| list_assets(filters.clone(), cursor),
        trail,
        asset_id,
    )
    .await
}

#[component]
pub fn AssetsPage() -> impl IntoView {
    let t = AssetsT::get();
    let c = Common::get();
    let query = use_query_map();
    let filters = Memo::new(move |_| filters_from(&query.read()));
    // Only the filters start a new load. The pages already loaded are read
    // from the address when the list is rendered (on the server, or in the
    // browser after coming back), so replacing the address on "Load more"
    // does not reload what is on screen.
    let first = Resource::new(
        move || filters.get(),
        move |f| load_list(f, trail_from(&query.read_untracked())),
    );
    let more = LoadMore::new(first);
    let registering = RwSignal::new(false);
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let manager = move || {
        user.get()
            .flatten()
            .is_some_and(|a| a.can(Permission::AssetsManage))
    };
    // Only GA staff see the register; for everyone else this page is the
    // assets they hold.
    let mine = move || filters.get().mine || !manager();
    let load_more = more.on_click(
        "/assets",
        move || filters.get_untracked().to_query(),
        move |next| list_assets(filters.get_untracked(), Some(next)),
        asset_id,
    );

    view! {
        <Title text=move || if mine() { c.my_assets } else { c.assets }/>
        <div class="page-head">
            <h1>{move || if mine() { c.my_assets } else { c.assets }}</h1>
            <div class="head-actions">
                <a class="btn" href=move || format!("/api/v1/assets/export.csv?{}", filters.get().to_query())
                    data-test="export-assets" download="gadesk-assets.csv">{t.export_csv}</a>
                <Show when=manager>
                    <button class="btn btn-primary" data-test="register-asset"
                        on:click=move |_| registering.update(|r| *r = !*r)>{t.register_asset}</button>
                </Show>
            </div>
        </div>
        <Show when=move || registering.get()>
            <RegisterForm on_done=Callback::new(move |_| registering.set(false))/>
        </Show>
        <Form method="GET" action="/assets" attr:class="filters" attr:data-test="asset-filters">
            <div class="field">
                <label for="f-q">{c.search}</label>
                <input id="f-q" name="q" type="search" placeholder=t.search_placeholder
                    prop:value=move || filters.get().q.unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="f-status">{t.status}</label>
                <select id="f-status" name="status">
                    <option value="">{t.any}</option>
                    {AssetStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=move || filters.get().status == Some(*s)>{s.text()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-category">{t.category}</label>
                <select id="f-category" name="category">
                    <option value="">{t.any}</option>
                    {AssetCategory::ALL.iter().map(|c| view! {
                        <option value=c.as_str() selected=move || filters.get().category == Some(*c)>{c.text()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-location">{t.location}</label>
                <input id="f-location" name="location" type="text" placeholder=t.location_example
                    prop:value=move || filters.get().location.unwrap_or_default()/>
            </div>
            <div class="field">
                <label for="f-warranty">{t.warranty_ends}</label>
                <select id="f-warranty" name="warranty_days">
                    <option value="">{t.any_time}</option>
                    {[30u32, 90, 365].into_iter().map(|d| view! {
                        <option value=d.to_string() selected=move || filters.get().warranty_days == Some(d)>{fill(t.within_days, &[&d])}</option>
                    }).collect_view()}
                </select>
            </div>
            <Show when=manager>
                <label class="checkbox">
                    <input type="checkbox" name="mine" value="true" prop:checked=move || filters.get().mine/>
                    {t.only_mine}
                </label>
            </Show>
            <button type="submit" class="btn" data-test="apply-filters">{t.apply}</button>
        </Form>
        <Transition fallback=|| view! { <SkeletonRows rows=8 columns=6/> }>
            {move || first.get().map(|result| match result {
                Err(e) => view! { <LoadFailed error=e on_retry=Callback::new(move |_| first.refetch())/> }.into_any(),
                Ok(page) if page.items.is_empty() => {
                    let f = filters.get_untracked();
                    if narrowed(&f) {
                        let clear = if f.mine { "/assets?mine=true" } else { "/assets" };
                        view! {
                            <section class="empty" data-test="empty-assets">
                                <h2>{t.no_match}</h2>
                                <p>{t.no_match_hint}</p>
                                <a class="btn" href=clear data-test="clear-filters">{t.clear_filters}</a>
                            </section>
                        }.into_any()
                    } else if f.mine || !manager() {
                        view! {
                            <section class="empty" data-test="empty-assets">
                                <h2>{t.you_hold_none}</h2>
                                <p>{t.you_hold_none_hint}</p>
                            </section>
                        }.into_any()
                    } else {
                        view! {
                            <section class="empty" data-test="empty-assets">
                                <h2>{t.none_yet}</h2>
                                <Show when=manager fallback=move || view! { <p>{t.none_yet_hint}</p> }>
                                    <p>{t.none_yet_staff_hint}</p>
                                    <button type="button" class="btn btn-primary" data-test="register-first-asset"
                                        on:click=move |_| registering.set(true)>{t.register_first}</button>
                                </Show>
                            </section>
                        }.into_any()
                    }
                }
                Ok(page) => {
                    let has_next = page.next_cursor.is_some();
                    let load_more = load_more.clone();
                    view! {
                        <div class="table-wrap">
                            <table class="assets stack" data-test="asset-list">
                                <thead>
                                    <tr>
                                        <th scope="col">{t.tag}</th>
                                        <th scope="col">{t.name}</th>
                                        <th scope="col">{t.category}</th>
                                        <th scope="col">{t.status}</th>
                                        <th scope="col">{t.condition}</th>
                                        <th scope="col">{t.location}</th>
                                        <th scope="col">{t.holder}</th>
                                        <th scope="col">{t.warranty}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {more.table_rows(page.items, asset_id, |a| view! { <AssetRow asset=a/> })}
                                </tbody>
                            </table>
                        </div>
                        {more.footer(has_next, load_more)}
                    }.into_any()
                }
            })}
        </Transition>
    }
}

fn optional_date(text: &str, field: &str, errors: &mut FieldErrors) -> Option<chrono::NaiveDate> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    match t.parse::<chrono::NaiveDate>() {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, FieldError::NotADate);
            None
        }
    }
}

#[component]
fn RegisterForm(on_done: Callback<()>) -> impl IntoView {
    let t = AssetsT::get();
    let c = Common::get();
    let tag = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let category = RwSignal::new(AssetCategory::Laptop);
    let serial = RwSignal::new(String::new());
    let condition = RwSignal::new(AssetCondition::New);
    let location = RwSignal::new(String::new());
    let purchase_date = RwSignal::new(String::new());
    let price = RwSignal::new(String::new());
    let warranty = RwSignal::new(String::new());
    let notes = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut e = FieldErrors::new();
        let purchase = optional_date(&purchase_date.get(), "purchase_date", &mut e);
        let warranty_end = optional_date(&warranty.get(), "warranty_end", &mut e);
        let purchase_price = match price.get().trim() {
            "" => None,
            p => match Money::parse_input(p) {
                Ok(m) => Some(m),
                Err(err) => {
                    e.add("purchase_price", err.into());
                    None
                }
            },
        };
        if !e.is_empty() {
            errors.set(e);
            return;
        }
        let input = NewAsset {
            tag: Some(tag.get()).filter(|t| !t.trim().is_empty()),
            name: name.get(),
            category: category.get(),
            serial_number: Some(serial.get()).filter(|s| !s.trim().is_empty()),
            condition: condition.get(),
            location: location.get(),
            purchase_date: purchase,
            purchase_price,
            warranty_end,
            notes: notes.get(),
        };
        if let Err(e) = input.clone().normalized().validate() {
            errors.set(e);
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            let r = create_asset(input).await;
            busy.set(false);
            match r {
                Ok(a) => {
                    on_done.run(());
                    navigate(&format!("/assets/{}", a.id), Default::default());
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                // FieldError shows it in the page's language.
                Err(e) => errors.set(e.for_field("form")),
            }
        });
    };
    view! {
        <section class="card" data-test="register-form">
            <h2>{t.register_title}</h2>
            <form class="form" on:submit=submit novalidate>
                <FieldErrorText errors field="form"/>
                <div class="grid-2">
                    <div class="field">
                        <label for="a-name">{t.name}</label>
                        <input id="a-name" type="text" bind:value=name placeholder=t.name_example data-test="asset-name-input"/>
                        <FieldErrorText errors field="name"/>
                    </div>
                    <div class="field">
                        <label for="a-tag">{t.tag_label}</label>
                        <input id="a-tag" type="text" bind:value=tag placeholder=t.tag_example/>
                        <FieldErrorText errors field="tag"/>
                    </div>
                    <div class="field">
                        <label for="a-category">{t.category}</label>
                        <select id="a-category" data-test="asset-category-input"
                            on:change=move |ev| if let Ok(c) = event_target_value(&ev).parse() { category.set(c) }>
                            {AssetCategory::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.text()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="a-serial">{t.serial}</label>
                        <input id="a-serial" type="text" bind:value=serial data-test="asset-serial-input"/>
                        <FieldErrorText errors field="serial_number"/>
                    </div>
                    <div class="field">
                        <label for="a-condition">{t.condition}</label>
                        <select id="a-condition" on:change=move |ev| if let Ok(c) = event_target_value(&ev).parse() { condition.set(c) }>
                            {AssetCondition::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.text()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="a-location">{t.location}</label>
                        <input id="a-location" type="text" bind:value=location placeholder=t.place_example data-test="asset-location-input"/>
                        <FieldErrorText errors field="location"/>
                    </div>
                    <div class="field">
                        <label for="a-purchased">{t.purchase_date}</label>
                        <input id="a-purchased" type="date" bind:value=purchase_date/>
                        <FieldErrorText errors field="purchase_date"/>
                    </div>
                    <div class="field">
                        <label for="a-price">{t.purchase_price}</label>
                        <input id="a-price" type="text" inputmode="decimal" bind:value=price placeholder=t.price_example/>
                        <FieldErrorText errors field="purchase_price"/>
                    </div>
                    <div class="field">
                        <label for="a-warranty">{t.warranty_ends}</label>
                        <input id="a-warranty" type="date" bind:value=warranty/>
                        <FieldErrorText errors field="warranty_end"/>
                    </div>
                </div>
                <div class="field">
                    <label for="a-notes">{t.notes}</label>
                    <textarea id="a-notes" rows="2" bind:value=notes></textarea>
                    <FieldErrorText errors field="notes"/>
                </div>
                <div class="actions">
                    <button type="button" class="btn btn-quiet" on:click=move |_| on_done.run(())>{c.cancel}</button>
                    <button type="submit" class="btn btn-primary" data-test="save-asset" disabled=move || busy.get()>{t.register}</button>
                </div>
            </form>
        </section>
    }
}

crate::texts! {
    AssetsT {
        export_csv: "Export CSV", "Ekspor CSV";
        register_asset: "Register asset", "Daftarkan aset";
        search_placeholder: "Tag, name, serial or place", "Kode, nama, seri, atau tempat";
        status: "Status", "Status";
        any: "Any", "Semua";
        category: "Category", "Kategori";
        location: "Location", "Lokasi";
        location_example: "Lantai 3", "Lantai 3";
        warranty_ends: "Warranty ends", "Garansi berakhir";
        any_time: "Any time", "Kapan saja";
        within_days: "Within {0} days", "Dalam {0} hari";
        only_mine: " Only what I hold", " Hanya yang saya pegang";
        apply: "Apply", "Terapkan";
        you_hold_none: "You hold no assets", "Anda tidak memegang aset apa pun";
        you_hold_none_hint: "Laptops, phones or other things GA hands to you appear here.", "Laptop, telepon, atau barang lain yang diserahkan GA kepada Anda akan muncul di sini.";
        no_match: "No assets match", "Tidak ada aset yang cocok";
        no_match_hint: "Nothing matches these filters. Clear them to see every asset.", "Tidak ada yang cocok dengan filter ini. Hapus filter untuk melihat semua aset.";
        clear_filters: "Clear filters", "Hapus filter";
        none_yet: "No assets yet", "Belum ada aset";
        none_yet_hint: "GA has not registered any assets yet.", "GA belum mendaftarkan aset apa pun.";
        none_yet_staff_hint: "Register laptops, phones, furniture and vehicles so everyone can see who holds what, and where.", "Daftarkan laptop, telepon, perabot, dan kendaraan agar semua orang tahu siapa memegang apa, dan di mana.";
        register_first: "Register the first asset", "Daftarkan aset pertama";
        tag: "Tag", "Kode";
        name: "Name", "Nama";
        condition: "Condition", "Kondisi";
        holder: "Holder", "Pemegang";
        warranty: "Warranty", "Garansi";
        register_title: "Register an asset", "Daftarkan aset";
        name_example: "Laptop Lenovo ThinkPad E14", "Laptop Lenovo ThinkPad E14";
        tag_label: "Tag (empty: next AST number)", "Kode (kosongkan: nomor AST berikutnya)";
        tag_example: "AST-000123", "AST-000123";
        serial: "Serial number", "Nomor seri";
        place_example: "Kantor Pusat Jakarta, Gudang GA", "Kantor Pusat Jakarta, Gudang GA";
        purchase_date: "Purchase date", "Tanggal pembelian";
        purchase_price: "Purchase price (Rp)", "Harga beli (Rp)";
        price_example: "14.500.000", "14.500.000";
        notes: "Notes", "Catatan";
        register: "Register", "Daftarkan";
    }
}
