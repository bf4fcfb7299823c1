//! Request plumbing: request ids, the client's address, authentication with
//! silent refresh, the sign-in guard for pages, same-origin checks and
//! security headers.

use crate::config::Network;
use crate::rest::error::RestError;
use app::domain::{Lang, Refusal};
use app::services::{sessions, ServiceError};
use app::state::AppState;
use app::web::{self, ClientIp, CspNonce, Session};
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::header::{HeaderName, HeaderValue, SET_COOKIE};
use http::{Method, StatusCode};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

pub const REQUEST_ID_HEADER: &str = "x-request-id";

tokio::task_local! {
    /// The current request's id, so error bodies can quote it.
    pub static REQUEST_ID: String;
    /// The language the caller reads API errors in.
    pub static REQUEST_LANG: Lang;
}

pub fn current_request_id() -> Option<String> {
    REQUEST_ID.try_with(Clone::clone).ok()
}

/// English unless the request's `Accept-Language` asked for Indonesian.
pub fn current_lang() -> Lang {
    REQUEST_LANG.try_with(|l| *l).unwrap_or(Lang::En)
}

/// A client's `x-request-id` is kept only when short and plain (letters,
/// digits, `-`, `_`, `.`, `:`), so it cannot forge log lines or smuggle
/// markup into error bodies; otherwise a fresh one is made.
pub fn plain_request_id(v: &str) -> bool {
    (1..=64).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

pub async fn drop_odd_request_id(mut req: Request, next: Next) -> Response {
    let odd = req
        .headers()
        .get_all(REQUEST_ID_HEADER)
        .iter()
        .enumerate()
        .any(|(i, v)| i > 0 || !v.to_str().is_ok_and(plain_request_id));
    if odd {
        req.headers_mut().remove(REQUEST_ID_HEADER);
    }
    next.run(req).await
}

/// Runs the rest of the request inside the request id's scope.
pub async fn scope_request_id(req: Request, next: Next) -> Response {
    let id = req
        .headers()
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let lang = web::api_lang(req.headers());
    REQUEST_ID
        .scope(id, REQUEST_LANG.scope(lang, next.run(req)))
        .await
}

/// One `X-Forwarded-For` entry: an address, `ip:port`, or `[v6]:port`.
fn forwarded_entry(s: &str) -> Option<IpAddr> {
    let s = s.trim().trim_matches('"');
    if let Ok(ip) = s.parse() {
        return Some(ip);
    }
    if let Ok(sock) = s.parse::<SocketAddr>() {
        return Some(sock.ip());
    }
    // "203.0.113.7:51234" parses above; "[2001:db8::1]" without a port:
    s.strip_prefix('[')?.strip_suffix(']')?.parse().ok()
}

/// The client's address: the socket's peer, unless that peer is a trusted
/// proxy, in which case the right-most entry of all `X-Forwarded-For`
/// lines (in order) that is not a trusted proxy itself. A forwarded header
/// from anyone else is ignored.
pub fn client_address(peer: Option<IpAddr>, forwarded: &[&str], network: &Network) -> String {
    let Some(peer) = peer else {
        return String::new();
    };
    if !network.is_trusted(peer) {
        return peer.to_string();
    }
    let chain: Vec<IpAddr> = forwarded
        .iter()
        .flat_map(|line| line.split(','))
        .filter_map(forwarded_entry)
        .collect();
    chain
        .iter()
        .rev()
        .find(|ip| !network.is_trusted(**ip))
        .or(chain.first())
        .copied()
        .unwrap_or(peer)
        .to_string()
}

pub async fn client_ip(
    State(network): State<Arc<Network>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded: Vec<&str> = req
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let ip = client_address(peer, &forwarded, &network);
    req.extensions_mut().insert(ClientIp(ip));
    next.run(req).await
}

/// Marks a request whose session was ended (so pages can say so).
#[derive(Clone, Copy)]
pub struct SignedOut;

/// Verifies the caller's access token. A browser whose access token expired
/// but whose refresh cookie is valid gets new cookies transparently, so a
/// person working for hours is never thrown out mid-form. Rejecting is left
/// to the handlers: some routes are public.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    if let Some(session) = web::session_from_headers(&state, req.headers()) {
        record_user(&session);
        req.extensions_mut().insert(session);
        return next.run(req).await;
    }
    let refresh = match web::refresh_cookie(&state, req.headers()) {
        Some(t) if web::bearer(req.headers()).is_none() => t.to_string(),
        _ => return next.run(req).await,
    };
    let client = web::client(req.headers(), req.extensions());
    if state
        .limiter
        .hit(
            &format!("refresh:{}", client.network()),
            state.limits.refreshes_per_ip_per_minute,
            Duration::from_secs(60),
        )
        .is_err()
    {
        return RestError(ServiceError::Refused(Refusal::TooManyAttempts {
            seconds: 60,
        }))
        .into_response();
    }
    let refreshed = sessions::refresh(
        &state.db,
        &state.keys,
        &state.refresh_key,
        &state.revocations,
        &refresh,
        &client,
    )
    .await;
    let cookies = match refreshed {
        Ok(issued) => {
            let session = web::session_of(&issued);
            record_user(&session);
            req.extensions_mut().insert(session);
            web::session_cookies(&state, &issued)
        }
        Err(ServiceError::Refused(Refusal::Busy)) => {
            return RestError(ServiceError::Refused(Refusal::Busy)).into_response();
        }
        Err(e) => {
            if matches!(e, ServiceError::Refused(Refusal::SessionEnded)) {
                req.extensions_mut().insert(SignedOut);
            }
            web::clear_cookies(&state)
        }
    };
    let mut response = next.run(req).await;
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    response
}

fn record_user(session: &Session) {
    tracing::Span::current().record("user_id", tracing::field::display(session.actor.id));
}

/// Pages need a signed-in user: anyone else is sent to `/login`, with the
/// page they wanted kept in `next`; someone with a temporary password is
/// sent to choose their own first. The sign-in page sends signed-in users
/// home.
pub async fn require_sign_in(req: Request, next: Next) -> Response {
    let session = req.extensions().get::<Session>().cloned();
    let path = req.uri().path();
    // Server functions answer for themselves (errors, not redirects).
    if path.starts_with("/rpc/") {
        return next.run(req).await;
    }
    if path == "/login" {
        if session.is_some() {
            return Redirect::to("/").into_response();
        }
        return next.run(req).await;
    }
    match session {
        None => {
            if req.extensions().get::<SignedOut>().is_some() {
                return Redirect::to("/login?ended=1").into_response();
            }
            let target = req
                .uri()
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let location = if target == "/" {
                "/login".to_string()
            } else {
                format!("/login?next={}", encode_component(target))
            };
            Redirect::to(&location).into_response()
        }
        Some(s) if s.must_change_password && path != "/account/password" => {
            Redirect::to("/account/password?required=1").into_response()
        }
        Some(_) => next.run(req).await,
    }
}

fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn authority_of(origin: &str) -> &str {
    origin
        .split_once("://")
        .map_or(origin, |(_, rest)| rest)
        .trim_end_matches('/')
}

/// Unsafe methods from another site are refused (CSRF): the `Origin` must
/// be this server (as the browser addressed it), the public URL, or an
/// allowed CORS origin. Without `Origin`, `Sec-Fetch-Site: cross-site` is
/// refused too.
pub async fn same_origin(
    State(network): State<Arc<Network>>,
    req: Request,
    next: Next,
) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method {
        let headers = req.headers();
        let origin = headers
            .get(http::header::ORIGIN)
            .and_then(|v| v.to_str().ok());
        let host = headers
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok());
        let allowed = match origin {
            Some("null") => false,
            Some(o) => {
                host.is_some_and(|h| authority_of(o).eq_ignore_ascii_case(h))
                    || authority_of(o).eq_ignore_ascii_case(authority_of(&network.public_url))
                    || network
                        .cors_origins
                        .iter()
                        .any(|c| c.eq_ignore_ascii_case(o))
            }
            None => {
                headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) != Some("cross-site")
            }
        };
        if !allowed {
            return RestError(ServiceError::Refused(Refusal::ForeignOrigin)).into_response();
        }
    }
    next.run(req).await
}

/// Security headers on every response, with a fresh nonce for the page's
/// own inline scripts.
pub async fn security_headers(
    State(network): State<Arc<Network>>,
    mut req: Request,
    next: Next,
) -> Response {
    let bytes: [u8; 16] = rand::random();
    let nonce = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, bytes);
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    // blob: images are previews of photos the person has just chosen,
    // made in the page itself before they are sent.
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    );
    let set = |h: &mut http::HeaderMap, name: &'static str, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(HeaderName::from_static(name), v);
        }
    };
    // A served file brings its own, stricter policy.
    if !h.contains_key(http::header::CONTENT_SECURITY_POLICY) {
        set(h, "content-security-policy", &csp);
    }
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "cross-origin-opener-policy", "same-origin");
    if network.public_url.starts_with("https://") {
        set(
            h,
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// CORS for the configured origins only (off when none are configured).
pub async fn cors(State(network): State<Arc<Network>>, req: Request, next: Next) -> Response {
    let origin = req
        .headers()
        .get(http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| {
            network
                .cors_origins
                .iter()
                .any(|c| c.eq_ignore_ascii_case(o))
        })
        .map(str::to_string);
    let preflight = req.method() == Method::OPTIONS;
    let mut response = if preflight && origin.is_some() {
        StatusCode::NO_CONTENT.into_response()
    } else {
        next.run(req).await
    };
    if let Some(o) = origin {
        let h = response.headers_mut();
        if let Ok(v) = HeaderValue::from_str(&o) {
            h.insert("access-control-allow-origin", v);
        }
        h.insert("vary", HeaderValue::from_static("Origin"));
        h.insert(
            "access-control-allow-credentials",
            HeaderValue::from_static("true"),
        );
        if preflight {
            h.insert(
                "access-control-allow-methods",
                HeaderValue::from_static("GET, POST, PUT, PATCH, DELETE"),
            );
            h.insert(
                "access-control-allow-headers",
                HeaderValue::from_static("authorization, content-type, if-match, idempotency-key"),
            );
            h.insert("access-control-max-age", HeaderValue::from_static("600"));
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_next_parameter() {
        assert_eq!(
            encode_component("/tickets/new?x=1&y"),
            "/tickets/new%3Fx%3D1%26y"
        );
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let none = Network::default();
        let peer: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(
            client_address(Some(peer), &["1.2.3.4"], &none),
            "203.0.113.7"
        );
        let proxy = Network {
            trusted_proxies: vec!["10.0.0.0/8".parse().unwrap()],
            ..Network::default()
        };
        let from_proxy: IpAddr = "10.1.2.3".parse().unwrap();
        assert_eq!(
            client_address(Some(from_proxy), &["1.2.3.4, 198.51.100.9"], &proxy),
            "198.51.100.9"
        );
        assert_eq!(
            client_address(Some(from_proxy), &["198.51.100.9, 10.0.0.5"], &proxy),
            "198.51.100.9"
        );
        assert_eq!(client_address(Some(from_proxy), &[], &proxy), "10.1.2.3");
        assert_eq!(
            client_address(Some(peer), &["1.2.3.4"], &proxy),
            "203.0.113.7"
        );
        assert_eq!(client_address(None, &["1.2.3.4"], &proxy), "");
        // A client's own forged line comes first; the proxy appends a
        // second line with what it saw.
        assert_eq!(
            client_address(Some(from_proxy), &["6.6.6.6", "198.51.100.9:51234"], &proxy),
            "198.51.100.9"
        );
        assert_eq!(
            client_address(Some(from_proxy), &["[2001:db8::7]:443, 10.0.0.9"], &proxy),
            "2001:db8::7"
        );
    }

    #[test]
    fn only_plain_short_request_ids_are_kept() {
        assert!(plain_request_id("abc-123_x.y:z"));
        assert!(!plain_request_id(""));
        assert!(!plain_request_id(&"a".repeat(65)));
        assert!(!plain_request_id("a b"));
        assert!(!plain_request_id("<script>"));
        assert!(!plain_request_id("x\u{0}y"));
    }

    #[test]
    fn origin_authority() {
        assert_eq!(authority_of("http://127.0.0.1:3000"), "127.0.0.1:3000");
        assert_eq!(
            authority_of("https://ga.example.co.id/"),
            "ga.example.co.id"
        );
    }
}
