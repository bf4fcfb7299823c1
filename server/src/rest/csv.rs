//! The one CSV writer of the REST API: CRLF lines, UTF-8 with a byte order
//! mark (so spreadsheets show Rupiah and Indonesian text correctly), and one
//! guard against formulas for every text cell.

use axum::response::{IntoResponse, Response};

/// Starts every CSV file.
pub const BOM: &str = "\u{feff}";

/// A text cell as written: one that starts with `=`, `+`, `-`, `@`, a tab
/// or a carriage return would run as a formula when a spreadsheet opens the
/// file, so it gets a leading apostrophe.
pub fn cell(text: &str) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text.to_string(),
    }
}

/// CSV lines for the records, quoted where needed, CRLF-terminated.
pub fn lines<R, I>(records: R) -> Vec<u8>
where
    R: IntoIterator<Item = I>,
    I: IntoIterator<Item = String>,
{
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(Vec::new());
    for record in records {
        let fields: Vec<String> = record.into_iter().collect();
        let _ = w.write_record(&fields);
    }
    w.into_inner().unwrap_or_default()
}

/// The headers of a CSV download named `filename`.
pub fn headers(filename: &'static str) -> [(http::HeaderName, String); 2] {
    [
        (
            http::header::CONTENT_TYPE,
            "text/csv; charset=utf-8".to_string(),
        ),
        (
            http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ),
    ]
}

/// A whole CSV file as a download.
pub fn download(filename: &'static str, header: &str, body: Vec<u8>) -> Response {
    let mut bytes = Vec::with_capacity(BOM.len() + header.len() + body.len());
    bytes.extend_from_slice(BOM.as_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(&body);
    (headers(filename), bytes).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_never_run_and_text_is_quoted() {
        for f in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell(f).starts_with('\''), "{f:?}");
        }
        assert_eq!(cell("Kertas A4"), "Kertas A4");
        let out = lines([vec![cell("a,b"), cell("=x"), "1".to_string()]]);
        assert_eq!(String::from_utf8(out).unwrap(), "\"a,b\",'=x,1\r\n");
    }
}
