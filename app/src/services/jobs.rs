//! Background work the server runs periodically.

use super::notifications::{self, Notice};
use super::{Db, ServiceError};
use crate::domain::events::SystemNote;
use crate::domain::ticket::lifecycle::CONFIRM_WINDOW_DAYS;
use crate::domain::ticket::TicketStatus;
use chrono::{DateTime, Duration, Utc};
use sqlx::types::Json;
use uuid::Uuid;

/// Any fixed number shared by all instances: only one of them runs the
/// auto-close at a time.
const AUTO_CLOSE_LOCK: i64 = 0x6761_6465_736b_0001;

/// Closes (as done) tickets completed more than 7 days before `now` that
/// nobody confirmed or reopened. Returns how many were closed; 0 when
/// another instance holds the job's lock.
pub async fn auto_close(db: &Db, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    let mut tx = db.begin().await?;
    let (got,): (bool,) = sqlx::query_as("select pg_try_advisory_xact_lock($1)")
        .bind(AUTO_CLOSE_LOCK)
        .fetch_one(&mut *tx)
        .await?;
    if !got {
        return Ok(0);
    }
    let due: Vec<(Uuid, String, Uuid, i32)> = sqlx::query_as(
        "update tickets set status = 'closed', resolution = 'done', version = version + 1
         where status = 'completed' and completed_at < $1
         returning id, number, requester_id, version",
    )
    .bind(now - Duration::days(CONFIRM_WINDOW_DAYS))
    .fetch_all(&mut *tx)
    .await?;
    for (id, number, requester, version) in &due {
        sqlx::query(
            "insert into ticket_history (ticket_id, version, actor_id, action, from_status, to_status, changed_fields, system_note)
             values ($1, $2, null, 'auto_close', 'completed', 'closed', '{status}', $3)",
        )
        .bind(id)
        .bind(version)
        .bind(Json(SystemNote::AutoClosed {
            days: CONFIRM_WINDOW_DAYS,
        }))
        .execute(&mut *tx)
        .await?;
        notifications::send(
            &mut tx,
            Notice::StatusChanged {
                ticket_id: *id,
                number,
                requester: *requester,
                to: TicketStatus::Closed,
                note: None,
            },
        )
        .await?;
        // Open desk boards drop the card from "Completed".
        super::queues::announce(&mut tx, *id, TicketStatus::Closed, *version).await?;
    }
    tx.commit().await?;
    Ok(due.len())
}

/// Security log lines are kept this long by default (`GADESK_SECURITY_LOG_DAYS`).
pub const SECURITY_LOG_DAYS: i64 = 400;
/// Rows removed per statement, so retention never holds long locks.
const RETENTION_BATCH: i64 = 5_000;

/// What one retention run removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Retained {
    pub sessions: u64,
    pub refresh_tokens: u64,
    pub idempotency_keys: u64,
    pub security_events: u64,
}

/// Deletes in batches until nothing matches; `what` is a table and a
/// condition, both fixed text.
async fn delete_batches(
    db: &Db,
    table: &str,
    condition: &str,
    bind: DateTime<Utc>,
) -> Result<u64, ServiceError> {
    let sql = format!(
        "delete from {table} where ctid = any(array(select ctid from {table} where {condition} limit {RETENTION_BATCH}))"
    );
    let mut total = 0;
    loop {
        let n = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
            .bind(bind)
            .execute(db)
            .await?
            .rows_affected();
        total += n;
        if n < RETENTION_BATCH as u64 {
            return Ok(total);
        }
    }
}

/// Removes what no one needs any more: sessions that ended or expired a day
/// ago (with their refresh tokens), refresh tokens rotated a day ago,
/// idempotency keys past 24 hours and security log lines past
/// `security_log_days`. One instance at a time (the jobs' advisory lock);
/// `None` when another holds it.
pub async fn retention(
    db: &Db,
    now: DateTime<Utc>,
    security_log_days: i64,
) -> Result<Option<Retained>, ServiceError> {
    let mut lock = db.acquire().await?;
    let (got,): (bool,) = sqlx::query_as("select pg_try_advisory_lock($1)")
        .bind(AUTO_CLOSE_LOCK)
        .fetch_one(&mut *lock)
        .await?;
    if !got {
        return Ok(None);
    }
    let day_ago = now - Duration::days(1);
    let run = async {
        Ok::<_, ServiceError>(Retained {
            sessions: delete_batches(
                db,
                "sessions",
                "coalesce(revoked_at, expires_at) < $1",
                day_ago,
            )
            .await?,
            refresh_tokens: delete_batches(db, "refresh_tokens", "rotated_at < $1", day_ago)
                .await?,
            idempotency_keys: delete_batches(db, "idempotency_keys", "created_at < $1", day_ago)
                .await?,
            security_events: delete_batches(
                db,
                "security_events",
                "at < $1",
                now - Duration::days(security_log_days),
            )
            .await?,
        })
    };
    let result = run.await;
    sqlx::query("select pg_advisory_unlock($1)")
        .bind(AUTO_CLOSE_LOCK)
        .execute(&mut *lock)
        .await?;
    result.map(Some)
}

/// Another fixed number: one instance at a time runs the notification jobs.
const NOTIFY_LOCK: i64 = 0x6761_6465_736b_0002;

/// What one run of the notification jobs queued.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Notified {
    pub approval_reminders: usize,
    pub confirm_reminders: usize,
    pub stock_low: usize,
    pub warranty_ending: usize,
    pub digests: usize,
    pub expired: u64,
}

/// Reminders, stock and warranty notices, digests: queued once each (the
/// outbox's event keys), reminders only in the recipient's working hours.
/// `None` when another instance is at it.
pub async fn notify(
    db: &Db,
    now: DateTime<Utc>,
    remind_after_hours: i64,
) -> Result<Option<Notified>, ServiceError> {
    use crate::domain::events::Notice as N;
    use crate::domain::outgoing::{in_working_hours, reminder_number};
    use crate::domain::Zone;
    let mut lock = db.acquire().await?;
    let (got,): (bool,) = sqlx::query_as("select pg_try_advisory_lock($1)")
        .bind(NOTIFY_LOCK)
        .fetch_one(&mut *lock)
        .await?;
    if !got {
        return Ok(None);
    }
    let mut done = Notified::default();
    let result: Result<(), ServiceError> = async {
        // Waiting for a named approver since the ticket's last change.
        let waiting: Vec<(Uuid, String, i32, Uuid, DateTime<Utc>, String)> = sqlx::query_as(
            "select t.id, t.number, t.version, t.awaiting_approver_id, h.created_at, u.time_zone
               from tickets t
               join ticket_history h on h.ticket_id = t.id and h.version = t.version
               join users u on u.id = t.awaiting_approver_id and u.active
              where t.status = 'waiting_approval' and h.created_at <= $1",
        )
        .bind(now - Duration::hours(remind_after_hours))
        .fetch_all(db)
        .await?;
        for (id, number, version, approver, since, tz) in waiting {
            let zone = Zone::from_code(&tz).unwrap_or_default();
            let Some(n) = reminder_number(since, now, remind_after_hours) else {
                continue;
            };
            if !in_working_hours(now, zone) {
                continue;
            }
            let notice = N::ApprovalReminder {
                number,
                hours: (now - since).num_hours(),
            };
            let mut tx = db.begin().await?;
            let key = format!("remind:{id}:v{version}:{n}");
            if notifications::remind(&mut tx, id, approver, notice, key).await? {
                done.approval_reminders += 1;
            }
            tx.commit().await?;
        }
        // Completed and not confirmed: two days before the auto-close.
        let completed: Vec<(Uuid, String, i32, Uuid, DateTime<Utc>, String)> = sqlx::query_as(
            "select t.id, t.number, t.version, t.requester_id, t.completed_at, u.time_zone
               from tickets t join users u on u.id = t.requester_id and u.active
              where t.status = 'completed' and t.completed_at <= $1",
        )
        .bind(now - Duration::days(CONFIRM_WINDOW_DAYS - 2))
        .fetch_all(db)
        .await?;
        for (id, number, version, requester, completed_at, tz) in completed {
            let zone = Zone::from_code(&tz).unwrap_or_default();
            if !in_working_hours(now, zone) {
                continue;
            }
            let left = CONFIRM_WINDOW_DAYS - (now - completed_at).num_days();
            let notice = N::ConfirmReminder {
                number,
                days: left.max(1),
            };
            let mut tx = db.begin().await?;
            let key = format!("confirm:{id}:v{version}");
            if notifications::remind(&mut tx, id, requester, notice, key).await? {
                done.confirm_reminders += 1;
            }
            tx.commit().await?;
        }
        // Stock and warranties go to GA staff, once a day while it holds.
        let staff: Vec<(Uuid,)> = sqlx::query_as(
            "select id from users where active and role in ('agent', 'admin') order by id",
        )
        .fetch_all(db)
        .await?;
        let day = (now + Duration::hours(7)).date_naive();
        let low: Vec<(Uuid, String, String, i32, i32)> = sqlx::query_as(
            "select id, sku, name, on_hand - reserved, reorder_level from stock_items
              where active and reorder_level > 0 and on_hand - reserved <= reorder_level",
        )
        .fetch_all(db)
        .await?;
        for (item, sku, name, available, reorder_level) in low {
            let message = crate::domain::outgoing::Outgoing::new(
                N::StockLow {
                    sku,
                    name,
                    available: available.into(),
                    reorder_level: reorder_level.into(),
                },
                now,
            );
            let key = format!("stock_low:{item}:{day}");
            let mut tx = db.begin().await?;
            for (user,) in &staff {
                if notifications::tell_person(&mut tx, *user, None, message.clone(), &key).await? {
                    done.stock_low += 1;
                }
            }
            super::outbox::webhooks(&mut tx, None, &message, &key).await?;
            tx.commit().await?;
        }
        let ending: Vec<(Uuid, String, String, chrono::NaiveDate)> = sqlx::query_as(
            "select id, tag, name, warranty_end from assets
              where status <> 'retired' and warranty_end between $1 and $1 + 30",
        )
        .bind(day)
        .fetch_all(db)
        .await?;
        for (asset, tag, name, date) in ending {
            let message =
                crate::domain::outgoing::Outgoing::new(N::WarrantyEnding { tag, name, date }, now);
            let key = format!("warranty:{asset}:{date}");
            let mut tx = db.begin().await?;
            for (user,) in &staff {
                if notifications::tell_person(&mut tx, *user, None, message.clone(), &key).await? {
                    done.warranty_ending += 1;
                }
            }
            super::outbox::webhooks(&mut tx, None, &message, &key).await?;
            tx.commit().await?;
        }
        done.digests = super::outbox::gather_digests(db, now).await?;
        done.expired = super::outbox::expire(db).await?;
        Ok(())
    }
    .await;
    let _ = sqlx::query("select pg_advisory_unlock($1)")
        .bind(NOTIFY_LOCK)
        .execute(&mut *lock)
        .await;
    result.map(|()| Some(done))
}

/// One instance at a time walks the service-level clocks.
const SLA_LOCK: i64 = 0x6761_6465_736b_0003;

#[derive(sqlx::FromRow)]
struct DueTicket {
    id: Uuid,
    number: String,
    version: i32,
    status: TicketStatus,
    site_id: Uuid,
    sla_clock: crate::domain::service_level::Clock,
    next_due_at: DateTime<Utc>,
    started: DateTime<Utc>,
    assignee_id: Option<Uuid>,
    awaiting_approver_id: Option<Uuid>,
    delegate_id: Option<Uuid>,
}

/// What one run of the escalation ladder did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Escalated {
    pub reminded: usize,
    pub breached: usize,
}

/// The escalation ladder: at [`REMIND_PERCENT`] of a target the person who
/// must act is reminded, at the due time their lead (their manager, or the
/// administrators when they have none) hears of it. Each step of each run
/// of a clock happens once however many instances run this (a unique row
/// per step), and only while the ticket's site is working.
///
/// [`REMIND_PERCENT`]: crate::domain::service_level::REMIND_PERCENT
pub async fn escalate(db: &Db, now: DateTime<Utc>) -> Result<Option<Escalated>, ServiceError> {
    use crate::domain::events::Notice as N;
    use crate::domain::service_level::{Clock, Step, REMIND_PERCENT};
    let mut lock = db.acquire().await?;
    let (got,): (bool,) = sqlx::query_as("select pg_try_advisory_lock($1)")
        .bind(SLA_LOCK)
        .fetch_one(&mut *lock)
        .await?;
    if !got {
        return Ok(None);
    }
    let mut done = Escalated::default();
    let result: Result<(), ServiceError> = async {
        let due: Vec<DueTicket> = sqlx::query_as(
            "select t.id, t.number, t.version, t.status, t.site_id, t.sla_clock, t.next_due_at,
                    case t.sla_clock when 'approval' then t.approval_started_at
                         else t.work_started_at end as started,
                    t.assignee_id, t.awaiting_approver_id,
                    current_delegate(t.awaiting_approver_id) as delegate_id
               from tickets t
              where t.remind_at <= $1 and t.next_due_at is not null
                and not exists (select 1 from sla_escalations e
                                 where e.ticket_id = t.id and e.clock = t.sla_clock
                                   and e.step = case when t.next_due_at <= $1 then 'breach' else 'remind' end
                                   and e.clock_started_at = case t.sla_clock when 'approval'
                                        then t.approval_started_at else t.work_started_at end)
              order by t.remind_at limit 500",
        )
        .bind(now)
        .fetch_all(db)
        .await?;
        if due.is_empty() {
            return Ok(());
        }
        let calendars = super::sites::calendars(db).await?;
        for t in due {
            let Some(cal) = calendars.get(&t.site_id) else {
                continue;
            };
            if !cal.is_working(now) {
                continue;
            }
            let step = if now >= t.next_due_at {
                Step::Breach
            } else {
                Step::Remind
            };
            let mut tx = db.begin().await?;
            // The one who must act: the approver (and their delegate) or the
            // assignee; nobody named means GA's leads.
            let actors: Vec<Uuid> = match t.sla_clock {
                Clock::Approval => t.awaiting_approver_id.into_iter().chain(t.delegate_id).collect(),
                Clock::Response | Clock::Resolution => t.assignee_id.into_iter().collect(),
            };
            let to: Vec<(Uuid,)> = match step {
                Step::Remind if !actors.is_empty() => actors.iter().map(|a| (*a,)).collect(),
                _ => {
                    // The leads of whoever must act, or the administrators.
                    sqlx::query_as(
                        "select m.id from users p join users m on m.id = p.manager_id
                          where p.id = any($1) and m.active
                         union
                         select id from users where active and role = 'admin'
                          and not exists (select 1 from users p join users m on m.id = p.manager_id
                                           where p.id = any($1) and m.active)",
                    )
                    .bind(&actors)
                    .fetch_all(&mut *tx)
                    .await?
                }
            };
            let note = match step {
                Step::Remind => SystemNote::SlaReminded {
                    clock: t.sla_clock,
                    percent: REMIND_PERCENT.into(),
                },
                Step::Breach => SystemNote::SlaEscalated { clock: t.sla_clock },
            };
            let recipients: Vec<Uuid> = to.iter().map(|(u,)| *u).collect();
            let inserted: Option<(i64,)> = sqlx::query_as(
                "insert into sla_escalations (ticket_id, clock, step, clock_started_at,
                                              ticket_version, status, system_note, notified)
                 values ($1, $2, $3, $4, $5, $6, $7, $8)
                 on conflict do nothing returning id",
            )
            .bind(t.id)
            .bind(t.sla_clock)
            .bind(step)
            .bind(t.started)
            .bind(t.version)
            .bind(t.status)
            .bind(Json(&note))
            .bind(&recipients)
            .fetch_optional(&mut *tx)
            .await?;
            if inserted.is_none() {
                continue;
            }
            let moment = crate::domain::lang::Moment {
                at: t.next_due_at,
                zone: cal.zone,
            };
            let notice = match step {
                Step::Remind => N::SlaReminder {
                    number: t.number.clone(),
                    clock: t.sla_clock,
                    due: moment,
                },
                Step::Breach => N::SlaBreached {
                    number: t.number.clone(),
                    clock: t.sla_clock,
                    due: moment,
                },
            };
            let key = format!("sla:{}:{}:{}:{}", t.id, t.sla_clock.as_str(), step.as_str(), t.started.timestamp());
            for user in recipients {
                notifications::remind(&mut tx, t.id, user, notice.clone(), key.clone()).await?;
            }
            tx.commit().await?;
            match step {
                Step::Remind => done.reminded += 1,
                Step::Breach => done.breached += 1,
            }
        }
        Ok(())
    }
    .await;
    let _ = sqlx::query("select pg_advisory_unlock($1)")
        .bind(SLA_LOCK)
        .execute(&mut *lock)
        .await;
    result.map(|()| Some(done))
}
