//! Demo data for development and the browser tests: one person per role
//! (Indonesian names, example.co.id addresses) and a few tickets.

use app::domain::ticket::{Category, NewItem, NewTicket, Priority};
use app::domain::{Money, Role};
use app::services::passwords::Passwords;
use app::services::users::{upsert_user, NewUser};
use app::services::{tickets, Db, ServiceError};

pub struct DemoAccount {
    pub email: &'static str,
    pub name: &'static str,
    pub department: &'static str,
    pub role: Role,
}

pub const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        email: "dewi.kusuma@example.co.id",
        name: "Dewi Kusuma",
        department: "Keuangan",
        role: Role::Approver,
    },
    DemoAccount {
        email: "hendra.wijaya@example.co.id",
        name: "Hendra Wijaya",
        department: "Keuangan",
        role: Role::Approver,
    },
    DemoAccount {
        email: "budi.santoso@example.co.id",
        name: "Budi Santoso",
        department: "Pemasaran",
        role: Role::Requester,
    },
    DemoAccount {
        email: "ani.pratama@example.co.id",
        name: "Ani Pratama",
        department: "Sumber Daya Manusia",
        role: Role::Requester,
    },
    DemoAccount {
        email: "yohana.kambu@example.co.id",
        name: "Yohana Kambu",
        department: "Operasional",
        role: Role::Requester,
    },
    DemoAccount {
        email: "siti.rahman@example.co.id",
        name: "Siti Rahman",
        department: "General Affairs",
        role: Role::Agent,
    },
    DemoAccount {
        email: "rina.hartono@example.co.id",
        name: "Rina Hartono",
        department: "Teknologi Informasi",
        role: Role::Admin,
    },
];

fn item(name: &str, quantity: u32, unit: &str, price: u64) -> NewItem {
    NewItem {
        name: name.into(),
        quantity,
        unit: unit.into(),
        unit_price: Money::from_rupiah(price).expect("demo prices are in range"),
        stock_item_id: None,
    }
}

fn demo_tickets() -> Vec<NewTicket> {
    vec![
        NewTicket {
            title: "Kertas dan pulpen untuk tim Pemasaran".into(),
            description: "Persediaan kertas di lantai 7 habis sejak Senin.".into(),
            category: Category::OfficeSupplies,
            priority: Priority::Medium,
            location: "Kantor Pusat Jakarta, Lantai 7".into(),
            items: vec![
                item("Kertas A4 80gsm", 10, "rim", 55_000),
                item("Pulpen gel hitam", 2, "box", 35_000),
            ],
        },
        NewTicket {
            title: "AC ruang rapat Merapi tidak dingin".into(),
            description: "Suhu ruangan 29°C saat rapat pagi.".into(),
            category: Category::FacilityMaintenance,
            priority: Priority::High,
            location: "Kantor Pusat Jakarta, Lantai 7, Ruang Merapi".into(),
            items: vec![item("Perbaikan AC tidak dingin", 1, "unit", 750_000)],
        },
        NewTicket {
            title: "Kursi kerja ergonomis untuk staf baru".into(),
            description: "Tiga staf baru mulai bulan depan.".into(),
            category: Category::OfficeFurniture,
            priority: Priority::Low,
            location: "Kantor Pusat Jakarta, Lantai 7".into(),
            items: vec![item("Kursi kerja ergonomis", 3, "pcs", 1_850_000)],
        },
    ]
}

/// Creates or refreshes the demo accounts with `password`, and gives the
/// demo requester a few tickets the first time. Safe to run repeatedly.
pub async fn seed_demo(db: &Db, passwords: &Passwords, password: &str) -> Result<(), ServiceError> {
    let mut manager = None;
    let mut agent = None;
    for account in DEMO_ACCOUNTS {
        let actor = upsert_user(
            db,
            passwords,
            &NewUser {
                email: account.email.into(),
                name: account.name.into(),
                department: account.department.into(),
                role: account.role,
                password: Some(password.into()),
                manager_id: if account.role == Role::Requester {
                    manager
                } else {
                    None
                },
            },
        )
        .await?;
        if account.role == Role::Agent {
            agent = Some(actor.clone());
        }
        if manager.is_none() && account.role == Role::Approver {
            manager = Some(actor.id);
        }
        if account.email == "budi.santoso@example.co.id" {
            let (count,): (i64,) =
                sqlx::query_as("select count(*) from tickets where requester_id = $1")
                    .bind(actor.id)
                    .fetch_one(db)
                    .await?;
            if count == 0 {
                for t in demo_tickets() {
                    tickets::create_ticket(db, &actor, t).await?;
                }
            }
        }
    }
    if let Some(agent) = &agent {
        seed_inventory(db, agent).await?;
    }
    seed_sites(db).await?;
    if let Some(agent) = &agent {
        seed_bookings(db, agent).await?;
    }
    Ok(())
}

/// Rooms, pool cars, equipment and drivers, and two bookings tomorrow, the
/// first time only. Rooms may be booked at any hour (teams meet early and
/// late); the cars keep to working hours and need approval out of town.
async fn seed_bookings(db: &Db, agent: &app::domain::Actor) -> Result<(), ServiceError> {
    use app::domain::booking::{
        ApprovalRule, BookingInput, BookingPolicy, Feature as F, ResourceInput, ResourceKind,
        SeriesMode, WhoBooks,
    };
    use app::services::bookings;
    let (n,): (i64,) = sqlx::query_as("select count(*) from resources")
        .fetch_one(db)
        .await?;
    if n > 0 {
        return Ok(());
    }
    let mks: uuid::Uuid = sqlx::query_scalar("select id from sites where code = 'MKS'")
        .fetch_one(db)
        .await?;
    let jkt = app::domain::site::HEAD_OFFICE;
    let room = |site, name: &str, floor: &str, capacity, features: &[F]| ResourceInput {
        site_id: site,
        kind: ResourceKind::Room,
        name: name.into(),
        floor: floor.into(),
        capacity,
        features: features.to_vec(),
        plate: None,
        asset_id: None,
        policy: BookingPolicy {
            working_hours_only: false,
            release_after: Some(15),
            ..BookingPolicy::default()
        },
        active: true,
    };
    let mut rooms = vec![
        room(
            jkt,
            "Ruang Rapat Merapi",
            "7",
            12,
            &[F::Projector, F::VideoConference, F::Whiteboard],
        ),
        room(
            jkt,
            "Ruang Rapat Bromo",
            "7",
            6,
            &[F::Screen, F::Whiteboard],
        ),
        room(
            jkt,
            "Ruang Rapat Rinjani",
            "5",
            10,
            &[F::Projector, F::Whiteboard],
        ),
        room(jkt, "Ruang Diskusi Kecil", "3", 4, &[F::Screen]),
        room(
            mks,
            "Ruang Rapat Losari",
            "2",
            8,
            &[F::Projector, F::VideoConference],
        ),
    ];
    let mut hall = room(
        jkt,
        "Aula Lantai 10",
        "10",
        80,
        &[F::Projector, F::Speaker, F::VideoConference, F::Accessible],
    );
    hall.policy.approval = ApprovalRule::AboveAttendees;
    hall.policy.approval_above = Some(30);
    hall.policy.release_after = None;
    rooms.push(hall);
    let mut board = room(
        jkt,
        "Ruang Direksi",
        "10",
        14,
        &[F::VideoConference, F::Screen],
    );
    board.policy.who_books = WhoBooks::Staff;
    board.policy.show_booker = false;
    rooms.push(board);
    for (name, plate, seats) in [
        ("Toyota Avanza", "B 1234 KJT", 6),
        ("Toyota Innova", "B 1789 KJT", 7),
    ] {
        rooms.push(ResourceInput {
            site_id: jkt,
            kind: ResourceKind::Car,
            name: name.into(),
            floor: String::new(),
            capacity: seats,
            features: vec![],
            plate: Some(plate.into()),
            asset_id: None,
            policy: BookingPolicy {
                approval: ApprovalRule::OutOfTown,
                max_minutes: 720,
                ..BookingPolicy::default()
            },
            active: true,
        });
    }
    rooms.push(ResourceInput {
        site_id: jkt,
        kind: ResourceKind::Equipment,
        name: "Proyektor portabel Epson".into(),
        floor: String::new(),
        capacity: 1,
        features: vec![F::Projector],
        plate: None,
        asset_id: None,
        policy: BookingPolicy {
            working_hours_only: false,
            max_minutes: 1440,
            ..BookingPolicy::default()
        },
        active: true,
    });
    let mut made = Vec::new();
    for r in rooms {
        made.push(bookings::create_resource(db, agent, r).await?);
    }
    for name in ["Pak Slamet", "Pak Joko"] {
        bookings::add_driver(
            db,
            agent,
            bookings::DriverInput {
                site_id: jkt,
                name: name.into(),
                phone: "0812-0000-0000".into(),
            },
        )
        .await?;
    }
    // Tomorrow in Jakarta: the budget meeting in Rinjani and a training in
    // Merapi, so the week grid has something to show.
    let wib = chrono::Duration::hours(7);
    let tomorrow = (chrono::Utc::now() + wib).date_naive() + chrono::Duration::days(1);
    let at = |h: u32| {
        chrono::TimeZone::from_utc_datetime(
            &chrono::Utc,
            &tomorrow.and_hms_opt(h, 0, 0).expect("a valid hour"),
        ) - wib
    };
    let find = |name: &str| made.iter().find(|r| r.name == name).map(|r| r.id);
    for (name, title, from, to) in [
        ("Ruang Rapat Rinjani", "Rapat anggaran Q1", 9, 10),
        ("Ruang Rapat Merapi", "Pelatihan aplikasi GA Desk", 13, 15),
    ] {
        let Some(resource_id) = find(name) else {
            continue;
        };
        bookings::book(
            db,
            agent,
            BookingInput {
                resource_id,
                title: title.into(),
                starts_at: at(from),
                ends_at: at(to),
                attendees: 6,
                repeat: None,
                mode: SeriesMode::AllOrNothing,
                destination: String::new(),
                out_of_town: false,
            },
        )
        .await?;
    }
    Ok(())
}

/// Branches in the other two time zones, with a person at each, so the
/// service levels show three calendars. The head office keeps every row
/// that had no site.
async fn seed_sites(db: &Db) -> Result<(), ServiceError> {
    use app::domain::working_time::{Span, WeeklyHours};
    let mut branch = WeeklyHours::indonesian_office();
    // The branches close on Saturdays.
    branch.days[5] = Vec::new();
    let mut papua = branch.clone();
    // Jayapura starts and ends half an hour earlier.
    for day in papua.days.iter_mut() {
        for span in day.iter_mut() {
            *span = Span {
                start: span.start - 30,
                end: span.end - 30,
            };
        }
    }
    sqlx::query("update sites set name = 'Kantor Pusat Jakarta', code = 'JKT' where id = $1 and code = 'HQ'")
        .bind(app::domain::site::HEAD_OFFICE)
        .execute(db)
        .await?;
    for (code, name, zone, hours, people) in [
        (
            "MKS",
            "Cabang Makassar",
            "Asia/Makassar",
            &branch,
            &["ani.pratama@example.co.id"][..],
        ),
        (
            "DJJ",
            "Cabang Jayapura",
            "Asia/Jayapura",
            &papua,
            &["yohana.kambu@example.co.id"][..],
        ),
    ] {
        sqlx::query(
            "insert into sites (id, code, name, time_zone, hours) values ($1, $2, $3, $4, $5)
             on conflict do nothing",
        )
        .bind(uuid::Uuid::now_v7())
        .bind(code)
        .bind(name)
        .bind(zone)
        .bind(sqlx::types::Json(hours))
        .execute(db)
        .await?;
        sqlx::query(
            "update users set site_id = (select id from sites where code = $1),
                              time_zone = $2
              where email = any($3)",
        )
        .bind(code)
        .bind(zone)
        .bind(people)
        .execute(db)
        .await?;
    }
    // Jayapura's requests go to Hendra, so his out-of-office can be tried
    // without touching anyone else's approvals.
    sqlx::query(
        "update users set manager_id = (select id from users where email = 'hendra.wijaya@example.co.id')
          where email = 'yohana.kambu@example.co.id'",
    )
    .execute(db)
    .await?;
    app::services::sites::load_shipped_holidays(db, &app::services::sites::current_years()).await?;
    Ok(())
}

/// A few shelves and assets, the first time only (two low on stock, so the
/// badge and the low-stock page have something to show).
async fn seed_inventory(db: &Db, agent: &app::domain::Actor) -> Result<(), ServiceError> {
    use app::domain::asset::{AssetCategory, AssetCondition, NewAsset};
    use app::domain::stock::NewStockItem;
    let (items,): (i64,) = sqlx::query_as("select count(*) from stock_items")
        .fetch_one(db)
        .await?;
    if items == 0 {
        let shelves = [
            ("ATK-KRT-A4", "Kertas A4 80gsm", "rim", 55_000, 120, 30),
            ("ATK-PLP-HTM", "Pulpen gel hitam", "box", 35_000, 40, 10),
            ("ATK-TNR-85A", "Toner HP 85A", "pcs", 950_000, 6, 4),
            ("PTR-KOPI-1KG", "Kopi bubuk 1 kg", "pak", 120_000, 8, 10),
            ("PTR-GULA-1KG", "Gula pasir 1 kg", "kg", 18_000, 25, 10),
            (
                "KBR-SABUN-500",
                "Sabun cuci tangan 500 ml",
                "botol",
                25_000,
                3,
                6,
            ),
        ];
        for (sku, name, unit, price, on_hand, reorder) in shelves {
            app::services::stock::create(
                db,
                agent,
                NewStockItem {
                    sku: sku.into(),
                    name: name.into(),
                    unit: unit.into(),
                    location: "Gudang GA, Kantor Pusat Jakarta".into(),
                    unit_price: Money::from_rupiah(price).expect("demo prices are in range"),
                    on_hand,
                    reorder_level: reorder,
                },
            )
            .await?;
        }
    }
    let (assets,): (i64,) = sqlx::query_as("select count(*) from assets")
        .fetch_one(db)
        .await?;
    if assets == 0 {
        let things = [
            (
                "Laptop Lenovo ThinkPad E14",
                AssetCategory::Laptop,
                "PF-3K9X21",
                AssetCondition::New,
                14_500_000,
                "2027-06-30",
            ),
            (
                "Laptop Lenovo ThinkPad E14",
                AssetCategory::Laptop,
                "PF-3K9X22",
                AssetCondition::Good,
                14_500_000,
                "2027-06-30",
            ),
            (
                "Proyektor Epson EB-X51",
                AssetCategory::Projector,
                "X5KF200311",
                AssetCondition::Good,
                6_750_000,
                "2026-12-20",
            ),
            (
                "Kursi ergonomis Informa",
                AssetCategory::Furniture,
                "INF-ERG-0192",
                AssetCondition::Fair,
                2_100_000,
                "2027-03-01",
            ),
            (
                "Printer HP LaserJet Pro M404dn",
                AssetCategory::Printer,
                "VNB3K12345",
                AssetCondition::Good,
                5_400_000,
                "2026-12-31",
            ),
            (
                "Toyota Avanza B 1234 GAD",
                AssetCategory::Vehicle,
                "MHKM1BA3JKK012345",
                AssetCondition::Good,
                245_000_000,
                "2028-01-31",
            ),
        ];
        for (name, category, serial, condition, price, warranty) in things {
            app::services::assets::create(
                db,
                agent,
                NewAsset {
                    tag: None,
                    name: name.into(),
                    category,
                    serial_number: Some(serial.into()),
                    condition,
                    location: "Gudang GA, Kantor Pusat Jakarta".into(),
                    purchase_date: chrono::NaiveDate::from_ymd_opt(2025, 7, 1),
                    purchase_price: Some(
                        Money::from_rupiah(price).expect("demo prices are in range"),
                    ),
                    warranty_end: warranty.parse().ok(),
                    notes: String::new(),
                },
            )
            .await?;
        }
    }
    Ok(())
}
