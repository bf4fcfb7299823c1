//! Every text a person reads comes from a `texts!` table (both languages) or
//! an enumeration's `.text()`. This test reads the UI sources and fails on
//! literal words left in `view!` markup: text nodes (`<b>"Sign out"</b>`)
//! and text attributes (`placeholder="Search"`, `title`, `aria-label`,
//! `alt`, a `<Title text=…>`). Rust code inside `{ … }` is not markup and
//! is not checked here; the review of each page covers it.

use std::path::{Path, PathBuf};

/// Not words of either language: the product's name and fixed symbols.
const ALLOWED: &[&str] = &["GA", "GA Desk", "Rp", "WIB", "EN", "ID", "×", "·"];

/// Attributes (and component props) whose value is read by people.
const TEXT_ATTRIBUTES: &[&str] = &[
    "placeholder",
    "title",
    "aria-label",
    "aria-description",
    "aria-roledescription",
    "aria-valuetext",
    "alt",
    "label",
    "text",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    Str(String),
    Other,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

/// A literal text found in markup: line, what it is, the text.
#[derive(Debug, PartialEq)]
struct Finding {
    line: usize,
    kind: String,
    text: String,
}

/// Splits Rust source into the few kinds of tokens the check needs,
/// skipping comments, so quotes inside comments or char literals do not
/// confuse it.
fn tokenize(src: &str) -> Vec<Token> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == b'"' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            let inner = &src[start + 1..(i - 1).min(src.len())];
            out.push(Token {
                tok: Tok::Str(unescape(inner)),
                start,
                end: i,
            });
        } else if let Some(hashes) = raw_string_hashes(&b[i..]) {
            let prefix = if c == b'b' && b.get(i + 1) == Some(&b'r') {
                2
            } else {
                1
            };
            let start = i;
            let body = i + prefix + hashes + 1;
            let mut closing = String::from("\"");
            closing.push_str(&"#".repeat(hashes));
            let end = src[body..].find(&closing).map_or(src.len(), |p| body + p);
            out.push(Token {
                tok: Tok::Str(src[body..end].to_string()),
                start,
                end: (end + closing.len()).min(src.len()),
            });
            i = (end + closing.len()).min(src.len());
        } else if c == b'b' && b.get(i + 1) == Some(&b'"') {
            // A byte string: read as a normal string from the quote.
            i += 1;
        } else if c == b'\'' {
            // A char literal ('a', '\n', '"') or a lifetime ('static).
            let start = i;
            if b.get(i + 1) == Some(&b'\\') {
                i += 2;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
                i += 1;
            } else {
                let ch_len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                if b.get(i + 1 + ch_len) == Some(&b'\'') {
                    i += 2 + ch_len;
                } else {
                    i += 1;
                    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                        i += 1;
                    }
                }
            }
            out.push(Token {
                tok: Tok::Other,
                start,
                end: i,
            });
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Ident(src[start..i].to_string()),
                start,
                end: i,
            });
        } else if c.is_ascii_digit() {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.') {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Other,
                start,
                end: i,
            });
        } else if c.is_ascii() {
            out.push(Token {
                tok: Tok::Punct(c as char),
                start: i,
                end: i + 1,
            });
            i += 1;
        } else {
            // Non-ASCII outside strings: skip the whole character.
            let len = src[i..].chars().next().map_or(1, char::len_utf8);
            out.push(Token {
                tok: Tok::Other,
                start: i,
                end: i + len,
            });
            i += len;
        }
    }
    out
}

/// `r"…"`, `r#"…"#`, `br"…"`: how many `#`, if this starts a raw string.
fn raw_string_hashes(b: &[u8]) -> Option<usize> {
    let rest = match b {
        [b'b', b'r', rest @ ..] | [b'r', rest @ ..] => rest,
        _ => return None,
    };
    let hashes = rest.iter().take_while(|c| **c == b'#').count();
    (rest.get(hashes) == Some(&b'"')).then_some(hashes)
}

/// Drops escapes (`\n`, `\u{2026}`), whose letters are not words.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        if chars.next() == Some('u') {
            for c in chars.by_ref() {
                if c == '}' {
                    break;
                }
            }
        }
    }
    out
}

fn is_words(text: &str) -> bool {
    let t = text.trim();
    t.chars().any(char::is_alphabetic) && !ALLOWED.contains(&t)
}

fn line_of(src: &str, at: usize) -> usize {
    src[..at].bytes().filter(|b| *b == b'\n').count() + 1
}

fn adjacent(a: &Token, b: &Token) -> bool {
    a.end == b.start
}

/// The attribute a literal at `j` is the value of (`placeholder="…"`), if
/// it is one: `name=` written without spaces, not `==` or `!=`.
fn attribute_name(tokens: &[Token], j: usize) -> Option<String> {
    let eq = j.checked_sub(1)?;
    if tokens[eq].tok != Tok::Punct('=') {
        return None;
    }
    let mut k = eq;
    let mut parts = Vec::new();
    while k > 0 {
        let prev = &tokens[k - 1];
        if !adjacent(prev, &tokens[k]) {
            break;
        }
        match &prev.tok {
            Tok::Ident(name) => parts.push(name.clone()),
            Tok::Punct(c @ ('-' | ':')) => parts.push(c.to_string()),
            _ => break,
        }
        k -= 1;
    }
    parts.reverse();
    let name = parts.concat();
    let name = name.strip_prefix("attr:").unwrap_or(&name).to_string();
    (!name.is_empty() && !name.starts_with(['-', ':'])).then_some(name)
}

/// Literal words in the markup of every `view!` in `src`.
fn scan(src: &str) -> Vec<Finding> {
    let tokens = tokenize(src);
    let mut found = Vec::new();
    for (m, t) in tokens.iter().enumerate() {
        let is_view = t.tok == Tok::Ident("view".into())
            && tokens.get(m + 1).map(|t| &t.tok) == Some(&Tok::Punct('!'))
            && tokens.get(m + 2).map(|t| &t.tok) == Some(&Tok::Punct('{'));
        if !is_view {
            continue;
        }
        let open = m + 2;
        let mut depth = 0usize;
        for j in open..tokens.len() {
            match &tokens[j].tok {
                Tok::Punct('{') => depth += 1,
                Tok::Punct('}') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                // Only the markup level: `{ … }` blocks are Rust, and a
                // `view!` inside them is scanned on its own.
                Tok::Str(text) if depth == 1 => {
                    let prev = &tokens[j - 1].tok;
                    let before_prev = j.checked_sub(2).map(|k| &tokens[k].tok);
                    let kind = if let Some(name) = attribute_name(&tokens, j) {
                        TEXT_ATTRIBUTES
                            .contains(&name.as_str())
                            .then(|| format!("{name}=\"…\""))
                    } else {
                        let after_tag = *prev == Tok::Punct('>')
                            && !matches!(before_prev, Some(Tok::Punct('=' | '-')));
                        let text_node = j == open + 1
                            || after_tag
                            || matches!(prev, Tok::Str(_) | Tok::Punct('}'));
                        text_node.then(|| "text".to_string())
                    };
                    if let Some(kind) = kind.filter(|_| is_words(text)) {
                        found.push(Finding {
                            line: line_of(src, tokens[j].start),
                            kind,
                            text: text.trim().to_string(),
                        });
                    }
                }
                _ => {}
            }
        }
    }
    found.sort_by_key(|f| f.line);
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn ui_markup_has_no_literal_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/ui"), &mut files);
    assert!(!files.is_empty(), "no UI sources found under src/ui");
    let mut report = Vec::new();
    for file in &files {
        let src = std::fs::read_to_string(file).expect("readable source");
        let shown = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        for f in scan(&src) {
            report.push(format!("{shown}:{}: {} {:?}", f.line, f.kind, f.text));
        }
    }
    assert!(
        report.is_empty(),
        "{} literal text(s) in view! markup; put them in a texts! table:\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn scanner_finds_words_and_ignores_code() {
    let src = r##"
fn page() -> impl IntoView {
    let x = "Not markup";
    view! {
        <h1>"Sign out"</h1>
        <p> "Spaced" </p>
        <input placeholder="Search here" title=t.title class="btn primary" data-test="search"/>
        <button aria-label="Close" on:keydown=move |ev| if ev.key() == "Enter" { go("Rust") }>"✕"</button>
        <span class="brand">"GA Desk"</span> " · " {count} " items"
        <Title text="Assets"/>
        // <p>"In a comment"</p>
        {move || show.then(|| view! { <em>"Nested"</em> })}
        <a href=format!("/x/{}", "path")>{t.label}</a>
        <b attr:title="Attr title">'"'</b>
    }
}
"##;
    let found: Vec<(usize, String, String)> = scan(src)
        .into_iter()
        .map(|f| (f.line, f.kind, f.text))
        .collect();
    let expect = |line: usize, kind: &str, text: &str| (line, kind.to_string(), text.to_string());
    assert_eq!(
        found,
        vec![
            expect(5, "text", "Sign out"),
            expect(6, "text", "Spaced"),
            expect(7, "placeholder=\"…\"", "Search here"),
            expect(8, "aria-label=\"…\"", "Close"),
            expect(9, "text", "items"),
            expect(10, "text=\"…\"", "Assets"),
            expect(12, "text", "Nested"),
            expect(14, "title=\"…\"", "Attr title"),
        ]
    );
}
