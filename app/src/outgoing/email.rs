//! An email's subject, plain text and HTML, in the recipient's language.

use super::esc;
use crate::i18n::{Lang, Zone};
use crate::ui::format::date_time_zoned;
use domain::outgoing::Outgoing;

/// Where the email's links go (absolute URLs).
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// The ticket's page.
    pub ticket: Option<String>,
    /// Single-use decision links (approval requests and reminders).
    pub approve: Option<String>,
    pub reject: Option<String>,
    /// The person's notification settings.
    pub settings: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One message (or a digest of several) to `name`.
pub fn render(message: &Outgoing, name: &str, lang: Lang, zone: Zone, links: &Links) -> Rendered {
    let t = MailT::of(lang);
    let headline = message.notice.render(lang);
    let subject = match &message.ticket {
        Some(ticket) => format!("[GA Desk] {headline} · {}", ticket.title),
        None => format!("[GA Desk] {headline}"),
    };
    let mut text = format!("{} {name},\n\n{headline}\n", t.hello);
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title></head>\
         <body style=\"font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1f2933;line-height:1.5;max-width:600px;margin:0 auto;padding:16px\">\
         <p>{} {},</p><p style=\"font-size:18px;font-weight:600\">{}</p>",
        lang.code(),
        esc(&subject),
        t.hello,
        esc(name),
        esc(&headline)
    );
    facts(message, lang, zone, t, &mut text, &mut html);
    if !message.digest.is_empty() {
        text.push_str(&format!("\n{}\n", t.digest_intro));
        html.push_str(&format!("<p>{}</p><ul>", t.digest_intro));
        for item in &message.digest {
            let line = item.notice.render(lang);
            let when = date_time_zoned(lang, zone, item.at);
            let title = item
                .ticket
                .as_ref()
                .map(|k| format!(" · {}", k.title))
                .unwrap_or_default();
            text.push_str(&format!("- {when}: {line}{title}\n"));
            html.push_str(&format!(
                "<li>{}: {}{}</li>",
                esc(&when),
                esc(&line),
                esc(&title)
            ));
        }
        html.push_str("</ul>");
    }
    if let (Some(approve), Some(reject)) = (&links.approve, &links.reject) {
        text.push_str(&format!(
            "\n{}\n{}: {approve}\n{}: {reject}\n",
            t.decide_hint, t.approve, t.reject
        ));
        html.push_str(&format!(
            "<p>{}</p><p>\
             <a href=\"{}\" style=\"display:inline-block;padding:10px 18px;background:#1d7a46;color:#fff;text-decoration:none;border-radius:6px;font-weight:600;margin-right:8px\">{}</a>\
             <a href=\"{}\" style=\"display:inline-block;padding:10px 18px;background:#b42318;color:#fff;text-decoration:none;border-radius:6px;font-weight:600\">{}</a></p>",
            t.decide_hint,
            esc(approve),
            t.approve,
            esc(reject),
            t.reject
        ));
    }
    if let Some(url) = &links.ticket {
        text.push_str(&format!("\n{}: {url}\n", t.open));
        html.push_str(&format!("<p><a href=\"{}\">{}</a></p>", esc(url), t.open));
    }
    text.push_str(&format!(
        "\n--\n{}\n{}: {}\n",
        t.why, t.settings, links.settings
    ));
    html.push_str(&format!(
        "<hr style=\"border:none;border-top:1px solid #d9dee3\"><p style=\"font-size:13px;color:#52606d\">{} <a href=\"{}\">{}</a></p></body></html>",
        t.why,
        esc(&links.settings),
        t.settings
    ));
    Rendered {
        subject,
        text,
        html,
    }
}

fn facts(
    message: &Outgoing,
    lang: Lang,
    zone: Zone,
    t: &MailT,
    text: &mut String,
    html: &mut String,
) {
    let when = date_time_zoned(lang, zone, message.at);
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(k) = &message.ticket {
        rows.push((t.request, k.number.clone()));
        rows.push((t.title, k.title.clone()));
        rows.push((t.amount, k.amount.format()));
        rows.push((t.status, k.status.label_in(lang).to_string()));
    }
    rows.push((t.when, when));
    html.push_str("<table style=\"border-collapse:collapse;margin:8px 0\">");
    for (label, value) in rows {
        text.push_str(&format!("{label}: {value}\n"));
        html.push_str(&format!(
            "<tr><th style=\"text-align:left;padding:2px 12px 2px 0;color:#52606d;font-weight:normal\">{}</th><td style=\"padding:2px 0\">{}</td></tr>",
            esc(label),
            esc(&value)
        ));
    }
    html.push_str("</table>");
}

crate::texts! {
    MailT {
        hello: "Hello", "Halo";
        request: "Request", "Permintaan";
        title: "Title", "Judul";
        amount: "Amount", "Nilai";
        status: "Status", "Status";
        when: "When", "Waktu";
        open: "Open the request in GA Desk", "Buka permintaan di GA Desk";
        decide_hint: "You can decide from this email. Each link works once, for 72 hours, and only while the request is as shown above; it first shows what it will do.", "Anda dapat memutuskan dari email ini. Setiap tautan hanya berlaku sekali, selama 72 jam, dan hanya selama permintaan masih seperti di atas; tautan menampilkan dulu apa yang akan dilakukan.";
        approve: "Approve", "Setujui";
        reject: "Reject", "Tolak";
        digest_intro: "What happened since your last digest:", "Yang terjadi sejak ringkasan terakhir Anda:";
        why: "You get this email because of your notification settings in GA Desk.", "Anda menerima email ini karena pengaturan notifikasi Anda di GA Desk.";
        settings: "Change what you receive", "Ubah yang Anda terima";
    }
}
