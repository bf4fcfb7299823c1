//! The summary report for a range of days: key figures, approved spend by
//! category, tickets per week or month, and the tickets as CSV.
//!
//! The range lives in the address (`?from=2026-11-01&to=2026-11-30`) and the
//! picker is a plain GET form, so the page works before (or without) WASM.
//! The summary is keyed by the address's own strings and shipped in the
//! page (see `PageData`), so hydration starts from the server's data.

use crate::api::reports::report_summary;
use crate::api::ApiError;
use crate::domain::money::format_idr;
use crate::domain::report::{jakarta_today, ReportRange, Summary};
use crate::domain::ticket::{Category, TicketStatus};
use crate::i18n::{fill, use_lang, Common};
use crate::i18n::{Localized, Text};
use crate::ui::components::charts::{category_bars, hours_text, period_bars, BarChart, HBarChart};
use crate::ui::components::page_data::PageData;
use crate::ui::format::day_in;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

fn address(range: ReportRange) -> String {
    format!("/reports?from={}&to={}", range.from, range.to)
}

/// A key of the summary (`completed`, `office_supplies`) in the page's
/// language; unknown keys as they are.
fn status_text(key: &str) -> String {
    key.parse::<TicketStatus>()
        .map(|s| s.text().to_string())
        .unwrap_or_else(|_| key.to_string())
}

fn category_text(key: &str) -> String {
    key.parse::<Category>()
        .map(|c| c.text().to_string())
        .unwrap_or_else(|_| key.to_string())
}

#[component]
fn Figure(test: &'static str, value: String, label: &'static str) -> impl IntoView {
    view! {
        <div class="figure">
            <span class="figure-value" data-test=test>{value}</span>
            <span class="figure-label">{label}</span>
        </div>
    }
}

/// A small visible table of counts (by status, by category).
#[component]
fn CountTable(
    test: &'static str,
    caption: &'static str,
    key_header: &'static str,
    rows: Vec<(String, i64)>,
) -> impl IntoView {
    let t = ReportsT::get();
    view! {
        <table class="table counts" data-test=test>
            <caption>{caption}</caption>
            <thead><tr><th scope="col">{key_header}</th><th scope="col" class="num">{t.tickets_col}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(k, n)| view! {
                    <tr><th scope="row">{k}</th><td class="num">{n}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn ReportBody(s: Summary) -> impl IntoView {
    let lang = use_lang();
    let t = ReportsT::of(lang);
    let range = s.range();
    let attainment = s.attainment.clone();
    let csv = format!(
        "/api/v1/reports/tickets.csv?from={}&to={}",
        range.from, range.to
    );
    let file = format!("gadesk-tickets-{}-{}.csv", range.from, range.to);
    let span = fill(
        t.range_text,
        &[&day_in(lang, range.from), &day_in(lang, range.to)],
    );
    let hours = |h: Option<f64>| h.map(|h| hours_text(lang, h)).unwrap_or_else(|| "—".into());
    let figures = view! {
        <section class="figures figures-5" data-test="report-figures" aria-label=t.figures>
            <Figure test="fig-tickets" value=s.tickets.to_string() label=t.created/>
            <Figure test="fig-spend" value=format_idr(s.approved_spend) label=t.approved_spend/>
            <Figure test="fig-completed" value=s.completed.to_string() label=t.completed/>
            <Figure test="fig-approval-time" value=hours(s.avg_approval_hours) label=t.avg_approval/>
            <Figure test="fig-completion-time" value=hours(s.avg_completion_hours) label=t.avg_completion/>
        </section>
    };
    let head = view! {
        <div class="report-head">
            <p class="muted" data-test="report-range">{span}</p>
            <a class="btn" href=csv download=file data-test="export-csv">{t.export_csv}</a>
        </div>
    };
    if s.tickets == 0 {
        return view! {
            {head}
            {figures}
            <section class="empty" data-test="empty-report">
                <h2>{t.empty}</h2>
                <p>{t.empty_hint}</p>
            </section>
        }
        .into_any();
    }
    let weekly = range.weekly();
    let periods = if weekly {
        period_bars(lang, &s.tickets_per_week(), true)
    } else {
        period_bars(lang, &s.tickets_per_month(), false)
    };
    let categories = category_bars(lang, &s.spend_per_category());
    let by_status: Vec<(String, i64)> = s
        .by_status
        .iter()
        .map(|c| (status_text(&c.key), c.count))
        .collect();
    let by_category: Vec<(String, i64)> = s
        .by_category
        .iter()
        .map(|c| (category_text(&c.key), c.count))
        .collect();
    view! {
        {head}
        {figures}
        <div class="charts">
            <section class="card">
                <h2>{t.spend_heading}</h2>
                <HBarChart id="category-spend-chart" title=t.spend_heading.to_string()
                    label_header=t.category.to_string() value_header=t.approved_spend_col.to_string()
                    bars=categories empty=t.no_spend.to_string()/>
            </section>
            <section class="card">
                <h2>{if weekly { t.per_week } else { t.per_month }}</h2>
                <BarChart id="tickets-chart" title=(if weekly { t.per_week } else { t.per_month }).to_string()
                    label_header=(if weekly { t.week } else { t.month }).to_string() value_header=t.tickets_col.to_string()
                    bars=periods empty=t.empty.to_string()/>
            </section>
        </div>
        <div class="count-tables">
            <section class="card">
                <CountTable test="by-status" caption=t.by_status key_header=t.status rows=by_status/>
            </section>
            <section class="card">
                <CountTable test="by-category" caption=t.by_category key_header=t.category rows=by_category/>
            </section>
        </div>
        <section class="card">
            <div class="table-wrap" tabindex="0" role="region" aria-label=t.attainment>
            <table class="table counts" data-test="attainment">
                <caption>{t.attainment}</caption>
                <thead><tr>
                    <th scope="col">{t.site}</th><th scope="col">{t.category}</th>
                    <th scope="col" class="num">{t.response_on_time}</th>
                    <th scope="col" class="num">{t.resolution_on_time}</th>
                </tr></thead>
                <tbody>
                    {attainment.into_iter().map(|a| {
                        let pct = |p: Option<i64>, on: i64, of: i64| match p {
                            Some(p) => format!("{p} % ({on}/{of})"),
                            None => "–".to_string(),
                        };
                        view! { <tr>
                            <th scope="row">{a.site.clone()}</th>
                            <td>{category_text(&a.category)}</td>
                            <td class="num">{pct(a.responded_percent(), a.responded_on_time, a.responded)}</td>
                            <td class="num">{pct(a.resolved_percent(), a.resolved_on_time, a.resolved)}</td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            <p class="muted small">{t.attainment_hint}</p>
        </section>
    }
    .into_any()
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let lang = use_lang();
    let t = ReportsT::of(lang);
    let common = Common::of(lang);
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("from").unwrap_or_default(),
            q.get("to").unwrap_or_default(),
        )
    });
    let summary = PageData::new(
        "report-data",
        move || asked.get(),
        |(from, to)| report_summary(from, to),
    );
    let today = jakarta_today(chrono::Utc::now());
    // What the inputs show: what was asked, else the default it stands for.
    let shown = move || {
        let (from, to) = asked.get();
        let fallback = ReportRange::parse(None, Some(&to), today)
            .unwrap_or_else(|_| ReportRange::this_month(today));
        (
            if from.trim().is_empty() {
                fallback.from.to_string()
            } else {
                from
            },
            if to.trim().is_empty() {
                fallback.to.to_string()
            } else {
                to
            },
        )
    };
    let presets = [
        ("this-month", t.this_month, ReportRange::this_month(today)),
        ("last-month", t.last_month, ReportRange::last_month(today)),
        ("this-year", t.this_year, ReportRange::this_year(today)),
    ];

    view! {
        <Title text=t.title/>
        <div class="page-head"><h1>{t.heading}</h1></div>
        <form method="get" action="/reports" class="filters range-form" data-test="range-form">
            <div class="field">
                <label for="report-from">{t.from}</label>
                <input id="report-from" type="date" name="from" min="2000-01-01" max="2100-12-31"
                    value=move || shown().0 prop:value=move || shown().0 data-test="range-from"/>
            </div>
            <div class="field">
                <label for="report-to">{t.to}</label>
                <input id="report-to" type="date" name="to" min="2000-01-01" max="2100-12-31"
                    value=move || shown().1 prop:value=move || shown().1 data-test="range-to"/>
            </div>
            <button type="submit" class="btn btn-primary" data-test="range-apply">{t.show}</button>
        </form>
        <ul class="chips range-presets" aria-label=t.presets>
            {presets.into_iter().map(|(key, label, range)| {
                let current = move || {
                    let (from, to) = shown();
                    (from == range.from.to_string() && to == range.to.to_string()).then_some("page")
                };
                view! {
                    <li><a class="chip" href=address(range) aria-current=current data-test=format!("preset-{key}")>{label}</a></li>
                }
            }).collect_view()}
        </ul>
        <Transition fallback=move || view! { <div class="skeleton-table" aria-busy="true">{common.loading}</div> }>
            {summary.script()}
            <div class="report" aria-busy=move || summary.loading().then_some("true")>
            {move || match summary.get() {
                None => view! { <div class="skeleton-table" aria-busy="true">{common.loading}</div> }.into_any(),
                Some(Ok(s)) => view! { <ReportBody s/> }.into_any(),
                Some(Err(ApiError::Validation(e))) => view! {
                    <div class="form-error" role="alert" data-test="range-error">
                        {e.iter().map(|(field, text)| {
                            let label = if field == "from" { t.from } else { t.to };
                            view! { <p>{format!("{label}: {}", text.render(lang))}</p> }
                        }).collect_view()}
                    </div>
                }.into_any(),
                Some(Err(e)) => view! {
                    <div class="load-error" role="alert" data-test="load-error">
                        <p class="form-error">{e.localized()}</p>
                        <button type="button" class="btn" on:click=move |_| summary.refetch()>{common.retry}</button>
                    </div>
                }.into_any(),
            }}
            </div>
        </Transition>
    }
}

crate::texts! {
    ReportsT {
        title: "Reports", "Laporan";
        heading: "Summary report", "Laporan ringkas";
        from: "From", "Dari";
        to: "To", "Sampai";
        show: "Show", "Tampilkan";
        presets: "Quick ranges", "Rentang cepat";
        this_month: "This month", "Bulan ini";
        last_month: "Last month", "Bulan lalu";
        this_year: "This year", "Tahun ini";
        range_text: "Tickets created from {0} to {1}", "Tiket yang dibuat {0} sampai {1}";
        export_csv: "Export CSV", "Ekspor CSV";
        figures: "Key figures", "Angka utama";
        created: "tickets created", "tiket dibuat";
        approved_spend: "approved spend (actual cost once completed)", "belanja disetujui (biaya nyata bila sudah selesai)";
        completed: "completed", "selesai dikerjakan";
        avg_approval: "from request to approval, on average", "rata-rata dari pengajuan sampai disetujui";
        avg_completion: "from request to completion, on average", "rata-rata dari pengajuan sampai selesai";
        empty: "No tickets in this range", "Tidak ada tiket pada rentang ini";
        empty_hint: "Choose another range above, or one of the quick ranges.", "Pilih rentang lain di atas, atau salah satu rentang cepat.";
        spend_heading: "Approved spend by category", "Belanja disetujui menurut kategori";
        no_spend: "No approved spend in this range", "Belum ada belanja disetujui pada rentang ini";
        approved_spend_col: "Approved spend", "Belanja disetujui";
        per_week: "Tickets per week", "Tiket per minggu";
        per_month: "Tickets per month", "Tiket per bulan";
        week: "Week", "Minggu";
        month: "Month", "Bulan";
        tickets_col: "Tickets", "Tiket";
        by_status: "Tickets by status", "Tiket menurut status";
        by_category: "Tickets by category", "Tiket menurut kategori";
        status: "Status", "Status";
        category: "Category", "Kategori";
        attainment: "Service levels met, per site and category", "Target layanan tercapai, per lokasi dan kategori";
        site: "Site", "Lokasi";
        response_on_time: "First response on time", "Tanggapan pertama tepat waktu";
        resolution_on_time: "Resolved on time", "Selesai tepat waktu";
        attainment_hint: "Counted in each site's working hours: weekends, holidays, cuti bersama and closures do not count.", "Dihitung dalam jam kerja tiap lokasi: akhir pekan, hari libur, cuti bersama, dan hari kantor tutup tidak dihitung.";
    }
}
