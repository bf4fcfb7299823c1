//! Files on tickets and assets: multipart uploads streamed to storage,
//! lists with signed links, removal, and the download of the bytes.

use super::error::{RestError, RestResult};
use super::extract::{Body, Caller, Path};
use app::domain::attachment::{Attachment, UploadLimits, Variant};
use app::domain::{Actor, FieldError, Refusal};
use app::services::attachments::{self, intake, Asker, Attached, Owner, Upload};
use app::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;
use http::{header, HeaderMap, HeaderValue, StatusCode};
use std::pin::Pin;
use std::task::{Context, Poll};
use uuid::Uuid;

/// A comment sent with files is at most this long (bytes, before checks).
const MAX_TEXT_FIELD: usize = 32 * 1024;

/// The form of an upload, for the API description.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct UploadForm {
    /// One or more files (repeat the field). Photos are re-encoded.
    #[schema(value_type = Vec<String>, format = Binary)]
    file: Vec<Vec<u8>>,
    /// A comment the files come with (tickets only).
    comment: Option<String>,
    /// Staff-only files, as with an internal note (GA staff only).
    internal: Option<bool>,
}

fn unreadable(e: impl std::fmt::Display) -> RestError {
    Refusal::UploadUnreadable {
        detail: e.to_string(),
    }
    .into()
}

async fn small_text(mut field: multer::Field<'_>) -> Result<String, RestError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > MAX_TEXT_FIELD {
            return Err(Refusal::BodyTooLarge {
                max_kib: (MAX_TEXT_FIELD / 1024) as u32,
            }
            .into());
        }
    }
    String::from_utf8(bytes).map_err(unreadable)
}

/// Hands the multipart parser one chunk per poll. The parser reads its
/// source until nothing more is ready, so on a fast connection it would
/// pull most of an upload into memory ahead of the disk; saying "not yet"
/// after each chunk (and asking to be polled again at once) keeps at most
/// one chunk ahead of the file being written.
struct OneChunkAtATime<S> {
    inner: S,
    gave: bool,
}

impl<S: futures::Stream + Unpin> futures::Stream for OneChunkAtATime<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        if self.gave {
            self.gave = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        let item = std::task::ready!(Pin::new(&mut self.inner).poll_next(cx));
        self.gave = item.is_some();
        Poll::Ready(item)
    }
}

/// Reads a multipart upload: who may upload is checked before the first
/// byte; each file goes to a local file as it arrives and is cut off at
/// the size cap.
async fn read_upload(
    state: &AppState,
    actor: &Actor,
    owner: Owner,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Upload, RestError> {
    let boundary = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|t| multer::parse_boundary(t).ok())
        .ok_or(Refusal::NotMultipart)?;
    let limits = attachments::precheck(&state.db, actor, owner, false, 0).await?;
    let stream = OneChunkAtATime {
        inner: body.into_data_stream(),
        gave: false,
    };
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut upload = Upload::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "file" | "files" => {
                let sent = field.file_name().unwrap_or_default().to_string();
                let nameless = sent.is_empty()
                    && field
                        .content_type()
                        .is_none_or(|t| t.essence_str() == "application/octet-stream");
                let mut field = Box::pin(field);
                // A file input left empty still sends a part, with no name
                // and no bytes: skip it. One with bytes is a file.
                let mut first = None;
                if nameless {
                    while let Some(chunk) = field.next().await {
                        let chunk = chunk.map_err(unreadable)?;
                        if !chunk.is_empty() {
                            first = Some(chunk);
                            break;
                        }
                    }
                    if first.is_none() {
                        continue;
                    }
                }
                if upload.files.len() >= limits.max_files as usize {
                    return Err(Refusal::TooManyFiles {
                        max: limits.max_files,
                    }
                    .into());
                }
                let chunks = futures::stream::iter(first.map(Ok)).chain(field);
                let received = intake::receive(
                    &state.files,
                    &sent,
                    chunks,
                    limits.max_file_bytes(),
                    limits.max_file_mb,
                )
                .await?;
                upload.files.push(received);
            }
            "comment" => upload.comment = Some(small_text(field).await?),
            "internal" => {
                upload.internal = match small_text(field).await?.as_str() {
                    "true" | "on" | "1" => true,
                    "false" | "off" | "0" | "" => false,
                    _ => {
                        return Err(Refusal::BadParameter {
                            name: "internal".into(),
                            problem: FieldError::NotTrueOrFalse,
                        }
                        .into())
                    }
                }
            }
            _ => return Err(Refusal::UnknownParameter { name }.into()),
        }
    }
    Ok(upload)
}

/// Reads an upload and attaches its files: the REST handlers and the
/// plain HTML form do the same.
pub async fn receive(
    state: &AppState,
    actor: &Actor,
    owner: Owner,
    headers: &HeaderMap,
    body: axum::body::Body,
) -> Result<Attached, RestError> {
    let upload = read_upload(state, actor, owner, headers, body).await?;
    Ok(attachments::attach(&state.db, &state.files, actor, owner, upload).await?)
}

#[utoipa::path(post, path = "/api/v1/tickets/{id}/attachments", tag = "attachments",
    params(("id" = uuid::Uuid, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Attached (with the comment, when one came)", body = Attached),
        (status = 413, description = "A file over the size cap, or too many files"),
        (status = 415, description = "Not multipart, or a file type that is not taken"),
    ))]
pub async fn upload_to_ticket(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> RestResult<impl IntoResponse> {
    let attached = receive(&state, &session.actor, Owner::Ticket(id), &headers, body).await?;
    Ok((StatusCode::CREATED, Json(attached)))
}

#[utoipa::path(get, path = "/api/v1/tickets/{id}/attachments", tag = "attachments",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "Files the caller may see, with links valid for 15 minutes", body = Vec<Attachment>)))]
pub async fn list_for_ticket(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<Attachment>>> {
    Ok(Json(
        attachments::list(&state.db, &state.files, &session.actor, Owner::Ticket(id)).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/tickets/{id}/attachments/{attachment}", tag = "attachments",
    params(("id" = uuid::Uuid, Path), ("attachment" = uuid::Uuid, Path)),
    responses((status = 204, description = "Removed")))]
pub async fn remove_from_ticket(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path((id, attachment)): Path<(Uuid, Uuid)>,
) -> RestResult<StatusCode> {
    attachments::remove(&state.db, &session.actor, Owner::Ticket(id), attachment).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/assets/{id}/attachments", tag = "attachments",
    params(("id" = uuid::Uuid, Path)),
    request_body(content = UploadForm, content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Attached", body = Attached),
        (status = 413, description = "A file over the size cap, or too many files"),
        (status = 415, description = "Not multipart, or a file type that is not taken"),
    ))]
pub async fn upload_to_asset(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    body: axum::body::Body,
) -> RestResult<impl IntoResponse> {
    let attached = receive(&state, &session.actor, Owner::Asset(id), &headers, body).await?;
    Ok((StatusCode::CREATED, Json(attached)))
}

#[utoipa::path(get, path = "/api/v1/assets/{id}/attachments", tag = "attachments",
    params(("id" = uuid::Uuid, Path)),
    responses((status = 200, description = "The asset's files, with links valid for 15 minutes", body = Vec<Attachment>)))]
pub async fn list_for_asset(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path(id): Path<Uuid>,
) -> RestResult<Json<Vec<Attachment>>> {
    Ok(Json(
        attachments::list(&state.db, &state.files, &session.actor, Owner::Asset(id)).await?,
    ))
}

#[utoipa::path(delete, path = "/api/v1/assets/{id}/attachments/{attachment}", tag = "attachments",
    params(("id" = uuid::Uuid, Path), ("attachment" = uuid::Uuid, Path)),
    responses((status = 204, description = "Removed")))]
pub async fn remove_from_asset(
    State(state): State<AppState>,
    Caller(session): Caller,
    Path((id, attachment)): Path<(Uuid, Uuid)>,
) -> RestResult<StatusCode> {
    attachments::remove(&state.db, &session.actor, Owner::Asset(id), attachment).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/settings/attachments", tag = "settings",
    responses((status = 200, description = "Caps on uploads", body = UploadLimits)))]
pub async fn limits(
    State(state): State<AppState>,
    Caller(_session): Caller,
) -> RestResult<Json<UploadLimits>> {
    Ok(Json(attachments::limits(&state.db).await?))
}

#[utoipa::path(put, path = "/api/v1/settings/attachments", tag = "settings",
    request_body = UploadLimits,
    responses((status = 200, description = "Changed (administrators)", body = UploadLimits)))]
pub async fn set_limits(
    State(state): State<AppState>,
    Caller(session): Caller,
    Body(limits): Body<UploadLimits>,
) -> RestResult<Json<UploadLimits>> {
    Ok(Json(
        attachments::set_limits(&state.db, &session.actor, limits).await?,
    ))
}

#[derive(serde::Deserialize)]
pub struct LinkQuery {
    exp: Option<i64>,
    sig: Option<String>,
}

/// The policy a served file runs under: nothing of it may run, load or
/// be framed, even if a browser were to render it as a page.
const FILE_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/// `GET /files/{id}/{variant}`: the bytes, to a valid signed link or to a
/// signed-in person who may see the file. Anything else is "not found".
pub async fn download(
    State(state): State<AppState>,
    session: Option<axum::Extension<app::web::Session>>,
    axum::extract::Path((id, variant)): axum::extract::Path<(String, String)>,
    axum::extract::Query(link): axum::extract::Query<LinkQuery>,
    headers: HeaderMap,
) -> Response {
    match serve_file(&state, session.map(|s| s.0), &id, &variant, link, &headers).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn serve_file(
    state: &AppState,
    session: Option<app::web::Session>,
    id: &str,
    variant: &str,
    link: LinkQuery,
    headers: &HeaderMap,
) -> Result<Response, RestError> {
    let (Ok(id), Ok(variant)) = (id.parse::<Uuid>(), variant.parse::<Variant>()) else {
        return Err(Refusal::NotFound.into());
    };
    let asker = match (link.exp, link.sig.as_deref(), &session) {
        (Some(exp), Some(sig), _) => {
            if !state.files.signature_holds(id, variant, exp, sig) {
                return Err(Refusal::NotFound.into());
            }
            if exp < chrono::Utc::now().timestamp() {
                return Err(Refusal::LinkExpired.into());
            }
            Asker::SignedLink
        }
        (None, None, Some(s)) => Asker::Person(&s.actor),
        _ => return Err(Refusal::NotFound.into()),
    };
    let file = attachments::open(&state.db, asker, id, variant).await?;
    let etag = format!("\"{}\"", file.sha256);
    let inline = variant == Variant::Thumb || file.kind.is_image();
    let disposition = format!(
        "{}; filename*=UTF-8''{}",
        if inline { "inline" } else { "attachment" },
        percent_encode(&file.name)
    );
    let mut response = if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let stream = state
            .files
            .get(&file.sha256)
            .await
            .map_err(|e| app::services::ServiceError::Internal(e.to_string()))?;
        let mut r = axum::body::Body::from_stream(stream).into_response();
        if file.size > 0 {
            r.headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(file.size));
        }
        r
    };
    let h = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    set(header::CONTENT_TYPE, file.kind.mime());
    set(header::CONTENT_DISPOSITION, &disposition);
    set(header::CONTENT_SECURITY_POLICY, FILE_CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::CACHE_CONTROL, "private, max-age=300");
    set(header::ETAG, &etag);
    Ok(response)
}

/// RFC 5987 encoding of a file name for `filename*`.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
