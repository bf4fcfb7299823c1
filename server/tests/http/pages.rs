//! Server-rendered pages and health endpoints through the real router.

use crate::common::{new_ticket, TestApp};
use app::domain::Role;
use axum::body::Body;
use http::{Method, Request, StatusCode};
use sqlx::PgPool;

/// A browser asking in English (the pages speak Indonesian by default).
fn page(uri: &str, token: Option<&str>) -> Request<Body> {
    page_in(uri, token, Some("en-US,en;q=0.9"), None)
}

fn page_in(
    uri: &str,
    token: Option<&str>,
    accept_language: Option<&str>,
    lang_cookie: Option<&str>,
) -> Request<Body> {
    let mut r = Request::builder().uri(uri).header("accept", "text/html");
    let mut cookies = Vec::new();
    if let Some(t) = token {
        cookies.push(format!("gadesk_access={t}"));
    }
    if let Some(l) = lang_cookie {
        cookies.push(format!("gadesk_lang={l}"));
    }
    if !cookies.is_empty() {
        r = r.header("cookie", cookies.join("; "));
    }
    if let Some(a) = accept_language {
        r = r.header("accept-language", a);
    }
    r.body(Body::empty()).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_speak_the_language_asked_for(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;

    let plain = app.send(page_in("/", Some(&budi), None, None)).await.text();
    assert!(
        plain.contains(r#"<html lang="id""#),
        "Indonesian without a preference"
    );
    assert!(plain.contains("Permintaan saya"));
    assert!(!plain.contains(">My requests<"));

    let english = app
        .send(page_in("/", Some(&budi), Some("en-GB,id;q=0.5"), None))
        .await
        .text();
    assert!(english.contains(r#"<html lang="en""#));
    assert!(english.contains("My requests"));

    // The switcher's cookie wins over the browser.
    let chosen = app
        .send(page_in("/login", None, Some("en-US"), Some("id")))
        .await
        .text();
    assert!(chosen.contains(r#"<html lang="id""#));
    assert!(chosen.contains("Masuk"));
    assert!(chosen.contains(r#"data-tz="Asia/Jakarta""#));
}

fn set_cookies(r: &crate::common::Reply) -> Vec<String> {
    r.headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(String::from))
        .collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn preferences_are_kept_in_cookies_and_checked(db: PgPool) {
    let app = TestApp::new(db).await;
    let form = |body: &str| {
        Request::builder()
            .method(Method::POST)
            .uri("/prefs")
            .header("content-type", "application/x-www-form-urlencoded")
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let r = app
        .send(form(
            "lang=en&tz=Asia%2FMakassar&back=%2Ftickets%2Fnew%3Ffrom%3D1",
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/tickets/new?from=1"));
    let cookies = set_cookies(&r);
    assert!(
        cookies.iter().any(|c| c.starts_with("gadesk_lang=en;")),
        "{cookies:?}"
    );
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("gadesk_tz=Asia/Makassar;")),
        "{cookies:?}"
    );
    for body in [
        "lang=fr&back=%2F",
        "tz=Europe%2FParis",
        "back=%2F",
        "lang=en&tz=UTC",
    ] {
        let r = app.send(form(body)).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(set_cookies(&r).is_empty(), "{body} sets nothing");
    }
    for back in [
        "%2F%2Fevil.example%2F",
        "https%3A%2F%2Fevil.example%2F",
        "%2F%5Cevil",
    ] {
        let r = app.send(form(&format!("lang=id&back={back}"))).await;
        assert_eq!(r.header("location"), Some("/"), "{back} is not followed");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_redirect_anonymous_users_to_sign_in(db: PgPool) {
    let app = TestApp::new(db).await;
    let r = app.send(page("/", None)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.header("location"), Some("/login"));
    let r = app.send(page("/tickets/new?copy=1", None)).await;
    assert_eq!(
        r.header("location"),
        Some("/login?next=/tickets/new%3Fcopy%3D1")
    );
    let r = app.send(page("/login", None)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.text().contains("Sign in to GA Desk"));
    assert!(r.header("x-request-id").is_some());
}

#[sqlx::test(migrations = "../migrations")]
async fn my_requests_and_ticket_pages_render_on_the_server(db: PgPool) {
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
            Some(new_ticket("Kertas <b>tebal</b>")),
        )
        .await
        .json();

    let home = app.send(page("/", Some(&budi))).await;
    assert_eq!(home.status, StatusCode::OK);
    let html = home.text();
    assert!(html.contains("My requests"));
    assert!(html.contains(t["number"].as_str().unwrap()));
    assert!(html.contains("Rp 620.000"));
    assert!(
        html.contains("Kertas &lt;b&gt;tebal&lt;/b&gt;"),
        "titles are escaped"
    );
    assert!(!html.contains("<b>tebal</b>"));

    let uri = format!("/tickets/{}", t["id"].as_str().unwrap());
    let own = app.send(page(&uri, Some(&budi))).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.text().contains("Pulpen gel hitam"));
    assert!(own.text().contains("Rp 70.000"));

    let other = app.send(page(&uri, Some(&ani))).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(!other.text().contains("Pulpen gel hitam"));

    let signed_in_login = app.send(page("/login", Some(&budi))).await;
    assert_eq!(signed_in_login.status, StatusCode::SEE_OTHER);
}

#[sqlx::test(migrations = "../migrations")]
async fn health_endpoints_answer(db: PgPool) {
    let app = TestApp::new(db).await;
    let r = app.call(Method::GET, "/healthz", None, None).await;
    assert_eq!((r.status, r.text().as_str()), (StatusCode::OK, "ok"));
    let r = app.call(Method::GET, "/readyz", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
}
