//! `gadesk-load`: the benchmark's HTTP load generator.
//!
//! * `closed`: N workers send one scenario's requests back to back for a
//!   while (throughput and latency at a fixed concurrency).
//! * `open`: requests start on a fixed schedule whatever happens to earlier
//!   ones (an open model: people do not wait for each other), latency is
//!   measured from the scheduled start, so a stalled server cannot hide its
//!   queue (no coordinated omission).
//! * `hold`: opens N keep-alive connections, makes one request on each and
//!   keeps them open.
//!
//! Every run prints one JSON object on stdout.

use clap::{Parser, Subcommand, ValueEnum};
use hdrhistogram::Histogram;
use rand::Rng;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Cli {
    /// Base URL of GA Desk, e.g. http://127.0.0.1:3000
    #[arg(long)]
    url: String,
    /// A JSON file: {"tokens": {"agent": "...", ...}, "ticket_ids": [...],
    /// "waiting_ids": [...], "words": [...]}
    #[arg(long)]
    fixtures: String,
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    Closed {
        #[arg(long)]
        scenario: Scenario,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        #[arg(long, default_value_t = 15)]
        seconds: u64,
    },
    Open {
        /// Requests started per second.
        #[arg(long)]
        rate: u64,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    Hold {
        #[arg(long, default_value_t = 1000)]
        connections: usize,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq)]
enum Scenario {
    /// `GET /healthz`: no database, no authentication; the most this
    /// machine's HTTP stack (server and load generator together) can do.
    Healthz,
    GetTicket,
    ListWaiting,
    ListHot,
    Search,
    Create,
    Approve,
    SsrMyRequests,
    /// A 5 MB phone photo attached to a random open ticket (multipart,
    /// decoded and re-encoded by the server).
    Upload,
    /// An hour of a random room at a random quarter hour within a year
    /// (201 booked, 409 taken: both are correct answers).
    Book,
    /// "Find a room": what is free for an hour at a random time, at the
    /// site holding the 1 000 bench resources.
    Availability,
}

struct Fixtures {
    agent: String,
    hot: String,
    requester: String,
    approver: String,
    ticket_ids: Vec<String>,
    waiting_ids: Vec<String>,
    words: Vec<String>,
    open_ids: Vec<String>,
    next_waiting: AtomicUsize,
    photo: Vec<u8>,
    resource_ids: Vec<String>,
    site: String,
}

impl Fixtures {
    fn load(path: &str) -> Fixtures {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).expect("fixtures file"))
            .expect("fixtures JSON");
        let s = |k: &str| v["tokens"][k].as_str().unwrap_or_default().to_string();
        let list = |k: &str| -> Vec<String> {
            v[k].as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        Fixtures {
            agent: s("agent"),
            hot: s("hot"),
            requester: s("requester"),
            approver: s("approver"),
            ticket_ids: list("ticket_ids"),
            waiting_ids: list("waiting_ids"),
            words: list("words"),
            open_ids: list("open_ids"),
            next_waiting: AtomicUsize::new(0),
            photo: Vec::new(),
            resource_ids: list("resource_ids"),
            site: v["site"].as_str().unwrap_or_default().to_string(),
        }
    }
}

/// One request of a scenario; `Ok(true)` when the answer was the expected
/// success.
async fn request(
    http: &reqwest::Client,
    base: &str,
    f: &Fixtures,
    scenario: Scenario,
) -> Result<bool, reqwest::Error> {
    let pick = |v: &Vec<String>| v[rand::rng().random_range(0..v.len())].clone();
    let r = match scenario {
        Scenario::GetTicket => {
            http.get(format!("{base}/api/v1/tickets/{}", pick(&f.ticket_ids))).bearer_auth(&f.agent).send().await?
        }
        Scenario::Healthz => http.get(format!("{base}/healthz")).send().await?,
        Scenario::ListWaiting => {
            http.get(format!("{base}/api/v1/tickets?status=waiting_approval&limit=50"))
                .bearer_auth(&f.agent)
                .send()
                .await?
        }
        Scenario::ListHot => http.get(format!("{base}/api/v1/tickets?limit=50")).bearer_auth(&f.hot).send().await?,
        Scenario::Search => {
            http.get(format!("{base}/api/v1/tickets?limit=50&q={}", pick(&f.words))).bearer_auth(&f.agent).send().await?
        }
        Scenario::Create => {
            http.post(format!("{base}/api/v1/tickets"))
                .bearer_auth(&f.requester)
                .json(&json!({
                    "title": "Kertas A4 untuk lantai 7", "category": "office_supplies", "priority": "medium",
                    "location": "Kantor Pusat Jakarta, Lantai 7",
                    "items": [{"name": "Kertas A4 80gsm", "quantity": 5, "unit": "rim", "unit_price": "55000"}]
                }))
                .send()
                .await?
        }
        Scenario::Approve => {
            let i = f.next_waiting.fetch_add(1, Ordering::Relaxed);
            let Some(id) = f.waiting_ids.get(i) else {
                return Ok(false);
            };
            http.post(format!("{base}/api/v1/tickets/{id}/approve"))
                .bearer_auth(&f.approver)
                .json(&json!({"version": 1}))
                .send()
                .await?
        }
        Scenario::Book => {
            let quarter = rand::rng().random_range(0..365 * 96) as i64;
            let from = chrono::Utc::now() + chrono::Duration::days(1) + chrono::Duration::minutes(15 * quarter);
            let r = http
                .post(format!("{base}/api/v1/bookings"))
                .bearer_auth(&f.agent)
                .json(&json!({
                    "resource_id": pick(&f.resource_ids), "title": "Rapat tim",
                    "starts_at": from, "ends_at": from + chrono::Duration::hours(1)
                }))
                .send()
                .await?;
            let ok = matches!(r.status().as_u16(), 201 | 409);
            r.bytes().await?;
            return Ok(ok);
        }
        Scenario::Availability => {
            let hour = rand::rng().random_range(0..365 * 24) as i64;
            let from = chrono::Utc::now() + chrono::Duration::days(1) + chrono::Duration::hours(hour);
            let to = from + chrono::Duration::hours(1);
            http.get(format!("{base}/api/v1/availability"))
                .query(&[("site", f.site.clone()), ("from", from.to_rfc3339()), ("to", to.to_rfc3339()), ("attendees", "6".into())])
                .bearer_auth(&f.agent)
                .send()
                .await?
        }
        Scenario::Upload => {
            let form = reqwest::multipart::Form::new().part(
                "file",
                reqwest::multipart::Part::bytes(f.photo.clone())
                    .file_name("IMG_20261203_091500.jpg")
                    .mime_str("image/jpeg")?,
            );
            http.post(format!("{base}/api/v1/tickets/{}/attachments", pick(&f.open_ids)))
                .bearer_auth(&f.agent)
                .multipart(form)
                .send()
                .await?
        }
        Scenario::SsrMyRequests => {
            http.get(format!("{base}/"))
                .header("cookie", format!("gadesk_access={}", f.hot))
                .header("accept", "text/html")
                .send()
                .await?
        }
    };
    let ok = r.status().is_success();
    // Read the whole body: a benchmark that skips it measures nothing.
    let _ = r.bytes().await?;
    Ok(ok)
}

/// A phone photo of about `target` bytes: a 12-megapixel frame of smooth
/// colour with sensor-like noise (which is what makes phone JPEGs big),
/// at the highest quality that stays under the target.
fn photo(target: usize) -> Vec<u8> {
    let (w, h) = (4000u32, 3000u32);
    let mut rng = rand::rng();
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let n = |amp: i32, rng: &mut rand::rngs::ThreadRng| rng.random_range(-amp..=amp);
        let base = [(x * 255 / w) as i32, (y * 255 / h) as i32, 128];
        let amp = 24;
        image::Rgb(base.map(|c| (c + n(amp, &mut rng)).clamp(0, 255) as u8))
    });
    let mut quality = 95u8;
    loop {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(&img)
            .expect("jpeg");
        if out.len() <= target || quality <= 40 {
            return out;
        }
        quality -= 5;
    }
}

fn summary(h: &Histogram<u64>, requests: u64, errors: u64, elapsed: Duration) -> Value {
    let ms = |q: f64| h.value_at_quantile(q) as f64 / 1000.0;
    json!({
        "requests": requests,
        "errors": errors,
        "seconds": elapsed.as_secs_f64(),
        "rps": requests as f64 / elapsed.as_secs_f64(),
        "p50_ms": ms(0.50),
        "p95_ms": ms(0.95),
        "p99_ms": ms(0.99),
        "max_ms": h.max() as f64 / 1000.0,
    })
}

fn client(connections: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client")
}

async fn closed(
    base: String,
    f: Arc<Fixtures>,
    scenario: Scenario,
    concurrency: usize,
    seconds: u64,
) -> Value {
    let http = client(concurrency);
    let hist = Arc::new(Mutex::new(
        Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram"),
    ));
    let requests = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (http, base, f, hist, requests, errors) = (
                http.clone(),
                base.clone(),
                f.clone(),
                hist.clone(),
                requests.clone(),
                errors.clone(),
            );
            tokio::spawn(async move {
                let mut local =
                    Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
                while Instant::now() < until {
                    let t = Instant::now();
                    let ok = matches!(request(&http, &base, &f, scenario).await, Ok(true));
                    local.saturating_record(t.elapsed().as_micros() as u64);
                    requests.fetch_add(1, Ordering::Relaxed);
                    if !ok {
                        errors.fetch_add(1, Ordering::Relaxed);
                        if scenario == Scenario::Approve
                            && f.next_waiting.load(Ordering::Relaxed) >= f.waiting_ids.len()
                        {
                            break;
                        }
                    }
                }
                hist.lock()
                    .expect("histogram lock")
                    .add(&local)
                    .expect("same bounds");
            })
        })
        .collect();
    for w in workers {
        let _ = w.await;
    }
    let elapsed = started.elapsed();
    let h = hist.lock().expect("histogram lock");
    let mut v = summary(
        &h,
        requests.load(Ordering::Relaxed),
        errors.load(Ordering::Relaxed),
        elapsed,
    );
    if scenario == Scenario::Upload {
        let ok = requests.load(Ordering::Relaxed) - errors.load(Ordering::Relaxed);
        let mb = (ok as f64 * f.photo.len() as f64) / 1e6;
        v["photo_bytes"] = json!(f.photo.len());
        v["mb_per_s"] = json!(mb / elapsed.as_secs_f64());
    }
    v
}

/// The mix of what 1000 people do, by weight.
const MIX: &[(Scenario, u32)] = &[
    (Scenario::GetTicket, 35),
    (Scenario::ListHot, 20),
    (Scenario::ListWaiting, 10),
    (Scenario::Search, 10),
    (Scenario::SsrMyRequests, 15),
    (Scenario::Create, 10),
];

async fn open(base: String, f: Arc<Fixtures>, rate: u64, seconds: u64) -> Value {
    let http = client(512);
    let hist = Arc::new(Mutex::new(
        Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram"),
    ));
    let errors = Arc::new(AtomicU64::new(0));
    let total: u32 = MIX.iter().map(|(_, w)| w).sum();
    let interval = Duration::from_nanos(1_000_000_000 / rate.max(1));
    let started = tokio::time::Instant::now();
    let n = rate * seconds;
    let mut tasks = Vec::with_capacity(n as usize);
    for i in 0..n {
        let scheduled = started + interval * i as u32;
        tokio::time::sleep_until(scheduled).await;
        let mut pick = rand::rng().random_range(0..total);
        let scenario = MIX
            .iter()
            .find(|(_, w)| {
                if pick < *w {
                    true
                } else {
                    pick -= w;
                    false
                }
            })
            .map(|(s, _)| *s)
            .unwrap_or(Scenario::GetTicket);
        let (http, base, f, hist, errors) = (
            http.clone(),
            base.clone(),
            f.clone(),
            hist.clone(),
            errors.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let ok = matches!(request(&http, &base, &f, scenario).await, Ok(true));
            // From the scheduled start: waiting to be sent counts too.
            let latency = scheduled.elapsed();
            hist.lock()
                .expect("histogram lock")
                .saturating_record(latency.as_micros() as u64);
            if !ok {
                errors.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed();
    let h = hist.lock().expect("histogram lock");
    let mut v = summary(&h, n, errors.load(Ordering::Relaxed), elapsed);
    v["target_rps"] = json!(rate);
    v
}

async fn hold(base: String, f: Arc<Fixtures>, connections: usize, seconds: u64) -> Value {
    // One client per connection, so each keeps its own socket.
    let mut clients = Vec::with_capacity(connections);
    let mut opened = 0u64;
    for _ in 0..connections {
        let c = reqwest::Client::builder()
            .pool_max_idle_per_host(1)
            .build()
            .expect("http client");
        if let Ok(r) = c.get(format!("{base}/healthz")).send().await {
            if r.status().is_success() {
                opened += 1;
            }
        }
        clients.push(c);
    }
    println!("{}", json!({"holding": opened}));
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let _ = f;
    drop(clients);
    json!({"connections": opened})
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let f = Arc::new(Fixtures::load(&cli.fixtures));
    let base = cli.url.trim_end_matches('/').to_string();
    let f = match &cli.mode {
        Mode::Closed {
            scenario: Scenario::Upload,
            ..
        } => {
            let mut owned = Arc::try_unwrap(f).ok().expect("fixtures not shared yet");
            owned.photo = photo(5 * 1024 * 1024);
            eprintln!("upload photo: {} bytes", owned.photo.len());
            Arc::new(owned)
        }
        _ => f,
    };
    let out = match cli.mode {
        Mode::Closed {
            scenario,
            concurrency,
            seconds,
        } => closed(base, f, scenario, concurrency, seconds).await,
        Mode::Open { rate, seconds } => open(base, f, rate, seconds).await,
        Mode::Hold {
            connections,
            seconds,
        } => hold(base, f, connections, seconds).await,
    };
    println!("{out}");
}
