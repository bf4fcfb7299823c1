//! Words for messages that leave GA Desk, chosen at this edge in the
//! recipient's language and time zone: email (text and HTML), webhook
//! bodies (GA Desk JSON, Slack, Microsoft Teams), and the page an approval
//! link opens. Pure functions over values; the server sends them.

pub mod decide;
pub mod email;
pub mod upload;
pub mod webhook;

/// Escapes text for HTML element content and quoted attributes.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup() {
        assert_eq!(
            super::esc(r#"<b onclick="x">'&'</b>"#),
            "&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;"
        );
    }
}
