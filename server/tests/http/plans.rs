//! Every ticket list query is an index scan. Over ~30 000 generated tickets
//! (`gadesk generate`, then ANALYZE) each list shape is EXPLAINed exactly as
//! the services run it, SQL and values alike, and no plan may read
//! `tickets` with a sequential scan: neither the custom plan PostgreSQL
//! makes for the values, nor the generic plan a prepared statement may
//! switch to after five runs. Run with `--no-capture` to see each plan's
//! root node, estimated cost and how it reads `tickets`.

use app::domain::desk::{AssigneeFilter, BoardFilter};
use app::domain::ticket::query::TicketQuery;
use app::domain::Actor;
use app::services::cursor::CursorKey;
use app::services::explain::Plans;
use app::services::passwords::Passwords;
use app::services::{queues, tickets, users};
use chrono::{Duration, Utc};
use serde_json::Value;
use server::seed::generate::{generate, Options};
use sqlx::PgPool;
use std::time::Instant;
use uuid::Uuid;

const TICKETS: u64 = 30_000;
const USERS: u64 = 3_000;

/// Every node anywhere in a plan that reads `tickets` row by row.
fn seq_scans_on_tickets(plan: &Value, out: &mut Vec<String>) {
    match plan {
        Value::Object(node) => {
            if node.get("Node Type").and_then(Value::as_str) == Some("Seq Scan")
                && node.get("Relation Name").and_then(Value::as_str) == Some("tickets")
            {
                out.push(format!(
                    "Seq Scan on tickets {} (cost {}..{}, rows {})",
                    node.get("Alias").and_then(Value::as_str).unwrap_or(""),
                    node["Startup Cost"],
                    node["Total Cost"],
                    node["Plan Rows"]
                ));
            }
            node.values().for_each(|v| seq_scans_on_tickets(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| seq_scans_on_tickets(v, out)),
        _ => {}
    }
}

/// How a plan reads `tickets`: its scan nodes and the indexes they use.
fn tickets_access(plan: &Value, out: &mut Vec<String>) {
    match plan {
        Value::Object(node) => {
            let on_tickets = node.get("Relation Name").and_then(Value::as_str) == Some("tickets");
            let index = node.get("Index Name").and_then(Value::as_str);
            if on_tickets || index.is_some_and(|i| i.starts_with("tickets_")) {
                let kind = node["Node Type"].as_str().unwrap_or("?");
                let dir = match node.get("Scan Direction").and_then(Value::as_str) {
                    Some("Backward") => " backward",
                    _ => "",
                };
                out.push(match index {
                    Some(i) => format!("{kind}{dir} {i}"),
                    None => kind.to_string(),
                });
            }
            node.values().for_each(|v| tickets_access(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| tickets_access(v, out)),
        _ => {}
    }
}

fn root(plan: &Value) -> &Value {
    &plan[0]["Plan"]
}

fn summary(plan: &Value) -> String {
    let mut access = Vec::new();
    tickets_access(plan, &mut access);
    format!(
        "{} cost {:.2} rows {}; tickets: {}",
        root(plan)["Node Type"].as_str().unwrap_or("?"),
        root(plan)["Total Cost"].as_f64().unwrap_or(f64::NAN),
        root(plan)["Plan Rows"],
        access.join(", ")
    )
}

struct Checker {
    checked: usize,
    failures: Vec<String>,
}

impl Checker {
    fn check(&mut self, name: &str, plans: &Plans) {
        self.checked += 1;
        println!("{name}");
        for (kind, plan) in [("custom", &plans.custom), ("generic", &plans.generic)] {
            println!("    {kind:<7}  {}", summary(plan));
            let mut seq = Vec::new();
            seq_scans_on_tickets(plan, &mut seq);
            if !seq.is_empty() {
                self.failures.push(format!(
                    "{name} ({kind} plan): {}\n{}\n{}",
                    seq.join("; "),
                    plans.sql,
                    serde_json::to_string_pretty(plan).unwrap()
                ));
            }
        }
    }
}

/// A list query from a query string such as `status=pending&sort=-number`.
fn query(qs: &str) -> TicketQuery {
    TicketQuery::parse(
        qs.split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, ""))),
    )
    .unwrap_or_else(|e| panic!("{qs}: {e}"))
}

async fn actor(db: &PgPool, id: Uuid) -> Actor {
    let mut conn = db.acquire().await.unwrap();
    users::find_actor(&mut conn, id).await.unwrap().unwrap()
}

async fn top(db: &PgPool, sql: &'static str) -> Uuid {
    sqlx::query_scalar(sql).fetch_one(db).await.unwrap()
}

/// The query with the cursor of its first page, to explain the second.
async fn second_page(db: &PgPool, keys: &CursorKey, actor: &Actor, qs: &str) -> TicketQuery {
    let mut q = query(qs);
    let first = tickets::search(db, keys, actor, &q).await.unwrap();
    q.cursor = Some(
        first
            .next_cursor
            .unwrap_or_else(|| panic!("{qs}: only one page")),
    );
    q
}

#[sqlx::test(migrations = "../migrations")]
async fn every_list_query_is_an_index_scan(db: PgPool) {
    let started = Instant::now();
    let report = generate(
        &db,
        &Passwords::new(1),
        "plans-test-password",
        Options {
            tickets: TICKETS,
            users: USERS,
            seed: 42,
        },
    )
    .await
    .unwrap();
    assert_eq!(report.tickets, TICKETS);
    // The generator leaves waiting tickets open to any approver; route them
    // to the requester's manager where there is one, as creation does, so
    // the approval queue has both kinds.
    sqlx::query(
        "update tickets t set awaiting_approver_id = r.manager_id
         from users r where r.id = t.requester_id and t.status = 'waiting_approval'",
    )
    .execute(&db)
    .await
    .unwrap();
    sqlx::query("analyze").execute(&db).await.unwrap();
    let generated = started.elapsed();

    let state = crate::common::state(db.clone());
    let keys: &CursorKey = &state.cursors;
    // The busiest people, so their lists are the longest.
    let hot = top(
        &db,
        "select requester_id from tickets group by 1 order by count(*) desc, 1 limit 1",
    )
    .await;
    let worker = top(
        &db,
        "select assignee_id from tickets where assignee_id is not null
         group by 1 order by count(*) desc, 1 limit 1",
    )
    .await;
    let approver = top(
        &db,
        "select awaiting_approver_id from tickets where awaiting_approver_id is not null
         group by 1 order by count(*) desc, 1 limit 1",
    )
    .await;
    let number: String = sqlx::query_scalar("select number from tickets order by id limit 1")
        .fetch_one(&db)
        .await
        .unwrap();
    let requester = actor(&db, hot).await;
    let agent = actor(&db, worker).await;
    let approver = actor(&db, approver).await;
    assert!(!requester.can(app::domain::Permission::TicketsReadAll));
    assert!(agent.can(app::domain::Permission::TicketsReadAll));

    let today = Utc::now().date_naive();
    let range = format!(
        "created_from={}&created_to={}",
        today - Duration::days(120),
        today - Duration::days(90)
    );
    let staff_lists: Vec<(String, String)> = [
        ("all, newest first", String::new()),
        ("status=waiting_approval", "status=waiting_approval".into()),
        ("status=pending", "status=pending".into()),
        (
            "status=pending,approved,in_progress",
            "status=pending,approved,in_progress".into(),
        ),
        (
            "category=pantry_supplies",
            "category=pantry_supplies".into(),
        ),
        ("priority=high", "priority=high".into()),
        ("assignee=<busiest agent>", format!("assignee={worker}")),
        ("requester=<hot requester>", format!("requester={hot}")),
        ("created_from..created_to (30 days)", range.clone()),
        ("q=untuk (every ticket)", "q=untuk".into()),
        ("q=dekorasi (rare word)", "q=dekorasi".into()),
        ("q=<a ticket number>", format!("q={number}")),
        (
            "status=pending&category=office_supplies&sort=-priority",
            "status=pending&category=office_supplies&sort=-priority".into(),
        ),
    ]
    .into_iter()
    .map(|(n, q)| (n.to_string(), q))
    .collect();
    let sorts: Vec<String> = [
        "created_at",
        "updated_at",
        "priority",
        "number",
        "estimated_total",
    ]
    .into_iter()
    .flat_map(|f| [f.to_string(), format!("-{f}")])
    .collect();

    // The check itself: a filter no index serves reads all of tickets.
    let unindexed: Value = sqlx::query_scalar(
        "explain (format json) select id from tickets where location like '%Lantai 7'",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    let mut seq = Vec::new();
    seq_scans_on_tickets(&unindexed, &mut seq);
    assert_eq!(seq.len(), 1, "{unindexed:#}");

    let explaining = Instant::now();
    let mut checker = Checker {
        checked: 0,
        failures: Vec::new(),
    };
    println!(
        "{} tickets, {} users; plans (root node, estimated total cost, rows; how tickets is read):",
        report.tickets, report.users
    );

    // GA staff read every ticket.
    for (name, qs) in &staff_lists {
        let plans = tickets::explain_search(&db, keys, &agent, &query(qs))
            .await
            .unwrap();
        checker.check(&format!("agent: {name}"), &plans);
    }
    for sort in &sorts {
        let qs = format!("sort={sort}");
        let plans = tickets::explain_search(&db, keys, &agent, &query(&qs))
            .await
            .unwrap();
        checker.check(&format!("agent: {qs}"), &plans);
        let next = second_page(&db, keys, &agent, &qs).await;
        let plans = tickets::explain_search(&db, keys, &agent, &next)
            .await
            .unwrap();
        checker.check(&format!("agent: {qs}, page 2"), &plans);
    }
    for qs in [
        "status=pending".to_string(),
        format!("requester={hot}"),
        "q=untuk&sort=-estimated_total".to_string(),
        range.clone(),
    ] {
        let next = second_page(&db, keys, &agent, &qs).await;
        let plans = tickets::explain_search(&db, keys, &agent, &next)
            .await
            .unwrap();
        checker.check(&format!("agent: {qs}, page 2"), &plans);
    }

    // A requester lists only their own tickets.
    for qs in [
        "",
        "status=pending",
        "q=untuk",
        "sort=-priority",
        "sort=number",
        "sort=-estimated_total",
        "sort=updated_at",
    ] {
        let plans = tickets::explain_search(&db, keys, &requester, &query(qs))
            .await
            .unwrap();
        checker.check(&format!("requester (own): {qs}"), &plans);
    }
    for qs in ["", "sort=-estimated_total"] {
        let next = second_page(&db, keys, &requester, qs).await;
        let plans = tickets::explain_search(&db, keys, &requester, &next)
            .await
            .unwrap();
        checker.check(&format!("requester (own): {qs}, page 2"), &plans);
    }

    // "My requests", first page and the next.
    let plans = tickets::explain_my_tickets(&db, keys, &requester, None, None)
        .await
        .unwrap();
    checker.check("list_my_tickets", &plans);
    let first = tickets::list_my_tickets(&db, keys, &requester, None, None)
        .await
        .unwrap();
    let cursor = first.next_cursor.expect("the hot requester has many pages");
    let plans = tickets::explain_my_tickets(&db, keys, &requester, Some(&cursor), None)
        .await
        .unwrap();
    checker.check("list_my_tickets, page 2", &plans);

    // Queues; they also still run and find work.
    let waiting = queues::approvals_for(&db, &approver).await.unwrap();
    assert!(!waiting.is_empty());
    let board = queues::board(&db, &agent, &BoardFilter::default())
        .await
        .unwrap();
    assert!(
        board.columns.iter().all(|c| !c.cards.is_empty()),
        "every desk column has work"
    );
    let plans = queues::explain_approvals_for(&db, &approver).await.unwrap();
    checker.check("approvals_for", &plans);
    // The desk board, plain and with each filter the address can carry.
    let desk_filters = [
        ("all", ""),
        ("category", "category=pantry_supplies"),
        ("priority", "priority=high"),
        ("assignee=me", "assignee=me"),
        ("assignee=unassigned", "assignee=unassigned"),
        ("overdue", "overdue=true"),
        (
            "category, priority, me, overdue",
            "category=office_supplies&priority=medium&assignee=me&overdue=true",
        ),
    ];
    for (name, qs) in desk_filters {
        let value = |key: &str| {
            qs.split('&')
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| *k == key)
                .map_or("", |(_, v)| v)
        };
        let filter = BoardFilter::parse(
            value("category"),
            value("priority"),
            value("assignee"),
            value("overdue"),
        )
        .unwrap();
        for (part, plans) in queues::explain_board(&db, &agent, &filter).await.unwrap() {
            checker.check(&format!("desk {part}: {name}"), &plans);
        }
    }
    let person = BoardFilter {
        assignee: AssigneeFilter::Person(worker),
        ..BoardFilter::default()
    };
    for (part, plans) in queues::explain_board(&db, &agent, &person).await.unwrap() {
        checker.check(&format!("desk {part}: assignee=<busiest agent>"), &plans);
    }

    println!(
        "generated and analyzed in {:.1} s; {} queries explained (custom and generic plans) in {:.1} s",
        generated.as_secs_f64(),
        checker.checked,
        explaining.elapsed().as_secs_f64()
    );
    assert!(
        checker.failures.is_empty(),
        "{} plan(s) scan tickets sequentially:\n\n{}",
        checker.failures.len(),
        checker.failures.join("\n\n")
    );
}

/// Every node that reads `bookings`, with the index it uses.
fn bookings_access(plan: &Value, out: &mut Vec<String>) {
    match plan {
        Value::Object(node) => {
            let on_bookings = node.get("Relation Name").and_then(Value::as_str) == Some("bookings");
            let index = node.get("Index Name").and_then(Value::as_str);
            if on_bookings || index.is_some_and(|i| i.starts_with("bookings_")) {
                let kind = node["Node Type"].as_str().unwrap_or("?");
                out.push(format!("{kind} {}", index.unwrap_or("")).trim().to_string());
            }
            node.values().for_each(|v| bookings_access(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| bookings_access(v, out)),
        _ => {}
    }
}

/// "Find a room" over 1 000 resources and 200 000 bookings reads the
/// bookings through a range index (on time, or the exclusion constraint's
/// on resource and time), never row by row, in the custom plan and the
/// generic one.
#[sqlx::test(migrations = "../migrations")]
async fn the_availability_query_reads_the_range_index(db: PgPool) {
    use app::domain::booking::{FindQuery, ResourceKind};
    use app::domain::site::HEAD_OFFICE;
    let owner = users::upsert_user(
        &db,
        &Passwords::new(1),
        &crate::common::new_user("budi.santoso@example.co.id", app::domain::Role::Requester),
    )
    .await
    .unwrap();
    sqlx::query(
        "insert into resources (id, site_id, kind, name, floor, capacity, features)
         select gen_random_uuid(), $1, case when i % 10 = 0 then 'car' else 'room' end,
                'Ruang ' || i, (i % 12)::text, 2 + i % 40,
                case when i % 3 = 0 then '{projector}'::text[] else '{}' end
           from generate_series(1, 1000) i",
    )
    .bind(HEAD_OFFICE)
    .execute(&db)
    .await
    .unwrap();
    // 200 bookings per resource, an hour each, a day apart.
    sqlx::query(
        "insert into bookings (id, resource_id, booked_by, title, during, status)
         select gen_random_uuid(), r.id, $1, 'Rapat',
                tstzrange(now() + make_interval(days => d, hours => (r.capacity % 8)),
                          now() + make_interval(days => d, hours => (r.capacity % 8) + 1)),
                case when d % 7 = 0 then 'cancelled' else 'confirmed' end
           from resources r, generate_series(1, 200) d",
    )
    .bind(owner.id)
    .execute(&db)
    .await
    .unwrap();
    sqlx::query("analyze").execute(&db).await.unwrap();
    let from = Utc::now() + Duration::days(30);
    let q = FindQuery {
        site: HEAD_OFFICE,
        kind: ResourceKind::Room,
        from,
        to: from + Duration::hours(1),
        attendees: 10,
        features: vec![],
    };
    let plans = app::services::bookings::explain_availability(&db, &q)
        .await
        .unwrap();
    for (kind, plan) in [("custom", &plans.custom), ("generic", &plans.generic)] {
        let mut access = Vec::new();
        bookings_access(plan, &mut access);
        println!(
            "availability {kind}: bookings read by {}",
            access.join(", ")
        );
        assert!(!access.is_empty(), "{kind} plan does not read bookings?");
        assert!(
            !access.iter().any(|a| a.starts_with("Seq Scan"))
                && access
                    .iter()
                    .any(|a| a.ends_with("bookings_no_overlap")
                        || a.ends_with("bookings_during_idx")),
            "{kind} plan reads bookings without the range index: {access:?}\n{}",
            serde_json::to_string_pretty(plan).unwrap()
        );
    }
}
