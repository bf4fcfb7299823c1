//! The security suite: every attack is tried through the real router against
//! a real database, and each test checks both the answer and that nothing
//! changed.

use crate::common::{assert_problem, ticket_costing, Reply, TestApp, PASSWORD, SECRET};
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

async fn login_full(app: &TestApp, email: &str) -> Value {
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": email, "password": PASSWORD})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()
}

async fn refresh(app: &TestApp, token: &str) -> Reply {
    app.call(
        Method::POST,
        "/api/v1/auth/refresh",
        None,
        Some(json!({"refresh_token": token})),
    )
    .await
}

#[sqlx::test(migrations = "../migrations")]
async fn idor_on_every_ticket_route(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("ani@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let ani = app.login("ani@example.co.id").await;
    let t = app
        .create(&budi, ticket_costing("Rahasia Budi", 300_000))
        .await;
    let id = s(&t, "id");
    let comment = app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/comments"),
            Some(&budi),
            Some(json!({"body": "catatan"})),
        )
        .await;
    assert_eq!(comment.status, StatusCode::CREATED);
    let before = app.fingerprint(&id).await;
    let comments_before = app.count("ticket_comments").await;

    let attempts: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/api/v1/tickets/{id}"), None),
        (
            Method::PATCH,
            format!("/api/v1/tickets/{id}"),
            Some(json!({"version": 1, "title": "dibajak"})),
        ),
        (Method::GET, format!("/api/v1/tickets/{id}/comments"), None),
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/comments"),
            Some(json!({"body": "halo"})),
        ),
        (Method::GET, format!("/api/v1/tickets/{id}/history"), None),
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/cancel"),
            Some(json!({"version": 1})),
        ),
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/submit"),
            Some(json!({"version": 1})),
        ),
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/confirm"),
            Some(json!({"version": 1})),
        ),
    ];
    for (method, url, body) in attempts {
        let r = app.call(method.clone(), &url, Some(&ani), body).await;
        let p = assert_problem(&r, StatusCode::NOT_FOUND);
        assert!(!r.text().contains("Rahasia"), "{method} {url} leaked: {p}");
    }
    assert_eq!(app.fingerprint(&id).await, before);
    assert_eq!(app.count("ticket_comments").await, comments_before);
    // Lists and pages never contain it either.
    let list = app
        .call(Method::GET, "/api/v1/tickets?limit=100", Some(&ani), None)
        .await
        .json();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    let req = Request::builder()
        .uri("/")
        .header("cookie", format!("gadesk_access={ani}"))
        .body(Body::empty())
        .unwrap();
    assert!(!app.send(req).await.text().contains("Rahasia Budi"));
}

#[sqlx::test(migrations = "../migrations")]
async fn mass_assignment_of_server_owned_fields_is_refused(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    let ani = app.user("ani@example.co.id", Role::Requester).await;
    let token = app.login("budi@example.co.id").await;
    for (field, value) in [
        ("status", json!("approved")),
        ("version", json!(99)),
        ("requester_id", json!(ani.id)),
        ("estimated_total", json!("1.00")),
        ("actual_total", json!("1.00")),
        ("number", json!("GA-2026-999999")),
        ("id", json!(uuid::Uuid::now_v7())),
        ("assignee_id", json!(budi.id)),
        ("awaiting_approver_id", json!(budi.id)),
    ] {
        let mut body = ticket_costing("Kertas", 55_000);
        body[field] = value;
        let r = app
            .call(Method::POST, "/api/v1/tickets", Some(&token), Some(body))
            .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(app.count("tickets").await, 0);

    let t = app.create(&token, ticket_costing("Kertas", 55_000)).await;
    let id = s(&t, "id");
    let before = app.fingerprint(&id).await;
    for (field, value) in [
        ("status", json!("closed")),
        ("requester_id", json!(ani.id)),
        ("estimated_total", json!("1.00")),
        ("category", json!("meeting_room")),
        ("resolution", json!("done")),
    ] {
        let mut body = json!({"version": 1, "title": "Kertas A4"});
        body[field] = value;
        let r = app
            .call(
                Method::PATCH,
                &format!("/api/v1/tickets/{id}"),
                Some(&token),
                Some(body),
            )
            .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(app.fingerprint(&id).await, before);

    // Users: no password hash, email or unknown fields through PATCH.
    app.user("rina@example.co.id", Role::Admin).await;
    let admin = app.login("rina@example.co.id").await;
    for (field, value) in [
        ("password_hash", json!("x")),
        ("email", json!("x@example.co.id")),
        ("id", json!(ani.id)),
    ] {
        let mut body = json!({"version": 1});
        body[field] = value;
        let r = app
            .call(
                Method::PATCH,
                &format!("/api/v1/users/{}", budi.id),
                Some(&admin),
                Some(body),
            )
            .await;
        assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (role, version): (String, i32) =
        sqlx::query_as("select role, version from users where id = $1")
            .bind(budi.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((role.as_str(), version), ("requester", 1));
}

#[sqlx::test(migrations = "../migrations")]
async fn privilege_escalation_is_refused(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    let dewi = app.user("dewi@example.co.id", Role::Approver).await;
    app.user("siti@example.co.id", Role::Agent).await;
    let requester = app.login("budi@example.co.id").await;
    let approver = app.login("dewi@example.co.id").await;
    let agent = app.login("siti@example.co.id").await;

    for token in [&requester, &approver, &agent] {
        assert_problem(
            &app.call(Method::GET, "/api/v1/users", Some(token), None)
                .await,
            StatusCode::FORBIDDEN,
        );
        assert_problem(
            &app.call(
                Method::POST,
                "/api/v1/users",
                Some(token),
                Some(json!({"email": "x@example.co.id", "name": "X", "role": "admin"})),
            )
            .await,
            StatusCode::FORBIDDEN,
        );
        assert_problem(
            &app.call(
                Method::PATCH,
                &format!("/api/v1/users/{}", budi.id),
                Some(token),
                Some(json!({"version": 1, "role": "admin"})),
            )
            .await,
            StatusCode::FORBIDDEN,
        );
        assert_problem(
            &app.call(
                Method::PUT,
                "/api/v1/settings/approval-policy",
                Some(token),
                Some(json!({"thresholds": ["1"]})),
            )
            .await,
            StatusCode::FORBIDDEN,
        );
        assert_problem(
            &app.call(Method::GET, "/api/v1/security-events", Some(token), None)
                .await,
            StatusCode::FORBIDDEN,
        );
    }
    // An approver cannot approve their own request.
    let own = app
        .create(&approver, ticket_costing("Kursi Dewi", 2_000_000))
        .await;
    let id = s(&own, "id");
    let before = app.fingerprint(&id).await;
    assert_problem(
        &app.act(&approver, &id, "approve", 1, json!(null)).await,
        StatusCode::FORBIDDEN,
    );
    assert_eq!(app.fingerprint(&id).await, before);
    let (budi_role, dewi_role): (String, String) = sqlx::query_as(
        "select (select role from users where id = $1), (select role from users where id = $2)",
    )
    .bind(budi.id)
    .bind(dewi.id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(
        (budi_role.as_str(), dewi_role.as_str()),
        ("requester", "approver")
    );
    assert_eq!(app.count("users").await, 3);
}

fn forge(claims: Value, alg: jsonwebtoken::Algorithm, key: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(alg),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(key).unwrap(),
    )
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn forged_and_misused_tokens_are_refused(db: PgPool) {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let app = TestApp::new(db).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    let tokens = login_full(&app, "budi@example.co.id").await;
    let good = s(&tokens, "access_token");
    let now = chrono::Utc::now().timestamp();
    let claims = |iss: &str, aud: &str, exp: i64, typ: &str| {
        json!({"sub": budi.id, "email": "budi@example.co.id", "name": "Budi", "role": "admin",
               "permissions": [], "iat": now, "exp": exp, "iss": iss, "aud": aud,
               "jti": uuid::Uuid::now_v7(), "sid": uuid::Uuid::now_v7(), "typ": typ})
    };
    let app = &app;
    let me = |t: String| async move { app.call(Method::GET, "/api/v1/me", Some(&t), None).await };
    assert_eq!(me(good.clone()).await.status, StatusCode::OK);

    let issuer = "http://127.0.0.1:3000";
    let payload = URL_SAFE_NO_PAD.encode(claims(issuer, "gadesk", now + 600, "access").to_string());
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let cases: Vec<(&str, String)> = vec![
        ("alg none", format!("{none_header}.{payload}.")),
        (
            "HS384 instead of HS256",
            forge(
                claims(issuer, "gadesk", now + 600, "access"),
                jsonwebtoken::Algorithm::HS384,
                SECRET,
            ),
        ),
        (
            "HS512",
            forge(
                claims(issuer, "gadesk", now + 600, "access"),
                jsonwebtoken::Algorithm::HS512,
                SECRET,
            ),
        ),
        (
            "wrong key",
            forge(
                claims(issuer, "gadesk", now + 600, "access"),
                jsonwebtoken::Algorithm::HS256,
                b"another secret that is 32 bytes!!",
            ),
        ),
        (
            "wrong audience",
            forge(
                claims(issuer, "other-app", now + 600, "access"),
                jsonwebtoken::Algorithm::HS256,
                SECRET,
            ),
        ),
        (
            "wrong issuer",
            forge(
                claims("https://evil.example", "gadesk", now + 600, "access"),
                jsonwebtoken::Algorithm::HS256,
                SECRET,
            ),
        ),
        (
            "expired",
            forge(
                claims(issuer, "gadesk", now - 60, "access"),
                jsonwebtoken::Algorithm::HS256,
                SECRET,
            ),
        ),
        (
            "not an access token",
            forge(
                claims(issuer, "gadesk", now + 600, "refresh"),
                jsonwebtoken::Algorithm::HS256,
                SECRET,
            ),
        ),
        ("refresh token as access token", s(&tokens, "refresh_token")),
        ("tampered payload", {
            let parts: Vec<&str> = good.split('.').collect();
            format!("{}.{}.{}", parts[0], payload, parts[2])
        }),
    ];
    for (name, token) in cases {
        let r = me(token).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{name}: {}", r.text());
    }
    // HS/RS confusion: a header claiming RS256 with an HMAC signature.
    let rs_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#);
    let hs = forge(
        claims(issuer, "gadesk", now + 600, "access"),
        jsonwebtoken::Algorithm::HS256,
        SECRET,
    );
    let sig = hs.split('.').nth(2).unwrap();
    assert_eq!(
        me(format!("{rs_header}.{payload}.{sig}")).await.status,
        StatusCode::UNAUTHORIZED
    );
    // A correctly signed token naming a session that never existed still
    // works only as long as it is valid (stateless), but cannot be refreshed.
    let r = refresh(app, "not-a-real-refresh-token").await;
    assert_problem(&r, StatusCode::UNAUTHORIZED);
}

#[sqlx::test(migrations = "../migrations")]
async fn refresh_rotates_and_reuse_revokes_the_family(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let first = login_full(&app, "budi@example.co.id").await;
    let r1 = s(&first, "refresh_token");

    let second = refresh(&app, &r1).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text());
    let second = second.json();
    let r2 = s(&second, "refresh_token");
    assert_ne!(r1, r2, "rotated");
    // A parallel request with the same old token within the grace period
    // gets the very same successor (no false alarm).
    let again = refresh(&app, &r1).await.json();
    assert_eq!(s(&again, "refresh_token"), r2);

    // Later, the old token shows up again: theft. The whole family ends.
    sqlx::query("update refresh_tokens set rotated_at = now() - interval '5 minutes' where rotated_at is not null")
        .execute(&app.db)
        .await
        .unwrap();
    let stolen = refresh(&app, &r1).await;
    let p = assert_problem(&stolen, StatusCode::UNAUTHORIZED);
    assert_eq!(p["code"], "session_ended");
    let legit = refresh(&app, &r2).await;
    assert_problem(&legit, StatusCode::UNAUTHORIZED);
    // The access token of the family stops working too.
    app.state.revocations.reload(&app.db).await.unwrap();
    let me = app
        .call(
            Method::GET,
            "/api/v1/me",
            Some(&s(&second, "access_token")),
            None,
        )
        .await;
    assert_problem(&me, StatusCode::UNAUTHORIZED);
    let (kind,): (String,) =
        sqlx::query_as("select kind from security_events order by id desc limit 1")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(kind, "refresh_reused");
}

#[sqlx::test(migrations = "../migrations")]
async fn browsers_refresh_silently_and_see_when_they_were_signed_out(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let tokens = login_full(&app, "budi@example.co.id").await;
    let refresh_cookie = format!("gadesk_refresh={}", s(&tokens, "refresh_token"));
    // No access cookie (expired), only the refresh cookie: the page loads and
    // new cookies come back.
    let req = Request::builder()
        .uri("/")
        .header("cookie", &refresh_cookie)
        .body(Body::empty())
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::OK);
    let set: Vec<String> = r
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        set.iter()
            .any(|c| c.starts_with("gadesk_access=") && c.contains("HttpOnly")),
        "{set:?}"
    );
    assert!(
        set.iter()
            .any(|c| c.starts_with("gadesk_refresh=") && !c.starts_with("gadesk_refresh=;")),
        "{set:?}"
    );
    // The same cookie much later: the session was stolen; the page says so.
    sqlx::query("update refresh_tokens set rotated_at = now() - interval '5 minutes' where rotated_at is not null")
        .execute(&app.db)
        .await
        .unwrap();
    let req = Request::builder()
        .uri("/tickets/new")
        .header("cookie", &refresh_cookie)
        .body(Body::empty())
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/login?ended=1"));
    let login = app
        .send(
            Request::builder()
                .uri("/login?ended=1")
                .header("accept-language", "en")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(login.text().contains("You were signed out"));
}

#[sqlx::test(migrations = "../migrations")]
async fn logout_password_change_and_deactivation_end_sessions(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    app.user("rina@example.co.id", Role::Admin).await;
    let admin = app.login("rina@example.co.id").await;

    // Logout: the access token and the refresh token stop working.
    let t = login_full(&app, "budi@example.co.id").await;
    let access = s(&t, "access_token");
    let r = app
        .call(Method::POST, "/api/v1/auth/logout", Some(&access), None)
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_problem(
        &app.call(Method::GET, "/api/v1/me", Some(&access), None)
            .await,
        StatusCode::UNAUTHORIZED,
    );
    assert_problem(
        &refresh(&app, &s(&t, "refresh_token")).await,
        StatusCode::UNAUTHORIZED,
    );

    // Password change: other sessions end, the new one works.
    let other = login_full(&app, "budi@example.co.id").await;
    let this = login_full(&app, "budi@example.co.id").await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/me/password",
            Some(&s(&this, "access_token")),
            Some(json!({"current_password": PASSWORD, "new_password": "nasi-goreng-pedas-2026"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let fresh = r.json();
    assert_problem(
        &app.call(
            Method::GET,
            "/api/v1/me",
            Some(&s(&other, "access_token")),
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
    );
    assert_problem(
        &refresh(&app, &s(&other, "refresh_token")).await,
        StatusCode::UNAUTHORIZED,
    );
    assert_eq!(
        app.call(
            Method::GET,
            "/api/v1/me",
            Some(&s(&fresh, "access_token")),
            None
        )
        .await
        .status,
        StatusCode::OK
    );
    let old_password = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "budi@example.co.id", "password": PASSWORD})),
        )
        .await;
    assert_problem(&old_password, StatusCode::UNAUTHORIZED);

    // Deactivation by an admin: everything of that user stops.
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", budi.id),
            Some(&admin),
            Some(json!({"version": 2, "active": false})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_problem(
        &app.call(
            Method::GET,
            "/api/v1/me",
            Some(&s(&fresh, "access_token")),
            None,
        )
        .await,
        StatusCode::UNAUTHORIZED,
    );
    assert_problem(
        &refresh(&app, &s(&fresh, "refresh_token")).await,
        StatusCode::UNAUTHORIZED,
    );
    let kinds: Vec<(String,)> =
        sqlx::query_as("select kind from security_events where user_id = $1 order by id")
            .bind(budi.id)
            .fetch_all(&app.db)
            .await
            .unwrap();
    let kinds: Vec<&str> = kinds.iter().map(|k| k.0.as_str()).collect();
    for k in [
        "login_succeeded",
        "logout",
        "password_changed",
        "user_deactivated",
    ] {
        assert!(kinds.contains(&k), "{k} missing from {kinds:?}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn temporary_passwords_must_be_changed_first(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    app.user("rina@example.co.id", Role::Admin).await;
    let admin = app.login("rina@example.co.id").await;
    let old = app.login("budi@example.co.id").await;
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/users/{}/reset-password", budi.id),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let temporary = s(&r.json(), "temporary_password");
    assert_problem(
        &app.call(Method::GET, "/api/v1/me", Some(&old), None).await,
        StatusCode::UNAUTHORIZED,
    );
    let t = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "budi@example.co.id", "password": temporary})),
        )
        .await
        .json();
    assert_eq!(t["must_change_password"], true);
    let access = s(&t, "access_token");
    assert_problem(
        &app.call(Method::GET, "/api/v1/tickets", Some(&access), None)
            .await,
        StatusCode::FORBIDDEN,
    );
    let page = app
        .send(
            Request::builder()
                .uri("/")
                .header("cookie", format!("gadesk_access={access}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(
        page.header("location"),
        Some("/account/password?required=1")
    );
    let r = app
        .call(
            Method::POST,
            "/api/v1/me/password",
            Some(&access),
            Some(json!({"current_password": temporary, "new_password": "soto-betawi-enak-99"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let access = s(&r.json(), "access_token");
    assert_eq!(
        app.call(Method::GET, "/api/v1/tickets", Some(&access), None)
            .await
            .status,
        StatusCode::OK
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn injection_attempts_in_query_parameters_are_plain_bad_requests(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let token = app.login("budi@example.co.id").await;
    app.create(&token, ticket_costing("Kertas", 55_000)).await;
    for q in [
        "cursor='%20or%201=1--",
        "cursor=x.y'%3B%20drop%20table%20tickets%3B--",
        "limit=1%3B%20drop%20table%20tickets",
        "limit=100000000000000000000",
        "sort=created_at%3B%20drop%20table%20users",
        "status=pending'%20or%20'1'='1",
    ] {
        let r = app
            .call(
                Method::GET,
                &format!("/api/v1/tickets?{q}"),
                Some(&token),
                None,
            )
            .await;
        assert_problem(&r, StatusCode::BAD_REQUEST);
    }
    let r = app
        .call(
            Method::GET,
            "/api/v1/tickets/1%20or%201=1",
            Some(&token),
            None,
        )
        .await;
    assert_problem(&r, StatusCode::BAD_REQUEST);
    assert_eq!(app.count("tickets").await, 1);
    assert_eq!(app.count("users").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn cross_site_writes_are_refused(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let token = app.login("budi@example.co.id").await;
    let post = |origin: Option<&str>, fetch_site: Option<&str>| {
        let mut r = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/tickets")
            .header("host", "127.0.0.1:3000")
            .header("cookie", format!("gadesk_access={token}"))
            .header("content-type", "application/json");
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        if let Some(f) = fetch_site {
            r = r.header("sec-fetch-site", f);
        }
        r.body(Body::from(ticket_costing("Kertas", 55_000).to_string()))
            .unwrap()
    };
    assert_problem(
        &app.send(post(Some("https://evil.example"), None)).await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &app.send(post(Some("null"), None)).await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &app.send(post(None, Some("cross-site"))).await,
        StatusCode::FORBIDDEN,
    );
    // Server functions (the UI's own calls) are protected the same way.
    let rpc = Request::builder()
        .method(Method::POST)
        .uri("/rpc/logout")
        .header("origin", "https://evil.example")
        .header("cookie", format!("gadesk_access={token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(rpc).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("tickets").await, 0);
    assert_eq!(
        app.send(post(Some("http://127.0.0.1:3000"), Some("same-origin")))
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(app.count("tickets").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn responses_carry_security_headers(db: PgPool) {
    let app = TestApp::new(db).await;
    let r = app
        .send(
            Request::builder()
                .uri("/login")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let csp = r.header("content-security-policy").unwrap().to_string();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self' 'nonce-"),
        "{csp}"
    );
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .unwrap()
        .split('\'')
        .next()
        .unwrap();
    assert!(
        r.text().contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(r.header("referrer-policy"), Some("same-origin"));
    assert!(
        r.header("strict-transport-security").is_none(),
        "no HSTS on plain http"
    );
    let api = app.call(Method::GET, "/api/v1/me", None, None).await;
    assert!(api.header("content-security-policy").is_some());
    // CORS is off: no allow-origin for a foreign origin.
    let req = Request::builder()
        .uri("/api/v1/me")
        .header("origin", "https://evil.example")
        .body(Body::empty())
        .unwrap();
    assert!(app
        .send(req)
        .await
        .header("access-control-allow-origin")
        .is_none());
}

async fn login_from(
    app: &TestApp,
    peer: SocketAddr,
    forwarded: Option<&str>,
    email: &str,
) -> Reply {
    let mut req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header("content-type", "application/json");
    if let Some(f) = forwarded {
        req = req.header("x-forwarded-for", f);
    }
    let mut req = req
        .body(Body::from(
            json!({"email": email, "password": "wrong-password-1"}).to_string(),
        ))
        .unwrap();
    // What axum's `into_make_service_with_connect_info` puts on every request.
    req.extensions_mut().insert(ConnectInfo(peer));
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = http_body_util::BodyExt::collect(res.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn rate_limits_ignore_spoofed_forwarded_addresses(db: PgPool) {
    let mut app = TestApp::new(db).await;
    app.state.limits.logins_per_ip_per_minute = 5;
    app.router = server::build_router(app.state.clone(), server::RouterOptions::default());
    let peer: SocketAddr = "203.0.113.5:40000".parse().unwrap();
    for i in 0..5 {
        let r = login_from(&app, peer, None, &format!("nobody{i}@example.co.id")).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = login_from(&app, peer, None, "nobody9@example.co.id").await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    // Pretending to be someone else through X-Forwarded-For changes nothing.
    let r = login_from(&app, peer, Some("198.51.100.77"), "nobody10@example.co.id").await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS);
    // A different real address is not affected.
    let other: SocketAddr = "203.0.113.6:40000".parse().unwrap();
    assert_eq!(
        login_from(&app, other, None, "nobody11@example.co.id")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    let (failed,): (i64,) =
        sqlx::query_as("select count(*) from security_events where kind = 'login_failed'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        failed, 6,
        "refused attempts never reached the password check"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn accounts_lock_after_repeated_failures(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    for _ in 0..5 {
        let r = app
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(json!({"email": "budi@example.co.id", "password": "tebak-tebak-123"})),
            )
            .await;
        assert_problem(&r, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused while locked.
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/login",
            None,
            Some(json!({"email": "Budi@example.co.id", "password": PASSWORD})),
        )
        .await;
    assert_problem(&r, StatusCode::TOO_MANY_REQUESTS);
    assert!(r.header("set-cookie").is_none());
    let (locks,): (i64,) =
        sqlx::query_as("select count(*) from security_events where kind = 'login_locked'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(locks, 1);
    let (sessions,): (i64,) = sqlx::query_as("select count(*) from sessions")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_manage_users_and_read_the_security_log(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("rina@example.co.id", Role::Admin).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    let admin = app.login("rina@example.co.id").await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": "Joko.Wibowo@example.co.id", "name": "Joko Wibowo", "department": "Operasional",
                        "role": "requester", "temporary_password": "sementara-123-abc"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let joko = r.json();
    assert_eq!(
        (
            joko["email"].as_str(),
            joko["must_change_password"].as_bool()
        ),
        (Some("joko.wibowo@example.co.id"), Some(true))
    );
    let dup = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": "joko.wibowo@example.co.id", "name": "Lagi"})),
        )
        .await;
    assert_problem(&dup, StatusCode::UNPROCESSABLE_ENTITY);
    let weak = app
        .call(
            Method::POST,
            "/api/v1/users",
            Some(&admin),
            Some(json!({"email": "x@example.co.id", "name": "X", "temporary_password": "123"})),
        )
        .await;
    assert_problem(&weak, StatusCode::UNPROCESSABLE_ENTITY);
    // Role change is logged with before and after.
    let id = s(&joko, "id");
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{id}"),
            Some(&admin),
            Some(json!({"version": 1, "role": "approver"})),
        )
        .await;
    assert_eq!(r.json()["role"], "approver");
    // Admins cannot lock themselves out.
    let me = app
        .call(Method::GET, "/api/v1/me", Some(&admin), None)
        .await
        .json();
    let r = app
        .call(
            Method::PATCH,
            &format!("/api/v1/users/{}", s(&me, "id")),
            Some(&admin),
            Some(json!({"version": 1, "active": false})),
        )
        .await;
    assert_problem(&r, StatusCode::UNPROCESSABLE_ENTITY);
    let log = app
        .call(Method::GET, "/api/v1/security-events", Some(&admin), None)
        .await
        .json();
    let kinds: Vec<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"role_changed")
            && kinds.contains(&"user_created")
            && kinds.contains(&"login_succeeded"),
        "{kinds:?}"
    );
    let role_change = log
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "role_changed")
        .unwrap();
    assert_eq!(
        role_change["detail"],
        serde_json::json!({"code": "role_changed", "params": {"from": "requester", "to": "approver"}})
    );
    assert_eq!(role_change["actor_email"], "rina@example.co.id");
}

#[sqlx::test(migrations = "../migrations")]
async fn cors_answers_only_allowed_origins(db: PgPool) {
    let mut app = TestApp::new(db).await;
    app.router = server::build_router(
        app.state.clone(),
        server::RouterOptions {
            network: server::config::Network {
                cors_origins: vec!["https://hr.example.co.id".into()],
                ..server::config::Network::default()
            },
            ..server::RouterOptions::default()
        },
    );
    let preflight = |origin: &str| {
        Request::builder()
            .method(Method::OPTIONS)
            .uri("/api/v1/tickets")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .body(Body::empty())
            .unwrap()
    };
    let ok = app.send(preflight("https://hr.example.co.id")).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(
        ok.header("access-control-allow-origin"),
        Some("https://hr.example.co.id")
    );
    let evil = app.send(preflight("https://evil.example")).await;
    assert!(evil.header("access-control-allow-origin").is_none());
}
