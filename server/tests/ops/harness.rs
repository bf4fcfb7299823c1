//! Real processes for the operations tests: a private PostgreSQL cluster per
//! test (so it can be stopped and started), `gadesk` itself, and nginx.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "ops-test-password-2026";

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn pg_bin(tool: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server binaries (Debian's postgresql package)")
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join(tool).exists())
        .collect();
    dirs.sort();
    dirs.pop().expect("initdb").join(tool)
}

/// Runs a PostgreSQL tool as the cluster's owner (initdb refuses root).
fn pg(tool: &str, args: &[&str]) -> std::process::Output {
    let bin = pg_bin(tool);
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(&bin);
        c
    } else {
        Command::new(&bin)
    };
    cmd.args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run PostgreSQL tool")
}

pub struct Cluster {
    pub dir: PathBuf,
    pub port: u16,
}

impl Cluster {
    pub fn start() -> Cluster {
        let dir = std::env::temp_dir().join(format!("gadesk-ops-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            Command::new("chown")
                .args(["postgres:", dir.to_str().unwrap()])
                .status()
                .unwrap();
        }
        let out = pg(
            "initdb",
            &[
                "-D",
                dir.to_str().unwrap(),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-instructions",
            ],
        );
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let cluster = Cluster {
            dir,
            port: free_port(),
        };
        cluster.up();
        let out = Command::new("psql")
            .args([&cluster.url("postgres"), "-qc", "create database gadesk"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        cluster
    }

    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    pub fn up(&self) {
        let opts = format!(
            "-p {} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c max_connections=100 -c fsync=off",
            self.port,
            self.dir.display()
        );
        let log = self.dir.join("server.log");
        let out = pg(
            "pg_ctl",
            &[
                "-D",
                self.dir.to_str().unwrap(),
                "-w",
                "-l",
                log.to_str().unwrap(),
                "-o",
                &opts,
                "start",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stops the server at once, as a crash or an outage would.
    pub fn down(&self) {
        let out = pg(
            "pg_ctl",
            &[
                "-D",
                self.dir.to_str().unwrap(),
                "-w",
                "-m",
                "immediate",
                "stop",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub fn psql(&self, sql: &str) -> String {
        let out = Command::new("psql")
            .args([&self.url("gadesk"), "-tAqc", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Cluster {
    /// Turns TLS on with a certificate for `localhost` and 127.0.0.1 signed
    /// by a CA made here. Returns that CA's file and another CA's, which
    /// must not be trusted for this server.
    pub fn enable_tls(&self) -> (PathBuf, PathBuf) {
        let certs = self.dir.with_extension("certs");
        std::fs::create_dir_all(&certs).unwrap();
        let run = |args: &[&str]| {
            let out = Command::new("openssl")
                .args(args)
                .current_dir(&certs)
                .output()
                .expect("openssl (Debian's openssl package)");
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        for ca in ["ca", "other-ca"] {
            run(&[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                &format!("{ca}.key"),
                "-out",
                &format!("{ca}.pem"),
                "-days",
                "2",
                "-subj",
                &format!("/CN=gadesk test {ca}"),
            ]);
        }
        std::fs::write(
            certs.join("san.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "server.crt",
            "-days",
            "2",
            "-extfile",
            "san.ext",
        ]);
        for f in ["server.crt", "server.key"] {
            std::fs::copy(certs.join(f), self.dir.join(f)).unwrap();
        }
        if is_root() {
            Command::new("chown")
                .args(["postgres:"])
                .arg(self.dir.join("server.crt"))
                .arg(self.dir.join("server.key"))
                .status()
                .unwrap();
        }
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            self.dir.join("server.key"),
            std::fs::Permissions::from_mode(0o600),
        )
        .unwrap();
        self.psql("alter system set ssl = on");
        self.psql("select pg_reload_conf()");
        std::thread::sleep(Duration::from_millis(500));
        (certs.join("ca.pem"), certs.join("other-ca.pem"))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = pg(
            "pg_ctl",
            &["-D", self.dir.to_str().unwrap(), "-m", "immediate", "stop"],
        );
        let _ = std::fs::remove_dir_all(&self.dir);
        let _ = std::fs::remove_dir_all(self.dir.with_extension("certs"));
    }
}

pub fn gadesk_cmd(cluster: &Cluster, data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gadesk"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", cluster.url("gadesk"))
        .env("GADESK_ENV", "development")
        .env("GADESK_DATA_DIR", data_dir)
        .env(
            "GADESK_JWT_SECRET",
            "an operations test secret of enough bytes",
        )
        .env("GADESK_LOG", "warn")
        .env("GADESK_DEMO_PASSWORD", PASSWORD);
    cmd
}

pub struct Gadesk {
    pub child: Child,
    pub port: u16,
    pub data_dir: PathBuf,
}

impl Gadesk {
    /// Seeds the demo accounts and starts `gadesk serve`, with `env` on top.
    pub fn start(cluster: &Cluster, env: &[(&str, &str)]) -> Gadesk {
        let data_dir = cluster.dir.with_extension("data");
        std::fs::create_dir_all(&data_dir).unwrap();
        let seed = gadesk_cmd(cluster, &data_dir)
            .arg("seed-demo")
            .output()
            .unwrap();
        assert!(
            seed.status.success(),
            "seed: {}",
            String::from_utf8_lossy(&seed.stderr)
        );
        Self::spawn(cluster, &data_dir, env)
    }

    pub fn spawn(cluster: &Cluster, data_dir: &Path, env: &[(&str, &str)]) -> Gadesk {
        let port = free_port();
        let mut cmd = gadesk_cmd(cluster, data_dir);
        cmd.env("GADESK_ADDR", format!("127.0.0.1:{port}"));
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .arg("serve")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let g = Gadesk {
            child,
            port,
            data_dir: data_dir.to_path_buf(),
        };
        g.wait_ready();
        g
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_ready(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("gadesk did not start");
    }

    pub fn sigterm(&self) {
        // SAFETY: sending a signal to our own child process.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
    }

    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }
}

impl Drop for Gadesk {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(20))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Signs in a demo account and returns its access token.
pub async fn token(base: &str, email: &str) -> String {
    let r = client()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());
    r.json::<serde_json::Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn new_ticket(title: &str, price: u64) -> serde_json::Value {
    serde_json::json!({
        "title": title, "category": "office_supplies", "location": "Kantor Pusat Jakarta",
        "items": [{"name": "Barang", "quantity": 1, "unit": "pcs", "unit_price": price.to_string()}]
    })
}

pub struct Nginx {
    child: Child,
    pub port: u16,
    dir: PathBuf,
}

impl Nginx {
    /// Debian's nginx on loopback, round-robin over `upstreams`.
    pub fn start(upstreams: &[u16]) -> Nginx {
        let port = free_port();
        let dir = std::env::temp_dir().join(format!("gadesk-nginx-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(dir.join("logs")).unwrap();
        let servers: String = upstreams
            .iter()
            .map(|p| format!("    server 127.0.0.1:{p};\n"))
            .collect();
        let conf = include_str!("../../../docs/nginx.conf")
            .replace("__UPSTREAMS__", &servers)
            .replace("__LISTEN__", &format!("127.0.0.1:{port}"))
            .replace("__PREFIX__", dir.to_str().unwrap());
        std::fs::write(dir.join("nginx.conf"), conf).unwrap();
        let child = Command::new("nginx")
            .args([
                "-p",
                dir.to_str().unwrap(),
                "-c",
                dir.join("nginx.conf").to_str().unwrap(),
                "-g",
                "daemon off;",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("nginx (Debian package)");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "nginx did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Nginx { child, port, dir }
    }

    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
