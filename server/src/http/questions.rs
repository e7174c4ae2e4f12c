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
use crate::challenge_questions::{self, Choice, ChoiceProblem, check_choices};
use crate::database;
use crate::error::ApiError;
use crate::questions::QUESTIONS_PER_USER;

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
        return Err(refusal(ChoiceProblem::Count {
            given: answers.len(),
        }));
    }
    let mut choices = Vec::with_capacity(answers.len());
    for (i, answer) in answers.into_iter().enumerate() {
        choices.push(Choice {
            question: required(answer.question, &format!("answers[{i}].question"))?,
            answer: required(answer.answer, &format!("answers[{i}].answer"))?,
        });
    }
    let chosen = check_choices(&state.questions, choices).map_err(refusal)?;
    if !database::users::exists(&state.pool, &user).await? {
        return Err(unknown_user(&user));
    }
    let questions = challenge_questions::set(&state, &user, chosen, &actor).await?;
    Ok(Json(Set { user, questions }))
}

/// The API's words for a choice that cannot be stored.
fn refusal(problem: ChoiceProblem) -> ApiError {
    let unprocessable = |field: String, message: String| {
        ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, field, message)
    };
    match problem {
        ChoiceProblem::Count { given } => unprocessable(
            "answers".into(),
            format!("give exactly {QUESTIONS_PER_USER} answers, not {given}"),
        ),
        ChoiceProblem::UnknownQuestion { at, index, offered } => unprocessable(
            format!("answers[{at}].question"),
            format!(
                "there are questions 0 to {}, not {index}",
                offered.saturating_sub(1)
            ),
        ),
        ChoiceProblem::ChosenTwice { at, index } => unprocessable(
            format!("answers[{at}].question"),
            format!("question {index} is chosen twice"),
        ),
        ChoiceProblem::Answer { at, problem } => unprocessable(
            format!("answers[{at}].answer"),
            format!("the answer {problem}"),
        ),
    }
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
    let Some(question) = challenge_questions::ask(&state, &user, &actor).await? else {
        return Err(ApiError::field(
            StatusCode::CONFLICT,
            "user",
            format!("the user {user:?} has not set challenge questions"),
        ));
    };
    Ok(Json(Asked {
        user,
        question,
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
