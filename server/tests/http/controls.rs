//! Controls that hold: one attack per finding of the review, each asserting
//! the status, what the attacker got, and that nothing changed.

use crate::common::{assert_code, field_code, ticket_costing, Reply, TestApp, PASSWORD};
use app::domain::Role;
use axum::body::Body;
use axum::extract::ConnectInfo;
use http::{Method, Request, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::net::SocketAddr;
use tower::ServiceExt;

fn s(v: &Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} missing in {v}"))
        .to_string()
}

fn v(t: &Value) -> i64 {
    t["version"].as_i64().unwrap()
}

fn ok(r: &Reply) -> Value {
    assert!(r.status.is_success(), "{}: {}", r.status, r.text());
    r.json()
}

async fn events(app: &TestApp, kind: &str) -> Vec<Value> {
    let rows: Vec<(Option<sqlx::types::Json<Value>>,)> =
        sqlx::query_as("select detail from security_events where kind = $1 order by id")
            .bind(kind)
            .fetch_all(&app.db)
            .await
            .unwrap();
    rows.into_iter()
        .map(|(d,)| d.map(|d| d.0).unwrap_or(Value::Null))
        .collect()
}

// ---- approvals and money -------------------------------------------------

#[sqlx::test(migrations = "../migrations")]
async fn stock_lines_are_priced_by_the_stock_item_not_the_client(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("siti@example.co.id", Role::Agent).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let agent = app.login("siti@example.co.id").await;
    let budi = app.login("budi@example.co.id").await;
    let toner = ok(&app
        .call(
            Method::POST,
            "/api/v1/stock",
            Some(&agent),
            Some(
                json!({"sku": "TNR-85A", "name": "Toner HP 85A", "unit": "pcs", "on_hand": 20,
                        "reorder_level": 2, "unit_price": "950000", "location": "Gudang GA"}),
            ),
        )
        .await);
    // Six toners dressed up as paper at Rp 1 each.
    let attack = json!({
        "title": "Kertas", "category": "office_supplies", "location": "Lantai 7",
        "items": [{"name": "Kertas A4", "quantity": 6, "unit": "rim", "unit_price": "1",
                   "stock_item_id": toner["id"]}]
    });
    let r = app
        .call(Method::POST, "/api/v1/tickets", Some(&budi), Some(attack))
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "items[0]"), "stock_line_from_item");
    assert_eq!(app.count("tickets").await, 0, "nothing was created");
    // The item and the quantity are enough; the price is the item's.
    let honest = json!({
        "title": "Toner", "category": "office_supplies", "location": "Lantai 7",
        "items": [{"quantity": 6, "stock_item_id": toner["id"]}]
    });
    let t = app.create(&budi, honest).await;
    assert_eq!(s(&t, "estimated_total"), "5700000.00");
    assert_eq!(s(&t, "status"), "waiting_approval");
    assert_eq!(t["items"][0]["name"], "Toner HP 85A");
    assert_eq!(t["items"][0]["unit"], "pcs");
    // Editing the items later is held to the same rule.
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/tickets/{}", s(&t, "id")),
            Some(&budi),
            Some(
                json!({"version": 1, "items": [{"name": "Kertas A4", "quantity": 6, "unit": "pcs",
                         "unit_price": "1", "stock_item_id": toner["id"]}]}),
            ),
        )
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "items[0]"), "stock_line_from_item");
    let now = app.get(&budi, &s(&t, "id")).await;
    assert_eq!(
        (v(&now), s(&now, "estimated_total")),
        (1, "5700000.00".into())
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn what_was_approved_stays_approved(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi_user = app.user("budi@example.co.id", Role::Requester).await;
    let dewi_user = app.user("dewi@example.co.id", Role::Approver).await;
    app.user("andi@example.co.id", Role::Approver).await;
    app.user("siti@example.co.id", Role::Agent).await;
    app.set_manager(&budi_user, &dewi_user).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    // Two levels; the manager approves level 1.
    let t = app
        .create(&budi, ticket_costing("Genset kantor", 12_500_000))
        .await;
    let id = s(&t, "id");
    ok(&app.act(&dewi, &id, "approve", 1, json!(null)).await);
    let t = app.get(&budi, &id).await;
    assert_eq!(t["awaiting_level"], 2);
    // The requester rewrites the description after that decision: the
    // decision no longer counts, level 1 decides again.
    let t = ok(&app
        .call(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            Some(&budi),
            Some(json!({"version": v(&t), "description": "Sekalian dua unit"})),
        )
        .await);
    assert_eq!(t["awaiting_level"], 1);
    assert_eq!(t["awaiting_approver"]["email"], "dewi@example.co.id");
    assert_eq!(t["approval_round"], 2);
    // Only the priority: nothing the approver saw, nothing restarts.
    let small = app.create(&budi, ticket_costing("Kursi", 400_000)).await;
    let sid = s(&small, "id");
    ok(&app.act(&agent, &sid, "accept", 1, json!(null)).await);
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/tickets/{sid}"),
            Some(&agent),
            Some(json!({"version": 2, "title": "Kursi direktur", "location": "Lantai 9"})),
        )
        .await;
    assert_code(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "approved_content_fixed",
    );
    let after = app.get(&budi, &sid).await;
    assert_eq!((s(&after, "title"), v(&after)), ("Kursi".into(), 2));
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/tickets/{sid}"),
            Some(&agent),
            Some(json!({"version": 2, "priority": "high"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[sqlx::test(migrations = "../migrations")]
async fn ga_staff_cannot_accept_their_own_ticket(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("siti@example.co.id", Role::Agent).await;
    app.user("joko@example.co.id", Role::Agent).await;
    let siti = app.login("siti@example.co.id").await;
    let joko = app.login("joko@example.co.id").await;
    let t = app
        .create(&siti, ticket_costing("Monitor untuk saya", 900_000))
        .await;
    let id = s(&t, "id");
    let r = app.act(&siti, &id, "accept", 1, json!(null)).await;
    assert_code(&r, StatusCode::FORBIDDEN, "accept_own_request");
    assert_eq!(app.fingerprint(&id).await, ("pending".into(), 1, 1, 0));
    // A colleague may.
    ok(&app.act(&joko, &id, "accept", 1, json!(null)).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_actual_cost_above_the_approved_total_needs_its_approval_level(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi_user = app.user("budi@example.co.id", Role::Requester).await;
    let dewi_user = app.user("dewi@example.co.id", Role::Approver).await;
    app.user("siti@example.co.id", Role::Agent).await;
    app.user("joko@example.co.id", Role::Agent).await;
    app.set_manager(&budi_user, &dewi_user).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let siti = app.login("siti@example.co.id").await;
    let siti_id = app
        .call(Method::GET, "/api/v1/me", Some(&siti), None)
        .await
        .json()["id"]
        .clone();
    let joko = app.login("joko@example.co.id").await;
    // Rp 400.000: no approval needed, GA accepts, works, and then
    // "completes" it for Rp 2.500.000.
    let prepare = |title: &'static str| {
        let (app, budi, joko, siti_id) = (&app, &budi, &joko, siti_id.clone());
        async move {
            let t = app.create(budi, ticket_costing(title, 400_000)).await;
            let id = s(&t, "id");
            ok(&app.act(joko, &id, "accept", 1, json!(null)).await);
            ok(&app
                .act(joko, &id, "assign", 2, json!({"assignee_id": siti_id}))
                .await);
            id
        }
    };
    let id = prepare("Perbaikan AC").await;
    ok(&app.act(&siti, &id, "start", 3, json!(null)).await);
    let t = ok(&app
        .act(&siti, &id, "complete", 4, json!({"actual_cost": "2500000"}))
        .await);
    assert_eq!(s(&t, "status"), "waiting_approval");
    assert_eq!(s(&t, "pending_cost"), "2500000.00");
    assert!(t["actual_total"].is_null(), "not completed: {t}");
    assert_eq!(t["awaiting_approver"]["email"], "dewi@example.co.id");
    // Meanwhile the requester can neither cancel nor edit.
    let r = app
        .act(&budi, &id, "cancel", v(&t), json!({"reason": "batal"}))
        .await;
    assert_code(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "cost_awaiting_approval",
    );
    // The approver's queue shows the amount they decide on.
    let queue = app::services::queues::approvals_for(&app.db, &dewi_user)
        .await
        .unwrap();
    assert_eq!(queue.len(), 1);
    assert_eq!(queue[0].id.to_string(), id);
    assert_eq!(queue[0].estimated_total.to_string(), "Rp 2.500.000");
    // Approved: back to work, and now it completes at that cost.
    let t = ok(&app.act(&dewi, &id, "approve", v(&t), json!(null)).await);
    assert_eq!(s(&t, "status"), "in_progress");
    assert_eq!(s(&t, "approved_cost"), "2500000.00");
    let t = ok(&app
        .act(
            &siti,
            &id,
            "complete",
            v(&t),
            json!({"actual_cost": "2500000"}),
        )
        .await);
    assert_eq!(s(&t, "status"), "completed");
    assert_eq!(s(&t, "actual_total"), "2500000.00");
    // Within 10 % completes at once; a refused extra cost goes back to work.
    let id2 = prepare("Cat ulang").await;
    ok(&app.act(&siti, &id2, "start", 3, json!(null)).await);
    let t = ok(&app
        .act(&siti, &id2, "complete", 4, json!({"actual_cost": "440000"}))
        .await);
    assert_eq!(s(&t, "status"), "completed");
    let id3 = prepare("Karpet").await;
    ok(&app.act(&siti, &id3, "start", 3, json!(null)).await);
    let t = ok(&app
        .act(
            &siti,
            &id3,
            "complete",
            4,
            json!({"actual_cost": "3000000"}),
        )
        .await);
    let t = ok(&app
        .act(
            &dewi,
            &id3,
            "reject",
            v(&t),
            json!({"reason": "Terlalu mahal"}),
        )
        .await);
    assert_eq!(s(&t, "status"), "in_progress");
    assert!(t["pending_cost"].is_null() && t["actual_total"].is_null());
}

#[sqlx::test(migrations = "../migrations")]
async fn split_purchases_are_shown_and_can_be_routed_to_approval(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("siti@example.co.id", Role::Agent).await;
    app.user("rina@example.co.id", Role::Admin).await;
    let budi = app.login("budi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    let admin = app.login("rina@example.co.id").await;
    // Three purchases of Rp 600.000 in one category: each under the Rp
    // 1.000.000 threshold, together above it.
    let mut ids = Vec::new();
    for i in 0..3 {
        let t = app
            .create(&budi, ticket_costing(&format!("Meja {i}"), 600_000))
            .await;
        assert_eq!(s(&t, "status"), "pending");
        ids.push(s(&t, "id"));
    }
    let seen = app.get(&agent, &ids[0]).await;
    let others: Vec<String> = seen["split_with"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| s(o, "id"))
        .collect();
    assert_eq!(others, vec![ids[1].clone(), ids[2].clone()]);
    // The requester does not see the warning (it is for whoever decides).
    let own = app.get(&budi, &ids[0]).await;
    assert!(own["split_with"].as_array().unwrap().is_empty());
    // The admin turns routing on; the next such ticket waits for approval.
    let r = app
        .call(
            Method::PUT,
            "/api/v1/settings/approval-policy",
            Some(&admin),
            Some(json!({"thresholds": ["1000000", "10000000"], "route_split_purchases": true})),
        )
        .await;
    let policy = ok(&r);
    assert_eq!(policy["route_split_purchases"], true);
    assert_eq!(policy["cost_tolerance_percent"], 10);
    let t = app.create(&budi, ticket_costing("Meja 3", 600_000)).await;
    assert_eq!(s(&t, "status"), "waiting_approval");
    // Other categories are not lumped together.
    let mut other = ticket_costing("Kopi", 600_000);
    other["category"] = json!("pantry_supplies");
    assert_eq!(s(&app.create(&budi, other).await, "status"), "pending");
    // The change is in the security log with before and after.
    let logged = events(&app, "policy_changed").await;
    assert_eq!(logged.len(), 1);
    assert_eq!(
        logged[0]["params"]["before"]["route_split_purchases"],
        false
    );
    assert_eq!(logged[0]["params"]["after"]["route_split_purchases"], true);
    // A bad tolerance changes nothing.
    let r = app
        .call(
            Method::PUT,
            "/api/v1/settings/approval-policy",
            Some(&admin),
            Some(json!({"thresholds": ["1000000"], "cost_tolerance_percent": 5000})),
        )
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "cost_tolerance_percent"), "percent_range");
    assert_eq!(app.count("approval_levels").await, 2);
}

#[sqlx::test(migrations = "../migrations")]
async fn approvers_see_only_what_involves_them(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    app.user("andi@example.co.id", Role::Approver).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let andi = app.login("andi@example.co.id").await;
    // A pool ticket: both approvers may see it while it waits.
    let t = app
        .create(&budi, ticket_costing("Proyektor", 5_000_000))
        .await;
    let id = s(&t, "id");
    app.get(&andi, &id).await;
    ok(&app.act(&dewi, &id, "approve", 1, json!(null)).await);
    // Andi lost the race: told who decided, shown nothing else.
    let r = app.act(&andi, &id, "approve", 1, json!(null)).await;
    let p = assert_code(&r, StatusCode::NOT_FOUND, "decided_by");
    assert!(p["detail"].as_str().unwrap().contains("dewi"), "{p}");
    assert!(p.get("current").is_none_or(Value::is_null), "{p}");
    for path in [
        format!("/api/v1/tickets/{id}"),
        format!("/api/v1/tickets/{id}/comments"),
        format!("/api/v1/tickets/{id}/history"),
    ] {
        let r = app.call(Method::GET, &path, Some(&andi), None).await;
        assert_code(&r, StatusCode::NOT_FOUND, "not_found");
    }
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/comments"),
            Some(&andi),
            Some(json!({"body": "Saya juga mau lihat"})),
        )
        .await;
    assert_code(&r, StatusCode::NOT_FOUND, "not_found");
    assert_eq!(app.count("ticket_comments").await, 0);
    // The one who decided still sees it.
    app.get(&dewi, &id).await;
    // A level routed to budi's manager was never andi's to decide: he
    // hears nothing about who did.
    let budi_user = app.user("budi@example.co.id", Role::Requester).await;
    let dewi_user = app.user("dewi@example.co.id", Role::Approver).await;
    app.set_manager(&budi_user, &dewi_user).await;
    let t = app.create(&budi, ticket_costing("Lemari", 2_000_000)).await;
    let routed = s(&t, "id");
    let r = app.act(&andi, &routed, "approve", 1, json!(null)).await;
    assert_code(&r, StatusCode::NOT_FOUND, "not_found");
    ok(&app.act(&dewi, &routed, "approve", 1, json!(null)).await);
    let r = app.act(&andi, &routed, "approve", 1, json!(null)).await;
    assert_code(&r, StatusCode::NOT_FOUND, "not_found");
}

#[sqlx::test(migrations = "../migrations")]
async fn stock_item_changes_are_in_the_security_log(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("siti@example.co.id", Role::Agent).await;
    let agent = app.login("siti@example.co.id").await;
    let item = ok(&app
        .call(
            Method::POST,
            "/api/v1/stock",
            Some(&agent),
            Some(
                json!({"sku": "KRT-A4", "name": "Kertas A4", "unit": "rim", "on_hand": 10,
                        "reorder_level": 2, "unit_price": "55000", "location": "Gudang GA"}),
            ),
        )
        .await);
    ok(&app
        .call(
            Method::PATCH,
            &format!("/api/v1/stock/{}", s(&item, "id")),
            Some(&agent),
            Some(json!({"version": 1, "unit_price": "1"})),
        )
        .await);
    let logged = events(&app, "stock_item_changed").await;
    assert_eq!(logged.len(), 2, "{logged:?}");
    assert_eq!(logged[0]["code"], "stock_item_created");
    assert_eq!(logged[1]["code"], "stock_item_changed");
    assert_eq!(logged[1]["params"]["before"]["unit_price"], "55000.00");
    assert_eq!(logged[1]["params"]["after"]["unit_price"], "1.00");
    let (actor,): (String,) = sqlx::query_as(
        "select u.email from security_events e join users u on u.id = e.actor_id
         where e.kind = 'stock_item_changed' order by e.id desc limit 1",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(actor, "siti@example.co.id");
}

// ---- sign-in and sessions ------------------------------------------------

async fn login_at(app: &TestApp, peer: &str, email: &str, password: &str) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json")
        .header("user-agent", format!("test from {peer}"))
        .body(Body::from(
            json!({"email": email, "password": password}).to_string(),
        ))
        .unwrap();
    let peer: SocketAddr = peer.parse().unwrap();
    req.extensions_mut().insert(ConnectInfo(peer));
    app.send(req).await
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stranger_cannot_lock_the_owner_out(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("rina@example.co.id", Role::Admin).await;
    let attacker = "203.0.113.66:50000";
    let mut statuses = Vec::new();
    for _ in 0..50 {
        statuses.push(
            login_at(&app, attacker, "rina@example.co.id", "tebak-tebak-123")
                .await
                .status,
        );
    }
    assert!(statuses[..5].iter().all(|s| *s == StatusCode::UNAUTHORIZED));
    assert!(statuses[5..]
        .iter()
        .all(|s| *s == StatusCode::TOO_MANY_REQUESTS));
    // The guesser's network waits, even with the right password...
    let r = login_at(&app, attacker, "rina@example.co.id", PASSWORD).await;
    assert_code(&r, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    // ...while the owner, elsewhere, signs in at once.
    let r = login_at(&app, "198.51.100.20:40000", "rina@example.co.id", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // IPv6 counts per /64: another address in the guesser's /64 waits too,
    // another /64 does not.
    for i in 1..=5 {
        let peer = format!("[2001:db8:1:2::{i}]:443");
        login_at(&app, &peer, "rina@example.co.id", "tebak-tebak-123").await;
    }
    let r = login_at(
        &app,
        "[2001:db8:1:2::99]:443",
        "rina@example.co.id",
        PASSWORD,
    )
    .await;
    assert_code(&r, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    let r = login_at(
        &app,
        "[2001:db8:1:3::1]:443",
        "rina@example.co.id",
        PASSWORD,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stolen_session_cannot_guess_the_password_online(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let stolen = app.login("budi@example.co.id").await;
    let change = |current: &'static str| {
        let (app, stolen) = (&app, stolen.clone());
        async move {
            app.call(
                Method::POST,
                "/api/v1/me/password",
                Some(&stolen),
                Some(json!({"current_password": current, "new_password": "punya-penyerang-2026"})),
            )
            .await
        }
    };
    for _ in 0..5 {
        let r = change("tebakan-salah-1").await;
        let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
        assert_eq!(field_code(&p, "current_password"), "not_current_password");
    }
    // Even a right guess is refused now.
    let r = change(PASSWORD).await;
    assert_code(&r, StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    assert_eq!(events(&app, "password_change_failed").await.len(), 5);
    // The password did not change.
    app.login("budi@example.co.id").await;
}

#[sqlx::test(migrations = "../migrations")]
async fn sessions_end_and_can_be_signed_out_from_elsewhere(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("siti@example.co.id", Role::Agent).await;
    let phone = ok(&login_at(&app, "198.51.100.7:1", "budi@example.co.id", PASSWORD).await);
    let laptop = ok(&login_at(&app, "198.51.100.8:1", "budi@example.co.id", PASSWORD).await);
    let (phone_token, laptop_token) = (s(&phone, "access_token"), s(&laptop, "access_token"));
    let list = ok(&app
        .call(
            Method::GET,
            "/api/v1/me/sessions",
            Some(&laptop_token),
            None,
        )
        .await);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[0]["client_ip"], "198.51.100.8");
    let phone_sid = s(&list[1], "id");
    // Someone else cannot end it (and learns nothing).
    let siti = app.login("siti@example.co.id").await;
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{phone_sid}"),
            Some(&siti),
            None,
        )
        .await;
    assert_code(&r, StatusCode::NOT_FOUND, "not_found");
    // The session in use is ended by signing out, not from the list.
    let current = s(&list[0], "id");
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{current}"),
            Some(&laptop_token),
            None,
        )
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "session"), "this_session");
    // The lost phone is signed out: its tokens stop working at once.
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/me/sessions/{phone_sid}"),
            Some(&laptop_token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    let r = app
        .call(Method::GET, "/api/v1/tickets", Some(&phone_token), None)
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": s(&phone, "refresh_token")})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // "All others" ends the rest, never this one.
    let third = ok(&login_at(&app, "198.51.100.9:1", "budi@example.co.id", PASSWORD).await);
    let r = ok(&app
        .call(
            Method::POST,
            "/api/v1/me/sessions/end-others",
            Some(&laptop_token),
            None,
        )
        .await);
    assert_eq!(r["ended"], 1);
    let r = app
        .call(
            Method::GET,
            "/api/v1/tickets",
            Some(&s(&third, "access_token")),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    ok(&app
        .call(Method::GET, "/api/v1/tickets", Some(&laptop_token), None)
        .await);
    // However often it refreshes, a session ends 30 days after sign-in.
    sqlx::query(
        "update sessions set created_at = now() - interval '31 days' where revoked_at is null",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/refresh",
            None,
            Some(json!({"refresh_token": s(&laptop, "refresh_token")})),
        )
        .await;
    assert_code(&r, StatusCode::UNAUTHORIZED, "session_ended");
    assert_eq!(events(&app, "session_ended").await.len(), 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn temporary_passwords_expire(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("rina@example.co.id", Role::Admin).await;
    let admin = app.login("rina@example.co.id").await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": "joko@example.co.id", "name": "Joko", "temporary_password": "sementara-123-abc"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (hours,): (f64,) = sqlx::query_as(
        "select (extract(epoch from temp_password_expires_at - now()) / 3600)::float8 from users where email = 'joko@example.co.id'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert!((71.9..=72.0).contains(&hours), "{hours}");
    sqlx::query("update users set temp_password_expires_at = now() - interval '1 minute' where email = 'joko@example.co.id'")
        .execute(&app.db)
        .await
        .unwrap();
    let r = login_at(
        &app,
        "198.51.100.1:1",
        "joko@example.co.id",
        "sementara-123-abc",
    )
    .await;
    assert_code(&r, StatusCode::UNAUTHORIZED, "temporary_password_expired");
    // A wrong password learns nothing about it.
    let r = login_at(
        &app,
        "198.51.100.1:1",
        "joko@example.co.id",
        "salah-salah-123",
    )
    .await;
    assert_code(&r, StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(
        app.count(
            "sessions where user_id = (select id from users where email = 'joko@example.co.id')"
        )
        .await,
        0
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn single_sign_on_is_bound_to_the_providers_subject(db: PgPool) {
    use app::services::auth::{sso_login, SsoIdentity};
    use app::services::sessions::Client;
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let client = Client::default();
    let allowed = vec!["example.co.id".to_string()];
    let who = |subject: &'static str, email: &'static str| SsoIdentity {
        issuer: "https://sso.example.co.id",
        subject,
        email,
        name: "",
    };
    let login = |w: SsoIdentity<'static>| {
        let (app, allowed, client) = (&app, allowed.clone(), client.clone());
        async move { sso_login(&app.db, &app.state.keys, &w, &allowed, &client).await }
    };
    // Another domain is refused, and no account is made.
    let e = login(who("sub-x", "mallory@gmail.com")).await.unwrap_err();
    assert!(format!("{e:?}").contains("SsoDomainNotAllowed"), "{e:?}");
    assert_eq!(app.count("users").await, 1);
    // The first sign-in binds budi to subject 1.
    let first = login(who("sub-1", "budi@example.co.id")).await.unwrap();
    assert_eq!(first.actor.email, "budi@example.co.id");
    // Another subject claiming the same email is refused.
    let e = login(who("sub-2", "budi@example.co.id")).await.unwrap_err();
    assert!(
        format!("{e:?}").contains("SsoAccountBoundElsewhere"),
        "{e:?}"
    );
    // Subject 1 is budi even if the provider now reports another email.
    let again = login(who("sub-1", "budi.s@example.co.id")).await.unwrap();
    assert_eq!(again.actor.id, first.actor.id);
    let logged = events(&app, "login_failed").await;
    let codes: Vec<&str> = logged.iter().filter_map(|d| d["code"].as_str()).collect();
    assert_eq!(codes, vec!["sso_domain_not_allowed", "sso_bound_elsewhere"]);
}

#[sqlx::test(migrations = "../migrations")]
async fn retention_removes_spent_rows_in_batches_and_keeps_the_rest(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    let token = app.login("budi@example.co.id").await;
    app.create(&token, ticket_costing("Kursi", 100_000)).await;
    sqlx::query(
        "insert into sessions (id, user_id, expires_at, revoked_at)
         select gen_random_uuid(), $1, now() - interval '3 days', now() - interval '2 days'
         from generate_series(1, 7000)",
    )
    .bind(budi.id)
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into security_events (kind, at) select 'logout', now() - interval '500 days' from generate_series(1, 10)",
    )
    .execute(&app.db)
    .await
    .unwrap();
    sqlx::query(
        "insert into idempotency_keys (user_id, key, request_hash, created_at) values ($1, 'old', '\\x00', now() - interval '2 days')",
    )
    .bind(budi.id)
    .execute(&app.db)
    .await
    .unwrap();
    let events_before = app.count("security_events").await;
    let done = app::services::jobs::retention(&app.db, chrono::Utc::now(), 400)
        .await
        .unwrap()
        .expect("no other instance holds the lock");
    assert_eq!(done.sessions, 7000);
    assert_eq!(done.security_events, 10);
    assert_eq!(done.idempotency_keys, 1);
    assert_eq!(app.count("sessions").await, 1, "the live session stays");
    assert_eq!(app.count("security_events").await, events_before - 10);
    ok(&app
        .call(Method::GET, "/api/v1/tickets", Some(&token), None)
        .await);
    // Running again finds nothing.
    let again = app::services::jobs::retention(&app.db, chrono::Utc::now(), 400)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again, app::services::jobs::Retained::default());
}

// ---- surface ---------------------------------------------------------------

#[sqlx::test(migrations = "../migrations")]
async fn odd_request_ids_are_replaced(db: PgPool) {
    let app = TestApp::new(db).await;
    for (sent, kept) in [
        ("abc-123.x_y", true),
        ("<script>alert(1)</script>", false),
        (&"a".repeat(200)[..], false),
    ] {
        let req = Request::builder()
            .uri("/api/v1/no-such-thing")
            .header("x-request-id", sent)
            .body(Body::empty())
            .unwrap();
        let r = app.send(req).await;
        let id = r.header("x-request-id").unwrap().to_string();
        assert_eq!(id == sent, kept, "{sent} → {id}");
        assert!(id.len() <= 64 && !id.contains('<'));
        assert_eq!(r.json()["request_id"], id.as_str());
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn https_session_cookies_carry_the_host_prefix(db: PgPool) {
    let mut app = TestApp::new(db).await;
    app.state.secure_cookies = true;
    app.router = server::build_router(app.state.clone(), server::RouterOptions::default());
    app.user("budi@example.co.id", Role::Requester).await;
    let r = login_at(&app, "198.51.100.1:1", "budi@example.co.id", PASSWORD).await;
    let cookies: Vec<&str> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|c| c.to_str().unwrap())
        .collect();
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    for c in &cookies {
        assert!(c.starts_with("__Host-gadesk_"), "{c}");
        assert!(
            c.contains("; Secure") && c.contains("Path=/") && !c.contains("Domain="),
            "{c}"
        );
    }
    // A plain-named cookie (planted by a sibling site) is not a session.
    let access = s(&r.json(), "access_token");
    let req = Request::builder()
        .uri("/api/v1/me")
        .header("cookie", format!("gadesk_access={access}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn live_streams_are_capped_per_person(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("siti@example.co.id", Role::Agent).await;
    app.user("joko@example.co.id", Role::Agent).await;
    let siti = app.login("siti@example.co.id").await;
    let joko = app.login("joko@example.co.id").await;
    let open = |token: &str| {
        Request::builder()
            .uri(app::api::queues::TICKET_EVENTS_PATH)
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    let mut held = Vec::new();
    for _ in 0..app::state::TicketEvents::PER_PERSON {
        let res = app.router.clone().oneshot(open(&siti)).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        held.push(res);
    }
    let r = app.send(open(&siti)).await;
    assert_code(&r, StatusCode::TOO_MANY_REQUESTS, "too_many_streams");
    // Others are not affected, and a closed stream frees its place.
    let other = app.router.clone().oneshot(open(&joko)).await.unwrap();
    assert_eq!(other.status(), StatusCode::OK);
    held.pop();
    let res = app.router.clone().oneshot(open(&siti)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[sqlx::test(migrations = "../migrations")]
async fn requesters_see_only_the_assets_they_hold(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    let ani = app.user("ani@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    let agent = app.login("siti@example.co.id").await;
    let budi_token = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let mut ids = Vec::new();
    for (name, holder) in [("Laptop Budi", budi.id), ("Laptop Ani", ani.id)] {
        let a = ok(&app
            .call(
                Method::POST,
                "/api/v1/assets",
                Some(&agent),
                Some(
                    json!({"name": name, "category": "laptop", "condition": "good",
                            "location": "Gudang GA", "purchase_price": "14500000"}),
                ),
            )
            .await);
        ok(&app
            .call(
                Method::POST,
                &format!("/api/v1/assets/{}/checkout", s(&a, "id")),
                Some(&agent),
                Some(json!({"version": 1, "holder_id": holder})),
            )
            .await);
        ids.push(s(&a, "id"));
    }
    let mine = ok(&app
        .call(Method::GET, "/api/v1/assets", Some(&budi_token), None)
        .await);
    let names: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Laptop Budi"]);
    for token in [&budi_token, &dewi] {
        for path in [
            format!("/api/v1/assets/{}", ids[1]),
            format!("/api/v1/assets/{}/history", ids[1]),
            format!("/api/v1/assets/{}/label.svg", ids[1]),
        ] {
            let r = app.call(Method::GET, &path, Some(token), None).await;
            assert_code(&r, StatusCode::NOT_FOUND, "not_found");
        }
        let csv = app
            .call(Method::GET, "/api/v1/assets/export.csv", Some(token), None)
            .await;
        assert!(!csv.text().contains("ani@example.co.id"), "{}", csv.text());
    }
    ok(&app
        .call(
            Method::GET,
            &format!("/api/v1/assets/{}", ids[0]),
            Some(&budi_token),
            None,
        )
        .await);
    // GA staff see the register.
    let all = ok(&app
        .call(Method::GET, "/api/v1/assets", Some(&agent), None)
        .await);
    assert_eq!(all["items"].as_array().unwrap().len(), 2);
}
