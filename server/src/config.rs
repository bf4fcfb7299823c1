//! Configuration from the environment (DESIGN §7). Secrets never print.

use leptos::config::{Env, LeptosOptions};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{0} is required")]
    Missing(&'static str),
    #[error("{name} is invalid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("could not use the data folder {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

#[derive(Clone)]
pub struct Config {
    pub mode: Mode,
    pub database_url: String,
    pub addr: SocketAddr,
    pub public_url: String,
    pub jwt_secret: Vec<u8>,
    pub data_dir: PathBuf,
    pub db_max_connections: u32,
    pub db_acquire_timeout: Duration,
    pub db_statement_timeout: Duration,
    pub db_idle_in_transaction_timeout: Duration,
    /// Optional read replica for lists, exports and reports.
    pub database_read_url: Option<String>,
    pub connection_limits: crate::serve::ConnectionLimits,
    pub site_root: String,
    pub site_pkg_dir: String,
    pub auto_close_interval: Duration,
    pub network: Network,
    pub limits: app::services::auth::Limits,
    pub oidc: Option<crate::oidc::OidcSettings>,
    /// `/metrics` on its own address (for the scraper's network only).
    pub metrics_addr: Option<SocketAddr>,
    /// Or on the main address, to callers with this bearer token.
    pub metrics_token: Option<String>,
    /// Sessions end this many days after sign-in, however often refreshed.
    pub session_max_days: i64,
    /// Security log lines are kept this many days.
    pub security_log_days: i64,
    /// Temporary passwords stop working after this many hours.
    pub temp_password_hours: i64,
    pub outbox: OutboxSettings,
    /// Where attachments are kept: `<data>/files`, or an S3 bucket.
    pub files: app::services::attachments::store::Backend,
}

/// Notifications that leave the app (email, webhooks, reminders).
#[derive(Clone)]
pub struct OutboxSettings {
    /// `smtp://host:25`, `smtp://user:pass@host:587?tls=required`,
    /// `smtps://user:pass@host:465`; no email without it.
    pub smtp_url: Option<String>,
    /// The sender: `GA Desk <ga-desk@example.co.id>`.
    pub smtp_from: String,
    /// How often each instance looks for due messages.
    pub poll: Duration,
    /// How long a claimed message is a worker's before others may take it.
    pub lease: Duration,
    /// How often reminders, stock and warranty notices and digests run.
    pub jobs_interval: Duration,
    /// First approval reminder after this many hours of waiting.
    pub remind_after_hours: i64,
}

/// Who the server trusts on the network: proxies whose `X-Forwarded-For`
/// counts, and origins allowed to call the API from a browser.
#[derive(Debug, Clone)]
pub struct Network {
    pub public_url: String,
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub cors_origins: Vec<String>,
}

impl Default for Network {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:3000".into(),
            trusted_proxies: Vec::new(),
            cors_origins: Vec::new(),
        }
    }
}

impl Network {
    pub fn is_trusted(&self, ip: std::net::IpAddr) -> bool {
        self.trusted_proxies.iter().any(|n| n.contains(&ip))
    }
}

fn list(name: &'static str) -> Vec<String> {
    var(name)
        .map(|v| {
            v.split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn proxies() -> Result<Vec<ipnet::IpNet>, ConfigError> {
    list("GADESK_TRUSTED_PROXIES")
        .into_iter()
        .map(|p| {
            p.parse::<ipnet::IpNet>()
                .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| ConfigError::Invalid {
                    name: "GADESK_TRUSTED_PROXIES",
                    reason: format!("{p:?} is not an IP address or CIDR range"),
                })
        })
        .collect()
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("mode", &self.mode)
            .field("addr", &self.addr)
            .field("public_url", &self.public_url)
            .field("database_url", &"<redacted>")
            .field("jwt_secret", &"<redacted>")
            .field("db_max_connections", &self.db_max_connections)
            .finish()
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|e: T::Err| ConfigError::Invalid {
            name,
            reason: e.to_string(),
        }),
    }
}

pub const MIN_SECRET_BYTES: usize = app::services::tokens::MIN_SECRET_BYTES;

impl Config {
    /// Reads everything but the database URL, which only `serve`, `migrate`
    /// and friends need.
    pub fn from_env() -> Result<Self, ConfigError> {
        let mode = match var("GADESK_ENV").as_deref() {
            None | Some("production") | Some("prod") => Mode::Production,
            Some("development") | Some("dev") => Mode::Development,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "GADESK_ENV",
                    reason: format!("{other:?} is neither development nor production"),
                })
            }
        };
        let addr: SocketAddr = parse("GADESK_ADDR", SocketAddr::from(([127, 0, 0, 1], 3000)))?;
        let data_dir = PathBuf::from(var("GADESK_DATA_DIR").unwrap_or_else(|| ".data".into()));
        let public_url = var("GADESK_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{addr}"))
            .trim_end_matches('/')
            .to_string();
        let jwt_secret = match var("GADESK_JWT_SECRET") {
            Some(s) if s.len() >= MIN_SECRET_BYTES => s.into_bytes(),
            Some(_) => {
                return Err(ConfigError::Invalid {
                    name: "GADESK_JWT_SECRET",
                    reason: format!("use at least {MIN_SECRET_BYTES} bytes of random text"),
                })
            }
            None if mode == Mode::Development => dev_secret(&data_dir)?,
            None => {
                return Err(ConfigError::Missing(
                    "GADESK_JWT_SECRET (at least 32 random bytes; e.g. `openssl rand -base64 48`) in production",
                ))
            }
        };
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        let files = match var("GADESK_S3_BUCKET") {
            Some(bucket) => app::services::attachments::store::Backend::S3 { bucket },
            None => app::services::attachments::store::Backend::Disk(data_dir.join("files")),
        };
        Ok(Self {
            mode,
            database_url: var("DATABASE_URL").unwrap_or_default(),
            addr,
            public_url: public_url.clone(),
            jwt_secret,
            data_dir,
            db_max_connections: parse("GADESK_DB_MAX_CONNECTIONS", (cores * 4).max(8))?,
            db_acquire_timeout: Duration::from_millis(parse(
                "GADESK_DB_ACQUIRE_TIMEOUT_MS",
                2000u64,
            )?),
            db_statement_timeout: Duration::from_millis(parse(
                "GADESK_DB_STATEMENT_TIMEOUT_MS",
                10_000u64,
            )?),
            db_idle_in_transaction_timeout: Duration::from_millis(parse(
                "GADESK_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS",
                30_000u64,
            )?),
            database_read_url: var("DATABASE_READ_URL"),
            connection_limits: crate::serve::ConnectionLimits {
                header_read_timeout: Duration::from_secs(
                    parse("GADESK_HEADER_READ_TIMEOUT_SECS", 10u64)?.max(1),
                ),
                shutdown_grace: Duration::from_secs(parse("GADESK_SHUTDOWN_GRACE_SECS", 20u64)?),
                max_header_bytes: 64 * 1024,
            },
            site_root: var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into()),
            site_pkg_dir: var("LEPTOS_SITE_PKG_DIR").unwrap_or_else(|| "pkg".into()),
            metrics_addr: match var("GADESK_METRICS_ADDR") {
                None => None,
                Some(_) => Some(parse("GADESK_METRICS_ADDR", addr)?),
            },
            metrics_token: match var("GADESK_METRICS_TOKEN") {
                Some(t) if t.len() < 16 => {
                    return Err(ConfigError::Invalid {
                        name: "GADESK_METRICS_TOKEN",
                        reason: "use at least 16 characters of random text".into(),
                    })
                }
                t => t,
            },
            session_max_days: parse(
                "GADESK_SESSION_MAX_DAYS",
                app::domain::user::SESSION_MAX_DAYS,
            )?
            .clamp(1, 365),
            temp_password_hours: parse(
                "GADESK_TEMP_PASSWORD_HOURS",
                app::domain::user::TEMP_PASSWORD_HOURS,
            )?
            .clamp(1, 24 * 30),
            security_log_days: parse(
                "GADESK_SECURITY_LOG_DAYS",
                app::services::jobs::SECURITY_LOG_DAYS,
            )?
            .max(1),
            auto_close_interval: Duration::from_secs(
                parse("GADESK_AUTO_CLOSE_INTERVAL_SECS", 600u64)?.max(1),
            ),
            outbox: OutboxSettings {
                smtp_url: var("GADESK_SMTP_URL"),
                smtp_from: var("GADESK_SMTP_FROM").unwrap_or_else(|| {
                    let host = public_url
                        .split("://")
                        .nth(1)
                        .and_then(|h| h.split(['/', ':']).next())
                        .filter(|h| h.contains('.') && h.parse::<std::net::IpAddr>().is_err())
                        .unwrap_or("localhost.localdomain");
                    format!("GA Desk <ga-desk@{host}>")
                }),
                poll: Duration::from_millis(parse("GADESK_OUTBOX_POLL_MS", 2000u64)?.max(50)),
                lease: Duration::from_secs(parse("GADESK_OUTBOX_LEASE_SECS", 120u64)?.max(1)),
                jobs_interval: Duration::from_secs(
                    parse("GADESK_NOTIFY_INTERVAL_SECS", 60u64)?.max(1),
                ),
                remind_after_hours: parse(
                    "GADESK_REMIND_AFTER_HOURS",
                    app::domain::outgoing::REMIND_AFTER_HOURS,
                )?
                .clamp(1, 24 * 14),
            },
            files,
            network: Network {
                public_url: public_url.clone(),
                trusted_proxies: proxies()?,
                cors_origins: list("GADESK_CORS_ORIGINS"),
            },
            oidc: match (var("GADESK_OIDC_ISSUER"), var("GADESK_OIDC_CLIENT_ID")) {
                (Some(issuer), Some(client_id)) => Some(crate::oidc::OidcSettings {
                    issuer,
                    allowed_domains: list("GADESK_OIDC_ALLOWED_DOMAINS")
                        .into_iter()
                        .map(|d| d.trim().trim_start_matches('@').to_lowercase())
                        .filter(|d| !d.is_empty())
                        .collect(),
                    client_id,
                    client_secret: var("GADESK_OIDC_CLIENT_SECRET"),
                    redirect_url: format!("{public_url}/api/v1/auth/oauth2/callback"),
                }),
                (None, None) => None,
                _ => {
                    return Err(ConfigError::Missing(
                        "GADESK_OIDC_ISSUER and GADESK_OIDC_CLIENT_ID (both, or neither)",
                    ))
                }
            },
            limits: app::services::auth::Limits {
                logins_per_ip_per_minute: parse("GADESK_LOGINS_PER_IP_PER_MINUTE", 100u32)?,
                refreshes_per_ip_per_minute: parse("GADESK_REFRESHES_PER_IP_PER_MINUTE", 600u32)?,
            },
        })
    }

    pub fn require_database(&self) -> Result<&str, ConfigError> {
        if self.database_url.is_empty() {
            Err(ConfigError::Missing("DATABASE_URL"))
        } else {
            Ok(&self.database_url)
        }
    }

    pub fn leptos_options(&self) -> LeptosOptions {
        LeptosOptions::builder()
            .output_name("gadesk")
            .site_root(self.site_root.as_str())
            .site_pkg_dir(self.site_pkg_dir.as_str())
            .site_addr(self.addr)
            .env(match self.mode {
                Mode::Development => Env::DEV,
                Mode::Production => Env::PROD,
            })
            .build()
    }
}

/// Development only: a random secret kept in the data folder, so sessions
/// survive restarts without anyone choosing (or committing) a secret.
fn dev_secret(data_dir: &std::path::Path) -> Result<Vec<u8>, ConfigError> {
    use base64::Engine;
    let path = data_dir.join("jwt-secret");
    let io = |source| ConfigError::DataDir {
        path: path.clone(),
        source,
    };
    if let Ok(existing) = std::fs::read_to_string(&path) {
        if existing.trim().len() >= MIN_SECRET_BYTES {
            return Ok(existing.trim().as_bytes().to_vec());
        }
    }
    std::fs::create_dir_all(data_dir).map_err(io)?;
    let bytes: [u8; 48] = rand::random();
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    write_private(&path, &secret).map_err(io)?;
    Ok(secret.into_bytes())
}

fn write_private(path: &std::path::Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(content.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_secret_is_generated_once_and_kept() {
        let dir = std::env::temp_dir().join(format!("gadesk-test-{}", uuid::Uuid::now_v7()));
        let a = dev_secret(&dir).unwrap();
        let b = dev_secret(&dir).unwrap();
        assert_eq!(a, b);
        assert!(a.len() >= MIN_SECRET_BYTES);
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[cfg(test)]
mod env_tests {
    use super::*;

    // nextest runs every test in its own process, so changing the
    // environment here cannot disturb other tests.
    #[test]
    fn production_refuses_to_start_without_a_real_secret() {
        std::env::set_var("GADESK_ENV", "production");
        std::env::remove_var("GADESK_JWT_SECRET");
        let err = Config::from_env().expect_err("must fail");
        assert!(err.to_string().contains("GADESK_JWT_SECRET"), "{err}");
        std::env::set_var("GADESK_JWT_SECRET", "too short");
        assert!(Config::from_env().is_err());
        std::env::set_var("GADESK_JWT_SECRET", "x".repeat(40));
        let c = Config::from_env().expect("a long secret is accepted");
        assert_eq!(c.mode, Mode::Production);
        assert!(
            !format!("{c:?}").contains("xxxxxxxx"),
            "secrets never print"
        );
        std::env::set_var("GADESK_TRUSTED_PROXIES", "10.0.0.0/8, 192.168.1.1");
        std::env::set_var("GADESK_CORS_ORIGINS", "https://hr.example.co.id");
        let c = Config::from_env().unwrap();
        assert!(c.network.is_trusted("10.2.3.4".parse().unwrap()));
        assert!(c.network.is_trusted("192.168.1.1".parse().unwrap()));
        assert!(!c.network.is_trusted("192.168.1.2".parse().unwrap()));
        assert_eq!(c.network.cors_origins, vec!["https://hr.example.co.id"]);
        std::env::set_var("GADESK_TRUSTED_PROXIES", "not-an-ip");
        assert!(Config::from_env().is_err());
    }
}
