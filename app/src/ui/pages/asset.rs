//! One asset: its facts, label, actions for GA staff, maintenance and
//! history. Laid out to work one-handed on a phone after scanning a label.

use super::assets::AssetStatusBadge;
use crate::api::inventory::{act_on_asset, asset_page, find_holders, AssetPageData};
use crate::api::ApiError;
use crate::domain::asset::{AssetAction, AssetCommand, AssetCondition, AssetDetail};
use crate::domain::{FieldErrors, Money, UserRef};
use crate::ui::components::field::FieldError;
use crate::ui::components::modal::Modal;
use crate::ui::format::date_time;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

#[derive(Clone, Copy)]
struct Ctx {
    data: Resource<Result<AssetPageData, ApiError>>,
    dialog: RwSignal<Option<AssetAction>>,
    errors: RwSignal<FieldErrors>,
    notice: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl Ctx {
    fn run(self, asset: &AssetDetail, command: AssetCommand) {
        let (id, version) = (asset.id, asset.version);
        self.busy.set(true);
        spawn_local(async move {
            let r = act_on_asset(id, version, command).await;
            self.busy.set(false);
            match r {
                Ok(a) => {
                    self.dialog.set(None);
                    self.errors.set(FieldErrors::new());
                    self.notice.set(Some(format!(
                        "{} is now {}.",
                        a.tag,
                        a.status.label().to_lowercase()
                    )));
                    self.data.refetch();
                }
                Err(ApiError::Validation(e)) => self.errors.set(e),
                Err(ApiError::Conflict { message, .. }) => {
                    self.dialog.set(None);
                    self.notice.set(Some(message));
                    self.data.refetch();
                }
                Err(e) => self.errors.set(FieldErrors::single("form", e.to_string())),
            }
        });
    }
}

#[component]
pub fn AssetPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| Uuid::parse_str(&s).ok())
    };
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => asset_page(id).await,
            None => Err(ApiError::NotFound),
        }
    });
    let ctx = Ctx {
        data,
        dialog: RwSignal::new(None),
        errors: RwSignal::new(FieldErrors::new()),
        notice: RwSignal::new(None),
        busy: RwSignal::new(false),
    };
    provide_context(ctx);
    view! {
        <Transition fallback=|| view! { <div class="skeleton-card" aria-busy="true">"Loading asset…"</div> }>
            {move || data.get().map(|r| match r {
                Ok(page) => view! { <AssetView page/> }.into_any(),
                Err(ApiError::NotFound) => {
                    #[cfg(feature = "ssr")]
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.set_status(http::StatusCode::NOT_FOUND);
                    }
                    view! {
                        <section class="empty"><h1>"No such asset"</h1><p><a href="/assets">"Back to assets"</a></p></section>
                    }.into_any()
                }
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
        </Transition>
    }
}

fn money(m: Option<Money>) -> String {
    m.map(|m| m.to_string()).unwrap_or_else(|| "—".into())
}

fn day(d: Option<chrono::NaiveDate>) -> String {
    d.map(crate::ui::format::day).unwrap_or_else(|| "—".into())
}

#[component]
fn AssetView(page: AssetPageData) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = page.asset.clone();
    let actions = if page.can_manage {
        a.available_actions()
    } else {
        Vec::new()
    };
    let label = format!("/api/v1/assets/{}/label.svg", a.id);
    view! {
        <Title text=format!("{} {}", a.tag, a.name)/>
        <article class="asset" data-test="asset">
            <header class="ticket-head">
                <div>
                    <p class="ticket-number" data-test="asset-tag">{a.tag.clone()}</p>
                    <h1 data-test="asset-name">{a.name.clone()}</h1>
                </div>
                <AssetStatusBadge status=a.status/>
            </header>
            {move || ctx.notice.get().map(|n| view! { <p class="notice" role="status" data-test="notice">{n}</p> })}
            {(!actions.is_empty()).then(|| view! {
                <div class="action-bar" data-test="asset-actions">
                    {actions.into_iter().filter(|x| *x != AssetAction::Edit).map(|action| view! {
                        <button type="button" class=if action == AssetAction::Retire { "btn btn-danger" } else { "btn btn-primary" }
                            data-test=format!("asset-{}", action.as_str()) disabled=move || ctx.busy.get()
                            on:click=move |_| { ctx.errors.set(FieldErrors::new()); ctx.dialog.set(Some(action)); }>
                            {action_label(action)}
                        </button>
                    }).collect_view()}
                </div>
            })}
            <dl class="facts">
                <div><dt>"Category"</dt><dd>{a.category.label()}</dd></div>
                <div><dt>"Condition"</dt><dd data-test="asset-condition">{a.condition.label()}</dd></div>
                <div><dt>"Location"</dt><dd data-test="asset-location">{a.location.clone()}</dd></div>
                <div><dt>"Holder"</dt><dd data-test="asset-holder">{a.holder.as_ref().map(|h| h.name.clone()).unwrap_or_else(|| "Nobody (in GA's care)".into())}</dd></div>
                <div><dt>"Serial number"</dt><dd>{a.serial_number.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>"Purchased"</dt><dd>{format!("{} · {}", day(a.purchase_date), money(a.purchase_price))}</dd></div>
                <div><dt>"Warranty ends"</dt><dd>{day(a.warranty_end)}</dd></div>
                {a.retired_reason.clone().map(|r| view! { <div><dt>"Retired because"</dt><dd>{r}</dd></div> })}
            </dl>
            {(!a.notes.is_empty()).then(|| view! { <section class="card"><h2>"Notes"</h2><p class="prewrap">{a.notes.clone()}</p></section> })}
            <div class="ticket-columns">
                <section class="card label-card">
                    <h2>"Label"</h2>
                    <img src=label.clone() alt=format!("Label of {} with a QR code to this page", a.tag) width="310" height="145" data-test="asset-label"/>
                    <p><a href=label target="_blank" rel="noopener">"Open the label to print"</a></p>
                </section>
                {(!a.maintenance.is_empty()).then(|| view! {
                    <section class="card" data-test="maintenance">
                        <h2>"Maintenance"</h2>
                        <ul class="plain-list">
                            {a.maintenance.iter().map(|m| view! {
                                <li>
                                    <strong>{m.vendor.clone()}</strong> " · " {m.cost.to_string()}
                                    <div class="muted small">{format!("Sent {} · back {}", day(Some(m.sent_on)),
                                        m.returned_on.map(|d| day(Some(d))).unwrap_or_else(|| format!("expected {}", day(m.expected_back))))}</div>
                                    {(!m.note.is_empty()).then(|| view! { <p class="quote">{m.note.clone()}</p> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
            </div>
            <section class="card" data-test="asset-history">
                <h2>"History"</h2>
                <ol class="timeline">
                    {page.history.into_iter().map(|h| view! {
                        <li data-test="asset-history-entry">
                            <strong>{h.actor_name}</strong> " · " {h.action.label()}
                            {h.holder_name.filter(|_| h.action == AssetAction::CheckOut).map(|n| view! { <span>" → " {n}</span> })}
                            {h.ticket_id.zip(h.ticket_number).map(|(id, n)| view! { <span>" (" <a href=format!("/tickets/{id}")>{n}</a> ")"</span> })}
                            <div class="muted small">{date_time(h.at)}</div>
                            {(!h.note.is_empty()).then(|| view! { <p class="quote">{h.note}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <p><a href="/assets">"← All assets"</a></p>
        </article>
        <ActionDialog asset=page.asset/>
    }
}

fn action_label(action: AssetAction) -> &'static str {
    match action {
        AssetAction::CheckOut => "Check out",
        AssetAction::CheckIn => "Check in",
        AssetAction::Move => "Move",
        AssetAction::SendToMaintenance => "Send to maintenance",
        AssetAction::ReturnFromMaintenance => "Back from maintenance",
        AssetAction::Retire => "Retire",
        AssetAction::Edit => "Edit",
        AssetAction::Register => "Register",
    }
}

fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7))
        .date_naive()
        .to_string()
}

#[component]
fn ActionDialog(asset: AssetDetail) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let a = StoredValue::new(asset);
    let holder_q = RwSignal::new(String::new());
    let holder = RwSignal::new(None::<UserRef>);
    let found = RwSignal::new(Vec::<UserRef>::new());
    let condition = RwSignal::new(AssetCondition::Good);
    let text = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let vendor = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let date = RwSignal::new(today());
    let until = RwSignal::new(String::new());
    let search = move |_| {
        let q = holder_q.get_untracked();
        spawn_local(async move {
            match find_holders(q).await {
                Ok(people) => found.set(people),
                Err(e) => ctx
                    .errors
                    .set(FieldErrors::single("holder_id", e.to_string())),
            }
        });
    };
    move || {
        let action = ctx.dialog.get()?;
        let asset = a.get_value();
        text.set(String::new());
        location.set(asset.location.clone());
        condition.set(asset.condition);
        let submit = move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let note = text.get();
            let parse_day = |s: String, field: &str| match s.trim().parse::<chrono::NaiveDate>() {
                Ok(d) => Ok(d),
                Err(_) => Err(FieldErrors::single(field, "Enter a date.")),
            };
            let parse_cost = |s: String| match s.trim() {
                "" => Ok(None),
                t => Money::parse_input(t)
                    .map(Some)
                    .map_err(|e| FieldErrors::single("cost", e.to_string())),
            };
            let command = match action {
                AssetAction::CheckOut => match holder.get() {
                    Some(h) => Ok(AssetCommand::CheckOut {
                        holder_id: h.id,
                        note,
                    }),
                    None => Err(FieldErrors::single("holder_id", "Choose who receives it.")),
                },
                AssetAction::CheckIn => Ok(AssetCommand::CheckIn {
                    condition: condition.get(),
                    location: Some(location.get()),
                    note,
                }),
                AssetAction::Move => Ok(AssetCommand::Move {
                    location: location.get(),
                    note,
                }),
                AssetAction::SendToMaintenance => {
                    parse_day(date.get(), "sent_on").and_then(|sent_on| {
                        let expected_back = match until.get().trim() {
                            "" => None,
                            t => Some(parse_day(t.to_string(), "expected_back")?),
                        };
                        Ok(AssetCommand::SendToMaintenance {
                            vendor: vendor.get(),
                            cost: parse_cost(cost.get())?.unwrap_or(Money::ZERO),
                            sent_on,
                            expected_back,
                            note,
                        })
                    })
                }
                AssetAction::ReturnFromMaintenance => parse_day(date.get(), "returned_on")
                    .and_then(|returned_on| {
                        Ok(AssetCommand::ReturnFromMaintenance {
                            condition: condition.get(),
                            returned_on,
                            cost: parse_cost(cost.get())?,
                            note,
                        })
                    }),
                AssetAction::Retire => Ok(AssetCommand::Retire { reason: note }),
                _ => return,
            };
            match command.and_then(|c| c.validate().map(|_| c)) {
                Ok(c) => ctx.run(&a.get_value(), c),
                Err(e) => ctx.errors.set(e),
            }
        };
        let errors = ctx.errors;
        let title = format!("{} {}", action_label(action), asset.tag);
        let needs_condition = matches!(
            action,
            AssetAction::CheckIn | AssetAction::ReturnFromMaintenance
        );
        let needs_location = matches!(action, AssetAction::CheckIn | AssetAction::Move);
        let needs_dates = matches!(
            action,
            AssetAction::SendToMaintenance | AssetAction::ReturnFromMaintenance
        );
        Some(view! {
            <Modal title test_id="asset-dialog" on_close=Callback::new(move |_| ctx.dialog.set(None))>
                <form class="form" on:submit=submit novalidate>
                    <FieldError errors field="form"/>
                    {(action == AssetAction::CheckOut).then(|| view! {
                        <div class="field">
                            <label for="d-holder">"Who receives it?"</label>
                            <div class="inline">
                                <input id="d-holder" type="search" bind:value=holder_q placeholder="Name or email" data-test="holder-search"
                                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); search(()) }/>
                                <button type="button" class="btn" on:click=move |_| search(()) data-test="holder-find">"Find"</button>
                            </div>
                            <ul class="picker" data-test="holder-results">
                                <For each=move || found.get() key=|p| p.id let:p>
                                    {
                                        let chosen = p.clone();
                                        let id = p.id;
                                        view! {
                                            <li>
                                                <button type="button" class="pick" class:selected=move || holder.get().is_some_and(|h| h.id == id)
                                                    aria-pressed=move || holder.get().is_some_and(|h| h.id == id).to_string()
                                                    on:click=move |_| holder.set(Some(chosen.clone()))>
                                                    <strong>{p.name.clone()}</strong> " " <span class="muted">{p.email.clone()}</span>
                                                </button>
                                            </li>
                                        }
                                    }
                                </For>
                            </ul>
                            <FieldError errors field="holder_id"/>
                        </div>
                    })}
                    {needs_condition.then(|| view! {
                        <div class="field">
                            <label for="d-condition">"Condition now"</label>
                            <select id="d-condition" data-test="dialog-condition"
                                on:change=move |ev| if let Ok(c) = event_target_value(&ev).parse() { condition.set(c) }>
                                {AssetCondition::ALL.iter().map(|c| view! {
                                    <option value=c.as_str() selected=condition.get_untracked() == *c>{c.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    })}
                    {needs_location.then(|| view! {
                        <div class="field">
                            <label for="d-location">"Location"</label>
                            <input id="d-location" type="text" bind:value=location data-test="dialog-location"/>
                            <FieldError errors field="location"/>
                        </div>
                    })}
                    {(action == AssetAction::SendToMaintenance).then(|| view! {
                        <div class="field">
                            <label for="d-vendor">"Vendor"</label>
                            <input id="d-vendor" type="text" bind:value=vendor placeholder="CV Teknik Jaya" data-test="dialog-vendor"/>
                            <FieldError errors field="vendor"/>
                        </div>
                    })}
                    {needs_dates.then(|| view! {
                        <div class="grid-2">
                            <div class="field">
                                <label for="d-date">{if action == AssetAction::SendToMaintenance { "Sent on" } else { "Returned on" }}</label>
                                <input id="d-date" type="date" bind:value=date/>
                                <FieldError errors field=if action == AssetAction::SendToMaintenance { "sent_on" } else { "returned_on" }/>
                            </div>
                            <div class="field">
                                <label for="d-cost">{if action == AssetAction::SendToMaintenance { "Estimated cost (Rp)" } else { "Final cost (Rp, optional)" }}</label>
                                <input id="d-cost" type="text" inputmode="decimal" bind:value=cost/>
                                <FieldError errors field="cost"/>
                            </div>
                        </div>
                    })}
                    {(action == AssetAction::SendToMaintenance).then(|| view! {
                        <div class="field">
                            <label for="d-until">"Expected back (optional)"</label>
                            <input id="d-until" type="date" bind:value=until/>
                            <FieldError errors field="expected_back"/>
                        </div>
                    })}
                    <div class="field">
                        <label for="d-text">{if action == AssetAction::Retire { "Why is it retired?" } else { "Note (optional)" }}</label>
                        <textarea id="d-text" rows="2" bind:value=text data-test="dialog-text"></textarea>
                        <FieldError errors field=if action == AssetAction::Retire { "reason" } else { "note" }/>
                    </div>
                    <div class="actions">
                        <button type="button" class="btn btn-quiet" on:click=move |_| ctx.dialog.set(None)>"Back"</button>
                        <button type="submit" class="btn btn-primary" data-test="dialog-confirm" disabled=move || ctx.busy.get()>
                            {action_label(action)}
                        </button>
                    </div>
                </form>
            </Modal>
        })
    }
}
