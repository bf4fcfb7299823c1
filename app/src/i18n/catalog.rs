//! Messages that come from the server (validation, refusals, conflicts) are
//! written in English where they are decided, in the domain and services:
//! the REST API answers in English. The UI shows them through [`message`],
//! which finds the Indonesian here. `{}` in a pattern matches any text;
//! `{0}`, `{1}`… in the translation put the matched pieces back.

use super::Lang;

/// English pattern → Indonesian. Keep sorted by area, not alphabetically.
pub(super) const ID: &[(&str, &str)] = &[
    // Forms in general (domain/errors.rs)
    ("This field is required.", "Wajib diisi."),
    (
        "Use at most {} characters.",
        "Gunakan paling banyak {0} karakter.",
    ),
    (
        "Contains characters that are not allowed.",
        "Berisi karakter yang tidak diizinkan.",
    ),
    // api/error.rs
    ("Please sign in.", "Silakan masuk."),
    (
        "Your session has ended. Please sign in again.",
        "Sesi Anda telah berakhir. Silakan masuk lagi.",
    ),
    (
        "Too many attempts. Try again in {} seconds.",
        "Terlalu banyak percobaan. Coba lagi dalam {0} detik.",
    ),
    (
        "Email or password is incorrect.",
        "Email atau kata sandi salah.",
    ),
    ("Not found.", "Tidak ditemukan."),
    (
        "Please correct the highlighted fields.",
        "Mohon perbaiki isian yang ditandai.",
    ),
    (
        "GA Desk is busy right now. Please try again in a moment.",
        "GA Desk sedang sibuk. Silakan coba lagi sebentar lagi.",
    ),
    (
        "Something went wrong. Please try again.",
        "Terjadi kesalahan. Silakan coba lagi.",
    ),
];

/// The message in the page's language; unknown messages stay as they are.
pub fn message(lang: Lang, english: &str) -> String {
    match lang {
        Lang::En => english.to_string(),
        Lang::Id => ID
            .iter()
            .find_map(|(pattern, id)| {
                captures(pattern, english).map(|caps| {
                    let args: Vec<&dyn std::fmt::Display> =
                        caps.iter().map(|c| c as &dyn std::fmt::Display).collect();
                    super::fill(id, &args)
                })
            })
            .unwrap_or_else(|| english.to_string()),
    }
}

/// The pieces of `text` matched by the `{}` of `pattern`, if it matches.
fn captures<'a>(pattern: &str, text: &'a str) -> Option<Vec<&'a str>> {
    let literals: Vec<&str> = pattern.split("{}").collect();
    let (first, rest) = literals.split_first()?;
    let mut remaining = text.strip_prefix(first)?;
    if rest.is_empty() {
        return remaining.is_empty().then(Vec::new);
    }
    let mut caps = Vec::with_capacity(rest.len());
    for (i, literal) in rest.iter().enumerate() {
        let last = i == rest.len() - 1;
        let at = if last {
            // The final literal must end the text.
            remaining.len().checked_sub(literal.len())?
        } else if literal.is_empty() {
            return None;
        } else {
            remaining.find(literal)?
        };
        if last && !remaining[at..].eq(*literal) {
            return None;
        }
        caps.push(&remaining[..at]);
        remaining = &remaining[at + literal.len()..];
    }
    Some(caps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translates_messages_with_values() {
        assert_eq!(message(Lang::Id, "This field is required."), "Wajib diisi.");
        assert_eq!(
            message(Lang::Id, "Use at most 200 characters."),
            "Gunakan paling banyak 200 karakter."
        );
        assert_eq!(
            message(Lang::En, "Use at most 200 characters."),
            "Use at most 200 characters."
        );
        assert_eq!(
            message(Lang::Id, "Something unknown."),
            "Something unknown."
        );
        assert_eq!(captures("a {} b {} c", "a 1 b 22 c"), Some(vec!["1", "22"]));
        assert_eq!(captures("a {} b", "a 1 c"), None);
        assert_eq!(captures("exact", "exact!"), None);
    }

    #[test]
    fn every_pattern_keeps_its_placeholders() {
        for (en, id) in ID {
            let holes = en.matches("{}").count();
            for i in 0..holes {
                assert!(
                    id.contains(&format!("{{{i}}}")),
                    "{id:?} drops a value of {en:?}"
                );
            }
            assert!(
                !id.contains(&format!("{{{holes}}}")),
                "{id:?} has too many values"
            );
            assert_ne!(en, id, "untranslated: {en:?}");
        }
    }
}
