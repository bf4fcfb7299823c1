//! Photos and documents, with real files through the real router: EXIF
//! and GPS gone and photos upright, uploads cut off while streaming, the
//! bytes deciding the type, downloads authorised like the ticket, one copy
//! per content, and the same on disk and on an S3-compatible server (moto).

#[path = "../support/s3.rs"]
mod s3;

use crate::common::{new_ticket, Reply, TestApp};
use app::domain::attachment::Variant;
use app::domain::Role;
use app::services::attachments::store::{Files, LINK_SECS};
use axum::body::Body;
use axum::body::Bytes;
use futures::StreamExt;
use http::{header, Method, Request, StatusCode};
use serde_json::json;
use sqlx::PgPool;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const BUDI: &str = "budi.santoso@example.co.id";
const DEWI: &str = "dewi.lestari@example.co.id";
const AGUS: &str = "agus.ga@example.co.id";
const RINA: &str = "rina.ga@example.co.id";

struct Setup {
    app: TestApp,
    budi: String,
    dewi: String,
    agus: String,
    rina: String,
    ticket: String,
}

async fn setup(db: PgPool) -> Setup {
    let app = TestApp::new(db).await;
    with_people(app).await
}

/// The same people and ticket, with attachments kept on the S3 server.
async fn setup_s3(db: PgPool, s3: &s3::S3) -> Setup {
    let mut app = TestApp::new(db).await;
    let incoming = std::env::temp_dir().join(format!("gadesk-s3-in-{}", uuid::Uuid::now_v7()));
    let files = Files::with_store(s3.store(), &incoming, crate::common::SECRET, "s3").unwrap();
    app.state = app.state.clone().with_files(files);
    app.router = server::build_router(app.state.clone(), server::RouterOptions::default());
    with_people(app).await
}

async fn with_people(app: TestApp) -> Setup {
    app.user(BUDI, Role::Requester).await;
    app.user(DEWI, Role::Requester).await;
    app.user(AGUS, Role::Agent).await;
    app.user(RINA, Role::Agent).await;
    let budi = app.login(BUDI).await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/tickets",
            Some(&budi),
            Some(new_ticket("Kursi rapat patah")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let ticket = r.json()["id"].as_str().unwrap().to_string();
    Setup {
        dewi: app.login(DEWI).await,
        agus: app.login(AGUS).await,
        rina: app.login(RINA).await,
        budi,
        ticket,
        app,
    }
}

pub struct Part<'a> {
    pub field: &'a str,
    pub filename: Option<&'a str>,
    pub bytes: Vec<u8>,
}

pub fn file<'a>(filename: &'a str, bytes: Vec<u8>) -> Part<'a> {
    Part {
        field: "file",
        filename: Some(filename),
        bytes,
    }
}

fn text<'a>(field: &'a str, value: &str) -> Part<'a> {
    Part {
        field,
        filename: None,
        bytes: value.as_bytes().to_vec(),
    }
}

const BOUNDARY: &str = "gadesk-test-boundary-7MA4YWxkTrZu0gW";

fn part_head(p: &Part<'_>) -> String {
    match p.filename {
        // The client's content type is a lie on purpose: the bytes decide.
        Some(f) => format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"; filename=\"{f}\"\r\nContent-Type: image/jpeg\r\n\r\n",
            p.field
        ),
        None => format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{}\"\r\n\r\n",
            p.field
        ),
    }
}

fn multipart(parts: &[Part<'_>]) -> Vec<u8> {
    let mut body = Vec::new();
    for p in parts {
        body.extend_from_slice(part_head(p).as_bytes());
        body.extend_from_slice(&p.bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

async fn upload(app: &TestApp, token: &str, uri: &str, parts: &[Part<'_>]) -> Reply {
    app.raw(Method::POST, uri, token, &content_type(), multipart(parts))
        .await
}

/// GET with a bearer token, or none (a signed link).
async fn get(app: &TestApp, uri: &str, token: Option<&str>) -> Reply {
    app.call(Method::GET, uri, token, None).await
}

/// A 64×32 JPEG, left half red and right half blue, as a phone writes it:
/// with EXIF saying "turn 90° clockwise to show" and a GPS position in
/// Jakarta.
pub fn phone_photo() -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 32, |x, _| {
        if x < 32 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95)
        .encode_image(&img)
        .unwrap();
    let mut tiff: Vec<u8> = b"II*\0".to_vec();
    tiff.extend_from_slice(&8u32.to_le_bytes());
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        tiff.extend_from_slice(&tag.to_le_bytes());
        tiff.extend_from_slice(&kind.to_le_bytes());
        tiff.extend_from_slice(&count.to_le_bytes());
        tiff.extend_from_slice(&value);
    };
    // IFD0 at 8: orientation 6, and where the GPS IFD is (38)
    tiff.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut tiff, 0x0112, 3, 1, [6, 0, 0, 0]);
    entry(&mut tiff, 0x8825, 4, 1, 38u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD at 38: 6°10' S, 106°49' E; its numbers at 92 and 116
    tiff.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut tiff, 0x0001, 2, 2, *b"S\0\0\0");
    entry(&mut tiff, 0x0002, 5, 3, 92u32.to_le_bytes());
    entry(&mut tiff, 0x0003, 2, 2, *b"E\0\0\0");
    entry(&mut tiff, 0x0004, 5, 3, 116u32.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    for n in [6u32, 10, 0, 106, 49, 0] {
        tiff.extend_from_slice(&n.to_le_bytes());
        tiff.extend_from_slice(&1u32.to_le_bytes());
    }
    assert_eq!(tiff.len(), 140);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn png() -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(40, 30, image::Rgba([10, 160, 90, 255]));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

fn gps_fields(bytes: &[u8]) -> usize {
    match exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) {
        Ok(e) => e
            .fields()
            .filter(|f| f.tag.context() == exif::Context::Gps)
            .count(),
        Err(_) => 0,
    }
}

async fn stored_blobs(app: &TestApp) -> (i64, usize) {
    (
        app.count("blobs").await,
        app.state.files.count().await.unwrap(),
    )
}

fn ticket_files(s: &Setup) -> String {
    format!("/api/v1/tickets/{}/attachments", s.ticket)
}

/// The photo comes back without EXIF (no GPS), upright, with a WebP
/// thumbnail; the download is inline with a sandboxing policy.
async fn photo_loses_gps_and_stands_upright(s: &Setup) {
    let photo = phone_photo();
    assert!(
        gps_fields(&photo) >= 4,
        "the fixture carries a GPS position"
    );
    let r = upload(
        &s.app,
        &s.budi,
        &ticket_files(s),
        &[file("IMG_20261202_0915.jpg", photo)],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let a = &r.json()["attachments"][0];
    assert_eq!(a["kind"], "jpeg");
    assert_eq!(
        (a["width"].as_i64(), a["height"].as_i64()),
        (Some(32), Some(64))
    );

    let got = get(&s.app, a["url"].as_str().unwrap(), None).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.header("content-type"), Some("image/jpeg"));
    assert!(got
        .header("content-disposition")
        .unwrap()
        .starts_with("inline"));
    assert_eq!(got.header("x-content-type-options"), Some("nosniff"));
    assert!(got
        .header("content-security-policy")
        .unwrap()
        .contains("sandbox"));
    assert_eq!(gps_fields(&got.body), 0, "no GPS tag survives");
    assert!(
        !got.body.windows(6).any(|w| w == b"Exif\0\0"),
        "no EXIF block at all"
    );
    let shown = image::load_from_memory(&got.body).unwrap().to_rgb8();
    assert_eq!(shown.dimensions(), (32, 64));
    let top = shown.get_pixel(16, 8);
    let bottom = shown.get_pixel(16, 56);
    assert!(top[0] > 150 && top[2] < 100, "red on top: {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "blue below: {bottom:?}");

    let thumb = get(&s.app, a["thumb_url"].as_str().unwrap(), None).await;
    assert_eq!(thumb.status, StatusCode::OK);
    assert_eq!(thumb.header("content-type"), Some("image/webp"));
    let small = image::load_from_memory_with_format(&thumb.body, image::ImageFormat::WebP).unwrap();
    assert_eq!((small.width(), small.height()), (32, 64));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_phone_photo_comes_back_without_gps_and_upright(db: PgPool) {
    let s = setup(db).await;
    photo_loses_gps_and_stands_upright(&s).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn on_s3_a_phone_photo_comes_back_without_gps_and_upright(db: PgPool) {
    let store = s3::S3::start().await;
    let s = setup_s3(db, &store).await;
    photo_loses_gps_and_stands_upright(&s).await;
    assert_eq!(s.app.state.files.backend, "s3");
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A 25 MB upload is cut off at 20 MB while it streams: 413, nothing
/// stored, no row, no file left in the incoming folder, and the process
/// never holds the upload in memory.
async fn oversize_upload_is_cut_off(s: &Setup) {
    const CHUNK: usize = 256 * 1024;
    const TOTAL: usize = 25 * 1000 * 1000;
    let head = part_head(&file("video-kebocoran.jpg", Vec::new()));
    let pulled = Arc::new(AtomicU64::new(0));
    let peak = Arc::new(AtomicU64::new(0));
    let before = rss_kib();
    let (p, k) = (pulled.clone(), peak.clone());
    let mut chunk = vec![0x5au8; CHUNK];
    chunk[..3].copy_from_slice(&[0xFF, 0xD8, 0xFF]);
    let chunks = futures::stream::iter(0..TOTAL / CHUNK).map(move |i| {
        p.fetch_add(CHUNK as u64, Ordering::SeqCst);
        k.fetch_max(rss_kib(), Ordering::SeqCst);
        let mut c = chunk.clone();
        if i > 0 {
            c[..3].copy_from_slice(&[0x5a; 3]);
        }
        Ok::<_, std::io::Error>(Bytes::from(c))
    });
    let body = futures::stream::once(async move { Ok(Bytes::from(head)) })
        .chain(chunks)
        .chain(futures::stream::once(async {
            Ok(Bytes::from(format!("\r\n--{BOUNDARY}--\r\n")))
        }));
    let req = Request::builder()
        .method(Method::POST)
        .uri(ticket_files(s))
        .header(header::AUTHORIZATION, format!("Bearer {}", s.budi))
        .header(header::CONTENT_TYPE, content_type())
        .body(Body::from_stream(body))
        .unwrap();
    let r = s.app.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.text());
    assert_eq!(r.json()["code"], "file_too_large");
    assert_eq!(r.json()["params"]["max_mb"], 20);
    let read = pulled.load(Ordering::SeqCst) as usize;
    assert!(
        read < 21 * 1000 * 1000,
        "stopped reading at the cap, not at the end: {read} bytes pulled"
    );
    let grew_mib = peak.load(Ordering::SeqCst).saturating_sub(before) / 1024;
    eprintln!("25 MB upload refused after {read} bytes; RSS grew by at most {grew_mib} MiB");
    assert!(
        grew_mib < 8,
        "memory stays flat: RSS grew by {grew_mib} MiB"
    );
    assert_eq!(s.app.count("attachments").await, 0);
    assert_eq!(stored_blobs(&s.app).await, (0, 0));
    let incoming = s.app.state.files.incoming();
    let left = std::fs::read_dir(incoming).unwrap().count();
    assert_eq!(left, 0, "no upload left behind in {}", incoming.display());
}

#[sqlx::test(migrations = "../migrations")]
async fn a_25_mb_upload_is_refused_while_streaming_with_flat_memory(db: PgPool) {
    let s = setup(db).await;
    oversize_upload_is_cut_off(&s).await;
}

/// A file is judged by its bytes; each refusal leaves nothing behind.
#[sqlx::test(migrations = "../migrations")]
async fn the_bytes_decide_the_type(db: PgPool) {
    let s = setup(db).await;
    let mut polyglot = phone_photo();
    polyglot
        .extend_from_slice(b"<html><body><script>alert(document.cookie)</script></body></html>");
    let html =
        b"<!doctype html><html><body><script>fetch('/api/v1/auth/me')</script></body></html>"
            .to_vec();
    let cases: Vec<(&str, Vec<u8>, StatusCode, &str)> = vec![
        (
            "halaman.txt",
            html.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_active_content",
        ),
        (
            "penawaran.pdf",
            png(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type_mismatch",
        ),
        (
            "foto-kursi.jpg",
            html.clone(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_active_content",
        ),
        (
            "catatan.txt",
            b"Catatan rapat GA\nJadwal servis AC: <script>fetch('/api/v1/me')</script>\n".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_active_content",
        ),
        (
            "kursi.jpg",
            polyglot,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_active_content",
        ),
        (
            "setup.exe",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_type_not_allowed",
        ),
        (
            "rusak.jpg",
            vec![
                0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 2, 3,
            ],
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "file_damaged",
        ),
        (
            "kosong.pdf",
            Vec::new(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file_empty",
        ),
    ];
    for (name, bytes, status, code) in cases {
        let r = upload(&s.app, &s.budi, &ticket_files(&s), &[file(name, bytes)]).await;
        assert_eq!(r.status, status, "{name}: {}", r.text());
        assert_eq!(r.json()["code"], code, "{name}");
        assert!(
            r.json()["detail"].as_str().unwrap().contains(name),
            "{name}"
        );
    }
    // Indonesian, for the reader who asks for it
    let r = s
        .app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri(ticket_files(&s))
                .header(header::AUTHORIZATION, format!("Bearer {}", s.budi))
                .header(header::ACCEPT_LANGUAGE, "id")
                .header(header::CONTENT_TYPE, content_type())
                .body(Body::from(multipart(&[file("penawaran.pdf", png())])))
                .unwrap(),
        )
        .await;
    assert_eq!(
        r.json()["detail"],
        "penawaran.pdf sebenarnya gambar PNG; namanya tidak sesuai."
    );
    // A JSON body is not an upload.
    let r = s
        .app
        .call(
            Method::POST,
            &ticket_files(&s),
            Some(&s.budi),
            Some(json!({"file": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(r.json()["code"], "not_multipart");
    assert_eq!(s.app.count("attachments").await, 0);
    assert_eq!(stored_blobs(&s.app).await, (0, 0));
    let (version,): (i32,) = sqlx::query_as("select version from tickets")
        .fetch_one(&s.app.db)
        .await
        .unwrap();
    assert_eq!(version, 1, "refused uploads change nothing");

    // What is taken: a PDF kept byte for byte, served as a download.
    let r = upload(
        &s.app,
        &s.budi,
        &ticket_files(&s),
        &[
            file("nota-toko.pdf", pdf()),
            file("catatan", b"Kaki kursi kiri retak.\n".to_vec()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let files = r.json()["attachments"].clone();
    assert_eq!(files[0]["kind"], "pdf");
    assert_eq!(
        files[1]["name"], "catatan.txt",
        "a name without ending gets its kind's"
    );
    let got = get(&s.app, files[0]["url"].as_str().unwrap(), None).await;
    assert_eq!(got.body, pdf());
    assert_eq!(got.header("content-type"), Some("application/pdf"));
    assert_eq!(
        got.header("content-disposition"),
        Some("attachment; filename*=UTF-8''nota-toko.pdf")
    );
    assert!(files[0]["thumb_url"].is_null());
}

/// Another requester gets 404 for the list, the file and its thumbnail;
/// signed links work without a session until they expire, and only for
/// what they name.
#[sqlx::test(migrations = "../migrations")]
async fn files_are_authorised_like_their_ticket(db: PgPool) {
    let s = setup(db).await;
    let r = upload(
        &s.app,
        &s.budi,
        &ticket_files(&s),
        &[file("kursi.jpg", phone_photo())],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let a = r.json()["attachments"][0].clone();
    let id = a["id"].as_str().unwrap();

    assert_eq!(
        get(&s.app, &ticket_files(&s), Some(&s.dewi)).await.status,
        StatusCode::NOT_FOUND
    );
    for variant in ["original", "thumb"] {
        let path = format!("/files/{id}/{variant}");
        assert_eq!(
            get(&s.app, &path, Some(&s.dewi)).await.status,
            StatusCode::NOT_FOUND,
            "{variant}"
        );
        assert_eq!(
            get(&s.app, &path, None).await.status,
            StatusCode::NOT_FOUND,
            "{variant} without anyone"
        );
        assert_eq!(
            get(&s.app, &path, Some(&s.budi)).await.status,
            StatusCode::OK,
            "{variant} to Budi"
        );
        assert_eq!(
            get(&s.app, &path, Some(&s.agus)).await.status,
            StatusCode::OK,
            "{variant} to GA"
        );
    }
    let r = upload(&s.app, &s.dewi, &ticket_files(&s), &[file("x.png", png())]).await;
    assert_eq!(
        r.status,
        StatusCode::NOT_FOUND,
        "nobody attaches to a ticket they cannot see"
    );

    // A link for the thumbnail does not open the original, a changed
    // expiry breaks the signature, and an expired link says so.
    let thumb = a["thumb_url"].as_str().unwrap();
    let as_original = thumb.replace("/thumb?", "/original?");
    assert_eq!(
        get(&s.app, &as_original, None).await.status,
        StatusCode::NOT_FOUND
    );
    let (path, query) = thumb.split_once('?').unwrap();
    let exp: i64 = query.split('&').next().unwrap()[4..].parse().unwrap();
    let longer = format!(
        "{path}?{}",
        query.replace(&exp.to_string(), &(exp + 3600).to_string())
    );
    assert_eq!(
        get(&s.app, &longer, None).await.status,
        StatusCode::NOT_FOUND
    );
    let uuid: uuid::Uuid = id.parse().unwrap();
    let old = s.app.state.files.signed_url(
        uuid,
        Variant::Original,
        chrono::Utc::now().timestamp() - LINK_SECS - 5,
    );
    let r = get(&s.app, &old, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["code"], "link_expired");
    // Links are fresh on every list.
    assert!(exp > chrono::Utc::now().timestamp() + LINK_SECS - 60);
}

/// An internal note's files are for GA staff only: not in the requester's
/// list, timeline or downloads.
#[sqlx::test(migrations = "../migrations")]
async fn an_internal_notes_files_are_staff_only(db: PgPool) {
    let s = setup(db).await;
    let r = upload(
        &s.app,
        &s.agus,
        &ticket_files(&s),
        &[
            text(
                "comment",
                "Harga dari vendor lain lebih murah, lihat penawaran.",
            ),
            text("internal", "true"),
            file("penawaran-vendor-b.pdf", pdf()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let body = r.json();
    assert_eq!(body["comment"]["internal"], true);
    let a = &body["attachments"][0];
    assert_eq!(a["internal"], true);
    assert_eq!(a["comment_id"], body["comment"]["id"]);
    let id = a["id"].as_str().unwrap();

    let budi_sees = get(&s.app, &ticket_files(&s), Some(&s.budi)).await.json();
    assert_eq!(budi_sees, json!([]));
    assert_eq!(
        get(&s.app, &format!("/files/{id}/original"), Some(&s.budi))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let history = get(
        &s.app,
        &format!("/api/v1/tickets/{}/history", s.ticket),
        Some(&s.budi),
    )
    .await
    .json();
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["action"] != "attach"),
        "the requester's timeline does not name the file: {history}"
    );
    let staff_sees = get(&s.app, &ticket_files(&s), Some(&s.rina)).await.json();
    assert_eq!(staff_sees.as_array().unwrap().len(), 1);
    let history = get(
        &s.app,
        &format!("/api/v1/tickets/{}/history", s.ticket),
        Some(&s.rina),
    )
    .await
    .json();
    let entry = history
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["action"] == "attach")
        .unwrap();
    assert_eq!(entry["note"], "penawaran-vendor-b.pdf");
    // Budi cannot write one either.
    let r = upload(
        &s.app,
        &s.budi,
        &ticket_files(&s),
        &[text("internal", "true"), file("a.pdf", pdf())],
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "internal_notes_staff_only");
}

/// The same photo attached twice is stored once; removing both leaves the
/// bytes to the sweeper, which removes them once nothing points at them.
async fn one_copy_per_content(s: &Setup) {
    let photo = phone_photo();
    for who in [&s.budi, &s.agus] {
        let r = upload(
            &s.app,
            who,
            &ticket_files(s),
            &[file("kursi.jpg", photo.clone())],
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    assert_eq!(s.app.count("attachments").await, 2);
    assert_eq!(
        stored_blobs(&s.app).await,
        (2, 2),
        "photo and thumbnail, once each"
    );

    let list = get(&s.app, &ticket_files(s), Some(&s.budi)).await.json();
    let (mine, agus) = (list[0].clone(), list[1].clone());
    assert_eq!(mine["removable"], true);
    assert_eq!(agus["removable"], false, "Budi may not remove GA's file");
    let remove = |token: String, id: String| {
        let app = &s.app;
        let uri = format!("{}/{id}", ticket_files(s));
        async move { app.call(Method::DELETE, &uri, Some(&token), None).await }
    };
    let r = remove(s.budi.clone(), agus["id"].as_str().unwrap().into()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["code"], "attachment_remove_not_allowed");
    assert_eq!(
        remove(s.budi.clone(), mine["id"].as_str().unwrap().into())
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let files = s.app.state.files.clone();
    assert_eq!(
        app::services::attachments::sweep(&s.app.db, &files, 0)
            .await
            .unwrap(),
        0,
        "still in use"
    );
    assert_eq!(stored_blobs(&s.app).await, (2, 2));
    // GA staff may remove anyone's file.
    assert_eq!(
        remove(s.rina.clone(), agus["id"].as_str().unwrap().into())
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app::services::attachments::sweep(&s.app.db, &files, 3600)
            .await
            .unwrap(),
        0,
        "not before the grace period"
    );
    assert_eq!(
        app::services::attachments::sweep(&s.app.db, &files, 0)
            .await
            .unwrap(),
        2
    );
    assert_eq!(stored_blobs(&s.app).await, (0, 0));
    let old = get(&s.app, agus["url"].as_str().unwrap(), None).await;
    assert_eq!(
        old.status,
        StatusCode::NOT_FOUND,
        "a removed file's link is dead"
    );

    let history = get(
        &s.app,
        &format!("/api/v1/tickets/{}/history", s.ticket),
        Some(&s.budi),
    )
    .await
    .json();
    let actions: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "create",
            "attach",
            "attach",
            "remove_attachment",
            "remove_attachment"
        ]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_same_photo_twice_is_stored_once(db: PgPool) {
    let s = setup(db).await;
    one_copy_per_content(&s).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn on_s3_the_same_photo_twice_is_stored_once(db: PgPool) {
    let store = s3::S3::start().await;
    let s = setup_s3(db, &store).await;
    one_copy_per_content(&s).await;
}

#[sqlx::test(migrations = "../migrations")]
async fn on_s3_a_25_mb_upload_is_refused_while_streaming(db: PgPool) {
    let store = s3::S3::start().await;
    let s = setup_s3(db, &store).await;
    oversize_upload_is_cut_off(&s).await;
}

/// Ten files a ticket: two uploads racing for the last place, exactly one
/// wins; a closed ticket takes no more files.
#[sqlx::test(migrations = "../migrations")]
async fn the_file_cap_holds_under_a_race_and_closed_tickets_take_none(db: PgPool) {
    let s = setup(db).await;
    let nine: Vec<Part<'_>> = (0..9)
        .map(|i| file("nota.txt", format!("Nota nomor {i}\n").into_bytes()))
        .collect();
    let r = upload(&s.app, &s.budi, &ticket_files(&s), &nine).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let (one, other) = ([file("a.png", png())], [file("b.pdf", pdf())]);
    let uri = ticket_files(&s);
    let (a, b) = tokio::join!(
        upload(&s.app, &s.budi, &uri, &one),
        upload(&s.app, &s.agus, &uri, &other),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::CREATED, StatusCode::PAYLOAD_TOO_LARGE],
        "{} / {}",
        a.text(),
        b.text()
    );
    let loser = if a.status == StatusCode::CREATED {
        b
    } else {
        a
    };
    assert_eq!(loser.json()["code"], "too_many_files");
    assert_eq!(s.app.count("attachments").await, 10);

    let version = get(
        &s.app,
        &format!("/api/v1/tickets/{}", s.ticket),
        Some(&s.budi),
    )
    .await
    .json()["version"]
        .clone();
    assert_eq!(version, 3, "each upload is one change of the ticket");
    let r = s
        .app
        .call(
            Method::POST,
            &format!("/api/v1/tickets/{}/cancel", s.ticket),
            Some(&s.budi),
            Some(json!({"version": version, "reason": "Sudah diperbaiki sendiri"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let list = get(&s.app, &ticket_files(&s), Some(&s.budi)).await.json();
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["removable"] == false));
    let id = list[0]["id"].as_str().unwrap();
    let r = s
        .app
        .call(
            Method::DELETE,
            &format!("{}/{id}", ticket_files(&s)),
            Some(&s.agus),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["code"], "attachments_closed");
}

/// Assets: GA staff attach the invoice and photos; the holder sees them,
/// others do not; history records it.
#[sqlx::test(migrations = "../migrations")]
async fn assets_have_files_for_staff_and_the_holder(db: PgPool) {
    let s = setup(db).await;
    let r = s
        .app
        .call(Method::POST, "/api/v1/assets", Some(&s.agus), Some(json!({
            "name": "Laptop Lenovo ThinkPad E14", "category": "laptop", "serial_number": "PF-3K9X2",
            "condition": "new", "location": "Kantor Pusat Jakarta, Gudang GA",
            "purchase_date": "2026-01-15", "purchase_price": "14500000", "warranty_end": "2027-01-15"
        })))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let asset = r.json()["id"].as_str().unwrap().to_string();
    let uri = format!("/api/v1/assets/{asset}/attachments");
    let r = upload(&s.app, &s.budi, &uri, &[file("x.pdf", pdf())]).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "a stranger to the asset");
    let r = upload(
        &s.app,
        &s.agus,
        &uri,
        &[
            file("faktur-lenovo.pdf", pdf()),
            file("foto-serah-terima.jpg", phone_photo()),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let history = get(
        &s.app,
        &format!("/api/v1/assets/{asset}/history"),
        Some(&s.agus),
    )
    .await
    .json();
    assert!(
        history
            .to_string()
            .contains("faktur-lenovo.pdf, foto-serah-terima.jpg"),
        "{history}"
    );
    assert_eq!(
        get(&s.app, &uri, Some(&s.budi)).await.status,
        StatusCode::NOT_FOUND
    );
    let list = get(&s.app, &uri, Some(&s.rina)).await.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let id = list[1]["id"].as_str().unwrap();
    assert_eq!(
        get(&s.app, &format!("/files/{id}/thumb"), Some(&s.budi))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// The ticket CSV counts each ticket's files.
#[sqlx::test(migrations = "../migrations")]
async fn the_ticket_export_counts_files(db: PgPool) {
    let s = setup(db).await;
    let r = upload(
        &s.app,
        &s.budi,
        &ticket_files(&s),
        &[file("a.png", png()), file("b.pdf", pdf())],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let csv = get(&s.app, "/api/v1/tickets/export.csv", Some(&s.agus)).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text());
    let text = csv.text();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == "attachments")
        .expect("an attachments column");
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(row[column], "2");
}

/// A browser posts an empty file input as a part without a name or
/// bytes (the camera button, unused): it is skipped. A nameless part
/// with bytes is a file all the same.
#[sqlx::test(migrations = "../migrations")]
async fn an_unused_file_input_is_skipped(db: PgPool) {
    let s = setup(db).await;
    let unused = Part {
        field: "files",
        filename: None,
        bytes: Vec::new(),
    };
    let r = upload(
        &s.app,
        &s.budi,
        &ticket_files(&s),
        &[file("nota-toko.pdf", pdf()), unused],
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let json = r.json();
    let names: Vec<&str> = json["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["nota-toko.pdf"]);

    let nameless = Part {
        field: "files",
        filename: None,
        bytes: b"Nota: kertas A4 2 rim\n".to_vec(),
    };
    let r = upload(&s.app, &s.budi, &ticket_files(&s), &[nameless]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["attachments"][0]["name"], "file.txt");
    assert_eq!(s.app.count("attachments").await, 2);
}
