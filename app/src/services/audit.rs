//! The security audit log (sign-ins, lockouts, role changes...).

use super::{Db, ServiceError};
use crate::domain::{Actor, Permission};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgConnection;
use uuid::Uuid;

/// One event to record; built with the small setters below.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    kind: &'a str,
    user: Option<Uuid>,
    actor: Option<Uuid>,
    email: &'a str,
    ip: &'a str,
    detail: &'a str,
}

impl<'a> Event<'a> {
    pub fn new(kind: &'a str) -> Self {
        Self {
            kind,
            ..Self::default()
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
    pub fn detail(mut self, detail: &'a str) -> Self {
        self.detail = detail;
        self
    }
}

/// Control characters (NUL above all) cannot be stored in text columns.
fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).collect()
}

pub async fn record(conn: &mut PgConnection, e: Event<'_>) -> Result<(), ServiceError> {
    sqlx::query(
        "insert into security_events (kind, user_id, actor_id, email, client_ip, detail)
         values ($1, $2, $3, left($4, 254), left($5, 64), left($6, 500))",
    )
    .bind(e.kind)
    .bind(e.user)
    .bind(e.actor)
    .bind(clean(e.email))
    .bind(clean(e.ip))
    .bind(clean(e.detail))
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SecurityEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub user_email: Option<String>,
    pub actor_email: Option<String>,
    pub email: String,
    pub client_ip: String,
    pub detail: String,
}

/// The newest events, for administrators; `before` pages back by id.
pub async fn list(
    db: &Db,
    actor: &Actor,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<SecurityEvent>, ServiceError> {
    if !actor.can(Permission::UsersManage) {
        return Err(ServiceError::forbidden(
            "Only administrators read the security log.",
        ));
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
