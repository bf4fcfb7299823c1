//! Notifications that leave the app: the outbox written in the change's
//! transaction, delivered by the real worker to a real SMTP server
//! (aiosmtpd) and to a webhook receiver, in each person's language; and
//! deciding from the email's links.

#[path = "../support/mailbox.rs"]
mod mailbox;

use crate::common::{ticket_costing, Reply, TestApp};
use app::domain::ticket::lifecycle::Command;
use app::domain::Role;
use axum::body::Body;
use http::{header, Method, Request, StatusCode};
use mailbox::{link_after, Mailbox, Options};
use serde_json::{json, Value};
use server::delivery::{Mailer, Worker};
use sqlx::PgPool;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

const REQUESTER: &str = "budi.santoso@example.co.id";
const MANAGER: &str = "siti.rahayu@example.co.id";

struct Setup {
    app: TestApp,
    budi: String,
    siti: String,
}

/// Budi requests; Siti, his manager, approves level one.
async fn setup(db: PgPool) -> Setup {
    let app = TestApp::new(db).await;
    let budi = app.user(REQUESTER, Role::Requester).await;
    let siti = app.user(MANAGER, Role::Approver).await;
    app.set_manager(&budi, &siti).await;
    let (budi, siti) = (app.login(REQUESTER).await, app.login(MANAGER).await);
    Setup { app, budi, siti }
}

fn worker(app: &TestApp, mail: Option<&Mailbox>) -> Worker {
    let mut w = Worker::new(
        app.db.clone(),
        "http://127.0.0.1:3000",
        app.state.decision_key.clone(),
    );
    w.mailer = mail.map(|m| Mailer::new(&m.url(), "GA Desk <ga-desk@example.co.id>").unwrap());
    w
}

/// Runs the worker until nothing is left to send, letting retry times pass
/// at once (the clock is not what these tests are about).
async fn drain(w: &Worker) {
    for _ in 0..40 {
        w.run_once().await.unwrap();
        let (left,): (i64,) = sqlx::query_as(
            "with due as (update outbox set next_attempt_at = now()
                           where status = 'pending' and (channel = 'webhook' or $1) returning 1)
             select count(*) from due",
        )
        .bind(w.mailer.is_some())
        .fetch_one(&w.db)
        .await
        .unwrap();
        if left == 0 {
            return;
        }
    }
    panic!("the outbox did not drain");
}

fn id(t: &Value) -> String {
    t["id"].as_str().unwrap().to_string()
}

fn version(t: &Value) -> i64 {
    t["version"].as_i64().unwrap()
}

async fn outbox_rows(db: &PgPool, channel: &str) -> Vec<(i64, String)> {
    sqlx::query_as("select id, status from outbox where channel = $1 order by id")
        .bind(channel)
        .fetch_all(db)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn every_message_is_delivered_exactly_once_although_the_server_refuses_a_third(db: PgPool) {
    let Setup { app, budi, siti } = setup(db).await;
    let mail = Mailbox::start(Options {
        refuse_rate: 0.3,
        seed: 18,
        ..Default::default()
    });
    for n in 0..500 {
        let t = app
            .create(
                &budi,
                ticket_costing(&format!("Kursi kerja {n}"), 1_500_000),
            )
            .await;
        assert_eq!(t["status"], "waiting_approval");
        let r = app
            .act(&siti, &id(&t), "approve", version(&t), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    let w = worker(&app, Some(&mail));
    drain(&w).await;

    let rows = outbox_rows(&app.db, "email").await;
    // One "waiting for your approval" to Siti and one "approved" to Budi per
    // ticket.
    assert_eq!(rows.len(), 1000);
    assert!(rows.iter().all(|(_, s)| s == "sent"), "all sent in the end");
    let (retried,): (i64,) =
        sqlx::query_as("select count(*) from outbox where channel = 'email' and attempts > 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(
        retried > 200,
        "the server refused about 30 %: {retried} retried"
    );
    let got = mail.messages();
    assert_eq!(got.len(), 1000, "each message arrived once");
    let ids: HashSet<&str> = got
        .iter()
        .map(|m| m["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 1000, "no Message-ID twice");
    for (row, _) in &rows {
        assert!(ids.contains(format!("<outbox-{row}@127.0.0.1>").as_str()));
    }
    assert_eq!(mail.to(MANAGER).len(), 500);
    assert_eq!(mail.to(REQUESTER).len(), 500);
    assert!(got.iter().all(|m| m["auto_submitted"] == "auto-generated"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_rolled_back_change_tells_nobody(db: PgPool) {
    let Setup { app, budi, .. } = setup(db).await;
    let mail = Mailbox::start(Options::default());
    let t = app
        .create(&budi, ticket_costing("Lemari arsip", 2_000_000))
        .await;
    let before_outbox = app.count("outbox").await;
    let before_bell = app.count("notifications").await;
    let siti = app::services::users::find_actor(
        &mut app.db.acquire().await.unwrap(),
        sqlx::query_as::<_, (uuid::Uuid,)>("select id from users where email = $1")
            .bind(MANAGER)
            .fetch_one(&app.db)
            .await
            .unwrap()
            .0,
    )
    .await
    .unwrap()
    .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let decided = app::services::lifecycle::act_in(
        &mut tx,
        &siti,
        id(&t).parse().unwrap(),
        Some(version(&t) as i32),
        Command::Approve {
            note: String::new(),
        },
    )
    .await
    .unwrap();
    assert_eq!(decided.status.as_str(), "approved");
    let (inside,): (i64,) = sqlx::query_as("select count(*) from outbox")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert!(inside > before_outbox, "the approval queued its messages");
    tx.rollback().await.unwrap();

    assert_eq!(app.count("outbox").await, before_outbox);
    assert_eq!(app.count("notifications").await, before_bell);
    let w = worker(&app, Some(&mail));
    drain(&w).await;
    // Only the creation's "waiting for your approval" went out.
    let got = mail.messages();
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0]["rcpt_tos"][0], MANAGER);
    assert_eq!(app.get(&budi, &id(&t)).await["status"], "waiting_approval");
}

#[sqlx::test(migrations = "../migrations")]
async fn each_person_reads_their_email_in_their_language_and_time_zone(db: PgPool) {
    let Setup { app, budi, siti } = setup(db).await;
    // Siti keeps the default (Indonesian, WIB); Budi reads English in WITA.
    let r = app
        .call(
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(&budi),
            Some(
                json!({"lang": "en", "time_zone": "Asia/Makassar", "email_off": [],
                        "email_digest": false, "quiet_from": null, "quiet_to": null}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let mail = Mailbox::start(Options::default());
    let t = app
        .create(&budi, ticket_costing("Kursi ergonomis", 1_500_000))
        .await;
    let r = app
        .act(
            &siti,
            &id(&t),
            "reject",
            version(&t),
            json!({"reason": "Anggaran habis"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    drain(&worker(&app, Some(&mail))).await;

    let to_siti = &mail.to(MANAGER)[0];
    let number = t["number"].as_str().unwrap();
    assert_eq!(
        to_siti["subject"],
        format!("[GA Desk] {number} menunggu persetujuan Anda · Kursi ergonomis")
    );
    let text = to_siti["text"].as_str().unwrap();
    assert!(text.starts_with("Halo siti rahayu,"), "{text}");
    assert!(text.contains("Nilai: Rp 1.500.000"), "{text}");
    assert!(
        text.contains("Status: menunggu persetujuan")
            || text.contains("Status: Menunggu persetujuan"),
        "{text}"
    );
    assert!(text.contains(" WIB\n"), "{text}");
    assert!(
        text.contains("Setujui: http://127.0.0.1:3000/decide/"),
        "{text}"
    );
    assert!(text.contains(&format!(
        "Buka permintaan di GA Desk: http://127.0.0.1:3000/tickets/{}",
        id(&t)
    )));
    let html = to_siti["html"].as_str().unwrap();
    assert!(html.contains("<html lang=\"id\">") && html.contains("Rp 1.500.000"));

    let to_budi = &mail.to(REQUESTER)[0];
    assert_eq!(
        to_budi["subject"],
        format!("[GA Desk] {number} was rejected: Anggaran habis · Kursi ergonomis")
    );
    let text = to_budi["text"].as_str().unwrap();
    assert!(text.starts_with("Hello budi santoso,"), "{text}");
    assert!(text.contains("Amount: Rp 1.500.000"), "{text}");
    assert!(text.contains(" WITA\n"), "{text}");
    assert!(
        !text.contains("/decide/"),
        "no decision links for the requester"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn email_off_digest_and_quiet_hours_follow_the_persons_choice(db: PgPool) {
    let Setup { app, budi, siti } = setup(db).await;
    // Siti reads approval requests in the app only; Budi takes a digest.
    for (token, prefs) in [
        (
            &siti,
            json!({"lang": "id", "time_zone": "Asia/Jakarta", "email_off": ["awaiting_approval"],
                       "email_digest": false, "quiet_from": null, "quiet_to": null}),
        ),
        (
            &budi,
            json!({"lang": "id", "time_zone": "Asia/Jakarta", "email_off": [],
                       "email_digest": true, "quiet_from": 22, "quiet_to": 6}),
        ),
    ] {
        let r = app
            .call(
                Method::PUT,
                "/api/v1/me/notification-settings",
                Some(token),
                Some(prefs),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    }
    // Bad choices change nothing.
    let r = app
        .call(
            Method::PUT,
            "/api/v1/me/notification-settings",
            Some(&budi),
            Some(
                json!({"lang": "fr", "time_zone": "Europe/Paris", "email_off": ["gossip"],
                        "email_digest": false, "quiet_from": 25, "quiet_to": null}),
            ),
        )
        .await;
    let p = crate::common::assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    for f in ["lang", "time_zone", "email_off", "quiet_from", "quiet_to"] {
        assert!(
            p["errors"][f].is_object() || p["fields"][f].is_object() || p.to_string().contains(f),
            "{f}: {p}"
        );
    }
    let prefs = app
        .call(
            Method::GET,
            "/api/v1/me/notification-settings",
            Some(&budi),
            None,
        )
        .await
        .json();
    assert_eq!(prefs["email_digest"], true);

    let mail = Mailbox::start(Options::default());
    for title in ["Meja rapat", "Proyektor"] {
        let t = app.create(&budi, ticket_costing(title, 3_000_000)).await;
        let r = app
            .act(&siti, &id(&t), "approve", version(&t), json!({}))
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    let w = worker(&app, Some(&mail));
    drain(&w).await;
    assert!(
        mail.messages().is_empty(),
        "nothing single: Siti in-app, Budi digest"
    );
    // The bell still rang for Siti.
    let bell = app
        .call(Method::GET, "/api/v1/notifications", Some(&siti), None)
        .await
        .json();
    assert_eq!(bell["unread"], 2);

    // The digest's time comes (07:00 WIB): one email with both.
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    let queued = app::services::outbox::gather_digests(&app.db, tomorrow)
        .await
        .unwrap();
    assert_eq!(queued, 1);
    assert_eq!(
        app::services::outbox::gather_digests(&app.db, tomorrow)
            .await
            .unwrap(),
        0
    );
    drain(&w).await;
    let got = mail.to(REQUESTER);
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0]["subject"],
        "[GA Desk] Ringkasan GA Desk Anda: 2 kabar"
    );
    let text = got[0]["text"].as_str().unwrap();
    assert!(
        text.contains("Meja rapat") && text.contains("Proyektor"),
        "{text}"
    );

    // Quiet hours (22:00 to 06:00 WIB): a message at 23:30 WIB waits.
    let night = chrono::DateTime::parse_from_rfc3339("2026-12-02T16:30:00Z")
        .unwrap()
        .to_utc();
    let dawn = chrono::DateTime::parse_from_rfc3339("2026-12-02T23:00:00Z")
        .unwrap()
        .to_utc();
    sqlx::query("update users set email_digest = false where email = $1")
        .bind(REQUESTER)
        .execute(&app.db)
        .await
        .unwrap();
    let budi_id: (uuid::Uuid,) = sqlx::query_as("select id from users where email = $1")
        .bind(REQUESTER)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    let message = app::domain::outgoing::Outgoing::new(
        app::domain::events::Notice::WebhookTest { name: "x".into() },
        night,
    );
    app::services::outbox::email(&mut tx, budi_id.0, None, &message, "quiet-test")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (at,): (chrono::DateTime<chrono::Utc>,) =
        sqlx::query_as("select next_attempt_at from outbox where event_key = 'quiet-test'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(at, dawn, "held until 06:00 WIB");
}

/// `GET` or `POST` an approval link through the real router, as `token`
/// (signed in) or nobody.
async fn open_link(app: &TestApp, path: &str, post: Option<&str>, token: Option<&str>) -> Reply {
    let mut req = Request::builder().uri(path);
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match post {
        Some(form) => req
            .method(Method::POST)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ORIGIN, "http://127.0.0.1:3000")
            .header(header::HOST, "127.0.0.1:3000")
            .body(Body::from(form.to_string()))
            .unwrap(),
        None => req.method(Method::GET).body(Body::empty()).unwrap(),
    };
    app.send(req).await
}

fn code_of(r: &Reply) -> String {
    let html = r.text();
    let i = html
        .find("data-code=\"")
        .unwrap_or_else(|| panic!("no refusal in {html}"))
        + 11;
    html[i..].split('"').next().unwrap().to_string()
}

#[sqlx::test(migrations = "../migrations")]
async fn deciding_from_the_email_works_once_for_the_right_person_and_version(db: PgPool) {
    let Setup { app, budi, siti } = setup(db).await;
    app.user("joko.widodo@example.co.id", Role::Approver).await;
    let joko = app.login("joko.widodo@example.co.id").await;
    let mail = Mailbox::start(Options::default());
    let w = worker(&app, Some(&mail));
    let one = app
        .create(&budi, ticket_costing("Kursi tamu", 1_500_000))
        .await;
    let two = app
        .create(&budi, ticket_costing("Dispenser", 1_200_000))
        .await;
    let three = app
        .create(&budi, ticket_costing("Rak buku", 1_100_000))
        .await;
    drain(&w).await;
    let emails = mail.to(MANAGER);
    assert_eq!(emails.len(), 3);
    let links = |title: &str| {
        let m = emails
            .iter()
            .find(|m| m["subject"].as_str().unwrap().ends_with(title))
            .unwrap();
        let text = m["text"].as_str().unwrap();
        (
            link_after(text, "Setujui").unwrap(),
            link_after(text, "Tolak").unwrap(),
        )
    };

    // Approve, once, by the link alone (not signed in).
    let (approve, reject) = links("Kursi tamu");
    let before = app.fingerprint(&id(&one)).await;
    let page = open_link(&app, &approve, None, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text().contains("Setujui permintaan ini?"),
        "{}",
        page.text()
    );
    assert!(page.text().contains("Rp 1.500.000"));
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(
        app.fingerprint(&id(&one)).await,
        before,
        "GET changes nothing"
    );
    // Someone else signed in on this browser cannot use it.
    let r = open_link(&app, &approve, Some(""), Some(&joko)).await;
    assert_eq!(
        (r.status, code_of(&r)),
        (StatusCode::CONFLICT, "link_not_yours".into())
    );
    assert_eq!(app.fingerprint(&id(&one)).await, before);
    let done = open_link(&app, &approve, Some(""), None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    assert!(done.text().contains("Disetujui"));
    let now = app.get(&budi, &id(&one)).await;
    assert_eq!(now["status"], "approved");
    let (approver,): (String,) = sqlx::query_as(
        "select u.email from ticket_approvals a join users u on u.id = a.approver_id where a.ticket_id = $1::uuid",
    )
    .bind(id(&one))
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(approver, MANAGER);
    let again = open_link(&app, &approve, Some(""), None).await;
    assert_eq!(
        (again.status, code_of(&again)),
        (StatusCode::CONFLICT, "link_used".into())
    );
    let other = open_link(&app, &reject, Some("reason=nanti"), None).await;
    assert_eq!(code_of(&other), "link_used", "one decision per email");
    assert_eq!(app.get(&budi, &id(&one)).await["version"], now["version"]);

    // A stale link explains what changed instead of deciding.
    let (approve2, _) = links("Dispenser");
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/tickets/{}", id(&two)),
            Some(&budi),
            Some(json!({"version": version(&two), "title": "Dispenser air panas"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let before = app.fingerprint(&id(&two)).await;
    let page = open_link(&app, &approve2, None, None).await;
    assert_eq!(
        (page.status, code_of(&page)),
        (StatusCode::CONFLICT, "link_changed".into())
    );
    assert!(page.text().contains("data-test=\"decide-changes\""));
    assert!(
        page.text().contains("budi santoso"),
        "who changed it: {}",
        page.text()
    );
    let r = open_link(&app, &approve2, Some(""), None).await;
    assert_eq!(code_of(&r), "link_changed");
    assert_eq!(app.fingerprint(&id(&two)).await, before, "nothing decided");

    // Reject asks for the reason; then decides.
    let (_, reject3) = links("Rak buku");
    let r = open_link(&app, &reject3, Some("reason=+"), None).await;
    assert_eq!(
        (r.status, code_of(&r)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "link_reason_required".into()
        )
    );
    assert_eq!(
        app.get(&budi, &id(&three)).await["status"],
        "waiting_approval"
    );
    let r = open_link(&app, &reject3, Some("reason=Sudah+ada+rak+di+gudang"), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = app.get(&budi, &id(&three)).await;
    assert_eq!(t["status"], "rejected");

    // Forged, tampered and expired links decide nothing.
    let last = if approve2.ends_with('A') { 'B' } else { 'A' };
    let forged = format!("{}{last}", &approve2[..approve2.len() - 1]);
    let r = open_link(&app, &forged, None, None).await;
    assert_eq!(
        (r.status, code_of(&r)),
        (StatusCode::NOT_FOUND, "link_invalid".into())
    );
    let four = app
        .create(&budi, ticket_costing("Kipas angin", 1_300_000))
        .await;
    drain(&w).await;
    sqlx::query("update decision_links set expires_at = now() - interval '1 second'")
        .execute(&app.db)
        .await
        .unwrap();
    let m = mail
        .to(MANAGER)
        .into_iter()
        .find(|m| m["subject"].as_str().unwrap().ends_with("Kipas angin"))
        .unwrap();
    let approve4 = link_after(m["text"].as_str().unwrap(), "Setujui").unwrap();
    let r = open_link(&app, &approve4, Some(""), None).await;
    assert_eq!(code_of(&r), "link_expired");
    assert_eq!(
        app.get(&budi, &id(&four)).await["status"],
        "waiting_approval"
    );
    let _ = siti;
}

/// A webhook receiver that checks the signature and fails each delivery
/// twice before taking it.
#[derive(Default)]
struct Receiver {
    attempts: HashMap<String, u32>,
    taken: Vec<Value>,
    bad_signatures: u32,
}

async fn start_receiver(secret: Arc<Mutex<String>>) -> (u16, Arc<Mutex<Receiver>>) {
    let state = Arc::new(Mutex::new(Receiver::default()));
    let s = state.clone();
    let handler = move |headers: http::HeaderMap, body: axum::body::Bytes| {
        let s = s.clone();
        let secret = secret.lock().unwrap().clone();
        async move {
            let sig = headers["x-gadesk-signature"].to_str().unwrap().to_string();
            let t: i64 = sig
                .split(',')
                .next()
                .unwrap()
                .trim_start_matches("t=")
                .parse()
                .unwrap();
            let expected = app::services::webhooks::signature(&secret, t, &body);
            let mut r = s.lock().unwrap();
            if sig != expected || (chrono::Utc::now().timestamp() - t).abs() > 300 {
                r.bad_signatures += 1;
                return StatusCode::UNAUTHORIZED;
            }
            let delivery = headers["x-gadesk-delivery"].to_str().unwrap().to_string();
            let n = r.attempts.entry(delivery).or_default();
            *n += 1;
            if *n <= 2 {
                return StatusCode::SERVICE_UNAVAILABLE;
            }
            r.taken.push(serde_json::from_slice(&body).unwrap());
            StatusCode::NO_CONTENT
        }
    };
    let router = axum::Router::new().route("/hook", axum::routing::post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (port, state)
}

#[sqlx::test(migrations = "../migrations")]
async fn a_webhook_gets_each_event_once_signed_after_two_failed_attempts(db: PgPool) {
    let Setup { app, budi, siti } = setup(db).await;
    app.user("rina.hartono@example.co.id", Role::Admin).await;
    let admin = app.login("rina.hartono@example.co.id").await;
    let secret = Arc::new(Mutex::new(String::new()));
    let (port, received) = start_receiver(secret.clone()).await;

    // Only administrators manage webhooks; bad input is refused.
    let hook = json!({"name": "Kanal GA", "url": format!("http://127.0.0.1:{port}/hook"),
                      "format": "json", "lang": "id", "events": ["awaiting_approval", "status_changed"]});
    let r = app
        .call(
            Method::POST,
            "/api/v1/webhooks",
            Some(&siti),
            Some(hook.clone()),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .call(
            Method::POST,
            "/api/v1/webhooks",
            Some(&admin),
            Some(json!({"name": " ", "url": "ftp://x", "format": "json", "events": ["gossip"]})),
        )
        .await;
    let p = crate::common::assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(crate::common::field_code(&p, "url"), "web_address");
    assert_eq!(app.count("webhooks").await, 0);
    let r = app
        .call(Method::POST, "/api/v1/webhooks", Some(&admin), Some(hook))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let created = r.json();
    *secret.lock().unwrap() = created["secret"].as_str().unwrap().to_string();
    let listed = app
        .call(Method::GET, "/api/v1/webhooks", Some(&admin), None)
        .await
        .json();
    assert!(
        listed[0].get("secret").is_none(),
        "the secret is shown once"
    );

    let t = app
        .create(&budi, ticket_costing("Printer", 4_000_000))
        .await;
    let r = app
        .act(&siti, &id(&t), "approve", version(&t), json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let w = worker(&app, None);
    drain(&w).await;

    {
        let r = received.lock().unwrap();
        assert_eq!(r.bad_signatures, 0);
        let events: Vec<&str> = r
            .taken
            .iter()
            .map(|b| b["event"].as_str().unwrap())
            .collect();
        assert_eq!(
            events,
            ["awaiting_approval", "status_changed"],
            "each event once"
        );
        assert!(r.attempts.values().all(|n| *n == 3), "{:?}", r.attempts);
        assert_eq!(r.taken[0]["ticket"]["amount"], "4000000.00");
        assert_eq!(
            r.taken[1]["text"],
            format!("{} kini berstatus disetujui", t["number"].as_str().unwrap())
        );
    }

    // The delivery log shows them sent, after three attempts each.
    let log = app
        .call(
            Method::GET,
            "/api/v1/deliveries?channel=webhook",
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(log.as_array().unwrap().len(), 2);
    assert!(log
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["status"] == "sent" && d["attempts"] == 3));
    let r = app
        .call(Method::GET, "/api/v1/deliveries", Some(&budi), None)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // "Send test" reaches it too.
    let hook_id = created["id"].as_str().unwrap();
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/webhooks/{hook_id}/test"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    drain(&w).await;
    assert_eq!(
        received.lock().unwrap().taken.last().unwrap()["event"],
        "webhook_test"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_webhook_that_keeps_failing_is_disabled_and_its_failures_are_visible(db: PgPool) {
    let Setup { app, budi, .. } = setup(db).await;
    app.user("rina.hartono@example.co.id", Role::Admin).await;
    let admin = app.login("rina.hartono@example.co.id").await;
    // Nobody listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let r = app
        .call(
            Method::POST,
            "/api/v1/webhooks",
            Some(&admin),
            Some(json!({"name": "Mati", "url": format!("http://127.0.0.1:{port}/"), "format": "slack",
                        "events": ["awaiting_approval"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let hook_id = r.json()["id"].as_str().unwrap().to_string();
    for n in 0..2 {
        app.create(&budi, ticket_costing(&format!("Meja {n}"), 1_500_000))
            .await;
    }
    drain(&worker(&app, None)).await;
    let failed = app
        .call(
            Method::GET,
            "/api/v1/deliveries?status=failed",
            Some(&admin),
            None,
        )
        .await
        .json();
    let failed = failed.as_array().unwrap();
    assert_eq!(failed.len(), 2);
    // Retried until the hook was disabled (20 failures in a row), then
    // given up at once.
    assert!(
        failed.iter().all(|d| d["attempts"].as_i64().unwrap() >= 10
            && !d["last_error"].as_str().unwrap().is_empty()),
        "{failed:?}"
    );
    let hook = app
        .call(
            Method::GET,
            &format!("/api/v1/webhooks/{hook_id}"),
            Some(&admin),
            None,
        )
        .await
        .json();
    assert_eq!(hook["active"], false, "{hook}");
    assert!(hook["disabled_at"].is_string());
    // Disabled: new events do not queue for it.
    let before = app.count("outbox").await;
    app.create(&budi, ticket_costing("Meja 3", 1_500_000)).await;
    let (webhook_rows,): (i64,) =
        sqlx::query_as("select count(*) from outbox where channel = 'webhook'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(webhook_rows, 2);
    assert!(app.count("outbox").await >= before);
}

fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc()
}

#[sqlx::test(migrations = "../migrations")]
async fn reminders_stock_and_warranty_notices_go_once_in_working_hours(db: PgPool) {
    let Setup { app, budi, .. } = setup(db).await;
    app.user("siti.rahman@example.co.id", Role::Agent).await;
    let agent = app.login("siti.rahman@example.co.id").await;
    let mail = Mailbox::start(Options::default());
    let w = worker(&app, Some(&mail));
    // Wednesday 9 December 2026, 10:00 WIB.
    let now = utc("2026-12-09T03:00:00Z");

    // Waiting for Siti's approval since Monday 09:00 WIB (49 hours).
    let waiting = app
        .create(&budi, ticket_costing("Lemari besi", 1_500_000))
        .await;
    sqlx::query("update ticket_history set created_at = $2 where ticket_id = $1::uuid")
        .bind(id(&waiting))
        .bind(utc("2026-12-07T02:00:00Z"))
        .execute(&app.db)
        .await
        .unwrap();
    // Completed six days ago and not confirmed: it closes by itself tomorrow.
    let done = app
        .create(&budi, ticket_costing("Lampu meja", 150_000))
        .await;
    sqlx::query("update tickets set status = 'completed', completed_at = $2 where id = $1::uuid")
        .bind(id(&done))
        .bind(now - chrono::Duration::days(6))
        .execute(&app.db)
        .await
        .unwrap();
    // Stock below its reorder level; a warranty ending within 30 days.
    let r = app
        .call(
            Method::POST,
            "/api/v1/stock",
            Some(&agent),
            Some(
                json!({"sku": "ATK-KRT-A4", "name": "Kertas A4 80 gr", "unit": "rim", "on_hand": 3,
                        "reorder_level": 10, "unit_price": "55000", "location": "Gudang GA"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = app
        .call(
            Method::POST,
            "/api/v1/assets",
            Some(&agent),
            Some(
                json!({"name": "Genset Yamaha", "category": "other", "condition": "good",
                        "location": "Kantor Pusat Jakarta", "warranty_end": "2026-12-20"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    drain(&w).await;
    let before = mail.messages().len();

    let run = app::services::jobs::notify(&app.db, now, 24)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            run.approval_reminders,
            run.confirm_reminders,
            run.stock_low,
            run.warranty_ending
        ),
        (1, 1, 1, 1),
        "{run:?}"
    );
    // Again in the same day: nothing new, however often the job runs.
    let again = app::services::jobs::notify(&app.db, now, 24)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again, Default::default());
    drain(&w).await;
    let new: Vec<Value> = mail.messages().into_iter().skip(before).collect();
    assert_eq!(new.len(), 4, "{new:#?}");
    let subject = |to: &str, starts: &str| {
        new.iter()
            .find(|m| m["rcpt_tos"][0] == to && m["subject"].as_str().unwrap().starts_with(starts))
            .unwrap_or_else(|| panic!("no {starts} to {to}: {new:#?}"))
            .clone()
    };
    let reminder = subject(MANAGER, "[GA Desk] Pengingat:");
    assert!(reminder["subject"]
        .as_str()
        .unwrap()
        .contains("sudah 49 jam menunggu persetujuan Anda"));
    assert!(
        reminder["text"]
            .as_str()
            .unwrap()
            .contains("Setujui: http://"),
        "the reminder can decide too"
    );
    let confirm = subject(REQUESTER, "[GA Desk] Pengingat:");
    assert!(confirm["subject"]
        .as_str()
        .unwrap()
        .contains("ditutup otomatis dalam 1 hari"));
    let stock = subject("siti.rahman@example.co.id", "[GA Desk] Stok menipis");
    assert!(stock["subject"]
        .as_str()
        .unwrap()
        .contains("Kertas A4 80 gr (ATK-KRT-A4) tersedia 3"));
    let warranty = subject("siti.rahman@example.co.id", "[GA Desk] Garansi");
    assert!(
        warranty["subject"]
            .as_str()
            .unwrap()
            .contains("berakhir pada 20 Des 2026"),
        "{warranty}"
    );

    // Outside working hours (Saturday) no reminder goes, even the next one.
    let saturday = utc("2026-12-12T03:00:00Z");
    let sat = app::services::jobs::notify(&app.db, saturday, 24)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (sat.approval_reminders, sat.confirm_reminders),
        (0, 0),
        "{sat:?}"
    );
    // Monday: the next daily reminder.
    let monday = utc("2026-12-14T02:30:00Z");
    let mon = app::services::jobs::notify(&app.db, monday, 24)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(mon.approval_reminders, 1, "{mon:?}");
    // The bell rang once per reminder, too.
    let (rings,): (i64,) =
        sqlx::query_as("select count(*) from notifications where kind = 'approval_reminder'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(rings, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn two_clicks_on_one_link_at_once_decide_once(db: PgPool) {
    let Setup { app, budi, .. } = setup(db).await;
    let mail = Mailbox::start(Options::default());
    let w = worker(&app, Some(&mail));
    let t = app
        .create(&budi, ticket_costing("Meja kerja", 1_500_000))
        .await;
    drain(&w).await;
    let text = mail.to(MANAGER)[0]["text"].as_str().unwrap().to_string();
    let (approve, reject) = (
        link_after(&text, "Setujui").unwrap(),
        link_after(&text, "Tolak").unwrap(),
    );
    let (a, b) = tokio::join!(
        open_link(&app, &approve, Some(""), None),
        open_link(&app, &reject, Some("reason=dobel"), None)
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "exactly one decides"
    );
    let (decisions,): (i64,) =
        sqlx::query_as("select count(*) from ticket_approvals where ticket_id = $1::uuid")
            .bind(id(&t))
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(decisions, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stale_webhook_change_is_refused_and_changes_nothing(db: PgPool) {
    let Setup { app, .. } = setup(db).await;
    app.user("rina.hartono@example.co.id", Role::Admin).await;
    let admin = app.login("rina.hartono@example.co.id").await;
    let body = json!({"name": "Kanal", "url": "https://chat.example.co.id/h", "format": "teams",
                      "events": ["assigned"]});
    let created = app
        .call(
            Method::POST,
            "/api/v1/webhooks",
            Some(&admin),
            Some(body.clone()),
        )
        .await
        .json();
    let path = format!("/api/v1/webhooks/{}", created["id"].as_str().unwrap());
    let mut first = body.clone();
    first["version"] = json!(1);
    first["active"] = json!(false);
    let r = app
        .call(Method::PUT, &path, Some(&admin), Some(first))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let mut stale = body;
    stale["version"] = json!(1);
    stale["name"] = json!("Kanal lama");
    let r = app
        .call(Method::PUT, &path, Some(&admin), Some(stale))
        .await;
    crate::common::assert_code(&r, StatusCode::CONFLICT, "changed");
    let now = app
        .call(Method::GET, &path, Some(&admin), None)
        .await
        .json();
    assert_eq!(
        (
            now["name"].as_str(),
            now["active"].as_bool(),
            now["version"].as_i64()
        ),
        (Some("Kanal"), Some(false), Some(2))
    );
}
