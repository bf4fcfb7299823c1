//! The outbox worker: every instance runs one. It claims due messages
//! (`FOR UPDATE SKIP LOCKED` with a lease), renders each in the
//! recipient's language, sends it by SMTP or to a webhook, and records the
//! outcome right after each message. A worker that dies leaves its claimed
//! messages to the others once the lease ends.
//!
//! Exactly once, honestly: a message is marked sent in its own statement
//! right after the mail server or receiver accepted it. Only a crash in
//! between (milliseconds) sends it again, with the same `Message-ID` or
//! `delivery` number, so mail clients and receivers can drop the repeat.

use app::domain::outgoing::{Channel, HookFormat, LinkAction};
use app::outgoing::{email, webhook};
use app::services::decision_links::DecisionKey;
use app::services::outbox::{self, Claimed};
use app::services::Db;
use lettre::message::{header, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;
use std::time::Duration;

/// Outgoing email over SMTP (`GADESK_SMTP_URL`, `GADESK_SMTP_FROM`).
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// `smtp://host:25` (plain, for a relay on the local network),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host:465`.
    pub fn new(url: &str, from: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("GADESK_SMTP_URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse::<Mailbox>()
            .map_err(|e| format!("GADESK_SMTP_FROM: {e}"))?;
        Ok(Mailer { transport, from })
    }
}

/// Messages in flight at once per instance.
const CONCURRENCY: usize = 8;

/// What the worker needs; shared by the loop and the tests.
#[derive(Clone)]
pub struct Worker {
    pub db: Db,
    pub mailer: Option<Mailer>,
    pub http: reqwest::Client,
    pub public_url: Arc<str>,
    pub decision_key: Arc<DecisionKey>,
    pub lease: Duration,
    pub batch: i64,
}

/// How one failed delivery should be treated.
struct Failure {
    error: String,
    permanent: bool,
}

impl Worker {
    pub fn new(db: Db, public_url: &str, decision_key: Arc<DecisionKey>) -> Worker {
        Worker {
            db,
            mailer: None,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .redirect(reqwest::redirect::Policy::none())
                .user_agent("GA-Desk-Webhooks/1")
                .build()
                .expect("an HTTP client"),
            public_url: Arc::from(public_url.trim_end_matches('/')),
            decision_key,
            lease: Duration::from_secs(120),
            batch: 50,
        }
    }

    /// Delivers what is due now, in batches until nothing is. Returns how
    /// many messages were attempted.
    pub async fn run_once(&self) -> Result<usize, app::services::ServiceError> {
        let mut attempted = 0;
        loop {
            let mut n = 0;
            if self.mailer.is_some() {
                let rows = outbox::claim(&self.db, Channel::Email, self.batch, self.lease).await?;
                n += rows.len();
                self.each(rows, |row| async move { self.send_email(&row).await })
                    .await?;
            }
            let rows = outbox::claim(&self.db, Channel::Webhook, self.batch, self.lease).await?;
            n += rows.len();
            self.each(rows, |row| async move { self.post_webhook(&row).await })
                .await?;
            attempted += n;
            if n == 0 {
                return Ok(attempted);
            }
        }
    }

    /// Delivers a claimed batch a few at a time (a mail relay or receiver
    /// answers several connections at once), recording each outcome as
    /// soon as it is known.
    async fn each<F, Fut>(
        &self,
        rows: Vec<Claimed>,
        deliver: F,
    ) -> Result<(), app::services::ServiceError>
    where
        F: Fn(Claimed) -> Fut,
        Fut: std::future::Future<Output = Result<(), Failure>>,
    {
        use futures::stream::{self, StreamExt, TryStreamExt};
        stream::iter(rows)
            .map(|row| {
                let sent = deliver(row.clone());
                async move { self.record(&row, sent.await).await }
            })
            .buffer_unordered(CONCURRENCY)
            .try_collect::<()>()
            .await
    }

    async fn record(
        &self,
        row: &Claimed,
        outcome: Result<(), Failure>,
    ) -> Result<(), app::services::ServiceError> {
        let channel = if row.webhook_id.is_some() {
            "webhook"
        } else {
            "email"
        };
        match outcome {
            Ok(()) => {
                metrics::counter!("gadesk_outbox_sent_total", "channel" => channel).increment(1);
                outbox::delivered(&self.db, row).await
            }
            Err(f) => {
                metrics::counter!("gadesk_outbox_failed_attempts_total", "channel" => channel)
                    .increment(1);
                tracing::warn!(outbox_id = row.id, attempt = row.attempts, error = %f.error, "delivery failed");
                outbox::attempt_failed(&self.db, row, &f.error, f.permanent).await
            }
        }
    }

    fn ticket_url(&self, row: &Claimed) -> Option<String> {
        row.message
            .ticket
            .as_ref()
            .map(|t| format!("{}/tickets/{}", self.public_url, t.id))
    }

    async fn send_email(&self, row: &Claimed) -> Result<(), Failure> {
        let mailer = self.mailer.as_ref().expect("claimed only with a mailer");
        let (Some(address), Some(name)) = (&row.email, &row.name) else {
            return Err(Failure {
                error: "the person no longer exists".into(),
                permanent: true,
            });
        };
        if row.user_active == Some(false) {
            return Err(Failure {
                error: "the account is deactivated".into(),
                permanent: true,
            });
        }
        let message = &row.message.0;
        let mut links = email::Links {
            ticket: self.ticket_url(row),
            approve: None,
            reject: None,
            settings: format!("{}/account/notifications", self.public_url),
        };
        if let Some(link) = message.decision_link {
            let url = |a| {
                format!(
                    "{}/decide/{}",
                    self.public_url,
                    self.decision_key.token(link, a)
                )
            };
            links.approve = Some(url(LinkAction::Approve));
            links.reject = Some(url(LinkAction::Reject));
        }
        let rendered = email::render(message, name, row.lang(), row.zone(), &links);
        let to = Mailbox::new(
            Some(name.clone()),
            address.parse().map_err(|e| Failure {
                error: format!("address {address}: {e}"),
                permanent: true,
            })?,
        );
        let host = self
            .public_url
            .split("://")
            .nth(1)
            .and_then(|h| h.split(['/', ':']).next())
            .unwrap_or("gadesk.local");
        let mail = Message::builder()
            .from(mailer.from.clone())
            .to(to)
            .subject(rendered.subject)
            .message_id(Some(format!("<outbox-{}@{host}>", row.id)))
            .header(AutoSubmitted)
            .multipart(MultiPart::alternative_plain_html(
                rendered.text,
                rendered.html,
            ))
            .map_err(|e| Failure {
                error: format!("building the message: {e}"),
                permanent: true,
            })?;
        mailer
            .transport
            .send(mail)
            .await
            .map(|_| ())
            .map_err(|e| Failure {
                permanent: e.is_permanent(),
                error: e.to_string(),
            })
    }

    async fn post_webhook(&self, row: &Claimed) -> Result<(), Failure> {
        let (Some(url), Some(secret), Some(format)) = (&row.url, &row.secret, &row.format) else {
            return Err(Failure {
                error: "the webhook no longer exists".into(),
                permanent: true,
            });
        };
        if row.hook_active == Some(false) {
            return Err(Failure {
                error: "the webhook is disabled".into(),
                permanent: true,
            });
        }
        let format: HookFormat = format.parse().unwrap_or(HookFormat::Json);
        let ticket_url = self.ticket_url(row);
        let body = webhook::body(
            format,
            &row.message.0,
            row.id,
            row.lang(),
            ticket_url.as_deref(),
        );
        let bytes = serde_json::to_vec(&body).expect("JSON");
        let now = chrono::Utc::now().timestamp();
        let signature = app::services::webhooks::signature(secret, now, &bytes);
        let response = self
            .http
            .post(url)
            .header(http::header::CONTENT_TYPE, "application/json")
            .header("x-gadesk-signature", signature)
            .header("x-gadesk-delivery", row.id.to_string())
            .header("x-gadesk-event", row.message.notice.code())
            .body(bytes)
            .send()
            .await
            .map_err(|e| Failure {
                error: e.without_url().to_string(),
                permanent: false,
            })?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(Failure {
                error: format!("the receiver answered {status}"),
                // A receiver that does not exist or refuses the body will
                // not change its mind; anything else may be passing.
                permanent: matches!(status.as_u16(), 400 | 404 | 410 | 413 | 422),
            })
        }
    }

    /// Runs forever: delivers what is due every `poll`.
    pub fn spawn(self, poll: Duration) {
        tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + poll, poll);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                if let Err(e) = self.run_once().await {
                    tracing::warn!(error = %e, "outbox delivery failed; will retry");
                }
            }
        });
    }
}

/// `Auto-Submitted: auto-generated` (RFC 3834): out-of-office replies
/// should not answer it.
#[derive(Clone)]
struct AutoSubmitted;

impl header::Header for AutoSubmitted {
    fn name() -> header::HeaderName {
        header::HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(AutoSubmitted)
    }

    fn display(&self) -> header::HeaderValue {
        header::HeaderValue::new(Self::name(), "auto-generated".into())
    }
}
