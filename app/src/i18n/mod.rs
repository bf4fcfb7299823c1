//! Indonesian and English. Every text the UI shows lives in a table declared
//! with [`texts!`]: one struct field per key, with both languages side by
//! side, so a key missing in either language does not compile. Enumeration
//! labels carry both languages in `string_enum!` for the same reason.
//!
//! What the server and the rules say (refusals, field errors,
//! notifications) are values from the `domain` crate with their own
//! bilingual tables; pages put them into words with [`Localized`].
//!
//! The language is fixed for one page load: the HTTP edge picks it (cookie,
//! else `Accept-Language`) and provides it as context, the page writes it on
//! `<html lang>`, and the browser reads it back from there when it
//! hydrates, so both render the same text.

pub mod common;

pub use common::Common;
pub use domain::{Lang, Zone};

/// The cookie that keeps the chosen language for a year.
pub const LANG_COOKIE: &str = "gadesk_lang";
/// The cookie that keeps the chosen time zone for a year.
pub const ZONE_COOKIE: &str = "gadesk_tz";

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

/// A label (`TicketStatus`, `Role`, …) in the language of the page being
/// rendered.
pub trait Text {
    fn text(self) -> &'static str;
}

impl<T: domain::Label> Text for T {
    fn text(self) -> &'static str {
        self.label_in(use_lang())
    }
}

/// A message value (refusal, field error, notification) in the language of
/// the page being rendered.
pub trait Localized {
    fn localized(&self) -> String;
}

impl<T: domain::Arg> Localized for T {
    fn localized(&self) -> String {
        self.phrase(use_lang())
    }
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
    fn fills_templates_in_each_languages_order() {
        assert_eq!(fill("{0} of {1}", &[&3, &"ten"]), "3 of ten");
        assert_eq!(fill("{1}: {0}", &[&3, &"ten"]), "ten: 3");
    }
}
