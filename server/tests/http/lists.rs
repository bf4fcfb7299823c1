//! Lists (filters, search, sort, cursors), idempotent creation, CSV export
//! and the summary report through the real router.

use crate::common::{assert_problem, field_code, ticket_costing, TestApp};
use app::domain::Role;
use http::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::collections::HashSet;
use std::sync::Arc;

fn titles(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect()
}

async fn get_json(app: &TestApp, token: &str, url: &str) -> Value {
    let r = app.call(Method::GET, url, Some(token), None).await;
    assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.text());
    r.json()
}

/// Walks every page of a list and returns the rows in order.
async fn all_pages(app: &TestApp, token: &str, base: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut url = base.to_string();
    loop {
        let page = get_json(app, token, &url).await;
        out.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => {
                let sep = if base.contains('?') { '&' } else { '?' };
                url = format!("{base}{sep}cursor={c}");
            }
            None => return out,
        }
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn filters_sorts_and_search(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let ani_user = app.user("ani@example.co.id", Role::Requester).await;
    let siti = app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.login("budi@example.co.id").await;
    let ani = app.login("ani@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;

    let mut kopi = ticket_costing("Kopi untuk pantry", 180_000);
    kopi["category"] = json!("pantry_supplies");
    kopi["priority"] = json!("high");
    kopi["items"][0]["name"] = json!("Kopi bubuk Toraja");
    let kopi = app.create(&budi, kopi).await;
    let mut ac = ticket_costing("AC ruang rapat bocor", 750_000);
    ac["category"] = json!("facility_maintenance");
    ac["priority"] = json!("low");
    ac["description"] = json!("Air conditioner leaking water");
    let ac = app.create(&budi, ac).await;
    app.create(&budi, ticket_costing("Proyektor baru", 12_500_000))
        .await;
    app.create(&ani, ticket_costing("Kursi Ani", 900_000)).await;
    app.act(
        &agent,
        ac["id"].as_str().unwrap(),
        "assign",
        1,
        json!({"assignee_id": siti.id}),
    )
    .await;

    // Requesters see only their own; staff see all.
    assert_eq!(
        titles(&get_json(&app, &budi, "/api/v1/tickets").await).len(),
        3
    );
    assert_eq!(
        titles(&get_json(&app, &agent, "/api/v1/tickets").await).len(),
        4
    );
    // Asking for someone else's tickets gives nothing, not their tickets.
    let spoof = format!("/api/v1/tickets?requester={}", ani_user.id);
    assert_eq!(titles(&get_json(&app, &budi, &spoof).await).len(), 0);
    assert_eq!(titles(&get_json(&app, &agent, &spoof).await), ["Kursi Ani"]);
    assert_problem(
        &app.call(
            Method::GET,
            "/api/v1/tickets?requester=not-a-uuid",
            Some(&budi),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    );

    // Filters.
    let pantry = get_json(&app, &budi, "/api/v1/tickets?category=pantry_supplies").await;
    assert_eq!(titles(&pantry), ["Kopi untuk pantry"]);
    let waiting = get_json(&app, &agent, "/api/v1/tickets?status=waiting_approval").await;
    assert_eq!(titles(&waiting), ["Proyektor baru"]);
    let several = get_json(
        &app,
        &agent,
        "/api/v1/tickets?status=waiting_approval&status=pending&priority=low",
    )
    .await;
    assert_eq!(titles(&several), ["AC ruang rapat bocor"]);
    let assigned = get_json(
        &app,
        &agent,
        &format!("/api/v1/tickets?assignee={}", siti.id),
    )
    .await;
    assert_eq!(titles(&assigned), ["AC ruang rapat bocor"]);
    let today = (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive();
    let dated = get_json(
        &app,
        &agent,
        &format!("/api/v1/tickets?created_from={today}&created_to={today}"),
    )
    .await;
    assert_eq!(titles(&dated).len(), 4);
    let yesterday = today - chrono::Duration::days(1);
    let none = get_json(
        &app,
        &agent,
        &format!("/api/v1/tickets?created_to={yesterday}"),
    )
    .await;
    assert_eq!(titles(&none).len(), 0);

    // Sorts.
    let by_total = get_json(&app, &budi, "/api/v1/tickets?sort=-estimated_total").await;
    assert_eq!(
        titles(&by_total),
        [
            "Proyektor baru",
            "AC ruang rapat bocor",
            "Kopi untuk pantry"
        ]
    );
    let by_priority = get_json(&app, &budi, "/api/v1/tickets?sort=-priority").await;
    assert_eq!(titles(&by_priority)[0], "Kopi untuk pantry");
    assert_eq!(titles(&by_priority)[2], "AC ruang rapat bocor");
    let by_number = get_json(&app, &agent, "/api/v1/tickets?sort=number").await;
    let numbers: Vec<String> = by_number["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap().into())
        .collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    assert_eq!(numbers, sorted);

    // Full-text search over title, description, item names and number, in
    // Indonesian and English.
    for (q, expected) in [
        ("kopi", "Kopi untuk pantry"),
        ("Toraja", "Kopi untuk pantry"),
        ("bocor", "AC ruang rapat bocor"),
        ("leaking", "AC ruang rapat bocor"),
        ("water", "AC ruang rapat bocor"),
    ] {
        assert_eq!(
            titles(&get_json(&app, &budi, &format!("/api/v1/tickets?q={q}")).await),
            [expected],
            "{q}"
        );
    }
    let number = kopi["number"].as_str().unwrap();
    assert_eq!(
        titles(&get_json(&app, &budi, &format!("/api/v1/tickets?q={number}")).await),
        ["Kopi untuk pantry"]
    );
    // Searching never reveals other people's tickets.
    assert_eq!(
        titles(&get_json(&app, &budi, "/api/v1/tickets?q=Kursi").await).len(),
        0
    );
    assert_eq!(
        titles(&get_json(&app, &agent, "/api/v1/tickets?q=Kursi").await).len(),
        1
    );
    // Injection attempts are just text.
    for q in ["'%20or%201=1--", "kopi%20%26%20!", "a:*%20|%20b"] {
        let r = app
            .call(
                Method::GET,
                &format!("/api/v1/tickets?q={q}"),
                Some(&budi),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
    }
    for bad in [
        "sort=title",
        "sort=-password_hash",
        "status=lost",
        "priority=urgent",
        "limit=0",
        "created_from=kemarin",
        "foo=bar",
    ] {
        assert_problem(
            &app.call(
                Method::GET,
                &format!("/api/v1/tickets?{bad}"),
                Some(&budi),
                None,
            )
            .await,
            StatusCode::BAD_REQUEST,
        );
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn every_sort_pages_without_duplicates_or_gaps_while_rows_are_added(db: PgPool) {
    let app = Arc::new(TestApp::new(db).await);
    app.user("budi@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    for i in 0..23u64 {
        app.create(
            &budi,
            ticket_costing(&format!("T{i:02}"), 100_000 + (i % 5) * 50_000),
        )
        .await;
    }
    for sort in [
        "-created_at",
        "created_at",
        "-updated_at",
        "priority",
        "-priority",
        "number",
        "-number",
        "estimated_total",
        "-estimated_total",
    ] {
        // Walk pages of 5 while another client keeps creating tickets.
        let writer = {
            let app = app.clone();
            let budi = budi.clone();
            tokio::spawn(async move {
                for i in 0..5 {
                    app.create(&budi, ticket_costing(&format!("new {i}"), 10_000))
                        .await;
                }
            })
        };
        let rows = all_pages(&app, &budi, &format!("/api/v1/tickets?limit=5&sort={sort}")).await;
        writer.await.unwrap();
        let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
        let unique: HashSet<&&str> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{sort}: no duplicates");
        let originals = rows
            .iter()
            .filter(|r| r["title"].as_str().unwrap().starts_with('T'))
            .count();
        assert_eq!(
            originals, 23,
            "{sort}: every row that existed before is seen exactly once"
        );
    }
    // A cursor is bound to its query.
    let page = get_json(&app, &budi, "/api/v1/tickets?limit=5&sort=number").await;
    let cursor = page["next_cursor"].as_str().unwrap();
    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets?limit=5&sort=-number&cursor={cursor}"),
            Some(&budi),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrations = "../migrations")]
async fn idempotency_key_makes_retries_safe(db: PgPool) {
    let app = Arc::new(TestApp::new(db).await);
    app.user("budi@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let post = |key: &str, body: Value| {
        let req = http::Request::builder()
            .method(Method::POST)
            .uri("/api/v1/tickets")
            .header("authorization", format!("Bearer {budi}"))
            .header("content-type", "application/json")
            .header("idempotency-key", key)
            .body(axum::body::Body::from(body.to_string()))
            .unwrap();
        let app = app.clone();
        async move { app.send(req).await }
    };
    let first = post("order-42", ticket_costing("Kertas", 55_000)).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let again = post("order-42", ticket_costing("Kertas", 55_000)).await;
    assert_eq!(again.status, StatusCode::CREATED);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    assert_eq!(again.json()["id"], first.json()["id"]);
    assert_eq!(app.count("tickets").await, 1);
    let other = post("order-42", ticket_costing("Tinta", 380_000)).await;
    let p = assert_problem(&other, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_code(&p, "Idempotency-Key"), "idempotency_key_reused");
    assert_eq!(app.count("tickets").await, 1);
    // Ten concurrent retries of one new key create exactly one ticket.
    let tasks: Vec<_> = (0..10)
        .map(|_| tokio::spawn(post("order-43", ticket_costing("Pulpen", 35_000))))
        .collect();
    let mut ids = HashSet::new();
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        ids.insert(r.json()["id"].as_str().unwrap().to_string());
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(app.count("tickets").await, 2);
    // After 24 hours the key is free again.
    sqlx::query("update idempotency_keys set created_at = now() - interval '25 hours'")
        .execute(&app.db)
        .await
        .unwrap();
    assert_eq!(
        post("order-42", ticket_costing("Tinta", 380_000))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(app.count("tickets").await, 3);
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_export_streams_visible_tickets_with_bom(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("ani@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let ani = app.login("ani@example.co.id").await;
    for i in 0..130 {
        app.create(&budi, ticket_costing(&format!("Kertas {i}"), 55_000))
            .await;
    }
    app.create(&budi, ticket_costing("=HYPERLINK(\"http://evil\")", 1_000))
        .await;
    app.create(&ani, ticket_costing("Punya Ani", 1_000)).await;
    let r = app
        .call(Method::GET, "/api/v1/tickets/export.csv", Some(&budi), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(r
        .header("content-disposition")
        .unwrap()
        .contains("attachment"));
    assert_eq!(&r.body[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 byte order mark");
    let text = String::from_utf8(r.body[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines[0], "number,title,status,category,priority,requester,assignee,estimated_total,created_at,updated_at,attachments");
    assert_eq!(lines.len(), 1 + 131, "all pages, only Budi's");
    assert!(!text.contains("Punya Ani"));
    assert!(text.contains("55000.00"));
    assert!(text.contains("'=HYPERLINK"), "formulas are neutralised");
    let filtered = app
        .call(
            Method::GET,
            "/api/v1/tickets/export.csv?q=HYPERLINK",
            Some(&budi),
            None,
        )
        .await;
    assert_eq!(
        String::from_utf8_lossy(&filtered.body)
            .trim_end()
            .split("\r\n")
            .count(),
        2
    );
    assert_problem(
        &app.call(
            Method::GET,
            "/api/v1/tickets/export.csv?limit=5",
            Some(&budi),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
    assert_problem(
        &app.call(Method::GET, "/api/v1/tickets/export.csv", None, None)
            .await,
        StatusCode::UNAUTHORIZED,
    );
    let _ = ani;
}

#[sqlx::test(migrations = "../migrations")]
async fn summary_report_counts_and_sums(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    let siti = app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    let a = app.create(&budi, ticket_costing("Meja", 2_000_000)).await;
    app.create(&budi, ticket_costing("Kertas", 500_000)).await;
    let id = a["id"].as_str().unwrap();
    app.act(&dewi, id, "approve", 1, json!(null)).await;
    app.act(&agent, id, "assign", 2, json!({"assignee_id": siti.id}))
        .await;
    app.act(&agent, id, "start", 3, json!(null)).await;
    app.act(&agent, id, "complete", 4, json!({"actual_cost": "1900000"}))
        .await;

    assert_problem(
        &app.call(Method::GET, "/api/v1/reports/summary", Some(&budi), None)
            .await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &app.call(Method::GET, "/api/v1/reports/summary", Some(&agent), None)
            .await,
        StatusCode::FORBIDDEN,
    );
    let s = get_json(&app, &dewi, "/api/v1/reports/summary").await;
    assert_eq!(s["tickets"], 2);
    assert_eq!(s["estimated_total"], "2500000.00");
    let statuses: Vec<(String, i64)> = s["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["key"].as_str().unwrap().into(),
                c["count"].as_i64().unwrap(),
            )
        })
        .collect();
    assert!(
        statuses.contains(&("completed".into(), 1)) && statuses.contains(&("pending".into(), 1)),
        "{statuses:?}"
    );
    assert_eq!(s["by_month"][0]["actual_total"], "1900000.00");
    assert!(s["avg_approval_hours"].as_f64().unwrap() >= 0.0);
    assert!(s["avg_completion_hours"].as_f64().is_some());
    let future = get_json(
        &app,
        &dewi,
        "/api/v1/reports/summary?from=2030-01-01&to=2030-12-31",
    )
    .await;
    assert_eq!(future["tickets"], 0);
    assert!(future["avg_approval_hours"].is_null());
    // A bad range names the field at fault, like the report page.
    let p = assert_problem(
        &app.call(
            Method::GET,
            "/api/v1/reports/summary?from=2026-12-01&to=2026-01-01",
            Some(&dewi),
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(field_code(&p, "from"), "start_after_end");
    let p = assert_problem(
        &app.call(
            Method::GET,
            "/api/v1/reports/summary?from=nanti",
            Some(&dewi),
            None,
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(field_code(&p, "from"), "not_a_date");
}
