//! How dates look on screen: in the person's Indonesian time zone (WIB by
//! default) and language, computed the same way on the server and in the
//! browser so hydration matches.

use chrono::{DateTime, Utc};

use crate::i18n::{use_lang, use_zone, Lang, Zone};

use domain::lang::month_name as month;

/// In the page's language: `29 Nov 2026, 14:05 WIB` or, as Indonesians
/// write it, `29 Nov 2026 14.05 WIB`.
pub fn date_time(at: DateTime<Utc>) -> String {
    date_time_in(use_lang(), at)
}

pub fn date_time_in(lang: Lang, at: DateTime<Utc>) -> String {
    date_time_zoned(lang, use_zone(), at)
}

/// The page's time zone is the person's choice (Account page), Jakarta
/// unless they chose Makassar or Jayapura.
pub fn date_time_zoned(lang: Lang, zone: Zone, at: DateTime<Utc>) -> String {
    domain::lang::moment_in(lang, zone, at)
}

/// `30 Nov 2026`, `17 Agu 2026`
pub fn day(d: chrono::NaiveDate) -> String {
    day_in(use_lang(), d)
}

pub fn day_in(lang: Lang, d: chrono::NaiveDate) -> String {
    domain::lang::day_in(lang, d)
}

/// `Nov 2026` / `Agu 2026`, for charts by month.
pub fn month_year(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {}", month(lang, d.month0()), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_jakarta_time() {
        let at = DateTime::parse_from_rfc3339("2026-11-29T20:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(date_time_in(Lang::En, at), "30 Nov 2026, 03:30 WIB");
        assert_eq!(date_time_in(Lang::Id, at), "30 Nov 2026 03.30 WIB");
        assert_eq!(
            date_time_zoned(Lang::Id, Zone::Wit, at),
            "30 Nov 2026 05.30 WIT"
        );
        assert_eq!(
            date_time_zoned(Lang::En, Zone::Wita, at),
            "30 Nov 2026, 04:30 WITA"
        );
        let aug = chrono::NaiveDate::from_ymd_opt(2026, 8, 17).unwrap();
        assert_eq!(day_in(Lang::Id, aug), "17 Agu 2026");
        assert_eq!(day_in(Lang::En, aug), "17 Aug 2026");
    }
}
