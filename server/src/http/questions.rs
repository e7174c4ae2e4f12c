//! `/api/v1` for challenge questions: the list offered, a user setting their answers, and a
//! relying application asking one of a user's questions (answered through `/authenticate`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::AppState;
use super::auth::Client;
use super::body::{parse, required};
use crate::api_keys::Scope;
use crate::database::{self, audit, now};
use crate::error::ApiError;
use crate::questions::{QUESTIONS_PER_USER, normalise};
use crate::{answer_sealing, passwords};

#[derive(Serialize)]
pub struct Offered {
    /// The questions a user may pick, by their index.
    questions: Vec<String>,
}

/// `GET /api/v1/questions`.
pub async fn offered(
    State(state): State<AppState>,
    client: Client,
) -> Result<Json<Offered>, ApiError> {
    client.with_scope(Scope::Enrol)?;
    Ok(Json(Offered {
        questions: state.questions.to_vec(),
    }))
}

/// `PUT /api/v1/users/{user}/questions`: `{"answers": [{"question": 0, "answer": "..."}, ...]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetRequest {
    answers: Option<Vec<Answer>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    question: Option<usize>,
    answer: Option<Zeroizing<String>>,
}

#[derive(Serialize)]
pub struct Set {
    user: String,
    questions: Vec<String>,
}

pub async fn set(
    State(state): State<AppState>,
    client: Client,
    Path(user): Path<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Set>, ApiError> {
    let actor = client.with_scope(Scope::Enrol)?;
    let request: SetRequest = parse(body)?;
    let answers = required(request.answers, "answers")?;
    if answers.len() != QUESTIONS_PER_USER {
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "answers",
            format!(
                "give exactly {QUESTIONS_PER_USER} answers, not {}",
                answers.len()
            ),
        ));
    }
    let mut chosen: Vec<(String, Zeroizing<String>)> = Vec::with_capacity(answers.len());
    for (i, answer) in answers.into_iter().enumerate() {
        let index = required(answer.question, &format!("answers[{i}].question"))?;
        let text = state.questions.get(index).ok_or_else(|| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("answers[{i}].question"),
                format!(
                    "there are questions 0 to {}, not {index}",
                    state.questions.len().saturating_sub(1)
                ),
            )
        })?;
        if chosen.iter().any(|(t, _)| t == text) {
            return Err(ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("answers[{i}].question"),
                format!("question {index} is chosen twice"),
            ));
        }
        let typed = required(answer.answer, &format!("answers[{i}].answer"))?;
        let normalised = normalise(&typed).map_err(|problem| {
            ApiError::field(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("answers[{i}].answer"),
                format!("the answer {problem}"),
            )
        })?;
        chosen.push((text.clone(), normalised));
    }
    if !database::users::exists(&state.pool, &user).await? {
        return Err(unknown_user(&user));
    }
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
            answer_sealing::seal(&state.key, &user, position, &hash)?,
        ));
    }
    let mut transaction = state.pool.begin().await?;
    database::questions::replace(&mut transaction, &user, &sealed).await?;
    let event = audit::Event {
        actor: &actor.key_id,
        action: "questions.set",
        subject: &user,
        outcome: "set",
        client: actor.client.as_deref(),
    };
    audit::write(&mut transaction, &event).await?;
    transaction.commit().await?;
    Ok(Json(Set {
        user,
        questions: sealed.into_iter().map(|(text, _)| text).collect(),
    }))
}

#[derive(Serialize)]
pub struct Asked {
    user: String,
    question: String,
    /// Seconds the question can be answered (once) through `/authenticate`.
    expires_in: u64,
}

/// `POST /api/v1/users/{user}/questions/challenge`: one of the user's questions, at random.
pub async fn challenge(
    State(state): State<AppState>,
    client: Client,
    Path(user): Path<String>,
) -> Result<Json<Asked>, ApiError> {
    let actor = client.with_scope(Scope::Verify)?;
    if !database::users::exists(&state.pool, &user).await? {
        return Err(unknown_user(&user));
    }
    let questions = database::questions::of_user(&state.pool, &user).await?;
    if questions.is_empty() {
        return Err(ApiError::field(
            StatusCode::CONFLICT,
            "user",
            format!("the user {user:?} has not set challenge questions"),
        ));
    }
    let draw: [u8; 8] = tessera_core::random::make_random_bytes()
        .map_err(|e| ApiError::internal("no random numbers", &e))?;
    let pick = u64::from_le_bytes(draw) % u64::try_from(questions.len()).unwrap_or(1);
    let question = &questions[usize::try_from(pick).unwrap_or(0)];
    let expires_at = now().saturating_add(state.question_seconds);
    let mut transaction = state.pool.begin().await?;
    database::questions::ask(
        &mut transaction,
        &user,
        question.position,
        database::as_column(expires_at),
    )
    .await?;
    let event = audit::Event {
        actor: &actor.key_id,
        action: "questions.challenge",
        subject: &user,
        outcome: "asked",
        client: actor.client.as_deref(),
    };
    audit::write(&mut transaction, &event).await?;
    transaction.commit().await?;
    Ok(Json(Asked {
        user,
        question: question.text.clone(),
        expires_in: state.question_seconds,
    }))
}

pub fn unknown_user(user: &str) -> ApiError {
    ApiError::field(
        StatusCode::NOT_FOUND,
        "user",
        format!("there is no user {user:?}"),
    )
}
