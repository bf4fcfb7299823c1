//! HTTP glue shared by the two adapters (server functions and REST):
//! reading the caller's token and writing session cookies.

use crate::domain::Actor;
use crate::state::AppState;
use http::HeaderMap;
use uuid::Uuid;

pub const ACCESS_COOKIE: &str = "gadesk_access";

/// The authenticated caller of a request, put into the request's extensions
/// by the authentication middleware.
#[derive(Debug, Clone)]
pub struct Session {
    pub actor: Actor,
    pub sid: Uuid,
}

fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// `Authorization: Bearer` (API clients) wins over the cookie (browser).
pub fn access_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .or_else(|| cookie_value(headers, ACCESS_COOKIE))
}

/// The session a request's token proves, if any.
pub fn session_from_headers(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    let token = access_token(headers)?;
    let claims = state.keys.verify_access(token).ok()?;
    Some(Session {
        actor: claims.actor(),
        sid: claims.sid,
    })
}

fn cookie(name: &str, value: &str, max_age: i64, secure: bool) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        if secure { "; Secure" } else { "" }
    )
}

pub fn access_cookie(state: &AppState, token: &str) -> String {
    cookie(
        ACCESS_COOKIE,
        token,
        state.keys.access_ttl_secs,
        state.secure_cookies,
    )
}

pub fn clear_access_cookie(state: &AppState) -> String {
    cookie(ACCESS_COOKIE, "", 0, state.secure_cookies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_wins_over_cookie() {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::COOKIE,
            "a=1; gadesk_access=fromcookie".parse().unwrap(),
        );
        assert_eq!(access_token(&h), Some("fromcookie"));
        h.insert(
            http::header::AUTHORIZATION,
            "Bearer fromheader".parse().unwrap(),
        );
        assert_eq!(access_token(&h), Some("fromheader"));
        assert_eq!(access_token(&HeaderMap::new()), None);
    }
}
