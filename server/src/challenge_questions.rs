//! Challenge questions as the API and the Self Service pages both use them: checking a user's
//! choice of questions, storing the answers (hashed, sealed, audited), asking one question at
//! random, and checking an answer to the question asked. The callers only parse their input
//! and word the refusals their own way.

use sqlx::AnyPool;
use zeroize::Zeroizing;

use crate::database::{self, audit, now};
use crate::error::ApiError;
use crate::http::AppState;
use crate::questions::{QUESTIONS_PER_USER, normalise};
use crate::token_store::Actor;
use crate::{answer_sealing, passwords};

/// One question chosen: its index in the offered list and the answer as typed.
#[derive(Debug)]
pub struct Choice {
    /// The index in the configured list.
    pub question: usize,
    /// The answer as typed (normalised by [`check_choices`]).
    pub answer: Zeroizing<String>,
}

/// Why a user's choice cannot be stored; `at` counts the choices from 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChoiceProblem {
    /// Not [`QUESTIONS_PER_USER`] choices.
    Count {
        /// How many were given.
        given: usize,
    },
    /// The index is not in the offered list.
    UnknownQuestion {
        /// Which choice.
        at: usize,
        /// The index given.
        index: usize,
        /// How many questions are offered.
        offered: usize,
    },
    /// The same question chosen twice.
    ChosenTwice {
        /// Which choice.
        at: usize,
        /// The index given.
        index: usize,
    },
    /// The answer is empty, too long or has a control character (`questions::normalise`).
    Answer {
        /// Which choice.
        at: usize,
        /// What is wrong, e.g. "is empty".
        problem: String,
    },
}

/// The chosen questions' texts with their normalised answers, or the first problem.
pub fn check_choices(
    offered: &[String],
    choices: Vec<Choice>,
) -> Result<Vec<(String, Zeroizing<String>)>, ChoiceProblem> {
    if choices.len() != QUESTIONS_PER_USER {
        return Err(ChoiceProblem::Count {
            given: choices.len(),
        });
    }
    let mut chosen: Vec<(String, Zeroizing<String>)> = Vec::with_capacity(choices.len());
    for (at, choice) in choices.into_iter().enumerate() {
        let index = choice.question;
        let text = offered.get(index).ok_or(ChoiceProblem::UnknownQuestion {
            at,
            index,
            offered: offered.len(),
        })?;
        if chosen.iter().any(|(t, _)| t == text) {
            return Err(ChoiceProblem::ChosenTwice { at, index });
        }
        let normalised =
            normalise(&choice.answer).map_err(|problem| ChoiceProblem::Answer { at, problem })?;
        chosen.push((text.clone(), normalised));
    }
    Ok(chosen)
}

/// Stores `user`'s checked choices (replacing any earlier ones, and forgetting a question
/// asked), the answers hashed and sealed, with the audit row in the same transaction; returns
/// the questions' texts. The user must exist.
pub async fn set(
    state: &AppState,
    user: &str,
    chosen: Vec<(String, Zeroizing<String>)>,
    actor: &Actor,
) -> Result<Vec<String>, ApiError> {
    let hashed = tokio::task::spawn_blocking(move || {
        chosen
            .into_iter()
            .map(|(text, answer)| {
                passwords::hash_secret(answer.as_bytes()).map(|hash| (text, hash))
            })
            .collect::<Result<Vec<_>, _>>()
    })
    .await
    .map_err(|e| ApiError::internal("hashing answers failed", &e))?
    .map_err(|e| ApiError::internal("hashing answers failed", &e))?;
    let mut sealed = Vec::with_capacity(hashed.len());
    for (position, (text, hash)) in (0..).zip(hashed) {
        sealed.push((
            text,
            answer_sealing::seal(&state.key, user, position, &hash)?,
        ));
    }
    let mut transaction = state.pool.begin().await?;
    database::questions::replace(&mut transaction, user, &sealed).await?;
    let event = audit::Event {
        actor: &actor.key_id,
        action: "questions.set",
        subject: user,
        outcome: "set",
        client: actor.client.as_deref(),
    };
    audit::write(&mut transaction, &event).await?;
    transaction.commit().await?;
    Ok(sealed.into_iter().map(|(text, _)| text).collect())
}

/// Forgets `user`'s questions and answers (the help desk's reset), audited.
pub async fn reset(pool: &AnyPool, user: &str, actor: &Actor) -> Result<(), ApiError> {
    let mut transaction = pool.begin().await?;
    database::questions::replace(&mut transaction, user, &[]).await?;
    let event = audit::Event {
        actor: &actor.key_id,
        action: "questions.reset",
        subject: user,
        outcome: "reset",
        client: actor.client.as_deref(),
    };
    audit::write(&mut transaction, &event).await?;
    transaction.commit().await?;
    Ok(())
}

/// Asks one of `user`'s questions, drawn at random, answerable once for the configured time
/// (audited); `None` when the user has set none.
pub async fn ask(state: &AppState, user: &str, actor: &Actor) -> Result<Option<String>, ApiError> {
    let questions = database::questions::of_user(&state.pool, user).await?;
    if questions.is_empty() {
        return Ok(None);
    }
    let draw: [u8; 8] = tessera_core::random::make_random_bytes()
        .map_err(|e| ApiError::internal("no random numbers", &e))?;
    let pick = u64::from_le_bytes(draw) % u64::try_from(questions.len()).unwrap_or(1);
    let question = &questions[usize::try_from(pick).unwrap_or(0)];
    let expires_at = now().saturating_add(state.question_seconds);
    let mut transaction = state.pool.begin().await?;
    database::questions::ask(
        &mut transaction,
        user,
        question.position,
        database::as_column(expires_at),
    )
    .await?;
    let event = audit::Event {
        actor: &actor.key_id,
        action: "questions.challenge",
        subject: user,
        outcome: "asked",
        client: actor.client.as_deref(),
    };
    audit::write(&mut transaction, &event).await?;
    transaction.commit().await?;
    Ok(Some(question.text.clone()))
}

/// The text of the question `user` was asked, while it can still be answered (so a page shown
/// again shows the same question instead of drawing a new one).
pub async fn asked(pool: &AnyPool, user: &str) -> Result<Option<String>, ApiError> {
    let now = database::as_column(now());
    let Some(position) = database::questions::asked(pool, user, now).await? else {
        return Ok(None);
    };
    let questions = database::questions::of_user(pool, user).await?;
    Ok(questions
        .into_iter()
        .find(|q| q.position == position)
        .map(|q| q.text))
}

/// True when `answer` (normalised) answers the question the user was last asked. The question
/// is used up either way; with none asked (or expired) the answer is wrong.
pub async fn answer_is_right(
    state: &AppState,
    user: &str,
    answer: Zeroizing<String>,
) -> Result<bool, ApiError> {
    let now = database::as_column(now());
    let Some(position) = database::questions::take_asked(&state.pool, user, now).await? else {
        return Ok(false);
    };
    let questions = database::questions::of_user(&state.pool, user).await?;
    let Some(question) = questions.into_iter().find(|q| q.position == position) else {
        return Ok(false);
    };
    let hash = answer_sealing::open(&state.key, user, position, &question.sealed_answer)?;
    tokio::task::spawn_blocking(move || passwords::matches(answer.as_bytes(), &hash))
        .await
        .map_err(|e| ApiError::internal("checking an answer failed", &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(question: usize, answer: &str) -> Choice {
        Choice {
            question,
            answer: Zeroizing::new(answer.to_owned()),
        }
    }

    #[test]
    fn a_choice_needs_three_distinct_offered_questions_with_answers() {
        let offered = crate::questions::default_offered();
        let checked = check_choices(
            &offered,
            vec![choice(2, " Rex "), choice(0, "a"), choice(1, "b")],
        )
        .unwrap();
        assert_eq!(checked[0].0, offered[2]);
        assert_eq!(checked[0].1.as_str(), "rex");
        assert_eq!(
            check_choices(&offered, vec![choice(0, "a")]).unwrap_err(),
            ChoiceProblem::Count { given: 1 }
        );
        assert_eq!(
            check_choices(
                &offered,
                vec![choice(0, "a"), choice(0, "b"), choice(1, "c")]
            )
            .unwrap_err(),
            ChoiceProblem::ChosenTwice { at: 1, index: 0 }
        );
        assert_eq!(
            check_choices(
                &offered,
                vec![choice(0, "a"), choice(99, "b"), choice(1, "c")]
            )
            .unwrap_err(),
            ChoiceProblem::UnknownQuestion {
                at: 1,
                index: 99,
                offered: offered.len()
            }
        );
        assert_eq!(
            check_choices(
                &offered,
                vec![choice(0, "a"), choice(1, "b"), choice(2, " ")]
            )
            .unwrap_err(),
            ChoiceProblem::Answer {
                at: 2,
                problem: "is empty".into()
            }
        );
    }
}
