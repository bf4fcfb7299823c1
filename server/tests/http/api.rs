//! REST v1 through the real router against a real database.

use crate::common::{assert_problem, field_code, new_ticket, TestApp, PASSWORD};
use app::domain::Role;
use http::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn login_sets_an_http_only_cookie_and_returns_a_token(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "Budi@Example.co.id", "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let cookie = r.header("set-cookie").unwrap();
    assert!(cookie.starts_with("gadesk_access="));
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Secure"), "plain http public URL");
    let body = r.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["user"]["email"], "budi@example.co.id");
    assert_eq!(body["user"]["role"], "requester");
    assert!(body["user"]["permissions"]
        .as_array()
        .unwrap()
        .contains(&json!("tickets:create")));

    // The cookie alone authenticates a browser.
    let token = cookie.split(';').next().unwrap();
    let req = http::Request::builder()
        .uri("/api/v1/me")
        .header("cookie", token)
        .body(axum::body::Body::empty())
        .unwrap();
    let me = app.send(req).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["email"], "budi@example.co.id");
}

#[sqlx::test(migrations = "../migrations")]
async fn failed_logins_are_generic_401_problems(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let wrong = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "budi@example.co.id", "password": "nope-nope-nope"})),
        )
        .await;
    let unknown = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "x@example.co.id", "password": PASSWORD})),
        )
        .await;
    let p1 = assert_problem(&wrong, StatusCode::UNAUTHORIZED);
    let p2 = assert_problem(&unknown, StatusCode::UNAUTHORIZED);
    assert_eq!(p1["detail"], p2["detail"]);
    assert_eq!(p1["detail"], "Email or password is incorrect.");
    assert!(wrong.header("set-cookie").is_none());
}

#[sqlx::test(migrations = "../migrations")]
async fn me_needs_a_valid_token(db: PgPool) {
    let app = TestApp::new(db).await;
    let r = app.call(Method::GET, "/api/v1/me", None, None).await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    let r = app
        .call(Method::GET, "/api/v1/me", Some("not.a.token"), None)
        .await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
    app.user("dewi@example.co.id", Role::Approver).await;
    let token = app.login("dewi@example.co.id").await;
    let r = app
        .call(Method::GET, "/api/v1/me", Some(&token), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["role"], "approver");
}

#[sqlx::test(migrations = "../migrations")]
async fn create_then_read_a_ticket(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let token = app.login("budi@example.co.id").await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(&token),
            Some(new_ticket("Kertas")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let t = r.json();
    let id = t["id"].as_str().unwrap().to_string();
    assert_eq!(
        r.header("location"),
        Some(format!("/api/v1/tickets/{id}").as_str())
    );
    assert_eq!(r.header("etag"), Some("\"1\""));
    assert_eq!(t["estimated_total"], "620000.00");
    assert_eq!(t["status"], "pending");
    assert_eq!(t["items"][1]["line_total"], "70000.00");
    assert!(t["number"].as_str().unwrap().starts_with("GA-"));

    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}"),
            Some(&token),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json(), t);
    assert_eq!(r.header("etag"), Some("\"1\""));

    let list = app
        .call(Method::GET, "/api/v1/tickets", Some(&token), None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    let list = list.json();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert!(list["next_cursor"].is_null());

    let anon = app
        .call(Method::GET, &format!("/api/v1/tickets/{id}"), None, None)
        .await;
    assert_problem(&anon, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn another_requesters_ticket_is_404(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("ani@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let ani = app.login("ani@example.co.id").await;
    let t = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(&budi),
            Some(new_ticket("Kertas")),
        )
        .await
        .json();
    let r = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{}", t["id"].as_str().unwrap()),
            Some(&ani),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::NOT_FOUND);
    let list = app
        .call(Method::GET, "/api/v1/tickets", Some(&ani), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let bad_id = app
        .call(Method::GET, "/api/v1/tickets/not-a-uuid", Some(&ani), None)
        .await;
    assert_problem(&bad_id, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_input_gets_a_clear_4xx_and_writes_nothing(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let token = app.login("budi@example.co.id").await;
    let url = "/api/v1/tickets";

    let broken = app
        .raw(
            Method::POST,
            url,
            &token,
            "application/json",
            "{\"title\": ",
        )
        .await;
    assert_problem(&broken, StatusCode::BAD_REQUEST);

    let wrong_type = app
        .raw(
            Method::POST,
            url,
            &token,
            "text/plain",
            new_ticket("x").to_string(),
        )
        .await;
    assert_problem(&wrong_type, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let mut unknown = new_ticket("x");
    unknown["estimated_total"] = json!("1.00");
    assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(unknown))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );

    let mut status = new_ticket("x");
    status["status"] = json!("approved");
    assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(status))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );

    let mut quantity_type = new_ticket("x");
    quantity_type["items"][0]["quantity"] = json!("ten");
    assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(quantity_type))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );

    let mut missing = new_ticket("x");
    missing.as_object_mut().unwrap().remove("category");
    assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(missing))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );

    let mut negative = new_ticket("x");
    negative["items"][0]["unit_price"] = json!("-5000");
    assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(negative))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );

    let mut absurd = new_ticket("x");
    absurd["items"][0]["unit_price"] = json!("1000000000000.01");
    assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(absurd))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );

    let mut product = new_ticket("x");
    product["items"][0]["unit_price"] = json!("999999999999");
    product["items"][0]["quantity"] = json!(2);
    let r = app
        .call(Method::POST, url, Some(&token), Some(product))
        .await;
    let p = assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        field_code(&p, "items[0].unit_price"),
        "line_total_too_large"
    );

    let mut zero_qty = new_ticket("x");
    zero_qty["items"][0]["quantity"] = json!(0);
    let p = assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(zero_qty))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(field_code(&p, "items[0].quantity"), "whole_number");

    let empty_title = new_ticket("   ");
    let p = assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(empty_title))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(field_code(&p, "title"), "required");
    assert_eq!(p["errors"]["title"]["message"], "This field is required.");

    let long_title = new_ticket(&"x".repeat(201));
    let p = assert_problem(
        &app.call(Method::POST, url, Some(&token), Some(long_title))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_eq!(field_code(&p, "title"), "too_long");
    assert_eq!(p["errors"]["title"]["params"]["max"], 200);

    let huge = format!("{{\"title\": \"{}\"}}", "x".repeat(10 * 1024 * 1024));
    let r = app
        .raw(Method::POST, url, &token, "application/json", huge)
        .await;
    assert_problem(&r, StatusCode::PAYLOAD_TOO_LARGE);

    assert_eq!(app.count("tickets").await, 0);
    assert_eq!(app.count("ticket_items").await, 0);
    assert_eq!(app.count("ticket_history").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn list_pages_with_cursors_and_refuses_forgeries(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let token = app.login("budi@example.co.id").await;
    for i in 0..7 {
        let r = app
            .call(
                Method::POST,
                "/api/v1/tickets",
                Some(&token),
                Some(new_ticket(&format!("T{i}"))),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    let p1 = app
        .call(Method::GET, "/api/v1/tickets?limit=3", Some(&token), None)
        .await
        .json();
    let c1 = p1["next_cursor"].as_str().unwrap();
    let p2 = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets?limit=3&cursor={c1}"),
            Some(&token),
            None,
        )
        .await
        .json();
    let c2 = p2["next_cursor"].as_str().unwrap();
    let p3 = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets?limit=3&cursor={c2}"),
            Some(&token),
            None,
        )
        .await
        .json();
    assert!(p3["next_cursor"].is_null());
    let titles: Vec<String> = [&p1, &p2, &p3]
        .iter()
        .flat_map(|p| {
            p["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["title"].as_str().unwrap().to_string())
        })
        .collect();
    assert_eq!(titles, vec!["T6", "T5", "T4", "T3", "T2", "T1", "T0"]);

    let mut forged = c1.to_string();
    forged.replace_range(0..2, "AA");
    assert_problem(
        &app.call(
            Method::GET,
            &format!("/api/v1/tickets?cursor={forged}"),
            Some(&token),
            None,
        )
        .await,
        StatusCode::BAD_REQUEST,
    );
    assert_problem(
        &app.call(Method::GET, "/api/v1/tickets?limit=101", Some(&token), None)
            .await,
        StatusCode::BAD_REQUEST,
    );
    assert_problem(
        &app.call(Method::GET, "/api/v1/tickets?limit=-1", Some(&token), None)
            .await,
        StatusCode::BAD_REQUEST,
    );
    assert_problem(
        &app.call(Method::GET, "/api/v1/tickets?sort=evil", Some(&token), None)
            .await,
        StatusCode::BAD_REQUEST,
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn unknown_api_routes_are_problem_404s(db: PgPool) {
    let app = TestApp::new(db).await;
    assert_problem(
        &app.call(Method::GET, "/api/v1/nope", None, None).await,
        StatusCode::NOT_FOUND,
    );
}
