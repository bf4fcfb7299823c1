//! Service levels on business time, through the real router: sites in
//! three zones, holidays that move due times, waiting for the requester,
//! out-of-office delegation, and the escalation ladder run by several
//! instances at once.

use crate::common::{assert_code, field_code, new_ticket, ticket_costing, TestApp};
use app::domain::Role;
use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use http::{Method, StatusCode};
use serde_json::{json, Value};
use sqlx::PgPool;
use uuid::Uuid;

const ADMIN: &str = "rina.admin@example.co.id";
const REQUESTER: &str = "budi.santoso@example.co.id";
const AGENT: &str = "agus.ga@example.co.id";

/// Monday to Friday 08.00–17.00 with lunch, Friday prayer 11.30–13.00; no
/// Saturday: a branch's office week.
fn weekdays() -> Value {
    let day = json!([{"start": 480, "end": 720}, {"start": 780, "end": 1020}]);
    json!({"days": [day, day, day, day,
        [{"start": 480, "end": 690}, {"start": 780, "end": 1020}], [], []]})
}

/// Open every minute of every day: working time equals wall time.
fn always() -> Value {
    let day = json!([{"start": 0, "end": 1440}]);
    json!({"days": [day, day, day, day, day, day, day]})
}

async fn site(app: &TestApp, admin: &str, code: &str, zone: &str, hours: Value) -> String {
    let r = app
        .call(
            Method::POST,
            "/api/v1/sites",
            Some(admin),
            Some(json!({"code": code, "name": format!("Kantor {code}"), "time_zone": zone, "hours": hours})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    r.json()["id"].as_str().unwrap().to_string()
}

async fn move_to_site(db: &PgPool, email: &str, site: &str) {
    sqlx::query("update users set site_id = $2::uuid where email = $1")
        .bind(email)
        .bind(site)
        .execute(db)
        .await
        .unwrap();
}

fn at(offset_hours: i32, y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    FixedOffset::east_opt(offset_hours * 3600)
        .unwrap()
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&Utc)
}

fn time(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

/// Sets a ticket's work clock to have started at `start` (test fixture),
/// then sets the targets of its category and priority through the API,
/// which recomputes every open ticket they govern.
async fn started_at(app: &TestApp, admin: &str, id: &str, start: DateTime<Utc>, resolution: u32) {
    sqlx::query("update tickets set work_started_at = $2, created_at = $2 where id = $1::uuid")
        .bind(id)
        .bind(start)
        .execute(&app.db)
        .await
        .unwrap();
    set_targets(app, admin, 60, resolution).await;
}

async fn set_targets(app: &TestApp, admin: &str, response: u32, resolution: u32) {
    let list = app
        .call(Method::GET, "/api/v1/service-levels", Some(admin), None)
        .await
        .json();
    let row = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["category"] == "office_supplies" && p["priority"] == "medium")
        .unwrap()
        .clone();
    let r = app
        .call(
            Method::PUT,
            "/api/v1/service-levels/office_supplies/medium",
            Some(admin),
            Some(
                json!({"approval_minutes": 240, "response_minutes": response,
                        "resolution_minutes": resolution, "version": row["version"]}),
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    // The same change from the version before it is stale.
    let r = app
        .call(
            Method::PUT,
            "/api/v1/service-levels/office_supplies/medium",
            Some(admin),
            Some(
                json!({"approval_minutes": 240, "response_minutes": response,
                        "resolution_minutes": resolution, "version": row["version"]}),
            ),
        )
        .await;
    assert_code(&r, StatusCode::CONFLICT, "changed");
}

/// The example: created Friday 29 May 2026 at 16.30 local time
/// with 8 working hours to resolve. Monday 1 June is Hari Lahir Pancasila,
/// so Makassar's is due Tuesday 16.30 WITA, and Jakarta's the same local
/// time an hour later. Closing that Tuesday in Makassar moves only
/// Makassar's to Wednesday; opening it again moves it back.
#[sqlx::test(migrations = "../migrations")]
async fn due_times_follow_the_site_calendar_and_its_changes(db: PgPool) {
    let app = TestApp::new(db.clone()).await;
    app.user(ADMIN, Role::Admin).await;
    app.user(REQUESTER, Role::Requester).await;
    app.user("dewi.jakarta@example.co.id", Role::Requester)
        .await;
    let admin = app.login(ADMIN).await;
    app::services::sites::load_shipped_holidays(&db, &[2026])
        .await
        .unwrap();
    let mks = site(&app, &admin, "MKS", "Asia/Makassar", weekdays()).await;
    let jkt = site(&app, &admin, "JKT", "Asia/Jakarta", weekdays()).await;
    move_to_site(&db, REQUESTER, &mks).await;
    move_to_site(&db, "dewi.jakarta@example.co.id", &jkt).await;

    let budi = app.login(REQUESTER).await;
    let dewi = app.login("dewi.jakarta@example.co.id").await;
    let in_makassar = app.create(&budi, new_ticket("AC bocor")).await;
    let in_jakarta = app.create(&dewi, new_ticket("AC bocor juga")).await;
    assert_eq!(in_makassar["site"]["code"], "MKS");
    let (m, j) = (
        in_makassar["id"].as_str().unwrap(),
        in_jakarta["id"].as_str().unwrap(),
    );
    sqlx::query("update tickets set work_started_at = $2 where id = $1::uuid")
        .bind(j)
        .bind(at(7, 2026, 5, 29, 16, 30))
        .execute(&db)
        .await
        .unwrap();
    started_at(&app, &admin, m, at(8, 2026, 5, 29, 16, 30), 480).await;

    let due = |t: &Value| time(&t["service"]["resolution_due_at"]);
    let makassar = app.get(&admin, m).await;
    let jakarta = app.get(&admin, j).await;
    assert_eq!(due(&makassar), at(8, 2026, 6, 2, 16, 30), "{makassar}");
    assert_eq!(due(&jakarta), at(7, 2026, 6, 2, 16, 30), "{jakarta}");
    assert_eq!(due(&jakarta) - due(&makassar), Duration::hours(1));
    // 60 working minutes to respond: 30 on Friday, 30 on Tuesday.
    assert_eq!(
        time(&makassar["service"]["response_due_at"]),
        at(8, 2026, 6, 2, 8, 30)
    );
    // Long overdue by now, counted in working days.
    assert_eq!(makassar["service"]["now"]["state"], "running");
    assert!(
        makassar["service"]["now"]["left"]["Overdue"].is_object(),
        "{makassar}"
    );

    // Tuesday 2 June closes in Makassar (a closure of that site only).
    let closure = app
        .call(
            Method::POST,
            "/api/v1/closed-days",
            Some(&admin),
            Some(
                json!({"site_id": mks, "day": "2026-06-02", "kind": "closure",
                        "name_id": "Renovasi kantor"}),
            ),
        )
        .await;
    assert_eq!(closure.status, StatusCode::CREATED, "{}", closure.text());
    assert_eq!(
        due(&app.get(&admin, m).await),
        at(8, 2026, 6, 3, 16, 30),
        "a closed day moves the open ticket's due time"
    );
    assert_eq!(
        due(&app.get(&admin, j).await),
        at(7, 2026, 6, 2, 16, 30),
        "another site's closure changes nothing in Jakarta"
    );
    // The same day twice is refused and changes nothing.
    let again = app
        .call(
            Method::POST,
            "/api/v1/closed-days",
            Some(&admin),
            Some(
                json!({"site_id": mks, "day": "2026-06-02", "kind": "closure", "name_id": "Lagi"}),
            ),
        )
        .await;
    let p = assert_code(&again, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "day"), "day_already_closed");

    // Reopening it moves the due time back.
    let id = closure.json()["id"].as_i64().unwrap();
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/closed-days/{id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.text());
    assert_eq!(due(&app.get(&admin, m).await), at(8, 2026, 6, 2, 16, 30));

    // Importing an .ics file closes its all-day events' days.
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART;VALUE=DATE:20260602\r\nDTEND;VALUE=DATE:20260604\r\nSUMMARY:Rapat kerja cabang\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let r = app
        .call(
            Method::POST,
            "/api/v1/closed-days/import",
            Some(&admin),
            Some(json!({"site_id": mks, "kind": "closure", "ics": ics})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["added"], 2);
    assert_eq!(due(&app.get(&admin, m).await), at(8, 2026, 6, 4, 16, 30));

    // Non-admins may not touch calendars; nothing changes.
    let r = app
        .call(
            Method::POST,
            "/api/v1/closed-days",
            Some(&budi),
            Some(json!({"day": "2026-06-05", "kind": "national", "name_id": "Libur"})),
        )
        .await;
    assert_code(&r, StatusCode::FORBIDDEN, "sites_admin_only");
    let bad = app
        .call(
            Method::POST,
            "/api/v1/sites",
            Some(&admin),
            Some(json!({"code": "x", "name": "", "time_zone": "Europe/Paris",
                        "hours": {"days": [[], [], [], [], [], [], []]}})),
        )
        .await;
    let p = assert_code(&bad, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    for f in ["code", "name", "time_zone", "hours"] {
        assert!(!field_code(&p, f).is_empty(), "{f}: {p}");
    }
}

/// Waiting for the requester stops the clock: the due time moves by the
/// working time spent waiting, and the ticket is never overdue meanwhile.
#[sqlx::test(migrations = "../migrations")]
async fn waiting_for_the_requester_moves_the_due_time_by_the_pause(db: PgPool) {
    let app = TestApp::new(db.clone()).await;
    app.user(ADMIN, Role::Admin).await;
    app.user(REQUESTER, Role::Requester).await;
    let agent = app.user(AGENT, Role::Agent).await;
    let admin = app.login(ADMIN).await;
    let open = site(&app, &admin, "24H", "Asia/Jakarta", always()).await;
    move_to_site(&db, REQUESTER, &open).await;
    let (budi, agus) = (app.login(REQUESTER).await, app.login(AGENT).await);
    let t = app.create(&budi, new_ticket("Kursi patah")).await;
    let id = t["id"].as_str().unwrap();
    let t = app.act(&agus, id, "accept", 1, Value::Null).await.json();
    let before = time(&t["service"]["resolution_due_at"]);
    assert!(
        t["service"]["responded_at"].is_string(),
        "accepting is the first response"
    );

    // A requester cannot put their own request on hold.
    let r = app.act(&budi, id, "pause", 2, json!({"reason": "x"})).await;
    assert_code(&r, StatusCode::FORBIDDEN, "pause_staff_only");
    let r = app.act(&agus, id, "pause", 2, json!({})).await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "reason"), "reason_required");
    let r = app
        .act(
            &agus,
            id,
            "pause",
            2,
            json!({"reason": "Mohon foto kursinya"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let paused = r.json();
    assert_eq!(paused["service"]["now"]["state"], "paused");
    assert!(paused["service"]["paused_at"].is_string());
    let r = app
        .act(&agus, id, "pause", 3, json!({"reason": "lagi"}))
        .await;
    assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "already_paused");

    // 90 minutes pass while waiting (fixture), then the requester answers.
    sqlx::query(
        "update tickets set paused_at = paused_at - interval '90 minutes' where id = $1::uuid",
    )
    .bind(id)
    .execute(&db)
    .await
    .unwrap();
    let r = app.act(&budi, id, "resume", 3, Value::Null).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let resumed = r.json();
    let after = time(&resumed["service"]["resolution_due_at"]);
    let moved = (after - before).num_minutes();
    assert!((90..=91).contains(&moved), "moved by {moved} minutes");
    assert_eq!(resumed["service"]["now"]["state"], "running");
    assert_eq!(resumed["service"]["clock"], "resolution");

    let history = app
        .call(
            Method::GET,
            &format!("/api/v1/tickets/{id}/history"),
            Some(&agus),
            None,
        )
        .await
        .json();
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["create", "accept", "pause", "resume"]);

    // Done in time: the report counts it as met, for its site and category.
    let r = app
        .act(&agus, id, "assign", 4, json!({"assignee_id": agent.id}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app.act(&agus, id, "start", 5, Value::Null).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let r = app
        .act(
            &agus,
            id,
            "complete",
            6,
            json!({"actual_cost": "600000", "note": "Diganti"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let report = app
        .call(
            Method::GET,
            &format!("/api/v1/reports/summary?from={today}&to={today}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.text());
    assert_eq!(
        report.json()["attainment"],
        json!([{"site": "Kantor 24H", "category": "office_supplies", "responded": 1,
                "responded_on_time": 1, "resolved": 1, "resolved_on_time": 1}])
    );
}

/// Siti is on leave with Agus's colleague Hendra deciding: Budi's new
/// request waits for Siti, shows in Hendra's queue, and Hendra's decision
/// records that it was taken on her behalf. Overlapping periods are
/// refused, by the service and by the database itself; a delegate never
/// decides on their own request.
#[sqlx::test(migrations = "../migrations")]
async fn a_delegate_decides_for_an_approver_on_leave(db: PgPool) {
    let app = TestApp::new(db.clone()).await;
    let budi = app.user(REQUESTER, Role::Requester).await;
    let siti = app.user("siti.rahayu@example.co.id", Role::Approver).await;
    let hendra = app
        .user("hendra.wijaya@example.co.id", Role::Approver)
        .await;
    app.user(ADMIN, Role::Admin).await;
    app.set_manager(&budi, &siti).await;
    app.set_manager(&hendra, &siti).await;
    let (budi_t, siti_t, hendra_t) = (
        app.login(REQUESTER).await,
        app.login("siti.rahayu@example.co.id").await,
        app.login("hendra.wijaya@example.co.id").await,
    );
    let today = (Utc::now() + Duration::hours(7)).date_naive();
    let away = |from: chrono::NaiveDate, to: chrono::NaiveDate, delegate: Uuid| json!({"delegate_id": delegate, "starts_on": from, "ends_on": to, "note": "Cuti tahunan"});
    // Not to oneself; not ending in the past.
    let r = app
        .call(
            Method::POST,
            "/api/v1/delegations",
            Some(&siti_t),
            Some(away(today, today + Duration::days(3), siti.id)),
        )
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "delegate_id"), "own_delegate");
    // A requester has nothing to delegate.
    let r = app
        .call(
            Method::POST,
            "/api/v1/delegations",
            Some(&budi_t),
            Some(away(today, today + Duration::days(3), hendra.id)),
        )
        .await;
    assert_code(&r, StatusCode::FORBIDDEN, "delegation_approvers_only");

    let r = app
        .call(
            Method::POST,
            "/api/v1/delegations",
            Some(&siti_t),
            Some(away(today, today + Duration::days(3), hendra.id)),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let period = r.json();
    let period_id = period["id"].as_str().unwrap().to_string();
    // Overlapping: refused with a field error, and nothing is added.
    let r = app
        .call(
            Method::POST,
            "/api/v1/delegations",
            Some(&siti_t),
            Some(away(
                today + Duration::days(2),
                today + Duration::days(9),
                hendra.id,
            )),
        )
        .await;
    let p = assert_code(&r, StatusCode::UNPROCESSABLE_ENTITY, "correct_fields");
    assert_eq!(field_code(&p, "starts_on"), "delegation_overlaps");
    assert_eq!(app.count("delegations").await, 1);
    // Someone else cannot end it (not even learn it exists); a stale
    // version is refused; nothing changes either way.
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/delegations/{period_id}?version=1"),
            Some(&budi_t),
            None,
        )
        .await;
    assert_code(&r, StatusCode::NOT_FOUND, "not_found");
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/delegations/{period_id}?version=7"),
            Some(&siti_t),
            None,
        )
        .await;
    assert_code(&r, StatusCode::CONFLICT, "changed");
    assert_eq!(app.count("delegations").await, 1);
    // The database refuses it too, whoever writes.
    let direct = sqlx::query(
        "insert into delegations (id, user_id, delegate_id, starts_on, ends_on, period, created_by)
         values ($1, $2, $3, current_date, current_date, tstzrange(now(), now() + interval '1 day'), $2)",
    )
    .bind(Uuid::now_v7())
    .bind(siti.id)
    .bind(hendra.id)
    .execute(&db)
    .await
    .unwrap_err();
    assert!(
        direct.to_string().contains("delegations_no_overlap"),
        "{direct}"
    );

    // Budi's request waits for Siti, and Hendra sees it in his queue.
    let t = app
        .create(&budi_t, ticket_costing("Kursi kerja", 2_500_000))
        .await;
    let id = t["id"].as_str().unwrap();
    assert_eq!(t["awaiting_approver"]["id"], siti.id.to_string());
    assert_eq!(t["awaiting_delegate"]["id"], hendra.id.to_string());
    let queue = app
        .call(Method::GET, "/api/v1/approvals", Some(&hendra_t), None)
        .await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.text());
    assert!(queue.text().contains(id), "{}", queue.text());
    // Hendra's own request, also waiting for Siti: he may not decide it.
    let own = app
        .create(&hendra_t, ticket_costing("Meja", 3_000_000))
        .await;
    let own_id = own["id"].as_str().unwrap();
    let r = app
        .act(
            &hendra_t,
            own_id,
            "approve",
            own["version"].as_i64().unwrap(),
            Value::Null,
        )
        .await;
    assert_code(&r, StatusCode::FORBIDDEN, "own_request");
    assert!(!app
        .call(Method::GET, "/api/v1/approvals", Some(&hendra_t), None)
        .await
        .text()
        .contains(own_id));

    let r = app
        .act(
            &hendra_t,
            id,
            "approve",
            t["version"].as_i64().unwrap(),
            json!({"note": "Atas nama Bu Siti"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let approval = &r.json()["approvals"][0];
    assert_eq!(approval["approver"]["id"], hendra.id.to_string());
    assert_eq!(approval["on_behalf_of"]["id"], siti.id.to_string());
    let (behalf,): (Option<Uuid>,) =
        sqlx::query_as("select on_behalf_of from ticket_approvals where ticket_id = $1::uuid")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(behalf, Some(siti.id));
}

/// The escalation ladder with two instances running it at once: each step
/// is taken once, notified once and written once into the timeline.
#[sqlx::test(migrations = "../migrations")]
async fn escalation_steps_happen_once_across_instances(db: PgPool) {
    let app = TestApp::new(db.clone()).await;
    app.user(ADMIN, Role::Admin).await;
    app.user(REQUESTER, Role::Requester).await;
    let agent = app.user(AGENT, Role::Agent).await;
    let lead = app.user("lina.lead@example.co.id", Role::Admin).await;
    app.set_manager(&agent, &lead).await;
    let admin = app.login(ADMIN).await;
    let open = site(&app, &admin, "24H", "Asia/Jakarta", always()).await;
    move_to_site(&db, REQUESTER, &open).await;
    let (budi, agus) = (app.login(REQUESTER).await, app.login(AGENT).await);
    let t = app.create(&budi, new_ticket("Lampu mati")).await;
    let id = t["id"].as_str().unwrap();
    let t = app
        .act(&agus, id, "assign", 1, json!({"assignee_id": agent.id}))
        .await
        .json();
    assert_eq!(t["service"]["clock"], "resolution");
    // Targets of 60/100 minutes, started 80 minutes ago: past the 75 %
    // reminder, not yet due.
    started_at(&app, &admin, id, Utc::now() - Duration::minutes(80), 100).await;

    let other = sqlx::PgPool::connect_with((*db.connect_options()).clone())
        .await
        .unwrap();
    let now = Utc::now();
    let (a, b) = tokio::join!(
        app::services::jobs::escalate(&db, now),
        app::services::jobs::escalate(&other, now)
    );
    let reminded: usize = [a.unwrap(), b.unwrap()]
        .iter()
        .flatten()
        .map(|e| e.reminded)
        .sum();
    assert_eq!(reminded, 1);
    let steps = |step: &'static str| {
        let db = db.clone();
        async move {
            let (n,): (i64,) =
                sqlx::query_as("select count(*) from sla_escalations where step = $1")
                    .bind(step)
                    .fetch_one(&db)
                    .await
                    .unwrap();
            n
        }
    };
    assert_eq!(steps("remind").await, 1);
    let bell = |user: Uuid, kind: &'static str| {
        let db = db.clone();
        async move {
            let (n,): (i64,) = sqlx::query_as(
                "select count(*) from notifications where user_id = $1 and kind = $2",
            )
            .bind(user)
            .bind(kind)
            .fetch_one(&db)
            .await
            .unwrap();
            n
        }
    };
    assert_eq!(
        bell(agent.id, "sla_reminder").await,
        1,
        "the assignee is reminded"
    );
    // Running again changes nothing.
    app::services::jobs::escalate(&db, Utc::now())
        .await
        .unwrap();
    assert_eq!(steps("remind").await, 1);

    // Past the due time: the agent's lead hears of it, once.
    started_at(&app, &admin, id, Utc::now() - Duration::minutes(120), 100).await;
    let now = Utc::now();
    let (a, b) = tokio::join!(
        app::services::jobs::escalate(&db, now),
        app::services::jobs::escalate(&other, now)
    );
    let breached: usize = [a.unwrap(), b.unwrap()]
        .iter()
        .flatten()
        .map(|e| e.breached)
        .sum();
    assert_eq!(breached, 1);
    assert_eq!(steps("breach").await, 1);
    assert_eq!(
        bell(lead.id, "sla_breached").await,
        1,
        "the agent's manager"
    );
    assert_eq!(bell(agent.id, "sla_breached").await, 0);

    // Both steps are in the timeline GA staff read, not the requester's.
    let timeline = |token: String| {
        let app = &app;
        async move {
            app.call(
                Method::GET,
                &format!("/api/v1/tickets/{id}/history"),
                Some(&token),
                None,
            )
            .await
            .json()
        }
    };
    let staff = timeline(agus.clone()).await.to_string();
    assert!(
        staff.contains("sla_remind") && staff.contains("sla_breach"),
        "{staff}"
    );
    assert!(staff.contains("sla_escalated"), "{staff}");
    assert!(!timeline(budi.clone()).await.to_string().contains("sla_"));

    // The desk's overdue filter finds it by its due time, in words.
    let overdue = app::domain::desk::BoardFilter::parse("", "", "", "true").unwrap();
    let board = app::services::queues::board(&db, &agent, &overdue)
        .await
        .unwrap();
    let card = board
        .columns
        .iter()
        .flat_map(|c| &c.cards)
        .find(|c| c.ticket.id.to_string() == id)
        .expect("the overdue filter shows the late ticket");
    assert!(card.overdue);
    let words = card
        .ticket
        .due
        .unwrap()
        .text()
        .render(app::domain::Lang::En);
    assert!(words.starts_with("Overdue "), "{words}");
    let on_time = app::domain::desk::BoardFilter::parse("", "", "", "false").unwrap();
    let fresh = app.create(&budi, new_ticket("Kran bocor")).await;
    let all = app::services::queues::board(&db, &agent, &on_time)
        .await
        .unwrap();
    let late = app::services::queues::board(&db, &agent, &overdue)
        .await
        .unwrap();
    let has = |b: &app::domain::desk::Board, id: &str| {
        b.columns
            .iter()
            .flat_map(|c| &c.cards)
            .any(|c| c.ticket.id.to_string() == id)
    };
    let fresh_id = fresh["id"].as_str().unwrap();
    assert!(
        has(&all, fresh_id) && !has(&late, fresh_id),
        "a new ticket is not overdue"
    );
}
