//! The `web_sessions` table: the Self Service pages' sessions, found by the SHA-256 of the
//! cookie's id (never the id itself). Expiry is the caller's rule (`web::session`); this
//! module only reads and writes rows.

use sqlx::AnyPool;

/// One session row.
#[derive(Debug)]
pub struct Row {
    /// The user signing in.
    pub user: String,
    /// How far the sign-in got.
    pub stage: String,
    /// The form token (hex), compared in constant time by the pages.
    pub csrf: String,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds of the last request.
    pub last_seen_at: i64,
    /// The sealed activation data of a token just requested.
    pub activation: Option<String>,
    /// The OCRA challenge shown, if any.
    pub challenge: Option<String>,
}

/// Inserts a new session.
pub async fn insert(
    pool: &AnyPool,
    id_hash: &str,
    user: &str,
    stage: &str,
    csrf: &str,
    now: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO web_sessions (id_hash, user_name, stage, csrf, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id_hash)
    .bind(user)
    .bind(stage)
    .bind(csrf)
    .bind(now)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(())
}

/// The session whose id hashes to `id_hash`.
pub async fn read(pool: &AnyPool, id_hash: &str) -> Result<Option<Row>, sqlx::Error> {
    let row = sqlx::query_as::<
        _,
        (
            String,
            String,
            String,
            i64,
            i64,
            Option<String>,
            Option<String>,
        ),
    >(
        "SELECT user_name, stage, csrf, created_at, last_seen_at, activation, challenge FROM web_sessions WHERE id_hash = $1",
    )
    .bind(id_hash)
    .fetch_optional(pool)
    .await?;
    Ok(row.map(
        |(user, stage, csrf, created_at, last_seen_at, activation, challenge)| Row {
            user,
            stage,
            csrf,
            created_at,
            last_seen_at,
            activation,
            challenge,
        },
    ))
}

/// Marks the session seen at `now`.
pub async fn touch(pool: &AnyPool, id_hash: &str, now: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE web_sessions SET last_seen_at = $1 WHERE id_hash = $2")
        .bind(now)
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Gives the session a new id, stage and form token (a privilege change); false when the
/// old id was gone already (signed out, expired, or changed by a parallel request).
pub async fn rekey(
    pool: &AnyPool,
    old_hash: &str,
    new_hash: &str,
    stage: &str,
    csrf: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE web_sessions SET id_hash = $1, stage = $2, csrf = $3, challenge = NULL WHERE id_hash = $4",
    )
    .bind(new_hash)
    .bind(stage)
    .bind(csrf)
    .bind(old_hash)
    .execute(pool)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// Moves the session from stage `from` to `to` without a new id (a privilege given up, such
/// as a step-up spent); false when it was not at `from` any more, so a step-up counts once.
pub async fn change_stage(
    pool: &AnyPool,
    id_hash: &str,
    from: &str,
    to: &str,
) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("UPDATE web_sessions SET stage = $1 WHERE id_hash = $2 AND stage = $3")
            .bind(to)
            .bind(id_hash)
            .bind(from)
            .execute(pool)
            .await?;
    Ok(result.rows_affected() == 1)
}

/// Keeps (or, with `None`, forgets) the sealed activation data.
pub async fn set_activation(
    pool: &AnyPool,
    id_hash: &str,
    sealed: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE web_sessions SET activation = $1 WHERE id_hash = $2")
        .bind(sealed)
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Keeps (or forgets) the OCRA challenge shown.
pub async fn set_challenge(
    pool: &AnyPool,
    id_hash: &str,
    challenge: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE web_sessions SET challenge = $1 WHERE id_hash = $2")
        .bind(challenge)
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Deletes the session (sign-out, expiry).
pub async fn delete(pool: &AnyPool, id_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1")
        .bind(id_hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Deletes every session that has been idle since before `idle_before` or began before
/// `created_before`, so expired rows do not pile up.
pub async fn delete_expired(
    pool: &AnyPool,
    idle_before: i64,
    created_before: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM web_sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(idle_before)
        .bind(created_before)
        .execute(pool)
        .await?;
    Ok(())
}
