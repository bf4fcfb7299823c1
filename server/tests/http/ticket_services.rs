//! Ticket services against a real PostgreSQL database (one per test).

use crate::common::{count, rp, ticket, user};
use app::domain::ticket::TicketStatus;
use app::domain::{Refusal, Role};
use app::services::cursor::CursorKey;
use app::services::tickets::{create_ticket, get_ticket, list_my_tickets};
use app::services::ServiceError;
use sqlx::PgPool;
use std::collections::HashSet;

fn keys() -> CursorKey {
    CursorKey::derive(b"test secret that is long enough!!")
}

#[sqlx::test(migrations = "../migrations")]
async fn creates_a_pending_ticket_with_items_history_and_number(db: PgPool) {
    let budi = user(&db, "budi.santoso@example.co.id", Role::Requester).await;
    let t = create_ticket(
        &db,
        &budi,
        ticket(
            "Kertas A4",
            &[("Kertas A4 80gsm", 10, 55_000), ("Pulpen", 2, 35_000)],
        ),
    )
    .await
    .unwrap();
    assert_eq!(t.status, TicketStatus::Pending);
    assert_eq!(t.estimated_total, rp(620_000));
    assert_eq!(t.version, 1);
    // Numbers count per year in Jakarta time: the first of the year is 000001.
    let year = (chrono::Utc::now() + chrono::Duration::hours(7)).format("%Y");
    assert_eq!(t.number, format!("GA-{year}-000001"));

    let stored = get_ticket(&db, &budi, t.id).await.unwrap();
    assert_eq!(stored, t, "what create returns is what get reads back");
    assert_eq!(stored.items[1].line_total, rp(70_000));
    let (action, to): (String, String) =
        sqlx::query_as("select action, to_status from ticket_history where ticket_id = $1")
            .bind(t.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!((action.as_str(), to.as_str()), ("create", "pending"));
}

#[sqlx::test(migrations = "../migrations")]
async fn costly_tickets_wait_for_approval(db: PgPool) {
    let budi = user(&db, "budi@example.co.id", Role::Requester).await;
    let t = create_ticket(
        &db,
        &budi,
        ticket("Kursi", &[("Kursi ergonomis", 1, 1_000_000)]),
    )
    .await
    .unwrap();
    assert_eq!(t.status, TicketStatus::WaitingApproval);
    let (level,): (Option<i16>,) =
        sqlx::query_as("select awaiting_level from tickets where id = $1")
            .bind(t.id)
            .fetch_one(&db)
            .await
            .unwrap();
    assert_eq!(level, Some(1));
}

#[sqlx::test(migrations = "../migrations")]
async fn invalid_tickets_write_nothing(db: PgPool) {
    let budi = user(&db, "budi@example.co.id", Role::Requester).await;
    let mut bad = ticket("", &[("Kertas", 1, 55_000)]);
    bad.location = " ".into();
    match create_ticket(&db, &budi, bad).await {
        Err(ServiceError::Validation(e)) => {
            assert!(e.get("title").is_some());
            assert!(e.get("location").is_some());
        }
        other => panic!("expected validation error, got {other:?}"),
    }
    let mut absurd = ticket("Gedung baru", &[("Gedung", 2, 600_000_000_000)]);
    absurd.items[0].quantity = 2;
    assert!(matches!(
        create_ticket(&db, &budi, absurd).await,
        Err(ServiceError::Validation(_))
    ));
    let no_items = ticket("Kosong", &[]);
    assert!(matches!(
        create_ticket(&db, &budi, no_items).await,
        Err(ServiceError::Validation(_))
    ));
    assert_eq!(count(&db, "tickets").await, 0);
    assert_eq!(count(&db, "ticket_items").await, 0);
    assert_eq!(count(&db, "ticket_history").await, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_creations_get_distinct_numbers(db: PgPool) {
    let budi = user(&db, "budi@example.co.id", Role::Requester).await;
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let db = db.clone();
            let budi = budi.clone();
            tokio::spawn(async move {
                create_ticket(
                    &db,
                    &budi,
                    ticket(&format!("Tiket {i}"), &[("Kopi", 1, 1000)]),
                )
                .await
                .unwrap()
                .number
            })
        })
        .collect();
    let mut numbers = HashSet::new();
    for t in tasks {
        numbers.insert(t.await.unwrap());
    }
    assert_eq!(numbers.len(), 20);
}

#[sqlx::test(migrations = "../migrations")]
async fn my_list_pages_newest_first_without_gaps_or_strangers(db: PgPool) {
    let budi = user(&db, "budi@example.co.id", Role::Requester).await;
    let ani = user(&db, "ani@example.co.id", Role::Requester).await;
    for i in 0..45 {
        create_ticket(
            &db,
            &budi,
            ticket(&format!("Budi {i}"), &[("Kopi", 1, 1000)]),
        )
        .await
        .unwrap();
    }
    create_ticket(&db, &ani, ticket("Ani", &[("Teh", 1, 1000)]))
        .await
        .unwrap();

    let k = keys();
    let mut seen = Vec::new();
    let mut cursor = None;
    let mut sizes = Vec::new();
    loop {
        let page = list_my_tickets(&db, &k, &budi, cursor.as_deref(), Some(20))
            .await
            .unwrap();
        sizes.push(page.items.len());
        seen.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(sizes, vec![20, 20, 5]);
    let titles: Vec<_> = seen.iter().map(|t| t.title.clone()).collect();
    let expected: Vec<_> = (0..45).rev().map(|i| format!("Budi {i}")).collect();
    assert_eq!(titles, expected, "newest first, each exactly once");
    assert!(seen.iter().all(|t| t.requester_name == budi.name));

    let forged =
        list_my_tickets(&db, &k, &budi, Some("dDoxOjA.AAAAAAAAAAAAAAAAAAAAAA"), None).await;
    assert!(matches!(
        forged,
        Err(ServiceError::Refused(Refusal::BadCursor))
    ));
    assert!(matches!(
        list_my_tickets(&db, &k, &budi, None, Some(101)).await,
        Err(ServiceError::Refused(Refusal::BadParameter { name, .. })) if name == "limit"
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn other_requesters_tickets_are_not_found_but_agents_see_them(db: PgPool) {
    let budi = user(&db, "budi@example.co.id", Role::Requester).await;
    let ani = user(&db, "ani@example.co.id", Role::Requester).await;
    let approver = user(&db, "dewi@example.co.id", Role::Approver).await;
    let agent = user(&db, "siti@example.co.id", Role::Agent).await;
    let t = create_ticket(&db, &budi, ticket("Kertas", &[("Kertas", 1, 55_000)]))
        .await
        .unwrap();
    assert!(matches!(
        get_ticket(&db, &ani, t.id).await,
        Err(ServiceError::Refused(Refusal::NotFound))
    ));
    assert!(matches!(
        get_ticket(&db, &approver, t.id).await,
        Err(ServiceError::Refused(Refusal::NotFound))
    ));
    assert_eq!(get_ticket(&db, &agent, t.id).await.unwrap().id, t.id);
    assert!(matches!(
        get_ticket(&db, &budi, uuid::Uuid::now_v7()).await,
        Err(ServiceError::Refused(Refusal::NotFound))
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_database_refuses_what_the_domain_refuses(db: PgPool) {
    let budi = user(&db, "budi@example.co.id", Role::Requester).await;
    let t = create_ticket(&db, &budi, ticket("Kertas", &[("Kertas", 1, 55_000)]))
        .await
        .unwrap();
    let bad_item = sqlx::query(
        "insert into ticket_items (ticket_id, line_no, name, quantity, unit, unit_price)
         values ($1, 2, 'x', -1, 'pcs', 1)",
    )
    .bind(t.id)
    .execute(&db)
    .await;
    assert!(bad_item.is_err(), "negative quantity");
    let bad_price = sqlx::query(
        "insert into ticket_items (ticket_id, line_no, name, quantity, unit, unit_price)
         values ($1, 2, 'x', 1, 'pcs', -5)",
    )
    .bind(t.id)
    .execute(&db)
    .await;
    assert!(bad_price.is_err(), "negative price");
    let bad_status = sqlx::query("update tickets set status = 'lost' where id = $1")
        .bind(t.id)
        .execute(&db)
        .await;
    assert!(bad_status.is_err(), "unknown status");
    let bad_total =
        sqlx::query("update tickets set estimated_total = 1000000000000.01 where id = $1")
            .bind(t.id)
            .execute(&db)
            .await;
    assert!(bad_total.is_err(), "absurd total");
    let closed_without_resolution =
        sqlx::query("update tickets set status = 'closed' where id = $1")
            .bind(t.id)
            .execute(&db)
            .await;
    assert!(closed_without_resolution.is_err());
    let upper_email =
        sqlx::query("insert into users (id, email, name) values ($1, 'Budi@Example.co.id', 'B')")
            .bind(uuid::Uuid::now_v7())
            .execute(&db)
            .await;
    assert!(upper_email.is_err(), "emails are stored lower-case");
    assert_eq!(count(&db, "ticket_items").await, 1);
}
