//! Photos and documents on tickets, comments and assets: which files are
//! taken (the bytes decide, not the name), what a file's name may be, and
//! how big and how many.

use crate::refusal::Refusal;
use crate::user::UserRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

string_enum!(
    /// What a file is, as its bytes say. Only these are kept.
    FileKind {
        Jpeg => "jpeg", "JPEG photo", "Foto JPEG";
        Png => "png", "PNG image", "Gambar PNG";
        Webp => "webp", "WebP image", "Gambar WebP";
        Pdf => "pdf", "PDF document", "Dokumen PDF";
        Docx => "docx", "Word document", "Dokumen Word";
        Xlsx => "xlsx", "Excel workbook", "Buku kerja Excel";
        Pptx => "pptx", "PowerPoint presentation", "Presentasi PowerPoint";
        Doc => "doc", "Word 97–2003 document", "Dokumen Word 97–2003";
        Xls => "xls", "Excel 97–2003 workbook", "Buku kerja Excel 97–2003";
        Ppt => "ppt", "PowerPoint 97–2003 presentation", "Presentasi PowerPoint 97–2003";
        Odt => "odt", "OpenDocument text", "Teks OpenDocument";
        Ods => "ods", "OpenDocument spreadsheet", "Lembar kerja OpenDocument";
        Odp => "odp", "OpenDocument presentation", "Presentasi OpenDocument";
        Text => "text", "Plain text", "Teks biasa";
    }
);

impl FileKind {
    /// The kind a sniffed media type names, if it is one GA Desk keeps.
    pub fn from_mime(mime: &str) -> Option<FileKind> {
        Some(match mime {
            "image/jpeg" => FileKind::Jpeg,
            "image/png" => FileKind::Png,
            "image/webp" => FileKind::Webp,
            "application/pdf" => FileKind::Pdf,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => {
                FileKind::Docx
            }
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => FileKind::Xlsx,
            "application/vnd.openxmlformats-officedocument.presentationml.presentation" => {
                FileKind::Pptx
            }
            "application/msword" => FileKind::Doc,
            "application/vnd.ms-excel" => FileKind::Xls,
            "application/vnd.ms-powerpoint" => FileKind::Ppt,
            "application/vnd.oasis.opendocument.text" => FileKind::Odt,
            "application/vnd.oasis.opendocument.spreadsheet" => FileKind::Ods,
            "application/vnd.oasis.opendocument.presentation" => FileKind::Odp,
            _ => return None,
        })
    }

    /// The media type it is served with.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::Doc => "application/msword",
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Ppt => "application/vnd.ms-powerpoint",
            FileKind::Odt => "application/vnd.oasis.opendocument.text",
            FileKind::Ods => "application/vnd.oasis.opendocument.spreadsheet",
            FileKind::Odp => "application/vnd.oasis.opendocument.presentation",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    /// File name endings that agree with the kind; the first is added to
    /// a name that has none.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Jpeg => &["jpg", "jpeg", "jfif"],
            FileKind::Png => &["png"],
            FileKind::Webp => &["webp"],
            FileKind::Pdf => &["pdf"],
            FileKind::Docx => &["docx"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Pptx => &["pptx"],
            FileKind::Doc => &["doc"],
            FileKind::Xls => &["xls"],
            FileKind::Ppt => &["ppt"],
            FileKind::Odt => &["odt"],
            FileKind::Ods => &["ods"],
            FileKind::Odp => &["odp"],
            FileKind::Text => &["txt", "csv", "log", "md"],
        }
    }

    /// Images are decoded and re-encoded (no EXIF, upright) and get a
    /// thumbnail; browsers show them inline.
    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Jpeg | FileKind::Png | FileKind::Webp)
    }
}

/// What the sniffer made of a file's first bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// A media type the sniffer recognised.
    Mime(String),
    /// No known signature: text if it reads as UTF-8 text.
    Unknown { text: bool },
}

/// Caps on uploads (admin settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct UploadLimits {
    /// Largest file, in MB (10^6 bytes).
    pub max_file_mb: i32,
    /// Files a ticket or an asset may hold.
    pub max_files: i32,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_file_mb: 20,
            max_files: 10,
        }
    }
}

impl UploadLimits {
    pub fn max_file_bytes(self) -> u64 {
        self.max_file_mb.max(1) as u64 * 1_000_000
    }

    pub fn check(self) -> Result<Self, Refusal> {
        if !(1..=100).contains(&self.max_file_mb) {
            return Err(Refusal::BadParameter {
                name: "max_file_mb".into(),
                problem: crate::FieldError::WholeNumber { min: 1, max: 100 },
            });
        }
        if !(1..=50).contains(&self.max_files) {
            return Err(Refusal::BadParameter {
                name: "max_files".into(),
                problem: crate::FieldError::WholeNumber { min: 1, max: 50 },
            });
        }
        Ok(self)
    }
}

pub const MAX_NAME: usize = 200;

/// The name a file is kept under: the last path segment a browser sent,
/// without control characters or slashes, at most 200 characters.
pub fn clean_name(sent: &str) -> Option<String> {
    let last = sent.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    if cleaned.is_empty() {
        return None;
    }
    if cleaned.chars().count() <= MAX_NAME {
        return Some(cleaned);
    }
    // Keep the ending, which says what the file is.
    let ext: String = match cleaned.rsplit_once('.') {
        Some((_, e)) if e.chars().count() <= 10 => format!(".{e}"),
        _ => String::new(),
    };
    let stem: String = cleaned
        .chars()
        .take(MAX_NAME - ext.chars().count())
        .collect();
    Some(format!("{stem}{ext}"))
}

/// The lower-case ending of a name, if it has one.
fn extension(name: &str) -> Option<String> {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| !e.is_empty() && e.len() <= 10)
}

/// Which kind a file is, from its bytes, and whether its name agrees.
/// A name without an ending gets the kind's.
pub fn judge(name: &str, sniffed: &Sniffed) -> Result<(FileKind, String), Refusal> {
    let kind = match sniffed {
        Sniffed::Mime(m) if m == "image/heif" || m == "image/heic" || m == "image/avif" => {
            return Err(Refusal::FileHeic { name: name.into() })
        }
        // A web page under any name: say what is wrong with it.
        Sniffed::Mime(m) if m == "text/html" => {
            return Err(Refusal::FileActiveContent { name: name.into() })
        }
        Sniffed::Mime(m) => FileKind::from_mime(m)
            .ok_or_else(|| Refusal::FileTypeNotAllowed { name: name.into() })?,
        Sniffed::Unknown { text: true } => FileKind::Text,
        Sniffed::Unknown { text: false } => {
            return Err(Refusal::FileTypeNotAllowed { name: name.into() })
        }
    };
    match extension(name) {
        None => Ok((kind, format!("{name}.{}", kind.extensions()[0]))),
        Some(ext) if kind.extensions().contains(&ext.as_str()) => Ok((kind, name.to_string())),
        Some(_) => Err(Refusal::FileTypeMismatch {
            name: name.into(),
            actual: kind,
        }),
    }
}

/// Markup that makes a browser run or render something. Found anywhere in
/// a file (a JPEG with HTML after its image data, a "text" file that is a
/// web page), the file is refused: it was made to be two things at once.
const ACTIVE_MARKERS: [&[u8]; 9] = [
    b"<script",
    b"<html",
    b"<!doctype html",
    b"<body",
    b"<iframe",
    b"<svg",
    b"<object",
    b"<embed",
    b"javascript:",
];

/// Longest marker less one: how much of the previous block to look at
/// again, so a marker split across two blocks is still seen.
pub const MARKER_OVERLAP: usize = 15;

/// Whether a block of a file holds active markup (ASCII, any case).
pub fn has_active_content(block: &[u8]) -> bool {
    block.windows(5).enumerate().any(|(i, w)| {
        (w[0] == b'<' || w[0].eq_ignore_ascii_case(&b'j'))
            && ACTIVE_MARKERS.iter().any(|m| {
                block.len() >= i + m.len() && block[i..i + m.len()].eq_ignore_ascii_case(m)
            })
    })
}

/// Whether the start of a file without a known signature reads as text:
/// UTF-8 (a cut last character is fine) and no NUL or other binary
/// control bytes.
pub fn looks_like_text(start: &[u8]) -> bool {
    if start.is_empty() {
        return false;
    }
    let valid = match std::str::from_utf8(start) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && start.len() - e.valid_up_to() < 4,
    };
    valid
        && !start
            .iter()
            .any(|b| *b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
}

string_enum!(
    /// Which bytes of an attachment: the file as kept, or its thumbnail.
    Variant {
        Original => "original", "Original", "Asli";
        Thumb => "thumb", "Thumbnail", "Gambar kecil";
    }
);

/// An attachment as a reader sees it; `url` and `thumb_url` are short-lived
/// signed addresses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: Uuid,
    pub name: String,
    pub kind: FileKind,
    pub size: i64,
    pub width: Option<i32>,
    pub height: Option<i32>,
    /// Set when the file came with a comment.
    pub comment_id: Option<Uuid>,
    /// Staff-only (an internal note's file).
    pub internal: bool,
    pub uploaded_by: UserRef,
    pub at: DateTime<Utc>,
    pub url: String,
    pub thumb_url: Option<String>,
    /// Whether the reader may remove it.
    pub removable: bool,
}

/// What files hang on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Owner {
    Ticket(Uuid),
    Asset(Uuid),
}

impl Owner {
    /// The REST collection of this owner's files.
    pub fn api_path(self) -> String {
        match self {
            Owner::Ticket(id) => format!("/api/v1/tickets/{id}/attachments"),
            Owner::Asset(id) => format!("/api/v1/assets/{id}/attachments"),
        }
    }

    /// Where the page's form posts when the browser runs no WebAssembly.
    pub fn form_path(self) -> String {
        match self {
            Owner::Ticket(id) => format!("/tickets/{id}/attachments"),
            Owner::Asset(id) => format!("/assets/{id}/attachments"),
        }
    }

    /// The page that shows the files.
    pub fn page_path(self) -> String {
        match self {
            Owner::Ticket(id) => format!("/tickets/{id}"),
            Owner::Asset(id) => format!("/assets/{id}"),
        }
    }
}

/// A size in words: "820 KB", "4.2 MB".
pub fn size_words(bytes: i64) -> String {
    if bytes < 1_000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{} KB", bytes / 1_000)
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mime(m: &str) -> Sniffed {
        Sniffed::Mime(m.into())
    }

    #[test]
    fn the_bytes_decide_and_the_name_must_agree() {
        assert_eq!(
            judge("kursi.JPG", &mime("image/jpeg")).unwrap(),
            (FileKind::Jpeg, "kursi.JPG".into())
        );
        assert_eq!(
            judge("penawaran.pdf", &mime("image/png")),
            Err(Refusal::FileTypeMismatch {
                name: "penawaran.pdf".into(),
                actual: FileKind::Png
            })
        );
        assert_eq!(
            judge("foto", &mime("image/png")).unwrap().1,
            "foto.png".to_string()
        );
        assert!(matches!(
            judge(
                "a.exe",
                &mime("application/vnd.microsoft.portable-executable")
            ),
            Err(Refusal::FileTypeNotAllowed { .. })
        ));
        assert!(matches!(
            judge("IMG_0001.HEIC", &mime("image/heif")),
            Err(Refusal::FileHeic { .. })
        ));
        assert!(matches!(
            judge("catatan.txt", &Sniffed::Unknown { text: true }),
            Ok((FileKind::Text, _))
        ));
        assert!(matches!(
            judge("foto.jpg", &Sniffed::Unknown { text: true }),
            Err(Refusal::FileTypeMismatch {
                actual: FileKind::Text,
                ..
            })
        ));
        assert_eq!(
            judge("foto-kursi.jpg", &mime("text/html")),
            Err(Refusal::FileActiveContent {
                name: "foto-kursi.jpg".into()
            })
        );
        assert!(matches!(
            judge("x.bin", &Sniffed::Unknown { text: false }),
            Err(Refusal::FileTypeNotAllowed { .. })
        ));
    }

    #[test]
    fn active_markup_is_found_in_any_case() {
        assert!(has_active_content(b"\xff\xd8\xff\x00<ScRiPt>alert(1)"));
        assert!(has_active_content(b"<!DOCTYPE HTML><p>"));
        assert!(has_active_content(b"go to JavaScript:void(0)"));
        assert!(!has_active_content(b"Kursi patah, kaki kiri <3 retak"));
        assert!(!has_active_content(b"<scrip"));
    }

    #[test]
    fn text_is_utf8_without_binary_controls() {
        assert!(looks_like_text("Kertas A4 ×10\r\n".as_bytes()));
        // a multi-byte character cut at the end of the sniffed block
        assert!(looks_like_text(&"é".as_bytes()[..1]));
        assert!(!looks_like_text(b"PK\x03\x04\x00"));
        assert!(!looks_like_text(b"\xff\xfe\x00a"));
        assert!(!looks_like_text(b""));
    }

    #[test]
    fn names_lose_paths_and_controls_and_keep_their_ending() {
        assert_eq!(
            clean_name("C:\\Users\\andi\\nota.pdf").as_deref(),
            Some("nota.pdf")
        );
        assert_eq!(clean_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean_name("a\u{0}b\n.png").as_deref(), Some("ab.png"));
        assert_eq!(clean_name("  ").as_deref(), None);
        let long = format!("{}.pdf", "x".repeat(300));
        let kept = clean_name(&long).unwrap();
        assert_eq!(kept.chars().count(), MAX_NAME);
        assert!(kept.ends_with(".pdf"));
    }

    #[test]
    fn limits_are_checked() {
        assert!(UploadLimits::default().check().is_ok());
        assert!(UploadLimits {
            max_file_mb: 0,
            max_files: 10
        }
        .check()
        .is_err());
        assert_eq!(UploadLimits::default().max_file_bytes(), 20_000_000);
    }
}
