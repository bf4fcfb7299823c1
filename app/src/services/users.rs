//! People: creating accounts and signing in.

use super::passwords::Passwords;
use super::{Db, ServiceError};
use crate::domain::errors::check_text;
use crate::domain::user::password_problem;
use crate::domain::{Actor, Email, FieldErrors, Role};
use uuid::Uuid;

/// An account to create (CLI, demo data, later the admin UI).
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: Role,
    pub password: Option<String>,
    pub manager_id: Option<Uuid>,
}

#[derive(sqlx::FromRow)]
struct LoginRow {
    id: Uuid,
    email: String,
    name: String,
    role: String,
    active: bool,
    password_hash: Option<String>,
}

fn parse_role(s: &str) -> Result<Role, ServiceError> {
    s.parse()
        .map_err(|e: String| ServiceError::Internal(format!("corrupt role in database: {e}")))
}

/// Checks an email and password. Every failure, whether the email is
/// unknown, the account inactive or the password wrong, looks the same to
/// the caller and costs the same time.
pub async fn authenticate(
    db: &Db,
    passwords: &Passwords,
    email: &str,
    password: &str,
) -> Result<Actor, ServiceError> {
    let row = match Email::parse(email) {
        Ok(email) => {
            sqlx::query_as::<_, LoginRow>(
                "select id, email, name, role, active, password_hash
                 from users where lower(email) = $1",
            )
            .bind(email.as_str())
            .fetch_optional(db)
            .await?
        }
        Err(_) => None,
    };
    let hash = row.as_ref().and_then(|r| r.password_hash.as_deref());
    let verified = passwords.verify(password, hash).await?;
    match row {
        Some(r) if verified && r.active => Ok(Actor {
            id: r.id,
            email: r.email,
            name: r.name,
            role: parse_role(&r.role)?,
        }),
        _ => Err(ServiceError::InvalidCredentials),
    }
}

/// Loads the current state of a user, e.g. to refresh a session.
pub async fn find_actor(db: &Db, id: Uuid) -> Result<Option<Actor>, ServiceError> {
    let row = sqlx::query_as::<_, (Uuid, String, String, String)>(
        "select id, email, name, role from users where id = $1 and active",
    )
    .bind(id)
    .fetch_optional(db)
    .await?;
    row.map(|(id, email, name, role)| {
        Ok(Actor {
            id,
            email,
            name,
            role: parse_role(&role)?,
        })
    })
    .transpose()
}

pub fn validate_new_user(user: &NewUser) -> Result<Email, FieldErrors> {
    let mut errors = FieldErrors::new();
    let email = Email::parse(&user.email);
    if let Err(e) = &email {
        errors.add("email", e.to_string());
    }
    check_text(&mut errors, "name", &user.name, true, 200);
    check_text(&mut errors, "department", &user.department, false, 200);
    if let (Some(p), Ok(e)) = (&user.password, &email) {
        if let Some(problem) = password_problem(p, e.as_str()) {
            errors.add("password", problem);
        }
    }
    match email {
        Ok(e) if errors.is_empty() => Ok(e),
        _ => Err(errors),
    }
}

/// Creates a user, or updates name, role, department and password of an
/// existing one with the same email (so seeding is repeatable).
pub async fn upsert_user(
    db: &Db,
    passwords: &Passwords,
    user: &NewUser,
) -> Result<Actor, ServiceError> {
    let email = validate_new_user(user)?;
    let hash = match &user.password {
        Some(p) => Some(passwords.hash(p).await?),
        None => None,
    };
    let (id,): (Uuid,) = sqlx::query_as(
        "insert into users (id, email, name, department, role, password_hash, manager_id)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict ((lower(email))) do update set
             name = excluded.name,
             department = excluded.department,
             role = excluded.role,
             password_hash = coalesce(excluded.password_hash, users.password_hash),
             manager_id = coalesce(excluded.manager_id, users.manager_id),
             active = true,
             version = users.version + 1
         returning id",
    )
    .bind(Uuid::now_v7())
    .bind(email.as_str())
    .bind(user.name.trim())
    .bind(user.department.trim())
    .bind(user.role.as_str())
    .bind(hash)
    .bind(user.manager_id)
    .fetch_one(db)
    .await?;
    Ok(Actor {
        id,
        email: email.to_string(),
        name: user.name.trim().to_string(),
        role: user.role,
    })
}

/// A person as admins see them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, sqlx::FromRow)]
pub struct UserRow {
    pub id: Uuid,
    pub email: String,
    pub name: String,
    pub department: String,
    pub role: String,
    pub manager_id: Option<Uuid>,
    pub active: bool,
    pub version: i32,
}

fn require_admin(actor: &Actor) -> Result<(), ServiceError> {
    if actor.can(crate::domain::Permission::UsersManage) {
        Ok(())
    } else {
        Err(ServiceError::forbidden("Only administrators manage users."))
    }
}

pub async fn list_users(db: &Db, actor: &Actor) -> Result<Vec<UserRow>, ServiceError> {
    require_admin(actor)?;
    Ok(sqlx::query_as(
        "select id, email, name, department, role, manager_id, active, version
         from users order by name, id limit 1000",
    )
    .fetch_all(db)
    .await?)
}

/// Sets (or clears) a user's manager, from the version the admin saw.
/// Managers must be active approvers or admins, and nobody manages
/// themselves.
pub async fn set_manager(
    db: &Db,
    actor: &Actor,
    user: Uuid,
    manager: Option<Uuid>,
    version: i32,
) -> Result<UserRow, ServiceError> {
    require_admin(actor)?;
    if manager == Some(user) {
        return Err(FieldErrors::single("manager_id", "Nobody can be their own manager.").into());
    }
    if let Some(m) = manager {
        let ok: Option<(bool,)> = sqlx::query_as(
            "select active and role in ('approver', 'admin') from users where id = $1",
        )
        .bind(m)
        .fetch_optional(db)
        .await?;
        if ok != Some((true,)) {
            return Err(FieldErrors::single(
                "manager_id",
                "Choose an active approver or administrator.",
            )
            .into());
        }
    }
    let row: Option<UserRow> = sqlx::query_as(
        "update users set manager_id = $2, version = version + 1
         where id = $1 and version = $3
         returning id, email, name, department, role, manager_id, active, version",
    )
    .bind(user)
    .bind(manager)
    .bind(version)
    .fetch_optional(db)
    .await?;
    match row {
        Some(r) => Ok(r),
        None => {
            let exists: Option<(i32,)> = sqlx::query_as("select version from users where id = $1")
                .bind(user)
                .fetch_optional(db)
                .await?;
            match exists {
                Some((v,)) => Err(ServiceError::Conflict {
                    message: format!(
                        "This user was changed meanwhile (now version {v}). Reload and try again."
                    ),
                    current: None,
                }),
                None => Err(ServiceError::NotFound),
            }
        }
    }
}
