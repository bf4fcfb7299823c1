//! Operations: faults injected into real processes (PostgreSQL stopped and
//! its connections killed, the pool exhausted, slow and oversized clients,
//! thousands of idle connections, SIGTERM under load), metrics, and two
//! instances behind nginx. Each test has its own PostgreSQL cluster.

#[path = "ops/harness.rs"]
mod harness;

use harness::{client, new_ticket, token, Cluster, Gadesk, Nginx};
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

const REQUESTER: &str = "budi.santoso@example.co.id";
const ADMIN: &str = "rina.hartono@example.co.id";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn database_outage_fails_fast_and_the_same_process_heals() {
    let cluster = Cluster::start();
    let mut gadesk = Gadesk::start(&cluster, &[("GADESK_DB_ACQUIRE_TIMEOUT_MS", "1000")]);
    let base = gadesk.base();
    let token = token(&base, REQUESTER).await;
    let http = client();
    let list_url = format!("{base}/api/v1/tickets");
    let list = move || {
        let http = http.clone();
        let url = list_url.clone();
        let token = token.clone();
        async move {
            let started = Instant::now();
            let r = http.get(url).bearer_auth(token).send().await.unwrap();
            (
                r.status().as_u16(),
                r.headers().get("retry-after").is_some(),
                started.elapsed(),
            )
        }
    };
    assert_eq!(list().await.0, 200);

    cluster.down();
    // Under load while the database is gone: every answer is a quick 503
    // with Retry-After; nothing hangs, nothing crashes.
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let list = list.clone();
        tasks.push(tokio::spawn(async move {
            let mut out = Vec::new();
            for _ in 0..5 {
                out.push(list().await);
            }
            out
        }));
    }
    let mut slowest = Duration::ZERO;
    for t in tasks {
        for (status, retry_after, took) in t.await.unwrap() {
            assert_eq!(status, 503);
            assert!(retry_after, "503 carries Retry-After");
            slowest = slowest.max(took);
        }
    }
    assert!(
        slowest < Duration::from_secs(3),
        "slowest answer during the outage: {slowest:?}"
    );
    let http = client();
    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200, "the process is up");
    let ready = http.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 503, "but not ready");
    assert!(gadesk.alive());

    cluster.up();
    let back = Instant::now();
    loop {
        if list().await.0 == 200 {
            break;
        }
        assert!(
            back.elapsed() < Duration::from_secs(5),
            "not serving again within 5 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eprintln!(
        "serving again {:?} after PostgreSQL came back; slowest 503 {slowest:?}",
        back.elapsed()
    );
    assert!(gadesk.alive(), "same process, no restart");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_connections_are_replaced_transparently() {
    let cluster = Cluster::start();
    let gadesk = Gadesk::start(&cluster, &[]);
    let base = gadesk.base();
    let token = token(&base, REQUESTER).await;
    let http = client();
    // Warm the pool with a few connections.
    let warm: Vec<_> = (0..8)
        .map(|_| {
            http.get(format!("{base}/api/v1/tickets"))
                .bearer_auth(&token)
                .send()
        })
        .collect();
    for r in futures::future::join_all(warm).await {
        assert_eq!(r.unwrap().status(), 200);
    }
    let killed = cluster.psql(
        "select count(pg_terminate_backend(pid)) from pg_stat_activity
         where datname = 'gadesk' and pid <> pg_backend_pid()",
    );
    assert!(killed.parse::<i64>().unwrap() >= 1, "killed {killed}");
    for i in 0..30 {
        let r = http
            .get(format!("{base}/api/v1/tickets"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "request {i} after the kill");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_exhausted_pool_answers_503_in_time_and_health_still_answers() {
    let cluster = Cluster::start();
    let gadesk = Gadesk::start(
        &cluster,
        &[
            ("GADESK_DB_MAX_CONNECTIONS", "2"),
            ("GADESK_DB_ACQUIRE_TIMEOUT_MS", "1000"),
        ],
    );
    let base = gadesk.base();
    let token = token(&base, REQUESTER).await;
    // Slow requests: someone holds the tickets table.
    let mut locker = std::process::Command::new("psql")
        .args([
            &cluster.url("gadesk"),
            "-qc",
            "begin; lock table tickets in access exclusive mode; select pg_sleep(6); commit;",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let http = client();
    let slow: Vec<_> = (0..2)
        .map(|_| {
            tokio::spawn(
                http.get(format!("{base}/api/v1/tickets"))
                    .bearer_auth(&token)
                    .send(),
            )
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let started = Instant::now();
    let extra = http
        .get(format!("{base}/api/v1/tickets"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let took = started.elapsed();
    assert_eq!(extra.status(), 503);
    assert!(took < Duration::from_millis(2500), "503 after {took:?}");
    let started = Instant::now();
    assert_eq!(
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert!(started.elapsed() < Duration::from_millis(500));
    // When the lock goes, the slow ones finish normally.
    locker.wait().unwrap();
    for s in slow {
        assert_eq!(s.await.unwrap().unwrap().status(), 200);
    }
    assert_eq!(
        http.get(format!("{base}/api/v1/tickets"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    eprintln!("extra request got 503 after {took:?} with the pool exhausted");
}

fn read_until_closed(mut s: TcpStream, limit: Duration) -> (Duration, String) {
    s.set_read_timeout(Some(limit)).unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match s.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) => break,
        }
    }
    (
        started.elapsed(),
        String::from_utf8_lossy(&buf).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn slow_and_oversized_clients_are_cut_off() {
    let cluster = Cluster::start();
    let gadesk = Gadesk::start(&cluster, &[("GADESK_HEADER_READ_TIMEOUT_SECS", "2")]);
    let port = gadesk.port;
    // Slowloris: headers started, never finished.
    let handle = std::thread::spawn(move || {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .unwrap();
        read_until_closed(s, Duration::from_secs(10))
    });
    let (took, _) = handle.join().unwrap();
    assert!(
        took < Duration::from_secs(5),
        "slow client cut after {took:?}"
    );
    // Oversized headers.
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let big = format!(
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n",
        "a".repeat(200 * 1024)
    );
    let _ = s.write_all(big.as_bytes());
    let (_, answer) = read_until_closed(s, Duration::from_secs(5));
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(80)]
    );
    // Oversized body: refused without reading 10 MB.
    let token = token(&gadesk.base(), REQUESTER).await;
    let started = Instant::now();
    let r = client()
        .post(format!("{}/api/v1/tickets", gadesk.base()))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(vec![b' '; 10 * 1024 * 1024])
        .send()
        .await;
    match r {
        Ok(r) => assert_eq!(r.status(), 413),
        Err(e) => assert!(e.is_request() || e.is_body(), "{e}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        client()
            .get(format!("{}/healthz", gadesk.base()))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_thousand_idle_connections_do_not_lock_others_out() {
    let _ = rlimit::increase_nofile_limit(u64::MAX);
    let cluster = Cluster::start();
    let gadesk = Gadesk::start(&cluster, &[]);
    let base = gadesk.base();
    let token = token(&base, REQUESTER).await;
    let mut idle = Vec::with_capacity(2000);
    for _ in 0..2000 {
        let s = tokio::net::TcpStream::connect(("127.0.0.1", gadesk.port))
            .await
            .unwrap();
        idle.push(s);
    }
    let http = client();
    let started = Instant::now();
    for _ in 0..20 {
        let r = http
            .get(format!("{base}/api/v1/tickets"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }
    let took = started.elapsed();
    eprintln!("20 requests beside 2000 idle connections took {took:?}");
    assert!(took < Duration::from_secs(5));
    drop(idle);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_under_load_lets_accepted_requests_finish() {
    let cluster = Cluster::start();
    let mut gadesk = Gadesk::start(
        &cluster,
        &[
            ("GADESK_SHUTDOWN_GRACE_SECS", "20"),
            ("GADESK_DB_MAX_CONNECTIONS", "20"),
        ],
    );
    let base = gadesk.base();
    let token = token(&base, REQUESTER).await;
    // Requests that are in flight when the signal comes: blocked on a lock.
    let mut locker = std::process::Command::new("psql")
        .args([
            &cluster.url("gadesk"),
            "-qc",
            "begin; lock table tickets in access exclusive mode; select pg_sleep(3); commit;",
        ])
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let http = client();
    let in_flight: Vec<_> = (0..12)
        .map(|i| {
            tokio::spawn(
                http.post(format!("{base}/api/v1/tickets"))
                    .bearer_auth(&token)
                    .json(&new_ticket(&format!("Shutdown {i}"), 10_000))
                    .send(),
            )
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    gadesk.sigterm();
    tokio::time::sleep(Duration::from_millis(300)).await;
    // New connections are refused once shutdown began.
    assert!(
        TcpStream::connect(("127.0.0.1", gadesk.port)).is_err(),
        "still accepting after SIGTERM"
    );
    locker.wait().unwrap();
    let mut ok = 0;
    for t in in_flight {
        let r = t
            .await
            .unwrap()
            .expect("an accepted request must get its answer");
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap_or_default());
        ok += 1;
    }
    let exit = gadesk.child.wait().unwrap();
    assert!(exit.success(), "clean exit: {exit:?}");
    assert_eq!(
        cluster.psql("select count(*) from tickets where title like 'Shutdown %'"),
        ok.to_string()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn metrics_describe_requests_pool_and_build() {
    const METRICS_TOKEN: &str = "scraper-token-0123456789";
    let cluster = Cluster::start();
    let gadesk = Gadesk::start(&cluster, &[("GADESK_METRICS_TOKEN", METRICS_TOKEN)]);
    let base = gadesk.base();
    let token = token(&base, REQUESTER).await;
    let http = client();
    http.get(format!("{base}/api/v1/tickets"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let _ = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": REQUESTER, "password": "wrong-password-1"}))
        .send()
        .await
        .unwrap();
    // Made-up methods and addresses must not grow the label set.
    for i in 0..20 {
        let odd = reqwest::Method::from_bytes(format!("BREW{i}").as_bytes()).unwrap();
        http.request(odd, format!("{base}/no/such/{i}"))
            .send()
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_secs(6)).await;
    // Without the token there is nothing to read.
    for auth in [None, Some("wrong-token-0123456789abc")] {
        let mut req = http.get(format!("{base}/metrics"));
        if let Some(t) = auth {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 401);
        assert!(!r.text().await.unwrap().contains("http_requests_total"));
    }
    let scrape = || {
        let http = http.clone();
        let url = format!("{base}/metrics");
        async move {
            http.get(url)
                .bearer_auth(METRICS_TOKEN)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
        }
    };
    let text = scrape().await;
    assert!(!text.contains("BREW"), "made-up methods became labels");
    assert!(!text.contains("/no/such/"), "raw paths became labels");
    assert!(text.contains("method=\"other\",route=\"unmatched\""));
    for needle in [
        "http_requests_total{method=\"GET\",route=\"/api/v1/tickets\",status=\"200\"}",
        "http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/v1/tickets\",status=\"200\",le=\"0.005\"}",
        "gadesk_login_failures_total 1",
        "db_pool_connections",
        "db_pool_idle",
        "gadesk_tickets{status=\"pending\"}",
        "gadesk_build_info{",
    ] {
        assert!(text.contains(needle), "metrics lack {needle}:\n{text}");
    }
    // Route templates, never raw ids, as labels.
    let id = uuid::Uuid::now_v7();
    http.get(format!("{base}/api/v1/tickets/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let text = scrape().await;
    assert!(text.contains("route=\"/api/v1/tickets/{id}\""));
    assert!(!text.contains(&id.to_string()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn metrics_can_live_on_their_own_address() {
    let cluster = Cluster::start();
    let port = harness::free_port();
    let addr = format!("127.0.0.1:{port}");
    let gadesk = Gadesk::start(&cluster, &[("GADESK_METRICS_ADDR", addr.as_str())]);
    let http = client();
    // Not on the public address at all.
    let r = http
        .get(format!("{}/metrics", gadesk.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let mut text = String::new();
    for _ in 0..50 {
        if let Ok(r) = http.get(format!("http://{addr}/metrics")).send().await {
            text = r.text().await.unwrap();
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(text.contains("gadesk_build_info{"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_over_tls_is_verified() {
    let cluster = Cluster::start();
    let (ca, other_ca) = cluster.enable_tls();
    let url = |mode: &str, root: &std::path::Path| {
        format!(
            "postgres://postgres@localhost:{}/gadesk?sslmode={mode}&sslrootcert={}&application_name=gadesk-tls",
            cluster.port,
            root.display()
        )
    };
    // verify-full against the CA that signed the server's certificate.
    let verified = url("verify-full", &ca);
    let gadesk = Gadesk::start(&cluster, &[("DATABASE_URL", verified.as_str())]);
    let http = client();
    let r = http
        .get(format!("{}/readyz", gadesk.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let t = token(&gadesk.base(), REQUESTER).await;
    let r = http
        .get(format!("{}/api/v1/tickets", gadesk.base()))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let encrypted = cluster.psql(
        "select count(*) from pg_stat_ssl s join pg_stat_activity a using (pid)
         where a.application_name = 'gadesk-tls' and s.ssl",
    );
    assert_ne!(encrypted, "0", "GA Desk's connections are encrypted");
    let plain = cluster.psql(
        "select count(*) from pg_stat_ssl s join pg_stat_activity a using (pid)
         where a.application_name = 'gadesk-tls' and not s.ssl",
    );
    assert_eq!(plain, "0");
    drop(gadesk);
    // A certificate from a CA it was not told to trust is refused.
    let untrusted = url("verify-full", &other_ca);
    let data = cluster.dir.with_extension("data");
    let out = harness::gadesk_cmd(&cluster, &data)
        .env("DATABASE_URL", &untrusted)
        .arg("migrate")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(
        !out.status.success(),
        "must not talk to an unverified server"
    );
    assert!(err.contains("certificate"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_newer_schema_is_never_migrated_backwards() {
    let cluster = Cluster::start();
    let data = cluster.dir.with_extension("data");
    let out = harness::gadesk_cmd(&cluster, &data)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(out.status.success());
    // Safe to run again.
    assert!(harness::gadesk_cmd(&cluster, &data)
        .arg("migrate")
        .output()
        .unwrap()
        .status
        .success());
    cluster.psql(
        "insert into _sqlx_migrations (version, description, success, checksum, execution_time)
         values (29991231000000, 'from the future', true, '\\x00', 1)",
    );
    let out = harness::gadesk_cmd(&cluster, &data)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("newer version") && err.contains("29991231000000"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_behind_nginx_agree() {
    let cluster = Cluster::start();
    // Instances of one deployment share the public URL (the token issuer)
    // and the secret.
    let env = [
        ("GADESK_PUBLIC_URL", "http://ga-desk.test"),
        ("GADESK_TRUSTED_PROXIES", "127.0.0.1"),
        ("GADESK_AUTO_CLOSE_INTERVAL_SECS", "1"),
    ];
    let a = Gadesk::start(&cluster, &env);
    let b = Gadesk::spawn(&cluster, &a.data_dir, &env);
    let nginx = Nginx::start(&[a.port, b.port]);
    let http = client();

    // A session from one instance works on the other.
    let requester = token(&nginx.base(), REQUESTER).await;
    for g in [&a, &b] {
        let r = http
            .get(format!("{}/api/v1/me", g.base()))
            .bearer_auth(&requester)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    // Approvals racing through the balancer (so across both instances):
    // exactly one wins.
    // A requester without a manager, so any approver may decide level 1.
    let mut approvers = Vec::new();
    for (i, role) in std::iter::once("requester")
        .chain(std::iter::repeat_n("approver", 10))
        .enumerate()
    {
        let email = format!("{role}{i}@example.co.id");
        let out = harness::gadesk_cmd(&cluster, &a.data_dir)
            .args([
                "create-user",
                "--email",
                &email,
                "--name",
                &format!("Person {i}"),
                "--role",
                role,
            ])
            .env("GADESK_NEW_PASSWORD", harness::PASSWORD)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        approvers.push(token(&nginx.base(), &email).await);
    }
    let requester = approvers.remove(0);
    let ticket: Value = http
        .post(format!("{}/api/v1/tickets", nginx.base()))
        .bearer_auth(&requester)
        .json(&new_ticket("Genset kantor cabang", 5_000_000))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = ticket["id"].as_str().unwrap().to_string();
    let barrier = Arc::new(tokio::sync::Barrier::new(approvers.len()));
    let tasks: Vec<_> = approvers
        .iter()
        .map(|t| {
            let (http, url, t, barrier) = (
                http.clone(),
                format!("{}/api/v1/tickets/{id}/approve", nginx.base()),
                t.clone(),
                barrier.clone(),
            );
            tokio::spawn(async move {
                barrier.wait().await;
                http.post(url)
                    .bearer_auth(t)
                    .json(&json!({"version": 1}))
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        1,
        "{statuses:?}"
    );
    // The others no longer see the ticket; they are told who decided.
    assert_eq!(
        statuses.iter().filter(|s| **s == 404).count(),
        approvers.len() - 1,
        "{statuses:?}"
    );
    assert_eq!(
        cluster.psql(&format!(
            "select count(*) from ticket_approvals where ticket_id = '{id}'"
        )),
        "1"
    );

    // Signing out on A is honoured by B within 30 seconds.
    let session = token(&nginx.base(), ADMIN).await;
    let r = http
        .post(format!("{}/api/v1/auth/logout", a.base()))
        .bearer_auth(&session)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let started = Instant::now();
    loop {
        let r = http
            .get(format!("{}/api/v1/me", b.base()))
            .bearer_auth(&session)
            .send()
            .await
            .unwrap();
        if r.status() == 401 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "instance B still accepts the signed-out session"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    eprintln!(
        "instance B refused the signed-out session after {:?}",
        started.elapsed()
    );

    // The auto-close job runs on both instances, but closes each ticket once.
    for i in 0..5 {
        let t: Value = http
            .post(format!("{}/api/v1/tickets", nginx.base()))
            .bearer_auth(&requester)
            .json(&new_ticket(&format!("Lama {i}"), 10_000))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        cluster.psql(&format!(
            "update tickets set status = 'completed', completed_at = now() - interval '8 days', actual_total = 1,
                    assignee_id = requester_id where id = '{}'",
            t["id"].as_str().unwrap()
        ));
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert_eq!(
        cluster
            .psql("select count(*) from tickets where title like 'Lama %' and status = 'closed'"),
        "5"
    );
    assert_eq!(
        cluster.psql("select count(*) from ticket_history where action = 'auto_close'"),
        "5"
    );
}

#[path = "support/mailbox.rs"]
mod mailbox;

/// Email rows of the outbox by status.
fn email_statuses(cluster: &Cluster) -> String {
    cluster.psql(
        "select coalesce(string_agg(status || '=' || n, ' ' order by status), '') from
           (select status, count(*) n from outbox where channel = 'email' group by status) s",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_killed_mid_batch_sends_nothing_twice_and_another_instance_finishes() {
    let cluster = Cluster::start();
    // Instance A's mail (sender a@) hangs after 5 accepted messages.
    let mail = mailbox::Mailbox::start(mailbox::Options {
        stall_from: Some("a@ga-desk.example.co.id"),
        stall_after: 5,
        ..Default::default()
    });
    let smtp = mail.url();
    let common = [
        ("GADESK_SMTP_URL", smtp.as_str()),
        ("GADESK_OUTBOX_POLL_MS", "100"),
        ("GADESK_OUTBOX_LEASE_SECS", "4"),
    ];
    let mut env_a = common.to_vec();
    env_a.push(("GADESK_SMTP_FROM", "GA Desk A <a@ga-desk.example.co.id>"));
    let mut a = Gadesk::start(&cluster, &env_a);
    let base = a.base();
    let budi = token(&base, REQUESTER).await;
    let http = client();
    for n in 0..40 {
        let r = http
            .post(format!("{base}/api/v1/tickets"))
            .bearer_auth(&budi)
            .json(&new_ticket(&format!("Kursi {n}"), 1_500_000))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while !mail.stalled() {
        assert!(
            Instant::now() < deadline,
            "A never reached its fifth message"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A holds a claimed batch, stuck mid-way. B starts meanwhile.
    let mut env_b = common.to_vec();
    env_b.push(("GADESK_SMTP_FROM", "GA Desk B <b@ga-desk.example.co.id>"));
    let b = Gadesk::spawn(&cluster, &a.data_dir.clone(), &env_b);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    // While A's lease holds, B leaves A's messages alone.
    let ids = |m: &[Value]| -> Vec<String> {
        m.iter()
            .map(|x| x["message_id"].as_str().unwrap().to_string())
            .collect()
    };
    let so_far = mail.messages();
    let unique: std::collections::HashSet<String> = ids(&so_far).into_iter().collect();
    assert_eq!(unique.len(), so_far.len(), "no duplicate while both run");
    // Kill A mid-batch, without a chance to clean up.
    a.child.kill().unwrap();
    a.child.wait().unwrap();
    let total: usize = cluster
        .psql("select count(*) from outbox where channel = 'email'")
        .parse()
        .unwrap();
    assert!(total >= 40, "{total}");
    let got = mail.wait_for(total, Duration::from_secs(60));
    // Give a duplicate, if any, time to show up.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let got_after = mail.messages();
    assert_eq!(got_after.len(), got.len(), "nothing more arrived");
    let all = ids(&got_after);
    let unique: std::collections::HashSet<String> = all.iter().cloned().collect();
    assert_eq!(unique.len(), total, "every message exactly once");
    assert_eq!(email_statuses(&cluster), format!("sent={total}"));
    let from_a = got_after
        .iter()
        .filter(|m| m["mail_from"] == "a@ga-desk.example.co.id")
        .count();
    // Five, plus the ones already past MAIL on its other connections (it
    // delivers eight at a time) when the server started hanging it.
    assert!(
        (5..5 + 8).contains(&from_a),
        "A sent {from_a} before it hung"
    );
    drop(b);
}
