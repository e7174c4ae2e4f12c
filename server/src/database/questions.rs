//! The `user_questions` and `question_challenges` tables: each user's questions with their
//! answers' hashes sealed under the master key (`answer_sealing`), and the one question they
//! were last asked.

use sqlx::{Any, AnyPool, Transaction};

/// One of a user's questions.
#[derive(Debug)]
pub struct Question {
    /// Its place among the user's questions (0, 1, 2).
    pub position: i64,
    /// The text, as it was when set.
    pub text: String,
    /// The Argon2id PHC hash of the normalised answer, sealed under the master key.
    pub sealed_answer: String,
}

/// Replaces `user`'s questions, given as (text, sealed answer) (and forgets any question asked).
pub async fn replace(
    transaction: &mut Transaction<'_, Any>,
    user: &str,
    questions: &[(String, String)],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM question_challenges WHERE user_name = $1")
        .bind(user)
        .execute(&mut **transaction)
        .await?;
    sqlx::query("DELETE FROM user_questions WHERE user_name = $1")
        .bind(user)
        .execute(&mut **transaction)
        .await?;
    for (position, (text, sealed)) in questions.iter().enumerate() {
        sqlx::query(
            "INSERT INTO user_questions (user_name, position, question, sealed_answer) VALUES ($1, $2, $3, $4)",
        )
        .bind(user)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(text)
        .bind(sealed)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

/// `user`'s questions, in order.
pub async fn of_user(pool: &AnyPool, user: &str) -> Result<Vec<Question>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (i64, String, String)>(
        "SELECT position, question, sealed_answer FROM user_questions WHERE user_name = $1 ORDER BY position",
    )
    .bind(user)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(position, text, sealed_answer)| Question {
            position,
            text,
            sealed_answer,
        })
        .collect())
}

/// Every user's stored answers, as (user, position, stored value), for sealing them anew.
pub async fn all_answers(
    transaction: &mut Transaction<'_, Any>,
) -> Result<Vec<(String, i64, String)>, sqlx::Error> {
    sqlx::query_as::<_, (String, i64, String)>(
        "SELECT user_name, position, sealed_answer FROM user_questions ORDER BY user_name, position",
    )
    .fetch_all(&mut **transaction)
    .await
}

/// Replaces the stored answer of `user`'s question `position`.
pub async fn replace_answer(
    transaction: &mut Transaction<'_, Any>,
    user: &str,
    position: i64,
    sealed: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE user_questions SET sealed_answer = $1 WHERE user_name = $2 AND position = $3",
    )
    .bind(sealed)
    .bind(user)
    .bind(position)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Records that `user` was asked question `position`, answerable until `expires_at`.
pub async fn ask(
    transaction: &mut Transaction<'_, Any>,
    user: &str,
    position: i64,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO question_challenges (user_name, position, expires_at) VALUES ($1, $2, $3) \
         ON CONFLICT (user_name) DO UPDATE SET position = excluded.position, expires_at = excluded.expires_at",
    )
    .bind(user)
    .bind(position)
    .bind(expires_at)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

/// Takes the question `user` was asked, if it has not expired by `now`: it can be answered
/// once. Only one of several parallel answers gets it.
pub async fn take_asked(pool: &AnyPool, user: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    let mut transaction = pool.begin().await?;
    let asked = sqlx::query_as::<_, (i64, i64)>(
        "SELECT position, expires_at FROM question_challenges WHERE user_name = $1",
    )
    .bind(user)
    .fetch_optional(&mut *transaction)
    .await?;
    let Some((position, expires_at)) = asked else {
        return Ok(None);
    };
    let taken = sqlx::query(
        "DELETE FROM question_challenges WHERE user_name = $1 AND position = $2 AND expires_at = $3",
    )
    .bind(user)
    .bind(position)
    .bind(expires_at)
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok((taken.rows_affected() == 1 && expires_at >= now).then_some(position))
}

/// The position of the question `user` was asked, while it can be answered (not taking it).
pub async fn asked(pool: &AnyPool, user: &str, now: i64) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar::<_, i64>(
        "SELECT position FROM question_challenges WHERE user_name = $1 AND expires_at >= $2",
    )
    .bind(user)
    .bind(now)
    .fetch_optional(pool)
    .await
}
