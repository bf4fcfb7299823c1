//! Bookings through the real router and PostgreSQL: racing requests for
//! one room, recurring series, a driver in two cars, no-shows released by
//! several instances at once, approval, privacy, the calendar feed and a
//! car's odometer in its asset history.

use crate::common::{assert_code, field_code, TestApp};
use app::domain::site::HEAD_OFFICE;
use app::domain::Role;
use chrono::{DateTime, Duration, DurationRound, Utc};
use http::{Method, StatusCode};
use serde_json::{json, Value};
use std::sync::Arc;

const ADMIN: &str = "rina.admin@example.co.id";
const AGENT: &str = "agus.ga@example.co.id";
const BUDI: &str = "budi.santoso@example.co.id";
const SITI: &str = "siti.rahma@example.co.id";
const HENDRA: &str = "hendra.wijaya@example.co.id";

struct World {
    app: Arc<TestApp>,
    agent: String,
    budi: String,
    siti: String,
}

async fn world(db: sqlx::PgPool) -> World {
    let app = TestApp::new(db).await;
    app.user(ADMIN, Role::Admin).await;
    app.user(AGENT, Role::Agent).await;
    app.user(BUDI, Role::Requester).await;
    app.user(SITI, Role::Requester).await;
    // Deterministic calendars: no holidays unless a test adds one.
    sqlx::query("delete from closed_days")
        .execute(&app.db)
        .await
        .unwrap();
    World {
        agent: app.login(AGENT).await,
        budi: app.login(BUDI).await,
        siti: app.login(SITI).await,
        app: Arc::new(app),
    }
}

/// A room at the head office, bookable at any hour (so the test does not
/// depend on the weekday it runs on) unless `extra` says otherwise.
async fn resource(w: &World, kind: &str, name: &str, capacity: i32, extra: Value) -> Value {
    let mut body = json!({
        "site_id": HEAD_OFFICE, "kind": kind, "name": name, "floor": "3", "capacity": capacity,
        "features": ["projector"], "who_books": "everyone", "max_minutes": 480,
        "ahead_days": 120, "working_hours_only": false, "approval": "never",
        "show_booker": true
    });
    if kind == "car" {
        body["plate"] = json!(format!("B {} KJT", 1000 + capacity));
    }
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let r = w
        .app
        .call(
            Method::POST,
            "/api/v1/resources",
            Some(&w.agent),
            Some(body),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()
}

/// Tomorrow at `hour`:00 in Jakarta (UTC+7).
fn tomorrow_at(hour: i64) -> DateTime<Utc> {
    let wib = Duration::hours(7);
    let local_midnight = (Utc::now() + wib)
        .duration_trunc(Duration::days(1))
        .unwrap();
    local_midnight + Duration::days(1) + Duration::hours(hour) - wib
}

fn booking(resource: &Value, title: &str, from: DateTime<Utc>, minutes: i64) -> Value {
    json!({
        "resource_id": resource["id"], "title": title, "attendees": 4,
        "starts_at": from, "ends_at": from + Duration::minutes(minutes)
    })
}

async fn book(w: &World, token: &str, body: Value) -> crate::common::Reply {
    w.app
        .call(Method::POST, "/api/v1/bookings", Some(token), Some(body))
        .await
}

async fn actor(w: &World, email: &str) -> app::domain::Actor {
    let id: uuid::Uuid = sqlx::query_scalar("select id from users where email = $1")
        .bind(email)
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    let mut conn = w.app.db.acquire().await.unwrap();
    app::services::users::find_actor(&mut conn, id)
        .await
        .unwrap()
        .unwrap()
}

async fn count(w: &World, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&w.app.db)
        .await
        .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn fifty_racing_requests_for_one_room_make_exactly_one_booking(db: sqlx::PgPool) {
    let w = world(db).await;
    let room = resource(&w, "room", "Ruang Rapat Merapi", 10, json!({})).await;
    let other = resource(&w, "room", "Ruang Rapat Bromo", 12, json!({})).await;
    let base = tomorrow_at(10);
    let mut tasks = Vec::new();
    for i in 0..50i64 {
        let app = w.app.clone();
        let token = if i % 2 == 0 {
            w.budi.clone()
        } else {
            w.siti.clone()
        };
        // Fifty overlapping hours, a minute apart.
        let body = booking(
            &room,
            &format!("Rapat {i}"),
            base + Duration::minutes(i),
            60,
        );
        tasks.push(tokio::spawn(async move {
            app.call(Method::POST, "/api/v1/bookings", Some(&token), Some(body))
                .await
        }));
    }
    let mut created = 0;
    let mut clashes = Vec::new();
    for t in tasks {
        let r = t.await.unwrap();
        match r.status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                clashes.push(assert_code(&r, StatusCode::CONFLICT, "booking_clash"))
            }
            s => panic!("unexpected {s}: {}", r.text()),
        }
    }
    assert_eq!((created, clashes.len()), (1, 49));
    assert_eq!(
        count(
            &w,
            "select count(*) from bookings where status = 'confirmed'"
        )
        .await,
        1
    );
    // A clash names the busy window, offers free hours nearby on the same
    // room that do not overlap it, and names the other free room.
    let (from, to): (DateTime<Utc>, DateTime<Utc>) =
        sqlx::query_as("select lower(during), upper(during) from bookings")
            .fetch_one(&w.app.db)
            .await
            .unwrap();
    let p = &clashes[0];
    let busy = &p["params"]["busy"];
    assert_eq!(
        busy["from"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        from
    );
    assert_eq!(
        busy["to"]
            .as_str()
            .unwrap()
            .parse::<DateTime<Utc>>()
            .unwrap(),
        to
    );
    let free = p["params"]["free"].as_array().unwrap();
    assert!(!free.is_empty(), "{p}");
    for slot in free {
        let a: DateTime<Utc> = slot["from"].as_str().unwrap().parse().unwrap();
        let b: DateTime<Utc> = slot["to"].as_str().unwrap().parse().unwrap();
        assert!(b <= from || a >= to, "offered {a}–{b} overlaps {from}–{to}");
        assert_eq!(b - a, Duration::hours(1));
    }
    assert_eq!(p["params"]["others"], json!([other["name"]]), "{p}");
    assert!(p["detail"]
        .as_str()
        .unwrap()
        .contains("Ruang Rapat Merapi is already booked"));
    // Indonesian words for the same value.
    let body = booking(&room, "Rapat", base, 60);
    let r = w
        .app
        .call_in(
            "id",
            Method::POST,
            "/api/v1/bookings",
            Some(&w.budi),
            Some(body),
        )
        .await;
    let p = assert_code(&r, StatusCode::CONFLICT, "booking_clash");
    assert!(
        p["detail"].as_str().unwrap().contains("sudah dipesan"),
        "{p}"
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_weekly_series_books_the_free_ones_or_nothing(db: sqlx::PgPool) {
    let w = world(db).await;
    let room = resource(&w, "room", "Ruang Rapat Rinjani", 8, json!({})).await;
    let first = tomorrow_at(9);
    // Siti holds the 3rd and 8th weeks.
    for week in [2, 7] {
        let r = book(
            &w,
            &w.siti,
            booking(&room, "Pelatihan", first + Duration::weeks(week), 60),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    let mut series = booking(&room, "Rapat mingguan", first, 60);
    series["repeat"] = json!("FREQ=WEEKLY;COUNT=12");
    series["mode"] = json!("all_or_nothing");
    let r = book(&w, &w.budi, series.clone()).await;
    let p = assert_code(&r, StatusCode::CONFLICT, "series_clash");
    assert_eq!(p["params"]["taken"].as_array().unwrap().len(), 2, "{p}");
    assert_eq!(count(&w, "select count(*) from bookings").await, 2);
    assert_eq!(count(&w, "select count(*) from booking_series").await, 0);

    series["mode"] = json!("free_ones");
    let r = book(&w, &w.budi, series.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let made = r.json();
    assert_eq!(made["bookings"].as_array().unwrap().len(), 10);
    let skipped = made["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 2);
    for (s, week) in skipped.iter().zip([2, 7]) {
        assert_eq!(s["reason"], "taken");
        let at: DateTime<Utc> = s["window"]["from"].as_str().unwrap().parse().unwrap();
        assert_eq!(at, first + Duration::weeks(week));
    }
    assert_eq!(
        count(
            &w,
            "select count(*) from bookings where series_id is not null"
        )
        .await,
        10
    );
    // Same weekday and local time every week.
    let starts: Vec<DateTime<Utc>> = made["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["starts_at"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(starts
        .iter()
        .all(|s| (*s - first).num_seconds() % (7 * 86400) == 0));

    // A holiday in a series is skipped, not booked.
    let other = resource(&w, "room", "Ruang Rapat Semeru", 8, json!({})).await;
    let holiday = (first + Duration::hours(7) + Duration::weeks(1)).date_naive();
    sqlx::query(
        "insert into closed_days (site_id, day, kind, name_id, name_en)
         values (null, $1, 'national', 'Libur', 'Holiday')",
    )
    .bind(holiday)
    .execute(&w.app.db)
    .await
    .unwrap();
    let mut short = booking(&other, "Rapat", first, 60);
    short["repeat"] = json!("FREQ=WEEKLY;COUNT=3");
    let r = book(&w, &w.budi, short).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let made = r.json();
    assert_eq!(made["bookings"].as_array().unwrap().len(), 2);
    assert_eq!(made["skipped"][0]["reason"], "closed");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_driver_cannot_drive_two_cars_at_once(db: sqlx::PgPool) {
    let w = world(db).await;
    let avanza = resource(&w, "car", "Toyota Avanza", 6, json!({})).await;
    let innova = resource(&w, "car", "Toyota Innova", 7, json!({})).await;
    let r = w
        .app
        .call(
            Method::POST,
            "/api/v1/drivers",
            Some(&w.agent),
            Some(json!({"site_id": HEAD_OFFICE, "name": "Pak Slamet", "phone": "0812-1111-2222"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let driver = r.json()["id"].clone();
    // A driver of a site that does not exist is a field error, not a 500
    // (found by schemathesis).
    let r = w
        .app
        .call(
            Method::POST,
            "/api/v1/drivers",
            Some(&w.agent),
            Some(json!({"site_id": uuid::Uuid::now_v7(), "name": "Pak Budi"})),
        )
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "site_id"), "no_such_site");
    let start = tomorrow_at(8);
    let a = book(
        &w,
        &w.budi,
        booking(&avanza, "Ke Bandara Soekarno-Hatta", start, 180),
    )
    .await
    .json();
    let b = book(
        &w,
        &w.siti,
        booking(
            &innova,
            "Ke kantor klien Bekasi",
            start + Duration::hours(2),
            120,
        ),
    )
    .await
    .json();
    let (a, b) = (&a["bookings"][0], &b["bookings"][0]);
    let assign = |booking: &Value, token: &str| {
        let (app, id, version, token) = (
            w.app.clone(),
            booking["id"].clone(),
            booking["version"].clone(),
            token.to_string(),
        );
        let driver = driver.clone();
        async move {
            app.call(
                Method::POST,
                &format!("/api/v1/bookings/{}/driver", id.as_str().unwrap()),
                Some(&token),
                Some(json!({"version": version, "driver_id": driver})),
            )
            .await
        }
    };
    // Only GA staff assign drivers.
    assert_code(
        &assign(a, &w.budi).await,
        StatusCode::FORBIDDEN,
        "drivers_staff_only",
    );
    let r = assign(a, &w.agent).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["driver"]["name"], "Pak Slamet");
    let r = assign(b, &w.agent).await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "driver_id"), "driver_busy");
    // The database itself refuses it, whatever the application does.
    let e = sqlx::query("update bookings set driver_id = $1::uuid where id = $2::uuid")
        .bind(driver.as_str().unwrap())
        .bind(b["id"].as_str().unwrap())
        .execute(&w.app.db)
        .await
        .unwrap_err();
    assert_eq!(
        e.as_database_error().and_then(|d| d.constraint()),
        Some("bookings_driver_no_overlap")
    );
    assert_eq!(
        count(
            &w,
            "select count(*) from bookings where driver_id is not null"
        )
        .await,
        1
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn no_shows_are_released_once_by_several_instances(db: sqlx::PgPool) {
    let w = world(db).await;
    let room = resource(
        &w,
        "room",
        "Ruang Rapat Kerinci",
        6,
        json!({"release_after": 15}),
    )
    .await;
    let other = resource(
        &w,
        "room",
        "Ruang Rapat Lawu",
        6,
        json!({"release_after": 15}),
    )
    .await;
    let start = Utc::now().duration_trunc(Duration::minutes(1)).unwrap() + Duration::minutes(2);
    let missed = book(&w, &w.budi, booking(&room, "Rapat yang terlupa", start, 60))
        .await
        .json();
    let kept = book(&w, &w.siti, booking(&other, "Rapat yang jadi", start, 60))
        .await
        .json();
    assert!(missed["bookings"][0]["check_in_by"].is_string());
    // Siti checks in from the door.
    let k = &kept["bookings"][0];
    let r = w
        .app
        .call(
            Method::POST,
            &format!("/api/v1/bookings/{}/check-in", k["id"].as_str().unwrap()),
            Some(&w.siti),
            Some(json!({"version": k["version"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "checked_in");

    // Fourteen minutes in: nothing released.
    let early = start + Duration::minutes(14);
    assert_eq!(
        app::services::bookings::release_no_shows(&w.app.db, early)
            .await
            .unwrap(),
        0
    );
    // Sixteen minutes in, three instances run the job at once.
    let late = start + Duration::minutes(16);
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let db = w.app.db.clone();
            tokio::spawn(async move { app::services::bookings::release_no_shows(&db, late).await })
        })
        .collect();
    let mut released = 0;
    for r in runs {
        released += r.await.unwrap().unwrap();
    }
    assert_eq!(released, 1);
    let id = missed["bookings"][0]["id"].as_str().unwrap();
    let r = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/bookings/{id}"),
            Some(&w.budi),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "released");
    assert_eq!(
        count(
            &w,
            "select count(*) from booking_history where event->>'code' = 'released'"
        )
        .await,
        1
    );
    assert_eq!(
        count(
            &w,
            "select count(*) from notifications where kind = 'booking_released'"
        )
        .await,
        1
    );
    let r = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/bookings/{}", k["id"].as_str().unwrap()),
            Some(&w.siti),
            None,
        )
        .await;
    assert_eq!(r.json()["status"], "checked_in");
    // The slot is free again for someone who needs it.
    let r = book(
        &w,
        &w.siti,
        booking(&room, "Rapat dadakan", start + Duration::minutes(20), 30),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
}

#[sqlx::test(migrations = "../migrations")]
async fn cancelling_frees_the_slot_for_the_booker_only_from_the_version_seen(db: sqlx::PgPool) {
    let w = world(db).await;
    let room = resource(&w, "room", "Ruang Rapat Tambora", 6, json!({})).await;
    let at = tomorrow_at(13);
    let b = book(&w, &w.budi, booking(&room, "Wawancara", at, 60))
        .await
        .json()["bookings"][0]
        .clone();
    let url = format!("/api/v1/bookings/{}/cancel", b["id"].as_str().unwrap());
    let r = w
        .app
        .call(
            Method::POST,
            &url,
            Some(&w.siti),
            Some(json!({"version": b["version"]})),
        )
        .await;
    assert_code(&r, StatusCode::FORBIDDEN, "cancel_booking_not_allowed");
    let r = w
        .app
        .call(
            Method::POST,
            &url,
            Some(&w.budi),
            Some(json!({"version": 99})),
        )
        .await;
    assert_code(&r, StatusCode::CONFLICT, "changed");
    let r = w
        .app
        .call(
            Method::POST,
            &url,
            Some(&w.budi),
            Some(json!({"version": b["version"], "note": "Kandidat batal"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "cancelled");
    let r = w
        .app
        .call(
            Method::POST,
            &url,
            Some(&w.budi),
            Some(json!({"version": r.json()["version"]})),
        )
        .await;
    assert_code(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "booking_not_changeable",
    );
    let r = book(&w, &w.siti, booking(&room, "Rapat tim", at, 60)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // Its history, oldest first; strangers see none of it.
    let h = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/bookings/{}/history", b["id"].as_str().unwrap()),
            Some(&w.budi),
            None,
        )
        .await
        .json();
    let codes: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["event"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["booked", "cancelled"]);
    let r = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/bookings/{}/history", b["id"].as_str().unwrap()),
            Some(&w.siti),
            None,
        )
        .await;
    assert_code(&r, StatusCode::NOT_FOUND, "not_found");
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_booking_input_gets_clear_errors_and_changes_nothing(db: sqlx::PgPool) {
    let w = world(db).await;
    let room = resource(
        &w,
        "room",
        "Ruang Rapat Kecil",
        4,
        json!({"max_minutes": 120, "ahead_days": 30}),
    )
    .await;
    let at = tomorrow_at(10);
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"ends_at": at - Duration::hours(1)}),
            "ends_at",
            "ends_before_start",
        ),
        (json!({"attendees": 0}), "attendees", "whole_number"),
        (json!({"attendees": 9}), "attendees", "over_capacity"),
        (
            json!({"ends_at": at + Duration::hours(3)}),
            "ends_at",
            "booking_too_long",
        ),
        (
            json!({"starts_at": at - Duration::days(3), "ends_at": at - Duration::days(3) + Duration::hours(1)}),
            "starts_at",
            "booking_in_past",
        ),
        (
            json!({"starts_at": at + Duration::days(40), "ends_at": at + Duration::days(40) + Duration::hours(1)}),
            "starts_at",
            "booking_too_far_ahead",
        ),
        (json!({"title": "  "}), "title", "required"),
        (json!({"title": "x".repeat(201)}), "title", "too_long"),
        (json!({"repeat": "FREQ=SOMETIMES"}), "repeat", "repeat_rule"),
        (
            json!({"repeat": "FREQ=DAILY;COUNT=400"}),
            "repeat",
            "repeat_too_many",
        ),
        (
            json!({"resource_id": uuid::Uuid::now_v7()}),
            "resource_id",
            "no_such_resource",
        ),
    ];
    for (change, field, code) in cases {
        let mut body = booking(&room, "Rapat", at, 60);
        for (k, v) in change.as_object().unwrap() {
            body[k] = v.clone();
        }
        let r = book(&w, &w.budi, body.clone()).await;
        let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
        assert_eq!(field_code(&p, field), code, "{body}: {p}");
    }
    // Not JSON of the right shape at all.
    let r = book(&w, &w.budi, json!({"resource_id": "kamar", "title": 3})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Staff-only rooms.
    let vip = resource(
        &w,
        "room",
        "Ruang Direksi",
        12,
        json!({"who_books": "staff"}),
    )
    .await;
    let r = book(&w, &w.budi, booking(&vip, "Rapat", at, 60)).await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "resource_id"), "resource_staff_only");
    assert_eq!(count(&w, "select count(*) from bookings").await, 0);
    // A resource with a bad policy is refused too.
    let r = w
        .app
        .call(
            Method::POST,
            "/api/v1/resources",
            Some(&w.agent),
            Some(json!({"site_id": HEAD_OFFICE, "kind": "room", "name": "", "capacity": 0,
                        "plate": "B 1 X", "who_books": "everyone", "max_minutes": 5, "ahead_days": 60,
                        "working_hours_only": true, "approval": "above_attendees", "show_booker": true})),
        )
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    for (f, c) in [
        ("name", "required"),
        ("capacity", "whole_number"),
        ("plate", "plate_only_cars"),
        ("max_minutes", "whole_number"),
        ("approval_above", "required"),
    ] {
        assert_eq!(field_code(&p, f), c, "{p}");
    }
    let r = w
        .app
        .call(Method::POST, "/api/v1/resources", Some(&w.budi), Some(json!({"site_id": HEAD_OFFICE, "kind": "room", "name": "Gudang", "capacity": 2, "who_books": "everyone", "max_minutes": 60, "ahead_days": 60, "working_hours_only": true, "approval": "never", "show_booker": true})))
        .await;
    assert_code(&r, StatusCode::FORBIDDEN, "resources_staff_only");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_booking_that_needs_approval_holds_the_slot_until_the_manager_decides(db: sqlx::PgPool) {
    let w = world(db).await;
    let manager = w.app.user(HENDRA, Role::Approver).await;
    let other_approver = w
        .app
        .user("dewi.lestari@example.co.id", Role::Approver)
        .await;
    let budi = actor(&w, BUDI).await;
    w.app.set_manager(&budi, &manager).await;
    let hall = resource(
        &w,
        "room",
        "Aula Lantai 10",
        80,
        json!({"approval": "above_attendees", "approval_above": 20}),
    )
    .await;
    let at = tomorrow_at(14);
    let mut body = booking(&hall, "Town hall divisi", at, 120);
    body["attendees"] = json!(60);
    let b = book(&w, &w.budi, body).await.json()["bookings"][0].clone();
    assert_eq!(b["status"], "pending");
    assert_eq!(b["approver"]["email"], HENDRA);
    // The slot is held meanwhile.
    let r = book(&w, &w.siti, booking(&hall, "Senam pagi", at, 60)).await;
    assert_code(&r, StatusCode::CONFLICT, "booking_clash");
    let hendra = w.app.login(HENDRA).await;
    let dewi = w.app.login(&other_approver.email).await;
    let queue = w
        .app
        .call(
            Method::GET,
            "/api/v1/me/booking-approvals",
            Some(&hendra),
            None,
        )
        .await
        .json();
    assert_eq!(queue.as_array().unwrap().len(), 1);
    assert_eq!(
        count(
            &w,
            "select count(*) from notifications where kind = 'booking_decision_needed'"
        )
        .await,
        1
    );
    let url = |action: &str| format!("/api/v1/bookings/{}/{action}", b["id"].as_str().unwrap());
    let r = w
        .app
        .call(
            Method::POST,
            &url("approve"),
            Some(&dewi),
            Some(json!({"version": b["version"]})),
        )
        .await;
    assert_code(&r, StatusCode::FORBIDDEN, "not_the_booking_approver");
    let r = w
        .app
        .call(
            Method::POST,
            &url("reject"),
            Some(&hendra),
            Some(json!({"version": b["version"]})),
        )
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "note"), "reason_required");
    let r = w
        .app
        .call(
            Method::POST,
            &url("approve"),
            Some(&hendra),
            Some(json!({"version": b["version"]})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "confirmed");
    let r = w
        .app
        .call(
            Method::POST,
            &url("approve"),
            Some(&hendra),
            Some(json!({"version": r.json()["version"]})),
        )
        .await;
    assert_code(
        &r,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_awaiting_booking_approval",
    );
    assert_eq!(
        count(
            &w,
            "select count(*) from notifications where kind = 'booking_decided'"
        )
        .await,
        1
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_private_room_shows_others_only_busy_and_the_feed_needs_its_signature(db: sqlx::PgPool) {
    let w = world(db).await;
    let room = resource(
        &w,
        "room",
        "Ruang Konseling",
        4,
        json!({"show_booker": false}),
    )
    .await;
    let at = tomorrow_at(11);
    let b = book(&w, &w.budi, booking(&room, "Konseling karier", at, 60))
        .await
        .json()["bookings"][0]
        .clone();
    let url = format!("/api/v1/bookings/{}", b["id"].as_str().unwrap());
    let seen = w
        .app
        .call(Method::GET, &url, Some(&w.siti), None)
        .await
        .json();
    assert_eq!(seen["title"], "");
    assert!(seen["booked_by"].is_null());
    let own = w
        .app
        .call(Method::GET, &url, Some(&w.budi), None)
        .await
        .json();
    assert_eq!(own["title"], "Konseling karier");
    let staff = w
        .app
        .call(Method::GET, &url, Some(&w.agent), None)
        .await
        .json();
    assert_eq!(staff["booked_by"]["email"], BUDI);

    let feed = w
        .app
        .call(Method::GET, "/api/v1/me/calendar-feed", Some(&w.budi), None)
        .await
        .json();
    let path = feed["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://127.0.0.1:3000")
        .to_string();
    let r = w.app.call(Method::GET, &path, None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("text/calendar"));
    let ics = r.text();
    assert!(
        ics.contains("BEGIN:VCALENDAR") && ics.contains("SUMMARY:Konseling karier"),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:{}@gadesk", b["id"].as_str().unwrap())));
    // Another person's id with Budi's signature is not a feed.
    let siti = actor(&w, SITI).await;
    let (_, sig) = path
        .trim_start_matches("/feeds/bookings/")
        .split_once('.')
        .unwrap();
    let forged = format!("/feeds/bookings/{}.{sig}", siti.id.simple());
    assert_eq!(
        w.app.call(Method::GET, &forged, None, None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn a_returned_car_puts_its_odometer_in_the_asset_history(db: sqlx::PgPool) {
    let w = world(db).await;
    let asset = w
        .app
        .call(
            Method::POST,
            "/api/v1/assets",
            Some(&w.agent),
            Some(
                json!({"name": "Toyota Avanza 1.5 G", "category": "vehicle", "condition": "good",
                        "location": "Parkir basement", "purchase_price": "250000000"}),
            ),
        )
        .await;
    assert_eq!(asset.status, StatusCode::CREATED, "{}", asset.text());
    let asset = asset.json();
    let car = resource(
        &w,
        "car",
        "Avanza Pool 1",
        6,
        json!({"asset_id": asset["id"]}),
    )
    .await;
    let b = book(
        &w,
        &w.budi,
        booking(&car, "Kunjungan ke gudang Cikarang", tomorrow_at(8), 240),
    )
    .await
    .json()["bookings"][0]
        .clone();
    let url = format!("/api/v1/bookings/{}/return", b["id"].as_str().unwrap());
    let r = w.app.call(Method::POST, &url, Some(&w.agent),
        Some(json!({"version": b["version"], "odometer_out": 45210, "odometer_in": 45100, "fuel_eighths": 5}))).await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "odometer_in"), "odometer_below_start");
    let r = w.app.call(Method::POST, &url, Some(&w.agent),
        Some(json!({"version": b["version"], "odometer_out": 45210, "odometer_in": 45388, "fuel_eighths": 5}))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["status"], "returned");
    let h = w
        .app
        .call(
            Method::GET,
            &format!("/api/v1/assets/{}/history", asset["id"].as_str().unwrap()),
            Some(&w.agent),
            None,
        )
        .await
        .json();
    let trip = &h[0];
    assert_eq!(trip["action"], "trip", "{h}");
    assert_eq!(trip["system_note"]["params"]["km"], 45388, "{h}");
    let km: Option<i32> = sqlx::query_scalar("select odometer_km from assets where id = $1::uuid")
        .bind(asset["id"].as_str().unwrap())
        .fetch_one(&w.app.db)
        .await
        .unwrap();
    assert_eq!(km, Some(45388));
}
