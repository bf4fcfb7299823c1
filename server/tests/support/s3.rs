//! A real S3-compatible server for the attachment tests: moto's server in
//! its own process, on a free port, with one bucket.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct S3 {
    child: Child,
    pub endpoint: String,
    pub bucket: String,
}

fn python() -> PathBuf {
    if let Ok(p) = std::env::var("GADESK_TEST_PYTHON") {
        return p.into();
    }
    // scripts/test installs moto here (`ensure_schemathesis`).
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.data/tools/venv/bin/python")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl S3 {
    pub async fn start() -> S3 {
        let port = free_port();
        let child = Command::new(python())
            .args([
                "-m",
                "moto.server",
                "-H",
                "127.0.0.1",
                "-p",
                &port.to_string(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("moto's server starts (scripts/test installs it)");
        let endpoint = format!("http://127.0.0.1:{port}");
        let bucket = "gadesk-files".to_string();
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(r) = client.put(format!("{endpoint}/{bucket}")).send().await {
                assert!(r.status().is_success(), "bucket: {}", r.status());
                break;
            }
            assert!(
                Instant::now() < deadline,
                "moto did not start on {endpoint}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        S3 {
            child,
            endpoint,
            bucket,
        }
    }

    pub fn store(&self) -> std::sync::Arc<dyn object_store::ObjectStore> {
        std::sync::Arc::new(
            object_store::aws::AmazonS3Builder::new()
                .with_endpoint(&self.endpoint)
                .with_allow_http(true)
                .with_bucket_name(&self.bucket)
                .with_region("us-east-1")
                .with_access_key_id("test")
                .with_secret_access_key("test")
                .build()
                .unwrap(),
        )
    }
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
