//! Consumable stock: items, movements, and the reservations approved
//! tickets hold. On hand changes only through `stock_movements` rows written
//! in the same statement sequence, so it always equals their sum; the
//! database refuses a negative count even if a rule here were wrong.

use super::cursor::CursorKey;
use super::{audit, Db, ServiceError};
use crate::domain::errors::Entity;
use crate::domain::events::SystemNote;
use crate::domain::events::{SecurityDetail, SecurityKind};
use crate::domain::page::{page_size, Page};
use crate::domain::stock::{
    is_low, Movement, MovementKind, NewMovement, NewStockItem, Shortage, StockItem, StockItemPatch,
    StockTerms,
};
use crate::domain::ticket::NewItem;
use crate::domain::{Actor, Current, FieldError, FieldErrors, Money, Permission, Refusal};
use chrono::{DateTime, Utc};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

/// Filters of the stock list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockQuery {
    pub q: Option<String>,
    pub low_only: bool,
    pub include_inactive: bool,
    pub cursor: Option<String>,
    pub limit: Option<u32>,
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: Uuid,
    sku: String,
    name: String,
    unit: String,
    location: String,
    unit_price: Money,
    on_hand: i32,
    reserved: i32,
    reorder_level: i32,
    active: bool,
    version: i32,
    updated_at: DateTime<Utc>,
}

impl ItemRow {
    fn into_item(self) -> StockItem {
        StockItem {
            id: self.id,
            available: self.on_hand - self.reserved,
            low: is_low(self.on_hand, self.reorder_level),
            sku: self.sku,
            name: self.name,
            unit: self.unit,
            location: self.location,
            unit_price: self.unit_price,
            on_hand: self.on_hand,
            reserved: self.reserved,
            reorder_level: self.reorder_level,
            active: self.active,
            version: self.version,
            updated_at: self.updated_at,
        }
    }
}

const ITEM_COLUMNS: &str = "select id, sku, name, unit, location, unit_price, on_hand, reserved,
        reorder_level, active, version, updated_at from stock_items";

fn may_read(actor: &Actor) -> Result<(), ServiceError> {
    if actor.can(Permission::AssetsRead) || actor.can(Permission::TicketsCreate) {
        Ok(())
    } else {
        Err(Refusal::CannotReadStock.into())
    }
}

fn may_manage(actor: &Actor) -> Result<(), ServiceError> {
    if actor.can(Permission::AssetsManage) {
        Ok(())
    } else {
        Err(Refusal::StockStaffOnly.into())
    }
}

/// A stale version: 409 with the item as it is now.
fn stale_item(current: StockItem) -> ServiceError {
    ServiceError::stale(Current::StockItem(Box::new(current)))
}

#[derive(serde::Serialize, serde::Deserialize)]
struct NameCursor {
    n: String,
    id: Uuid,
}

/// Stock items by name, with search (SKU or name) and a low-stock filter,
/// one keyset page at a time.
pub async fn list(
    db: &Db,
    keys: &CursorKey,
    actor: &Actor,
    query: &StockQuery,
) -> Result<Page<StockItem>, ServiceError> {
    may_read(actor)?;
    let limit = page_size(query.limit)?;
    let mut qb = sqlx::QueryBuilder::new(ITEM_COLUMNS);
    qb.push(" where true");
    if !query.include_inactive {
        qb.push(" and active");
    }
    if query.low_only {
        qb.push(" and active and on_hand <= reorder_level");
    }
    if let Some(q) = super::search::filter_text("q", query.q.as_deref(), 100)? {
        let like = super::search::like(&q);
        qb.push(" and (name ilike ")
            .push_bind(like.clone())
            .push(" or sku ilike ")
            .push_bind(like)
            .push(")");
    }
    if let Some(c) = query.cursor.as_deref().filter(|c| !c.is_empty()) {
        let c: NameCursor = serde_json::from_str(&keys.decode(c)?)
            .map_err(|_| ServiceError::Refused(Refusal::BadCursor))?;
        qb.push(" and (lower(name), id) > (")
            .push_bind(c.n)
            .push(", ")
            .push_bind(c.id)
            .push(")");
    }
    qb.push(" order by lower(name), id limit ")
        .push_bind(i64::from(limit) + 1);
    let mut rows: Vec<ItemRow> = qb.build_query_as().fetch_all(db).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let next_cursor = match (more, rows.last()) {
        (true, Some(last)) => Some(
            keys.encode(
                &serde_json::to_string(&NameCursor {
                    n: last.name.to_lowercase(),
                    id: last.id,
                })
                .map_err(|e| ServiceError::Internal(e.to_string()))?,
            ),
        ),
        _ => None,
    };
    Ok(Page {
        items: rows.into_iter().map(ItemRow::into_item).collect(),
        next_cursor,
    })
}

/// How many active items are at or below their reorder level (the agents'
/// badge).
pub async fn low_count(db: &Db, actor: &Actor) -> Result<i64, ServiceError> {
    if !actor.can(Permission::AssetsManage) {
        return Ok(0);
    }
    let (n,): (i64,) = sqlx::query_as(
        "select count(*) from stock_items where active and on_hand <= reorder_level",
    )
    .fetch_one(db)
    .await?;
    Ok(n)
}

async fn load(conn: &mut PgConnection, id: Uuid) -> Result<StockItem, ServiceError> {
    let row: Option<ItemRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{ITEM_COLUMNS} where id = $1")))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row
        .ok_or(ServiceError::Refused(Refusal::NotFound))?
        .into_item())
}

pub async fn get(db: &Db, actor: &Actor, id: Uuid) -> Result<StockItem, ServiceError> {
    may_read(actor)?;
    let mut conn = db.acquire().await?;
    load(&mut conn, id).await
}

#[derive(sqlx::FromRow)]
struct MovementRow {
    id: i64,
    kind: MovementKind,
    delta: i32,
    on_hand_after: i32,
    reason: String,
    ticket_id: Option<Uuid>,
    ticket_number: Option<String>,
    actor_name: String,
    system_note: Option<Json<SystemNote>>,
    created_at: DateTime<Utc>,
}

/// The newest movements of an item (at most 100).
pub async fn movements(db: &Db, actor: &Actor, id: Uuid) -> Result<Vec<Movement>, ServiceError> {
    may_manage(actor)?;
    movements_of(db, id, 100).await
}

fn sku_taken(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.constraint() == Some("stock_items_sku_key"))
}

/// Creates a stock item; an opening quantity is recorded as a receipt.
pub async fn create(
    db: &Db,
    actor: &Actor,
    input: NewStockItem,
) -> Result<StockItem, ServiceError> {
    may_manage(actor)?;
    let input = input.normalized();
    input.validate()?;
    let id = Uuid::now_v7();
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "insert into stock_items (id, sku, name, unit, location, unit_price, on_hand, reorder_level)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(&input.sku)
    .bind(&input.name)
    .bind(&input.unit)
    .bind(&input.location)
    .bind(input.unit_price)
    .bind(input.on_hand)
    .bind(input.reorder_level)
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if sku_taken(&e) => {
            return Err(ServiceError::Validation(FieldErrors::single(
                "sku",
                FieldError::SkuTaken,
            )))
        }
        other => other?,
    };
    if input.on_hand > 0 {
        record_movement(
            &mut tx,
            id,
            MovementKind::Receive,
            input.on_hand,
            input.on_hand,
            Reason::System(SystemNote::OpeningStock),
            None,
            actor,
        )
        .await?;
    }
    let item = load(&mut tx, id).await?;
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::StockItemChanged)
            .actor(actor.id)
            .email(&actor.email)
            .detail(SecurityDetail::StockItemCreated {
                after: StockTerms::from(&item),
            }),
    )
    .await?;
    tx.commit().await?;
    Ok(item)
}

/// Changes an item's descriptive fields from the version the client saw.
/// The security log keeps its price terms before and after.
pub async fn update(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    patch: StockItemPatch,
) -> Result<StockItem, ServiceError> {
    may_manage(actor)?;
    patch.validate()?;
    let version = patch.version.ok_or_else(|| {
        ServiceError::Validation(FieldErrors::single(
            "version",
            FieldError::VersionRequired {
                of: Entity::StockItem,
            },
        ))
    })?;
    let mut tx = db.begin().await?;
    sqlx::query("select 1 from stock_items where id = $1 for update")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let before = load(&mut tx, id).await?;
    let updated = sqlx::query(
        "update stock_items set name = coalesce($3, name), unit = coalesce($4, unit),
             location = coalesce($5, location), unit_price = coalesce($6, unit_price),
             reorder_level = coalesce($7, reorder_level), active = coalesce($8, active),
             version = version + 1
         where id = $1 and version = $2",
    )
    .bind(id)
    .bind(version)
    .bind(patch.name.as_deref().map(str::trim))
    .bind(patch.unit.as_deref().map(str::trim))
    .bind(patch.location.as_deref().map(str::trim))
    .bind(patch.unit_price)
    .bind(patch.reorder_level)
    .bind(patch.active)
    .execute(&mut *tx)
    .await?;
    let item = load(&mut tx, id).await?;
    if updated.rows_affected() == 0 {
        return Err(stale_item(item));
    }
    let (was, now) = (StockTerms::from(&before), StockTerms::from(&item));
    if was != now {
        audit::record(
            &mut tx,
            audit::Event::new(SecurityKind::StockItemChanged)
                .actor(actor.id)
                .email(&actor.email)
                .detail(SecurityDetail::StockItemChanged {
                    before: was,
                    after: now,
                }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(item)
}

/// Why stock moved: what a person wrote, or what GA Desk noted itself.
enum Reason<'a> {
    Person(&'a str),
    System(SystemNote),
}

#[allow(clippy::too_many_arguments)]
async fn record_movement(
    conn: &mut PgConnection,
    item: Uuid,
    kind: MovementKind,
    delta: i32,
    on_hand_after: i32,
    reason: Reason<'_>,
    ticket: Option<Uuid>,
    actor: &Actor,
) -> Result<(i64, DateTime<Utc>), ServiceError> {
    let (text, system) = match reason {
        Reason::Person(text) => (text, None),
        Reason::System(note) => ("", Some(Json(note))),
    };
    let written: (i64, DateTime<Utc>) = sqlx::query_as(
        "insert into stock_movements (stock_item_id, kind, delta, on_hand_after, reason, system_note, ticket_id, actor_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id, created_at",
    )
    .bind(item)
    .bind(kind)
    .bind(delta)
    .bind(on_hand_after)
    .bind(text)
    .bind(system)
    .bind(ticket)
    .bind(actor.id)
    .fetch_one(conn)
    .await?;
    Ok(written)
}

/// Receives, issues or corrects stock. The change is one atomic update that
/// refuses to go below zero, so concurrent movements never lose one another
/// and need no version: they add up.
pub async fn move_stock(
    db: &Db,
    actor: &Actor,
    id: Uuid,
    input: NewMovement,
) -> Result<(StockItem, Movement), ServiceError> {
    may_manage(actor)?;
    let delta = input.delta()?;
    let mut tx = db.begin().await?;
    let mut ticket_number = None;
    if let Some(t) = input.ticket_id {
        let found: Option<(String,)> = sqlx::query_as("select number from tickets where id = $1")
            .bind(t)
            .fetch_optional(&mut *tx)
            .await?;
        let Some((number,)) = found else {
            return Err(ServiceError::Validation(FieldErrors::single(
                "ticket_id",
                FieldError::NoSuchTicket,
            )));
        };
        ticket_number = Some(number);
    }
    let after: Option<(i32,)> = sqlx::query_as(
        "update stock_items set on_hand = on_hand + $2, version = version + 1
         where id = $1 and on_hand + $2 >= 0 returning on_hand",
    )
    .bind(id)
    .bind(delta)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((on_hand,)) = after else {
        let current = load(&mut tx, id).await?;
        return Err(ServiceError::Conflict {
            reason: Refusal::NotEnoughOnHand {
                name: current.name.clone(),
                on_hand: current.on_hand,
                unit: current.unit.clone(),
                quantity: -delta,
            },
            current: Some(Current::StockItem(Box::new(current))),
        });
    };
    let reason = input.reason.trim();
    let (movement_id, at) = record_movement(
        &mut tx,
        id,
        input.kind,
        delta,
        on_hand,
        Reason::Person(reason),
        input.ticket_id,
        actor,
    )
    .await?;
    let item = load(&mut tx, id).await?;
    tx.commit().await?;
    // Built from what was written, not read back: a concurrent movement may
    // already be newer.
    let movement = Movement {
        id: movement_id,
        kind: input.kind,
        delta,
        on_hand_after: on_hand,
        reason: reason.to_string(),
        ticket_id: input.ticket_id,
        ticket_number,
        actor_name: actor.name.clone(),
        system_note: None,
        at,
    };
    Ok((item, movement))
}

async fn movements_of(db: &Db, id: Uuid, limit: i64) -> Result<Vec<Movement>, ServiceError> {
    let rows: Vec<MovementRow> = sqlx::query_as(
        "select m.id, m.kind, m.delta, m.on_hand_after, m.reason, m.ticket_id,
                t.number as ticket_number, u.name as actor_name, m.system_note, m.created_at
         from stock_movements m join users u on u.id = m.actor_id
         left join tickets t on t.id = m.ticket_id
         where m.stock_item_id = $1 order by m.id desc limit $2",
    )
    .bind(id)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Movement {
            id: r.id,
            kind: r.kind,
            delta: r.delta,
            on_hand_after: r.on_hand_after,
            reason: r.reason,
            ticket_id: r.ticket_id,
            ticket_number: r.ticket_number,
            actor_name: r.actor_name,
            system_note: r.system_note.map(|n| n.0),
            at: r.created_at,
        })
        .collect())
}

/// Prices the lines taken from stock from the stock items themselves: the
/// client names the item and the quantity, and anything else it sends for
/// such a line must match the item (a toner sent as "Kertas A4" at Rp 1
/// would otherwise slip under every approval threshold).
pub(crate) async fn price_lines(
    conn: &mut PgConnection,
    items: &mut [NewItem],
) -> Result<(), ServiceError> {
    let ids: Vec<Uuid> = items.iter().filter_map(|i| i.stock_item_id).collect();
    if ids.is_empty() {
        return Ok(());
    }
    let found: Vec<(Uuid, String, String, Money)> = sqlx::query_as(
        "select id, name, unit, unit_price from stock_items where id = any($1) and active",
    )
    .bind(&ids)
    .fetch_all(conn)
    .await?;
    let mut errors = FieldErrors::new();
    for (i, item) in items.iter_mut().enumerate() {
        let Some(id) = item.stock_item_id else {
            continue;
        };
        let Some((_, name, unit, price)) = found.iter().find(|(f, ..)| *f == id) else {
            errors.add(
                format!("items[{i}].stock_item_id"),
                FieldError::StockItemUnknown,
            );
            continue;
        };
        let differs = (!item.name.trim().is_empty() && item.name.trim() != name)
            || (!item.unit.trim().is_empty() && item.unit.trim() != unit)
            || (!item.unit_price.is_zero() && item.unit_price != *price);
        if differs {
            errors.add(format!("items[{i}]"), FieldError::StockLineFromItem);
            continue;
        }
        item.name = name.clone();
        item.unit = unit.clone();
        item.unit_price = *price;
    }
    errors.into_result(()).map_err(ServiceError::Validation)
}

/// Locks the stock items a ticket uses, in id order, so tickets that share
/// items never deadlock.
async fn lock_items_of(conn: &mut PgConnection, ticket: Uuid) -> Result<(), ServiceError> {
    sqlx::query(
        "select s.id from stock_items s
         where s.id in (select stock_item_id from ticket_items where ticket_id = $1)
            or s.id in (select stock_item_id from stock_reservations where ticket_id = $1)
         order by s.id for update",
    )
    .bind(ticket)
    .execute(conn)
    .await?;
    Ok(())
}

/// An approved ticket holds its stock quantities.
pub(crate) async fn reserve(conn: &mut PgConnection, ticket: Uuid) -> Result<(), ServiceError> {
    lock_items_of(conn, ticket).await?;
    sqlx::query(
        "with wanted as (
             select stock_item_id, sum(quantity)::int as quantity from ticket_items
             where ticket_id = $1 and stock_item_id is not null group by stock_item_id
         ), held as (
             insert into stock_reservations (ticket_id, stock_item_id, quantity)
             select $1, stock_item_id, quantity from wanted
             on conflict (ticket_id, stock_item_id) do update
                 set quantity = excluded.quantity, state = 'reserved', updated_at = now()
                 where stock_reservations.state = 'released'
             returning stock_item_id, quantity
         )
         update stock_items s set reserved = s.reserved + held.quantity
         from held where s.id = held.stock_item_id",
    )
    .bind(ticket)
    .execute(conn)
    .await?;
    Ok(())
}

/// A cancelled or rejected ticket gives its reservation back.
pub(crate) async fn release(conn: &mut PgConnection, ticket: Uuid) -> Result<(), ServiceError> {
    lock_items_of(conn, ticket).await?;
    sqlx::query(
        "with freed as (
             update stock_reservations set state = 'released', updated_at = now()
             where ticket_id = $1 and state = 'reserved'
             returning stock_item_id, quantity
         )
         update stock_items s set reserved = s.reserved - freed.quantity
         from freed where s.id = freed.stock_item_id",
    )
    .bind(ticket)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct HeldRow {
    stock_item_id: Uuid,
    sku: String,
    name: String,
    unit: String,
    on_hand: i32,
    quantity: i32,
}

/// Completion hands the reserved quantities out: on hand and reserved go
/// down together and a movement is written per item. Not enough on hand is
/// a conflict naming what is missing, and nothing changes.
pub(crate) async fn issue(
    conn: &mut PgConnection,
    actor: &Actor,
    ticket: Uuid,
    number: &str,
) -> Result<(), ServiceError> {
    lock_items_of(conn, ticket).await?;
    let held: Vec<HeldRow> = sqlx::query_as(
        "select s.id as stock_item_id, s.sku, s.name, s.unit, s.on_hand, r.quantity
         from stock_reservations r join stock_items s on s.id = r.stock_item_id
         where r.ticket_id = $1 and r.state = 'reserved' order by s.id",
    )
    .bind(ticket)
    .fetch_all(&mut *conn)
    .await?;
    let short: Vec<Shortage> = held
        .iter()
        .filter(|h| h.on_hand < h.quantity)
        .map(|h| Shortage {
            stock_item_id: h.stock_item_id,
            sku: h.sku.clone(),
            name: h.name.clone(),
            unit: h.unit.clone(),
            needed: h.quantity,
            on_hand: h.on_hand,
        })
        .collect();
    if !short.is_empty() {
        return Err(ServiceError::conflict(Refusal::NotEnoughStock {
            lines: short,
        }));
    }
    for h in &held {
        let (on_hand,): (i32,) = sqlx::query_as(
            "update stock_items set on_hand = on_hand - $2, reserved = reserved - $2,
                 version = version + 1
             where id = $1 returning on_hand",
        )
        .bind(h.stock_item_id)
        .bind(h.quantity)
        .fetch_one(&mut *conn)
        .await?;
        record_movement(
            conn,
            h.stock_item_id,
            MovementKind::Issue,
            -h.quantity,
            on_hand,
            Reason::System(SystemNote::HandedOutFor {
                number: number.into(),
            }),
            Some(ticket),
            actor,
        )
        .await?;
    }
    sqlx::query(
        "update stock_reservations set state = 'issued', updated_at = now()
         where ticket_id = $1 and state = 'reserved'",
    )
    .bind(ticket)
    .execute(conn)
    .await?;
    Ok(())
}
