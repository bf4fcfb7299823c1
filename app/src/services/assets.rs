//! Assets: register, edit, hand out, take back, maintain, retire. Every
//! change is one transaction that checks the version, writes the row and a
//! history row.

use super::cursor::CursorKey;
use super::{Db, ServiceError};
use crate::domain::asset::{
    allowed, AssetAction, AssetCategory, AssetCommand, AssetCondition, AssetDetail,
    AssetHistoryEntry, AssetPatch, AssetQuery, AssetState, AssetStatus, AssetSummary,
    MaintenanceView, NewAsset,
};
use crate::domain::errors::Entity;
use crate::domain::events::SystemNote;
use crate::domain::page::{page_size, Page};
use crate::domain::{Actor, Current, FieldError, FieldErrors, Money, Permission, Refusal, UserRef};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

const MAX_EXPORT_ROWS: i64 = 50_000;

fn may_read(actor: &Actor) -> Result<(), ServiceError> {
    if actor.can(Permission::AssetsRead) {
        Ok(())
    } else {
        Err(Refusal::CannotReadAssets.into())
    }
}

fn may_manage(actor: &Actor) -> Result<(), ServiceError> {
    if actor.can(Permission::AssetsManage) {
        Ok(())
    } else {
        Err(Refusal::AssetsStaffOnly.into())
    }
}

fn version_required() -> ServiceError {
    ServiceError::Validation(FieldErrors::single(
        "version",
        FieldError::VersionRequired { of: Entity::Asset },
    ))
}

/// A stale version: 409 with the asset as it is now.
fn stale(current: AssetDetail) -> ServiceError {
    ServiceError::stale(Current::Asset(Box::new(current)))
}

/// A list row with the key its page continues after.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    summary: AssetSummary,
    created_at: DateTime<Utc>,
}

/// A search or filter text: trimmed, at most `max` characters, no control
/// characters (PostgreSQL text cannot even hold a NUL byte); blank is none.
pub(crate) fn filter_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ServiceError> {
    let Some(v) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if v.chars().count() > max {
        return Err(ServiceError::Validation(FieldErrors::single(
            field,
            FieldError::TooLong { max: max as u32 },
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(ServiceError::Validation(FieldErrors::single(
            field,
            FieldError::ControlCharacters,
        )));
    }
    Ok(Some(v.to_string()))
}

/// An ILIKE pattern matching `text` anywhere, with its wildcards escaped.
pub(crate) fn like(text: &str) -> String {
    format!(
        "%{}%",
        text.replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_")
    )
}

fn push_filters(
    qb: &mut sqlx::QueryBuilder<sqlx::Postgres>,
    actor: &Actor,
    query: &AssetQuery,
) -> Result<(), ServiceError> {
    qb.push(" where true");
    if query.mine {
        qb.push(" and a.holder_id = ").push_bind(actor.id);
    }
    if let Some(h) = query.holder {
        qb.push(" and a.holder_id = ").push_bind(h);
    }
    if let Some(s) = query.status {
        qb.push(" and a.status = ").push_bind(s.as_str());
    }
    if let Some(c) = query.category {
        qb.push(" and a.category = ").push_bind(c.as_str());
    }
    if let Some(l) = filter_text("location", query.location.as_deref(), 200)? {
        qb.push(" and a.location ilike ").push_bind(like(&l));
    }
    if let Some(days) = query.warranty_days {
        if days > 3650 {
            return Err(ServiceError::Validation(FieldErrors::single(
                "warranty_days",
                FieldError::WholeNumber { min: 0, max: 3650 },
            )));
        }
        qb.push(
            " and a.status <> 'retired' and a.warranty_end >= (now() at time zone 'Asia/Jakarta')::date
              and a.warranty_end <= (now() at time zone 'Asia/Jakarta')::date + ",
        )
        .push_bind(days as i32);
    }
    if let Some(q) = filter_text("q", query.q.as_deref(), 100)? {
        // Words match anywhere (tag, name, serial, location); an exact tag or
        // serial also matches as typed.
        qb.push(" and (a.search @@ websearch_to_tsquery('simple', ")
            .push_bind(q.to_string())
            .push(") or upper(a.tag) = ")
            .push_bind(q.to_ascii_uppercase())
            .push(" or lower(a.serial_number) = ")
            .push_bind(q.to_lowercase())
            .push(")");
    }
    Ok(())
}

const SUMMARY_SELECT: &str =
    "select a.id, a.tag, a.name, a.category, a.condition, a.status, a.location,
        h.name as holder_name, a.warranty_end, a.version, a.created_at
   from assets a left join users h on h.id = a.holder_id";

/// Assets with filters and search, newest first, one keyset page at a time.
pub async fn list(
    db: &Db,
    keys: &CursorKey,
    actor: &Actor,
    query: &AssetQuery,
) -> Result<Page<AssetSummary>, ServiceError> {
    may_read(actor)?;
    let limit = page_size(query.limit)?;
    let mut qb = sqlx::QueryBuilder::new(SUMMARY_SELECT);
    push_filters(&mut qb, actor, query)?;
    if let Some(c) = query.cursor.as_deref().filter(|c| !c.is_empty()) {
        let (at, id) = keys.decode_time_id(c)?;
        qb.push(" and (a.created_at, a.id) < (")
            .push_bind(at)
            .push(", ")
            .push_bind(id)
            .push(")");
    }
    qb.push(" order by a.created_at desc, a.id desc limit ")
        .push_bind(i64::from(limit) + 1);
    let mut rows: Vec<SummaryRow> = qb.build_query_as().fetch_all(db).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(keys.encode_time_id(last.created_at, last.summary.id)),
        _ => None,
    };
    Ok(Page {
        items: rows.into_iter().map(|r| r.summary).collect(),
        next_cursor,
    })
}

/// One asset as the CSV export lists it.
#[derive(sqlx::FromRow)]
pub struct ExportRow {
    pub tag: String,
    pub name: String,
    pub category: AssetCategory,
    pub serial_number: Option<String>,
    pub condition: AssetCondition,
    pub status: AssetStatus,
    pub location: String,
    pub holder_name: Option<String>,
    pub holder_email: Option<String>,
    pub purchase_date: Option<NaiveDate>,
    pub purchase_price: Option<Money>,
    pub warranty_end: Option<NaiveDate>,
}

/// The filtered assets for the CSV export (all pages, at most 50 000 rows).
pub async fn export(
    db: &Db,
    actor: &Actor,
    query: &AssetQuery,
) -> Result<Vec<ExportRow>, ServiceError> {
    may_read(actor)?;
    let mut qb = sqlx::QueryBuilder::new(
        "select a.tag, a.name, a.category, a.serial_number, a.condition, a.status, a.location,
                h.name as holder_name, h.email as holder_email, a.purchase_date, a.purchase_price,
                a.warranty_end
           from assets a left join users h on h.id = a.holder_id",
    );
    push_filters(&mut qb, actor, query)?;
    qb.push(" order by a.created_at desc, a.id desc limit ")
        .push_bind(MAX_EXPORT_ROWS);
    Ok(qb.build_query_as().fetch_all(db).await?)
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: Uuid,
    tag: String,
    name: String,
    category: AssetCategory,
    serial_number: Option<String>,
    condition: AssetCondition,
    location: String,
    status: AssetStatus,
    holder_id: Option<Uuid>,
    holder_name: Option<String>,
    holder_email: Option<String>,
    purchase_date: Option<NaiveDate>,
    purchase_price: Option<Money>,
    warranty_end: Option<NaiveDate>,
    notes: String,
    retired_reason: Option<String>,
    maintenance: Json<Vec<MaintenanceView>>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl DetailRow {
    fn into_detail(self) -> AssetDetail {
        let holder = match (self.holder_id, self.holder_name, self.holder_email) {
            (Some(id), Some(name), Some(email)) => Some(UserRef { id, name, email }),
            _ => None,
        };
        AssetDetail {
            id: self.id,
            tag: self.tag,
            name: self.name,
            category: self.category,
            serial_number: self.serial_number,
            condition: self.condition,
            location: self.location,
            status: self.status,
            holder,
            purchase_date: self.purchase_date,
            purchase_price: self.purchase_price,
            warranty_end: self.warranty_end,
            notes: self.notes,
            retired_reason: self.retired_reason,
            maintenance: self.maintenance.0,
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

async fn load(conn: &mut PgConnection, id: Uuid, lock: bool) -> Result<AssetDetail, ServiceError> {
    let sql = format!(
        "select a.id, a.tag, a.name, a.category, a.serial_number, a.condition, a.location, a.status,
                a.holder_id, h.name as holder_name, h.email as holder_email, a.purchase_date,
                a.purchase_price, a.warranty_end, a.notes, a.retired_reason, a.version,
                a.created_at, a.updated_at,
                coalesce((select json_agg(json_build_object(
                     'vendor', m.vendor, 'cost', m.cost::text, 'sent_on', m.sent_on,
                     'expected_back', m.expected_back, 'returned_on', m.returned_on, 'note', m.note)
                     order by m.id desc)
                  from asset_maintenance m where m.asset_id = a.id), '[]'::json) as maintenance
           from assets a left join users h on h.id = a.holder_id
          where a.id = $1 {}",
        if lock { "for update of a" } else { "" }
    );
    let row: Option<DetailRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row
        .ok_or(ServiceError::Refused(Refusal::NotFound))?
        .into_detail())
}

pub async fn get(db: &Db, actor: &Actor, id: Uuid) -> Result<AssetDetail, ServiceError> {
    may_read(actor)?;
    let mut conn = db.acquire().await?;
    load(&mut conn, id, false).await
}

#[derive(sqlx::FromRow)]
struct HistoryRow {
    version: i32,
    action: AssetAction,
    actor_name: String,
    from_status: Option<AssetStatus>,
    to_status: AssetStatus,
    changed_fields: Vec<String>,
    holder_name: Option<String>,
    ticket_id: Option<Uuid>,
    ticket_number: Option<String>,
    note: String,
    system_note: Option<Json<SystemNote>>,
    created_at: DateTime<Utc>,
}

/// Everything that happened to an asset, newest first.
pub async fn history(
    db: &Db,
    actor: &Actor,
    id: Uuid,
) -> Result<Vec<AssetHistoryEntry>, ServiceError> {
    may_read(actor)?;
    let rows: Vec<HistoryRow> = sqlx::query_as(
        "select ah.version, ah.action, u.name as actor_name, ah.from_status, ah.to_status,
                ah.changed_fields, h.name as holder_name, ah.ticket_id, t.number as ticket_number,
                ah.note, ah.system_note, ah.created_at
           from asset_history ah join users u on u.id = ah.actor_id
           left join users h on h.id = ah.holder_id
           left join tickets t on t.id = ah.ticket_id
          where ah.asset_id = $1 order by ah.version desc",
    )
    .bind(id)
    .fetch_all(db)
    .await?;
    if rows.is_empty() {
        // Every asset has its registration row, so none means no asset.
        get(db, actor, id).await?;
    }
    Ok(rows
        .into_iter()
        .map(|r| AssetHistoryEntry {
            version: r.version,
            action: r.action,
            actor_name: r.actor_name,
            from_status: r.from_status,
            to_status: r.to_status,
            changed_fields: r.changed_fields,
            holder_name: r.holder_name,
            ticket_id: r.ticket_id,
            ticket_number: r.ticket_number,
            note: r.note,
            system_note: r.system_note.map(|n| n.0),
            at: r.created_at,
        })
        .collect())
}

/// What a history row says: the person's note and what GA Desk noted.
#[derive(Default)]
struct Note<'a> {
    text: &'a str,
    system: Option<SystemNote>,
}

#[allow(clippy::too_many_arguments)]
async fn record(
    conn: &mut PgConnection,
    asset: Uuid,
    version: i32,
    actor: &Actor,
    action: AssetAction,
    from: Option<AssetStatus>,
    to: AssetStatus,
    fields: &[String],
    holder: Option<Uuid>,
    ticket: Option<Uuid>,
    note: Note<'_>,
) -> Result<(), ServiceError> {
    sqlx::query(
        "insert into asset_history (asset_id, version, actor_id, action, from_status, to_status,
                                    changed_fields, holder_id, ticket_id, note, system_note)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(asset)
    .bind(version)
    .bind(actor.id)
    .bind(action)
    .bind(from)
    .bind(to)
    .bind(fields)
    .bind(holder)
    .bind(ticket)
    .bind(note.text)
    .bind(note.system.map(Json))
    .execute(conn)
    .await?;
    Ok(())
}

fn unique_violation(e: &sqlx::Error) -> Option<ServiceError> {
    let sqlx::Error::Database(d) = e else {
        return None;
    };
    match d.constraint() {
        Some("assets_tag_key") => Some(ServiceError::Validation(FieldErrors::single(
            "tag",
            FieldError::TagTaken,
        ))),
        Some("assets_serial_key") => Some(ServiceError::Validation(FieldErrors::single(
            "serial_number",
            FieldError::SerialTaken,
        ))),
        _ => None,
    }
}

/// Registers an asset (tag generated when not given).
pub async fn create(db: &Db, actor: &Actor, input: NewAsset) -> Result<AssetDetail, ServiceError> {
    may_manage(actor)?;
    let input = input.normalized();
    input.validate()?;
    let id = Uuid::now_v7();
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "insert into assets (id, tag, name, category, serial_number, condition, location,
                             purchase_date, purchase_price, warranty_end, notes)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(input.tag.as_deref())
    .bind(&input.name)
    .bind(input.category)
    .bind(input.serial_number.as_deref())
    .bind(input.condition)
    .bind(&input.location)
    .bind(input.purchase_date)
    .bind(input.purchase_price)
    .bind(input.warranty_end)
    .bind(&input.notes)
    .execute(&mut *tx)
    .await;
    if let Err(e) = &inserted {
        if let Some(mapped) = unique_violation(e) {
            return Err(mapped);
        }
    }
    inserted?;
    record(
        &mut tx,
        id,
        1,
        actor,
        AssetAction::Register,
        None,
        AssetStatus::Available,
        &[],
        None,
        None,
        Note::default(),
    )
    .await?;
    let asset = load(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(asset)
}

/// Edits descriptive fields from the version the client saw.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    patch: AssetPatch,
) -> Result<AssetDetail, ServiceError> {
    may_manage(actor)?;
    let patch = patch.normalized();
    let version = patch.version.ok_or_else(version_required)?;
    let mut tx = db.begin().await?;
    let current = load(&mut tx, id, true).await?;
    if current.version != version {
        return Err(stale(current));
    }
    allowed(current.status, current.condition, AssetAction::Edit)?;
    patch.validate(&current)?;
    let fields: Vec<String> = patch.fields().iter().map(|f| f.to_string()).collect();
    let keep = |v: &Option<Option<NaiveDate>>, now: Option<NaiveDate>| v.unwrap_or(now);
    let updated = sqlx::query(
        "update assets set name = coalesce($3, name), category = coalesce($4, category),
             serial_number = $5, condition = coalesce($6, condition), purchase_date = $7,
             purchase_price = $8, warranty_end = $9, notes = coalesce($10, notes),
             version = version + 1
         where id = $1 and version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(patch.name.as_deref())
    .bind(patch.category)
    .bind(
        patch
            .serial_number
            .clone()
            .unwrap_or(current.serial_number.clone()),
    )
    .bind(patch.condition)
    .bind(keep(&patch.purchase_date, current.purchase_date))
    .bind(patch.purchase_price.unwrap_or(current.purchase_price))
    .bind(keep(&patch.warranty_end, current.warranty_end))
    .bind(patch.notes.as_deref())
    .execute(&mut *tx)
    .await;
    if let Err(e) = &updated {
        if let Some(mapped) = unique_violation(e) {
            return Err(mapped);
        }
    }
    updated?;
    record(
        &mut tx,
        id,
        version + 1,
        actor,
        AssetAction::Edit,
        Some(current.status),
        current.status,
        &fields,
        current.holder.as_ref().map(|h| h.id),
        None,
        Note::default(),
    )
    .await?;
    let asset = load(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(asset)
}

async fn check_holder(conn: &mut PgConnection, id: Uuid) -> Result<(), ServiceError> {
    let active: Option<(bool,)> = sqlx::query_as("select active from users where id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    match active {
        Some((true,)) => Ok(()),
        _ => Err(ServiceError::Validation(FieldErrors::single(
            "holder_id",
            FieldError::ChooseHolder,
        ))),
    }
}

/// Applies an action to the locked, current asset and writes it with its
/// history row. The caller has checked the version.
async fn apply_command(
    conn: &mut PgConnection,
    actor: &Actor,
    current: &AssetDetail,
    command: &AssetCommand,
    ticket: Option<Uuid>,
    system: Option<SystemNote>,
) -> Result<(), ServiceError> {
    let before = AssetState {
        status: current.status,
        holder_id: current.holder.as_ref().map(|h| h.id),
        condition: current.condition,
        location: current.location.clone(),
        retired_reason: current.retired_reason.clone(),
    };
    let after = before.apply(command);
    let mut fields = before.changed_fields(&after);
    match command {
        AssetCommand::SendToMaintenance {
            vendor,
            cost,
            sent_on,
            expected_back,
            note,
        } => {
            sqlx::query(
                "insert into asset_maintenance (asset_id, vendor, cost, sent_on, expected_back, note, created_by)
                 values ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(current.id)
            .bind(vendor.trim())
            .bind(cost)
            .bind(sent_on)
            .bind(expected_back)
            .bind(note.trim())
            .bind(actor.id)
            .execute(&mut *conn)
            .await?;
            fields.push("maintenance".into());
        }
        AssetCommand::ReturnFromMaintenance {
            returned_on, cost, ..
        } => {
            let closed = sqlx::query(
                "update asset_maintenance set returned_on = $2, cost = coalesce($3, cost)
                 where asset_id = $1 and returned_on is null and sent_on <= $2",
            )
            .bind(current.id)
            .bind(returned_on)
            .bind(cost)
            .execute(&mut *conn)
            .await?;
            if closed.rows_affected() == 0 {
                return Err(ServiceError::Validation(FieldErrors::single(
                    "returned_on",
                    FieldError::ReturnedBeforeSent,
                )));
            }
            fields.push("maintenance".into());
        }
        _ => {}
    }
    sqlx::query(
        "update assets set status = $3, holder_id = $4, condition = $5, location = $6,
             retired_reason = $7, version = version + 1
         where id = $1 and version = $2",
    )
    .bind(current.id)
    .bind(current.version)
    .bind(after.status)
    .bind(after.holder_id)
    .bind(after.condition)
    .bind(&after.location)
    .bind(after.retired_reason.as_deref())
    .execute(&mut *conn)
    .await?;
    record(
        conn,
        current.id,
        current.version + 1,
        actor,
        command.action(),
        Some(before.status),
        after.status,
        &fields,
        after.holder_id.or(before.holder_id),
        ticket,
        Note {
            text: &command.note(),
            system,
        },
    )
    .await
}

/// Runs an action (check out, check in, move, maintenance, retire) from the
/// version the client saw. The row is locked first, so of two agents
/// checking out the same asset one wins and the other hears 409.
pub async fn act(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    version: Option<i32>,
    command: AssetCommand,
) -> Result<AssetDetail, ServiceError> {
    may_manage(actor)?;
    command.validate()?;
    let mut tx = db.begin().await?;
    let current = load(&mut tx, id, true).await?;
    let version = version.ok_or_else(version_required)?;
    if current.version != version {
        return Err(stale(current));
    }
    allowed(current.status, current.condition, command.action())?;
    if let AssetCommand::CheckOut { holder_id, .. } = &command {
        check_holder(&mut tx, *holder_id).await?;
    }
    apply_command(&mut tx, actor, &current, &command, None, None).await?;
    let asset = load(&mut tx, id, false).await?;
    tx.commit().await?;
    Ok(asset)
}

/// Completing a ticket with an asset hands it to the requester, in the
/// ticket's transaction. An asset someone else took meanwhile is a conflict.
pub(crate) async fn hand_out(
    conn: &mut PgConnection,
    actor: &Actor,
    asset: Uuid,
    requester: Uuid,
    ticket: Uuid,
    number: &str,
) -> Result<(), ServiceError> {
    let current = match load(conn, asset, true).await {
        Err(ServiceError::Refused(Refusal::NotFound)) => {
            return Err(ServiceError::Validation(FieldErrors::single(
                "asset_id",
                FieldError::NoSuchAsset,
            )))
        }
        other => other?,
    };
    if let Err(why) = allowed(current.status, current.condition, AssetAction::CheckOut) {
        return Err(ServiceError::Conflict {
            reason: Refusal::AssetCannotBeHandedOut {
                tag: current.tag.clone(),
                reason: Box::new(why),
            },
            current: Some(Current::Asset(Box::new(current))),
        });
    }
    let command = AssetCommand::CheckOut {
        holder_id: requester,
        note: String::new(),
    };
    let note = SystemNote::HandedOutFor {
        number: number.into(),
    };
    apply_command(conn, actor, &current, &command, Some(ticket), Some(note)).await
}

/// Active people to hand an asset to, by name or email (at most 20).
pub async fn people(db: &Db, actor: &Actor, q: &str) -> Result<Vec<UserRef>, ServiceError> {
    may_manage(actor)?;
    let q = filter_text("q", Some(q), 100)?.unwrap_or_default();
    let rows: Vec<(Uuid, String, String)> = sqlx::query_as(
        "select id, name, email from users
          where active and (name ilike $1 or email ilike $1) order by name limit 20",
    )
    .bind(like(&q))
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, email)| UserRef { id, name, email })
        .collect())
}

/// Available assets for the "complete with an asset" picker.
pub async fn available(
    db: &Db,
    keys: &CursorKey,
    actor: &Actor,
    q: &str,
) -> Result<Vec<AssetSummary>, ServiceError> {
    may_manage(actor)?;
    let query = AssetQuery {
        q: Some(q.to_string()).filter(|q| !q.trim().is_empty()),
        status: Some(AssetStatus::Available),
        limit: Some(20),
        ..AssetQuery::default()
    };
    Ok(list(db, keys, actor, &query)
        .await?
        .items
        .into_iter()
        .filter(|a| a.condition != AssetCondition::Broken)
        .collect())
}
