//! Finding assets: the list with its filters and search, the CSV export,
//! and the pickers of people and available assets.

use super::{may_manage, may_read, MAX_EXPORT_ROWS};
use crate::domain::asset::{AssetCategory, AssetCondition, AssetQuery, AssetStatus, AssetSummary};
use crate::domain::page::{page_size, Page};
use crate::domain::{Actor, FieldError, FieldErrors, Money, Permission, UserRef};
use crate::services::cursor::CursorKey;
use crate::services::search::{filter_text, like};
use crate::services::{Db, ServiceError};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A list row with the key its page continues after.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    #[sqlx(flatten)]
    summary: AssetSummary,
    created_at: DateTime<Utc>,
}

fn push_filters(
    qb: &mut sqlx::QueryBuilder<sqlx::Postgres>,
    actor: &Actor,
    query: &AssetQuery,
) -> Result<(), ServiceError> {
    qb.push(" where true");
    // The register (holders, their emails, prices) is for GA staff; anyone
    // else sees only what they hold themselves.
    if query.mine || !actor.can(Permission::AssetsManage) {
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
