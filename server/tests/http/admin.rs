//! Managers and the approval policy, through the real router.

use crate::common::{assert_problem, ticket_costing, TestApp};
use app::domain::Role;
use http::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn admins_set_managers_with_optimistic_locking(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    let dewi = app.user("dewi@example.co.id", Role::Approver).await;
    let ani = app.user("ani@example.co.id", Role::Requester).await;
    app.user("rina@example.co.id", Role::Admin).await;
    let admin = app.login("rina@example.co.id").await;
    let requester = app.login("budi@example.co.id").await;
    let url = format!("/api/v1/users/{}", budi.id);

    assert_problem(
        &app.call(Method::GET, "/api/v1/users", Some(&requester), None)
            .await,
        StatusCode::FORBIDDEN,
    );
    assert_problem(
        &app.call(
            Method::PATCH,
            &url,
            Some(&requester),
            Some(json!({"version": 1, "manager_id": dewi.id})),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    // Only approvers can manage; nobody manages themselves.
    assert_problem(
        &app.call(
            Method::PATCH,
            &url,
            Some(&admin),
            Some(json!({"version": 1, "manager_id": ani.id})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_problem(
        &app.call(
            Method::PATCH,
            &url,
            Some(&admin),
            Some(json!({"version": 1, "manager_id": budi.id})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    assert_problem(
        &app.call(
            Method::PATCH,
            &url,
            Some(&admin),
            Some(json!({"version": 1, "manager_id": dewi.id, "password_hash": "x"})),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    );
    let r = app
        .call(
            Method::PATCH,
            &url,
            Some(&admin),
            Some(json!({"version": 1, "manager_id": dewi.id})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["version"], 2);
    assert_eq!(r.json()["role"], "requester");
    // A stale version is a conflict.
    assert_problem(
        &app.call(
            Method::PATCH,
            &url,
            Some(&admin),
            Some(json!({"version": 1, "manager_id": null})),
        )
        .await,
        StatusCode::CONFLICT,
    );
    // Routing uses the new manager.
    let t = app
        .create(&requester, ticket_costing("Kulkas pantry", 3_000_000))
        .await;
    assert_eq!(t["awaiting_approver"]["email"], "dewi@example.co.id");
}

#[sqlx::test(migrations = "../migrations")]
async fn admins_change_the_approval_policy(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    app.user("rina@example.co.id", Role::Admin).await;
    let admin = app.login("rina@example.co.id").await;
    let requester = app.login("budi@example.co.id").await;
    let url = "/api/v1/settings/approval-policy";
    let p = app
        .call(Method::GET, url, Some(&requester), None)
        .await
        .json();
    assert_eq!(p["thresholds"], json!(["1000000.00", "10000000.00"]));
    assert_problem(
        &app.call(
            Method::PUT,
            url,
            Some(&requester),
            Some(json!({"thresholds": ["5"]})),
        )
        .await,
        StatusCode::FORBIDDEN,
    );
    for bad in [
        json!([]),
        json!(["5000000", "1000000"]),
        json!(["0"]),
        json!(["-1"]),
    ] {
        let r = app
            .call(
                Method::PUT,
                url,
                Some(&admin),
                Some(json!({"thresholds": bad})),
            )
            .await;
        assert!(r.status.is_client_error(), "{bad}: {}", r.status);
    }
    assert_eq!(
        app.call(Method::GET, url, Some(&admin), None).await.json()["thresholds"],
        json!(["1000000.00", "10000000.00"])
    );
    let r = app
        .call(
            Method::PUT,
            url,
            Some(&admin),
            Some(json!({"thresholds": ["500000", "5000000", "50000000"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let t = app
        .create(&requester, ticket_costing("Meja", 600_000))
        .await;
    assert_eq!(
        (t["status"].as_str(), t["required_levels"].as_i64()),
        (Some("waiting_approval"), Some(1))
    );
    let t = app
        .create(&requester, ticket_costing("Mobil", 60_000_000))
        .await;
    assert_eq!(t["required_levels"], 3);
}
