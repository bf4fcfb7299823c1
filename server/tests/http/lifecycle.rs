//! Full ticket flows, forbidden actions and real races through the HTTP
//! router against a real database.

use crate::common::{assert_problem, field_code, ticket_costing, TestApp};
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
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

async fn history_actions(app: &TestApp, token: &str, id: &str) -> Vec<String> {
    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}/history"),
            Some(token),
            None,
        )
        .await;
    ok(&r)
        .as_array()
        .unwrap()
        .iter()
        .map(|h| s(h, "action"))
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn cheap_ticket_accepted_fulfilled_and_confirmed(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let siti = app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.login("budi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    let t = app.create(&budi, ticket_costing("Kursi", 800_000)).await;
    let id = s(&t, "id");
    assert_eq!(t["status"], "pending");

    // The requester cannot accept; the agent can.
    assert_problem(
        &app.act(&budi, &id, "accept", 1, json!(null)).await,
        StatusCode::FORBIDDEN,
    );
    let t = ok(&app.act(&agent, &id, "accept", 1, json!(null)).await);
    assert_eq!(
        (t["status"].as_str(), t["version"].as_i64()),
        (Some("approved"), Some(2))
    );
    // Starting needs an assignee.
    assert_problem(
        &app.act(&agent, &id, "start", 2, json!(null)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let t = ok(&app
        .act(&agent, &id, "assign", 2, json!({"assignee_id": siti.id}))
        .await);
    assert_eq!(t["assignee"]["name"], "siti");
    let t = ok(&app.act(&agent, &id, "start", 3, json!(null)).await);
    assert_eq!(t["status"], "in_progress");
    assert_problem(
        &app.act(&agent, &id, "complete", 4, json!(null)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let t = ok(&app
        .act(
            &agent,
            &id,
            "complete",
            4,
            json!({"actual_cost": "750000.00", "note": "Kursi sudah diantar"}),
        )
        .await);
    assert_eq!(
        (t["status"].as_str(), t["actual_total"].as_str()),
        (Some("completed"), Some("750000.00"))
    );
    assert!(t["completed_at"].is_string());
    let t = ok(&app.act(&budi, &id, "confirm", 5, json!(null)).await);
    assert_eq!(
        (t["status"].as_str(), t["resolution"].as_str()),
        (Some("closed"), Some("done"))
    );
    assert_eq!(
        history_actions(&app, &budi, &id).await,
        ["create", "accept", "assign", "start", "complete", "confirm"]
    );

    // The requester heard about each status change.
    let (n,): (i64,) = sqlx::query_as("select count(*) from notifications n join users u on u.id = n.user_id where u.email = 'budi@example.co.id' and kind in ('status_changed', 'please_confirm')")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        n, 3,
        "approved, in progress, completed; not the requester's own confirm"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn one_level_goes_to_the_requesters_manager(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi_user = app.user("budi@example.co.id", Role::Requester).await;
    let dewi_user = app.user("dewi@example.co.id", Role::Approver).await;
    app.user("hendra@example.co.id", Role::Approver).await;
    app.set_manager(&budi_user, &dewi_user).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let hendra = app.login("hendra@example.co.id").await;

    let t = app
        .create(&budi, ticket_costing("Printer", 2_500_000))
        .await;
    let id = s(&t, "id");
    assert_eq!(t["status"], "waiting_approval");
    assert_eq!(t["awaiting_level"], 1);
    assert_eq!(t["awaiting_approver"]["email"], "dewi@example.co.id");

    // Another approver does not even see a ticket routed to the manager.
    assert_problem(
        &app.act(&hendra, &id, "approve", 1, json!(null)).await,
        StatusCode::NOT_FOUND,
    );
    // The requester cannot approve their own.
    assert_problem(
        &app.act(&budi, &id, "approve", 1, json!(null)).await,
        StatusCode::FORBIDDEN,
    );
    let t = ok(&app
        .act(&dewi, &id, "approve", 1, json!({"note": "Silakan"}))
        .await);
    assert_eq!(t["status"], "approved");
    assert_eq!(t["approvals"][0]["approver"]["email"], "dewi@example.co.id");
    assert_eq!(t["approvals"][0]["note"], "Silakan");
    assert_eq!(t["approvals"][0]["decision"], "approved");
}

#[sqlx::test(migrations = "../migrations")]
async fn two_levels_need_two_different_approvers(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi_user = app.user("budi@example.co.id", Role::Requester).await;
    let dewi_user = app.user("dewi@example.co.id", Role::Approver).await;
    app.user("hendra@example.co.id", Role::Approver).await;
    app.set_manager(&budi_user, &dewi_user).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let hendra = app.login("hendra@example.co.id").await;

    let t = app
        .create(&budi, ticket_costing("Proyektor", 12_500_000))
        .await;
    let id = s(&t, "id");
    assert_eq!(t["required_levels"], 2);
    let t = ok(&app.act(&dewi, &id, "approve", 1, json!(null)).await);
    assert_eq!(
        (t["status"].as_str(), t["awaiting_level"].as_i64()),
        (Some("waiting_approval"), Some(2))
    );
    assert!(
        t["awaiting_approver"].is_null(),
        "level 2 is for any other approver"
    );
    assert_problem(
        &app.act(&dewi, &id, "approve", 2, json!(null)).await,
        StatusCode::FORBIDDEN,
    );
    let t = ok(&app.act(&hendra, &id, "approve", 2, json!(null)).await);
    assert_eq!(t["status"], "approved");
    let levels: Vec<i64> = t["approvals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["level"].as_i64().unwrap())
        .collect();
    assert_eq!(levels, [1, 2]);
}

#[sqlx::test(migrations = "../migrations")]
async fn rejection_needs_a_reason_and_ends_the_ticket(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let t = app.create(&budi, ticket_costing("Sofa", 5_000_000)).await;
    let id = s(&t, "id");
    let before = app.fingerprint(&id).await;
    let p = assert_problem(
        &app.act(&dewi, &id, "reject", 1, json!({"reason": "  "}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(field_code(&p, "reason"), "reason_required");
    assert_eq!(
        app.fingerprint(&id).await,
        before,
        "refused reject changed nothing"
    );
    let t = ok(&app
        .act(&dewi, &id, "reject", 1, json!({"reason": "Anggaran habis"}))
        .await);
    assert_eq!(t["status"], "rejected");
    assert_eq!(t["approvals"][0]["decision"], "rejected");
    assert_eq!(t["approvals"][0]["note"], "Anggaran habis");
    let p = assert_problem(
        &app.act(&budi, &id, "cancel", 2, json!(null)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(p["type"], "/problems/illegal-transition");
}

#[sqlx::test(migrations = "../migrations")]
async fn requester_cancels_and_reopens_within_the_window(db: PgPool) {
    let app = TestApp::new(db).await;
    let siti = app.user("siti@example.co.id", Role::Agent).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;

    let c = app.create(&budi, ticket_costing("Batal", 100_000)).await;
    let t = ok(&app
        .act(
            &budi,
            &s(&c, "id"),
            "cancel",
            1,
            json!({"reason": "Sudah ada"}),
        )
        .await);
    assert_eq!(
        (t["status"].as_str(), t["resolution"].as_str()),
        (Some("closed"), Some("cancelled"))
    );

    let t = app.create(&budi, ticket_costing("AC", 300_000)).await;
    let id = s(&t, "id");
    ok(&app.act(&agent, &id, "accept", 1, json!(null)).await);
    ok(&app
        .act(&agent, &id, "assign", 2, json!({"assignee_id": siti.id}))
        .await);
    ok(&app.act(&agent, &id, "start", 3, json!(null)).await);
    ok(&app
        .act(&agent, &id, "complete", 4, json!({"actual_cost": "250000"}))
        .await);
    assert_problem(
        &app.act(&budi, &id, "reopen", 5, json!(null)).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let t = ok(&app
        .act(&budi, &id, "reopen", 5, json!({"reason": "Masih bocor"}))
        .await);
    assert_eq!(t["status"], "in_progress");
    assert!(t["completed_at"].is_null());
    // Past the 7-day window reopening is refused.
    ok(&app
        .act(&agent, &id, "complete", 6, json!({"actual_cost": "250000"}))
        .await);
    sqlx::query("update tickets set completed_at = now() - interval '8 days' where id = $1::uuid")
        .bind(&id)
        .execute(&app.db)
        .await
        .unwrap();
    let p = assert_problem(
        &app.act(&budi, &id, "reopen", 7, json!({"reason": "x"}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert!(p["detail"].as_str().unwrap().contains("7 days"));
}

#[sqlx::test(migrations = "../migrations")]
async fn auto_close_closes_only_tickets_completed_over_a_week_ago(db: PgPool) {
    let app = TestApp::new(db).await;
    let siti = app.user("siti@example.co.id", Role::Agent).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    let mut ids = Vec::new();
    for title in ["Lama", "Baru"] {
        let t = app.create(&budi, ticket_costing(title, 100_000)).await;
        let id = s(&t, "id");
        ok(&app.act(&agent, &id, "accept", 1, json!(null)).await);
        ok(&app
            .act(&agent, &id, "assign", 2, json!({"assignee_id": siti.id}))
            .await);
        ok(&app.act(&agent, &id, "start", 3, json!(null)).await);
        ok(&app
            .act(&agent, &id, "complete", 4, json!({"actual_cost": "90000"}))
            .await);
        ids.push(id);
    }
    sqlx::query("update tickets set completed_at = now() - interval '8 days' where id = $1::uuid")
        .bind(&ids[0])
        .execute(&app.db)
        .await
        .unwrap();
    let now = chrono::Utc::now();
    assert_eq!(
        app::services::jobs::auto_close(&app.db, now).await.unwrap(),
        1
    );
    assert_eq!(
        app::services::jobs::auto_close(&app.db, now).await.unwrap(),
        0,
        "runs once"
    );
    let old = app.get(&budi, &ids[0]).await;
    assert_eq!(
        (old["status"].as_str(), old["resolution"].as_str()),
        (Some("closed"), Some("done"))
    );
    assert_eq!(app.get(&budi, &ids[1]).await["status"], "completed");
    let history = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{}/history", ids[0]),
            Some(&budi),
            None,
        )
        .await
        .json();
    let last = history.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "auto_close");
    assert!(last["actor"].is_null());
}

#[sqlx::test(migrations = "../migrations")]
async fn forbidden_and_illegal_requests_change_nothing(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("ani@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    let siti = app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.login("budi@example.co.id").await;
    let ani = app.login("ani@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    let t = app.create(&budi, ticket_costing("Meja", 3_000_000)).await;
    let id = s(&t, "id");
    let before = app.fingerprint(&id).await;

    let cases: Vec<(&str, &str, Value, StatusCode)> = vec![
        (&ani, "cancel", json!(null), StatusCode::NOT_FOUND),
        (&ani, "approve", json!(null), StatusCode::NOT_FOUND),
        (&budi, "approve", json!(null), StatusCode::FORBIDDEN),
        (&agent, "approve", json!(null), StatusCode::FORBIDDEN),
        (
            &budi,
            "assign",
            json!({"assignee_id": siti.id}),
            StatusCode::FORBIDDEN,
        ),
        (&dewi, "start", json!(null), StatusCode::FORBIDDEN),
        (
            &agent,
            "accept",
            json!(null),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &agent,
            "start",
            json!(null),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &budi,
            "confirm",
            json!(null),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &budi,
            "submit",
            json!(null),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &agent,
            "assign",
            json!({"assignee_id": uuid::Uuid::now_v7()}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &agent,
            "assign",
            json!({}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &agent,
            "complete",
            json!({"actual_cost": "-1"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            &dewi,
            "approve",
            json!({"version": 1, "status": "approved"}),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (&budi, "teleport", json!(null), StatusCode::NOT_FOUND),
    ];
    for (token, action, body, status) in cases {
        let r = app.act(token, &id, action, 1, body).await;
        assert_problem(&r, status);
        assert_eq!(
            app.fingerprint(&id).await,
            before,
            "{action} changed something"
        );
    }
    // A stale version is a conflict that names the current version.
    let approved = ok(&app.act(&dewi, &id, "approve", 1, json!(null)).await);
    let stale = app
        .act(&agent, &id, "assign", 1, json!({"assignee_id": siti.id}))
        .await;
    let p = assert_problem(&stale, StatusCode::CONFLICT);
    assert_eq!(p["current_version"], approved["version"]);
    assert_eq!(p["current"]["status"], "approved");
    // Missing version: clear error, nothing changes.
    let after = app.fingerprint(&id).await;
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/cancel"),
            Some(&budi),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.fingerprint(&id).await, after);
}

#[sqlx::test(migrations = "../migrations")]
async fn if_match_carries_the_version(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let t = app.create(&budi, ticket_costing("Lampu", 85_000)).await;
    let id = s(&t, "id");
    let req = |etag: &str| {
        http::Request::builder()
            .method(Method::PATCH)
            .uri(format!("/api/v1/tickets/{id}"))
            .header("authorization", format!("Bearer {budi}"))
            .header("content-type", "application/json")
            .header("if-match", etag)
            .body(axum::body::Body::from(
                json!({"title": "Lampu LED"}).to_string(),
            ))
            .unwrap()
    };
    let r = app.send(req("\"1\"")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("etag"), Some("\"2\""));
    assert_eq!(r.json()["merged"], false);
    let r = app.send(req("\"1\"")).await;
    assert_problem(&r, StatusCode::CONFLICT);
    let r = app.send(req("nonsense")).await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
}

#[sqlx::test(migrations = "../migrations")]
async fn editing_items_while_waiting_restarts_approvals(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    app.user("hendra@example.co.id", Role::Approver).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let t = app
        .create(&budi, ticket_costing("Laptop", 15_000_000))
        .await;
    let id = s(&t, "id");
    let t = ok(&app.act(&dewi, &id, "approve", 1, json!(null)).await);
    assert_eq!(t["awaiting_level"], 2);
    let items = json!({"version": 2, "items": [{"name": "Laptop", "quantity": 1, "unit": "unit", "unit_price": "14000000"}]});
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            Some(&budi),
            Some(items),
        )
        .await;
    let t = ok(&r);
    assert_eq!(t["estimated_total"], "14000000.00");
    assert_eq!(
        (t["status"].as_str(), t["awaiting_level"].as_i64()),
        (Some("waiting_approval"), Some(1))
    );
    assert_eq!(t["approval_round"], 2);
    // Dewi's earlier approval stays in the record but no longer counts.
    assert_eq!(t["approvals"].as_array().unwrap().len(), 1);
    let t = ok(&app.act(&dewi, &id, "approve", 3, json!(null)).await);
    assert_eq!(
        t["awaiting_level"], 2,
        "the new round starts again at level 1"
    );
    let cheaper = json!({"version": 4, "items": [{"name": "Mouse", "quantity": 1, "unit": "pcs", "unit_price": "150000"}]});
    let t = ok(&app
        .call(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            Some(&budi),
            Some(cheaper),
        )
        .await);
    assert_eq!(
        t["status"], "pending",
        "below the threshold it goes back to GA triage"
    );
    let actions = history_actions(&app, &budi, &id).await;
    assert_eq!(
        actions,
        ["create", "approve", "edit_items", "approve", "edit_items"]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn comments_and_internal_notes(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("ani@example.co.id", Role::Requester).await;
    app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.login("budi@example.co.id").await;
    let ani = app.login("ani@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    let t = app.create(&budi, ticket_costing("Kunci", 450_000)).await;
    let url = format!("/api/v1/tickets/{}/comments", s(&t, "id"));
    let r = app
        .call(
            Method::POST,
            &url,
            Some(&budi),
            Some(json!({"body": "Kunci pintu macet"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = app
        .call(
            Method::POST,
            &url,
            Some(&agent),
            Some(json!({"body": "Vendor datang Senin", "internal": true})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_problem(
        &app.call(
            Method::POST,
            &url,
            Some(&budi),
            Some(json!({"body": "x", "internal": true})),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &app.call(Method::POST, &url, Some(&budi), Some(json!({"body": "  "})))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_problem(
        &app.call(Method::GET, &url, Some(&ani), None).await,
        StatusCode::NOT_FOUND,
    );
    assert_problem(
        &app.call(Method::POST, &url, Some(&ani), Some(json!({"body": "hai"})))
            .await,
        StatusCode::NOT_FOUND,
    );
    let mine = ok(&app.call(Method::GET, &url, Some(&budi), None).await);
    assert_eq!(
        mine.as_array().unwrap().len(),
        1,
        "requesters never see internal notes"
    );
    let staff = ok(&app.call(Method::GET, &url, Some(&agent), None).await);
    assert_eq!(staff.as_array().unwrap().len(), 2);
    assert_eq!(staff[1]["internal"], true);
    assert_eq!(app.count("ticket_comments").await, 2);
}

// ---- races ---------------------------------------------------------------

#[sqlx::test(migrations = "../migrations")]
async fn twenty_approvers_racing_produce_exactly_one_decision(db: PgPool) {
    let app = Arc::new(TestApp::new(db).await);
    app.user("budi@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let mut tokens = Vec::new();
    for i in 0..20 {
        let email = format!("approver{i}@example.co.id");
        app.user(&email, Role::Approver).await;
        tokens.push(app.login(&email).await);
    }
    let t = app.create(&budi, ticket_costing("Genset", 5_000_000)).await;
    let id = s(&t, "id");
    let barrier = Arc::new(tokio::sync::Barrier::new(tokens.len()));
    let tasks: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let app = app.clone();
            let id = id.clone();
            let barrier = barrier.clone();
            tokio::spawn(async move {
                barrier.wait().await;
                let r = app.act(&token, &id, "approve", 1, json!(null)).await;
                if r.status == StatusCode::NOT_FOUND {
                    assert_eq!(r.json()["code"], "decided_by", "{}", r.text());
                }
                r.status
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    let wins = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    // The others no longer see the ticket: they hear who decided it.
    let told = statuses
        .iter()
        .filter(|s| **s == StatusCode::NOT_FOUND)
        .count();
    assert_eq!((wins, told), (1, 19), "{statuses:?}");
    let (status, version, history, approvals) = app.fingerprint(&id).await;
    assert_eq!(
        (status.as_str(), version, history, approvals),
        ("approved", 2, 2, 1)
    );
}

async fn race_two(
    app: &Arc<TestApp>,
    a: (String, String, Value),
    b: (String, String, Value),
) -> (crate::common::Reply, crate::common::Reply) {
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let run = |(token, url, body): (String, String, Value)| {
        let app = app.clone();
        let barrier = barrier.clone();
        tokio::spawn(async move {
            barrier.wait().await;
            if url.ends_with("/approve") {
                app.call(Method::POST, &url, Some(&token), Some(body)).await
            } else {
                app.call(Method::PATCH, &url, Some(&token), Some(body))
                    .await
            }
        })
    };
    let ta = run(a);
    let tb = run(b);
    (ta.await.unwrap(), tb.await.unwrap())
}

#[sqlx::test(migrations = "../migrations")]
async fn edit_racing_an_approval_one_wins(db: PgPool) {
    let app = Arc::new(TestApp::new(db).await);
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    for round in 0..5 {
        let t = app
            .create(&budi, ticket_costing(&format!("Lemari {round}"), 4_000_000))
            .await;
        let id = s(&t, "id");
        let (edit, approve) = race_two(
            &app,
            (
                budi.clone(),
                format!("/api/v1/tickets/{id}"),
                json!({"version": 1, "title": "Lemari arsip"}),
            ),
            (
                dewi.clone(),
                format!("/api/v1/tickets/{id}/approve"),
                json!({"version": 1}),
            ),
        )
        .await;
        let outcomes = [edit.status, approve.status];
        assert_eq!(
            outcomes.iter().filter(|s| **s == StatusCode::OK).count(),
            1,
            "round {round}: exactly one wins, got {outcomes:?}"
        );
        assert!(outcomes.contains(&StatusCode::CONFLICT), "{outcomes:?}");
        let (_, version, history, _) = app.fingerprint(&id).await;
        assert_eq!((version, history), (2, 2));
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_edits_merge_when_disjoint_and_conflict_when_not(db: PgPool) {
    let app = Arc::new(TestApp::new(db).await);
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.login("budi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    for round in 0..5 {
        let t = app
            .create(&budi, ticket_costing(&format!("Rak {round}"), 500_000))
            .await;
        let id = s(&t, "id");
        let url = format!("/api/v1/tickets/{id}");
        let (a, b) = race_two(
            &app,
            (
                budi.clone(),
                url.clone(),
                json!({"version": 1, "title": "Rak buku besar"}),
            ),
            (
                agent.clone(),
                url.clone(),
                json!({"version": 1, "priority": "high"}),
            ),
        )
        .await;
        let (a, b) = (ok(&a), ok(&b));
        assert_eq!(
            [
                a["merged"].as_bool().unwrap(),
                b["merged"].as_bool().unwrap()
            ]
            .iter()
            .filter(|m| **m)
            .count(),
            1,
            "one of them was merged onto the other"
        );
        let now = app.get(&budi, &id).await;
        assert_eq!(
            (
                now["title"].as_str(),
                now["priority"].as_str(),
                now["version"].as_i64()
            ),
            (Some("Rak buku besar"), Some("high"), Some(3))
        );

        let (a, b) = race_two(
            &app,
            (
                budi.clone(),
                url.clone(),
                json!({"version": 3, "location": "Lantai 8"}),
            ),
            (
                agent.clone(),
                url.clone(),
                json!({"version": 3, "location": "Lantai 9"}),
            ),
        )
        .await;
        let statuses = [a.status, b.status];
        assert_eq!(
            (
                statuses.iter().filter(|s| **s == StatusCode::OK).count(),
                statuses
                    .iter()
                    .filter(|s| **s == StatusCode::CONFLICT)
                    .count()
            ),
            (1, 1),
            "round {round}: {statuses:?}"
        );
        assert_eq!(app.fingerprint(&id).await.1, 4);
    }
}
