//! Server-rendered pages and health endpoints through the real router.

mod common;

use app::domain::Role;
use axum::body::Body;
use common::{new_ticket, TestApp};
use http::{Method, Request, StatusCode};
use sqlx::PgPool;

fn page(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::builder().uri(uri).header("accept", "text/html");
    if let Some(t) = token {
        r = r.header("cookie", format!("gadesk_access={t}"));
    }
    r.body(Body::empty()).unwrap()
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
