//! `gadesk`: serve, migrate, create-user, seed-demo.

use app::domain::Role;
use app::services::passwords::Passwords;
use app::services::users;
use app::state::AppState;
use clap::{Parser, Subcommand};
use server::config::{Config, Mode};
use server::seed::demo;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, PgPool};
use std::process::ExitCode;
use std::str::FromStr;

#[derive(Parser)]
#[command(
    name = "gadesk",
    version,
    about = "GA Desk: the General Affairs service desk"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database, then serve the web app and the REST API (default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create a user, or update the one with the same email.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// requester, approver, agent or admin
        #[arg(long, default_value = "requester")]
        role: String,
        #[arg(long, default_value = "")]
        department: String,
        /// The password is read from this environment variable, never from
        /// the command line (which other users of the machine can see).
        #[arg(long, default_value = "GADESK_NEW_PASSWORD")]
        password_env: String,
    },
    /// Development only: fill the database with synthetic data for benchmarks.
    Generate {
        #[arg(long, default_value_t = 100_000)]
        tickets: u64,
        #[arg(long, default_value_t = 2_000)]
        users: u64,
        /// Assets are not part of GA Desk yet; accepted for the benchmark's
        /// command line and ignored.
        #[arg(long, default_value_t = 0)]
        assets: u64,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Environment variable holding the password of every generated user.
        #[arg(long, default_value = "GADESK_BENCH_PASSWORD")]
        password_env: String,
    },
    /// Development only: create demo users for every role and a few tickets.
    SeedDemo {
        /// Environment variable holding the demo password.
        #[arg(long, default_value = "GADESK_DEMO_PASSWORD")]
        password_env: String,
    },
}

#[derive(Debug, thiserror::Error)]
enum Fatal {
    #[error(transparent)]
    Config(#[from] server::config::ConfigError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0}")]
    Service(#[from] app::services::ServiceError),
    #[error("{0}")]
    Usage(String),
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

fn init_tracing(mode: Mode) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("GADESK_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if mode == Mode::Production || std::env::var("GADESK_LOG_FORMAT").as_deref() == Ok("json") {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .init();
    } else {
        builder.compact().init();
    }
}

async fn connect_to(config: &Config, url: &str) -> Result<PgPool, Fatal> {
    let statement_timeout = config.db_statement_timeout.as_millis().to_string();
    let idle = config
        .db_idle_in_transaction_timeout
        .as_millis()
        .to_string();
    let options = PgConnectOptions::from_str(url)?
        .options([
            ("statement_timeout", statement_timeout.as_str()),
            ("idle_in_transaction_session_timeout", idle.as_str()),
        ])
        .disable_statement_logging();
    // Connections are opened lazily: the server starts (and answers
    // /healthz) even while the database is down, and heals when it returns.
    Ok(PgPoolOptions::new()
        .max_connections(config.db_max_connections)
        .min_connections(0)
        .acquire_timeout(config.db_acquire_timeout)
        .test_before_acquire(true)
        .connect_lazy_with(options))
}

async fn connect(config: &Config) -> Result<PgPool, Fatal> {
    connect_to(config, config.require_database()?).await
}

/// Applies new migrations. A database migrated by a newer GA Desk (it has
/// migrations this binary does not know) is refused, never "downgraded".
async fn migrate(pool: &PgPool) -> Result<(), Fatal> {
    match sqlx::migrate!("../migrations").run(pool).await {
        Ok(()) => Ok(()),
        Err(sqlx::migrate::MigrateError::VersionMissing(v)) => Err(Fatal::Usage(format!(
            "the database has migration {v}, which this gadesk does not know: it was migrated by a newer version. \
             Refusing to run; deploy the newer version (or restore a backup taken before it)."
        ))),
        Err(e) => Err(e.into()),
    }
}

fn hash_parallelism() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

async fn serve(config: Config) -> Result<(), Fatal> {
    server::serve::raise_file_limit();
    let pool = connect(&config).await?;
    migrate(&pool).await?;
    let mut state = AppState::new(
        config.leptos_options(),
        pool.clone(),
        &config.jwt_secret,
        &config.public_url,
        hash_parallelism(),
    )?
    .with_session_max_days(config.session_max_days)
    .with_files(
        app::services::attachments::store::Files::open(
            &config.files,
            &config.data_dir.join("incoming"),
            &config.jwt_secret,
        )
        .map_err(|e| Fatal::Usage(format!("attachments store: {e}")))?,
    );
    tracing::info!(store = state.files.backend, "attachments are kept");
    state.limits = config.limits;
    state.passwords.temp_password_hours = config.temp_password_hours;
    if let Some(url) = &config.database_read_url {
        state.read_db = connect_to(&config, url).await?;
        tracing::info!("lists, exports and reports read from the replica");
    }
    let metrics = server::metrics::install();
    server::metrics::spawn_gauges(pool.clone());
    if let Some(addr) = config.metrics_addr {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!(%addr, "metrics are served on their own address");
        tokio::spawn(server::metrics::serve_alone(listener, metrics));
    }
    state.sso_enabled = config.oidc.is_some();
    // This year's and next year's decreed holidays, once per installation.
    let years = app::services::sites::current_years();
    match app::services::sites::load_shipped_holidays(&pool, &years).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            days = n,
            ?years,
            "loaded national holidays and cuti bersama"
        ),
        Err(e) => tracing::warn!(error = %e, "could not load the shipped holidays"),
    }
    spawn_auto_close(
        pool.clone(),
        state.files.clone(),
        config.auto_close_interval,
        config.security_log_days,
    );
    server::events::start_listener(pool.clone(), state.ticket_events.clone()).await?;
    let ticket_events = state.ticket_events.clone();
    state.revocations.reload(&pool).await?;
    spawn_revocation_reload(state.clone());
    spawn_outbox(&config, &state)?;
    let oidc = match &config.oidc {
        Some(settings) => Some(std::sync::Arc::new(
            server::oidc::Oidc::new(settings.clone(), &config.jwt_secret)
                .map_err(|e| Fatal::Usage(e.to_string()))?,
        )),
        None => None,
    };
    let app = server::build_router(
        state,
        server::RouterOptions {
            network: config.network.clone(),
            metrics: server::metrics::Exposure {
                token: config.metrics_token.clone(),
            },
            oidc,
        },
    );
    let listener = tokio::net::TcpListener::bind(config.addr).await?;
    tracing::info!(addr = %config.addr, public_url = %config.public_url, "GA Desk is listening");
    // Live streams never finish on their own: end them at shutdown.
    let shutdown = async move {
        shutdown_signal().await;
        ticket_events.close();
    };
    server::serve::serve(listener, app, config.connection_limits, shutdown).await?;
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Closes tickets completed more than 7 days ago, every `interval`, and
/// once a day removes spent sessions, old idempotency keys and old security
/// log lines. Every instance runs the loop; an advisory lock lets one at a
/// time do the work.
fn spawn_auto_close(
    pool: PgPool,
    files: std::sync::Arc<app::services::attachments::store::Files>,
    interval: std::time::Duration,
    security_log_days: i64,
) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut last_retention: Option<std::time::Instant> = None;
        loop {
            tick.tick().await;
            match app::services::jobs::auto_close(&pool, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(closed = n, "auto-closed completed tickets"),
                Err(e) => tracing::warn!(error = %e, "auto-close failed; will retry"),
            }
            let grace = app::services::attachments::SWEEP_GRACE_SECS;
            match app::services::attachments::sweep(&pool, &files, grace).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(blobs = n, "removed the bytes of files nothing uses"),
                Err(e) => tracing::warn!(error = %e, "file sweep failed; will retry"),
            }
            let due = last_retention
                .is_none_or(|at| at.elapsed() >= std::time::Duration::from_secs(24 * 3600));
            if due {
                match app::services::jobs::retention(&pool, chrono::Utc::now(), security_log_days)
                    .await
                {
                    Ok(Some(r)) => {
                        last_retention = Some(std::time::Instant::now());
                        tracing::info!(
                            sessions = r.sessions,
                            refresh_tokens = r.refresh_tokens,
                            idempotency_keys = r.idempotency_keys,
                            security_events = r.security_events,
                            "retention removed old rows"
                        );
                    }
                    // Another instance is at it; try again next time.
                    Ok(None) => {}
                    Err(e) => tracing::warn!(error = %e, "retention failed; will retry"),
                }
            }
        }
    });
}

/// Every instance delivers email and webhook messages from the outbox and
/// runs the notification jobs (one at a time holds their lock).
fn spawn_outbox(config: &Config, state: &AppState) -> Result<(), Fatal> {
    let settings = &config.outbox;
    let mut worker = server::delivery::Worker::new(
        state.db.clone(),
        &config.public_url,
        state.decision_key.clone(),
    );
    worker.lease = settings.lease;
    if let Some(url) = &settings.smtp_url {
        worker.mailer =
            Some(server::delivery::Mailer::new(url, &settings.smtp_from).map_err(Fatal::Usage)?);
        tracing::info!(from = %settings.smtp_from, "email notifications are on");
    } else {
        tracing::info!("GADESK_SMTP_URL is not set: no email (the bell and webhooks work)");
    }
    worker.spawn(settings.poll);
    let (pool, interval, after) = (
        state.db.clone(),
        settings.jobs_interval,
        settings.remind_after_hours,
    );
    tokio::spawn(async move {
        // Not at start-up, when the server needs its connections itself.
        let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match app::services::jobs::notify(&pool, chrono::Utc::now(), after).await {
                Ok(Some(n)) if n != Default::default() => {
                    tracing::info!(?n, "notification jobs queued messages")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "notification jobs failed; will retry"),
            }
            match app::services::jobs::escalate(&pool, chrono::Utc::now()).await {
                Ok(Some(n)) if n != Default::default() => {
                    tracing::info!(?n, "service-level reminders and escalations")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "escalation failed; will retry"),
            }
            match app::services::bookings::release_no_shows(&pool, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(released = n, "released bookings nobody checked in to"),
                Err(e) => tracing::warn!(error = %e, "releasing no-shows failed; will retry"),
            }
        }
    });
    Ok(())
}

/// Every instance reloads the list of ended sessions every few seconds, so a
/// sign-out or deactivation on one instance holds on all of them well within
/// 30 seconds, with no shared cache needed.
fn spawn_revocation_reload(state: AppState) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            tick.tick().await;
            if let Err(e) = state.revocations.reload(&state.db).await {
                tracing::warn!(error = %e, "could not reload revoked sessions; will retry");
            }
        }
    });
}

fn password_from(var: &str) -> Result<String, Fatal> {
    std::env::var(var)
        .ok()
        .filter(|p| !p.is_empty())
        .ok_or_else(|| {
            Fatal::Usage(format!(
                "set the password in the environment variable {var}"
            ))
        })
}

async fn run(cli: Cli) -> Result<(), Fatal> {
    let config = Config::from_env()?;
    init_tracing(config.mode);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            let pool = connect(&config).await?;
            migrate(&pool).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::CreateUser {
            email,
            name,
            role,
            department,
            password_env,
        } => {
            let role = Role::from_str(&role).map_err(|e| Fatal::Usage(format!("--role: {e}")))?;
            let password = password_from(&password_env)?;
            let pool = connect(&config).await?;
            migrate(&pool).await?;
            let passwords = Passwords::new(1);
            let user = users::upsert_user(
                &pool,
                &passwords,
                &users::NewUser {
                    email,
                    name,
                    department,
                    role,
                    password: Some(password),
                    manager_id: None,
                },
            )
            .await?;
            println!(
                "user {} ({}) is ready as {}",
                user.email, user.id, user.role
            );
            Ok(())
        }
        Command::Generate {
            tickets,
            users,
            assets,
            seed,
            password_env,
        } => {
            if config.mode != Mode::Development {
                return Err(Fatal::Usage(
                    "generate only runs with GADESK_ENV=development".into(),
                ));
            }
            let password = password_from(&password_env)?;
            // Bulk loading takes longer than any request may.
            let mut bulk = config.clone();
            bulk.db_statement_timeout = std::time::Duration::ZERO;
            let pool = connect(&bulk).await?;
            migrate(&pool).await?;
            let started = std::time::Instant::now();
            let report = server::seed::generate::generate(
                &pool,
                &Passwords::new(1),
                &password,
                server::seed::generate::Options {
                    tickets,
                    users,
                    seed,
                },
            )
            .await?;
            println!(
                "generated {} users, {} tickets, {} items, {} history rows, {} comments in {:.1} s",
                report.users,
                report.tickets,
                report.items,
                report.history,
                report.comments,
                started.elapsed().as_secs_f64()
            );
            let made = server::seed::generate::generate_assets(&pool, assets, seed).await?;
            println!("generated {made} assets");
            Ok(())
        }
        Command::SeedDemo { password_env } => {
            if config.mode != Mode::Development {
                return Err(Fatal::Usage(
                    "seed-demo only runs with GADESK_ENV=development: demo accounts do not belong in production".into(),
                ));
            }
            let password = password_from(&password_env)?;
            let pool = connect(&config).await?;
            migrate(&pool).await?;
            demo::seed_demo(&pool, &Passwords::new(hash_parallelism()), &password).await?;
            println!("demo accounts (password from {password_env}):");
            for a in demo::DEMO_ACCOUNTS {
                println!("  {:<32} {}", a.email, a.role.label());
            }
            Ok(())
        }
    }
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gadesk: {e}");
            ExitCode::FAILURE
        }
    }
}
