#![allow(dead_code)]

use app::domain::ticket::{Category, NewItem, NewTicket, Priority};
use app::domain::{Actor, Money, Role};
use app::services::passwords::Passwords;
use app::services::users::{upsert_user, NewUser};
use app::state::AppState;
use axum::body::Body;
use axum::Router;
use http::{header, HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use serde_json::Value;
use sqlx::PgPool;
use std::sync::OnceLock;
use tower::ServiceExt;

pub const PASSWORD: &str = "kopi-susu-gula-aren";
pub const SECRET: &[u8] = b"an http test secret of 32+ bytes!!";

pub fn state(db: PgPool) -> AppState {
    let options = LeptosOptions::builder()
        .output_name("gadesk")
        .site_root("target/site")
        .site_pkg_dir("pkg")
        .build();
    AppState::new(options, db, SECRET, "http://127.0.0.1:3000", 2).unwrap()
}

pub struct TestApp {
    pub router: Router,
    pub db: PgPool,
    pub state: AppState,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl TestApp {
    pub async fn new(db: PgPool) -> Self {
        let state = state(db.clone());
        Self {
            router: server::build_router(state.clone(), server::RouterOptions::default()),
            db,
            state,
        }
    }

    pub async fn user(&self, email: &str, role: Role) -> Actor {
        upsert_user(&self.db, &self.state.passwords, &new_user(email, role))
            .await
            .unwrap()
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn call(
        &self,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(uri);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    /// Like [`TestApp::call`], asking for answers in a language
    /// (`Accept-Language`).
    pub async fn call_in(
        &self,
        accept_language: &str,
        method: Method,
        uri: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::ACCEPT_LANGUAGE, accept_language);
        if let Some(t) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let req = match body {
            Some(b) => req
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(b.to_string()))
                .unwrap(),
            None => req.body(Body::empty()).unwrap(),
        };
        self.send(req).await
    }

    pub async fn raw(
        &self,
        method: Method,
        uri: &str,
        token: &str,
        content_type: &str,
        body: impl Into<Body>,
    ) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(body.into())
            .unwrap();
        self.send(req).await
    }

    /// Signs in through the API and returns the access token.
    pub async fn login(&self, email: &str) -> String {
        let r = self
            .call(
                Method::POST,
                "/api/v1/auth/login",
                None,
                Some(serde_json::json!({"email": email, "password": PASSWORD})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()["access_token"].as_str().unwrap().to_string()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let sql = format!("select count(*) from {table}");
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(&self.db)
            .await
            .unwrap();
        n
    }
}

pub fn new_ticket(title: &str) -> Value {
    serde_json::json!({
        "title": title,
        "description": "Persediaan habis",
        "category": "office_supplies",
        "priority": "medium",
        "location": "Kantor Pusat Jakarta, Lantai 7",
        "items": [
            {"name": "Kertas A4 80gsm", "quantity": 10, "unit": "rim", "unit_price": "55000.00"},
            {"name": "Pulpen gel hitam", "quantity": 2, "unit": "box", "unit_price": "35000"}
        ]
    })
}

pub fn assert_problem(r: &Reply, status: StatusCode) -> Value {
    assert_eq!(r.status, status, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/problem+json"),
        "{}",
        r.text()
    );
    let p = r.json();
    assert_eq!(p["status"], status.as_u16());
    assert!(p["title"].is_string() && p["detail"].is_string() && p["type"].is_string());
    assert!(p["code"].is_string(), "a problem names its code: {p}");
    let id = p["request_id"]
        .as_str()
        .expect("problem carries the request id");
    assert_eq!(Some(id), r.header("x-request-id"));
    p
}

/// A problem with this status and code; returns it for further checks.
pub fn assert_code(r: &Reply, status: StatusCode, code: &str) -> Value {
    let p = assert_problem(r, status);
    assert_eq!(p["code"], code, "{p}");
    p
}

/// The code of one field's error in a validation problem.
pub fn field_code(p: &Value, field: &str) -> String {
    p["errors"][field]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error for {field}: {p}"))
        .to_string()
}

impl TestApp {
    /// Makes `manager` the manager of `user` (test fixture, straight SQL).
    pub async fn set_manager(&self, user: &Actor, manager: &Actor) {
        sqlx::query("update users set manager_id = $2 where id = $1")
            .bind(user.id)
            .bind(manager.id)
            .execute(&self.db)
            .await
            .unwrap();
    }

    pub async fn create(&self, token: &str, body: Value) -> Value {
        let r = self
            .call(Method::POST, "/api/v1/tickets", Some(token), Some(body))
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()
    }

    /// `POST /tickets/{id}/{action}` with the version in the body.
    pub async fn act(
        &self,
        token: &str,
        id: &str,
        action: &str,
        version: i64,
        extra: Value,
    ) -> Reply {
        let mut body = extra;
        if body.is_null() {
            body = serde_json::json!({});
        }
        body["version"] = serde_json::json!(version);
        self.call(
            Method::POST,
            &format!("/api/v1/tickets/{id}/{action}"),
            Some(token),
            Some(body),
        )
        .await
    }

    pub async fn get(&self, token: &str, id: &str) -> Value {
        let r = self
            .call(
                Method::GET,
                &format!("/api/v1/tickets/{id}"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        r.json()
    }

    /// Status, version and number of history rows: what must not change
    /// when a request is refused.
    pub async fn fingerprint(&self, id: &str) -> (String, i32, i64, i64) {
        let id: uuid::Uuid = id.parse().unwrap();
        let (status, version): (String, i32) =
            sqlx::query_as("select status, version from tickets where id = $1")
                .bind(id)
                .fetch_one(&self.db)
                .await
                .unwrap();
        let (history,): (i64,) =
            sqlx::query_as("select count(*) from ticket_history where ticket_id = $1")
                .bind(id)
                .fetch_one(&self.db)
                .await
                .unwrap();
        let (approvals,): (i64,) =
            sqlx::query_as("select count(*) from ticket_approvals where ticket_id = $1")
                .bind(id)
                .fetch_one(&self.db)
                .await
                .unwrap();
        (status, version, history, approvals)
    }
}

/// A ticket of one item costing `price` rupiah.
pub fn ticket_costing(title: &str, price: u64) -> Value {
    serde_json::json!({
        "title": title,
        "category": "office_furniture",
        "priority": "medium",
        "location": "Kantor Pusat Jakarta, Lantai 7",
        "items": [{"name": "Barang", "quantity": 1, "unit": "pcs", "unit_price": price.to_string()}]
    })
}

// ---- builders for the service tests (no router) ----------------------

/// A person with [`PASSWORD`], named after their email.
pub fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().replace('.', " "),
        department: "Pemasaran".into(),
        role,
        password: Some(PASSWORD.into()),
        manager_id: None,
    }
}

pub fn passwords() -> Passwords {
    static P: OnceLock<Passwords> = OnceLock::new();
    P.get_or_init(|| Passwords::new(2)).clone()
}

pub async fn user(db: &PgPool, email: &str, role: Role) -> Actor {
    upsert_user(db, &passwords(), &new_user(email, role))
        .await
        .expect("user created")
}

pub fn rp(n: u64) -> Money {
    Money::from_rupiah(n).unwrap()
}

pub fn ticket(title: &str, items: &[(&str, u32, u64)]) -> NewTicket {
    NewTicket {
        title: title.into(),
        description: "Mohon segera".into(),
        category: Category::OfficeSupplies,
        priority: Priority::Medium,
        location: "Kantor Pusat Jakarta, Lantai 7".into(),
        items: items
            .iter()
            .map(|(name, q, price)| NewItem {
                name: (*name).into(),
                quantity: *q,
                unit: "pcs".into(),
                unit_price: rp(*price),
                stock_item_id: None,
            })
            .collect(),
    }
}

pub async fn count(db: &PgPool, table: &str) -> i64 {
    let sql = format!("select count(*) from {table}");
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_one(db)
        .await
        .unwrap();
    n
}
