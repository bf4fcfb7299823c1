//! The /reports page's data: the summary for a date range through the
//! page's server function and REST, its validation, and the CSV of the
//! range's tickets.

use crate::common::{assert_problem, Reply, TestApp};
use app::domain::report::jakarta_today;
use app::domain::Role;
use axum::body::Body;
use http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;

fn ticket(title: &str, category: &str, price: u64) -> Value {
    json!({
        "title": title,
        "category": category,
        "priority": "medium",
        "location": "Kantor Pusat Jakarta, Lantai 7",
        "items": [{"name": "Barang", "quantity": 1, "unit": "pcs", "unit_price": price.to_string()}]
    })
}

/// The page's server function, as the browser calls it.
async fn rpc(app: &TestApp, token: &str, from: &str, to: &str) -> Reply {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/rpc/reports/summary")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, "application/json")
        .body(Body::from(format!("from={from}&to={to}")))
        .unwrap();
    app.send(req).await
}

fn amount(v: &Value) -> String {
    v.as_str().unwrap().to_string()
}

struct World {
    app: TestApp,
    budi: String,
    dewi: String,
}

/// Five tickets today with known amounts: three approved (one completed
/// below its estimate), one rejected, one pending.
async fn world(db: PgPool) -> World {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    let siti = app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi = app.login("dewi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;
    let id = |t: &Value| t["id"].as_str().unwrap().to_string();
    #[track_caller]
    fn ok(r: Reply) {
        assert!(r.status.is_success(), "{}", r.text());
    }

    let a = id(&app
        .create(&budi, ticket("Kertas A4", "office_supplies", 1_000_000))
        .await);
    ok(app.act(&dewi, &a, "approve", 1, json!(null)).await);
    let b = id(&app
        .create(&budi, ticket("=SUM(A1:A9)", "office_supplies", 2_500_000))
        .await);
    ok(app.act(&dewi, &b, "approve", 1, json!(null)).await);
    ok(app
        .act(&agent, &b, "assign", 2, json!({"assignee_id": siti.id}))
        .await);
    ok(app.act(&agent, &b, "start", 3, json!(null)).await);
    ok(app
        .act(&agent, &b, "complete", 4, json!({"actual_cost": "2400000"}))
        .await);
    let c = id(&app
        .create(&budi, ticket("Kopi dan teh", "pantry_supplies", 1_500_000))
        .await);
    ok(app.act(&dewi, &c, "approve", 1, json!(null)).await);
    let d = id(&app
        .create(&budi, ticket("Sofa lobi", "office_furniture", 3_000_000))
        .await);
    ok(app
        .act(&dewi, &d, "reject", 1, json!({"reason": "Anggaran habis"}))
        .await);
    app.create(&budi, ticket("Proyektor", "meeting_room", 900_000))
        .await;
    World { app, budi, dewi }
}

fn by_key(list: &Value, key: &str, field: &str) -> Option<Value> {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == key)
        .map(|c| c[field].clone())
}

#[sqlx::test(migrations = "../migrations")]
async fn summary_for_a_range_counts_and_sums_spend_by_category(db: PgPool) {
    let w = world(db).await;
    let today = jakarta_today(chrono::Utc::now()).to_string();

    let r = rpc(&w.app, &w.dewi, &today, &today).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let s = r.json();
    assert_eq!(s["from"], today.as_str());
    assert_eq!(s["tickets"], 5);
    assert_eq!(s["completed"], 1);
    // Approved work: 1 000 000 + 2 400 000 (actual, below its estimate) +
    // 1 500 000; the rejected sofa and the projector (small enough to need
    // no approval, still pending) cost nothing yet.
    assert_eq!(amount(&s["approved_spend"]), "4900000.00");
    assert_eq!(
        by_key(&s["spend_by_category"], "office_supplies", "amount").map(|v| amount(&v)),
        Some("3400000.00".into())
    );
    assert_eq!(
        by_key(&s["spend_by_category"], "pantry_supplies", "amount").map(|v| amount(&v)),
        Some("1500000.00".into())
    );
    assert_eq!(
        by_key(&s["spend_by_category"], "office_furniture", "amount"),
        None
    );
    let spend_sum: f64 = s["spend_by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| amount(&c["amount"]).parse::<f64>().unwrap())
        .sum();
    assert_eq!(spend_sum, 4_900_000.0, "categories add up to the figure");
    assert_eq!(
        by_key(&s["by_category"], "office_supplies", "count"),
        Some(json!(2))
    );
    assert_eq!(by_key(&s["by_status"], "rejected", "count"), Some(json!(1)));
    let weeks: i64 = s["by_week"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["tickets"].as_i64().unwrap())
        .sum();
    assert_eq!(weeks, 5);
    assert!(s["avg_approval_hours"].as_f64().is_some());
    assert!(s["avg_completion_hours"].as_f64().is_some());

    // No range: this month so far, which includes today.
    let r = rpc(&w.app, &w.dewi, "", "").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let month = r.json();
    assert_eq!(month["to"], today.as_str());
    assert!(month["from"].as_str().unwrap().ends_with("-01"));
    assert_eq!(month["tickets"], 5);

    // REST gives the same numbers for the same range.
    let r = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/reports/summary?from={today}&to={today}"),
            Some(&w.dewi),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["approved_spend"], "4900000.00");

    // A range without tickets.
    let r = rpc(&w.app, &w.dewi, "2030-01-01", "2030-01-31").await;
    assert_eq!(r.json()["tickets"], 0);

    // Requesters have no reports.
    let r = rpc(&w.app, &w.budi, &today, &today).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_ranges_are_refused_with_the_field_at_fault(db: PgPool) {
    let w = world(db).await;
    let before = w.app.count("tickets").await;
    for (from, to, field, message) in [
        ("2026-11-30", "2026-11-01", "from", "start_after_end"),
        ("2024-01-01", "2026-11-30", "to", "range_too_long"),
        ("30-11-2026", "", "from", "not_a_date"),
        ("", "2026-13-01", "to", "not_a_date"),
        ("1999-12-01", "2000-01-01", "from", "date_out_of_range"),
    ] {
        let r = rpc(&w.app, &w.dewi, from, to).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{from}..{to}: {}",
            r.text()
        );
        assert_eq!(
            r.json()["Validation"][field]["code"],
            message,
            "{from}..{to}: {}",
            r.text()
        );
    }
    // The REST answers name the same field and code.
    for (query, field, code) in [
        ("from=2026-11-30&to=2026-11-01", "from", "start_after_end"),
        ("from=2024-01-01&to=2026-11-30", "to", "range_too_long"),
        ("from=kemarin", "from", "not_a_date"),
    ] {
        for path in ["/api/v1/reports/summary", "/api/v1/reports/tickets.csv"] {
            let p = assert_problem(
                &w.app
                    .call(Method::GET, &format!("{path}?{query}"), Some(&w.dewi), None)
                    .await,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
            assert_eq!(p["errors"][field]["code"], code, "{path}?{query}: {p}");
        }
    }
    for path in ["/api/v1/reports/summary", "/api/v1/reports/tickets.csv"] {
        let p = assert_problem(
            &w.app
                .call(
                    Method::GET,
                    &format!("{path}?since=2026-11-01"),
                    Some(&w.dewi),
                    None,
                )
                .await,
            StatusCode::BAD_REQUEST,
        );
        assert_eq!(p["code"], "malformed_query");
    }
    // Two years to the day is still fine.
    let r = w
        .app
        .call(
            Method::GET,
            "/api/v1/reports/summary?from=2024-11-30&to=2026-11-30",
            Some(&w.dewi),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(w.app.count("tickets").await, before, "nothing else happens");
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_of_the_range_lists_everyones_tickets_for_report_readers(db: PgPool) {
    let w = world(db).await;
    let today = jakarta_today(chrono::Utc::now()).to_string();
    let url = format!("/api/v1/reports/tickets.csv?from={today}&to={today}");
    let r = w.app.call(Method::GET, &url, Some(&w.dewi), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        r.header("content-disposition"),
        Some(format!("attachment; filename=\"gadesk-tickets-{today}-{today}.csv\"").as_str())
    );
    assert_eq!(&r.body[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 byte order mark");
    let text = String::from_utf8(r.body[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(
        lines[0],
        "number,title,status,category,priority,requester,assignee,estimated_total,created_at,updated_at,attachments"
    );
    // Budi's five tickets, though Dewi requested none: the report's rows.
    assert_eq!(lines.len(), 1 + 5, "{text}");
    let kertas = lines
        .iter()
        .find(|l| l.contains("Kertas A4"))
        .expect("a known ticket");
    assert!(kertas.contains(",approved,office_supplies,medium,budi,,1000000.00,"));
    assert!(
        text.contains(",'=SUM(A1:A9),"),
        "formulas are neutralised: {text}"
    );
    assert!(!text.contains(",=SUM"));

    // A range without tickets is just the header.
    let r = w
        .app
        .call(
            Method::GET,
            "/api/v1/reports/tickets.csv?from=2030-01-01&to=2030-01-31",
            Some(&w.dewi),
            None,
        )
        .await;
    assert_eq!(
        String::from_utf8_lossy(&r.body).trim_end().lines().count(),
        1
    );

    // Requesters may not; nobody signed in may not either.
    assert_problem(
        &w.app.call(Method::GET, &url, Some(&w.budi), None).await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &w.app.call(Method::GET, &url, None, None).await,
        StatusCode::UNAUTHORIZED,
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_streams_every_page(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("rina@example.co.id", Role::Admin).await;
    let budi = app.login("budi@example.co.id").await;
    let rina = app.login("rina@example.co.id").await;
    // More than two export pages (500 rows each), straight into the table
    // and all with the same creation time: pages must break ties by id.
    sqlx::query(
        "insert into tickets (id, number, title, description, category, priority, location,
                              requester_id, status, estimated_total)
         select gen_random_uuid(), 'GA-2099-' || lpad(g::text, 6, '0'), 'Massal ' || g, '', 'office_supplies',
                'low', 'Gudang', u.id, 'pending', 1000
           from generate_series(1, 1203) g, users u where u.email = 'budi@example.co.id'",
    )
    .execute(&app.db)
    .await
    .unwrap();
    let _ = budi;
    let today = jakarta_today(chrono::Utc::now()).to_string();
    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/reports/tickets.csv?from={today}&to={today}"),
            Some(&rina),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let text = String::from_utf8_lossy(&r.body);
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 1 + 1203);
    let numbers: std::collections::HashSet<&str> = lines[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(numbers.len(), 1203, "no row twice, none lost between pages");
}

fn page(uri: &str, token: &str) -> Request<Body> {
    Request::builder()
        .uri(uri)
        .header("accept", "text/html")
        .header("accept-language", "en")
        .header("cookie", format!("gadesk_access={token}"))
        .body(Body::empty())
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_render_complete_and_ship_their_data(db: PgPool) {
    let w = world(db).await;
    let today = jakarta_today(chrono::Utc::now()).to_string();

    let r = w
        .app
        .send(page(&format!("/reports?from={today}&to={today}"), &w.dewi))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(
        html.contains(r#"data-test="fig-spend" class="figure-value">Rp 4.900.000<"#),
        "{html}"
    );
    assert!(html.contains("Tickets per week"));
    assert!(html.contains(&format!(
        r#"href="/api/v1/reports/tickets.csv?from={today}&amp;to={today}""#
    )));
    // The data the browser hydrates from, under its fixed name.
    assert!(html.contains(r#"<script type="application/json" id="report-data">{"Ok":{"#));
    assert!(html.contains(r#""approved_spend":"4900000.00""#));

    let r = w
        .app
        .send(page("/reports?from=2026-11-30&to=2026-11-01", &w.dewi))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .contains("From: The start must not be after the end."));

    let r = w.app.send(page("/approvals", &w.dewi)).await;
    assert_eq!(r.status, StatusCode::OK);
    let html = r.text();
    assert!(html.contains(r#"id="approvals-data""#));
    assert!(html.contains(r#"data-test="spend-chart""#));
    assert!(html.contains(r#"data-test="decisions-chart""#));
    assert!(
        html.contains(r#"data-test="fig-approved-amount" class="figure-value">Rp 5.000.000<"#),
        "{html}"
    );
}
