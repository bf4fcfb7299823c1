//! The page an approval email's link opens: what the link will do, and a
//! button to do it (reject asks for the reason); or why it cannot. Plain
//! server-rendered HTML with the site's stylesheet: it works in any mail
//! app's browser, signed in or not, without WebAssembly.

use super::esc;
use crate::services::decision_links::LinkView;
use crate::ui::format::date_time_zoned;
use domain::outgoing::{LinkAction, LinkRefusal};
use domain::Lang;

/// What happened on this visit.
pub enum Shown<'a> {
    /// Not yet decided: confirm.
    Confirm(&'a LinkView),
    /// Decided now.
    Done(&'a LinkView),
    /// Cannot decide: why (with the ticket, when the link was genuine).
    Refused(Option<&'a LinkView>, &'a LinkRefusal),
}

pub fn page(shown: Shown<'_>, lang: Lang, action_path: &str, ticket_url: Option<&str>) -> String {
    let t = DecideT::of(lang);
    let mut body = String::new();
    let view = match &shown {
        Shown::Confirm(v) | Shown::Done(v) => Some(*v),
        Shown::Refused(v, _) => *v,
    };
    let heading = match (&shown, view.map(|v| v.action)) {
        (Shown::Done(_), Some(LinkAction::Approve)) => t.approved,
        (Shown::Done(_), _) => t.rejected,
        (Shown::Refused(..), _) => t.cannot,
        (_, Some(LinkAction::Approve)) => t.approve_q,
        _ => t.reject_q,
    };
    body.push_str(&format!("<h1 data-test=\"decide-heading\">{heading}</h1>"));
    if let Some(v) = view {
        body.push_str(&format!(
            "<dl class=\"facts\" data-test=\"decide-facts\">\
             <div><dt>{}</dt><dd>{}</dd></div><div><dt>{}</dt><dd>{}</dd></div>\
             <div><dt>{}</dt><dd>{}</dd></div><div><dt>{}</dt><dd>{}</dd></div>\
             <div><dt>{}</dt><dd>{}</dd></div></dl>",
            t.request,
            esc(&v.number),
            t.title,
            esc(&v.title),
            t.amount,
            esc(&v.amount.format()),
            t.requester,
            esc(&v.requester),
            t.status,
            esc(v.status.label_in(lang)),
        ));
    }
    match &shown {
        Shown::Confirm(v) => {
            body.push_str(&format!(
                "<p class=\"muted\">{} {}. {} {}.</p>",
                t.as_who,
                esc(&v.approver),
                t.valid_until,
                esc(&date_time_zoned(lang, v.zone, v.expires_at))
            ));
            body.push_str(&format!(
                "<form method=\"post\" action=\"{}\" data-test=\"decide-form\">",
                esc(action_path)
            ));
            match v.action {
                LinkAction::Approve => body.push_str(&format!(
                    "<button type=\"submit\" class=\"btn btn-primary btn-block\" data-test=\"decide-confirm\">{}</button>",
                    t.approve
                )),
                LinkAction::Reject => body.push_str(&format!(
                    "<div class=\"field\"><label for=\"reason\">{}</label>\
                     <textarea id=\"reason\" name=\"reason\" rows=\"3\" required maxlength=\"2000\" data-test=\"decide-reason\"></textarea></div>\
                     <button type=\"submit\" class=\"btn btn-danger btn-block\" data-test=\"decide-confirm\">{}</button>",
                    t.reason, t.reject
                )),
            }
            body.push_str("</form>");
        }
        Shown::Done(_) => {
            body.push_str(&format!(
                "<p class=\"notice\" role=\"status\" data-test=\"decide-done\">{}</p>",
                t.done
            ));
        }
        Shown::Refused(v, why) => {
            body.push_str(&format!(
                "<p class=\"form-error\" role=\"alert\" data-test=\"decide-refused\" data-code=\"{}\">{}</p>",
                why.code(),
                esc(&why.render(lang))
            ));
            if let Some(v) = v.filter(|v| !v.changes.is_empty()) {
                body.push_str(&format!(
                    "<h2>{}</h2><ul data-test=\"decide-changes\">",
                    t.changes
                ));
                for c in &v.changes {
                    let action = c
                        .action
                        .parse::<domain::ticket::lifecycle::Action>()
                        .map(|a| a.label_in(lang).to_string())
                        .unwrap_or_else(|_| c.action.clone());
                    body.push_str(&format!(
                        "<li>{} · {} · {}</li>",
                        esc(&date_time_zoned(lang, v.zone, c.at)),
                        esc(c.who.as_deref().unwrap_or("GA Desk")),
                        esc(&action),
                    ));
                }
                body.push_str("</ul>");
            }
        }
    }
    if let Some(url) = ticket_url {
        body.push_str(&format!(
            "<p><a href=\"{}\" data-test=\"decide-open\">{}</a></p>",
            esc(url),
            t.open
        ));
    }
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · GA Desk</title><link rel=\"stylesheet\" href=\"/pkg/gadesk.css\"></head>\
         <body><main class=\"page\"><section class=\"auth-card\">{body}</section></main></body></html>",
        lang.code(),
        heading
    )
}

crate::texts! {
    DecideT {
        approve_q: "Approve this request?", "Setujui permintaan ini?";
        reject_q: "Reject this request?", "Tolak permintaan ini?";
        approved: "Approved", "Disetujui";
        rejected: "Rejected", "Ditolak";
        cannot: "This link cannot decide", "Tautan ini tidak dapat memutuskan";
        request: "Request", "Permintaan";
        title: "Title", "Judul";
        amount: "Amount", "Nilai";
        requester: "Requester", "Pemohon";
        status: "Status", "Status";
        as_who: "You decide as", "Anda memutuskan sebagai";
        valid_until: "This link works once, until", "Tautan ini hanya berlaku sekali, sampai";
        approve: "Approve", "Setujui";
        reject: "Reject", "Tolak";
        reason: "Why do you reject it? The requester reads this.", "Mengapa ditolak? Pemohon akan membaca alasan ini.";
        done: "Done. The requester has been told.", "Selesai. Pemohon sudah diberi tahu.";
        changes: "What changed since the email", "Yang berubah sejak email dikirim";
        open: "Open the request in GA Desk", "Buka permintaan di GA Desk";
    }
}
