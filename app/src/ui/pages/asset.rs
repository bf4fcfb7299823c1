//! One asset: its facts, label, actions for GA staff, maintenance and
//! history. Laid out to work one-handed on a phone after scanning a label.

use super::assets::{AssetStatusBadge, LoadFailed, SkeletonRows};
use crate::api::inventory::{act_on_asset, asset_page, find_holders, AssetPageData};
use crate::api::ApiError;
use crate::domain::asset::{AssetAction, AssetCommand, AssetCondition, AssetDetail, AssetStatus};
use crate::domain::attachment::Owner;
use crate::domain::{FieldError, FieldErrors, Money, Refusal, UserRef};
use crate::i18n::Text;
use crate::i18n::{fill, use_lang, Common, Lang};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::files::FilesCard;
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
    /// Taken while rendering: the answer arrives in a task, outside it.
    lang: Lang,
}

impl Ctx {
    fn run(self, asset: &AssetDetail, command: AssetCommand) {
        let (id, version) = (asset.id, asset.version);
        let t = AssetT::of(self.lang);
        self.busy.set(true);
        spawn_local(async move {
            let r = act_on_asset(id, version, command).await;
            self.busy.set(false);
            match r {
                Ok(a) => {
                    self.dialog.set(None);
                    self.errors.set(FieldErrors::new());
                    self.notice.set(Some(fill(
                        t.now_status,
                        &[&a.tag, &a.status.label_in(self.lang).to_lowercase()],
                    )));
                    self.data.refetch();
                }
                Err(ApiError::Validation(e)) => self.errors.set(e),
                Err(ApiError::Conflict { reason, .. }) => {
                    self.dialog.set(None);
                    self.notice.set(Some(reason.render(self.lang)));
                    self.data.refetch();
                }
                // FieldError shows it in the page's language.
                Err(e) => self.errors.set(e.for_field("form")),
            }
        });
    }
}

#[component]
pub fn AssetPage() -> impl IntoView {
    let t = AssetT::get();
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
            None => Err(ApiError::Refused(Refusal::NotFound)),
        }
    });
    let ctx = Ctx {
        data,
        dialog: RwSignal::new(None),
        errors: RwSignal::new(FieldErrors::new()),
        notice: RwSignal::new(None),
        busy: RwSignal::new(false),
        lang: use_lang(),
    };
    provide_context(ctx);
    view! {
        <Transition fallback=|| view! { <SkeletonRows rows=5 columns=2/> }>
            {move || data.get().map(|r| match r {
                Ok(page) => view! { <AssetView page/> }.into_any(),
                Err(ApiError::Refused(Refusal::NotFound)) => {
                    #[cfg(feature = "ssr")]
                    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                        response.set_status(http::StatusCode::NOT_FOUND);
                    }
                    view! {
                        <Title text=t.not_found/>
                        <section class="empty">
                            <h1>{t.not_found}</h1>
                            <p>{t.not_found_hint}</p>
                            <a class="btn" href="/assets">{t.back_to_assets}</a>
                        </section>
                    }.into_any()
                }
                Err(e) => view! { <LoadFailed error=e on_retry=Callback::new(move |_| data.refetch())/> }.into_any(),
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
    let t = AssetT::get();
    let lang = use_lang();
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
                            {action_label(t, action)}
                        </button>
                    }).collect_view()}
                </div>
            })}
            <dl class="facts">
                <div><dt>{t.category}</dt><dd>{a.category.text()}</dd></div>
                <div><dt>{t.condition}</dt><dd data-test="asset-condition">{a.condition.text()}</dd></div>
                <div><dt>{t.location}</dt><dd data-test="asset-location">{a.location.clone()}</dd></div>
                <div><dt>{t.holder}</dt><dd data-test="asset-holder">{a.holder.as_ref().map(|h| h.name.clone()).unwrap_or_else(|| t.nobody.into())}</dd></div>
                <div><dt>{t.serial}</dt><dd>{a.serial_number.clone().unwrap_or_else(|| "—".into())}</dd></div>
                <div><dt>{t.purchased}</dt><dd>{format!("{} · {}", day(a.purchase_date), money(a.purchase_price))}</dd></div>
                <div><dt>{t.warranty_ends}</dt><dd>{day(a.warranty_end)}</dd></div>
                {a.retired_reason.clone().map(|r| view! { <div><dt>{t.retired_because}</dt><dd>{r}</dd></div> })}
            </dl>
            {(!a.notes.is_empty()).then(|| view! { <section class="card"><h2>{t.notes}</h2><p class="prewrap">{a.notes.clone()}</p></section> })}
            <div class="ticket-columns">
                <section class="card label-card">
                    <h2>{t.label}</h2>
                    <img src=label.clone() alt=fill(t.label_alt, &[&a.tag]) width="310" height="145" data-test="asset-label"/>
                    <p><a href=label target="_blank" rel="noopener">{t.open_label}</a></p>
                </section>
                {(!a.maintenance.is_empty()).then(|| view! {
                    <section class="card" data-test="maintenance">
                        <h2>{t.maintenance}</h2>
                        <ul class="plain-list">
                            {a.maintenance.iter().map(|m| view! {
                                <li>
                                    <strong>{m.vendor.clone()}</strong> " · " {m.cost.to_string()}
                                    <div class="muted small">{fill(t.sent_back, &[&day(Some(m.sent_on)),
                                        &m.returned_on.map(|d| day(Some(d))).unwrap_or_else(|| fill(t.expected, &[&day(m.expected_back)]))])}</div>
                                    {(!m.note.is_empty()).then(|| view! { <p class="quote">{m.note.clone()}</p> })}
                                </li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
            </div>
            <FilesCard owner=Owner::Asset(a.id) files=page.files.clone()
                can_add=page.can_manage && a.status != AssetStatus::Retired
                on_change=Callback::new(move |_| ctx.data.refetch())/>
            <section class="card" data-test="asset-history">
                <h2>{t.history}</h2>
                <ol class="timeline">
                    {page.history.into_iter().map(|h| view! {
                        <li data-test="asset-history-entry">
                            <strong>{h.actor_name}</strong> " · " {h.action.text()}
                            {h.holder_name.filter(|_| h.action == AssetAction::CheckOut).map(|n| view! { <span>" → " {n}</span> })}
                            {h.ticket_id.zip(h.ticket_number).map(|(id, n)| view! { <span>" (" <a href=format!("/tickets/{id}")>{n}</a> ")"</span> })}
                            <div class="muted small">{date_time(h.at)}</div>
                            {(!h.note.is_empty()).then(|| view! { <p class="quote">{h.note}</p> })}
                            {h.system_note.map(|n| view! { <p class="muted small" data-test="system-note">{n.render(lang)}</p> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
            <p><a href="/assets">{t.all_assets}</a></p>
        </article>
        <ActionDialog asset=page.asset/>
    }
}

/// The verb on a button (the history shows the past tense, `.text()`).
fn action_label(t: &'static AssetT, action: AssetAction) -> &'static str {
    match action {
        AssetAction::CheckOut => t.check_out,
        AssetAction::CheckIn => t.check_in,
        AssetAction::Move => t.move_,
        AssetAction::SendToMaintenance => t.send_to_maintenance,
        AssetAction::ReturnFromMaintenance => t.back_from_maintenance,
        AssetAction::Retire => t.retire,
        AssetAction::Edit => t.edit,
        AssetAction::Register => t.register,
        // Files are added from the files section, not the action bar.
        AssetAction::Attach => t.attach,
        AssetAction::RemoveAttachment => t.remove_attachment,
        // Trips come from car bookings.
        AssetAction::Trip => t.trip,
    }
}

fn today() -> String {
    (chrono::Utc::now() + chrono::Duration::hours(7))
        .date_naive()
        .to_string()
}

#[component]
fn ActionDialog(asset: AssetDetail) -> impl IntoView {
    let t = AssetT::get();
    let c = Common::get();
    let ctx = expect_context::<Ctx>();
    let a = StoredValue::new(asset);
    let holder_q = RwSignal::new(String::new());
    let holder = RwSignal::new(None::<UserRef>);
    let found = RwSignal::new(Vec::<UserRef>::new());
    let searched = RwSignal::new(false);
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
                Ok(people) => {
                    found.set(people);
                    searched.set(true);
                }
                Err(e) => ctx.errors.set(e.for_field("holder_id")),
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
                Err(_) => Err(FieldErrors::single(field, FieldError::NotADate)),
            };
            let parse_cost = |s: String| match s.trim() {
                "" => Ok(None),
                t => Money::parse_input(t)
                    .map(Some)
                    .map_err(|e| FieldErrors::single("cost", e.into())),
            };
            let command = match action {
                AssetAction::CheckOut => match holder.get() {
                    Some(h) => Ok(AssetCommand::CheckOut {
                        holder_id: h.id,
                        note,
                    }),
                    None => Err(FieldErrors::single("holder_id", FieldError::ChooseHolder)),
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
        let title = format!("{} {}", action_label(t, action), asset.tag);
        let needs_condition = matches!(
            action,
            AssetAction::CheckIn | AssetAction::ReturnFromMaintenance
        );
        let needs_location = matches!(action, AssetAction::CheckIn | AssetAction::Move);
        let needs_dates = matches!(
            action,
            AssetAction::SendToMaintenance | AssetAction::ReturnFromMaintenance
        );
        let sending = action == AssetAction::SendToMaintenance;
        let retiring = action == AssetAction::Retire;
        Some(view! {
            <Modal title test_id="asset-dialog" on_close=Callback::new(move |_| ctx.dialog.set(None))>
                <form class="form" on:submit=submit novalidate>
                    <FieldErrorText errors field="form"/>
                    {(action == AssetAction::CheckOut).then(|| view! {
                        <div class="field">
                            <label for="d-holder">{t.who_receives}</label>
                            <div class="inline">
                                <input id="d-holder" type="search" bind:value=holder_q placeholder=t.name_or_email data-test="holder-search"
                                    on:keydown=move |ev| if ev.key() == "Enter" { ev.prevent_default(); search(()) }/>
                                <button type="button" class="btn" on:click=move |_| search(()) data-test="holder-find">{t.find}</button>
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
                            <Show when=move || searched.get() && found.with(Vec::is_empty)>
                                <p class="muted small" data-test="holder-none">{t.nobody_found}</p>
                            </Show>
                            <FieldErrorText errors field="holder_id"/>
                        </div>
                    })}
                    {needs_condition.then(|| view! {
                        <div class="field">
                            <label for="d-condition">{t.condition_now}</label>
                            <select id="d-condition" data-test="dialog-condition"
                                on:change=move |ev| if let Ok(c) = event_target_value(&ev).parse() { condition.set(c) }>
                                {AssetCondition::ALL.iter().map(|c| view! {
                                    <option value=c.as_str() selected=condition.get_untracked() == *c>{c.text()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                    })}
                    {needs_location.then(|| view! {
                        <div class="field">
                            <label for="d-location">{t.location}</label>
                            <input id="d-location" type="text" bind:value=location data-test="dialog-location"/>
                            <FieldErrorText errors field="location"/>
                        </div>
                    })}
                    {sending.then(|| view! {
                        <div class="field">
                            <label for="d-vendor">{t.vendor}</label>
                            <input id="d-vendor" type="text" bind:value=vendor placeholder=t.vendor_example data-test="dialog-vendor"/>
                            <FieldErrorText errors field="vendor"/>
                        </div>
                    })}
                    {needs_dates.then(|| view! {
                        <div class="grid-2">
                            <div class="field">
                                <label for="d-date">{if sending { t.sent_on } else { t.returned_on }}</label>
                                <input id="d-date" type="date" bind:value=date/>
                                <FieldErrorText errors field=if sending { "sent_on" } else { "returned_on" }/>
                            </div>
                            <div class="field">
                                <label for="d-cost">{if sending { t.estimated_cost } else { t.final_cost }}</label>
                                <input id="d-cost" type="text" inputmode="decimal" bind:value=cost/>
                                <FieldErrorText errors field="cost"/>
                            </div>
                        </div>
                    })}
                    {sending.then(|| view! {
                        <div class="field">
                            <label for="d-until">{t.expected_back}</label>
                            <input id="d-until" type="date" bind:value=until/>
                            <FieldErrorText errors field="expected_back"/>
                        </div>
                    })}
                    <div class="field">
                        <label for="d-text">{if retiring { t.why_retired } else { t.note_optional }}</label>
                        <textarea id="d-text" rows="2" bind:value=text data-test="dialog-text"></textarea>
                        <FieldErrorText errors field=if retiring { "reason" } else { "note" }/>
                    </div>
                    <div class="actions">
                        <button type="button" class="btn btn-quiet" on:click=move |_| ctx.dialog.set(None)>{c.back}</button>
                        <button type="submit" class="btn btn-primary" data-test="dialog-confirm" disabled=move || ctx.busy.get()>
                            {action_label(t, action)}
                        </button>
                    </div>
                </form>
            </Modal>
        })
    }
}

crate::texts! {
    AssetT {
        not_found: "No such asset", "Aset tidak ditemukan";
        not_found_hint: "It may have been removed, or the link is incomplete.", "Mungkin aset ini sudah dihapus, atau tautannya tidak lengkap.";
        back_to_assets: "Back to assets", "Kembali ke daftar aset";
        now_status: "{0} is now {1}.", "{0} sekarang {1}.";
        category: "Category", "Kategori";
        condition: "Condition", "Kondisi";
        location: "Location", "Lokasi";
        holder: "Holder", "Pemegang";
        nobody: "Nobody (in GA's care)", "Tidak ada (disimpan GA)";
        serial: "Serial number", "Nomor seri";
        purchased: "Purchased", "Dibeli";
        warranty_ends: "Warranty ends", "Garansi berakhir";
        retired_because: "Retired because", "Alasan dihapuskan";
        notes: "Notes", "Catatan";
        label: "Label", "Label";
        label_alt: "Label of {0} with a QR code to this page", "Label {0} dengan kode QR ke halaman ini";
        open_label: "Open the label to print", "Buka label untuk dicetak";
        maintenance: "Maintenance", "Perbaikan";
        sent_back: "Sent {0} · back {1}", "Dikirim {0} · kembali {1}";
        expected: "expected {0}", "perkiraan {0}";
        history: "History", "Riwayat";
        all_assets: "← All assets", "← Semua aset";
        check_out: "Check out", "Pinjamkan";
        check_in: "Check in", "Kembalikan";
        move_: "Move", "Pindahkan";
        send_to_maintenance: "Send to maintenance", "Kirim ke perbaikan";
        back_from_maintenance: "Back from maintenance", "Kembali dari perbaikan";
        retire: "Retire", "Hapuskan";
        edit: "Edit", "Ubah";
        register: "Register", "Daftarkan";
        attach: "Attach files", "Lampirkan berkas";
        trip: "Trip", "Perjalanan";
        remove_attachment: "Remove a file", "Hapus berkas";
        who_receives: "Who receives it?", "Siapa yang menerima?";
        name_or_email: "Name or email", "Nama atau email";
        find: "Find", "Cari";
        nobody_found: "Nobody found. Try part of the name or the email address.", "Tidak ada yang ditemukan. Coba sebagian nama atau alamat email.";
        condition_now: "Condition now", "Kondisi sekarang";
        vendor: "Vendor", "Vendor";
        vendor_example: "CV Teknik Jaya", "CV Teknik Jaya";
        sent_on: "Sent on", "Tanggal dikirim";
        returned_on: "Returned on", "Tanggal kembali";
        estimated_cost: "Estimated cost (Rp)", "Perkiraan biaya (Rp)";
        final_cost: "Final cost (Rp, optional)", "Biaya akhir (Rp, opsional)";
        expected_back: "Expected back (optional)", "Perkiraan kembali (opsional)";
        why_retired: "Why is it retired?", "Mengapa dihapuskan?";
        note_optional: "Note (optional)", "Catatan (opsional)";
    }
}
