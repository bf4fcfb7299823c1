//! A real SMTP server for the notification tests: `smtp_sink.py`
//! (aiosmtpd) in its own process, writing each accepted message as a JSON
//! line that the test reads back.

#![allow(dead_code)]

use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Mailbox {
    child: Child,
    pub port: u16,
    pub out: PathBuf,
}

#[derive(Default)]
pub struct Options<'a> {
    /// Share of DATA commands answered 451 (0.0 to 1.0).
    pub refuse_rate: f64,
    pub seed: u64,
    /// Hang MAIL FROM this sender after it had `stall_after` accepted.
    pub stall_from: Option<&'a str>,
    pub stall_after: u32,
}

fn python() -> PathBuf {
    if let Ok(p) = std::env::var("GADESK_TEST_PYTHON") {
        return p.into();
    }
    // scripts/test installs aiosmtpd here (`ensure_schemathesis`).
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.data/tools/venv/bin/python")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Mailbox {
    pub fn start(o: Options<'_>) -> Mailbox {
        let port = free_port();
        let out = std::env::temp_dir().join(format!("gadesk-mail-{}.jsonl", uuid::Uuid::now_v7()));
        let mut cmd = Command::new(python());
        cmd.arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/smtp_sink.py"
        ))
        .args(["--port", &port.to_string(), "--out", out.to_str().unwrap()])
        .args(["--refuse-rate", &o.refuse_rate.to_string()])
        .args(["--seed", &o.seed.to_string()]);
        if let Some(from) = o.stall_from {
            cmd.args([
                "--stall-from",
                from,
                "--stall-after",
                &o.stall_after.to_string(),
            ]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("python with aiosmtpd (scripts/test installs it under .data/tools)");
        let mut ready = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut ready)
            .unwrap();
        assert_eq!(ready.trim(), "ready", "the SMTP sink did not start");
        Mailbox { child, port, out }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message accepted so far, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.out)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Waits until at least `n` messages arrived (or panics after `within`).
    pub fn wait_for(&self, n: usize, within: Duration) -> Vec<Value> {
        let deadline = Instant::now() + within;
        loop {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            assert!(
                Instant::now() < deadline,
                "only {} of {n} messages arrived",
                m.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn stalled(&self) -> bool {
        self.out.with_extension("jsonl.stalled").exists()
    }

    pub fn to(&self, address: &str) -> Vec<Value> {
        self.messages()
            .into_iter()
            .filter(|m| m["rcpt_tos"][0] == address)
            .collect()
    }
}

impl Drop for Mailbox {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.out);
        let _ = std::fs::remove_file(self.out.with_extension("jsonl.stalled"));
    }
}

/// The path of the first link in `text` that starts with `prefix`.
pub fn link_after(text: &str, prefix: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let i = l.find("http")?;
        let url = l[i..].trim();
        let path = url.splitn(4, '/').nth(3).map(|p| format!("/{p}"))?;
        l[..i].trim_end().starts_with(prefix).then_some(path)
    })
}
