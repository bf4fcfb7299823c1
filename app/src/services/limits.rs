//! Rate limits kept in memory by each instance (fixed windows). Account
//! lockout, which must hold across instances, is counted in the database
//! instead (see `auth`).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The network an address counts as for limits: the address itself for
/// IPv4, its /64 for IPv6 (one household or office gets a whole /64, so
/// single IPv6 addresses cost an attacker nothing). `None` when the text is
/// not an address.
pub fn network_of(ip: &str) -> Option<String> {
    match ip.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(v4) => Some(format!("{v4}/32")),
        std::net::IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return Some(format!("{v4}/32"));
            }
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            Some(format!("{}/64", std::net::Ipv6Addr::from(bits)))
        }
    }
}

#[derive(Debug, Default)]
pub struct Limiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    /// Counts one hit for `key`; `Err(seconds)` when more than `max` hits
    /// fell in the current window of length `per`.
    pub fn hit(&self, key: &str, max: u32, per: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let mut w = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if w.len() > 50_000 {
            w.retain(|_, (start, _)| now.duration_since(*start) < per);
        }
        let entry = w.entry(key.to_string()).or_insert((now, 0));
        if now.duration_since(entry.0) >= per {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > max {
            let left = per.saturating_sub(now.duration_since(entry.0));
            Err(left.as_secs().max(1))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key_and_window() {
        let l = Limiter::default();
        for _ in 0..3 {
            assert!(l.hit("a", 3, Duration::from_secs(60)).is_ok());
        }
        let retry = l.hit("a", 3, Duration::from_secs(60)).unwrap_err();
        assert!((1..=60).contains(&retry));
        assert!(l.hit("b", 3, Duration::from_secs(60)).is_ok());
        assert!(l.hit("c", 1, Duration::from_millis(1)).is_ok());
        std::thread::sleep(Duration::from_millis(5));
        assert!(
            l.hit("c", 1, Duration::from_millis(1)).is_ok(),
            "a new window starts"
        );
    }
}

#[cfg(test)]
mod network_tests {
    use super::network_of;

    #[test]
    fn ipv6_counts_per_64_and_ipv4_per_address() {
        assert_eq!(network_of("203.0.113.7").as_deref(), Some("203.0.113.7/32"));
        assert_eq!(
            network_of("2001:db8:1:2:aaaa::1"),
            network_of("2001:db8:1:2:bbbb::9")
        );
        assert_eq!(
            network_of("2001:db8:1:2::5").as_deref(),
            Some("2001:db8:1:2::/64")
        );
        assert_ne!(network_of("2001:db8:1:2::1"), network_of("2001:db8:1:3::1"));
        assert_eq!(
            network_of("::ffff:10.0.0.1").as_deref(),
            Some("10.0.0.1/32")
        );
        assert_eq!(network_of("unknown"), None);
    }
}
