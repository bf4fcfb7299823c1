//! Indonesian and English. Every text the UI shows lives in a table declared
//! with [`texts!`]: one struct field per key, with both languages side by
//! side, so a key missing in either language does not compile. Enumeration
//! labels carry both languages in `string_enum!` for the same reason.
//!
//! The language is fixed for one page load: the server picks it (cookie,
//! else `Accept-Language`), writes it on `<html lang>`, and the browser reads
//! it back from there when it hydrates, so both render the same text.

mod catalog;
pub mod common;

pub use catalog::message;
pub use common::Common;
use serde::{Deserialize, Serialize};

/// The cookie that keeps the chosen language for a year.
pub const LANG_COOKIE: &str = "gadesk_lang";
/// The cookie that keeps the chosen time zone for a year.
pub const ZONE_COOKIE: &str = "gadesk_tz";

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

/// The language of the page being rendered. Outside a reactive owner (in a
/// task spawned by an event handler) the browser reads `<html lang>`;
/// elsewhere, for example in tests of formatting helpers, it is English.
pub fn use_lang() -> Lang {
    if let Some(lang) = leptos::prelude::use_context::<Lang>() {
        return lang;
    }
    #[cfg(feature = "hydrate")]
    if let Some(lang) = from_document() {
        return lang;
    }
    Lang::En
}

#[cfg(feature = "hydrate")]
fn from_document() -> Option<Lang> {
    leptos::prelude::document()
        .document_element()
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|code| Lang::from_code(&code))
}

/// The time zone of the page being rendered (see [`use_lang`]).
pub fn use_zone() -> Zone {
    if let Some(zone) = leptos::prelude::use_context::<Zone>() {
        return zone;
    }
    #[cfg(feature = "hydrate")]
    if let Some(zone) = zone_from_document() {
        return zone;
    }
    Zone::default()
}

#[cfg(feature = "hydrate")]
fn zone_from_document() -> Option<Zone> {
    leptos::prelude::document()
        .document_element()
        .and_then(|e| e.get_attribute("data-tz"))
        .and_then(|code| Zone::from_code(&code))
}

/// The time zone this render uses: the cookie on the server, `<html
/// data-tz>` (which the server wrote) in the browser, else Jakarta.
pub fn detect_zone() -> Zone {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let Some(parts) = use_context::<http::request::Parts>() {
            return crate::web::cookie_value(&parts.headers, ZONE_COOKIE)
                .and_then(Zone::from_code)
                .unwrap_or_default();
        }
    }
    #[cfg(feature = "hydrate")]
    if let Some(zone) = zone_from_document() {
        return zone;
    }
    Zone::default()
}

/// The language this render uses: on the server from the request, in the
/// browser from `<html lang>`, which the server wrote.
pub fn detect() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use leptos::prelude::use_context;
        if let Some(parts) = use_context::<http::request::Parts>() {
            let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
            return Lang::choose(
                crate::web::cookie_value(&parts.headers, LANG_COOKIE),
                header(http::header::ACCEPT_LANGUAGE),
            );
        }
    }
    #[cfg(feature = "hydrate")]
    if let Some(lang) = from_document() {
        return lang;
    }
    Lang::default()
}

/// Puts values into a translated template: `{0}`, `{1}`… in any order, so
/// each language keeps its own word order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = template.to_string();
    for (i, arg) in args.iter().enumerate() {
        out = out.replace(&format!("{{{i}}}"), &arg.to_string());
    }
    out
}

/// Declares a table of UI texts. Each line is `key: "English", "Indonesia";`
/// — a key without both languages does not compile.
#[macro_export]
macro_rules! texts {
    ($(#[$meta:meta])* $name:ident { $($key:ident: $en:literal, $id:literal;)+ }) => {
        $(#[$meta])*
        #[allow(dead_code)]
        pub struct $name { $(pub $key: &'static str,)+ }

        #[allow(dead_code)]
        impl $name {
            pub const EN: $name = $name { $($key: $en,)+ };
            pub const ID: $name = $name { $($key: $id,)+ };

            pub fn of(lang: $crate::i18n::Lang) -> &'static $name {
                match lang {
                    $crate::i18n::Lang::En => &Self::EN,
                    $crate::i18n::Lang::Id => &Self::ID,
                }
            }

            /// The texts of the page being rendered.
            pub fn get() -> &'static $name {
                Self::of($crate::i18n::use_lang())
            }

            /// Every key with both languages, for the completeness test.
            pub const PAIRS: &'static [(&'static str, &'static str, &'static str)] =
                &[$((stringify!($key), $en, $id),)+];
        }

    };
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

    #[test]
    fn fills_templates_in_each_languages_order() {
        assert_eq!(fill("{0} of {1}", &[&3, &"ten"]), "3 of ten");
        assert_eq!(fill("{1}: {0}", &[&3, &"ten"]), "ten: 3");
    }
}
