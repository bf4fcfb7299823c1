//! The two languages GA Desk speaks and Indonesia's three time zones: plain
//! values, chosen at the edge (cookie, `Accept-Language`, the person's
//! settings) and passed to whatever renders words or times.

use serde::{Deserialize, Serialize};

/// Indonesia's three time zones. None has daylight saving, so fixed offsets
/// are exact and the browser bundle needs no time zone database.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Zone {
    /// Asia/Jakarta: Java, Sumatra, West and Central Kalimantan.
    #[default]
    Wib,
    /// Asia/Makassar: Bali, Sulawesi, Nusa Tenggara, East Kalimantan.
    Wita,
    /// Asia/Jayapura: Maluku and Papua.
    Wit,
}

impl Zone {
    pub const ALL: [Zone; 3] = [Zone::Wib, Zone::Wita, Zone::Wit];

    pub fn code(self) -> &'static str {
        match self {
            Zone::Wib => "Asia/Jakarta",
            Zone::Wita => "Asia/Makassar",
            Zone::Wit => "Asia/Jayapura",
        }
    }

    /// What Indonesians write after a time: `14.05 WITA`.
    pub fn abbreviation(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    pub fn offset_hours(self) -> i32 {
        match self {
            Zone::Wib => 7,
            Zone::Wita => 8,
            Zone::Wit => 9,
        }
    }

    pub fn from_code(code: &str) -> Option<Zone> {
        Zone::ALL.into_iter().find(|z| z.code() == code)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    En,
    /// Indonesian is the default: the company is in Indonesia.
    #[default]
    Id,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Id, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Id => "id",
        }
    }

    /// The language's name in itself, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Id => "Bahasa Indonesia",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "id" | "in" => Some(Lang::Id),
            _ => None,
        }
    }

    /// The best of our languages for an `Accept-Language` header, by its
    /// q-values (`en-US,en;q=0.9,id;q=0.8` → English). None when the header
    /// names neither language.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (pos, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or_default().trim();
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            let Some(lang) = Lang::from_code(primary) else {
                continue;
            };
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            // Higher q wins; on a tie the earlier entry does.
            if best.is_none_or(|(bq, bpos, _)| q > bq || (q == bq && pos < bpos)) {
                best = Some((q, pos, lang));
            }
        }
        best.map(|(_, _, lang)| lang)
    }

    /// Chooses from the request: the cookie first (the switcher's choice),
    /// then the browser's preferences, then Indonesian.
    pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
        cookie
            .and_then(Lang::from_code)
            .or_else(|| accept_language.and_then(Lang::from_accept_language))
            .unwrap_or_default()
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const BULAN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
];

/// A month's short name: `Aug` / `Agu`.
pub fn month_name(lang: Lang, month0: u32) -> &'static str {
    match lang {
        Lang::En => MONTHS[month0 as usize % 12],
        Lang::Id => BULAN[month0 as usize % 12],
    }
}

/// `17 Aug 2026` / `17 Agu 2026`
pub fn day_in(lang: Lang, d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), month_name(lang, d.month0()), d.year())
}

/// An instant as read on a clock of `zone`: `29 Nov 2026, 14:05 WIB` or,
/// as Indonesians write it, `29 Nov 2026 14.05 WIB`.
pub fn moment_in(lang: Lang, zone: Zone, at: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let t = at.naive_utc() + chrono::Duration::hours(i64::from(zone.offset_hours()));
    let (sep, colon) = match lang {
        Lang::En => (",", ':'),
        Lang::Id => ("", '.'),
    };
    format!(
        "{} {} {}{sep} {:02}{colon}{:02} {}",
        t.day(),
        month_name(lang, t.month0()),
        t.year(),
        t.hour(),
        t.minute(),
        zone.abbreviation()
    )
}

/// An instant with the zone it is read in (a site's), for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    pub at: chrono::DateTime<chrono::Utc>,
    pub zone: Zone,
}

impl crate::message::Arg for Moment {
    fn phrase(&self, lang: Lang) -> String {
        moment_in(lang, self.zone, self.at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language_from_the_browser() {
        assert_eq!(
            Lang::from_accept_language("id-ID,id;q=0.9,en;q=0.8"),
            Some(Lang::Id)
        );
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,id;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR,en;q=0.5,id;q=0.7"),
            Some(Lang::Id)
        );
        assert_eq!(Lang::from_accept_language("de, fr;q=0.8"), None);
        assert_eq!(
            Lang::from_accept_language("en;q=0, id;q=0.1"),
            Some(Lang::Id)
        );
        assert_eq!(Lang::from_accept_language(""), None);
        assert_eq!(Lang::choose(Some("en"), Some("id")), Lang::En);
        assert_eq!(Lang::choose(Some("xx"), Some("en-GB")), Lang::En);
        assert_eq!(Lang::choose(None, None), Lang::Id);
    }
}
