//! Changing assets: register, edit, and the actions of their life (check
//! out and in, move, maintenance, retire), each one transaction with a
//! version check and a history row.

use super::{load, may_manage, record, stale, unique_violation, version_required, Note};
use crate::domain::asset::{
    allowed, AssetAction, AssetCommand, AssetDetail, AssetPatch, AssetState, AssetStatus, NewAsset,
};
use crate::domain::events::SystemNote;
use crate::domain::{Actor, Current, FieldError, FieldErrors, Refusal};
use crate::services::{Db, ServiceError};
use chrono::NaiveDate;
use sqlx::PgConnection;
use uuid::Uuid;

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
