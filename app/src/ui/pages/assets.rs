//! The asset register: filters in the address (shareable, work without
//! WASM), keyset "Load more", CSV export, and registering new assets.

use crate::api::inventory::{create_asset, list_assets, AssetFilters};
use crate::api::ApiError;
use crate::domain::asset::{AssetCategory, AssetCondition, AssetStatus, AssetSummary, NewAsset};
use crate::domain::{FieldErrors, Money, Permission};
use crate::ui::components::field::FieldError;
use crate::ui::CurrentUser;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn AssetStatusBadge(status: AssetStatus) -> impl IntoView {
    view! {
        <span class=format!("badge asset-{}", status.as_str()) data-test="asset-status">{status.label()}</span>
    }
}

#[component]
fn AssetRow(asset: AssetSummary) -> impl IntoView {
    let href = format!("/assets/{}", asset.id);
    view! {
        <tr data-test="asset-row">
            <td class="nowrap stack-head"><a href=href data-test="asset-tag">{asset.tag}</a></td>
            <td class="stack-title" data-test="asset-name">{asset.name}</td>
            <td data-label="Category">{asset.category.label()}</td>
            <td data-label="Status"><AssetStatusBadge status=asset.status/></td>
            <td data-label="Condition">{asset.condition.label()}</td>
            <td data-label="Location">{asset.location}</td>
            <td data-label="Holder" data-test="asset-holder">{asset.holder_name.unwrap_or_else(|| "—".into())}</td>
            <td data-label="Warranty" class="nowrap muted">{asset.warranty_end.map(crate::ui::format::day).unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}

fn filters_from(query: &leptos_router::params::ParamsMap) -> AssetFilters {
    AssetFilters {
        q: query.get("q").unwrap_or_default(),
        status: query.get("status").and_then(|s| s.parse().ok()),
        category: query.get("category").and_then(|s| s.parse().ok()),
        location: query.get("location").unwrap_or_default(),
        mine: query.get("mine").is_some_and(|m| m == "true"),
        warranty_days: query.get("warranty_days").and_then(|d| d.parse().ok()),
    }
}

#[component]
pub fn AssetsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = Memo::new(move |_| filters_from(&query.read()));
    let first = Resource::new(move || filters.get(), |f| list_assets(f, None));
    let more = RwSignal::new(Vec::<AssetSummary>::new());
    let cursor = RwSignal::new(None::<Option<String>>);
    let loading = RwSignal::new(false);
    let load_error = RwSignal::new(None::<ApiError>);
    let registering = RwSignal::new(false);
    let CurrentUser(user) = expect_context::<CurrentUser>();
    let manager = move || {
        user.get()
            .flatten()
            .is_some_and(|a| a.can(Permission::AssetsManage))
    };
    // A new filter starts from the first page.
    Effect::new(move |_| {
        filters.track();
        more.set(Vec::new());
        cursor.set(None);
    });

    let load_more = move |_| {
        let next = cursor
            .get()
            .flatten()
            .or_else(|| first.get().and_then(|r| r.ok()).and_then(|p| p.next_cursor));
        let Some(next) = next else { return };
        loading.set(true);
        leptos::task::spawn_local(async move {
            match list_assets(filters.get_untracked(), Some(next)).await {
                Ok(page) => {
                    more.update(|m| m.extend(page.items));
                    cursor.set(Some(page.next_cursor));
                    load_error.set(None);
                }
                Err(e) => load_error.set(Some(e)),
            }
            loading.set(false);
        });
    };

    view! {
        <Title text=move || if filters.get().mine { "My assets" } else { "Assets" }/>
        <div class="page-head">
            <h1>{move || if filters.get().mine { "My assets" } else { "Assets" }}</h1>
            <div class="head-actions">
                <a class="btn" href=move || format!("/api/v1/assets/export.csv?{}", filters.get().to_query())
                    data-test="export-assets" download="gadesk-assets.csv">"Export CSV"</a>
                <Show when=manager>
                    <button class="btn btn-primary" data-test="register-asset"
                        on:click=move |_| registering.update(|r| *r = !*r)>"Register asset"</button>
                </Show>
            </div>
        </div>
        <Show when=move || registering.get()>
            <RegisterForm on_done=Callback::new(move |_| registering.set(false))/>
        </Show>
        <Form method="GET" action="/assets" attr:class="filters" attr:data-test="asset-filters">
            <div class="field">
                <label for="f-q">"Search"</label>
                <input id="f-q" name="q" type="search" placeholder="Tag, name, serial or place"
                    prop:value=move || filters.get().q/>
            </div>
            <div class="field">
                <label for="f-status">"Status"</label>
                <select id="f-status" name="status">
                    <option value="">"Any"</option>
                    {AssetStatus::ALL.iter().map(|s| view! {
                        <option value=s.as_str() selected=move || filters.get().status == Some(*s)>{s.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-category">"Category"</label>
                <select id="f-category" name="category">
                    <option value="">"Any"</option>
                    {AssetCategory::ALL.iter().map(|c| view! {
                        <option value=c.as_str() selected=move || filters.get().category == Some(*c)>{c.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="f-location">"Location"</label>
                <input id="f-location" name="location" type="text" placeholder="Lantai 3"
                    prop:value=move || filters.get().location/>
            </div>
            <div class="field">
                <label for="f-warranty">"Warranty ends"</label>
                <select id="f-warranty" name="warranty_days">
                    <option value="">"Any time"</option>
                    {[30u32, 90, 365].into_iter().map(|d| view! {
                        <option value=d.to_string() selected=move || filters.get().warranty_days == Some(d)>{format!("Within {d} days")}</option>
                    }).collect_view()}
                </select>
            </div>
            <label class="checkbox">
                <input type="checkbox" name="mine" value="true" prop:checked=move || filters.get().mine/>
                " Only what I hold"
            </label>
            <button type="submit" class="btn" data-test="apply-filters">"Apply"</button>
        </Form>
        <Transition fallback=|| view! { <div class="skeleton-table" aria-busy="true">"Loading assets…"</div> }>
            {move || first.get().map(|result| match result {
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
                Ok(page) if page.items.is_empty() => view! {
                    <section class="empty" data-test="empty-assets">
                        <h2>{if filters.get_untracked().mine { "You hold no assets" } else { "No assets match" }}</h2>
                        <p>{if filters.get_untracked().mine {
                            "Laptops, phones or other things GA hands to you appear here."
                        } else {
                            "Change the filters, or register the first asset."
                        }}</p>
                    </section>
                }.into_any(),
                Ok(page) => {
                    let has_more = move || match cursor.get() {
                        Some(c) => c.is_some(),
                        None => page.next_cursor.is_some(),
                    };
                    view! {
                        <div class="table-wrap">
                            <table class="assets stack" data-test="asset-list">
                                <thead>
                                    <tr>
                                        <th scope="col">"Tag"</th>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">"Category"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Condition"</th>
                                        <th scope="col">"Location"</th>
                                        <th scope="col">"Holder"</th>
                                        <th scope="col">"Warranty"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {page.items.into_iter().map(|a| view! { <AssetRow asset=a/> }).collect_view()}
                                    <For each=move || more.get() key=|a| a.id let:a>
                                        <AssetRow asset=a/>
                                    </For>
                                </tbody>
                            </table>
                        </div>
                        {move || load_error.get().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
                        <Show when=has_more>
                            <div class="load-more">
                                <button class="btn" on:click=load_more data-test="load-more" disabled=move || loading.get()>
                                    {move || if loading.get() { "Loading…" } else { "Load more" }}
                                </button>
                            </div>
                        </Show>
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
            errors.add(field, "Enter a date.");
            None
        }
    }
}

#[component]
fn RegisterForm(on_done: Callback<()>) -> impl IntoView {
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
                    e.add("purchase_price", err.to_string());
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
                Err(e) => errors.set(FieldErrors::single("form", e.to_string())),
            }
        });
    };
    view! {
        <section class="card" data-test="register-form">
            <h2>"Register an asset"</h2>
            <form class="form" on:submit=submit novalidate>
                <FieldError errors field="form"/>
                <div class="grid-2">
                    <div class="field">
                        <label for="a-name">"Name"</label>
                        <input id="a-name" type="text" bind:value=name placeholder="Laptop Lenovo ThinkPad E14" data-test="asset-name-input"/>
                        <FieldError errors field="name"/>
                    </div>
                    <div class="field">
                        <label for="a-tag">"Tag (empty: next AST number)"</label>
                        <input id="a-tag" type="text" bind:value=tag placeholder="AST-000123"/>
                        <FieldError errors field="tag"/>
                    </div>
                    <div class="field">
                        <label for="a-category">"Category"</label>
                        <select id="a-category" data-test="asset-category-input"
                            on:change=move |ev| if let Ok(c) = event_target_value(&ev).parse() { category.set(c) }>
                            {AssetCategory::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="a-serial">"Serial number"</label>
                        <input id="a-serial" type="text" bind:value=serial data-test="asset-serial-input"/>
                        <FieldError errors field="serial_number"/>
                    </div>
                    <div class="field">
                        <label for="a-condition">"Condition"</label>
                        <select id="a-condition" on:change=move |ev| if let Ok(c) = event_target_value(&ev).parse() { condition.set(c) }>
                            {AssetCondition::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="a-location">"Location"</label>
                        <input id="a-location" type="text" bind:value=location placeholder="Kantor Pusat Jakarta, Gudang GA" data-test="asset-location-input"/>
                        <FieldError errors field="location"/>
                    </div>
                    <div class="field">
                        <label for="a-purchased">"Purchase date"</label>
                        <input id="a-purchased" type="date" bind:value=purchase_date/>
                        <FieldError errors field="purchase_date"/>
                    </div>
                    <div class="field">
                        <label for="a-price">"Purchase price (Rp)"</label>
                        <input id="a-price" type="text" inputmode="decimal" bind:value=price placeholder="14.500.000"/>
                        <FieldError errors field="purchase_price"/>
                    </div>
                    <div class="field">
                        <label for="a-warranty">"Warranty ends"</label>
                        <input id="a-warranty" type="date" bind:value=warranty/>
                        <FieldError errors field="warranty_end"/>
                    </div>
                </div>
                <div class="field">
                    <label for="a-notes">"Notes"</label>
                    <textarea id="a-notes" rows="2" bind:value=notes></textarea>
                    <FieldError errors field="notes"/>
                </div>
                <div class="actions">
                    <button type="button" class="btn btn-quiet" on:click=move |_| on_done.run(())>"Cancel"</button>
                    <button type="submit" class="btn btn-primary" data-test="save-asset" disabled=move || busy.get()>"Register"</button>
                </div>
            </form>
        </section>
    }
}
