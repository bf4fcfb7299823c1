//! People: accounts, signing in, and what administrators change.

use super::passwords::Passwords;
use super::sessions::{self, Client, Revocations};
use super::{audit, Db, ServiceError};
use crate::domain::errors::check_text;
use crate::domain::events::{SecurityDetail, SecurityKind};
use crate::domain::user::password_problem;
use crate::domain::{
    Actor, Current, Email, FieldError, FieldErrors, NewUserInput, Permission, Refusal, Role,
    UserAccount, UserUpdate,
};
use sqlx::PgConnection;
use uuid::Uuid;

/// An account to create from the command line or demo data.
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
    role: Role,
    active: bool,
    password_hash: Option<String>,
    temp_password_expired: bool,
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
                "select id, email, name, role, active, password_hash,
                        must_change_password and temp_password_expires_at < now() as temp_password_expired
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
        // Only someone who knows the temporary password learns it expired.
        Some(r) if verified && r.active && r.temp_password_expired => {
            Err(ServiceError::Refused(Refusal::TemporaryPasswordExpired))
        }
        Some(r) if verified && r.active => Ok(Actor {
            id: r.id,
            email: r.email,
            name: r.name,
            role: r.role,
        }),
        _ => Err(ServiceError::Refused(Refusal::InvalidCredentials)),
    }
}

/// The current state of an active user, e.g. to refresh a session.
pub async fn find_actor(conn: &mut PgConnection, id: Uuid) -> Result<Option<Actor>, ServiceError> {
    let row = sqlx::query_as::<_, (Uuid, String, String, Role)>(
        "select id, email, name, role from users where id = $1 and active",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, email, name, role)| Actor {
        id,
        email,
        name,
        role,
    }))
}

pub fn validate_new_user(user: &NewUser) -> Result<Email, FieldErrors> {
    let mut errors = FieldErrors::new();
    let email = Email::parse(&user.email);
    if let Err(e) = email {
        errors.add("email", e.into());
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

const USER_COLUMNS: &str =
    "id, email, name, department, role, manager_id, active, must_change_password, version";

fn require_admin(actor: &Actor) -> Result<(), ServiceError> {
    if actor.can(Permission::UsersManage) {
        Ok(())
    } else {
        Err(Refusal::UsersAdminOnly.into())
    }
}

pub async fn list_users(db: &Db, actor: &Actor) -> Result<Vec<UserAccount>, ServiceError> {
    require_admin(actor)?;
    Ok(sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users order by name, id limit 1000"
    )))
    .fetch_all(db)
    .await?)
}

pub async fn get_user(db: &Db, actor: &Actor, id: Uuid) -> Result<UserAccount, ServiceError> {
    require_admin(actor)?;
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users where id = $1"
    )))
    .bind(id)
    .fetch_optional(db)
    .await?
    .ok_or(ServiceError::Refused(Refusal::NotFound))
}

async fn check_manager(
    conn: &mut PgConnection,
    user: Option<Uuid>,
    manager: Uuid,
) -> Result<(), ServiceError> {
    if Some(manager) == user {
        return Err(FieldErrors::single("manager_id", FieldError::OwnManager).into());
    }
    let ok: Option<(bool,)> =
        sqlx::query_as("select active and role in ('approver', 'admin') from users where id = $1")
            .bind(manager)
            .fetch_optional(conn)
            .await?;
    if ok != Some((true,)) {
        return Err(FieldErrors::single("manager_id", FieldError::ChooseManager).into());
    }
    Ok(())
}

/// Creates an account. With a temporary password the person must choose
/// their own at first sign-in.
pub async fn create_user(
    db: &Db,
    passwords: &Passwords,
    actor: &Actor,
    input: NewUserInput,
    client: &Client,
) -> Result<UserAccount, ServiceError> {
    require_admin(actor)?;
    let email = validate_new_user(&NewUser {
        email: input.email.clone(),
        name: input.name.clone(),
        department: input.department.clone(),
        role: input.role,
        password: input.temporary_password.clone(),
        manager_id: input.manager_id,
    })
    .map_err(|mut e| {
        if let Some(p) = e.get("password").cloned() {
            e.add("temporary_password", p);
        }
        ServiceError::Validation(e)
    })?;
    let hash = match &input.temporary_password {
        Some(p) => Some(passwords.hash(p).await?),
        None => None,
    };
    let mut tx = db.begin().await?;
    if let Some(m) = input.manager_id {
        check_manager(&mut tx, None, m).await?;
    }
    let row: Option<UserAccount> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into users (id, email, name, department, role, manager_id, password_hash, must_change_password,
                            temp_password_expires_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8,
                 case when $8 then now() + make_interval(hours => $9) end)
         on conflict ((lower(email))) do nothing
         returning {USER_COLUMNS}"
    )))
    .bind(Uuid::now_v7())
    .bind(email.as_str())
    .bind(input.name.trim())
    .bind(input.department.trim())
    .bind(input.role)
    .bind(input.manager_id)
    .bind(&hash)
    .bind(hash.is_some())
    .bind(passwords.temp_password_hours as i32)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(row) = row else {
        return Err(FieldErrors::single("email", FieldError::EmailTaken).into());
    };
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::UserCreated)
            .user(row.id)
            .actor(actor.id)
            .email(&row.email)
            .ip(&client.ip)
            .detail(SecurityDetail::WithRole { role: row.role }),
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

/// Changes a user from the version the administrator saw. Role changes and
/// deactivation end the user's sessions on every instance.
pub async fn update_user(
    db: &Db,
    revocations: &Revocations,
    actor: &Actor,
    id: Uuid,
    update: UserUpdate,
    client: &Client,
) -> Result<UserAccount, ServiceError> {
    require_admin(actor)?;
    let mut errors = FieldErrors::new();
    if let Some(n) = &update.name {
        check_text(&mut errors, "name", n, true, 200);
    }
    if let Some(d) = &update.department {
        check_text(&mut errors, "department", d, false, 200);
    }
    if id == actor.id && update.role.is_some_and(|r| r != actor.role) {
        errors.add("role", FieldError::OwnRole);
    }
    if id == actor.id && update.active == Some(false) {
        errors.add("active", FieldError::DeactivateSelf);
    }
    errors.into_result(())?;

    let mut tx = db.begin().await?;
    let before: Option<UserAccount> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users where id = $1 for update"
    )))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    let before = before.ok_or(ServiceError::Refused(Refusal::NotFound))?;
    if before.version != update.version {
        return Err(ServiceError::stale(Current::User(Box::new(before))));
    }
    if let Some(Some(m)) = update.manager_id {
        check_manager(&mut tx, Some(id), m).await?;
    }
    let after: UserAccount = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update users set
             name = coalesce($2, name), department = coalesce($3, department),
             role = coalesce($4, role),
             manager_id = case when $5 then $6 else manager_id end,
             active = coalesce($7, active),
             version = version + 1
         where id = $1
         returning {USER_COLUMNS}"
    )))
    .bind(id)
    .bind(update.name.as_deref().map(str::trim))
    .bind(update.department.as_deref().map(str::trim))
    .bind(update.role)
    .bind(update.manager_id.is_some())
    .bind(update.manager_id.flatten())
    .bind(update.active)
    .fetch_one(&mut *tx)
    .await?;

    let role_changed = after.role != before.role;
    let deactivated = before.active && !after.active;
    let event = |kind| {
        audit::Event::new(kind)
            .user(id)
            .actor(actor.id)
            .email(&after.email)
            .ip(&client.ip)
    };
    if role_changed {
        let detail = SecurityDetail::RoleChanged {
            from: before.role,
            to: after.role,
        };
        audit::record(&mut tx, event(SecurityKind::RoleChanged).detail(detail)).await?;
    }
    if deactivated {
        audit::record(&mut tx, event(SecurityKind::UserDeactivated)).await?;
    }
    if !before.active && after.active {
        audit::record(&mut tx, event(SecurityKind::UserReactivated)).await?;
    }
    if !role_changed && before.active == after.active {
        audit::record(&mut tx, event(SecurityKind::UserUpdated)).await?;
    }
    if role_changed || deactivated {
        sessions::end_all_for_user(
            &mut tx,
            id,
            if deactivated {
                "deactivated"
            } else {
                "role changed"
            },
        )
        .await?;
    }
    tx.commit().await?;
    if role_changed || deactivated {
        revocations.reload(db).await?;
    }
    Ok(after)
}

/// Sets a temporary password the user must change at next sign-in; their
/// sessions end.
pub async fn reset_password(
    db: &Db,
    passwords: &Passwords,
    revocations: &Revocations,
    actor: &Actor,
    id: Uuid,
    temporary: Option<&str>,
    client: &Client,
) -> Result<(UserAccount, String), ServiceError> {
    require_admin(actor)?;
    if id == actor.id {
        return Err(Refusal::ResetOwnPassword.into());
    }
    let temporary = temporary
        .map(str::to_string)
        .unwrap_or_else(generate_password);
    let temporary = temporary.as_str();
    let email: Option<(String,)> = sqlx::query_as("select email from users where id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?;
    let (email,) = email.ok_or(ServiceError::Refused(Refusal::NotFound))?;
    if let Some(problem) = password_problem(temporary, &email) {
        return Err(FieldErrors::single("temporary_password", problem).into());
    }
    let hash = passwords.hash(temporary).await?;
    let mut tx = db.begin().await?;
    let row: UserAccount = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update users set password_hash = $2, must_change_password = true, version = version + 1,
             temp_password_expires_at = now() + make_interval(hours => $3)
         where id = $1 returning {USER_COLUMNS}"
    )))
    .bind(id)
    .bind(hash)
    .bind(passwords.temp_password_hours as i32)
    .fetch_one(&mut *tx)
    .await?;
    sessions::end_all_for_user(&mut tx, id, "password reset").await?;
    audit::record(
        &mut tx,
        audit::Event::new(SecurityKind::PasswordReset)
            .user(id)
            .actor(actor.id)
            .email(&email)
            .ip(&client.ip),
    )
    .await?;
    tx.commit().await?;
    revocations.reload(db).await?;
    Ok((row, temporary.to_string()))
}

/// A temporary password: 16 characters from an alphabet without look-alikes,
/// in groups of four (about 80 bits).
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let bytes: [u8; 16] = rand::random();
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}
