//! The approver dashboard's figures against real decisions.

use crate::common::{ticket_costing, TestApp};
use app::domain::ticket::Category;
use app::domain::Role;
use rust_decimal::Decimal;
use serde_json::json;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn figures_and_series_count_my_decisions(db: PgPool) {
    let app = TestApp::new(db).await;
    app.user("budi@example.co.id", Role::Requester).await;
    let dewi = app.user("dewi@example.co.id", Role::Approver).await;
    let hendra = app.user("hendra@example.co.id", Role::Approver).await;
    let budi = app.login("budi@example.co.id").await;
    let dewi_t = app.login("dewi@example.co.id").await;
    let hendra_t = app.login("hendra@example.co.id").await;
    // Dewi approves two (Rp 2.000.000 and Rp 3.000.000) and rejects one;
    // Hendra approves one, which must not count for Dewi.
    for (price, who, action) in [
        (2_000_000u64, &dewi_t, "approve"),
        (3_000_000, &dewi_t, "approve"),
        (4_000_000, &dewi_t, "reject"),
        (5_000_000, &hendra_t, "approve"),
    ] {
        let t = app
            .create(&budi, ticket_costing("Lemari arsip", price))
            .await;
        let id = t["id"].as_str().unwrap().to_string();
        let r = app
            .act(who, &id, action, 1, json!({"reason": "Anggaran habis"}))
            .await;
        assert!(r.status.is_success(), "{}", r.text());
    }
    let d = app::services::dashboard::approver(&app.db, &dewi)
        .await
        .unwrap();
    assert_eq!(d.waiting_for_me, 0);
    assert_eq!(d.approved_this_month, 2);
    assert_eq!(d.approved_amount_this_month, Decimal::from(5_000_000));
    assert!(d
        .avg_decision_hours
        .is_some_and(|h| (0.0..0.1).contains(&h)));
    assert_eq!(d.decisions.len(), 8);
    let this_week = d.decisions.last().unwrap();
    assert_eq!((this_week.approved, this_week.rejected), (2, 1));
    assert!(d.decisions[..7]
        .iter()
        .all(|w| w.approved == 0 && w.rejected == 0));
    // Company spend: the three approved tickets (7+3+2... = 10 jt), none rejected.
    assert_eq!(d.months.len(), 6);
    let totals = d.month_totals();
    assert_eq!(*totals.last().unwrap(), Decimal::from(10_000_000));
    assert_eq!(d.categories(), vec![Category::OfficeFurniture]);
    let h = app::services::dashboard::approver(&app.db, &hendra)
        .await
        .unwrap();
    assert_eq!(
        (h.approved_this_month, h.approved_amount_this_month),
        (1, Decimal::from(5_000_000))
    );
    // A new request for any approver waits for Dewi.
    app.create(&budi, ticket_costing("Kursi rapat", 1_500_000))
        .await;
    let d = app::services::dashboard::approver(&app.db, &dewi)
        .await
        .unwrap();
    assert_eq!(d.waiting_for_me, 1);
    // Requesters have no dashboard.
    let requester = app.user("ani@example.co.id", Role::Requester).await;
    assert!(app::services::dashboard::approver(&app.db, &requester)
        .await
        .is_err());
}
