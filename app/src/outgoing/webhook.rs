//! Webhook bodies: GA Desk's own JSON, and what Slack's and Microsoft
//! Teams' incoming webhooks accept.

use crate::i18n::{Lang, Zone};
use crate::ui::format::date_time_zoned;
use domain::outgoing::{HookFormat, Outgoing};
use serde_json::{json, Value};

/// The body for one delivery. `delivery` is the outbox row's id: receivers
/// can use it to recognise a redelivery; `url` is the ticket's page.
pub fn body(
    format: HookFormat,
    message: &Outgoing,
    delivery: i64,
    lang: Lang,
    url: Option<&str>,
) -> Value {
    let text = message.notice.render(lang);
    match format {
        HookFormat::Json => json!({
            "delivery": delivery,
            "event": message.notice.code(),
            "occurred_at": message.at,
            "text": text,
            "lang": lang.code(),
            "notice": message.notice,
            "ticket": message.ticket.as_ref().map(|t| json!({
                "id": t.id,
                "number": t.number,
                "title": t.title,
                "amount": t.amount.to_api_string(),
                "status": t.status.as_str(),
                "url": url,
            })),
        }),
        HookFormat::Slack => {
            let mut lines = vec![match url {
                Some(u) => format!("*<{u}|{}>*", slack_escape(&text)),
                None => format!("*{}*", slack_escape(&text)),
            }];
            if let Some(t) = &message.ticket {
                lines.push(format!(
                    "{} · {} · {}",
                    slack_escape(&t.title),
                    t.amount.format(),
                    t.status.label_in(lang)
                ));
            }
            json!({
                "text": text,
                "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": lines.join("\n")}}],
            })
        }
        HookFormat::Teams => {
            let t = HookT::of(lang);
            let mut facts = Vec::new();
            if let Some(k) = &message.ticket {
                facts.push(json!({"title": t.request, "value": k.number}));
                facts.push(json!({"title": t.title, "value": k.title}));
                facts.push(json!({"title": t.amount, "value": k.amount.format()}));
                facts.push(json!({"title": t.status, "value": k.status.label_in(lang)}));
            }
            facts.push(json!({"title": t.when, "value": date_time_zoned(lang, Zone::default(), message.at)}));
            let actions: Vec<Value> = url
                .map(|u| json!({"type": "Action.OpenUrl", "title": t.open, "url": u}))
                .into_iter()
                .collect();
            json!({
                "type": "message",
                "attachments": [{
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": null,
                    "content": {
                        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                        "type": "AdaptiveCard",
                        "version": "1.4",
                        "body": [
                            {"type": "TextBlock", "text": text, "weight": "Bolder", "wrap": true},
                            {"type": "FactSet", "facts": facts},
                        ],
                        "actions": actions,
                    },
                }],
            })
        }
    }
}

/// Slack's mrkdwn gives `&`, `<` and `>` meaning.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

crate::texts! {
    HookT {
        request: "Request", "Permintaan";
        title: "Title", "Judul";
        amount: "Amount", "Nilai";
        status: "Status", "Status";
        when: "When", "Waktu";
        open: "Open in GA Desk", "Buka di GA Desk";
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::events::Notice;
    use domain::outgoing::TicketFacts;
    use domain::ticket::TicketStatus;
    use domain::Money;

    fn message() -> Outgoing {
        let mut m = Outgoing::new(
            Notice::AwaitingApproval {
                number: "GA-2026-000042".into(),
            },
            chrono::DateTime::parse_from_rfc3339("2026-12-02T03:00:00Z")
                .unwrap()
                .into(),
        );
        m.ticket = Some(TicketFacts {
            id: uuid::Uuid::nil(),
            number: "GA-2026-000042".into(),
            title: "Kursi <ergonomis> & meja".into(),
            amount: Money::from_rupiah(1_500_000).unwrap(),
            status: TicketStatus::WaitingApproval,
        });
        m
    }

    #[test]
    fn slack_gets_text_and_escaped_mrkdwn() {
        let b = body(
            HookFormat::Slack,
            &message(),
            7,
            Lang::Id,
            Some("https://ga.example/t/1"),
        );
        assert_eq!(b["text"], "GA-2026-000042 menunggu persetujuan Anda");
        let md = b["blocks"][0]["text"]["text"].as_str().unwrap();
        assert!(
            md.contains("<https://ga.example/t/1|GA-2026-000042 menunggu persetujuan Anda>"),
            "{md}"
        );
        assert!(
            md.contains("Kursi &lt;ergonomis&gt; &amp; meja · Rp 1.500.000"),
            "{md}"
        );
    }

    #[test]
    fn teams_gets_an_adaptive_card_with_facts_and_a_link() {
        let b = body(
            HookFormat::Teams,
            &message(),
            7,
            Lang::En,
            Some("https://ga.example/t/1"),
        );
        let card = &b["attachments"][0]["content"];
        assert_eq!(b["type"], "message");
        assert_eq!(card["type"], "AdaptiveCard");
        assert_eq!(
            card["body"][0]["text"],
            "GA-2026-000042 is waiting for your approval"
        );
        assert_eq!(card["body"][1]["facts"][2]["value"], "Rp 1.500.000");
        assert_eq!(card["actions"][0]["url"], "https://ga.example/t/1");
    }

    #[test]
    fn json_carries_the_value_and_the_words() {
        let b = body(HookFormat::Json, &message(), 7, Lang::En, None);
        assert_eq!(b["delivery"], 7);
        assert_eq!(b["event"], "awaiting_approval");
        assert_eq!(b["notice"]["params"]["number"], "GA-2026-000042");
        assert_eq!(b["ticket"]["amount"], "1500000.00");
    }
}
