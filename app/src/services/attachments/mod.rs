//! Photos and documents on tickets, comments and assets: who may attach,
//! see and remove them, and the bookkeeping of their bytes (a blob per
//! content, removed by a job once nothing points at it).

pub mod intake;
pub mod store;

use super::activity::{insert_comment, NewComment, MAX_COMMENT};
use super::tickets::ensure_visible;
use super::{Db, ServiceError};
use crate::domain::asset::AssetAction;
use crate::domain::attachment::{Attachment, FileKind, UploadLimits, Variant};
use crate::domain::errors::check_text;
use crate::domain::ticket::{Comment, TicketStatus};
use crate::domain::{Actor, FieldErrors, Permission, Refusal, UserRef};
use chrono::{DateTime, Utc};
use intake::Received;
use sqlx::PgConnection;
use store::Files;
use uuid::Uuid;

pub use crate::domain::attachment::Owner;

/// A blob nobody points at is removed only after this long, so an upload
/// whose bytes are stored but whose row is not yet written keeps them.
pub const SWEEP_GRACE_SECS: i64 = 60 * 60;

fn is_ticket_staff(actor: &Actor) -> bool {
    actor.can(Permission::TicketsReadAll)
}

pub async fn limits(db: &Db) -> Result<UploadLimits, ServiceError> {
    Ok(
        sqlx::query_as("select max_file_mb, max_files from attachment_settings")
            .fetch_one(db)
            .await?,
    )
}

/// Admins set the caps.
pub async fn set_limits(
    db: &Db,
    actor: &Actor,
    limits: UploadLimits,
) -> Result<UploadLimits, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(Refusal::PolicyAdminOnly.into());
    }
    let limits = limits.check()?;
    let before = self::limits(db).await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "update attachment_settings set max_file_mb = $1, max_files = $2, version = version + 1",
    )
    .bind(limits.max_file_mb)
    .bind(limits.max_files)
    .execute(&mut *tx)
    .await?;
    if before != limits {
        use crate::domain::events::{SecurityDetail, SecurityKind};
        crate::services::audit::record(
            &mut tx,
            crate::services::audit::Event::new(SecurityKind::PolicyChanged)
                .actor(actor.id)
                .email(&actor.email)
                .detail(SecurityDetail::UploadLimitsChanged {
                    max_file_mb: limits.max_file_mb,
                    max_files: limits.max_files,
                }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(limits)
}

/// Whether an owner may take files now and who may see it: for a ticket,
/// the reader must see the ticket; for an asset, GA staff manage files.
async fn check_owner(db: &Db, actor: &Actor, owner: Owner) -> Result<(), ServiceError> {
    match owner {
        Owner::Ticket(id) => ensure_visible(db, actor, id).await,
        Owner::Asset(id) => super::assets::get(db, actor, id).await.map(|_| ()),
    }
}

/// What a person sends with their files.
#[derive(Debug, Default)]
pub struct Upload {
    pub files: Vec<Received>,
    /// Text of a comment the files come with.
    pub comment: Option<String>,
    /// Staff-only files (with an internal note, or on their own).
    pub internal: bool,
}

/// Checks who may attach and how many, before any byte is stored.
pub async fn precheck(
    db: &Db,
    actor: &Actor,
    owner: Owner,
    internal: bool,
    count: usize,
) -> Result<UploadLimits, ServiceError> {
    check_owner(db, actor, owner).await?;
    let limits = limits(db).await?;
    match owner {
        Owner::Ticket(_) if internal && !is_ticket_staff(actor) => {
            return Err(Refusal::InternalNotesStaffOnly.into())
        }
        Owner::Asset(_) if !actor.can(Permission::AssetsManage) => {
            return Err(Refusal::AssetsStaffOnly.into())
        }
        _ => {}
    }
    let mut conn = db.acquire().await?;
    let held = lock_owner(&mut conn, owner, false).await?;
    if held.closed {
        return Err(closed_refusal(owner));
    }
    if held.files + count as i64 > limits.max_files as i64 {
        return Err(Refusal::TooManyFiles {
            max: limits.max_files,
        }
        .into());
    }
    Ok(limits)
}

fn closed_refusal(owner: Owner) -> ServiceError {
    match owner {
        Owner::Ticket(_) => Refusal::AttachmentsClosed.into(),
        Owner::Asset(_) => Refusal::AssetRetired.into(),
    }
}

struct Held {
    closed: bool,
    files: i64,
    version: i32,
    status: String,
}

/// The owner's state and file count; `lock` takes its row lock, so two
/// uploads cannot both pass the cap.
const TICKET_FILES: &str = "select count(*) from attachments where ticket_id = $1";
const ASSET_FILES: &str = "select count(*) from attachments where asset_id = $1";

async fn lock_owner(
    conn: &mut PgConnection,
    owner: Owner,
    lock: bool,
) -> Result<Held, ServiceError> {
    // The count is a statement of its own, after the lock: a subquery in
    // the locking statement would count with the snapshot taken before
    // waiting for the lock, and miss the files of the upload that held it.
    let (head, count, id) = match (owner, lock) {
        (Owner::Ticket(id), true) => (
            "select status, version from tickets where id = $1 for update",
            TICKET_FILES,
            id,
        ),
        (Owner::Ticket(id), false) => (
            "select status, version from tickets where id = $1",
            TICKET_FILES,
            id,
        ),
        (Owner::Asset(id), true) => (
            "select status, version from assets where id = $1 for update",
            ASSET_FILES,
            id,
        ),
        (Owner::Asset(id), false) => (
            "select status, version from assets where id = $1",
            ASSET_FILES,
            id,
        ),
    };
    let row: Option<(String, i32)> = sqlx::query_as(head)
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    let (status, version) = row.ok_or(Refusal::NotFound)?;
    let files: i64 = sqlx::query_scalar(count)
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let closed = match owner {
        Owner::Ticket(_) => status
            .parse::<TicketStatus>()
            .map_or(true, TicketStatus::is_final),
        Owner::Asset(_) => status == "retired",
    };
    Ok(Held {
        closed,
        files,
        version,
        status,
    })
}

/// Marks blobs as in use now (so the sweeper leaves them alone) and
/// stores their bytes. Committed on its own, before the rows that point
/// at the blobs.
async fn store_bytes(db: &Db, files: &Files, received: &[Received]) -> Result<(), ServiceError> {
    let mut shas = Vec::new();
    let mut sizes = Vec::new();
    for r in received {
        shas.push(r.sha256.clone());
        sizes.push(r.size);
        if let Some(p) = &r.picture {
            shas.push(p.thumb_sha256.clone());
            sizes.push(p.thumb.len() as i64);
        }
    }
    sqlx::query(
        "insert into blobs (sha256, size) select * from unnest($1::text[], $2::bigint[])
         on conflict (sha256) do update set touched_at = now()",
    )
    .bind(&shas)
    .bind(&sizes)
    .execute(db)
    .await?;
    let store_failed = |e: store::StoreError| ServiceError::Internal(e.to_string());
    for r in received {
        files
            .put_file(&r.sha256, r.file.path())
            .await
            .map_err(store_failed)?;
        if let Some(p) = &r.picture {
            files
                .put_bytes(&p.thumb_sha256, p.thumb.clone())
                .await
                .map_err(store_failed)?;
        }
    }
    Ok(())
}

/// What an upload made: the files, and the comment they came with.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct Attached {
    pub attachments: Vec<Attachment>,
    pub comment: Option<Comment>,
}

/// Stores the files and attaches them, with a history entry (and the
/// comment, when one came with them) in one transaction.
pub async fn attach(
    db: &Db,
    files: &Files,
    actor: &Actor,
    owner: Owner,
    upload: Upload,
) -> Result<Attached, ServiceError> {
    if upload.files.is_empty() {
        return Err(Refusal::NoFiles.into());
    }
    let comment = match (&upload.comment, owner) {
        (Some(body), Owner::Ticket(_)) if !body.trim().is_empty() => {
            let mut errors = FieldErrors::new();
            check_text(&mut errors, "comment", body, true, MAX_COMMENT);
            errors.into_result(())?;
            Some(NewComment {
                body: body.clone(),
                internal: upload.internal,
            })
        }
        _ => None,
    };
    let limits = precheck(db, actor, owner, upload.internal, upload.files.len()).await?;
    store_bytes(db, files, &upload.files).await?;

    let mut tx = db.begin().await?;
    let held = lock_owner(&mut tx, owner, true).await?;
    if held.closed {
        return Err(closed_refusal(owner));
    }
    if held.files + upload.files.len() as i64 > limits.max_files as i64 {
        return Err(Refusal::TooManyFiles {
            max: limits.max_files,
        }
        .into());
    }
    let comment = match (comment, owner) {
        (Some(c), Owner::Ticket(ticket)) => Some(insert_comment(&mut tx, actor, ticket, &c).await?),
        _ => None,
    };
    let (ticket_id, asset_id) = match owner {
        Owner::Ticket(t) => (Some(t), None),
        Owner::Asset(a) => (None, Some(a)),
    };
    let mut ids = Vec::new();
    for r in &upload.files {
        let id = Uuid::now_v7();
        sqlx::query(
            "insert into attachments (id, ticket_id, comment_id, asset_id, internal, name, kind, size,
                                      blob, thumb, width, height, uploaded_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(id)
        .bind(ticket_id)
        .bind(comment.as_ref().map(|c| c.id))
        .bind(asset_id)
        .bind(upload.internal && ticket_id.is_some())
        .bind(&r.name)
        .bind(r.kind)
        .bind(r.size)
        .bind(&r.sha256)
        .bind(r.picture.as_ref().map(|p| &p.thumb_sha256))
        .bind(r.picture.as_ref().map(|p| p.width))
        .bind(r.picture.as_ref().map(|p| p.height))
        .bind(actor.id)
        .execute(&mut *tx)
        .await?;
        ids.push(id);
    }
    let names: Vec<&str> = upload.files.iter().map(|r| r.name.as_str()).collect();
    write_history(&mut tx, actor, owner, &held, true, &names, upload.internal).await?;
    tx.commit().await?;
    let mut attachments = list(db, files, actor, owner).await?;
    attachments.retain(|a| ids.contains(&a.id));
    Ok(Attached {
        attachments,
        comment,
    })
}

/// One history entry per attach or remove: the owner's version moves on,
/// as for any other change of it.
async fn write_history(
    conn: &mut PgConnection,
    actor: &Actor,
    owner: Owner,
    held: &Held,
    attached: bool,
    names: &[&str],
    internal: bool,
) -> Result<(), ServiceError> {
    let mut note = names.join(", ");
    if note.chars().count() > 2000 {
        note = note.chars().take(1999).collect::<String>() + "…";
    }
    let version = held.version + 1;
    match owner {
        Owner::Ticket(id) => {
            sqlx::query("update tickets set version = $2, updated_at = now() where id = $1")
                .bind(id)
                .bind(version)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "insert into ticket_history (ticket_id, version, actor_id, action, from_status, to_status,
                                             changed_fields, note, internal)
                 values ($1, $2, $3, $4, $5, $5, '{attachments}', $6, $7)",
            )
            .bind(id)
            .bind(version)
            .bind(actor.id)
            .bind(if attached { "attach" } else { "remove_attachment" })
            .bind(&held.status)
            .bind(note)
            .bind(internal)
            .execute(&mut *conn)
            .await?;
        }
        Owner::Asset(id) => {
            sqlx::query("update assets set version = $2, updated_at = now() where id = $1")
                .bind(id)
                .bind(version)
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "insert into asset_history (asset_id, version, actor_id, action, from_status, to_status,
                                            changed_fields, note)
                 values ($1, $2, $3, $4, $5, $5, '{attachments}', $6)",
            )
            .bind(id)
            .bind(version)
            .bind(actor.id)
            .bind(if attached {
                AssetAction::Attach
            } else {
                AssetAction::RemoveAttachment
            })
            .bind(&held.status)
            .bind(note)
            .execute(&mut *conn)
            .await?;
        }
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    ticket_id: Option<Uuid>,
    comment_id: Option<Uuid>,
    internal: bool,
    name: String,
    kind: FileKind,
    size: i64,
    thumb: Option<String>,
    width: Option<i32>,
    height: Option<i32>,
    uploaded_by: Uuid,
    uploader_name: String,
    uploader_email: String,
    created_at: DateTime<Utc>,
}

const SELECT: &str = "select a.id, a.ticket_id, a.comment_id, a.internal, a.name, a.kind, a.size, a.thumb,
        a.width, a.height, a.uploaded_by, u.name as uploader_name, u.email as uploader_email, a.created_at
   from attachments a join users u on u.id = a.uploaded_by";

fn may_remove(actor: &Actor, row: &Row, open: bool) -> bool {
    let staff = if row.ticket_id.is_some() {
        actor.can(Permission::TicketsFulfil) || actor.can(Permission::TicketsAssign)
    } else {
        actor.can(Permission::AssetsManage)
    };
    open && (staff || row.uploaded_by == actor.id)
}

fn to_view(files: &Files, actor: &Actor, row: Row, open: bool, now: i64) -> Attachment {
    Attachment {
        url: files.signed_url(row.id, Variant::Original, now),
        thumb_url: row
            .thumb
            .as_ref()
            .map(|_| files.signed_url(row.id, Variant::Thumb, now)),
        removable: may_remove(actor, &row, open),
        id: row.id,
        name: row.name,
        kind: row.kind,
        size: row.size,
        width: row.width,
        height: row.height,
        comment_id: row.comment_id,
        internal: row.internal,
        uploaded_by: UserRef {
            id: row.uploaded_by,
            name: row.uploader_name,
            email: row.uploader_email,
        },
        at: row.created_at,
    }
}

/// The files on a ticket or asset the actor may see, oldest first, each
/// with fresh signed links. Another person's ticket is "not found".
pub async fn list(
    db: &Db,
    files: &Files,
    actor: &Actor,
    owner: Owner,
) -> Result<Vec<Attachment>, ServiceError> {
    check_owner(db, actor, owner).await?;
    let mut conn = db.acquire().await?;
    let open = !lock_owner(&mut conn, owner, false).await?.closed;
    let rows: Vec<Row> = match owner {
        Owner::Ticket(id) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} where a.ticket_id = $1 and (not a.internal or $2) order by a.created_at, a.id"
            )))
            .bind(id)
            .bind(is_ticket_staff(actor))
            .fetch_all(&mut *conn)
            .await?
        }
        Owner::Asset(id) => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "{SELECT} where a.asset_id = $1 order by a.created_at, a.id"
            )))
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
        }
    };
    let now = Utc::now().timestamp();
    Ok(rows
        .into_iter()
        .map(|r| to_view(files, actor, r, open, now))
        .collect())
}

/// Removes one file (the uploader or GA staff, while the owner is open).
/// Its bytes go later, with the sweeper, if nothing else uses them.
pub async fn remove(db: &Db, actor: &Actor, owner: Owner, id: Uuid) -> Result<(), ServiceError> {
    check_owner(db, actor, owner).await?;
    let mut tx = db.begin().await?;
    let held = lock_owner(&mut tx, owner, true).await?;
    let (ticket_id, asset_id) = match owner {
        Owner::Ticket(t) => (Some(t), None),
        Owner::Asset(a) => (None, Some(a)),
    };
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} where a.id = $1 and a.ticket_id is not distinct from $2
           and a.asset_id is not distinct from $3 and (not a.internal or $4)"
    )))
    .bind(id)
    .bind(ticket_id)
    .bind(asset_id)
    .bind(is_ticket_staff(actor))
    .fetch_optional(&mut *tx)
    .await?;
    let row = row.ok_or(Refusal::NotFound)?;
    if held.closed {
        return Err(closed_refusal(owner));
    }
    if !may_remove(actor, &row, true) {
        return Err(Refusal::AttachmentRemoveNotAllowed.into());
    }
    sqlx::query("delete from attachments where id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    write_history(
        &mut tx,
        actor,
        owner,
        &held,
        false,
        &[&row.name],
        row.internal,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What a download serves.
#[derive(Debug)]
pub struct Download {
    pub name: String,
    pub kind: FileKind,
    pub sha256: String,
    pub size: i64,
    pub variant: Variant,
}

/// Who asks for a file: a signed link (checked by the caller), or a
/// signed-in person who must be allowed to see the file's ticket or asset.
pub enum Asker<'a> {
    SignedLink,
    Person(&'a Actor),
}

/// A file's row, as a download needs it.
#[derive(sqlx::FromRow)]
struct Stored {
    ticket_id: Option<Uuid>,
    asset_id: Option<Uuid>,
    internal: bool,
    name: String,
    kind: FileKind,
    blob: String,
    thumb: Option<String>,
    size: i64,
}

pub async fn open(
    db: &Db,
    asker: Asker<'_>,
    id: Uuid,
    variant: Variant,
) -> Result<Download, ServiceError> {
    let row: Option<Stored> = sqlx::query_as(
        "select ticket_id, asset_id, internal, name, kind, blob, thumb, size from attachments where id = $1",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    let Stored {
        ticket_id: ticket,
        asset_id: asset,
        internal,
        name,
        kind,
        blob,
        thumb,
        size,
    } = row.ok_or(Refusal::NotFound)?;
    if let Asker::Person(actor) = asker {
        match (ticket, asset) {
            (Some(t), _) => {
                ensure_visible(db, actor, t).await?;
                if internal && !is_ticket_staff(actor) {
                    return Err(Refusal::NotFound.into());
                }
            }
            (_, Some(a)) => {
                super::assets::get(db, actor, a).await?;
            }
            _ => return Err(Refusal::NotFound.into()),
        }
    }
    Ok(match variant {
        Variant::Original => Download {
            name,
            kind,
            sha256: blob,
            size,
            variant,
        },
        Variant::Thumb => Download {
            name,
            kind: FileKind::Webp,
            sha256: thumb.ok_or(Refusal::NotFound)?,
            size: 0,
            variant,
        },
    })
}

/// How many files the reader sees on each of these tickets.
pub async fn counts(
    db: &Db,
    actor: &Actor,
    tickets: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, i64>, ServiceError> {
    let rows: Vec<(Uuid, i64)> = sqlx::query_as(
        "select ticket_id, count(*) from attachments
          where ticket_id = any($1) and (not internal or $2) group by ticket_id",
    )
    .bind(tickets)
    .bind(is_ticket_staff(actor))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

/// Removes the bytes of blobs nothing has pointed at for the grace
/// period; returns how many went. Safe to run on every instance at once.
pub async fn sweep(db: &Db, files: &Files, grace_secs: i64) -> Result<usize, ServiceError> {
    let mut gone = 0;
    loop {
        let mut tx = db.begin().await?;
        let doomed: Vec<(String,)> = sqlx::query_as(
            "select b.sha256 from blobs b
              where b.touched_at < now() - make_interval(secs => $1)
                and not exists (select 1 from attachments a where a.blob = b.sha256)
                and not exists (select 1 from attachments a where a.thumb = b.sha256)
              for update skip locked limit 200",
        )
        .bind(grace_secs as f64)
        .fetch_all(&mut *tx)
        .await?;
        if doomed.is_empty() {
            return Ok(gone);
        }
        for (sha,) in &doomed {
            files
                .delete(sha)
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
        }
        let shas: Vec<String> = doomed.into_iter().map(|(s,)| s).collect();
        sqlx::query("delete from blobs where sha256 = any($1)")
            .bind(&shas)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        gone += shas.len();
    }
}
