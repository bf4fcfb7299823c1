//! What GA Desk says is a value: REST problems carry a stable `code` and
//! `params`, and the words come from one bilingual table in the language
//! the caller asks for, for refusals, field errors, conflicts and stored
//! notifications alike.

use crate::common::{assert_code, field_code, ticket_costing, TestApp};
use app::domain::Role;
use http::{Method, StatusCode};
use serde_json::json;
use sqlx::PgPool;

const EN: &str = "en-US,en;q=0.9";
const ID: &str = "id-ID,id;q=0.9";

#[sqlx::test(migrations = "../migrations")]
async fn approving_your_own_request_is_refused_with_its_own_code(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("dewi@example.co.id", Role::Approver).await;
    let dewi = app.login("dewi@example.co.id").await;
    let ticket = app
        .create(
            &dewi,
            ticket_costing("Proyektor untuk ruang rapat", 4_500_000),
        )
        .await;
    assert_eq!(ticket["status"], "waiting_approval");
    let id = ticket["id"].as_str().unwrap();
    let uri = format!("/api/v1/tickets/{id}/approve");
    for (lang, words) in [
        (EN, "Nobody can approve or reject their own request."),
        (
            ID,
            "Tidak seorang pun dapat menyetujui atau menolak permintaannya sendiri.",
        ),
    ] {
        let r = app
            .call_in(
                lang,
                Method::POST,
                &uri,
                Some(&dewi),
                Some(json!({"version": 1})),
            )
            .await;
        let p = assert_code(&r, StatusCode::FORBIDDEN, "own_request");
        assert_eq!(p["type"], "/problems/forbidden");
        assert_eq!(p["detail"], words);
    }
    // Nothing changed.
    let (status, version): (String, i32) =
        sqlx::query_as("select status, version from tickets where id = $1::uuid")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        (status.as_str(), version),
        ("waiting_approval", 1),
        "nothing changed"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn field_errors_carry_codes_and_read_in_the_callers_language(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let budi = app.login("budi@example.co.id").await;
    let mut bad = ticket_costing("x", 10_000);
    bad["title"] = json!("  ");
    bad["items"][0]["quantity"] = json!(0);
    let before = app.count("tickets").await;
    for (lang, required, words) in [
        (
            EN,
            "This field is required.",
            "Please correct the highlighted fields.",
        ),
        (ID, "Wajib diisi.", "Mohon perbaiki isian yang ditandai."),
    ] {
        let r = app
            .call_in(
                lang,
                Method::POST,
                "/api/v1/tickets",
                Some(&budi),
                Some(bad.clone()),
            )
            .await;
        let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
        assert_eq!(p["detail"], words);
        assert_eq!(field_code(&p, "title"), "required");
        assert_eq!(p["errors"]["title"]["message"], required);
        assert_eq!(field_code(&p, "items[0].quantity"), "whole_number");
        assert_eq!(p["errors"]["items[0].quantity"]["params"]["min"], 1);
    }
    assert_eq!(app.count("tickets").await, before, "nothing was saved");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stale_asset_action_answers_with_the_asset_as_it_is_now(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("siti@example.co.id", Role::Agent).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    let siti = app.login("siti@example.co.id").await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/assets",
            Some(&siti),
            Some(
                json!({"name": "Laptop Lenovo ThinkPad E14", "category": "laptop",
                        "location": "Kantor Pusat Jakarta, Gudang GA"}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let asset = r.json();
    let id = asset["id"].as_str().unwrap();
    let out = app
        .call(
            Method::POST,
            &format!("/api/v1/assets/{id}/checkout"),
            Some(&siti),
            Some(json!({"version": 1, "holder_id": budi.id})),
        )
        .await;
    assert_eq!(out.status, StatusCode::OK, "{}", out.text());
    // A second agent still looking at version 1 tries to move it.
    let stale = app
        .call_in(
            ID,
            Method::POST,
            &format!("/api/v1/assets/{id}/move"),
            Some(&siti),
            Some(json!({"version": 1, "location": "Lantai 3"})),
        )
        .await;
    let p = assert_code(&stale, StatusCode::CONFLICT, "asset_changed");
    assert_eq!(p["current_version"], 2);
    assert_eq!(p["current"]["id"], id);
    assert_eq!(p["current"]["status"], "checked_out");
    assert_eq!(p["current"]["holder"]["id"], budi.id.to_string());
    assert_eq!(p["params"]["tag"], "AST-000001");
    assert_eq!(p["params"]["status"], "checked_out");
    assert_eq!(
        p["detail"],
        "Aset AST-000001 telah diubah orang lain (kini versi 2, dipinjam). Muat ulang lalu coba lagi."
    );
    let (location,): (String,) = sqlx::query_as("select location from assets where id = $1::uuid")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(location, "Kantor Pusat Jakarta, Gudang GA", "nothing moved");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stock_shortage_names_what_is_missing_in_both_languages(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("siti@example.co.id", Role::Agent).await;
    let siti = app.login("siti@example.co.id").await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/stock",
            Some(&siti),
            Some(
                json!({"sku": "ATK-KRT-A4", "name": "Kertas A4 80gsm", "unit": "rim",
                        "unit_price": "55000", "on_hand": 4}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let item = r.json();
    let uri = format!("/api/v1/stock/{}/movements", item["id"].as_str().unwrap());
    for (lang, words) in [
        (
            EN,
            "Only 4 rim of Kertas A4 80gsm on hand; cannot take out 10.",
        ),
        (
            ID,
            "Stok Kertas A4 80gsm hanya 4 rim; tidak dapat mengeluarkan 10.",
        ),
    ] {
        let r = app
            .call_in(
                lang,
                Method::POST,
                &uri,
                Some(&siti),
                Some(json!({"kind": "issue", "quantity": 10})),
            )
            .await;
        let p = assert_code(&r, StatusCode::CONFLICT, "not_enough_on_hand");
        assert_eq!(p["detail"], words);
        assert_eq!(p["params"]["on_hand"], 4);
        assert_eq!(p["current"]["on_hand"], 4);
    }
    let (on_hand,): (i32,) =
        sqlx::query_as("select on_hand from stock_items where sku = 'ATK-KRT-A4'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(on_hand, 4);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_notification_reads_in_the_language_of_whoever_reads_it_now(db: PgPool) {
    let app = TestApp::new(db).await;
    let budi = app.user("budi@example.co.id", Role::Requester).await;
    let dewi = app.user("dewi@example.co.id", Role::Approver).await;
    app.set_manager(&budi, &dewi).await;
    let budi_token = app.login("budi@example.co.id").await;
    let dewi_token = app.login("dewi@example.co.id").await;
    // Made while everyone reads English…
    let ticket = app
        .create(&budi_token, ticket_costing("Kursi ergonomis", 2_500_000))
        .await;
    let number = ticket["number"].as_str().unwrap();
    let english = app
        .call_in(
            EN,
            Method::GET,
            "/api/v1/notifications",
            Some(&dewi_token),
            None,
        )
        .await;
    assert_eq!(english.status, StatusCode::OK, "{}", english.text());
    let inbox = english.json();
    assert_eq!(inbox["unread"], 1);
    let n = &inbox["items"][0];
    assert_eq!(n["code"], "awaiting_approval");
    assert_eq!(n["params"]["number"], number);
    assert_eq!(
        n["message"],
        format!("{number} is waiting for your approval")
    );
    // …and read after switching to Indonesian: the same row, in Indonesian.
    let indonesian = app
        .call_in(
            ID,
            Method::GET,
            "/api/v1/notifications",
            Some(&dewi_token),
            None,
        )
        .await
        .json();
    assert_eq!(
        indonesian["items"][0]["message"],
        format!("{number} menunggu persetujuan Anda")
    );
    let (stored,): (serde_json::Value,) =
        sqlx::query_as("select event from notifications where user_id = $1")
            .bind(dewi.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        stored,
        json!({"code": "awaiting_approval", "params": {"number": number}}),
        "stored as a value, not a sentence"
    );
    let read = app
        .call(
            Method::POST,
            "/api/v1/notifications/read",
            Some(&dewi_token),
            None,
        )
        .await;
    assert_eq!(read.status, StatusCode::NO_CONTENT);
}
