//! The GA desk board: columns with real counts, filters from the address,
//! quick assignment under optimistic locking, and the live event stream.

use crate::common::{assert_problem, new_ticket, ticket_costing, Reply, TestApp};
use app::domain::desk::{AssigneeFilter, BoardFilter, BOARD_CARDS, BOARD_COUNT_CAP};
use app::domain::{Actor, Role};
use app::services::queues;
use axum::body::Body;
use http::{header, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sqlx::PgPool;
use std::time::Duration;
use tower::ServiceExt;

struct Desk {
    app: TestApp,
    requester: String,
    siti: Actor,
    siti_token: String,
    joko: Actor,
    joko_token: String,
}

async fn desk(db: PgPool) -> Desk {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let siti = app.user("siti@example.co.id", Role::Agent).await;
    let joko = app.user("joko@example.co.id", Role::Agent).await;
    Desk {
        requester: app.login("budi@example.co.id").await,
        siti_token: app.login("siti@example.co.id").await,
        joko_token: app.login("joko@example.co.id").await,
        app,
        siti,
        joko,
    }
}

fn ticket(title: &str, category: &str, priority: &str) -> Value {
    let mut t = new_ticket(title);
    t["category"] = json!(category);
    t["priority"] = json!(priority);
    t
}

impl Desk {
    /// Creates a ticket and walks it as far as `to` goes, with `who` as
    /// the assignee; returns its id.
    async fn ticket(&self, body: Value, to: &str, who: Option<(&Actor, &str)>) -> String {
        let created = self.app.create(&self.requester, body).await;
        let id = created["id"].as_str().unwrap().to_string();
        let mut version = created["version"].as_i64().unwrap();
        if to == "pending" {
            return id;
        }
        version = step(
            self.app
                .act(&self.siti_token, &id, "accept", version, Value::Null)
                .await,
        );
        let Some((assignee, token)) = who else {
            return id;
        };
        version = step(
            self.app
                .act(
                    token,
                    &id,
                    "assign",
                    version,
                    json!({"assignee_id": assignee.id}),
                )
                .await,
        );
        if to == "approved" {
            return id;
        }
        version = step(
            self.app
                .act(token, &id, "start", version, Value::Null)
                .await,
        );
        if to == "in_progress" {
            return id;
        }
        step(
            self.app
                .act(
                    token,
                    &id,
                    "complete",
                    version,
                    json!({"actual_cost": "50000"}),
                )
                .await,
        );
        id
    }

    /// The board through the page's server function, filters as the
    /// address gives them.
    async fn rpc(&self, token: &str, query: &str) -> Reply {
        let mut form: Vec<(&str, &str)> = ["category", "priority", "assignee", "overdue"]
            .into_iter()
            .map(|k| (k, ""))
            .collect();
        for (k, v) in query
            .split('&')
            .filter(|p| !p.is_empty())
            .filter_map(|p| p.split_once('='))
        {
            form.iter_mut().find(|(f, _)| *f == k).unwrap().1 = v;
        }
        let body = form
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        let req = Request::builder()
            .method(Method::POST)
            .uri("/rpc/queues/desk")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::ACCEPT, "application/json")
            .body(Body::from(body))
            .unwrap();
        self.app.send(req).await
    }

    /// Numbers of the cards per column and each column's total.
    async fn board(&self, query: &str) -> Vec<(String, i64, Vec<String>)> {
        let r = self.rpc(&self.siti_token, query).await;
        assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text());
        r.json()["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let titles = c["cards"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|card| card["ticket"]["title"].as_str().unwrap().to_string())
                    .collect();
                (
                    c["status"].as_str().unwrap().to_string(),
                    c["total"].as_i64().unwrap(),
                    titles,
                )
            })
            .collect()
    }
}

/// The new version after a transition that must succeed.
fn step(r: Reply) -> i64 {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    r.json()["version"].as_i64().unwrap()
}

fn column<'a>(board: &'a [(String, i64, Vec<String>)], status: &str) -> (i64, Vec<&'a str>) {
    let (_, total, titles) = board.iter().find(|(s, _, _)| s == status).unwrap();
    (*total, titles.iter().map(String::as_str).collect())
}

#[sqlx::test(migrations = "../migrations")]
async fn the_board_counts_and_filters_by_status(db: PgPool) {
    let d = desk(db).await;
    let (siti, joko) = (d.siti.clone(), d.joko.clone());
    let siti_t = d.siti_token.clone();
    let joko_t = d.joko_token.clone();
    let a = d
        .ticket(
            ticket("A kertas", "office_supplies", "medium"),
            "pending",
            None,
        )
        .await;
    d.ticket(ticket("B kopi", "pantry_supplies", "high"), "pending", None)
        .await;
    d.ticket(ticket("C gula", "pantry_supplies", "low"), "approved", None)
        .await;
    d.ticket(
        ticket("D lampu", "facility_maintenance", "medium"),
        "approved",
        Some((&siti, &siti_t)),
    )
    .await;
    d.ticket(
        ticket("E map", "office_supplies", "high"),
        "in_progress",
        Some((&siti, &siti_t)),
    )
    .await;
    d.ticket(
        ticket("F tinta", "office_supplies", "medium"),
        "completed",
        Some((&joko, &joko_t)),
    )
    .await;
    // Waiting for approval is not the desk's business.
    d.app
        .create(&d.requester, ticket_costing("G proyektor", 5_000_000))
        .await;
    // A has waited a week for a first response: far past its target in
    // working time, whatever the day of the week.
    sqlx::query(
        "update tickets set created_at = now() - interval '7 days',
                work_started_at = now() - interval '7 days' where id = $1::uuid",
    )
    .bind(&a)
    .execute(&d.app.db)
    .await
    .unwrap();
    app::services::service_levels::recompute_all(&d.app.db)
        .await
        .unwrap();

    let all = d.board("").await;
    let statuses: Vec<&str> = all.iter().map(|(s, _, _)| s.as_str()).collect();
    assert_eq!(
        statuses,
        ["pending", "approved", "in_progress", "completed"]
    );
    // Oldest first: A was pushed three days back.
    assert_eq!(column(&all, "pending"), (2, vec!["A kertas", "B kopi"]));
    assert_eq!(column(&all, "approved"), (2, vec!["C gula", "D lampu"]));
    assert_eq!(column(&all, "in_progress"), (1, vec!["E map"]));
    assert_eq!(column(&all, "completed"), (1, vec!["F tinta"]));

    let pantry = d.board("category=pantry_supplies").await;
    assert_eq!(column(&pantry, "pending"), (1, vec!["B kopi"]));
    assert_eq!(column(&pantry, "approved"), (1, vec!["C gula"]));
    assert_eq!(column(&pantry, "in_progress").0, 0);
    assert_eq!(column(&pantry, "completed").0, 0);

    let high = d.board("priority=high").await;
    assert_eq!(column(&high, "pending"), (1, vec!["B kopi"]));
    assert_eq!(column(&high, "approved").0, 0);
    assert_eq!(column(&high, "in_progress"), (1, vec!["E map"]));

    let mine = d.board("assignee=me").await;
    assert_eq!(column(&mine, "pending").0, 0);
    assert_eq!(column(&mine, "approved"), (1, vec!["D lampu"]));
    assert_eq!(column(&mine, "in_progress"), (1, vec!["E map"]));
    assert_eq!(column(&mine, "completed").0, 0);

    let nobody = d.board("assignee=unassigned").await;
    assert_eq!(column(&nobody, "pending").0, 2);
    assert_eq!(column(&nobody, "approved"), (1, vec!["C gula"]));
    assert_eq!(column(&nobody, "in_progress").0, 0);

    let joko_s = d.board(&format!("assignee={}", joko.id)).await;
    assert_eq!(column(&joko_s, "completed"), (1, vec!["F tinta"]));
    assert_eq!(
        joko_s.iter().map(|(_, n, _)| n).sum::<i64>(),
        1,
        "{joko_s:?}"
    );

    let late = d.board("overdue=true").await;
    assert_eq!(column(&late, "pending"), (1, vec!["A kertas"]));
    assert_eq!(column(&late, "approved").0, 0);
    assert_eq!(column(&late, "completed").0, 0);
    let r = d.rpc(&d.siti_token, "overdue=true").await;
    let card = &r.json()["columns"][0]["cards"][0];
    assert_eq!(card["overdue"], true);
    assert_eq!(card["assignee_id"], Value::Null);

    let both = d
        .board("category=office_supplies&priority=high&assignee=me")
        .await;
    assert_eq!(column(&both, "in_progress"), (1, vec!["E map"]));
    assert_eq!(both.iter().map(|(_, n, _)| n).sum::<i64>(), 1);

    // The total counts every ticket, the column shows the oldest fifty.
    let requester_id: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'budi@example.co.id'")
            .fetch_one(&d.app.db)
            .await
            .unwrap();
    sqlx::query(
        "insert into tickets (id, title, category, location, status, requester_id, created_at)
         select gen_random_uuid(), 'Bulk ' || g, 'general_service', 'Gudang', 'pending', $1,
                now() - interval '1 hour' * g
         from generate_series(1, 60) g",
    )
    .bind(requester_id)
    .execute(&d.app.db)
    .await
    .unwrap();
    let crowded = d.board("").await;
    let (total, titles) = column(&crowded, "pending");
    assert_eq!(total, 62);
    assert_eq!(titles.len() as i64, BOARD_CARDS);
    assert_eq!(titles[0], "A kertas");
    assert_eq!(titles[1], "Bulk 60");
    let r = d.rpc(&d.siti_token, "").await;
    assert_eq!(r.json()["columns"][0]["counted_all"], true);

    // Past a thousand the column stops counting and says so.
    sqlx::query(
        "insert into tickets (id, title, category, location, status, requester_id)
         select gen_random_uuid(), 'More ' || g, 'general_service', 'Gudang', 'pending', $1
         from generate_series(1, 1000) g",
    )
    .bind(requester_id)
    .execute(&d.app.db)
    .await
    .unwrap();
    let r = d.rpc(&d.siti_token, "").await;
    let pending = &r.json()["columns"][0];
    assert_eq!(pending["total"], BOARD_COUNT_CAP);
    assert_eq!(pending["counted_all"], false);
    assert_eq!(
        pending["cards"].as_array().unwrap().len() as i64,
        BOARD_CARDS
    );
    assert_eq!(pending["cards"][0]["ticket"]["title"], "A kertas");

    // The service gives the same board as the server function.
    let board = queues::board(
        &d.app.db,
        &siti,
        &BoardFilter {
            assignee: AssigneeFilter::Me,
            ..BoardFilter::default()
        },
    )
    .await
    .unwrap();
    let counts: Vec<i64> = board.columns.iter().map(|c| c.total).collect();
    assert_eq!(counts, [0, 1, 1, 0]);
}

#[sqlx::test(migrations = "../migrations")]
async fn bad_filters_and_outsiders_are_refused(db: PgPool) {
    let d = desk(db).await;
    let id = d
        .ticket(
            ticket("A kertas", "office_supplies", "medium"),
            "pending",
            None,
        )
        .await;
    let before = d.app.fingerprint(&id).await;
    for (query, field) in [
        ("category=snacks", "category"),
        ("priority=urgent", "priority"),
        ("assignee=bob", "assignee"),
        // A well-formed id of nobody on the GA staff.
        ("assignee=0190a0a0-0000-7000-8000-000000000000", "assignee"),
        ("overdue=yes", "overdue"),
    ] {
        let r = d.rpc(&d.siti_token, query).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {}",
            r.text()
        );
        assert!(
            r.text().contains(field),
            "{query}: the error names the field: {}",
            r.text()
        );
    }
    // A requester's id is no assignee either.
    let budi: uuid::Uuid =
        sqlx::query_scalar("select id from users where email = 'budi@example.co.id'")
            .fetch_one(&d.app.db)
            .await
            .unwrap();
    let r = d.rpc(&d.siti_token, &format!("assignee={budi}")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    // Only GA staff have a desk.
    let r = d.rpc(&d.requester, "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(d.app.fingerprint(&id).await, before);
    assert_eq!(d.app.count("tickets").await, 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn two_agents_assigning_at_once_one_wins(db: PgPool) {
    let d = desk(db).await;
    for round in 0..3 {
        let id = d
            .ticket(
                ticket(&format!("C gula {round}"), "pantry_supplies", "low"),
                "approved",
                None,
            )
            .await;
        let version = d.app.get(&d.siti_token, &id).await["version"]
            .as_i64()
            .unwrap();
        // Both tap "Assign to me" on the card they see, at the same version.
        let (a, b) = tokio::join!(
            d.app.act(
                &d.siti_token,
                &id,
                "assign",
                version,
                json!({"assignee_id": d.siti.id})
            ),
            d.app.act(
                &d.joko_token,
                &id,
                "assign",
                version,
                json!({"assignee_id": d.joko.id})
            ),
        );
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::OK, StatusCode::CONFLICT],
            "{} / {}",
            a.text(),
            b.text()
        );
        let (winner, loser) = if a.status == StatusCode::OK {
            (&d.siti, &b)
        } else {
            (&d.joko, &a)
        };
        let problem = assert_problem(loser, StatusCode::CONFLICT);
        assert_eq!(problem["current_version"], version + 1);
        let now = d.app.get(&d.siti_token, &id).await;
        assert_eq!(now["assignee"]["id"], json!(winner.id));
        assert_eq!(now["version"], version + 1);
        // The board the loser reloads shows who has it.
        let r = d.rpc(&d.siti_token, "").await;
        let card = r.json()["columns"][1]["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["ticket"]["id"] == json!(id))
            .cloned()
            .unwrap();
        assert_eq!(card["assignee_id"], json!(winner.id));
        assert_eq!(card["ticket"]["version"], version + 1);
    }
    let board = d.board("assignee=unassigned").await;
    assert_eq!(column(&board, "approved").0, 0);
}

/// Reads the stream until a frame contains `needle` (or the time is up).
async fn read_until(body: &mut Body, needle: &str) -> String {
    let mut seen = String::new();
    let found = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(frame) = body.frame().await {
            if let Ok(data) = frame.unwrap().into_data() {
                seen.push_str(&String::from_utf8_lossy(&data));
                if seen.contains(needle) {
                    return true;
                }
            }
        }
        false
    })
    .await;
    assert!(
        matches!(found, Ok(true)),
        "no {needle:?} in the stream; got {seen:?}"
    );
    seen
}

fn events_request(token: Option<&str>) -> Request<Body> {
    let mut req = Request::builder()
        .uri("/events/tickets")
        .header(header::ACCEPT, "text/event-stream");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    req.body(Body::empty()).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_event_stream_is_for_staff_and_tells_of_changes(db: PgPool) {
    let d = desk(db).await;
    assert_problem(
        &d.app.send(events_request(None)).await,
        StatusCode::UNAUTHORIZED,
    );
    assert_problem(
        &d.app.send(events_request(Some(&d.requester))).await,
        StatusCode::FORBIDDEN,
    );

    let listener =
        server::events::start_listener(d.app.db.clone(), d.app.state.ticket_events.clone())
            .await
            .unwrap();
    let res = d
        .app
        .router
        .clone()
        .oneshot(events_request(Some(&d.siti_token)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = res.into_body();
    read_until(&mut body, "retry:").await;

    // Creating a ticket is heard...
    let created = d
        .app
        .create(
            &d.requester,
            ticket("A kertas", "office_supplies", "medium"),
        )
        .await;
    let id = created["id"].as_str().unwrap();
    let seen = read_until(&mut body, id).await;
    assert!(seen.contains(r#""status":"pending""#), "{seen}");
    assert!(seen.contains(r#""version":1"#), "{seen}");

    // ...and so is every transition, once committed.
    let r = d.app.act(&d.siti_token, id, "accept", 1, Value::Null).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let seen = read_until(&mut body, r#""status":"approved""#).await;
    assert!(seen.contains(r#""kind":"changed""#), "{seen}");
    assert!(seen.contains(r#""version":2"#), "{seen}");
    // The event carries no more than id, status and version.
    assert!(
        !seen.contains("A kertas") && !seen.contains("budi"),
        "{seen}"
    );

    // A refused change says nothing.
    let r = d.app.act(&d.siti_token, id, "accept", 2, Value::Null).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let quiet = tokio::time::timeout(Duration::from_millis(500), body.frame()).await;
    assert!(quiet.is_err(), "unexpected frame: {quiet:?}");

    // Shutting down ends the stream instead of holding the server open.
    d.app.state.ticket_events.close();
    let end = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(frame) = body.frame().await {
            frame.unwrap();
        }
    })
    .await;
    assert!(end.is_ok(), "the stream did not end");
    listener.abort();
}
