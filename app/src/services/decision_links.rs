//! Approve and Reject links in approval emails. A link is a signed pointer
//! to a `decision_links` row, which binds it to one approver, one ticket at
//! one version, 72 hours and one use. Opening it only shows what it would
//! do; deciding runs the ordinary lifecycle as that approver, from that
//! version, and spends the link in the same transaction.

use super::lifecycle;
use super::{Db, ServiceError};
use crate::domain::outgoing::{LinkAction, LinkRefusal};
use crate::domain::ticket::lifecycle::Command;
use crate::domain::ticket::TicketStatus;
use crate::domain::{Actor, Money};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

pub struct DecisionKey([u8; 32]);

impl std::fmt::Debug for DecisionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DecisionKey(<redacted>)")
    }
}

impl DecisionKey {
    pub fn derive(secret: &[u8]) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("hmac takes any key length");
        mac.update(b"gadesk decision links v1");
        Self(mac.finalize().into_bytes().into())
    }

    fn mac(&self, link: Uuid, action: LinkAction) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("hmac takes any key length");
        mac.update(link.as_bytes());
        mac.update(action.as_str().as_bytes());
        mac
    }

    /// `<link>.<action>.<signature>`, safe in a URL path.
    pub fn token(&self, link: Uuid, action: LinkAction) -> String {
        let sig = URL_SAFE_NO_PAD.encode(self.mac(link, action).finalize().into_bytes());
        format!("{}.{}.{sig}", link.simple(), action.as_str())
    }

    /// The link and action a token names, when its signature holds.
    pub fn verify(&self, token: &str) -> Option<(Uuid, LinkAction)> {
        let mut parts = token.splitn(3, '.');
        let link = Uuid::try_parse(parts.next()?).ok()?;
        let action: LinkAction = parts.next()?.parse().ok()?;
        let sig = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?;
        self.mac(link, action).verify_slice(&sig).ok()?;
        Some((link, action))
    }

    fn feed_mac(&self, user: Uuid) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("hmac takes any key length");
        mac.update(b"bookings feed v1");
        mac.update(user.as_bytes());
        mac
    }

    /// `<user>.<signature>`: the private address of a person's calendar
    /// feed (calendar apps send no cookies).
    pub fn feed_token(&self, user: Uuid) -> String {
        let sig = URL_SAFE_NO_PAD.encode(self.feed_mac(user).finalize().into_bytes());
        format!("{}.{sig}", user.simple())
    }

    /// The person a feed token names, when its signature holds.
    pub fn feed_user(&self, token: &str) -> Option<Uuid> {
        let (user, sig) = token.split_once('.')?;
        let user = Uuid::try_parse(user).ok()?;
        let sig = URL_SAFE_NO_PAD.decode(sig).ok()?;
        self.feed_mac(user).verify_slice(&sig).ok()?;
        Some(user)
    }
}

/// What the confirmation page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkView {
    pub action: LinkAction,
    pub ticket_id: Uuid,
    pub number: String,
    pub title: String,
    pub amount: Money,
    pub requester: String,
    pub approver: String,
    pub status: TicketStatus,
    pub expires_at: DateTime<Utc>,
    /// Why it cannot decide, if it cannot.
    pub refusal: Option<LinkRefusal>,
    /// For a changed ticket: what happened since the email, oldest first.
    pub changes: Vec<Change>,
    /// The approver's language and time zone (the page is theirs).
    pub lang: crate::domain::Lang,
    pub zone: crate::domain::Zone,
}

/// One change since the email: who did what when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub at: DateTime<Utc>,
    pub who: Option<String>,
    pub action: String,
    pub fields: Vec<String>,
}

#[derive(sqlx::FromRow)]
struct Row {
    ticket_id: Uuid,
    approver_id: Uuid,
    ticket_version: i32,
    expires_at: DateTime<Utc>,
    used_action: Option<String>,
    number: String,
    title: String,
    estimated_total: rust_decimal::Decimal,
    status: String,
    version: i32,
    awaiting_approver_id: Option<Uuid>,
    awaiting_delegate_id: Option<Uuid>,
    requester: String,
    approver: String,
    lang: String,
    time_zone: String,
}

/// What the link would do, or why it cannot. `viewer` is whoever is signed
/// in on this browser, if anyone: another person's link is refused.
pub async fn open(
    db: &Db,
    key: &DecisionKey,
    token: &str,
    viewer: Option<Uuid>,
) -> Result<Result<LinkView, LinkRefusal>, ServiceError> {
    let mut conn = db.acquire().await?;
    load(&mut conn, key, token, viewer, false).await
}

async fn load(
    conn: &mut sqlx::PgConnection,
    key: &DecisionKey,
    token: &str,
    viewer: Option<Uuid>,
    lock: bool,
) -> Result<Result<LinkView, LinkRefusal>, ServiceError> {
    let Some((link, action)) = key.verify(token) else {
        return Ok(Err(LinkRefusal::Invalid));
    };
    let sql = format!(
        "select l.ticket_id, l.approver_id, l.ticket_version, l.expires_at, l.used_action,
                t.number, t.title, t.estimated_total, t.status, t.version, t.awaiting_approver_id,
                current_delegate(t.awaiting_approver_id) as awaiting_delegate_id,
                r.name as requester, a.name as approver, a.lang, a.time_zone
           from decision_links l
           join tickets t on t.id = l.ticket_id
           join users r on r.id = t.requester_id
           join users a on a.id = l.approver_id
          where l.id = $1 {}",
        if lock { "for update of l" } else { "" }
    );
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(link)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else {
        return Ok(Err(LinkRefusal::Invalid));
    };
    let status: TicketStatus = row.status.parse().unwrap_or(TicketStatus::Pending);
    let mut view = LinkView {
        action,
        ticket_id: row.ticket_id,
        number: row.number,
        title: row.title,
        amount: Money::new(row.estimated_total).unwrap_or_default(),
        requester: row.requester,
        approver: row.approver.clone(),
        status,
        expires_at: row.expires_at,
        refusal: None,
        changes: Vec::new(),
        lang: crate::domain::Lang::from_code(&row.lang).unwrap_or_default(),
        zone: crate::domain::Zone::from_code(&row.time_zone).unwrap_or_default(),
    };
    view.refusal = if viewer.is_some_and(|v| v != row.approver_id) {
        Some(LinkRefusal::NotYours { name: row.approver })
    } else if let Some(used) = row.used_action.and_then(|a| a.parse().ok()) {
        Some(LinkRefusal::Used { action: used })
    } else if row.expires_at <= Utc::now() {
        Some(LinkRefusal::Expired)
    } else if row.version != row.ticket_version {
        view.changes = changes_since(conn, row.ticket_id, row.ticket_version).await?;
        Some(LinkRefusal::Changed)
    } else if status != TicketStatus::WaitingApproval
        || (row.awaiting_approver_id != Some(row.approver_id)
            && row.awaiting_delegate_id != Some(row.approver_id))
    {
        Some(LinkRefusal::NotWaiting { status })
    } else {
        None
    };
    Ok(Ok(view))
}

/// One line of a ticket's history: when, who, what, which fields.
type HistoryRow = (DateTime<Utc>, Option<String>, String, Vec<String>);

async fn changes_since(
    conn: &mut sqlx::PgConnection,
    ticket: Uuid,
    version: i32,
) -> Result<Vec<Change>, ServiceError> {
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "select h.created_at, u.name, h.action, h.changed_fields
           from ticket_history h left join users u on u.id = h.actor_id
          where h.ticket_id = $1 and h.version > $2 order by h.version",
    )
    .bind(ticket)
    .bind(version)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(at, who, action, fields)| Change {
            at,
            who,
            action,
            fields,
        })
        .collect())
}

/// Decides as the link's approver, from the link's version, once. Returns
/// the page to show: the decision made, or why not (nothing changed then).
pub async fn decide(
    db: &Db,
    key: &DecisionKey,
    token: &str,
    viewer: Option<Uuid>,
    reason: Option<&str>,
) -> Result<Result<LinkView, LinkRefusal>, ServiceError> {
    let mut tx = db.begin().await?;
    let view = match load(&mut tx, key, token, viewer, true).await? {
        Ok(v) if v.refusal.is_none() => v,
        other => return Ok(other),
    };
    let reason = reason.map(str::trim).unwrap_or_default();
    if view.action == LinkAction::Reject && reason.is_empty() {
        return Ok(Ok(LinkView {
            refusal: Some(LinkRefusal::ReasonRequired),
            ..view
        }));
    }
    let (link, _) = key.verify(token).expect("verified by load");
    let (approver, version): (Uuid, i32) =
        sqlx::query_as("select approver_id, ticket_version from decision_links where id = $1")
            .bind(link)
            .fetch_one(&mut *tx)
            .await?;
    let Some(actor): Option<Actor> = super::users::find_actor(&mut tx, approver).await? else {
        return Ok(Err(LinkRefusal::Invalid));
    };
    let command = match view.action {
        LinkAction::Approve => Command::Approve {
            note: String::new(),
        },
        LinkAction::Reject => Command::Reject {
            reason: reason.to_string(),
        },
    };
    let ticket = lifecycle::act_in(&mut tx, &actor, view.ticket_id, Some(version), command).await?;
    sqlx::query("update decision_links set used_at = now(), used_action = $2 where id = $1")
        .bind(link)
        .bind(view.action.as_str())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Ok(LinkView {
        status: ticket.status,
        ..view
    }))
}
