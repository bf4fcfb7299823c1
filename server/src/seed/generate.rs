//! Bulk synthetic data for benchmarks: realistic users, tickets with items,
//! history and comments, loaded with COPY. Deterministic for a given seed.

use app::services::passwords::Passwords;
use app::services::{Db, ServiceError};
use chrono::{DateTime, Datelike, Duration, FixedOffset, Utc};
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use std::fmt::Write as _;
use uuid::Uuid;

const CATALOG: &str = include_str!("../../data/ga_catalog.csv");
const GIVEN: &[&str] = &[
    "Ani", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hendra", "Indah", "Joko", "Kartika",
    "Lestari", "Made", "Nur", "Oki", "Putri", "Rizky", "Sari", "Teguh", "Utami", "Wahyu", "Yusuf",
    "Agus", "Bambang", "Dian", "Siti", "Rina", "Andi", "Ketut", "Ratna",
];
const FAMILY: &[&str] = &[
    "Santoso",
    "Wijaya",
    "Pratama",
    "Hidayat",
    "Saputra",
    "Nugroho",
    "Kusuma",
    "Siregar",
    "Simanjuntak",
    "Lubis",
    "Hartono",
    "Halim",
    "Gunawan",
    "Setiawan",
    "Wibowo",
    "Susanto",
    "Permana",
    "Rahman",
    "Sembiring",
    "Tanjung",
];
const DEPARTMENTS: &[&str] = &[
    "Keuangan",
    "Sumber Daya Manusia",
    "Teknologi Informasi",
    "Pemasaran",
    "Penjualan",
    "Operasional",
    "Hukum",
    "General Affairs",
];
const PLACES: &[&str] = &[
    "Kantor Pusat Jakarta",
    "Cabang Surabaya",
    "Cabang Bandung",
    "Cabang Medan",
    "Cabang Makassar",
    "Gudang Cikarang",
];

struct Item {
    category: &'static str,
    name: &'static str,
    unit: &'static str,
    price: u64,
}

fn catalog() -> Vec<Item> {
    CATALOG
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut p = l.split(',');
            Some(Item {
                category: p.next()?,
                name: p.next()?,
                unit: p.next()?,
                price: p.next()?.trim().parse().ok()?,
            })
        })
        .collect()
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub tickets: u64,
    pub users: u64,
    pub seed: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub users: u64,
    pub tickets: u64,
    pub items: u64,
    pub history: u64,
    pub comments: u64,
}

/// Text-format COPY field: backslash, tab and newlines escaped.
fn field(out: &mut Vec<u8>, s: &str) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

struct Copy<'c> {
    copy: sqlx::postgres::PgCopyIn<&'c mut sqlx::PgConnection>,
    buf: Vec<u8>,
    rows: u64,
}

impl<'c> Copy<'c> {
    async fn begin(
        conn: &'c mut sqlx::PgConnection,
        statement: &str,
    ) -> Result<Copy<'c>, ServiceError> {
        Ok(Copy {
            copy: conn.copy_in_raw(statement).await?,
            buf: Vec::with_capacity(1 << 20),
            rows: 0,
        })
    }

    /// Appends one row of already formatted fields.
    async fn row(&mut self, fields: &[&str]) -> Result<(), ServiceError> {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                self.buf.push(b'\t');
            }
            if *f == "\\N" {
                self.buf.extend_from_slice(b"\\N");
            } else {
                field(&mut self.buf, f);
            }
        }
        self.buf.push(b'\n');
        self.rows += 1;
        if self.buf.len() > (1 << 20) {
            self.copy.send(std::mem::take(&mut self.buf)).await?;
        }
        Ok(())
    }

    async fn finish(mut self) -> Result<u64, ServiceError> {
        if !self.buf.is_empty() {
            self.copy.send(std::mem::take(&mut self.buf)).await?;
        }
        self.copy.finish().await?;
        Ok(self.rows)
    }
}

fn name(rng: &mut SmallRng) -> String {
    format!(
        "{} {}",
        GIVEN[rng.random_range(0..GIVEN.len())],
        FAMILY[rng.random_range(0..FAMILY.len())]
    )
}

/// Fills the database (which should be freshly migrated) with `tickets`
/// tickets from `users` people. Every generated account signs in with
/// `password`. A few "hot" requesters own thousands of tickets each.
pub async fn generate(
    db: &Db,
    passwords: &Passwords,
    password: &str,
    opts: Options,
) -> Result<Report, ServiceError> {
    let mut rng = SmallRng::seed_from_u64(opts.seed);
    let items = catalog();
    let hash = passwords.hash(password).await?;
    let users = opts.users.max(20);
    let mut conn = db.acquire().await?;
    let mut report = Report::default();

    // People: most request; some approve, some work at GA, two administer.
    let mut ids: Vec<Uuid> = Vec::with_capacity(users as usize);
    let mut roles: Vec<&str> = Vec::with_capacity(users as usize);
    for i in 0..users {
        ids.push(Uuid::now_v7());
        roles.push(match i {
            0 | 1 => "admin",
            _ if i % 12 == 2 => "approver",
            _ if i % 12 == 3 => "agent",
            _ => "requester",
        });
    }
    let approvers: Vec<usize> = (0..users as usize)
        .filter(|i| roles[*i] == "approver")
        .collect();
    let agents: Vec<usize> = (0..users as usize)
        .filter(|i| roles[*i] == "agent")
        .collect();
    let requesters: Vec<usize> = (0..users as usize)
        .filter(|i| roles[*i] == "requester")
        .collect();
    {
        let mut c = Copy::begin(
            &mut conn,
            "copy users (id, email, name, department, role, manager_id, password_hash) from stdin",
        )
        .await?;
        for i in 0..users as usize {
            let manager =
                if roles[i] == "requester" && !approvers.is_empty() && rng.random_bool(0.7) {
                    ids[approvers[i % approvers.len()]].to_string()
                } else {
                    "\\N".to_string()
                };
            c.row(&[
                &ids[i].to_string(),
                &format!("user{i}@bench.example.co.id"),
                &name(&mut rng),
                DEPARTMENTS[i % DEPARTMENTS.len()],
                roles[i],
                &manager,
                &hash,
            ])
            .await?;
        }
        report.users = c.finish().await?;
    }

    // Tickets, their items, history and some comments.
    let now = Utc::now();
    let wib = FixedOffset::east_opt(7 * 3600).expect("valid offset");
    let span_secs = 2 * 365 * 24 * 3600;
    let hot: Vec<usize> = requesters.iter().take(5).copied().collect();
    let mut times: Vec<i64> = (0..opts.tickets)
        .map(|_| rng.random_range(0..span_secs))
        .collect();
    times.sort_unstable_by(|a, b| b.cmp(a));
    let mut per_year: std::collections::BTreeMap<i32, u64> = Default::default();

    let mut tickets = Copy::begin(
        &mut conn,
        "copy tickets (id, number, title, description, category, priority, location, status, resolution,
                       requester_id, assignee_id, estimated_total, actual_total, awaiting_level,
                       items_text, version, created_at, updated_at, completed_at) from stdin",
    )
    .await?;
    let mut item_rows: Vec<u8> = Vec::new();
    let mut history_rows: Vec<u8> = Vec::new();
    let mut comment_rows: Vec<u8> = Vec::new();
    for secs_ago in times.into_iter().rev() {
        let created: DateTime<Utc> = now - Duration::seconds(secs_ago);
        let year = created.with_timezone(&wib).year();
        let seq = per_year.entry(year).or_insert(0);
        *seq += 1;
        let number = format!("GA-{year}-{:06}", *seq);
        let id = Uuid::now_v7();
        let requester = if rng.random_bool(0.10) {
            hot[rng.random_range(0..hot.len())]
        } else {
            requesters[rng.random_range(0..requesters.len())]
        };
        let first = &items[rng.random_range(0..items.len())];
        let same: Vec<&Item> = items
            .iter()
            .filter(|i| i.category == first.category)
            .collect();
        let n_items = rng.random_range(1..=3usize);
        let mut total: u64 = 0;
        let mut names = Vec::new();
        for line in 1..=n_items {
            let it = if line == 1 {
                first
            } else {
                same[rng.random_range(0..same.len())]
            };
            let q: u64 = if it.price > 1_000_000 {
                1
            } else {
                rng.random_range(1..=10)
            };
            total += q * it.price;
            names.push(it.name);
            let _ = writeln!(
                sink(&mut item_rows),
                "{id}\t{line}\t{}\t{q}\t{}\t{}",
                it.name,
                it.unit,
                it.price
            );
        }
        let status = match rng.random_range(0..100) {
            0..=44 => "closed",
            45..=54 => "completed",
            55..=64 => "in_progress",
            65..=72 => "approved",
            73..=79 if total >= 1_000_000 => "waiting_approval",
            73..=79 => "pending",
            80..=94 => "pending",
            _ => "rejected",
        };
        // Completed tickets older than the confirmation window would have
        // been closed by the auto-close job already.
        let status = if status == "completed" && created < now - Duration::days(6) {
            "closed"
        } else {
            status
        };
        let resolution = match status {
            "closed" if rng.random_bool(0.85) => "done",
            "closed" => "cancelled",
            _ => "\\N",
        };
        let working = matches!(status, "in_progress" | "completed") || resolution == "done";
        let assignee = if working && !agents.is_empty() {
            ids[agents[rng.random_range(0..agents.len())]].to_string()
        } else {
            "\\N".to_string()
        };
        let done = status == "completed" || resolution == "done";
        let completed_at = if done {
            (created + Duration::hours(rng.random_range(2..240)))
                .min(now)
                .to_rfc3339()
        } else {
            "\\N".to_string()
        };
        let actual = if done {
            format!("{}", total * rng.random_range(90..=105) / 100)
        } else {
            "\\N".into()
        };
        let version = match status {
            "pending" | "waiting_approval" => 1,
            _ => 2,
        };
        let place = PLACES[rng.random_range(0..PLACES.len())];
        let title = format!("{} untuk {}", first.name, place);
        tickets
            .row(&[
                &id.to_string(),
                &number,
                &title,
                "Permintaan rutin dari tim; mohon diproses.",
                first.category,
                ["low", "medium", "medium", "high"][rng.random_range(0..4)],
                &format!("{place}, Lantai {}", rng.random_range(1..=12)),
                status,
                resolution,
                &ids[requester].to_string(),
                &assignee,
                &total.to_string(),
                &actual,
                if status == "waiting_approval" {
                    "1"
                } else {
                    "\\N"
                },
                &names.join(" "),
                &version.to_string(),
                &created.to_rfc3339(),
                &created.to_rfc3339(),
                &completed_at,
            ])
            .await?;
        let first_status = if status == "waiting_approval" {
            "waiting_approval"
        } else {
            "pending"
        };
        let _ = writeln!(
            sink(&mut history_rows),
            "{id}\t1\t{}\tcreate\t\\N\t{first_status}\t{}",
            ids[requester],
            created.to_rfc3339()
        );
        if version == 2 {
            let _ = writeln!(
                sink(&mut history_rows),
                "{id}\t2\t{}\tupdate\t{first_status}\t{status}\t{}",
                ids[requester],
                (created + Duration::hours(1)).min(now).to_rfc3339()
            );
        }
        if rng.random_bool(0.2) {
            let _ = writeln!(
                sink(&mut comment_rows),
                "{}\t{id}\t{}\tMohon dipercepat, terima kasih.\tf\t{}",
                Uuid::now_v7(),
                ids[requester],
                created.to_rfc3339()
            );
        }
    }
    report.tickets = tickets.finish().await?;

    report.items = copy_raw(
        &mut conn,
        "copy ticket_items (ticket_id, line_no, name, quantity, unit, unit_price) from stdin",
        item_rows,
    )
    .await?;
    report.history = copy_raw(
        &mut conn,
        "copy ticket_history (ticket_id, version, actor_id, action, from_status, to_status, created_at) from stdin",
        history_rows,
    )
    .await?;
    report.comments = copy_raw(
        &mut conn,
        "copy ticket_comments (id, ticket_id, author_id, body, internal, created_at) from stdin",
        comment_rows,
    )
    .await?;

    // New tickets continue the numbering of each year.
    for (year, last) in per_year {
        let seq = format!("ticket_number_{year}");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "create sequence if not exists {seq}"
        )))
        .execute(&mut *conn)
        .await?;
        sqlx::query("select setval($1::regclass, greatest($2, (select last_value from pg_sequences where sequencename = $3)))")
            .bind(&seq)
            .bind(last as i64)
            .bind(&seq)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("analyze").execute(&mut *conn).await?;
    Ok(report)
}

/// Lets `write!` append text rows to a byte buffer.
fn sink(buf: &mut Vec<u8>) -> StringSink<'_> {
    StringSink(buf)
}

struct StringSink<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for StringSink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

async fn copy_raw(
    conn: &mut sqlx::PgConnection,
    statement: &str,
    data: Vec<u8>,
) -> Result<u64, ServiceError> {
    let mut copy = conn.copy_in_raw(statement).await?;
    for chunk in data.chunks(1 << 20) {
        copy.send(chunk).await?;
    }
    Ok(copy.finish().await?)
}

const ASSET_KINDS: &[(&str, &str, u64)] = &[
    ("laptop", "Laptop Lenovo ThinkPad E14", 14_500_000),
    ("laptop", "Laptop Dell Latitude 5440", 16_200_000),
    ("desktop", "PC HP ProDesk 400", 11_000_000),
    ("monitor", "Monitor LG 24 inci", 2_300_000),
    ("phone", "Ponsel Samsung Galaxy A55", 5_500_000),
    ("projector", "Proyektor Epson EB-X51", 6_750_000),
    ("printer", "Printer HP LaserJet Pro M404dn", 5_400_000),
    ("network", "Access point Ubiquiti U6", 2_900_000),
    ("furniture", "Kursi ergonomis Informa", 2_100_000),
    ("furniture", "Meja kerja 120 cm", 1_750_000),
    ("vehicle", "Toyota Avanza", 245_000_000),
    ("appliance", "Dispenser air Sharp", 1_400_000),
];

/// Adds `count` assets: most available, some held by requesters, some under
/// maintenance or retired, each with its registration (and hand-out)
/// history. Runs after [`generate`], on the same database.
pub async fn generate_assets(db: &Db, count: u64, seed: u64) -> Result<u64, ServiceError> {
    if count == 0 {
        return Ok(0);
    }
    let mut rng = SmallRng::seed_from_u64(seed ^ 0xA55E7);
    let mut conn = db.acquire().await?;
    let people: Vec<(Uuid,)> =
        sqlx::query_as("select id from users where role = 'requester' and active limit 20000")
            .fetch_all(&mut *conn)
            .await?;
    let agent: Option<(Uuid,)> =
        sqlx::query_as("select id from users where role in ('agent', 'admin') and active limit 1")
            .fetch_optional(&mut *conn)
            .await?;
    let Some((agent,)) = agent else {
        return Err(ServiceError::Internal(
            "generate people first: assets need an agent".into(),
        ));
    };
    let (start,): (i64,) = sqlx::query_as("select nextval('asset_tag_seq')")
        .fetch_one(&mut *conn)
        .await?;
    let today = Utc::now().date_naive();
    let mut assets = Vec::new();
    let mut history = Vec::new();
    for n in 0..count {
        let (category, name, price) = ASSET_KINDS[rng.random_range(0..ASSET_KINDS.len())];
        let id = Uuid::now_v7();
        let tag = format!("AST-{:06}", start as u64 + n);
        let bought = today - Duration::days(rng.random_range(30..1500));
        let warranty = bought + Duration::days(365 * rng.random_range(1..4));
        let roll = rng.random_range(0..100);
        let holder =
            (roll < 30 && !people.is_empty()).then(|| people[rng.random_range(0..people.len())].0);
        let (status, retired) = match roll {
            _ if holder.is_some() => ("checked_out", None),
            30..37 => ("under_maintenance", None),
            37..40 => ("retired", Some("Rusak, tidak ekonomis diperbaiki")),
            _ => ("available", None),
        };
        let version = if holder.is_some() { 2 } else { 1 };
        let created = (bought.and_hms_opt(9, 0, 0).expect("valid time")).and_utc();
        let _ = writeln!(
            sink(&mut assets),
            "{id}\t{tag}\t{name}\t{category}\tSN{:010}\t{}\t{}\t{status}\t{}\t{bought}\t{price}\t{warranty}\t{}\t{version}\t{}\t{}",
            rng.random::<u32>(),
            ["new", "good", "good", "fair"][rng.random_range(0..4)],
            PLACES[rng.random_range(0..PLACES.len())],
            holder.map(|h| h.to_string()).unwrap_or_else(|| "\\N".into()),
            retired.unwrap_or("\\N"),
            created.to_rfc3339(),
            created.to_rfc3339(),
        );
        let _ = writeln!(
            sink(&mut history),
            "{id}\t1\t{agent}\tregister\t\\N\tavailable\t\\N\t{}",
            created.to_rfc3339()
        );
        if let Some(h) = holder {
            let _ = writeln!(
                sink(&mut history),
                "{id}\t2\t{agent}\tcheck_out\tavailable\tchecked_out\t{h}\t{}",
                (created + Duration::days(1)).to_rfc3339()
            );
        }
    }
    let written = copy_raw(
        &mut conn,
        "copy assets (id, tag, name, category, serial_number, condition, location, status, holder_id,
                      purchase_date, purchase_price, warranty_end, retired_reason, version, created_at, updated_at) from stdin",
        assets,
    )
    .await?;
    copy_raw(
        &mut conn,
        "copy asset_history (asset_id, version, actor_id, action, from_status, to_status, holder_id, created_at) from stdin",
        history,
    )
    .await?;
    sqlx::query("select setval('asset_tag_seq', $1)")
        .bind(start + count as i64)
        .execute(&mut *conn)
        .await?;
    sqlx::query("analyze assets").execute(&mut *conn).await?;
    Ok(written)
}
