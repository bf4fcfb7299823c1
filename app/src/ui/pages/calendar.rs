//! Service levels for administrators: the targets per category and
//! priority (in working hours), the sites with their working weeks, and
//! the closed days (national holidays, cuti bersama, closures), with an
//! `.ics` import. Every change moves the due times of open tickets.

use super::admin::admin_tabs;
use super::assets::{LoadFailed, SkeletonRows};
use crate::api::calendar::{
    add_closed_day, calendar_data, import_closed_days, remove_closed_day, set_targets,
    ServiceLevelsData,
};
use crate::api::ApiError;
use crate::domain::holidays::HolidayKind;
use crate::domain::service_level::{Policy, Targets};
use crate::domain::site::{ClosedDayInput, Site};
use crate::domain::working_time::Span;
use crate::domain::{Arg, FieldError, FieldErrors};
use crate::i18n::{fill, use_lang, Text};
use crate::ui::components::field::FieldErrorText;
use crate::ui::components::page_data::PageData;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use uuid::Uuid;

#[component]
pub fn ServiceLevelsPage() -> impl IntoView {
    let t = CalendarT::get();
    let data = PageData::new("service-levels-data", || (), |_| calendar_data());
    let retry = Callback::new(move |_| data.refetch());
    view! {
        <Title text=t.heading/>
        <div class="page-head"><h1>{t.heading}</h1>{admin_tabs("/admin/service-levels")}</div>
        <p class="muted">{t.intro}</p>
        <Transition fallback=|| view! { <SkeletonRows rows=6 columns=4/> }>
            {data.script()}
            {move || match data.get() {
                None => view! { <SkeletonRows rows=6 columns=4/> }.into_any(),
                Some(Err(e)) => view! { <LoadFailed error=e on_retry=retry/> }.into_any(),
                Some(Ok(d)) => view! { <Calendars data=d on_change=retry/> }.into_any(),
            }}
        </Transition>
    }
}

/// `08.00–12.00, 13.00–17.00` (or `closed`).
fn day_text(spans: &[Span], closed: &str) -> String {
    if spans.is_empty() {
        return closed.to_string();
    }
    spans
        .iter()
        .map(|s| {
            format!(
                "{:02}.{:02}–{:02}.{:02}",
                s.start / 60,
                s.start % 60,
                s.end / 60,
                s.end % 60
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn Calendars(data: ServiceLevelsData, on_change: Callback<()>) -> impl IntoView {
    let t = CalendarT::get();
    let lang = use_lang();
    let failure = RwSignal::new(None::<String>);
    let sites = data.sites.clone();
    let site_name = move |id: Option<Uuid>| match id {
        None => t.all_sites.to_string(),
        Some(id) => sites
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default(),
    };
    view! {
        {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
        <TargetsCard policies=data.policies.clone() on_change/>
        <section class="card">
            <h2>{t.sites}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t.sites>
                <table class="table" data-test="sites">
                    <thead><tr>
                        <th scope="col">{t.site}</th><th scope="col">{t.zone}</th>
                        {t.weekdays.split_whitespace().map(|d| view! { <th scope="col">{d}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {data.sites.iter().map(|s: &Site| view! {
                            <tr>
                                <th scope="row">{s.name.clone()} <span class="muted small">{format!(" {}", s.code)}</span></th>
                                <td>{s.zone().abbreviation()}</td>
                                {s.hours.days.iter().map(|d| view! { <td class="small">{day_text(d, t.closed)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card">
            <h2>{t.closed_days}</h2>
            <AddDay sites=data.sites.clone() on_change/>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t.closed_days>
                <table class="table" data-test="closed-days">
                    <thead><tr>
                        <th scope="col">{t.day}</th><th scope="col">{t.name}</th>
                        <th scope="col">{t.kind}</th><th scope="col">{t.site}</th><th scope="col"></th>
                    </tr></thead>
                    <tbody>
                        {data.days.into_iter().map(|d| {
                            let id = d.id;
                            let remove = move |_| {
                                spawn_local(async move {
                                    match remove_closed_day(id).await {
                                        Ok(()) => on_change.run(()),
                                        Err(e) => failure.set(Some(e.phrase(lang))),
                                    }
                                });
                            };
                            view! {
                                <tr data-test="closed-day">
                                    <td class="nowrap">{d.day.phrase(lang)}</td>
                                    <td>{d.name(lang).to_string()}</td>
                                    <td>{d.kind.text()}</td>
                                    <td>{site_name(d.site_id)}</td>
                                    <td><button type="button" class="btn btn-quiet" data-test="open-day" on:click=remove>{t.open_again}</button></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <ImportIcs sites=data.sites on_change/>
        </section>
    }
}

/// Minutes as hours, for the form: `90` → `1.5`.
fn hours_of(minutes: u32) -> String {
    let h = f64::from(minutes) / 60.0;
    if minutes.is_multiple_of(60) {
        format!("{}", minutes / 60)
    } else {
        format!("{h:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

fn minutes_of(hours: &str) -> Option<u32> {
    let h: f64 = hours.trim().replace(',', ".").parse().ok()?;
    (h.is_finite() && h > 0.0).then(|| (h * 60.0).round() as u32)
}

#[component]
fn TargetsCard(policies: Vec<Policy>, on_change: Callback<()>) -> impl IntoView {
    let t = CalendarT::get();
    view! {
        <section class="card">
            <h2>{t.targets}</h2>
            <p class="muted small">{t.targets_hint}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=t.targets>
                <table class="table" data-test="targets">
                    <thead><tr>
                        <th scope="col">{t.category}</th><th scope="col">{t.priority}</th>
                        <th scope="col">{t.approval}</th><th scope="col">{t.response}</th>
                        <th scope="col">{t.resolution}</th><th scope="col"></th>
                    </tr></thead>
                    <tbody>
                        {policies.into_iter().map(|p| {
                            let approval = RwSignal::new(hours_of(p.targets.approval_minutes));
                            let response = RwSignal::new(hours_of(p.targets.response_minutes));
                            let resolution = RwSignal::new(hours_of(p.targets.resolution_minutes));
                            let errors = RwSignal::new(FieldErrors::new());
                            let saved = RwSignal::new(false);
                            let (category, priority, version) = (p.category, p.priority, p.version);
                            let save = move |_| {
                                let mut e = FieldErrors::new();
                                let read = |s: RwSignal<String>, field: &str, e: &mut FieldErrors| {
                                    let m = minutes_of(&s.get_untracked());
                                    if m.is_none() {
                                        e.add(field, FieldError::NotANumber);
                                    }
                                    m.unwrap_or(0)
                                };
                                let targets = Targets {
                                    approval_minutes: read(approval, "approval_minutes", &mut e),
                                    response_minutes: read(response, "response_minutes", &mut e),
                                    resolution_minutes: read(resolution, "resolution_minutes", &mut e),
                                };
                                if !e.is_empty() {
                                    errors.set(e);
                                    return;
                                }
                                spawn_local(async move {
                                    match set_targets(category, priority, version, targets).await {
                                        Ok(_) => {
                                            errors.set(FieldErrors::new());
                                            saved.set(true);
                                            on_change.run(());
                                        }
                                        Err(ApiError::Validation(e)) => errors.set(e),
                                        Err(e) => errors.set(e.for_field("resolution_minutes")),
                                    }
                                });
                            };
                            let cell = move |value: RwSignal<String>, field: &'static str, label: &'static str| view! {
                                <td>
                                    <input type="text" inputmode="decimal" class="input-narrow" bind:value=value
                                        aria-label=label data-test=format!("target-{field}")/>
                                    <FieldErrorText errors field=field/>
                                </td>
                            };
                            view! {
                                <tr data-test="target-row" data-key=format!("{}-{}", category.as_str(), priority.as_str())>
                                    <th scope="row">{category.text()}</th>
                                    <td>{priority.text()}</td>
                                    {cell(approval, "approval_minutes", t.approval)}
                                    {cell(response, "response_minutes", t.response)}
                                    {cell(resolution, "resolution_minutes", t.resolution)}
                                    <td>
                                        <button type="button" class="btn" data-test="target-save" on:click=save>{t.save}</button>
                                        {move || saved.get().then(|| view! { <span class="muted small" role="status">{t.saved}</span> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn site_options(sites: &[Site], all: &'static str) -> impl IntoView {
    view! {
        <option value="">{all}</option>
        {sites.iter().map(|s| view! { <option value=s.id.to_string()>{s.name.clone()}</option> }).collect_view()}
    }
}

fn kind_options() -> impl IntoView {
    HolidayKind::ALL
        .iter()
        .map(|&k| view! { <option value=k.as_str()>{k.text()}</option> })
        .collect_view()
}

#[component]
fn AddDay(sites: Vec<Site>, on_change: Callback<()>) -> impl IntoView {
    let t = CalendarT::get();
    let lang = use_lang();
    let day = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(HolidayKind::National.as_str().to_string());
    let site = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let failure = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(date) = chrono::NaiveDate::parse_from_str(&day.get_untracked(), "%Y-%m-%d") else {
            errors.set(FieldErrors::single("day", FieldError::NotADate));
            return;
        };
        let input = ClosedDayInput {
            site_id: Uuid::parse_str(&site.get_untracked()).ok(),
            day: date,
            kind: kind.get_untracked().parse().unwrap_or(HolidayKind::Closure),
            name_id: name.get_untracked(),
            name_en: String::new(),
        };
        spawn_local(async move {
            match add_closed_day(input).await {
                Ok(_) => {
                    errors.set(FieldErrors::new());
                    on_change.run(());
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => failure.set(Some(e.phrase(lang))),
            }
        });
    };
    view! {
        <form class="form inline-form" on:submit=submit novalidate data-test="add-day">
            <div class="field">
                <label for="c-day">{t.day}</label>
                <input id="c-day" type="date" bind:value=day data-test="day-date"/>
                <FieldErrorText errors field="day"/>
            </div>
            <div class="field">
                <label for="c-name">{t.name}</label>
                <input id="c-name" type="text" maxlength="200" bind:value=name data-test="day-name"/>
                <FieldErrorText errors field="name_id"/>
            </div>
            <div class="field">
                <label for="c-kind">{t.kind}</label>
                <select id="c-kind" data-test="day-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {kind_options()}
                </select>
            </div>
            <div class="field">
                <label for="c-site">{t.site}</label>
                <select id="c-site" data-test="day-site" on:change=move |ev| site.set(event_target_value(&ev))>
                    {site_options(&sites, t.all_sites)}
                </select>
                <FieldErrorText errors field="site_id"/>
            </div>
            <button type="submit" class="btn btn-primary" data-test="day-add">{t.close_day}</button>
            {move || failure.get().map(|f| view! { <p class="form-error" role="alert">{f}</p> })}
        </form>
    }
}

#[component]
fn ImportIcs(sites: Vec<Site>, on_change: Callback<()>) -> impl IntoView {
    let t = CalendarT::get();
    let lang = use_lang();
    let site = RwSignal::new(String::new());
    let kind = RwSignal::new(HolidayKind::National.as_str().to_string());
    let text = RwSignal::new(String::new());
    let result = RwSignal::new(None::<String>);
    let errors = RwSignal::new(FieldErrors::new());
    let read_file = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use leptos::wasm_bindgen::JsCast;
            let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                spawn_local(async move {
                    let promise = file.text();
                    if let Ok(v) = wasm_bindgen_futures::JsFuture::from(promise).await {
                        text.set(v.as_string().unwrap_or_default());
                    }
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let site_id = Uuid::parse_str(&site.get_untracked()).ok();
        let kind = kind
            .get_untracked()
            .parse()
            .unwrap_or(HolidayKind::National);
        let ics = text.get_untracked();
        spawn_local(async move {
            match import_closed_days(site_id, kind, ics).await {
                Ok(n) => {
                    errors.set(FieldErrors::new());
                    result.set(Some(fill(t.imported, &[&n])));
                    on_change.run(());
                }
                Err(ApiError::Validation(e)) => errors.set(e),
                Err(e) => result.set(Some(e.phrase(lang))),
            }
        });
    };
    view! {
        <form class="form inline-form" on:submit=submit novalidate data-test="import-ics">
            <div class="field">
                <label for="c-ics">{t.ics_file}</label>
                <input id="c-ics" type="file" accept=".ics,text/calendar" on:change=read_file data-test="ics-file"/>
                <FieldErrorText errors field="file"/>
            </div>
            <div class="field">
                <label for="c-ics-kind">{t.kind}</label>
                <select id="c-ics-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {HolidayKind::ALL.iter().map(|&k| view! {
                        <option value=k.as_str() selected=k == HolidayKind::National>{k.text()}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="c-ics-site">{t.site}</label>
                <select id="c-ics-site" on:change=move |ev| site.set(event_target_value(&ev))>
                    {site_options(&sites, t.all_sites)}
                </select>
            </div>
            <button type="submit" class="btn" data-test="ics-import">{t.import}</button>
            {move || result.get().map(|r| view! { <p class="notice" role="status" data-test="ics-result">{r}</p> })}
        </form>
    }
}

crate::texts! {
    CalendarT {
        heading: "Service levels", "Target layanan";
        intro: "Targets count working time of each request's site: its hours, its breaks, national holidays, cuti bersama and its own closures. Changing any of them moves the due times of open requests at once.", "Target dihitung dalam jam kerja lokasi tiap permintaan: jam kerja, jam istirahat, libur nasional, cuti bersama, dan hari tutup lokasi itu. Setiap perubahan langsung menggeser tenggat permintaan yang masih terbuka.";
        targets: "Targets", "Target";
        targets_hint: "In working hours (1.5 = an hour and a half). Reminders go at 75 % of a target; at the target the person's manager hears of it.", "Dalam jam kerja (1,5 = satu setengah jam). Pengingat dikirim pada 75 % target; saat target terlewati atasan orang tersebut diberi tahu.";
        category: "Category", "Kategori";
        priority: "Priority", "Prioritas";
        approval: "Approval decision", "Keputusan persetujuan";
        response: "First response", "Tanggapan pertama";
        resolution: "Resolution", "Penyelesaian";
        save: "Save", "Simpan";
        saved: "Saved", "Tersimpan";
        sites: "Sites and working hours", "Lokasi dan jam kerja";
        site: "Site", "Lokasi";
        zone: "Zone", "Zona";
        weekdays: "Mon Tue Wed Thu Fri Sat Sun", "Sen Sel Rab Kam Jum Sab Min";
        closed: "closed", "tutup";
        closed_days: "Holidays and closures", "Hari libur dan kantor tutup";
        day: "Day", "Tanggal";
        name: "Name", "Nama";
        kind: "Kind", "Jenis";
        all_sites: "All sites", "Semua lokasi";
        open_again: "Open again", "Buka lagi";
        close_day: "Close this day", "Tutup hari ini";
        ics_file: "Import an .ics file", "Impor berkas .ics";
        import: "Import", "Impor";
        imported: "{0} days added.", "{0} hari ditambahkan.";
    }
}
