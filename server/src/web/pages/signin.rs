//! Signing in: the password, then setting challenge questions (a user without them), a
//! challenge question (a user without a registered token, or one whose token is locked or
//! lost), or the token's code.

use askama::Template;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::HeaderValue;
use zeroize::Zeroizing;

use crate::authn::{self, Attempt};
use crate::challenge_questions::{self, Choice, ChoiceProblem, check_choices};
use crate::database;
use crate::http::AppState;
use crate::passwords;
use crate::throttle::Factor;
use crate::web::csrf;
use crate::web::forms::{self, Answer, Code, Query, SetQuestions, SignIn};
use crate::web::render::{ENDED, PageError, PageResult, html_with, redirect};
use crate::web::second_factor::{self, Outcome, Prompt};
use crate::web::session::{Session, Stage, Visit};

/// The words for a wrong user ID or password (the same for an unknown user).
const WRONG_PASSWORD: &str = "The user ID or password is wrong.";
/// A valid Argon2id hash of nothing anyone types, checked for an unknown user so that the
/// answer takes as long as for a known one.
const DECOY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$dGVzc2VyYWRlY295$ZKoEg3BFGf9Qi5h8u0OmZ1GKpvV6RD0K6Oz3l8o8TfE";

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    user: &'a str,
}

/// The sign-in form with a fresh pre-session token.
pub fn signin_page(
    visit: &Visit,
    notice: Option<&str>,
    error: Option<&str>,
    user: &str,
    extra_cookie: Option<HeaderValue>,
) -> PageResult {
    let (token, cookie) = csrf::pre_session(visit)?;
    let page = SignInPage {
        csrf: &token,
        notice,
        error,
        user,
    };
    let mut response = html_with(&page, cookie);
    if let Some(extra) = extra_cookie {
        response
            .headers_mut()
            .append(axum::http::header::SET_COOKIE, extra);
    }
    Ok(response)
}

/// `GET /signin`.
pub async fn form(visit: Visit, RawQuery(query): RawQuery) -> PageResult {
    let query: Query = forms::parse(query.unwrap_or_default().as_bytes())?;
    let error = query.ended.is_some().then_some(ENDED);
    signin_page(&visit, None, error, "", None)
}

/// `POST /signin`: the password.
pub async fn password(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let form: SignIn = forms::parse(&body)?;
    let expected = visit.cookie(csrf::PRE_SESSION_COOKIE).unwrap_or_default();
    csrf::check(&expected, form.csrf.as_deref())?;
    let user = form.user.unwrap_or_default().trim().to_owned();
    let password = form.password.unwrap_or_default();
    let wrong =
        |visit: &Visit, user: &str| signin_page(visit, None, Some(WRONG_PASSWORD), user, None);
    let Some(hash) = database::users::password_hash(&state.pool, &user).await? else {
        let decoy = password.clone();
        tokio::task::spawn_blocking(move || passwords::matches(decoy.as_bytes(), DECOY_HASH))
            .await
            .map_err(|_| PageError::Internal)?;
        return wrong(&visit, &user);
    };
    let actor = visit.actor("web", &user);
    let attempt = Attempt {
        pool: &state.pool,
        policy: &state.throttle,
        user: &user,
        actor: &actor,
        action: "web.signin",
        subject: &user,
    };
    let counts = match authn::admit_or_refuse(attempt, &[Factor::Password]).await? {
        Ok(counts) => counts,
        Err((_, refusal)) => {
            let words = second_factor::throttled(refusal);
            return signin_page(&visit, None, Some(&words), &user, None);
        }
    };
    let right = tokio::task::spawn_blocking(move || passwords::matches(password.as_bytes(), &hash))
        .await
        .map_err(|_| PageError::Internal)?;
    authn::settle(attempt, &[(Factor::Password, right)], &counts, true).await?;
    if !right {
        return wrong(&visit, &user);
    }
    let (_, cookie) = Session::start(&state, &user, Stage::Password).await?;
    Ok(redirect("/signin/step", Some(cookie)))
}

#[derive(Template)]
#[template(path = "set_questions.html")]
struct QuestionsPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    slots: Vec<Slot<'a>>,
}

struct Slot<'a> {
    number: usize,
    options: Vec<QuestionOption<'a>>,
}

struct QuestionOption<'a> {
    value: usize,
    text: &'a str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "answer.html")]
struct AnswerPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    question: &'a str,
}

#[derive(Template)]
#[template(path = "code.html")]
pub(crate) struct CodePage<'a> {
    pub csrf: &'a str,
    pub notice: Option<&'a str>,
    pub error: Option<&'a str>,
    pub title: &'a str,
    pub action: &'a str,
    pub button: &'a str,
    pub challenge: Option<&'a str>,
    pub help_link: bool,
}

fn questions_page(state: &AppState, session: &Session, error: Option<&str>) -> PageResult {
    let slots = (1..=3)
        .map(|number| Slot {
            number,
            options: state
                .questions
                .iter()
                .enumerate()
                .map(|(value, text)| QuestionOption {
                    value,
                    text,
                    selected: value + 1 == number,
                })
                .collect(),
        })
        .collect();
    let page = QuestionsPage {
        csrf: &session.csrf,
        notice: Some("You have not set your second factor yet."),
        error,
        slots,
    };
    Ok(html_with(&page, None))
}

/// The answer page with the question asked (asking one when none is pending).
async fn answer_page(
    state: &AppState,
    visit: &Visit,
    session: &Session,
    error: Option<&str>,
    fresh: bool,
) -> PageResult {
    let pending = if fresh {
        None
    } else {
        challenge_questions::asked(&state.pool, &session.user).await?
    };
    let question = match pending {
        Some(question) => question,
        None => {
            let actor = visit.actor("web", &session.user);
            match challenge_questions::ask(state, &session.user, &actor).await? {
                Some(question) => question,
                None => {
                    return Err(PageError::Forbidden(
                        "You have not set challenge questions. Call the help desk.",
                    ));
                }
            }
        }
    };
    let page = AnswerPage {
        csrf: &session.csrf,
        notice: None,
        error,
        question: &question,
    };
    Ok(html_with(&page, None))
}

/// The token step of sign-in.
async fn code_page(
    state: &AppState,
    visit: &Visit,
    session: &mut Session,
    error: Option<&str>,
) -> PageResult {
    let actor = visit.actor("web", &session.user);
    let prompt = second_factor::prompt(state, session, &actor).await?;
    let (title, challenge) = match &prompt {
        Some(Prompt::Challenge(challenge)) => ("Answer the challenge", Some(challenge.as_str())),
        Some(Prompt::Code) | None => ("Enter your security code", None),
    };
    let page = CodePage {
        csrf: &session.csrf,
        notice: None,
        error,
        title,
        action: "/signin/code",
        button: "Sign in",
        challenge,
        help_link: true,
    };
    Ok(html_with(&page, None))
}

/// `GET /signin/step`: the next step after the password.
pub async fn step(State(state): State<AppState>, visit: Visit) -> PageResult {
    let mut session = Session::require(&state, &visit, &[Stage::Password, Stage::Question]).await?;
    if session.stage == Stage::Question {
        return answer_page(&state, &visit, &session, None, false).await;
    }
    if database::questions::of_user(&state.pool, &session.user)
        .await?
        .is_empty()
        && state.tokens.registered_of(&session.user).await?.is_empty()
    {
        return questions_page(&state, &session, None);
    }
    if state.tokens.registered_of(&session.user).await?.is_empty() {
        return answer_page(&state, &visit, &session, None, false).await;
    }
    code_page(&state, &visit, &mut session, None).await
}

/// `POST /signin/questions`: the user's three questions and answers; then signed out, to
/// sign in again with one of them.
pub async fn set_questions(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let session = Session::require(&state, &visit, &[Stage::Password]).await?;
    let form: SetQuestions = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    if !database::questions::of_user(&state.pool, &session.user)
        .await?
        .is_empty()
    {
        // Answers are set once here; changing them takes the help desk (a reset).
        return Err(PageError::Forbidden(
            "Your challenge questions are set already.",
        ));
    }
    let picks = [
        (form.question1, form.answer1),
        (form.question2, form.answer2),
        (form.question3, form.answer3),
    ];
    let mut choices = Vec::with_capacity(picks.len());
    for (question, answer) in picks {
        let Some(question) = question.and_then(|q| q.parse::<usize>().ok()) else {
            return Err(PageError::BadForm);
        };
        choices.push(Choice {
            question,
            answer: answer.unwrap_or_default(),
        });
    }
    let chosen = match check_choices(&state.questions, choices) {
        Ok(chosen) => chosen,
        Err(problem) => {
            let words = choice_words(&problem);
            return questions_page(&state, &session, Some(&words));
        }
    };
    let actor = visit.actor("web", &session.user);
    challenge_questions::set(&state, &session.user, chosen, &actor).await?;
    session.end(&state).await?;
    signin_page(
        &visit,
        Some("Your answers are saved. Sign in again and answer one of your questions."),
        None,
        "",
        Some(crate::web::session::clear_cookie(
            crate::web::session::COOKIE_NAME,
        )),
    )
}

/// A refused choice of questions in plain words.
fn choice_words(problem: &ChoiceProblem) -> String {
    match problem {
        ChoiceProblem::Count { .. } | ChoiceProblem::UnknownQuestion { .. } => {
            "Choose a question from the list for each of the three.".into()
        }
        ChoiceProblem::ChosenTwice { at, .. } => {
            format!(
                "Question {} is the same as another: choose three different questions.",
                at + 1
            )
        }
        ChoiceProblem::Answer { at, problem } => format!("Answer {} {problem}.", at + 1),
    }
}

/// `POST /signin/answer`: the answer to the question asked.
pub async fn answer(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let mut session = Session::require(&state, &visit, &[Stage::Password, Stage::Question]).await?;
    let form: Answer = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let has_token = !state.tokens.registered_of(&session.user).await?.is_empty();
    if session.stage == Stage::Password && has_token {
        // A registered token is the second factor; the question is for a locked or lost one.
        return Err(PageError::SignIn);
    }
    let typed = form.answer.unwrap_or_default();
    let user = session.user.clone();
    let actor = visit.actor("web", &user);
    let attempt = Attempt {
        pool: &state.pool,
        policy: &state.throttle,
        user: &user,
        actor: &actor,
        action: "web.answer",
        subject: &user,
    };
    let counts = match authn::admit_or_refuse(attempt, &[Factor::Answer]).await? {
        Ok(counts) => counts,
        Err((_, refusal)) => {
            let words = second_factor::throttled(refusal);
            return answer_page(&state, &visit, &session, Some(&words), false).await;
        }
    };
    let right = match crate::questions::normalise(&typed) {
        Ok(normalised) => challenge_questions::answer_is_right(&state, &user, normalised).await?,
        Err(_) => {
            // Used up like a wrong answer, so a question cannot be tried twice.
            let now = database::as_column(database::now());
            database::questions::take_asked(&state.pool, &user, now).await?;
            false
        }
    };
    authn::settle(attempt, &[(Factor::Answer, right)], &counts, true).await?;
    if !right {
        return answer_page(
            &state,
            &visit,
            &session,
            Some("That answer is wrong."),
            true,
        )
        .await;
    }
    if has_token {
        let cookie = session.promote(&state, Stage::Help).await?;
        return Ok(redirect("/token/help", Some(cookie)));
    }
    let cookie = session.promote(&state, Stage::Full).await?;
    Ok(redirect("/account", Some(cookie)))
}

/// `POST /signin/code`: the token's code or response.
pub async fn code(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let mut session = Session::require(&state, &visit, &[Stage::Password]).await?;
    let form: Code = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let typed: Zeroizing<String> = form.code.unwrap_or_default();
    let actor = visit.actor("web", &session.user);
    let was_challenge = session.challenge.is_some();
    let outcome =
        second_factor::check(&state, &mut session, typed.trim(), &actor, "web.code").await?;
    let error = match outcome {
        Outcome::Accepted => {
            let cookie = session.promote(&state, Stage::Full).await?;
            return Ok(redirect("/account", Some(cookie)));
        }
        Outcome::Wrong => code_wrong(was_challenge),
        Outcome::Used => "That security code has already been used. Wait for the next one.".into(),
        Outcome::Throttled(words) => words,
    };
    code_page(&state, &visit, &mut session, Some(&error)).await
}

/// The words for a wrong code, or a wrong response to a challenge.
pub(crate) fn code_wrong(was_challenge: bool) -> String {
    if was_challenge {
        "That response is wrong.".into()
    } else {
        "That security code is wrong.".into()
    }
}

/// `GET /signin/help`: "My soft token is locked or lost": a challenge question next.
pub async fn help(State(state): State<AppState>, visit: Visit) -> PageResult {
    let mut session = Session::require(&state, &visit, &[Stage::Password, Stage::Question]).await?;
    if session.stage == Stage::Password && !session.demote(&state, Stage::Question).await? {
        return Err(PageError::SignIn);
    }
    answer_page(&state, &visit, &session, None, false).await
}
