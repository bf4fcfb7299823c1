//! Small SVG charts drawn by our own components (no JavaScript library, no
//! CDN): every bar carries its value as text and a `<title>`, and a table
//! with the same numbers follows for screen readers. Colour is never the
//! only signal: bars are labelled, and the legend names each colour.
//! The tables sit in a visually hidden `div`: a hidden table itself would
//! keep its content's width and widen a phone page.

use crate::domain::dashboard::{span, ApproverDashboard, Span};
use crate::domain::money::format_idr;
use crate::domain::ticket::Category;
use crate::i18n::Text;
use crate::i18n::{fill, use_lang, Lang};
use crate::ui::format::{day_in, month_year};
use chrono::NaiveDate;
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;

// A narrow drawing scales well down to a 360 px phone and up to half a
// desktop page without the text becoming tiny or huge.
const W: f64 = 400.0;
const H: f64 = 220.0;
const LEFT: f64 = 4.0;
const BOTTOM: f64 = 26.0;
const TOP: f64 = 20.0;
/// With more bars than this, values and every axis label would collide:
/// the table and the bars' titles still carry them all.
const LABELLED_BARS: usize = 12;

/// "Rp 12,5 jt" / "Rp 12.5M": short amounts for bar labels.
pub fn short_idr(lang: Lang, amount: f64) -> String {
    let (value, unit) = if amount >= 1e9 {
        (amount / 1e9, if lang == Lang::Id { " M" } else { "B" })
    } else if amount >= 1e6 {
        (amount / 1e6, if lang == Lang::Id { " jt" } else { "M" })
    } else if amount >= 1e3 {
        return format!(
            "Rp {:.0}{}",
            amount / 1e3,
            if lang == Lang::Id { " rb" } else { "K" }
        );
    } else {
        return format!("Rp {amount:.0}");
    };
    decimal(lang, format!("Rp {value:.1}{unit}"))
}

/// Indonesian writes a decimal comma.
fn decimal(lang: Lang, text: String) -> String {
    match lang {
        Lang::Id => text.replace('.', ","),
        Lang::En => text,
    }
}

/// "3.5 h" / "3,5 jam": an average duration in the page's language.
pub fn hours_text(lang: Lang, hours: f64) -> String {
    let t = ChartsT::of(lang);
    match span(hours) {
        Span::Minutes(m) => fill(t.minutes, &[&m]),
        Span::Hours(h) => fill(t.hours, &[&decimal(lang, format!("{h:.1}"))]),
        Span::Days(d) => fill(t.days, &[&decimal(lang, format!("{d:.1}"))]),
    }
}

/// `Nov 2026` from `2026-11`.
fn month_text(lang: Lang, month: &str) -> String {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map(|d| month_year(lang, d))
        .unwrap_or_else(|_| month.to_string())
}

/// `26 Oct` (a week's Monday, without the year).
fn short_day(lang: Lang, d: NaiveDate) -> String {
    let full = day_in(lang, d);
    full.rsplit_once(' ')
        .map(|(dm, _)| dm.to_string())
        .unwrap_or(full)
}

/// Where to centre an axis label so it stays inside the drawing: the first
/// and last of many narrow bars would otherwise be cut at the edges.
fn label_x(cx: f64, text: &str) -> f64 {
    // About 6.5 units per character at the axis' 12 px.
    let half = text.chars().count() as f64 * 3.25;
    cx.clamp(half.min(W / 2.0), (W - half).max(W / 2.0))
}

/// One bar: what it is (axis and table), its value and how to read it.
#[derive(Debug, Clone, PartialEq)]
pub struct BarItem {
    pub label: String,
    /// The label under the bar, when shorter than `label`.
    pub axis: String,
    pub value: f64,
    pub text: String,
    pub class: String,
}

/// Tickets per week (`weekly`) or per month, one bar each.
pub fn period_bars(
    lang: Lang,
    bars: &[crate::domain::report::Bar<NaiveDate>],
    weekly: bool,
) -> Vec<BarItem> {
    let t = ChartsT::of(lang);
    bars.iter()
        .map(|b| {
            let (label, axis) = if weekly {
                (
                    fill(t.week_of, &[&day_in(lang, b.key)]),
                    short_day(lang, b.key),
                )
            } else {
                let m = month_year(lang, b.key);
                (m.clone(), m)
            };
            BarItem {
                label,
                axis,
                value: b.value,
                text: format!("{}", b.value as i64),
                class: "bar".into(),
            }
        })
        .collect()
}

/// Rupiah per category, one bar each, in the category's colour.
pub fn category_bars(lang: Lang, bars: &[crate::domain::report::Bar<Category>]) -> Vec<BarItem> {
    bars.iter()
        .map(|b| BarItem {
            label: b.key.text().to_string(),
            axis: b.key.text().to_string(),
            value: b.value,
            text: short_idr(lang, b.value),
            class: format!("cat-{}", b.key.as_str()),
        })
        .collect()
}

/// The same numbers as a bar chart, as a table for screen readers.
fn bars_table(
    title: String,
    label_header: String,
    value_header: String,
    bars: &[BarItem],
) -> impl IntoView {
    let rows = bars
        .iter()
        .map(|b| view! { <tr><th scope="row">{b.label.clone()}</th><td>{b.text.clone()}</td></tr> })
        .collect_view();
    view! {
        <div class="sr-only"><table>
            <caption>{title}</caption>
            <thead><tr><th scope="col">{label_header}</th><th scope="col">{value_header}</th></tr></thead>
            <tbody>{rows}</tbody>
        </table></div>
    }
}

/// Vertical bars with their values on top and labels underneath.
#[component]
pub fn BarChart(
    /// Unique on the page; also the `data-test` of the figure.
    id: &'static str,
    title: String,
    label_header: String,
    value_header: String,
    bars: Vec<BarItem>,
    empty: String,
) -> impl IntoView {
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let n = bars.len().max(1);
    let slot = (W - LEFT) / n as f64;
    let bar = (slot * 0.62).min(48.0);
    let plot = H - BOTTOM - TOP;
    let step = n.div_ceil(LABELLED_BARS.min(8)).max(1);
    let none = bars.iter().all(|b| b.value <= 0.0);
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let cx = LEFT + slot * i as f64 + slot / 2.0;
            let h = plot * b.value / max;
            let y = H - BOTTOM - h;
            let value = (n <= LABELLED_BARS && b.value > 0.0).then(|| {
                view! {
                    <text x=format!("{cx:.1}") y=format!("{:.1}", y - 5.0) text-anchor="middle" class="value">{b.text.clone()}</text>
                }
            });
            let axis = (i % step == 0).then(|| {
                let x = label_x(cx, &b.axis);
                view! {
                    <text x=format!("{x:.1}") y=format!("{:.1}", H - 8.0) text-anchor="middle" class="axis">{b.axis.clone()}</text>
                }
            });
            view! {
                <rect x=format!("{:.1}", cx - bar / 2.0) y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}") class=b.class.clone()>
                    <title>{format!("{}: {}", b.label, b.text)}</title>
                </rect>
                {value}
                {axis}
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-test=id>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby=labelled_by>
                <title id=title_id>{title.clone()}</title>
                <line x1=LEFT y1=H - BOTTOM x2=W y2=H - BOTTOM class="baseline"/>
                {drawn}
            </svg>
            {none.then(|| view! { <p class="chart-empty">{empty.clone()}</p> })}
            {bars_table(title, label_header, value_header, &bars)}
        </figure>
    }
}

/// Horizontal bars, one row each, the label above the bar and the value
/// after it: long labels (categories) stay readable on a phone.
#[component]
pub fn HBarChart(
    id: &'static str,
    title: String,
    label_header: String,
    value_header: String,
    bars: Vec<BarItem>,
    empty: String,
) -> impl IntoView {
    const ROW: f64 = 40.0;
    const VALUE_ROOM: f64 = 96.0;
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1.0);
    let height = (ROW * bars.len() as f64).max(ROW) + 4.0;
    let drawn = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let top = ROW * i as f64;
            let w = ((W - LEFT - VALUE_ROOM) * b.value / max).max(2.0);
            view! {
                <text x=LEFT y=format!("{:.1}", top + 14.0) class="axis">{b.axis.clone()}</text>
                <rect x=LEFT y=format!("{:.1}", top + 19.0) width=format!("{w:.1}") height="14" rx="2" class=b.class.clone()>
                    <title>{format!("{}: {}", b.label, b.text)}</title>
                </rect>
                <text x=format!("{:.1}", LEFT + w + 6.0) y=format!("{:.1}", top + 31.0) class="value">{b.text.clone()}</text>
            }
        })
        .collect_view();
    let none = bars.is_empty();
    view! {
        <figure class="chart" data-test=id>
            <svg viewBox=format!("0 0 {W} {height}") role="img" aria-labelledby=labelled_by>
                <title id=title_id>{title.clone()}</title>
                {drawn}
            </svg>
            {none.then(|| view! { <p class="chart-empty inline">{empty.clone()}</p> })}
            {bars_table(title, label_header, value_header, &bars)}
        </figure>
    }
}

/// Approved spend per month, stacked by category.
#[component]
pub fn SpendChart(data: ApproverDashboard) -> impl IntoView {
    let lang = use_lang();
    let t = ChartsT::of(lang);
    let sums = data.month_totals();
    let totals: Vec<f64> = sums.iter().map(|d| d.to_f64().unwrap_or(0.0)).collect();
    let max = totals.iter().cloned().fold(0.0, f64::max).max(1.0);
    let n = data.months.len().max(1) as f64;
    let slot = (W - LEFT) / n;
    let bar = slot * 0.6;
    let cats = data.categories();
    let plot = H - BOTTOM - TOP;
    let mut rects = Vec::new();
    for (i, month) in data.months.iter().enumerate() {
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = H - BOTTOM;
        for c in &cats {
            let amount = data
                .spend
                .iter()
                .find(|s| &s.month == month && s.category == *c)
                .and_then(|s| s.amount.to_f64())
                .unwrap_or(0.0);
            if amount <= 0.0 {
                continue;
            }
            let h = plot * amount / max;
            y -= h;
            let title = format!(
                "{} · {}: {}",
                month_text(lang, month),
                c.text(),
                short_idr(lang, amount)
            );
            rects.push(view! {
                <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}")
                    class=format!("cat-{}", c.as_str())><title>{title}</title></rect>
            });
        }
    }
    let labels = data
        .months
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let cx = LEFT + slot * i as f64 + slot / 2.0;
            let top = H - BOTTOM - plot * totals[i] / max - 6.0;
            view! {
                <text x=format!("{cx:.1}") y=format!("{:.1}", H - 8.0) text-anchor="middle" class="axis">{month_text(lang, m)}</text>
                {(totals[i] > 0.0).then(|| view! {
                    <text x=format!("{cx:.1}") y=format!("{top:.1}") text-anchor="middle" class="value">{short_idr(lang, totals[i])}</text>
                })}
            }
        })
        .collect_view();
    let table_rows = data
        .months
        .iter()
        .zip(sums.iter())
        .map(|(m, total)| {
            view! {
                <tr><th scope="row">{month_text(lang, m)}</th><td>{format_idr(*total)}</td></tr>
            }
        })
        .collect_view();
    let no_spend = rects.is_empty();
    view! {
        <figure class="chart" data-test="spend-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="spend-title">
                <title id="spend-title">{t.spend_title}</title>
                <line x1=LEFT y1=H - BOTTOM x2=W y2=H - BOTTOM class="baseline"/>
                {rects}
                {labels}
            </svg>
            {no_spend.then(|| view! { <p class="chart-empty">{t.no_spend}</p> })}
            <figcaption>
                <ul class="legend">
                    {cats.into_iter().map(|c| view! {
                        <li><span class=format!("swatch cat-{}", c.as_str()) aria-hidden="true"></span>{c.text()}</li>
                    }).collect_view()}
                </ul>
            </figcaption>
            <div class="sr-only"><table>
                <caption>{t.spend_title}</caption>
                <thead><tr><th scope="col">{t.month}</th><th scope="col">{t.approved_spend}</th></tr></thead>
                <tbody>{table_rows}</tbody>
            </table></div>
        </figure>
    }
}

/// The approver's decisions per week: approved and rejected side by side.
#[component]
pub fn DecisionsChart(data: ApproverDashboard) -> impl IntoView {
    let lang = use_lang();
    let t = ChartsT::of(lang);
    let weeks = data.decisions;
    let max = weeks
        .iter()
        .map(|w| w.approved.max(w.rejected))
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let n = weeks.len().max(1) as f64;
    let slot = (W - LEFT) / n;
    let bar = slot * 0.32;
    let plot = H - BOTTOM - TOP;
    let none = weeks.iter().all(|w| w.approved == 0 && w.rejected == 0);
    let bars = weeks.iter().enumerate().map(|(i, w)| {
        let x0 = LEFT + slot * i as f64 + slot / 2.0 - bar;
        let ha = plot * w.approved as f64 / max;
        let hr = plot * w.rejected as f64 / max;
        let base = H - BOTTOM;
        let week = day_in(lang, w.week);
        view! {
            <rect x=format!("{x0:.1}") y=format!("{:.1}", base - ha) width=format!("{bar:.1}") height=format!("{ha:.1}") class="approved">
                <title>{fill(t.week_approved, &[&week, &w.approved])}</title>
            </rect>
            <rect x=format!("{:.1}", x0 + bar) y=format!("{:.1}", base - hr) width=format!("{bar:.1}") height=format!("{hr:.1}") class="rejected">
                <title>{fill(t.week_rejected, &[&week, &w.rejected])}</title>
            </rect>
            {(w.approved > 0).then(|| view! {
                <text x=format!("{:.1}", x0 + bar / 2.0) y=format!("{:.1}", base - ha - 4.0) text-anchor="middle" class="value">{w.approved}</text>
            })}
            {(w.rejected > 0).then(|| view! {
                <text x=format!("{:.1}", x0 + bar * 1.5) y=format!("{:.1}", base - hr - 4.0) text-anchor="middle" class="value">{w.rejected}</text>
            })}
            <text x=format!("{:.1}", x0 + bar) y=format!("{:.1}", H - 8.0) text-anchor="middle" class="axis">{short_day(lang, w.week)}</text>
        }
    }).collect_view();
    let rows = weeks
        .iter()
        .map(|w| {
            view! {
                <tr><th scope="row">{day_in(lang, w.week)}</th><td>{w.approved}</td><td>{w.rejected}</td></tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-test="decisions-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="decisions-title">
                <title id="decisions-title">{t.decisions_title}</title>
                <line x1=LEFT y1=H - BOTTOM x2=W y2=H - BOTTOM class="baseline"/>
                {bars}
            </svg>
            {none.then(|| view! { <p class="chart-empty">{t.no_decisions}</p> })}
            <figcaption>
                <ul class="legend">
                    <li><span class="swatch approved" aria-hidden="true"></span>{t.approved}</li>
                    <li><span class="swatch rejected" aria-hidden="true"></span>{t.rejected}</li>
                </ul>
            </figcaption>
            <div class="sr-only"><table>
                <caption>{t.decisions_title}</caption>
                <thead><tr><th scope="col">{t.week_col}</th><th scope="col">{t.approved}</th><th scope="col">{t.rejected}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table></div>
        </figure>
    }
}

crate::texts! {
    ChartsT {
        spend_title: "Approved spend per month by category", "Belanja disetujui per bulan menurut kategori";
        no_spend: "No approved spend in these months yet", "Belum ada belanja disetujui pada bulan-bulan ini";
        month: "Month", "Bulan";
        approved_spend: "Approved spend", "Belanja disetujui";
        decisions_title: "My decisions per week", "Keputusan saya per minggu";
        no_decisions: "No decisions in these weeks yet", "Belum ada keputusan pada minggu-minggu ini";
        week_col: "Week of", "Minggu mulai";
        week_of: "Week of {0}", "Minggu mulai {0}";
        week_approved: "Week of {0}: {1} approved", "Minggu mulai {0}: {1} disetujui";
        week_rejected: "Week of {0}: {1} rejected", "Minggu mulai {0}: {1} ditolak";
        approved: "Approved", "Disetujui";
        rejected: "Rejected", "Ditolak";
        minutes: "{0} min", "{0} menit";
        hours: "{0} h", "{0} jam";
        days: "{0} days", "{0} hari";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_amounts_in_both_languages() {
        assert_eq!(short_idr(Lang::Id, 12_500_000.0), "Rp 12,5 jt");
        assert_eq!(short_idr(Lang::En, 12_500_000.0), "Rp 12.5M");
        assert_eq!(short_idr(Lang::Id, 2_000_000_000.0), "Rp 2,0 M");
        assert_eq!(short_idr(Lang::Id, 55_000.0), "Rp 55 rb");
        assert_eq!(short_idr(Lang::En, 900.0), "Rp 900");
        assert_eq!(month_text(Lang::Id, "2026-08"), "Agu 2026");
        assert_eq!(
            short_day(Lang::En, NaiveDate::from_ymd_opt(2026, 10, 26).unwrap()),
            "26 Oct"
        );
    }

    #[test]
    fn axis_labels_stay_inside() {
        assert_eq!(label_x(10.0, "Jan 2026"), 26.0);
        assert_eq!(label_x(W - 4.0, "Nov 2026"), W - 26.0);
        assert_eq!(label_x(200.0, "Jul 2026"), 200.0);
    }

    #[test]
    fn durations_in_both_languages() {
        assert_eq!(hours_text(Lang::En, 0.5), "30 min");
        assert_eq!(hours_text(Lang::Id, 5.25), "5,3 jam");
        assert_eq!(hours_text(Lang::En, 72.0), "3.0 days");
    }
}
