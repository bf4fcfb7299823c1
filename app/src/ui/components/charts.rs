//! Small SVG charts drawn by our own components (no JavaScript library):
//! every bar carries its value as text and a `<title>`, and a table with
//! the same numbers follows for screen readers.

use crate::domain::dashboard::ApproverDashboard;
use crate::domain::money::format_idr;
use crate::ui::format::day;
use leptos::prelude::*;
use rust_decimal::prelude::ToPrimitive;

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 8.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 22.0;

/// "Rp 12,5 jt" style short amounts for bar labels.
fn short_idr(amount: f64) -> String {
    if amount >= 1e9 {
        format!("Rp {:.1} M", amount / 1e9).replace('.', ",")
    } else if amount >= 1e6 {
        format!("Rp {:.1} jt", amount / 1e6).replace('.', ",")
    } else if amount >= 1e3 {
        format!("Rp {:.0} rb", amount / 1e3)
    } else {
        format!("Rp {amount:.0}")
    }
}

fn month_label(m: &str) -> String {
    const NAMES: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month: usize = m.get(5..7).and_then(|s| s.parse().ok()).unwrap_or(1);
    format!(
        "{} {}",
        NAMES[(month - 1).min(11)],
        m.get(2..4).unwrap_or("")
    )
}

/// Approved spend per month, stacked by category.
#[component]
pub fn SpendChart(data: ApproverDashboard) -> impl IntoView {
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
                month_label(month),
                c.label(),
                short_idr(amount)
            );
            rects.push(view! {
                <rect x=format!("{x:.1}") y=format!("{y:.1}") width=format!("{bar:.1}") height=format!("{h:.1}")
                    class=format!("cat-{}", c.as_str())><title>{title}</title></rect>
            });
        }
    }
    let labels = data.months.iter().enumerate().map(|(i, m)| {
        let cx = LEFT + slot * i as f64 + slot / 2.0;
        let top = H - BOTTOM - plot * totals[i] / max - 6.0;
        view! {
            <text x=format!("{cx:.1}") y=format!("{:.1}", H - 8.0) text-anchor="middle" class="axis">{month_label(m)}</text>
            {(totals[i] > 0.0).then(|| view! {
                <text x=format!("{cx:.1}") y=format!("{top:.1}") text-anchor="middle" class="value">{short_idr(totals[i])}</text>
            })}
        }
    }).collect_view();
    let table_rows = data
        .months
        .iter()
        .zip(sums.iter())
        .map(|(m, t)| {
            view! {
                <tr><th scope="row">{month_label(m)}</th><td>{format_idr(*t)}</td></tr>
            }
        })
        .collect_view();
    view! {
        <figure class="chart" data-test="spend-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="spend-title">
                <title id="spend-title">"Approved spend per month by category"</title>
                <line x1=LEFT y1=H - BOTTOM x2=W y2=H - BOTTOM class="baseline"/>
                {rects.is_empty().then(|| view! {
                    <text x=W / 2.0 y=H / 2.0 text-anchor="middle" class="axis">"No approved spend in these months yet"</text>
                })}
                {rects}
                {labels}
            </svg>
            <figcaption>
                <ul class="legend">
                    {cats.into_iter().map(|c| view! {
                        <li><span class=format!("swatch cat-{}", c.as_str()) aria-hidden="true"></span>{c.label()}</li>
                    }).collect_view()}
                </ul>
            </figcaption>
            <table class="sr-only">
                <caption>"Approved spend per month"</caption>
                <tbody>{table_rows}</tbody>
            </table>
        </figure>
    }
}

/// The approver's decisions per week: approved and rejected side by side.
#[component]
pub fn DecisionsChart(data: ApproverDashboard) -> impl IntoView {
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
        let label = day(w.week);
        view! {
            <rect x=format!("{x0:.1}") y=format!("{:.1}", base - ha) width=format!("{bar:.1}") height=format!("{ha:.1}") class="approved">
                <title>{format!("Week of {label}: {} approved", w.approved)}</title>
            </rect>
            <rect x=format!("{:.1}", x0 + bar) y=format!("{:.1}", base - hr) width=format!("{bar:.1}") height=format!("{hr:.1}") class="rejected">
                <title>{format!("Week of {label}: {} rejected", w.rejected)}</title>
            </rect>
            {(w.approved > 0).then(|| view! {
                <text x=format!("{:.1}", x0 + bar / 2.0) y=format!("{:.1}", base - ha - 4.0) text-anchor="middle" class="value">{w.approved}</text>
            })}
            {(w.rejected > 0).then(|| view! {
                <text x=format!("{:.1}", x0 + bar * 1.5) y=format!("{:.1}", base - hr - 4.0) text-anchor="middle" class="value">{w.rejected}</text>
            })}
            <text x=format!("{:.1}", x0 + bar) y=format!("{:.1}", H - 8.0) text-anchor="middle" class="axis">{label.rsplit_once(' ').map(|(d, _)| d.to_string()).unwrap_or(label.clone())}</text>
        }
    }).collect_view();
    let rows = weeks.iter().map(|w| view! {
        <tr><th scope="row">{day(w.week)}</th><td>{w.approved}</td><td>{w.rejected}</td></tr>
    }).collect_view();
    view! {
        <figure class="chart" data-test="decisions-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-labelledby="decisions-title">
                <title id="decisions-title">"My decisions per week"</title>
                <line x1=LEFT y1=H - BOTTOM x2=W y2=H - BOTTOM class="baseline"/>
                {none.then(|| view! {
                    <text x=W / 2.0 y=H / 2.0 text-anchor="middle" class="axis">"No decisions in these weeks yet"</text>
                })}
                {bars}
            </svg>
            <figcaption>
                <ul class="legend">
                    <li><span class="swatch approved" aria-hidden="true"></span>"Approved"</li>
                    <li><span class="swatch rejected" aria-hidden="true"></span>"Rejected"</li>
                </ul>
            </figcaption>
            <table class="sr-only">
                <caption>"My decisions per week"</caption>
                <thead><tr><th scope="col">"Week of"</th><th scope="col">"Approved"</th><th scope="col">"Rejected"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_amounts() {
        assert_eq!(short_idr(12_500_000.0), "Rp 12,5 jt");
        assert_eq!(short_idr(2_000_000_000.0), "Rp 2,0 M");
        assert_eq!(short_idr(55_000.0), "Rp 55 rb");
        assert_eq!(month_label("2026-11"), "Nov 26");
    }
}
