//! Prometheus metrics: requests by route and status with latency
//! histograms, the database pool, sign-in failures, tickets by status and
//! build information.

use app::services::Db;
use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::time::{Duration, Instant};

const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// Installs the process-wide recorder (once) and returns its handle.
pub fn install() -> PrometheusHandle {
    static HANDLE: std::sync::OnceLock<PrometheusHandle> = std::sync::OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".into()),
                    LATENCY_BUCKETS,
                )
                .expect("valid buckets")
                .install_recorder()
                .expect("one metrics recorder per process");
            metrics::gauge!(
                "gadesk_build_info",
                "version" => env!("CARGO_PKG_VERSION"),
                "rustc" => option_env!("RUSTC_VERSION").unwrap_or("unknown")
            )
            .set(1.0);
            handle
        })
        .clone()
}

/// The method label: one of the methods GA Desk serves, or `other`, so a
/// client inventing methods cannot grow the label set.
fn method_label(method: &http::Method) -> &'static str {
    use http::Method;
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Counts every request by method, route template (never the raw path, so
/// ids and made-up addresses do not grow the label set) and status, with
/// its latency.
pub async fn track(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = method_label(req.method());
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| {
            if req.uri().path().starts_with("/pkg/") {
                "/pkg/*".into()
            } else {
                "unmatched".into()
            }
        });
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    let labels = [
        ("method", method.to_string()),
        ("route", route),
        ("status", status),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// Where `/metrics` is served: on its own address (`GADESK_METRICS_ADDR`,
/// for the scraper's network only), and on the main address only to a
/// caller with the bearer token (`GADESK_METRICS_TOKEN`).
#[derive(Debug, Clone, Default)]
pub struct Exposure {
    pub token: Option<String>,
}

/// `/metrics` on the main address: the token, or nothing to see.
pub async fn guarded(
    handle: PrometheusHandle,
    exposure: &Exposure,
    headers: &http::HeaderMap,
) -> Response {
    use axum::response::IntoResponse;
    let Some(token) = exposure.token.as_deref() else {
        return crate::rest::error::RestError::from(app::domain::Refusal::NoSuchRoute)
            .into_response();
    };
    let given = headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Constant time, so the token cannot be guessed byte by byte.
    let same = given.len() == token.len()
        && given
            .bytes()
            .zip(token.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return (
            http::StatusCode::UNAUTHORIZED,
            [(http::header::WWW_AUTHENTICATE, "Bearer")],
            "metrics need the bearer token\n",
        )
            .into_response();
    }
    handle.render().into_response()
}

/// Serves only `/metrics` on its own listener.
pub async fn serve_alone(listener: tokio::net::TcpListener, handle: PrometheusHandle) {
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || async move { handle.render() }),
    );
    if let Err(e) = axum::serve(listener, app).await {
        tracing::error!(error = %e, "the metrics listener stopped");
    }
}

/// Samples the pool and the ticket counts now and then (the counts come from
/// a grouped index-only count, too heavy to run on every scrape).
pub fn spawn_gauges(db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(5));
        let mut n: u64 = 0;
        loop {
            tick.tick().await;
            let size = db.size() as f64;
            let idle = db.num_idle() as f64;
            metrics::gauge!("db_pool_connections").set(size);
            metrics::gauge!("db_pool_idle").set(idle);
            metrics::gauge!("db_pool_in_use").set(size - idle);
            if n.is_multiple_of(12) {
                if let Ok(rows) = sqlx::query_as::<_, (String, i64)>(
                    "select status, count(*) from tickets group by status",
                )
                .fetch_all(&db)
                .await
                {
                    for (status, count) in rows {
                        metrics::gauge!("gadesk_tickets", "status" => status).set(count as f64);
                    }
                }
            }
            n += 1;
        }
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn made_up_methods_share_one_label() {
        let odd = http::Method::from_bytes(b"BREW").unwrap();
        assert_eq!(super::method_label(&odd), "other");
        assert_eq!(super::method_label(&http::Method::PATCH), "PATCH");
    }
}
