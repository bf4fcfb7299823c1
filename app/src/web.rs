//! HTTP glue shared by the two adapters (server functions and REST):
//! reading the caller's token, the client's address, and writing session
//! cookies.

use crate::domain::{Actor, ErrorKind, Lang, Zone};
use crate::i18n::{LANG_COOKIE, ZONE_COOKIE};
use crate::services::sessions::{Client, Issued, REFRESH_TTL_DAYS};
use crate::state::AppState;
use http::HeaderMap;
use uuid::Uuid;

pub const ACCESS_COOKIE: &str = "gadesk_access";
pub const REFRESH_COOKIE: &str = "gadesk_refresh";

/// The session cookies' names: on HTTPS with the `__Host-` prefix, which
/// browsers accept only from this exact host over TLS with `Path=/` (a
/// sibling subdomain cannot plant or shadow them).
pub fn cookie_names(secure: bool) -> [&'static str; 2] {
    if secure {
        ["__Host-gadesk_access", "__Host-gadesk_refresh"]
    } else {
        [ACCESS_COOKIE, REFRESH_COOKIE]
    }
}

/// The refresh cookie's value, under the name this site uses.
pub fn refresh_cookie<'a>(state: &AppState, headers: &'a HeaderMap) -> Option<&'a str> {
    cookie_value(headers, cookie_names(state.secure_cookies)[1])
}

/// The authenticated caller of a request, put into the request's extensions
/// by the authentication middleware.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub sid: Uuid,
    pub must_change_password: bool,
}

/// The client's address as the server trusts it (the socket, or the
/// forwarded address when the peer is a trusted proxy).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// Who is calling, for sessions and the audit log.
pub fn client(headers: &HeaderMap, extensions: &http::Extensions) -> Client {
    Client {
        ip: extensions
            .get::<ClientIp>()
            .map(|c| c.0.clone())
            .unwrap_or_default(),
        user_agent: headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect(),
    }
}

pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// The bearer token of an API client, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// `Authorization: Bearer` (API clients) wins over the cookie (browser).
pub fn access_token(headers: &HeaderMap, secure: bool) -> Option<&str> {
    bearer(headers).or_else(|| cookie_value(headers, cookie_names(secure)[0]))
}

/// The session a request's access token proves, unless it was revoked.
pub fn session_from_headers(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    let token = access_token(headers, state.secure_cookies)?;
    let claims = state.keys.verify_access(token).ok()?;
    if state.revocations.is_revoked(&claims) {
        return None;
    }
    Some(Session {
        actor: claims.actor(),
        sid: claims.sid,
        must_change_password: claims.pwd_change,
    })
}

fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Both cookies of a fresh or refreshed session.
pub fn session_cookies(state: &AppState, issued: &Issued) -> [String; 2] {
    let [access, refresh] = cookie_names(state.secure_cookies);
    [
        cookie(
            access,
            &issued.access,
            state.keys.access_ttl_secs,
            state.secure_cookies,
        ),
        cookie(
            refresh,
            &issued.refresh,
            REFRESH_TTL_DAYS * 24 * 3600,
            state.secure_cookies,
        ),
    ]
}

pub fn clear_cookies(state: &AppState) -> [String; 2] {
    let [access, refresh] = cookie_names(state.secure_cookies);
    [
        cookie(access, "", 0, state.secure_cookies),
        cookie(refresh, "", 0, state.secure_cookies),
    ]
}

pub fn session_of(issued: &Issued) -> Session {
    Session {
        actor: issued.actor.clone(),
        sid: issued.sid,
        must_change_password: issued.must_change_password,
    }
}

/// The one guard for where the browser may be sent back to (after
/// signing in, single sign-on, or choosing a language): a path on this
/// site, never another host.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 500
                && n.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

/// The language and time zone of a page: the cookies the switchers set,
/// else the browser's `Accept-Language`, else Indonesian and Jakarta.
pub fn page_locale(headers: &HeaderMap) -> (Lang, Zone) {
    let accept = headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok());
    let lang = Lang::choose(cookie_value(headers, LANG_COOKIE), accept);
    let zone = cookie_value(headers, ZONE_COOKIE)
        .and_then(Zone::from_code)
        .unwrap_or_default();
    (lang, zone)
}

/// The language of an API answer's words: English unless `Accept-Language`
/// asks for Indonesian.
pub fn api_lang(headers: &HeaderMap) -> Lang {
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or(Lang::En)
}

/// The one map from error kinds to HTTP statuses, for REST and server
/// functions alike.
pub fn status(kind: ErrorKind) -> http::StatusCode {
    http::StatusCode::from_u16(kind.status()).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next(Some("/tickets/new")), "/tickets/new");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
        assert_eq!(safe_next(Some("/a\u{0}b")), "/");
        assert_eq!(safe_next(Some("/a b")), "/");
    }

    #[test]
    fn pages_follow_the_cookie_then_the_browser() {
        let mut h = HeaderMap::new();
        assert_eq!(page_locale(&h), (Lang::Id, Zone::Wib));
        h.insert(
            http::header::ACCEPT_LANGUAGE,
            "en-GB,en;q=0.9".parse().unwrap(),
        );
        assert_eq!(page_locale(&h).0, Lang::En);
        h.insert(
            http::header::COOKIE,
            "gadesk_lang=id; gadesk_tz=Asia/Makassar".parse().unwrap(),
        );
        assert_eq!(page_locale(&h), (Lang::Id, Zone::Wita));
        assert_eq!(api_lang(&HeaderMap::new()), Lang::En);
    }

    #[test]
    fn https_cookies_carry_the_host_prefix_and_only_those_count() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "gadesk_access=planted".parse().unwrap(),
        );
        assert_eq!(
            access_token(&h, true),
            None,
            "a plain cookie on HTTPS is ignored"
        );
        h.insert(
            http::header::COOKIE,
            "__Host-gadesk_access=real".parse().unwrap(),
        );
        assert_eq!(access_token(&h, true), Some("real"));
        assert_eq!(cookie_names(true)[1], "__Host-gadesk_refresh");
    }

    #[test]
    fn bearer_wins_over_cookie() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; gadesk_access=fromcookie".parse().unwrap(),
        );
        assert_eq!(access_token(&h, false), Some("fromcookie"));
        h.insert(
            http::header::AUTHORIZATION,
            "Bearer fromheader".parse().unwrap(),
        );
        assert_eq!(access_token(&h, false), Some("fromheader"));
        assert_eq!(access_token(&HeaderMap::new(), false), None);
        let mut e = HeaderMap::new();
        e.insert(http::header::COOKIE, "gadesk_access=".parse().unwrap());
        assert_eq!(
            access_token(&e, false),
            None,
            "a cleared cookie is no token"
        );
    }
}

/// The per-response nonce that lets the hydration scripts run under the
/// Content-Security-Policy.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);
