//! Assets and consumable stock through the real router and PostgreSQL:
//! every asset action and its illegal variants, history, races, and stock
//! reserved, released and issued by tickets.

use crate::common::{assert_problem, field_code, TestApp};
use app::domain::Role;
use http::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::sync::Arc;

fn s(v: &Value, k: &str) -> String {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} missing in {v}"))
        .to_string()
}

fn ok(r: &crate::common::Reply) -> Value {
    assert!(r.status.is_success(), "{} {}", r.status, r.text());
    r.json()
}

struct People {
    agent: String,
    agent2: String,
    requester: String,
    requester_id: String,
    approver: String,
}

async fn people(app: &TestApp) -> People {
    app.user("siti@example.co.id", Role::Agent).await;
    app.user("joko@example.co.id", Role::Agent).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    People {
        agent: app.login("siti@example.co.id").await,
        agent2: app.login("joko@example.co.id").await,
        requester: app.login("budi@example.co.id").await,
        requester_id: budi.id.to_string(),
        approver: app.login("dewi@example.co.id").await,
    }
}

async fn register(app: &TestApp, token: &str, body: Value) -> Value {
    let r = app
        .call(Method::POST, "/api/v1/assets", Some(token), Some(body))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

fn laptop() -> Value {
    json!({
        "name": "Laptop Lenovo ThinkPad E14",
        "category": "laptop",
        "serial_number": "PF-3K9X2",
        "condition": "new",
        "location": "Kantor Pusat Jakarta, Gudang GA",
        "purchase_date": "2026-01-15",
        "purchase_price": "14500000",
        "warranty_end": "2027-01-15"
    })
}

async fn asset_action(
    app: &TestApp,
    token: &str,
    id: &str,
    action: &str,
    body: Value,
) -> crate::common::Reply {
    app.call(
        Method::POST,
        &format!("/api/v1/assets/{id}/{action}"),
        Some(token),
        Some(body),
    )
    .await
}

/// Version, status and history row count of an asset.
async fn asset_print(app: &TestApp, id: &str) -> (i32, String, Option<uuid::Uuid>, i64) {
    let id: uuid::Uuid = id.parse().unwrap();
    let (version, status, holder): (i32, String, Option<uuid::Uuid>) =
        sqlx::query_as("select version, status, holder_id from assets where id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (history,): (i64,) =
        sqlx::query_as("select count(*) from asset_history where asset_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    (version, status, holder, history)
}

#[sqlx::test(migrations = "../migrations")]
async fn every_asset_action_and_its_history(db: PgPool) {
    let app = TestApp::new(db).await;
    let p = people(&app).await;
    let a = register(&app, &p.agent, laptop()).await;
    let id = s(&a, "id");
    assert_eq!(s(&a, "tag"), "AST-000001");
    assert_eq!(
        (s(&a, "status").as_str(), a["version"].as_i64()),
        ("available", Some(1))
    );

    // edit with the version
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/assets/{id}"),
            Some(&p.agent),
            Some(json!({"version": 1, "notes": "Charger 65W", "warranty_end": null})),
        )
        .await;
    let a = ok(&r);
    assert_eq!(
        (a["version"].as_i64(), a["warranty_end"].is_null()),
        (Some(2), true)
    );
    assert_eq!(r.header("etag"), Some("\"2\""));

    let steps: Vec<(&str, Value, &str)> = vec![
        (
            "checkout",
            json!({"version": 2, "holder_id": p.requester_id, "note": "Untuk WFH"}),
            "checked_out",
        ),
        (
            "move",
            json!({"version": 3, "location": "Kantor Cabang Surabaya"}),
            "checked_out",
        ),
        (
            "checkin",
            json!({"version": 4, "condition": "fair", "location": "Gudang GA Surabaya"}),
            "available",
        ),
        (
            "maintenance",
            json!({"version": 5, "vendor": "CV Teknik Jaya", "cost": "350000", "sent_on": "2026-11-02", "expected_back": "2026-11-09"}),
            "under_maintenance",
        ),
        (
            "maintenance/return",
            json!({"version": 6, "condition": "good", "returned_on": "2026-11-08", "cost": "400000"}),
            "available",
        ),
        (
            "retire",
            json!({"version": 7, "reason": "Diganti unit baru"}),
            "retired",
        ),
    ];
    for (action, body, status) in steps {
        let r = asset_action(&app, &p.agent, &id, action, body).await;
        assert_eq!(r.status, StatusCode::OK, "{action}: {}", r.text());
        let a = r.json();
        assert_eq!(s(&a, "status"), status, "{action}");
        if action == "checkout" {
            assert_eq!(a["holder"]["id"], json!(p.requester_id));
        }
        if action == "checkin" {
            assert!(a["holder"].is_null());
            assert_eq!(
                (s(&a, "condition").as_str(), s(&a, "location").as_str()),
                ("fair", "Gudang GA Surabaya")
            );
        }
        if action == "maintenance/return" {
            assert_eq!(a["maintenance"][0]["cost"], "400000.00");
            assert_eq!(a["maintenance"][0]["returned_on"], "2026-11-08");
        }
    }
    // the history has one row per version, newest first, naming each action
    // (GA staff read any asset's; the requester no longer holds this one)
    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/assets/{id}/history"),
            Some(&p.agent),
            None,
        )
        .await;
    let h = ok(&r);
    let rows = h.as_array().unwrap();
    let actions: Vec<String> = rows.iter().map(|r| s(r, "action")).collect();
    assert_eq!(
        actions,
        [
            "retire",
            "return_from_maintenance",
            "send_to_maintenance",
            "check_in",
            "move",
            "check_out",
            "edit",
            "register"
        ]
    );
    let versions: Vec<i64> = rows
        .iter()
        .map(|r| r["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [8, 7, 6, 5, 4, 3, 2, 1]);
    assert!(rows.iter().all(|r| s(r, "actor_name") == "siti"));
    assert_eq!(rows[5]["holder_name"], "budi");
    assert_eq!(rows[5]["note"], "Untuk WFH");
    assert_eq!(rows[0]["note"], "Diganti unit baru");
    assert_eq!(rows[6]["changed_fields"], json!(["warranty_end", "notes"]));

    // a retired asset refuses every action and edit, and nothing changes
    let before = asset_print(&app, &id).await;
    for (action, body) in [
        (
            "checkout",
            json!({"version": 8, "holder_id": p.requester_id}),
        ),
        ("checkin", json!({"version": 8, "condition": "good"})),
        ("move", json!({"version": 8, "location": "Lantai 2"})),
        (
            "maintenance",
            json!({"version": 8, "vendor": "X", "sent_on": "2026-11-20"}),
        ),
        (
            "maintenance/return",
            json!({"version": 8, "condition": "good", "returned_on": "2026-11-20"}),
        ),
        ("retire", json!({"version": 8, "reason": "lagi"})),
    ] {
        let r = asset_action(&app, &p.agent, &id, action, body).await;
        let problem = assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            problem["detail"].as_str().unwrap().contains("retired"),
            "{action}: {problem}"
        );
    }
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/assets/{id}"),
            Some(&p.agent),
            Some(json!({"version": 8, "name": "X"})),
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(asset_print(&app, &id).await, before);
}

#[sqlx::test(migrations = "../migrations")]
async fn illegal_and_invalid_asset_requests_change_nothing(db: PgPool) {
    let app = TestApp::new(db).await;
    let p = people(&app).await;
    let a = register(&app, &p.agent, laptop()).await;
    let id = s(&a, "id");
    let before = asset_print(&app, &id).await;
    let cases: Vec<(&str, &str, Value, StatusCode)> = vec![
        // illegal from "available"
        (
            "agent",
            "checkin",
            json!({"version": 1, "condition": "good"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "agent",
            "maintenance/return",
            json!({"version": 1, "condition": "good", "returned_on": "2026-11-20"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // invalid input
        (
            "agent",
            "checkout",
            json!({"version": 1, "holder_id": uuid::Uuid::nil()}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "agent",
            "checkout",
            json!({"version": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "agent",
            "checkout",
            json!({"version": 1, "holder_id": p.requester_id, "status": "retired"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "agent",
            "move",
            json!({"version": 1, "location": "  "}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "agent",
            "maintenance",
            json!({"version": 1, "vendor": "CV Jaya", "sent_on": "2026-11-20", "expected_back": "2026-11-01"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "agent",
            "maintenance",
            json!({"version": 1, "vendor": "CV Jaya", "sent_on": "2026-11-20", "cost": "-5"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "agent",
            "retire",
            json!({"version": 1, "reason": ""}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // no version, stale version
        (
            "agent",
            "move",
            json!({"location": "Lantai 2"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "agent",
            "move",
            json!({"version": 7, "location": "Lantai 2"}),
            StatusCode::CONFLICT,
        ),
        // requesters and approvers read but never change assets
        (
            "requester",
            "checkout",
            json!({"version": 1, "holder_id": p.requester_id}),
            StatusCode::FORBIDDEN,
        ),
        (
            "approver",
            "retire",
            json!({"version": 1, "reason": "x"}),
            StatusCode::FORBIDDEN,
        ),
    ];
    for (who, action, body, status) in cases {
        let token = match who {
            "agent" => &p.agent,
            "requester" => &p.requester,
            _ => &p.approver,
        };
        let r = asset_action(&app, token, &id, action, body.clone()).await;
        assert_problem(&r, status);
        assert_eq!(
            asset_print(&app, &id).await,
            before,
            "{who} {action} {body}"
        );
    }
    // a broken asset is not handed out
    ok(&app
        .call(
            Method::PATCH,
            &format!("/api/v1/assets/{id}"),
            Some(&p.agent),
            Some(json!({"version": 1, "condition": "broken"})),
        )
        .await);
    let r = asset_action(
        &app,
        &p.agent,
        &id,
        "checkout",
        json!({"version": 2, "holder_id": p.requester_id}),
    )
    .await;
    let problem = assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(problem["detail"].as_str().unwrap().contains("broken"));
    // checked out: cannot go to maintenance or retire before check-in
    ok(&app
        .call(
            Method::PATCH,
            &format!("/api/v1/assets/{id}"),
            Some(&p.agent),
            Some(json!({"version": 2, "condition": "good"})),
        )
        .await);
    ok(&asset_action(
        &app,
        &p.agent,
        &id,
        "checkout",
        json!({"version": 3, "holder_id": p.requester_id}),
    )
    .await);
    for (action, body) in [
        (
            "maintenance",
            json!({"version": 4, "vendor": "CV Jaya", "sent_on": "2026-11-20"}),
        ),
        ("retire", json!({"version": 4, "reason": "hilang"})),
        (
            "checkout",
            json!({"version": 4, "holder_id": p.requester_id}),
        ),
    ] {
        let r = asset_action(&app, &p.agent, &id, action, body).await;
        let problem = assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(problem["detail"].as_str().unwrap().len() > 10);
    }
    assert_eq!(asset_print(&app, &id).await.0, 4);

    // registration rules: bad tag, duplicate tag, warranty before purchase,
    // unknown fields; requesters may not register
    let n = app.count("assets").await;
    let mut bad = laptop();
    bad["tag"] = json!("AST 1");
    assert_problem(
        &app.call(Method::POST, "/api/v1/assets", Some(&p.agent), Some(bad))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let mut dup = laptop();
    dup["tag"] = json!("ast-000001");
    dup["serial_number"] = json!("OTHER");
    let r = app
        .call(Method::POST, "/api/v1/assets", Some(&p.agent), Some(dup))
        .await;
    let problem = assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_code(&problem, "tag"), "tag_taken");
    assert_eq!(
        problem["errors"]["tag"]["message"],
        "Another asset already has this tag."
    );
    let r = app
        .call(
            Method::POST,
            "/api/v1/assets",
            Some(&p.agent),
            Some(laptop()),
        )
        .await;
    assert_eq!(
        field_code(
            &assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY),
            "serial_number"
        ),
        "serial_taken"
    );
    let mut early = laptop();
    early["serial_number"] = json!("NEW-1");
    early["warranty_end"] = json!("2025-01-01");
    assert_problem(
        &app.call(Method::POST, "/api/v1/assets", Some(&p.agent), Some(early))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let mut extra = laptop();
    extra["status"] = json!("retired");
    assert_problem(
        &app.call(Method::POST, "/api/v1/assets", Some(&p.agent), Some(extra))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_problem(
        &app.call(
            Method::POST,
            "/api/v1/assets",
            Some(&p.requester),
            Some(laptop()),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    assert_eq!(app.count("assets").await, n);
}

#[sqlx::test(migrations = "../migrations")]
async fn two_agents_checking_out_one_asset_one_wins(db: PgPool) {
    let app = Arc::new(TestApp::new(db).await);
    let p = people(&app).await;
    let other = app.user("rina@example.co.id", Role::Requester).await;
    for round in 0..5 {
        let mut body = laptop();
        body["serial_number"] = json!(format!("RACE-{round}"));
        let a = register(&app, &p.agent, body).await;
        let id = s(&a, "id");
        let barrier = Arc::new(tokio::sync::Barrier::new(2));
        let go = |token: String, holder: String| {
            let app = app.clone();
            let id = id.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                asset_action(
                    &app,
                    &token,
                    &id,
                    "checkout",
                    json!({"version": 1, "holder_id": holder}),
                )
                .await
            })
        };
        let a = go(p.agent.clone(), p.requester_id.clone());
        let b = go(p.agent2.clone(), other.id.to_string());
        let (a, b) = (a.await.unwrap(), b.await.unwrap());
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "round {round}: {} / {}",
            a.text(),
            b.text()
        );
        let loser = if a.status == StatusCode::CONFLICT {
            &a
        } else {
            &b
        };
        assert!(assert_problem(loser, StatusCode::CONFLICT)["detail"]
            .as_str()
            .unwrap()
            .contains("checked out"));
        let (version, status, holder, history) = asset_print(&app, &id).await;
        assert_eq!((version, status.as_str(), history), (2, "checked_out", 2));
        let winner = if a.status == StatusCode::OK { &a } else { &b };
        assert_eq!(
            holder.map(|h| h.to_string()),
            winner.json()["holder"]["id"].as_str().map(String::from)
        );
    }
}

async fn stock_item(app: &TestApp, token: &str, sku: &str, on_hand: i32, price: &str) -> Value {
    let r = app
        .call(
            Method::POST,
            "/api/v1/stock",
            Some(token),
            Some(json!({"sku": sku, "name": format!("Barang {sku}"), "unit": "rim", "on_hand": on_hand,
                        "reorder_level": 5, "unit_price": price, "location": "Gudang GA"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

fn supply_ticket(title: &str, item: &Value, quantity: i64) -> Value {
    json!({
        "title": title,
        "category": "office_supplies",
        "location": "Kantor Pusat Jakarta, Lantai 7",
        "items": [{"name": item["name"], "quantity": quantity, "unit": "rim",
                   "unit_price": item["unit_price"], "stock_item_id": item["id"]}]
    })
}

/// (on hand, reserved, sum of movement deltas)
async fn stock_print(app: &TestApp, id: &str) -> (i32, i32, i64) {
    let id: uuid::Uuid = id.parse().unwrap();
    let (on_hand, reserved): (i32, i32) =
        sqlx::query_as("select on_hand, reserved from stock_items where id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    let (sum,): (Option<i64>,) =
        sqlx::query_as("select sum(delta) from stock_movements where stock_item_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    (on_hand, reserved, sum.unwrap_or(0))
}

/// Takes a cheap ticket to in progress (accept reserves its stock).
async fn to_in_progress(app: &TestApp, agent: &str, agent_id: &str, id: &str) {
    ok(&app.act(agent, id, "accept", 1, json!(null)).await);
    ok(&app
        .act(agent, id, "assign", 2, json!({"assignee_id": agent_id}))
        .await);
    ok(&app.act(agent, id, "start", 3, json!(null)).await);
}

#[sqlx::test(migrations = "../migrations")]
async fn fifty_concurrent_completions_never_oversell(db: PgPool) {
    let app = Arc::new(TestApp::new(db).await);
    let p = people(&app).await;
    let siti: (uuid::Uuid,) =
        sqlx::query_as("select id from users where email = 'siti@example.co.id'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let siti = siti.0.to_string();
    let item = stock_item(&app, &p.agent, "ATK-KRT-A4", 100, "55000").await;
    let item_id = s(&item, "id");
    let mut ids = Vec::new();
    for i in 0..50 {
        let t = app
            .create(
                &p.requester,
                supply_ticket(&format!("Kertas {i}"), &item, 3),
            )
            .await;
        let id = s(&t, "id");
        to_in_progress(&app, &p.agent, &siti, &id).await;
        ids.push(id);
    }
    // 50 approved tickets hold 150 of the 100 on hand
    assert_eq!(stock_print(&app, &item_id).await, (100, 150, 100));
    let barrier = Arc::new(tokio::sync::Barrier::new(ids.len()));
    let tasks: Vec<_> = ids
        .iter()
        .map(|id| {
            let (app, id, token, barrier) =
                (app.clone(), id.clone(), p.agent.clone(), barrier.clone());
            tokio::spawn(async move {
                barrier.wait().await;
                app.act(&token, &id, "complete", 4, json!({"actual_cost": "165000"}))
                    .await
            })
        })
        .collect();
    let mut replies = Vec::new();
    for t in tasks {
        replies.push(t.await.unwrap());
    }
    let wins = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    let short: Vec<&crate::common::Reply> = replies
        .iter()
        .filter(|r| r.status == StatusCode::CONFLICT)
        .collect();
    assert_eq!(
        (wins, short.len()),
        (33, 17),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    for r in &short {
        let detail = assert_problem(r, StatusCode::CONFLICT)["detail"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            detail.contains("Barang ATK-KRT-A4 (ATK-KRT-A4): 3 rim needed, 1 on hand"),
            "{detail}"
        );
    }
    // never negative, equal to the sum of movements, and the 17 unfinished
    // tickets still hold their 51
    assert_eq!(stock_print(&app, &item_id).await, (1, 51, 1));
    let (issues, issued): (i64, Option<i64>) = sqlx::query_as(
        "select count(*), sum(-delta) from stock_movements where kind = 'issue' and stock_item_id = $1",
    )
    .bind(item_id.parse::<uuid::Uuid>().unwrap())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((issues, issued), (33, Some(99)));
    let (done,): (i64,) = sqlx::query_as("select count(*) from tickets where status = 'completed'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(done, 33);
    // the low-stock list shows it (1 ≤ reorder level 5)
    let low = ok(&app
        .call(Method::GET, "/api/v1/stock?low=true", Some(&p.agent), None)
        .await);
    assert_eq!(low["items"][0]["sku"], "ATK-KRT-A4");
    assert_eq!(low["items"][0]["available"], -50);
}

#[sqlx::test(migrations = "../migrations")]
async fn reservations_follow_the_ticket(db: PgPool) {
    let app = TestApp::new(db).await;
    let p = people(&app).await;
    let hendra = app.user("hendra@example.co.id", Role::Approver).await;
    let _ = hendra;
    let siti: (uuid::Uuid,) =
        sqlx::query_as("select id from users where email = 'siti@example.co.id'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let siti = siti.0.to_string();
    // Rp 600.000 a unit: 2 need one approval level
    let toner = stock_item(&app, &p.agent, "TNR-HP-85A", 10, "600000").await;
    let toner_id = s(&toner, "id");

    // approve → reserved; cancel → released
    let t = app
        .create(&p.requester, supply_ticket("Toner lantai 7", &toner, 2))
        .await;
    let id = s(&t, "id");
    assert_eq!(s(&t, "status"), "waiting_approval");
    assert_eq!(t["items"][0]["stock_item_id"], toner["id"]);
    assert_eq!(stock_print(&app, &toner_id).await, (10, 0, 10));
    ok(&app.act(&p.approver, &id, "approve", 1, json!(null)).await);
    assert_eq!(stock_print(&app, &toner_id).await, (10, 2, 10));
    let picker = ok(&app
        .call(Method::GET, "/api/v1/stock?q=tnr", Some(&p.requester), None)
        .await);
    assert_eq!(picker["items"][0]["available"], 8);
    ok(&app
        .act(
            &p.requester,
            &id,
            "cancel",
            2,
            json!({"reason": "Tidak jadi"}),
        )
        .await);
    assert_eq!(stock_print(&app, &toner_id).await, (10, 0, 10));

    // reject → nothing reserved, nothing held
    let t = app
        .create(&p.requester, supply_ticket("Toner lagi", &toner, 2))
        .await;
    let id = s(&t, "id");
    ok(&app
        .act(
            &p.approver,
            &id,
            "reject",
            1,
            json!({"reason": "Pakai stok lantai 5"}),
        )
        .await);
    assert_eq!(stock_print(&app, &toner_id).await, (10, 0, 10));

    // approve → complete issues it: on hand and reserved go down together
    let t = app
        .create(&p.requester, supply_ticket("Toner akhir", &toner, 4))
        .await;
    let id = s(&t, "id");
    ok(&app.act(&p.approver, &id, "approve", 1, json!(null)).await);
    assert_eq!(stock_print(&app, &toner_id).await, (10, 4, 10));
    ok(&app
        .act(&p.agent, &id, "assign", 2, json!({"assignee_id": siti}))
        .await);
    ok(&app.act(&p.agent, &id, "start", 3, json!(null)).await);

    // someone takes 8 off the shelf meanwhile: completion is a clear
    // conflict naming what is missing, and nothing changes
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/stock/{toner_id}/movements"),
            Some(&p.agent),
            Some(json!({"kind": "issue", "quantity": 8, "reason": "Rusak, dibuang"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let moved = r.json();
    assert_eq!(
        (
            &moved["movement"]["delta"],
            &moved["movement"]["on_hand_after"],
            &moved["movement"]["reason"],
            &moved["item"]["on_hand"]
        ),
        (&json!(-8), &json!(2), &json!("Rusak, dibuang"), &json!(2))
    );
    let before = app.fingerprint(&id).await;
    let r = app
        .act(
            &p.agent,
            &id,
            "complete",
            4,
            json!({"actual_cost": "2400000"}),
        )
        .await;
    let problem = assert_problem(&r, StatusCode::CONFLICT);
    assert_eq!(
        problem["detail"],
        "Not enough stock to complete: Barang TNR-HP-85A (TNR-HP-85A): 4 rim needed, 2 on hand."
    );
    assert_eq!(app.fingerprint(&id).await, before);
    assert_eq!(stock_print(&app, &toner_id).await, (2, 4, 2));

    // stock arrives; completion now issues it
    ok(&app
        .call(
            Method::POST,
            &format!("/api/v1/stock/{toner_id}/movements"),
            Some(&p.agent),
            Some(json!({"kind": "receive", "quantity": 6, "reason": "PO-2026-118"})),
        )
        .await);
    let done = ok(&app
        .act(
            &p.agent,
            &id,
            "complete",
            4,
            json!({"actual_cost": "2400000"}),
        )
        .await);
    assert_eq!(s(&done, "status"), "completed");
    assert_eq!(stock_print(&app, &toner_id).await, (4, 0, 4));
    let moves = ok(&app
        .call(
            Method::GET,
            &format!("/api/v1/stock/{toner_id}/movements"),
            Some(&p.agent),
            None,
        )
        .await);
    assert_eq!(moves[0]["kind"], "issue");
    assert_eq!(moves[0]["delta"], -4);
    assert_eq!(moves[0]["ticket_number"], done["number"]);
    // reopen and complete again: nothing is issued twice
    ok(&app
        .act(
            &p.requester,
            &id,
            "reopen",
            5,
            json!({"reason": "Kurang satu"}),
        )
        .await);
    ok(&app
        .act(
            &p.agent,
            &id,
            "complete",
            6,
            json!({"actual_cost": "2400000"}),
        )
        .await);
    assert_eq!(stock_print(&app, &toner_id).await, (4, 0, 4));
}

#[sqlx::test(migrations = "../migrations")]
async fn stock_input_is_checked(db: PgPool) {
    let app = TestApp::new(db).await;
    let p = people(&app).await;
    let item = stock_item(&app, &p.agent, "PTR-KOPI", 20, "45000").await;
    let id = s(&item, "id");
    let before = stock_print(&app, &id).await;
    let url = format!("/api/v1/stock/{id}/movements");
    for (token, body, status) in [
        (
            &p.agent,
            json!({"kind": "issue", "quantity": 21}),
            StatusCode::CONFLICT,
        ),
        (
            &p.agent,
            json!({"kind": "adjust", "quantity": -3}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &p.agent,
            json!({"kind": "adjust", "quantity": -21, "reason": "Hitung ulang"}),
            StatusCode::CONFLICT,
        ),
        (
            &p.agent,
            json!({"kind": "receive", "quantity": 0}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &p.agent,
            json!({"kind": "steal", "quantity": 1}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &p.agent,
            json!({"kind": "receive", "quantity": 1, "ticket_id": uuid::Uuid::nil()}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &p.requester,
            json!({"kind": "receive", "quantity": 1}),
            StatusCode::FORBIDDEN,
        ),
    ] {
        let r = app
            .call(Method::POST, &url, Some(token), Some(body.clone()))
            .await;
        assert_problem(&r, status);
        assert_eq!(stock_print(&app, &id).await, before, "{body}");
    }
    ok(&app
        .call(
            Method::POST,
            &url,
            Some(&p.agent),
            Some(json!({"kind": "adjust", "quantity": -2, "reason": "Kemasan rusak"})),
        )
        .await);
    assert_eq!(stock_print(&app, &id).await, (18, 0, 18));
    // duplicate SKU (any case), bad SKU, negative opening stock
    let n = app.count("stock_items").await;
    for body in [
        json!({"sku": "ptr-kopi", "name": "Kopi", "unit": "pak"}),
        json!({"sku": "PTR KOPI", "name": "Kopi", "unit": "pak"}),
        json!({"sku": "PTR-TEH", "name": "Teh", "unit": "pak", "on_hand": -1}),
        json!({"sku": "PTR-TEH", "name": "Teh", "unit": "pak", "reserved": 4}),
    ] {
        let r = app
            .call(Method::POST, "/api/v1/stock", Some(&p.agent), Some(body))
            .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(app.count("stock_items").await, n);
    // edits need the version
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/stock/{id}"),
            Some(&p.agent),
            Some(json!({"version": 9, "reorder_level": 8})),
        )
        .await;
    assert_problem(&r, StatusCode::CONFLICT);
    let item = ok(&app
        .call(
            Method::GET,
            &format!("/api/v1/stock/{id}"),
            Some(&p.agent),
            None,
        )
        .await);
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/stock/{id}"),
            Some(&p.agent),
            Some(json!({"version": item["version"], "reorder_level": 18})),
        )
        .await;
    let item = ok(&r);
    assert_eq!(item["low"], true);
    // a ticket cannot point at a stock item that does not exist
    let mut t = supply_ticket("Kopi", &item, 1);
    t["items"][0]["stock_item_id"] = json!(uuid::Uuid::nil());
    let tickets = app.count("tickets").await;
    let r = app
        .call(Method::POST, "/api/v1/tickets", Some(&p.requester), Some(t))
        .await;
    let problem = assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_code(&problem, "items[0].stock_item_id"),
        "stock_item_unknown"
    );
    assert_eq!(app.count("tickets").await, tickets);
    // concurrent movements add up: 20 receipts of 1 and 18 issues of 1
    let app = Arc::new(app);
    let mut tasks = Vec::new();
    for i in 0..38 {
        let (app, url, token) = (app.clone(), url.clone(), p.agent.clone());
        tasks.push(tokio::spawn(async move {
            let kind = if i < 20 { "receive" } else { "issue" };
            app.call(
                Method::POST,
                &url,
                Some(&token),
                Some(json!({"kind": kind, "quantity": 1})),
            )
            .await
            .status
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    assert_eq!(stock_print(&app, &id).await, (20, 0, 20));
}

#[sqlx::test(migrations = "../migrations")]
async fn completing_with_an_asset_hands_it_to_the_requester(db: PgPool) {
    let app = TestApp::new(db).await;
    let p = people(&app).await;
    let siti: (uuid::Uuid,) =
        sqlx::query_as("select id from users where email = 'siti@example.co.id'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    let siti = siti.0.to_string();
    let a = register(&app, &p.agent, laptop()).await;
    let asset_id = s(&a, "id");
    let mut monitor = laptop();
    monitor["serial_number"] = json!("MON-1");
    monitor["category"] = json!("monitor");
    let taken = register(&app, &p.agent, monitor).await;
    ok(&asset_action(
        &app,
        &p.agent,
        &s(&taken, "id"),
        "checkout",
        json!({"version": 1, "holder_id": siti}),
    )
    .await);

    let t = app
        .create(
            &p.requester,
            crate::common::ticket_costing("Laptop untuk karyawan baru", 500_000),
        )
        .await;
    let id = s(&t, "id");
    to_in_progress(&app, &p.agent, &siti, &id).await;
    // an asset someone else holds: conflict, nothing changes
    let before = app.fingerprint(&id).await;
    let r = app
        .act(
            &p.agent,
            &id,
            "complete",
            4,
            json!({"actual_cost": "0", "asset_id": taken["id"]}),
        )
        .await;
    let problem = assert_problem(&r, StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&s(&taken, "tag")),
        "{problem}"
    );
    assert_eq!(app.fingerprint(&id).await, before);
    let r = app
        .act(
            &p.agent,
            &id,
            "complete",
            4,
            json!({"actual_cost": "0", "asset_id": uuid::Uuid::nil()}),
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.fingerprint(&id).await, before);

    let done = ok(&app
        .act(
            &p.agent,
            &id,
            "complete",
            4,
            json!({"actual_cost": "0", "asset_id": asset_id}),
        )
        .await);
    assert_eq!(s(&done, "status"), "completed");
    let (version, status, holder, history) = asset_print(&app, &asset_id).await;
    assert_eq!(
        (
            version,
            status.as_str(),
            holder.map(|h| h.to_string()),
            history
        ),
        (2, "checked_out", Some(p.requester_id.clone()), 2)
    );
    let h = ok(&app
        .call(
            Method::GET,
            &format!("/api/v1/assets/{asset_id}/history"),
            Some(&p.agent),
            None,
        )
        .await);
    assert_eq!(h[0]["ticket_number"], done["number"]);
    // the requester sees it under "my assets", and only what they hold
    let mine = ok(&app
        .call(
            Method::GET,
            "/api/v1/assets?mine=true",
            Some(&p.requester),
            None,
        )
        .await);
    let tags: Vec<String> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| s(a, "tag"))
        .collect();
    assert_eq!(tags, [s(&a, "tag")]);
}

#[sqlx::test(migrations = "../migrations")]
async fn lists_filters_export_and_labels(db: PgPool) {
    let app = TestApp::new(db).await;
    let p = people(&app).await;
    let mut made = Vec::new();
    for (i, (name, category, location, warranty)) in [
        (
            "Proyektor Epson EB-X51",
            "projector",
            "Ruang Rapat Melati, Lantai 3",
            "2026-12-20",
        ),
        ("Kursi Ergonomis", "furniture", "Lantai 7", "2028-01-01"),
        ("Printer HP LaserJet", "printer", "Lantai 3", "2026-12-01"),
        ("Laptop Asus", "laptop", "Gudang GA", "2025-01-01"),
    ]
    .iter()
    .enumerate()
    {
        let a = register(
            &app,
            &p.agent,
            json!({"name": name, "category": category, "location": location,
            "serial_number": format!("SN-{i}"), "warranty_end": warranty}),
        )
        .await;
        made.push(a);
    }
    let tags = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| s(a, "tag"))
            .collect()
    };
    // the register is for GA staff
    let get = |q: String| {
        let app = &app;
        let t = p.agent.clone();
        async move {
            ok(&app
                .call(Method::GET, &format!("/api/v1/assets{q}"), Some(&t), None)
                .await)
        }
    };
    assert_eq!(
        tags(&get("?category=projector".into()).await),
        [s(&made[0], "tag")]
    );
    assert_eq!(
        tags(&get("?location=lantai%203".into()).await),
        [s(&made[2], "tag"), s(&made[0], "tag")]
    );
    assert_eq!(tags(&get("?q=epson".into()).await), [s(&made[0], "tag")]);
    assert_eq!(
        tags(&get(format!("?q={}", s(&made[3], "tag").to_lowercase())).await),
        [s(&made[3], "tag")]
    );
    assert_eq!(tags(&get("?q=SN-1".into()).await), [s(&made[1], "tag")]);
    // warranty ends within a year from today (the fixed dates are near 2026-11)
    let soon = get("?warranty_days=3650".into()).await;
    assert!(
        !tags(&soon).contains(&s(&made[3], "tag")),
        "expired warranties are not 'ending'"
    );
    // keyset pages
    let first = get("?limit=3".into()).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    let cursor = first["next_cursor"].as_str().unwrap();
    let second = get(format!("?limit=3&cursor={cursor}")).await;
    assert_eq!(tags(&second), [s(&made[0], "tag")]);
    assert!(second["next_cursor"].is_null());
    // bad filters are 400s
    for q in [
        "?status=lost",
        "?warranty_days=-1",
        "?limit=0",
        "?cursor=abc",
        "?colour=red",
        "?location=%00x",
        "?q=a%01b",
    ] {
        let r = app
            .call(
                Method::GET,
                &format!("/api/v1/assets{q}"),
                Some(&p.requester),
                None,
            )
            .await;
        assert!(
            r.status == StatusCode::BAD_REQUEST || r.status == StatusCode::UNPROCESSABLE_ENTITY,
            "{q}: {}",
            r.status
        );
    }
    // CSV export of the filtered list
    let r = app
        .call(
            Method::GET,
            "/api/v1/assets/export.csv?category=printer",
            Some(&p.agent),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let csv = r.text();
    assert!(csv.starts_with("\u{feff}tag,name,category"));
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(csv.contains("Printer HP LaserJet") && csv.contains("SN-2"));
    // label: an SVG with the tag and a QR code
    let id = s(&made[0], "id");
    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/assets/{id}/label.svg"),
            Some(&p.agent),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));
    let svg = r.text();
    assert!(svg.starts_with("<svg") && svg.contains(&s(&made[0], "tag")) && svg.contains("<path"));
    // holders picker for GA staff only
    let people_found = ok(&app
        .call(
            Method::GET,
            "/api/v1/assets/holders?q=bud",
            Some(&p.agent),
            None,
        )
        .await);
    assert_eq!(people_found[0]["email"], "budi@example.co.id");
    assert_problem(
        &app.call(
            Method::GET,
            "/api/v1/assets/holders?q=bud",
            Some(&p.requester),
            None,
        )
        .await,
        StatusCode::FORBIDDEN,
    );
}
