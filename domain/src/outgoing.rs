//! Messages that leave GA Desk (email, webhooks): what one carries, and the
//! pure rules of delivery (retry backoff, quiet hours, the daily digest,
//! working hours for reminders). Words are chosen at delivery, in the
//! recipient's language, from the [`Notice`] value stored in the outbox.

use crate::events::Notice;
use crate::lang::Zone;
use crate::money::Money;
use crate::ticket::TicketStatus;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveTime, TimeZone, Timelike, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What an outbox row carries: the notice, and the ticket's facts as they
/// were when it happened (a later edit does not rewrite a sent message).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Outgoing {
    pub notice: Notice,
    pub at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticket: Option<TicketFacts>,
    /// An approval email's Approve/Reject link row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_link: Option<Uuid>,
    /// A digest: the messages it gathers, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub digest: Vec<Outgoing>,
}

impl Outgoing {
    pub fn new(notice: Notice, at: DateTime<Utc>) -> Outgoing {
        Outgoing {
            notice,
            at,
            ticket: None,
            decision_link: None,
            digest: Vec::new(),
        }
    }

    /// The kind people choose email or in-app only for.
    pub fn kind(&self) -> &'static str {
        self.notice.code()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TicketFacts {
    pub id: Uuid,
    pub number: String,
    pub title: String,
    pub amount: Money,
    pub status: TicketStatus,
}

string_enum!(
    /// How a message leaves GA Desk.
    Channel {
        Email => "email", "Email", "Email";
        Webhook => "webhook", "Webhook", "Webhook";
    }
);

string_enum!(
    /// Where a message is on its way out.
    DeliveryStatus {
        Pending => "pending", "Waiting to send", "Menunggu dikirim";
        Digest => "digest", "Held for the daily digest", "Ditahan untuk ringkasan harian";
        Sent => "sent", "Sent", "Terkirim";
        Failed => "failed", "Failed", "Gagal";
        Digested => "digested", "Sent in a digest", "Terkirim dalam ringkasan";
        InApp => "in_app", "In the app only (the person's choice)", "Hanya di aplikasi (pilihan orangnya)";
    }
);

string_enum!(
    /// The body a webhook receiver understands.
    HookFormat {
        Json => "json", "GA Desk JSON", "JSON GA Desk";
        Slack => "slack", "Slack", "Slack";
        Teams => "teams", "Microsoft Teams", "Microsoft Teams";
    }
);

string_enum!(
    /// What an approval email's link does.
    LinkAction {
        Approve => "approve", "Approve", "Setujui";
        Reject => "reject", "Reject", "Tolak";
    }
);

messages! {
    /// Why an approval link cannot decide (the page says so instead).
    pub enum LinkRefusal {
        Invalid = "link_invalid" => "This link is not valid. Open the request in GA Desk to decide.", "Tautan ini tidak valid. Buka permintaan di GA Desk untuk memutuskan.";
        Used { action: LinkAction } = "link_used" => "This link was already used (decision: {action}). A link decides once.", "Tautan ini sudah dipakai (keputusan: {action}). Satu tautan hanya memutuskan sekali.";
        Expired = "link_expired" => "This link has expired. Open the request in GA Desk to decide.", "Tautan ini sudah kedaluwarsa. Buka permintaan di GA Desk untuk memutuskan.";
        NotYours { name: String } = "link_not_yours" => "This link was sent to {name}; nobody else can decide with it.", "Tautan ini dikirim kepada {name}; orang lain tidak dapat memutuskan dengannya.";
        NotWaiting { status: TicketStatus } = "link_not_waiting" => "This request no longer waits for your decision: it is {status} now.", "Permintaan ini tidak lagi menunggu keputusan Anda: kini {status}.";
        Changed = "link_changed" => "The request changed after this email was sent, so the link no longer decides. What changed is listed below; open the request to decide on what it is now.", "Permintaan berubah setelah email ini dikirim, jadi tautan tidak lagi memutuskan. Perubahannya tercantum di bawah; buka permintaan untuk memutuskan keadaannya sekarang.";
        ReasonRequired = "link_reason_required" => "Write why you reject it: the requester reads the reason.", "Tulis alasan penolakan: pemohon membaca alasannya.";
    }
}

/// Attempts before a message is given up as failed: with the backoff,
/// about five hours of retrying.
pub const MAX_ATTEMPTS: i32 = 12;
/// Failed deliveries in a row that disable a webhook.
pub const HOOK_FAILURE_LIMIT: i32 = 20;
/// Approval links work this long.
pub const DECISION_LINK_HOURS: i64 = 72;
/// First approval reminder after this many hours of waiting (setting).
pub const REMIND_AFTER_HOURS: i64 = 24;
/// The daily digest goes out at this local hour.
pub const DIGEST_HOUR: u32 = 7;
/// Reminders go out on weekdays between these local hours.
pub const WORKDAY: (u32, u32) = (8, 17);

/// Waiting time before attempt `attempts + 1`: 30 s doubling, at most an
/// hour.
pub fn backoff(attempts: i32) -> Duration {
    let n = attempts.clamp(1, 20) as u32 - 1;
    Duration::seconds((30i64 << n.min(7)).min(3600))
}

fn offset(zone: Zone) -> FixedOffset {
    FixedOffset::east_opt(zone.offset_hours() * 3600).expect("valid offset")
}

/// The next time the local clock of `zone` shows `hour`:00 at or after `now`.
fn next_local_hour(now: DateTime<Utc>, zone: Zone, hour: u32) -> DateTime<Utc> {
    let tz = offset(zone);
    let local = now.with_timezone(&tz);
    let today = local
        .date_naive()
        .and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("hour < 24"));
    let at = tz
        .from_local_datetime(&today)
        .single()
        .expect("fixed offsets have no gaps");
    let at = if at < local {
        at + Duration::days(1)
    } else {
        at
    };
    at.with_timezone(&Utc)
}

/// Quiet hours `[from, to)` on the local clock, possibly over midnight
/// (22 → 6). Inside them: when they end. Outside: `None`.
pub fn quiet_until(now: DateTime<Utc>, zone: Zone, from: u32, to: u32) -> Option<DateTime<Utc>> {
    if from == to {
        return None;
    }
    let hour = now.with_timezone(&offset(zone)).hour();
    let inside = if from < to {
        hour >= from && hour < to
    } else {
        hour >= from || hour < to
    };
    inside.then(|| next_local_hour(now, zone, to))
}

/// When the next daily digest goes out: 07:00 local.
pub fn next_digest(now: DateTime<Utc>, zone: Zone) -> DateTime<Utc> {
    next_local_hour(now, zone, DIGEST_HOUR)
}

/// Monday to Friday, 08:00 to 17:00 on the local clock.
pub fn in_working_hours(now: DateTime<Utc>, zone: Zone) -> bool {
    let local = now.with_timezone(&offset(zone));
    local.weekday().number_from_monday() <= 5
        && local.hour() >= WORKDAY.0
        && local.hour() < WORKDAY.1
}

/// Which reminder is due for something waiting since `since`: the first
/// after `first_after_hours`, then one a day. `None` before the first.
pub fn reminder_number(
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    first_after_hours: i64,
) -> Option<i64> {
    let waited = now - since - Duration::hours(first_after_hours);
    (waited >= Duration::zero()).then(|| waited.num_days() + 1)
}

/// One message on its way out, for administrators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Delivery {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub channel: Channel,
    /// The person's email or the webhook's name.
    pub recipient: String,
    pub kind: String,
    pub ticket_number: Option<String>,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryFilter {
    pub status: Option<DeliveryStatus>,
    pub channel: Option<Channel>,
    pub webhook: Option<Uuid>,
}

/// The kinds of notice a person receives and may take by email or in the
/// app only, and that webhooks may subscribe to.
pub const KINDS: &[&str] = &[
    "awaiting_approval",
    "approval_reminder",
    "status_changed",
    "rejected",
    "please_confirm",
    "confirm_reminder",
    "assigned",
    "commented",
    "stock_low",
    "warranty_ending",
    "sla_reminder",
    "sla_breached",
];

/// A kind's name on screen.
pub fn kind_label(kind: &str, lang: crate::Lang) -> &'static str {
    use crate::Lang::*;
    match (kind, lang) {
        ("awaiting_approval", En) => "Waiting for my approval",
        ("awaiting_approval", Id) => "Menunggu persetujuan saya",
        ("approval_reminder", En) => "Approval reminders",
        ("approval_reminder", Id) => "Pengingat persetujuan",
        ("status_changed", En) => "Status of my requests",
        ("status_changed", Id) => "Status permintaan saya",
        ("rejected", En) => "My request rejected",
        ("rejected", Id) => "Permintaan saya ditolak",
        ("please_confirm", En) => "Done: please confirm",
        ("please_confirm", Id) => "Selesai: mohon konfirmasi",
        ("confirm_reminder", En) => "Confirmation reminders",
        ("confirm_reminder", Id) => "Pengingat konfirmasi",
        ("assigned", En) => "Assigned to me",
        ("assigned", Id) => "Ditugaskan kepada saya",
        ("commented", En) => "Comments for me",
        ("commented", Id) => "Komentar untuk saya",
        ("stock_low", En) => "Stock running low",
        ("stock_low", Id) => "Stok menipis",
        ("warranty_ending", En) => "Warranties ending",
        ("warranty_ending", Id) => "Garansi berakhir",
        ("sla_reminder", En) => "Service level due soon",
        ("sla_reminder", Id) => "Target layanan segera jatuh tempo",
        ("sla_breached", En) => "Service level missed (escalation)",
        ("sla_breached", Id) => "Target layanan terlewati (eskalasi)",
        (_, En) => "Other",
        (_, Id) => "Lainnya",
    }
}

/// A person's delivery choices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotifyPrefs {
    /// `id` or `en`: the language of their emails.
    pub lang: String,
    /// `Asia/Jakarta`, `Asia/Makassar` or `Asia/Jayapura`.
    pub time_zone: String,
    /// Kinds read in the app only (no email).
    pub email_off: Vec<String>,
    /// One email a day at 07:00 instead of single mails.
    pub email_digest: bool,
    /// Local hours `[from, to)` without email (both or neither).
    pub quiet_from: Option<i16>,
    pub quiet_to: Option<i16>,
}

impl NotifyPrefs {
    pub fn validate(&self) -> Result<(), crate::FieldErrors> {
        use crate::FieldError;
        let mut e = crate::FieldErrors::new();
        if crate::Lang::from_code(&self.lang).is_none() {
            e.add(
                "lang",
                FieldError::OneOf {
                    allowed: "id, en".into(),
                },
            );
        }
        if Zone::from_code(&self.time_zone).is_none() {
            e.add(
                "time_zone",
                FieldError::OneOf {
                    allowed: Zone::ALL.map(Zone::code).join(", "),
                },
            );
        }
        if self.email_off.iter().any(|k| !KINDS.contains(&k.as_str())) {
            e.add(
                "email_off",
                FieldError::OneOf {
                    allowed: KINDS.join(", "),
                },
            );
        }
        for (name, h) in [("quiet_from", self.quiet_from), ("quiet_to", self.quiet_to)] {
            if h.is_some_and(|h| !(0..=23).contains(&h)) {
                e.add(name, FieldError::WholeNumber { min: 0, max: 23 });
            }
        }
        if self.quiet_from.is_some() != self.quiet_to.is_some() {
            e.add("quiet_to", FieldError::Required);
        }
        e.into_result(())
    }
}

/// A webhook as administrators see it (the secret only when created).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Webhook {
    pub id: Uuid,
    pub name: String,
    pub url: String,
    pub format: HookFormat,
    pub lang: String,
    pub events: Vec<String>,
    pub active: bool,
    /// Failed deliveries in a row.
    pub failures: i32,
    pub disabled_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

/// A new webhook, or the fields to change (with `version`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WebhookInput {
    pub name: String,
    pub url: String,
    pub format: HookFormat,
    #[serde(default = "default_lang")]
    pub lang: String,
    pub events: Vec<String>,
    #[serde(default = "yes")]
    pub active: bool,
    /// Required when changing one.
    #[serde(default)]
    pub version: Option<i32>,
}

fn default_lang() -> String {
    "id".into()
}

fn yes() -> bool {
    true
}

impl WebhookInput {
    pub fn validate(&self) -> Result<(), crate::FieldErrors> {
        use crate::FieldError;
        let mut e = crate::FieldErrors::new();
        let name = self.name.trim();
        if name.is_empty() {
            e.add("name", FieldError::Required);
        } else if name.chars().count() > 100 {
            e.add("name", FieldError::TooLong { max: 100 });
        }
        let url = self.url.trim();
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"));
        match rest {
            _ if url.len() > 2000 => e.add("url", FieldError::TooLong { max: 2000 }),
            Some(rest)
                if !rest.is_empty()
                    && !rest.starts_with('/')
                    && !url.chars().any(|c| c.is_whitespace() || c.is_control()) => {}
            _ => e.add("url", FieldError::WebAddress),
        }
        if crate::Lang::from_code(&self.lang).is_none() {
            e.add(
                "lang",
                FieldError::OneOf {
                    allowed: "id, en".into(),
                },
            );
        }
        if self.events.is_empty() {
            e.add("events", FieldError::Required);
        } else if self.events.iter().any(|k| !KINDS.contains(&k.as_str())) {
            e.add(
                "events",
                FieldError::OneOf {
                    allowed: KINDS.join(", "),
                },
            );
        }
        e.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(8), Duration::seconds(3600));
        assert_eq!(backoff(30), Duration::seconds(3600));
        let total: i64 = (1..MAX_ATTEMPTS).map(|n| backoff(n).num_seconds()).sum();
        assert!(total > 4 * 3600 && total < 6 * 3600, "{total}");
    }

    #[test]
    fn quiet_hours_over_midnight_end_on_the_local_clock() {
        // 23:30 WIB = 16:30 UTC
        let night = at("2026-12-02T16:30:00Z");
        assert_eq!(
            quiet_until(night, Zone::Wib, 22, 6),
            Some(at("2026-12-02T23:00:00Z"))
        );
        // 05:00 WIT = 20:00 UTC the day before
        assert_eq!(
            quiet_until(at("2026-12-01T20:00:00Z"), Zone::Wit, 22, 6),
            Some(at("2026-12-01T21:00:00Z"))
        );
        // 10:00 WIB is not quiet
        assert_eq!(
            quiet_until(at("2026-12-02T03:00:00Z"), Zone::Wib, 22, 6),
            None
        );
        // a daytime block 12 → 13
        assert_eq!(
            quiet_until(at("2026-12-02T05:10:00Z"), Zone::Wib, 12, 13),
            Some(at("2026-12-02T06:00:00Z"))
        );
        assert_eq!(quiet_until(night, Zone::Wib, 5, 5), None);
    }

    #[test]
    fn the_digest_goes_at_seven_local() {
        // 06:00 WITA → 07:00 WITA the same day
        assert_eq!(
            next_digest(at("2026-12-01T22:00:00Z"), Zone::Wita),
            at("2026-12-01T23:00:00Z")
        );
        // 08:00 WIB → 07:00 WIB the next day
        assert_eq!(
            next_digest(at("2026-12-02T01:00:00Z"), Zone::Wib),
            at("2026-12-03T00:00:00Z")
        );
    }

    #[test]
    fn working_hours_are_weekdays_eight_to_five_local() {
        // Wednesday 2 Dec 2026, 09:00 WIB
        assert!(in_working_hours(at("2026-12-02T02:00:00Z"), Zone::Wib));
        // the same instant is 11:00 WIT: still working
        assert!(in_working_hours(at("2026-12-02T02:00:00Z"), Zone::Wit));
        // 17:30 WIB
        assert!(!in_working_hours(at("2026-12-02T10:30:00Z"), Zone::Wib));
        // Saturday 5 Dec 10:00 WIB
        assert!(!in_working_hours(at("2026-12-05T03:00:00Z"), Zone::Wib));
    }

    #[test]
    fn reminders_come_after_a_day_then_daily() {
        let since = at("2026-12-01T02:00:00Z");
        assert_eq!(reminder_number(since, at("2026-12-02T01:59:00Z"), 24), None);
        assert_eq!(
            reminder_number(since, at("2026-12-02T02:00:00Z"), 24),
            Some(1)
        );
        assert_eq!(
            reminder_number(since, at("2026-12-03T01:00:00Z"), 24),
            Some(1)
        );
        assert_eq!(
            reminder_number(since, at("2026-12-03T02:00:00Z"), 24),
            Some(2)
        );
    }

    #[test]
    fn an_outgoing_message_is_stored_as_a_value() {
        let o = Outgoing::new(
            Notice::AwaitingApproval {
                number: "GA-2026-000001".into(),
            },
            at("2026-12-02T02:00:00Z"),
        );
        let json = serde_json::to_value(&o).unwrap();
        assert_eq!(json["notice"]["code"], "awaiting_approval");
        assert!(json.get("digest").is_none());
        let back: Outgoing = serde_json::from_value(json).unwrap();
        assert_eq!(back, o);
        assert_eq!(back.kind(), "awaiting_approval");
    }
}
