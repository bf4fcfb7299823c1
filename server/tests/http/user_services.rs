//! Signing in against a real database.

use crate::common::{passwords, user, PASSWORD};
use app::domain::{Refusal, Role};
use app::services::users::{authenticate, upsert_user, NewUser};
use app::services::ServiceError;
use sqlx::PgPool;

#[sqlx::test(migrations = "../migrations")]
async fn right_password_signs_in_case_insensitively(db: PgPool) {
    let dewi = user(&db, "dewi.kusuma@example.co.id", Role::Approver).await;
    let a = authenticate(&db, &passwords(), "  Dewi.Kusuma@EXAMPLE.co.id ", PASSWORD)
        .await
        .unwrap();
    assert_eq!(a, dewi);
    assert_eq!(a.role, Role::Approver);
}

#[sqlx::test(migrations = "../migrations")]
async fn every_failure_looks_the_same(db: PgPool) {
    user(&db, "budi@example.co.id", Role::Requester).await;
    for (email, password) in [
        ("budi@example.co.id", "wrong-password-123"),
        ("nobody@example.co.id", PASSWORD),
        ("not an email", PASSWORD),
        ("budi@example.co.id", ""),
    ] {
        assert!(
            matches!(
                authenticate(&db, &passwords(), email, password).await,
                Err(ServiceError::Refused(Refusal::InvalidCredentials))
            ),
            "{email}"
        );
    }
    sqlx::query("update users set active = false")
        .execute(&db)
        .await
        .unwrap();
    assert!(matches!(
        authenticate(&db, &passwords(), "budi@example.co.id", PASSWORD).await,
        Err(ServiceError::Refused(Refusal::InvalidCredentials))
    ));
}

#[sqlx::test(migrations = "../migrations")]
async fn weak_passwords_and_bad_emails_are_refused(db: PgPool) {
    let mut u = NewUser {
        email: "budi@example.co.id".into(),
        name: "Budi".into(),
        department: String::new(),
        role: Role::Requester,
        password: Some("short".into()),
        manager_id: None,
    };
    assert!(
        matches!(upsert_user(&db, &passwords(), &u).await, Err(ServiceError::Validation(e)) if e.get("password").is_some())
    );
    u.password = Some("password123".into());
    assert!(matches!(
        upsert_user(&db, &passwords(), &u).await,
        Err(ServiceError::Validation(_))
    ));
    u.password = Some(PASSWORD.into());
    u.email = "budi".into();
    assert!(
        matches!(upsert_user(&db, &passwords(), &u).await, Err(ServiceError::Validation(e)) if e.get("email").is_some())
    );
    let (n,): (i64,) = sqlx::query_as("select count(*) from users")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn upsert_is_repeatable(db: PgPool) {
    let a = user(&db, "siti@example.co.id", Role::Requester).await;
    let b = user(&db, "Siti@example.co.id", Role::Agent).await;
    assert_eq!(a.id, b.id);
    assert_eq!(b.role, Role::Agent);
}
