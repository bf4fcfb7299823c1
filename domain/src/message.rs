//! Messages as values. What the rules decide (a refusal, a field error, a
//! notification, a security event) is an enum variant with typed
//! parameters and a stable snake_case `code`; its words live next to it, in
//! English and Indonesian on one line, and are chosen only when someone
//! reads it, in their language.
//!
//! [`messages!`] declares such an enum. Each line is
//! `Variant { field: Type, … } = "code" => "English {field}", "Indonesia {field}";`
//! and the texts go through `format!` with every field as a named argument,
//! so a placeholder without a field, a field missing from either language,
//! or a variant without both languages does not compile. A field is put
//! into the sentence through [`Arg`], in the sentence's language: a status
//! becomes its label in that language, an amount `Rp 1.500.000`.

use crate::lang::Lang;
use crate::money::Money;

/// How a value reads inside a sentence of a given language.
pub trait Arg {
    fn phrase(&self, lang: Lang) -> String;
}

macro_rules! plain_arg {
    ($($t:ty),+) => {
        $(impl Arg for $t {
            fn phrase(&self, _: Lang) -> String {
                self.to_string()
            }
        })+
    };
}

plain_arg!(String, i16, i32, i64, u8, u16, u32, u64, usize);

impl Arg for Money {
    fn phrase(&self, _: Lang) -> String {
        // Rupiah read the same in both languages.
        self.format()
    }
}

impl<T: Arg> Arg for Box<T> {
    fn phrase(&self, lang: Lang) -> String {
        (**self).phrase(lang)
    }
}

impl Arg for chrono::NaiveDate {
    fn phrase(&self, lang: Lang) -> String {
        crate::lang::day_in(lang, *self)
    }
}

/// A list reads as its items separated by semicolons.
impl<T: Arg> Arg for Vec<T> {
    fn phrase(&self, lang: Lang) -> String {
        self.iter()
            .map(|x| x.phrase(lang))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A label inside a sentence: "Under maintenance" → "under maintenance",
/// while a name that starts with an abbreviation ("GA agent") stays.
pub fn common_noun(label: &str) -> String {
    let mut chars = label.chars();
    match (chars.next(), chars.next()) {
        (Some(first), Some(second)) if first.is_uppercase() && !second.is_uppercase() => {
            first.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// Declares a message enum: see the module documentation. With
/// `kind` after the enum's name every line also names its [`ErrorKind`]
/// (`= "code", Forbidden => …`), which decides the HTTP status.
#[macro_export]
macro_rules! messages {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident: kind {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? = $code:literal, $kind:ident => $en:literal, $id:literal;
            )+
        }
    ) => {
        $crate::messages! {
            $(#[$meta])*
            $vis enum $name {
                $(
                    $(#[$vmeta])*
                    $variant $({ $($field : $ty),* })? = $code => $en, $id;
                )+
            }
        }

        impl $name {
            /// What kind of answer this is (decides the HTTP status).
            pub fn kind(&self) -> $crate::message::ErrorKind {
                match self {
                    $($name::$variant { .. } => $crate::message::ErrorKind::$kind,)+
                }
            }
        }
    };
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident $({ $($field:ident : $ty:ty),* $(,)? })? = $code:literal => $en:literal, $id:literal;
            )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(tag = "code", content = "params")]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $code)]
                $variant $({ $($field : $ty),* })?,
            )+
        }

        #[allow(dead_code)]
        impl $name {
            /// Every code this enum can carry, for the API description.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The stable name clients match on.
            pub fn code(&self) -> &'static str {
                match self {
                    $($name::$variant { .. } => $code,)+
                }
            }

            /// The sentence in `lang`.
            #[allow(clippy::useless_format, unused_variables)]
            pub fn render(&self, lang: $crate::Lang) -> String {
                match self {
                    $($name::$variant $({ $($field),* })? => match lang {
                        $crate::Lang::En => format!($en $($(, $field = $crate::message::Arg::phrase($field, lang))*)?),
                        $crate::Lang::Id => format!($id $($(, $field = $crate::message::Arg::phrase($field, lang))*)?),
                    },)+
                }
            }
        }

        impl $crate::message::Arg for $name {
            fn phrase(&self, lang: $crate::Lang) -> String {
                self.render(lang)
            }
        }

        /// English, for logs and error chains.
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.render($crate::Lang::En))
            }
        }

        impl std::error::Error for $name {}

        /// In the API description: `{code, params}` with the codes listed.
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ObjectBuilder, Type};
                ObjectBuilder::new()
                    .property(
                        "code",
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(Self::CODES.iter().copied())),
                    )
                    .required("code")
                    .property(
                        "params",
                        ObjectBuilder::new()
                            .schema_type(Type::Object)
                            .description(Some("The values the message names, by name; absent when it names none.")),
                    )
                    .into()
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

messages! {
    /// What kind of answer an error is: decides the HTTP status and the
    /// problem type, and titles it.
    #[derive(Copy, Hash)]
    pub enum ErrorKind {
        BadRequest = "bad_request" => "Bad request", "Permintaan tidak valid";
        Unauthenticated = "unauthenticated" => "Sign-in required", "Perlu masuk";
        Forbidden = "forbidden" => "Forbidden", "Tidak diizinkan";
        NotFound = "not_found" => "Not found", "Tidak ditemukan";
        Conflict = "conflict" => "Conflict", "Konflik";
        TooLarge = "too_large" => "Too large", "Terlalu besar";
        UnsupportedMediaType = "unsupported_media_type" => "Unsupported media type", "Jenis isi tidak didukung";
        Validation = "validation" => "Validation failed", "Isian tidak valid";
        Illegal = "illegal_transition" => "Not possible now", "Tidak dapat dilakukan sekarang";
        RateLimited = "rate_limited" => "Too many requests", "Terlalu banyak permintaan";
        Unavailable = "unavailable" => "Service unavailable", "Layanan tidak tersedia";
        Internal = "internal" => "Internal error", "Kesalahan internal";
    }
}

impl ErrorKind {
    /// The one map from kinds to HTTP statuses, used by the REST API and by
    /// the server functions alike.
    pub fn status(self) -> u16 {
        match self {
            ErrorKind::BadRequest => 400,
            ErrorKind::Unauthenticated => 401,
            ErrorKind::Forbidden => 403,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::TooLarge => 413,
            ErrorKind::UnsupportedMediaType => 415,
            ErrorKind::Validation | ErrorKind::Illegal => 422,
            ErrorKind::RateLimited => 429,
            ErrorKind::Unavailable => 503,
            ErrorKind::Internal => 500,
        }
    }

    /// The problem type: `/problems/<slug>`.
    pub fn slug(self) -> &'static str {
        match self {
            ErrorKind::BadRequest => "bad-request",
            ErrorKind::Unauthenticated => "unauthenticated",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "not-found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::UnsupportedMediaType => "unsupported-media-type",
            ErrorKind::Validation => "validation",
            ErrorKind::Illegal => "illegal-transition",
            ErrorKind::RateLimited => "rate-limited",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Internal => "internal",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    messages! {
        enum Sample {
            Plain = "plain" => "Plain.", "Polos.";
            Counted { n: u32, amount: Money } = "counted" => "{n} for {amount}", "{amount} untuk {n}";
        }
    }

    #[test]
    fn renders_each_language_in_its_own_order() {
        let m = Sample::Counted {
            n: 3,
            amount: Money::from_rupiah(1_500_000).unwrap(),
        };
        assert_eq!(m.render(Lang::En), "3 for Rp 1.500.000");
        assert_eq!(m.render(Lang::Id), "Rp 1.500.000 untuk 3");
        assert_eq!(Sample::Plain.render(Lang::Id), "Polos.");
        assert_eq!(m.code(), "counted");
        assert_eq!(Sample::CODES, ["plain", "counted"]);
    }

    #[test]
    fn serializes_as_code_and_params() {
        let m = Sample::Counted {
            n: 3,
            amount: Money::from_rupiah(10).unwrap(),
        };
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "counted", "params": {"n": 3, "amount": "10.00"}})
        );
        assert_eq!(serde_json::from_value::<Sample>(json).unwrap(), m);
        assert_eq!(
            serde_json::to_value(Sample::Plain).unwrap(),
            serde_json::json!({"code": "plain"})
        );
    }

    #[test]
    fn labels_read_as_common_nouns() {
        assert_eq!(common_noun("Under maintenance"), "under maintenance");
        assert_eq!(common_noun("GA agent"), "GA agent");
        assert_eq!(common_noun("Dipinjam"), "dipinjam");
        assert_eq!(common_noun(""), "");
    }

    #[test]
    fn kinds_map_to_statuses() {
        assert_eq!(ErrorKind::Forbidden.status(), 403);
        assert_eq!(ErrorKind::Illegal.status(), 422);
        assert_eq!(ErrorKind::Illegal.render(Lang::En), "Not possible now");
    }
}
