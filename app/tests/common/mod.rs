#![allow(dead_code)]

use app::domain::ticket::{Category, NewItem, NewTicket, Priority};
use app::domain::{Actor, Money, Role};
use app::services::passwords::Passwords;
use app::services::users::{upsert_user, NewUser};
use sqlx::PgPool;
use std::sync::OnceLock;

pub const PASSWORD: &str = "kopi-susu-gula-aren";

pub fn passwords() -> Passwords {
    static P: OnceLock<Passwords> = OnceLock::new();
    P.get_or_init(|| Passwords::new(2)).clone()
}

pub async fn user(db: &PgPool, email: &str, role: Role) -> Actor {
    upsert_user(
        db,
        &passwords(),
        &NewUser {
            email: email.into(),
            name: email.split('@').next().unwrap().replace('.', " "),
            department: "Pemasaran".into(),
            role,
            password: Some(PASSWORD.into()),
            manager_id: None,
        },
    )
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
