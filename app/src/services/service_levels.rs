//! Due times on tickets: the targets per category and priority, the
//! clocks' anchors kept in step with every transition, due times stored
//! on the ticket and recomputed whenever a target or a calendar changes.

use super::{audit, sites, Db, ServiceError};
use crate::domain::errors::Entity;
use crate::domain::events::{SecurityDetail, SecurityKind};
use crate::domain::service_level::{schedule, Anchors, Policy, Schedule, Targets};
use crate::domain::ticket::lifecycle::Action;
use crate::domain::ticket::{Category, Priority, TicketStatus};
use crate::domain::working_time::Calendar;
use crate::domain::{Actor, Permission, Refusal};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct PolicyRow {
    category: Category,
    priority: Priority,
    approval_minutes: i32,
    response_minutes: i32,
    resolution_minutes: i32,
    version: i32,
}

fn minutes(v: i32) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

impl From<PolicyRow> for Policy {
    fn from(r: PolicyRow) -> Policy {
        Policy {
            category: r.category,
            priority: r.priority,
            targets: Targets {
                approval_minutes: minutes(r.approval_minutes),
                response_minutes: minutes(r.response_minutes),
                resolution_minutes: minutes(r.resolution_minutes),
            },
            version: r.version,
        }
    }
}

const POLICY_COLUMNS: &str =
    "category, priority, approval_minutes, response_minutes, resolution_minutes, version";

/// Every target, by category then priority (high first).
pub async fn policies(db: &Db) -> Result<Vec<Policy>, ServiceError> {
    let rows: Vec<PolicyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {POLICY_COLUMNS} from sla_policies
          order by category, case priority when 'high' then 0 when 'medium' then 1 else 2 end"
    )))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Policy::from).collect())
}

/// Changes the targets of one category and priority from the version the
/// admin saw, and moves the due times of the open tickets they govern.
pub async fn update_policy(
    db: &Db,
    actor: &Actor,
    category: Category,
    priority: Priority,
    version: i32,
    targets: Targets,
) -> Result<Policy, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(Refusal::SitesAdminOnly.into());
    }
    targets.check()?;
    let mut tx = db.begin().await?;
    let row: Option<PolicyRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update sla_policies set approval_minutes = $4, response_minutes = $5,
                resolution_minutes = $6, version = version + 1, updated_at = now()
          where category = $1 and priority = $2 and version = $3 returning {POLICY_COLUMNS}"
    )))
    .bind(category)
    .bind(priority)
    .bind(version)
    .bind(targets.approval_minutes as i32)
    .bind(targets.response_minutes as i32)
    .bind(targets.resolution_minutes as i32)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        let (version,): (i32,) = sqlx::query_as(
            "select version from sla_policies where category = $1 and priority = $2",
        )
        .bind(category)
        .bind(priority)
        .fetch_one(&mut *tx)
        .await?;
        return Err(Refusal::Changed {
            of: Entity::ServicePolicy,
            version,
        }
        .into());
    };
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::ServiceLevelChanged)
            .actor(actor.id)
            .email(&actor.email)
            .detail(SecurityDetail::TargetsChanged {
                category: category.as_str().into(),
                priority: priority.as_str().into(),
                approval: targets.approval_minutes.into(),
                response: targets.response_minutes.into(),
                resolution: targets.resolution_minutes.into(),
            }),
    )
    .await?;
    recompute(&mut tx, Scope::Policy(category, priority)).await?;
    tx.commit().await?;
    Ok(row.into())
}

/// What a ticket's due times are computed from.
#[derive(sqlx::FromRow)]
struct ClockRow {
    id: Uuid,
    status: TicketStatus,
    site_id: Uuid,
    approval_started_at: Option<DateTime<Utc>>,
    approval_decided_at: Option<DateTime<Utc>>,
    work_started_at: Option<DateTime<Utc>>,
    responded_at: Option<DateTime<Utc>>,
    completed_at: Option<DateTime<Utc>>,
    paused_at: Option<DateTime<Utc>>,
    paused_minutes: i32,
    approval_minutes: i32,
    response_minutes: i32,
    resolution_minutes: i32,
}

impl ClockRow {
    fn anchors(&self) -> Anchors {
        Anchors {
            approval_started_at: self.approval_started_at,
            approval_decided_at: self.approval_decided_at,
            work_started_at: self.work_started_at,
            responded_at: self.responded_at,
            completed_at: self.completed_at,
            paused_at: self.paused_at,
            paused_minutes: minutes(self.paused_minutes),
        }
    }

    fn targets(&self) -> Targets {
        Targets {
            approval_minutes: minutes(self.approval_minutes),
            response_minutes: minutes(self.response_minutes),
            resolution_minutes: minutes(self.resolution_minutes),
        }
    }
}

const CLOCK_SELECT: &str = "select t.id, t.status, t.site_id, t.approval_started_at,
        t.approval_decided_at, t.work_started_at, t.responded_at, t.completed_at, t.paused_at,
        t.paused_minutes, p.approval_minutes, p.response_minutes, p.resolution_minutes
   from tickets t join sla_policies p on p.category = t.category and p.priority = t.priority";

/// Which open tickets to recompute.
pub(crate) enum Scope {
    /// Tickets of one site, or of every site (`None`: a national day).
    Site(Option<Uuid>),
    Policy(Category, Priority),
}

/// Recomputes and stores the due times of the open tickets in `scope`,
/// in batches, in the caller's transaction.
pub(crate) async fn recompute(conn: &mut PgConnection, scope: Scope) -> Result<(), ServiceError> {
    let (site, category, priority) = match scope {
        Scope::Site(site) => (site, None, None),
        Scope::Policy(c, p) => (None, Some(c), Some(p)),
    };
    let rows: Vec<ClockRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{CLOCK_SELECT}
          where t.status not in ('rejected', 'completed', 'closed')
            and ($1::uuid is null or t.site_id = $1)
            and ($2::text is null or t.category = $2)
            and ($3::text is null or t.priority = $3)"
    )))
    .bind(site)
    .bind(category)
    .bind(priority)
    .fetch_all(&mut *conn)
    .await?;
    let mut calendars: HashMap<Uuid, Calendar> = HashMap::new();
    for chunk in rows.chunks(2_000) {
        let mut ids = Vec::with_capacity(chunk.len());
        let mut plans = Vec::with_capacity(chunk.len());
        for row in chunk {
            if let std::collections::hash_map::Entry::Vacant(e) = calendars.entry(row.site_id) {
                e.insert(sites::calendar_of(conn, row.site_id).await?);
            }
            let cal = &calendars[&row.site_id];
            ids.push(row.id);
            plans.push(schedule(row.status, &row.anchors(), &row.targets(), cal));
        }
        store(conn, &ids, &plans).await?;
    }
    Ok(())
}

/// Recomputes the due times of every open ticket from their anchors (after
/// a restore, an import or a fix made in SQL).
pub async fn recompute_all(db: &Db) -> Result<(), ServiceError> {
    let mut tx = db.begin().await?;
    recompute(&mut tx, Scope::Site(None)).await?;
    tx.commit().await?;
    Ok(())
}

/// Recomputes for a site's calendar change (`None`: every site).
pub(crate) async fn recompute_open(
    conn: &mut PgConnection,
    site: Option<Uuid>,
) -> Result<(), ServiceError> {
    recompute(conn, Scope::Site(site)).await
}

async fn store(
    conn: &mut PgConnection,
    ids: &[Uuid],
    plans: &[Schedule],
) -> Result<(), ServiceError> {
    let col = |f: fn(&Schedule) -> Option<DateTime<Utc>>| plans.iter().map(f).collect::<Vec<_>>();
    let clocks: Vec<Option<&str>> = plans
        .iter()
        .map(|p| p.running.map(|r| r.clock.as_str()))
        .collect();
    sqlx::query(
        "update tickets t set approval_due_at = u.approval, response_due_at = u.response,
                resolution_due_at = u.resolution, sla_clock = u.clock, next_due_at = u.due,
                remind_at = u.remind
           from unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::timestamptz[],
                       $5::text[], $6::timestamptz[], $7::timestamptz[])
                as u(id, approval, response, resolution, clock, due, remind)
          where t.id = u.id",
    )
    .bind(ids)
    .bind(col(|p| p.approval_due_at))
    .bind(col(|p| p.response_due_at))
    .bind(col(|p| p.resolution_due_at))
    .bind(clocks)
    .bind(col(|p| p.running.map(|r| r.due_at)))
    .bind(col(|p| p.running.map(|r| r.remind_at)))
    .execute(conn)
    .await?;
    Ok(())
}

async fn refresh(conn: &mut PgConnection, id: Uuid) -> Result<(), ServiceError> {
    let row: ClockRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{CLOCK_SELECT} where t.id = $1"
    )))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let cal = sites::calendar_of(conn, row.site_id).await?;
    let plan = schedule(row.status, &row.anchors(), &row.targets(), &cal);
    store(conn, &[id], &[plan]).await
}

/// A new ticket: the approval clock starts when it waits for a decision,
/// else the work clock.
pub(crate) async fn started(
    conn: &mut PgConnection,
    id: Uuid,
    status: TicketStatus,
) -> Result<(), ServiceError> {
    sqlx::query(
        "update tickets set
             approval_started_at = case when $2 then created_at end,
             work_started_at = case when $2 then null else created_at end
          where id = $1",
    )
    .bind(id)
    .bind(status == TicketStatus::WaitingApproval)
    .execute(&mut *conn)
    .await?;
    refresh(conn, id).await
}

/// Moves the clocks' anchors for a transition, then the due times.
pub(crate) async fn moved(
    conn: &mut PgConnection,
    id: Uuid,
    action: Action,
    from: TicketStatus,
    to: TicketStatus,
    approvals_reset: bool,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    use TicketStatus::*;
    let row: ClockRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{CLOCK_SELECT} where t.id = $1"
    )))
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let mut a = row.anchors();
    if to == WaitingApproval && (from != WaitingApproval || approvals_reset) {
        a.approval_started_at = Some(now);
        a.approval_decided_at = None;
    }
    if from == WaitingApproval && to != WaitingApproval {
        a.approval_decided_at = Some(now);
        if to == Approved && a.work_started_at.is_none() {
            a.work_started_at = Some(now);
        }
    }
    if to == Pending && a.work_started_at.is_none() {
        // Items changed below every threshold: GA takes it from here.
        a.work_started_at = Some(now);
    }
    if matches!(action, Action::Accept | Action::Assign | Action::Start) && to != WaitingApproval {
        a.responded_at.get_or_insert(now);
    }
    let stops = matches!(to, Completed | Closed | Rejected);
    let cal = sites::calendar_of(conn, row.site_id).await?;
    if action == Action::Pause {
        a.paused_at = Some(now);
    } else if let Some(since) = a.paused_at.filter(|_| action == Action::Resume || stops) {
        a.paused_minutes = a
            .paused_minutes
            .saturating_add(cal.working_minutes_between(since, now));
        a.paused_at = None;
    }
    sqlx::query(
        "update tickets set approval_started_at = $2, approval_decided_at = $3,
                work_started_at = $4, responded_at = $5, paused_at = $6, paused_minutes = $7
          where id = $1",
    )
    .bind(id)
    .bind(a.approval_started_at)
    .bind(a.approval_decided_at)
    .bind(a.work_started_at)
    .bind(a.responded_at)
    .bind(a.paused_at)
    .bind(a.paused_minutes as i32)
    .execute(&mut *conn)
    .await?;
    // The row read above already carries the new status and priority
    // (the caller wrote them first): due times follow from it directly.
    let plan = schedule(row.status, &a, &row.targets(), &cal);
    store(conn, &[id], &[plan]).await
}
