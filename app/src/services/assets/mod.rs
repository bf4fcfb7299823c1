//! Assets: register, edit, hand out, take back, maintain, retire. Every
//! change is one transaction that checks the version, writes the row and a
//! history row.

mod actions;
mod list;

pub(crate) use actions::hand_out;
pub use actions::{act, create, update};
pub use list::{available, export, list, people, ExportRow};

use super::{Db, ServiceError};
use crate::domain::asset::{
    AssetAction, AssetCategory, AssetCondition, AssetDetail, AssetHistoryEntry, AssetStatus,
    MaintenanceView,
};
use crate::domain::errors::Entity;
use crate::domain::events::SystemNote;
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

/// One asset: any for GA staff, only one they hold for anyone else (another
/// person's asset is "not found", as with tickets).
pub async fn get(db: &Db, actor: &Actor, id: Uuid) -> Result<AssetDetail, ServiceError> {
    may_read(actor)?;
    let mut conn = db.acquire().await?;
    let asset = load(&mut conn, id, false).await?;
    let holds = asset.holder.as_ref().is_some_and(|h| h.id == actor.id);
    if !actor.can(Permission::AssetsManage) && !holds {
        return Err(Refusal::NotFound.into());
    }
    Ok(asset)
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
    // Also answers "not found" for assets the caller may not see.
    get(db, actor, id).await?;
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

/// A pool car back from a trip: its odometer reading goes on the asset and
/// into its history (with the booking's transaction).
pub async fn odometer_read(
    conn: &mut PgConnection,
    actor: &Actor,
    asset: Uuid,
    km: i32,
) -> Result<(), ServiceError> {
    let row: Option<(i32, AssetStatus)> = sqlx::query_as(
        "update assets set version = version + 1, updated_at = now(),
                odometer_km = greatest(coalesce(odometer_km, 0), $2)
          where id = $1 returning version, status",
    )
    .bind(asset)
    .bind(km)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((version, status)) = row else {
        return Ok(());
    };
    record(
        conn,
        asset,
        version,
        actor,
        AssetAction::Trip,
        Some(status),
        status,
        &[],
        None,
        None,
        Note {
            text: "",
            system: Some(SystemNote::Odometer { km }),
        },
    )
    .await
}
