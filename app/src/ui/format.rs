//! How dates look on screen: Jakarta time (WIB, UTC+7, no daylight saving),
//! computed the same way on the server and in the browser so hydration
//! matches.

use chrono::{DateTime, FixedOffset, Utc};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn wib(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&FixedOffset::east_opt(7 * 3600).expect("valid offset"))
}

/// `29 Nov 2026, 14:05 WIB`
pub fn date_time(at: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let t = wib(at);
    format!(
        "{} {} {}, {:02}:{:02} WIB",
        t.day(),
        MONTHS[t.month0() as usize],
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// `30 Nov 2026`
pub fn day(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_jakarta_time() {
        let at = DateTime::parse_from_rfc3339("2026-11-29T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date_time(at), "30 Nov 2026, 03:30 WIB");
    }
}
