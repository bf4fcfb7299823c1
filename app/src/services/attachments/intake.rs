//! An upload as it arrives: written to a local file a chunk at a time
//! (never held in memory), cut off at the size cap, then judged by its
//! bytes. Photos are decoded and written again, which drops EXIF (and
//! with it any GPS position), turns them upright and yields a thumbnail.

use super::store::Files;
use crate::domain::attachment::{
    has_active_content, judge, looks_like_text, FileKind, Sniffed, MARKER_OVERLAP,
};
use crate::domain::Refusal;
use crate::services::ServiceError;
use bytes::Bytes;
use futures::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::Path;
use tempfile::NamedTempFile;
use tokio::io::AsyncWriteExt;

/// Enough of a file's start for any signature the sniffer knows, Office
/// documents (ZIP entries) included.
const SNIFF_BYTES: usize = 64 * 1024;
/// Thumbnails fit in this square (twice the size they are shown at).
pub const THUMB_PX: u32 = 320;
/// Larger pictures are refused before they are decoded.
const MAX_SIDE: u32 = 12_000;

/// A file received and judged, ready to be stored.
#[derive(Debug)]
pub struct Received {
    pub name: String,
    pub kind: FileKind,
    pub size: i64,
    pub sha256: String,
    /// The bytes to keep (for a photo, as written again).
    pub file: NamedTempFile,
    pub picture: Option<Picture>,
}

#[derive(Debug)]
pub struct Picture {
    pub width: i32,
    pub height: i32,
    pub thumb_sha256: String,
    pub thumb: Vec<u8>,
}

fn hex(digest: impl AsRef<[u8]>) -> String {
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

fn internal(e: impl std::fmt::Display) -> ServiceError {
    ServiceError::Internal(format!("upload: {e}"))
}

/// Receives one file. Over `max_bytes` it stops reading at once and
/// answers 413; nothing of it stays on disk.
pub async fn receive<S, E>(
    files: &Files,
    sent_name: &str,
    mut chunks: S,
    max_bytes: u64,
    max_mb: i32,
) -> Result<Received, ServiceError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let name = crate::domain::attachment::clean_name(sent_name).unwrap_or_else(|| "file".into());
    let temp = files.incoming_file().map_err(internal)?;
    let mut out = tokio::fs::File::from_std(temp.reopen().map_err(internal)?);
    let mut hasher = Sha256::new();
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let mut size: u64 = 0;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.map_err(|e| Refusal::UploadUnreadable {
            detail: e.to_string(),
        })?;
        size += chunk.len() as u64;
        if size > max_bytes {
            return Err(Refusal::FileTooLarge { name, max_mb }.into());
        }
        if head.len() < SNIFF_BYTES {
            let take = (SNIFF_BYTES - head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..take]);
        }
        hasher.update(&chunk);
        out.write_all(&chunk).await.map_err(internal)?;
    }
    out.flush().await.map_err(internal)?;
    drop(out);
    if size == 0 {
        return Err(Refusal::FileEmpty { name }.into());
    }
    let sniffed = match infer::get(&head) {
        Some(t) => Sniffed::Mime(t.mime_type().to_string()),
        None => Sniffed::Unknown {
            text: looks_like_text(&head),
        },
    };
    let (kind, name) = judge(&name, &sniffed)?;
    let path = temp.path().to_path_buf();
    let scanned = tokio::task::spawn_blocking(move || scan(&path))
        .await
        .map_err(internal)?
        .map_err(internal)?;
    if scanned {
        return Err(Refusal::FileActiveContent { name }.into());
    }
    if !kind.is_image() {
        return Ok(Received {
            name,
            kind,
            size: size as i64,
            sha256: hex(hasher.finalize()),
            file: temp,
            picture: None,
        });
    }
    let _permit = files.images.acquire().await.map_err(internal)?;
    let path = temp.path().to_path_buf();
    let redrawn = tokio::task::spawn_blocking(move || redraw(&path, kind))
        .await
        .map_err(internal)?;
    let Ok(redrawn) = redrawn else {
        return Err(Refusal::FileDamaged { name }.into());
    };
    drop(temp);
    let mut kept = files.incoming_file().map_err(internal)?;
    kept.write_all(&redrawn.bytes).map_err(internal)?;
    kept.flush().map_err(internal)?;
    Ok(Received {
        name,
        kind,
        size: redrawn.bytes.len() as i64,
        sha256: hex(Sha256::digest(&redrawn.bytes)),
        file: kept,
        picture: Some(Picture {
            width: redrawn.width as i32,
            height: redrawn.height as i32,
            thumb_sha256: hex(Sha256::digest(&redrawn.thumb)),
            thumb: redrawn.thumb,
        }),
    })
}

/// Whether anywhere in the file there is markup a browser would act on.
fn scan(path: &Path) -> std::io::Result<bool> {
    let mut file = std::fs::File::open(path)?;
    let mut block = vec![0u8; 1024 * 1024 + MARKER_OVERLAP];
    let mut carried = 0;
    loop {
        let n = file.read(&mut block[carried..])?;
        if n == 0 {
            return Ok(false);
        }
        let end = carried + n;
        if has_active_content(&block[..end]) {
            return Ok(true);
        }
        carried = end.min(MARKER_OVERLAP);
        block.copy_within(end - carried..end, 0);
    }
}

struct Redrawn {
    bytes: Vec<u8>,
    width: u32,
    height: u32,
    thumb: Vec<u8>,
}

/// Decodes a picture, turns it as its EXIF orientation says, and encodes
/// the pixels again (no metadata is carried over), plus a WebP thumbnail.
fn redraw(path: &Path, kind: FileKind) -> image::ImageResult<Redrawn> {
    use image::{DynamicImage, ImageDecoder, ImageFormat};
    let mut reader = image::ImageReader::open(path)?;
    reader.set_format(match kind {
        FileKind::Png => ImageFormat::Png,
        FileKind::Webp => ImageFormat::WebP,
        _ => ImageFormat::Jpeg,
    });
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(768 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut picture = DynamicImage::from_decoder(decoder)?;
    picture.apply_orientation(orientation);
    let (width, height) = (picture.width(), picture.height());
    let mut bytes = Vec::new();
    match kind {
        FileKind::Png => {
            picture.write_to(&mut std::io::Cursor::new(&mut bytes), ImageFormat::Png)?
        }
        FileKind::Webp => {
            let rgba = picture.to_rgba8();
            bytes = webp::Encoder::from_rgba(&rgba, width, height)
                .encode(85.0)
                .to_vec();
        }
        _ => {
            // A 12-megapixel photo is 36 MB of pixels: encode the decoded
            // buffer itself rather than a copy of it.
            let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85);
            match picture.as_rgb8() {
                Some(rgb) => encoder.encode_image(rgb)?,
                None => encoder.encode_image(&picture.to_rgb8())?,
            }
        }
    }
    // A thumbnail only ever shrinks: a small picture is its own thumbnail.
    let small = if width > THUMB_PX || height > THUMB_PX {
        picture.thumbnail(THUMB_PX, THUMB_PX).to_rgba8()
    } else {
        picture.to_rgba8()
    };
    let thumb = webp::Encoder::from_rgba(&small, small.width(), small.height())
        .encode(75.0)
        .to_vec();
    Ok(Redrawn {
        bytes,
        width,
        height,
        thumb,
    })
}
