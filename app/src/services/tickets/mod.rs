//! Tickets: create, read, list.

use super::{Db, ServiceError};
use crate::domain::approval::SPLIT_WINDOW_DAYS;
use crate::domain::service_level::Clock;
use crate::domain::ticket::{
    ApprovalView, Category, Priority, Resolution, ServiceLevels, SiteRef, SplitTicket,
    TicketDetail, TicketItem, TicketStatus,
};
use crate::domain::{Actor, Money, Permission, Refusal, UserRef};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::types::Json;
use sqlx::PgConnection;
use uuid::Uuid;

/// Who may see a ticket, as SQL over `t` with `$2` = actor id,
/// `$3` = may read all, `$4` = may approve. Requesters see their own;
/// approvers also see what waits for them (their own level-1 requests and
/// the pool) and what they decided themselves, nothing else.
macro_rules! visible {
    () => {
        "($3 or t.requester_id = $2 or ($4 and (
            (t.status = 'waiting_approval' and (t.awaiting_approver_id = $2 or t.awaiting_approver_id is null
                or current_delegate(t.awaiting_approver_id) = $2))
            or exists (select 1 from ticket_approvals va where va.ticket_id = t.id and va.approver_id = $2))))"
    };
}

/// The columns of a list row; a macro so queries stay `&'static str`.
/// With an amount expression, that is the row's amount (the approvals queue
/// shows a pending extra cost, the amount being decided).
macro_rules! summary_select {
    () => {
        $crate::services::tickets::summary_select!("t.estimated_total")
    };
    ($amount:literal) => {
        $crate::services::tickets::summary_select!($amount, "")
    };
    ($amount:literal, $extra:literal) => {
        concat!(
            "select t.id, t.number, t.title, t.category, t.priority, t.status, ",
            $amount,
            " as estimated_total, r.name as requester_name, asg.name as assignee_name,
                t.version, t.created_at, t.updated_at",
            $extra,
            " from tickets t join users r on r.id = t.requester_id
         left join users asg on asg.id = t.assignee_id "
        )
    };
}
pub(crate) use summary_select;

#[derive(sqlx::FromRow)]
struct DetailRow {
    id: Uuid,
    number: String,
    title: String,
    description: String,
    category: Category,
    priority: Priority,
    location: String,
    status: TicketStatus,
    resolution: Option<Resolution>,
    requester_id: Uuid,
    requester_name: String,
    requester_email: String,
    assignee_id: Option<Uuid>,
    assignee_name: Option<String>,
    assignee_email: Option<String>,
    estimated_total: Money,
    actual_total: Option<Money>,
    due_date: Option<NaiveDate>,
    required_levels: i32,
    awaiting_level: Option<i16>,
    awaiting_approver_id: Option<Uuid>,
    awaiting_name: Option<String>,
    awaiting_email: Option<String>,
    delegate_id: Option<Uuid>,
    delegate_name: Option<String>,
    delegate_email: Option<String>,
    manager_id: Option<Uuid>,
    approval_round: i32,
    completed_at: Option<DateTime<Utc>>,
    pending_cost: Option<Money>,
    approved_cost: Option<Money>,
    cost_tolerance_percent: i32,
    site_id: Uuid,
    site_code: String,
    site_name: String,
    site_time_zone: String,
    approval_due_at: Option<DateTime<Utc>>,
    response_due_at: Option<DateTime<Utc>>,
    resolution_due_at: Option<DateTime<Utc>>,
    responded_at: Option<DateTime<Utc>>,
    paused_at: Option<DateTime<Utc>>,
    sla_clock: Option<Clock>,
    next_due_at: Option<DateTime<Utc>>,
    version: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    items: Json<Vec<TicketItem>>,
    approvals: Json<Vec<ApprovalView>>,
}

fn user_ref(id: Option<Uuid>, name: Option<String>, email: Option<String>) -> Option<UserRef> {
    match (id, name, email) {
        (Some(id), Some(name), Some(email)) => Some(UserRef { id, name, email }),
        _ => None,
    }
}

impl DetailRow {
    fn into_detail(self) -> TicketDetail {
        TicketDetail {
            id: self.id,
            number: self.number,
            title: self.title,
            description: self.description,
            category: self.category,
            priority: self.priority,
            location: self.location,
            status: self.status,
            resolution: self.resolution,
            requester: UserRef {
                id: self.requester_id,
                name: self.requester_name,
                email: self.requester_email,
            },
            assignee: user_ref(self.assignee_id, self.assignee_name, self.assignee_email),
            items: self.items.0,
            estimated_total: self.estimated_total,
            actual_total: self.actual_total,
            due_date: self.due_date,
            required_levels: u8::try_from(self.required_levels).unwrap_or(u8::MAX),
            awaiting_level: self.awaiting_level.and_then(|l| u8::try_from(l).ok()),
            awaiting_approver: user_ref(
                self.awaiting_approver_id,
                self.awaiting_name,
                self.awaiting_email,
            ),
            awaiting_delegate: user_ref(self.delegate_id, self.delegate_name, self.delegate_email),
            manager_id: self.manager_id,
            approval_round: self.approval_round,
            approvals: self.approvals.0,
            completed_at: self.completed_at,
            pending_cost: self.pending_cost,
            approved_cost: self.approved_cost,
            cost_tolerance_percent: u32::try_from(self.cost_tolerance_percent).unwrap_or(0),
            split_with: Vec::new(),
            site: Some(SiteRef {
                id: self.site_id,
                code: self.site_code,
                name: self.site_name,
                time_zone: self.site_time_zone,
            }),
            service: ServiceLevels {
                approval_due_at: self.approval_due_at,
                response_due_at: self.response_due_at,
                resolution_due_at: self.resolution_due_at,
                responded_at: self.responded_at,
                paused_at: self.paused_at,
                clock: self.sla_clock,
                next_due_at: self.next_due_at,
                // Put into working time by the caller, who has the calendars.
                now: None,
            },
            version: self.version,
            created_at: self.created_at,
            updated_at: self.updated_at,
        }
    }
}

/// The whole ticket with items, approvals and whom it waits for, in one
/// round trip.
macro_rules! detail_select {
    () => {
        concat!(
            "select t.id, t.number, t.title, t.description, t.category, t.priority, t.location,
       t.status, t.resolution, t.requester_id, r.name as requester_name,
       r.email as requester_email, t.assignee_id, a.name as assignee_name,
       a.email as assignee_email, t.estimated_total, t.actual_total, t.due_date,
       (select count(*) from approval_levels l
            where coalesce(t.pending_cost, t.estimated_total) >= l.threshold)::int as required_levels,
       t.awaiting_level, t.awaiting_approver_id, aw.name as awaiting_name, aw.email as awaiting_email,
       dg.id as delegate_id, dg.name as delegate_name, dg.email as delegate_email,
       t.site_id, st.code as site_code, st.name as site_name, st.time_zone as site_time_zone,
       t.approval_due_at, t.response_due_at, t.resolution_due_at, t.responded_at, t.paused_at,
       t.sla_clock, t.next_due_at,
       (select m.id from users m where m.id = r.manager_id and m.active
            and m.role in ('approver', 'admin')) as manager_id,
       t.approval_round, t.completed_at, t.pending_cost, t.approved_cost,
       (select cost_tolerance_percent from approval_settings) as cost_tolerance_percent,
       t.version, t.created_at, t.updated_at,
       coalesce((select json_agg(json_build_object(
                    'line_no', i.line_no, 'name', i.name, 'quantity', i.quantity,
                    'unit', i.unit, 'unit_price', i.unit_price::text,
                    'line_total', i.line_total::text, 'stock_item_id', i.stock_item_id)
                    order by i.line_no)
                 from ticket_items i where i.ticket_id = t.id), '[]'::json) as items,
       coalesce((select json_agg(json_build_object(
                    'round', ap.round, 'level', ap.level, 'decision', ap.decision, 'note', ap.note,
                    'at', ap.created_at,
                    'approver', json_build_object('id', u.id, 'name', u.name, 'email', u.email),
                    'on_behalf_of', case when ob.id is not null then
                        json_build_object('id', ob.id, 'name', ob.name, 'email', ob.email) end)
                    order by ap.id)
                 from ticket_approvals ap join users u on u.id = ap.approver_id
                 left join users ob on ob.id = ap.on_behalf_of
                 where ap.ticket_id = t.id), '[]'::json) as approvals
from tickets t
join users r on r.id = t.requester_id
left join users a on a.id = t.assignee_id
left join users aw on aw.id = t.awaiting_approver_id
left join users dg on dg.id = current_delegate(t.awaiting_approver_id) and t.status = 'waiting_approval'
join sites st on st.id = t.site_id
where t.id = $1 and ",
            visible!()
        )
    };
}

fn can_read_all(actor: &Actor) -> bool {
    actor.can(Permission::TicketsReadAll)
}

fn can_approve(actor: &Actor) -> bool {
    actor.can(Permission::TicketsApprove)
}

// After the SQL macros above, which the submodules use.
mod create;
mod list;

pub use create::{create_idempotent, create_ticket, Idempotent};
pub(crate) use create::{items_text, replace_items};
pub use list::{explain_my_tickets, explain_search, list_my_tickets, search};

/// Loads a ticket the actor may see, optionally locking its row until the
/// transaction ends (for decisions that must be taken one at a time).
pub(crate) async fn load_detail(
    conn: &mut PgConnection,
    actor: &Actor,
    id: Uuid,
    lock: bool,
) -> Result<Option<TicketDetail>, ServiceError> {
    if lock {
        // Lock first, then read in a new statement: the read then sees what
        // the previous lock holder committed (approvals included), which a
        // single `select ... for update` with this filter would not.
        sqlx::query("select 1 from tickets where id = $1 for update")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let Some(ticket) = sqlx::query_as::<_, DetailRow>(detail_select!())
        .bind(id)
        .bind(actor.id)
        .bind(can_read_all(actor))
        .bind(can_approve(actor))
        .fetch_optional(&mut *conn)
        .await?
        .map(DetailRow::into_detail)
    else {
        return Ok(None);
    };
    Ok(Some(ticket))
}

/// Puts a ticket's due time into working time of its site, for the
/// answer to a change (read in the change's transaction).
pub(crate) async fn read_due(
    conn: &mut PgConnection,
    ticket: &mut TicketDetail,
) -> Result<(), ServiceError> {
    if let Some(site) = &ticket.site {
        let cal = super::sites::calendar_of(conn, site.id).await?;
        ticket.service.read_on(&cal, Utc::now());
    }
    Ok(())
}

/// Reads a ticket the actor may see. Someone else's ticket is "not found"
/// (not "forbidden") for requesters, so ticket ids reveal nothing.
pub async fn get_ticket(db: &Db, actor: &Actor, id: Uuid) -> Result<TicketDetail, ServiceError> {
    if !actor.can(Permission::TicketsRead) {
        return Err(Refusal::CannotReadTickets.into());
    }
    let mut conn = db.acquire().await?;
    let mut ticket = sqlx::query_as::<_, DetailRow>(detail_select!())
        .bind(id)
        .bind(actor.id)
        .bind(can_read_all(actor))
        .bind(can_approve(actor))
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(ServiceError::Refused(Refusal::NotFound))?
        .into_detail();
    let calendars = super::sites::calendars(db).await?;
    if let Some(cal) = ticket.site.as_ref().and_then(|s| calendars.get(&s.id)) {
        ticket.service.read_on(cal, Utc::now());
    }
    let decides = can_approve(actor) || actor.can(Permission::TicketsAssign);
    // A cost round decides on the actual cost, not on the purchase: no
    // split warning there.
    let deciding_purchase = matches!(
        ticket.status,
        TicketStatus::Pending | TicketStatus::WaitingApproval
    ) && ticket.pending_cost.is_none();
    if decides && deciding_purchase {
        let others = split_candidates(
            &mut conn,
            ticket.requester.id,
            ticket.category,
            ticket.created_at,
            Some(ticket.id),
        )
        .await?;
        // Most tickets have no neighbours: the policy is read only when
        // there is something to add up.
        if !others.is_empty() {
            let policy = super::policy::load(&mut conn).await?;
            let combined = crate::domain::approval::combined_total(
                ticket.estimated_total,
                others.iter().map(|t| t.estimated_total),
            );
            if policy.split_levels(ticket.estimated_total, combined) > 0 {
                ticket.split_with = others;
            }
        }
    }
    Ok(ticket)
}

/// A requester's open tickets in one category created within the split
/// window around `at`: together they may be one purchase split to stay
/// under an approval threshold.
pub(crate) async fn split_candidates(
    conn: &mut PgConnection,
    requester: Uuid,
    category: Category,
    at: DateTime<Utc>,
    except: Option<Uuid>,
) -> Result<Vec<SplitTicket>, ServiceError> {
    Ok(sqlx::query_as(
        "select id, number, title, estimated_total from tickets
         where requester_id = $1 and category = $2
           and created_at between $3 - make_interval(days => $4) and $3 + make_interval(days => $4)
           and status in ('pending', 'waiting_approval', 'approved', 'in_progress')
           and id is distinct from $5
         order by created_at limit 20",
    )
    .bind(requester)
    .bind(category)
    .bind(at)
    .bind(SPLIT_WINDOW_DAYS as i32)
    .bind(except)
    .fetch_all(conn)
    .await?)
}

/// Whether the actor may see the ticket at all (for comments and history).
pub(crate) async fn ensure_visible(db: &Db, actor: &Actor, id: Uuid) -> Result<(), ServiceError> {
    let found: Option<(i32,)> = sqlx::query_as(concat!(
        "select 1 from tickets t where t.id = $1 and ",
        visible!()
    ))
    .bind(id)
    .bind(actor.id)
    .bind(can_read_all(actor))
    .bind(can_approve(actor))
    .fetch_optional(db)
    .await?;
    found
        .map(|_| ())
        .ok_or(ServiceError::Refused(Refusal::NotFound))
}

/// The requester's manager, if that manager may decide approvals.
pub(crate) async fn approving_manager(
    conn: &mut PgConnection,
    requester: Uuid,
) -> Result<Option<Uuid>, ServiceError> {
    let row: Option<(Uuid,)> = sqlx::query_as(
        "select m.id from users r join users m on m.id = r.manager_id
         where r.id = $1 and m.active and m.role in ('approver', 'admin') and m.id <> r.id",
    )
    .bind(requester)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id,)| id))
}
