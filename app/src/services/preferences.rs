//! A person's own delivery choices: the language and time zone of their
//! emails, which kinds come by email, the daily digest and quiet hours.

use super::{Db, ServiceError};
use crate::domain::outgoing::NotifyPrefs;
use crate::domain::{Actor, Lang, Zone};

pub async fn get(db: &Db, actor: &Actor) -> Result<NotifyPrefs, ServiceError> {
    let (lang, time_zone, email_off, email_digest, quiet_from, quiet_to) = sqlx::query_as(
        "select lang, time_zone, email_off, email_digest, quiet_from, quiet_to from users where id = $1",
    )
    .bind(actor.id)
    .fetch_one(db)
    .await?;
    Ok(NotifyPrefs {
        lang,
        time_zone,
        email_off,
        email_digest,
        quiet_from,
        quiet_to,
    })
}

pub async fn set(db: &Db, actor: &Actor, prefs: NotifyPrefs) -> Result<NotifyPrefs, ServiceError> {
    prefs.validate()?;
    let mut off = prefs.email_off.clone();
    off.sort();
    off.dedup();
    sqlx::query(
        "update users set lang = $2, time_zone = $3, email_off = $4, email_digest = $5,
                quiet_from = $6, quiet_to = $7
          where id = $1",
    )
    .bind(actor.id)
    .bind(&prefs.lang)
    .bind(&prefs.time_zone)
    .bind(&off)
    .bind(prefs.email_digest)
    .bind(prefs.quiet_from)
    .bind(prefs.quiet_to)
    .execute(db)
    .await?;
    get(db, actor).await
}

/// The language or time zone chosen in the header or on the account page
/// also becomes the one of their emails.
pub async fn set_locale(
    db: &Db,
    user: uuid::Uuid,
    lang: Option<Lang>,
    zone: Option<Zone>,
) -> Result<(), ServiceError> {
    sqlx::query(
        "update users set lang = coalesce($2, lang), time_zone = coalesce($3, time_zone) where id = $1",
    )
    .bind(user)
    .bind(lang.map(Lang::code))
    .bind(zone.map(Zone::code))
    .execute(db)
    .await?;
    Ok(())
}
