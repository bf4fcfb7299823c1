//! The security audit log (sign-ins, lockouts, role changes...).

use super::{Db, ServiceError};
use crate::domain::events::{SecurityDetail, SecurityEntry, SecurityKind};
use crate::domain::{Actor, Permission, Refusal};
use sqlx::PgConnection;
use uuid::Uuid;

/// One event to record; built with the small setters below.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    kind: SecurityKind,
    user: Option<Uuid>,
    actor: Option<Uuid>,
    email: &'a str,
    ip: &'a str,
    detail: Option<SecurityDetail>,
}

impl<'a> Event<'a> {
    pub fn new(kind: SecurityKind) -> Self {
        Self {
            kind,
            user: None,
            actor: None,
            email: "",
            ip: "",
            detail: None,
        }
    }
    pub fn user(mut self, id: Uuid) -> Self {
        self.user = Some(id);
        self
    }
    pub fn actor(mut self, id: Uuid) -> Self {
        self.actor = Some(id);
        self
    }
    pub fn email(mut self, email: &'a str) -> Self {
        self.email = email;
        self
    }
    pub fn ip(mut self, ip: &'a str) -> Self {
        self.ip = ip;
        self
    }
    pub fn detail(mut self, detail: SecurityDetail) -> Self {
        self.detail = Some(detail);
        self
    }
}

/// Control characters (NUL above all) cannot be stored in text columns.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

pub async fn record(conn: &mut PgConnection, e: Event<'_>) -> Result<(), ServiceError> {
    sqlx::query(
        "insert into security_events (kind, user_id, actor_id, email, client_ip, detail, client_net)
         values ($1, $2, $3, left($4, 254), left($5, 64), $6, $7::cidr)",
    )
    .bind(e.kind)
    .bind(e.user)
    .bind(e.actor)
    .bind(clean(e.email))
    .bind(clean(e.ip))
    .bind(e.detail.map(sqlx::types::Json))
    .bind(super::limits::network_of(e.ip))
    .execute(conn)
    .await?;
    Ok(())
}

/// The newest events, for administrators; `before` pages back by id.
pub async fn list(
    db: &Db,
    actor: &Actor,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<SecurityEntry>, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(Refusal::SecurityLogAdminOnly.into());
    }
    Ok(sqlx::query_as(
        "select e.id, e.at, e.kind, u.email as user_email, a.email as actor_email, e.email, e.client_ip, e.detail
         from security_events e
         left join users u on u.id = e.user_id
         left join users a on a.id = e.actor_id
         where ($1::bigint is null or e.id < $1)
         order by e.id desc limit $2",
    )
    .bind(before)
    .bind(limit.clamp(1, 200))
    .fetch_all(db)
    .await?)
}
