//! Requesting a soft token: the two questions, the activation page (serial number,
//! activation code, address, QR code, the link by e-mail) and the registration code.
//!
//! The activation data is kept in the session row sealed under the master key, so a reload
//! shows it again, and is deleted when the token is activated.

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use tessera_core::issuer::{IssuerError, NewIdentity, open_value, seal_value};
use zeroize::Zeroize;

use crate::error::ApiError;
use crate::http::AppState;
use crate::mail::MailError;
use crate::web::csrf;
use crate::web::forms::{self, Email, Registration, YesNo};
use crate::web::render::{Message, PageError, PageResult, html_with, redirect};
use crate::web::session::{Session, Stage, Visit};

/// The stages that may request and activate a token.
const SIGNED_IN: &[Stage] = &[Stage::Full, Stage::SteppedUp];

/// What the activation page shows, sealed in the session between requests.
#[derive(Serialize, Deserialize)]
struct Activation {
    serial: String,
    activation_code: String,
    address: String,
    link: String,
    password: String,
}

impl Drop for Activation {
    fn drop(&mut self) {
        self.activation_code.zeroize();
        self.link.zeroize();
        self.password.zeroize();
    }
}

fn context(user: &str) -> Vec<u8> {
    let mut context = b"web-activation\0".to_vec();
    context.extend_from_slice(user.as_bytes());
    context
}

fn seal(state: &AppState, user: &str, activation: &Activation) -> Result<String, ApiError> {
    let json = zeroize::Zeroizing::new(
        serde_json::to_vec(activation)
            .map_err(|e| ApiError::internal("activation data not sealed", &e))?,
    );
    Ok(seal_value(&state.key, &context(user), &json)?)
}

fn open(state: &AppState, session: &Session) -> Result<Option<Activation>, ApiError> {
    let Some(sealed) = &session.activation else {
        return Ok(None);
    };
    let json = open_value(&state.key, &context(&session.user), sealed, "activation")?;
    serde_json::from_slice(&json)
        .map(Some)
        .map_err(|_| IssuerError::SealedValueDamaged { what: "activation" }.into())
}

#[derive(Template)]
#[template(path = "request.html")]
struct RequestPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "install.html")]
struct InstallPage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    not_yet: bool,
}

#[derive(Template)]
#[template(path = "activate.html")]
struct ActivatePage<'a> {
    csrf: &'a str,
    notice: Option<&'a str>,
    error: Option<&'a str>,
    serial: &'a str,
    activation_code: &'a str,
    address: &'a str,
    qr_svg: &'a str,
    link_password: &'a str,
    mail: bool,
}

/// `GET /token/request`.
pub async fn request(State(state): State<AppState>, visit: Visit) -> PageResult {
    let session = Session::require(&state, &visit, SIGNED_IN).await?;
    if session.activation.is_some() {
        return Ok(redirect("/token/activate", None));
    }
    if !state.tokens.registered_of(&session.user).await?.is_empty() {
        return Err(PageError::Forbidden(
            "You have an active soft token already. If it is lost, disable it first.",
        ));
    }
    let page = RequestPage {
        csrf: &session.csrf,
        notice: None,
        error: None,
    };
    Ok(html_with(&page, None))
}

/// `POST /token/request`: "Yes" or "No".
pub async fn wanted(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let session = Session::require(&state, &visit, SIGNED_IN).await?;
    let form: YesNo = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    if form.answer.as_deref() != Some("yes") {
        return Ok(redirect("/account", None));
    }
    let page = InstallPage {
        csrf: &session.csrf,
        notice: None,
        error: None,
        not_yet: false,
    };
    Ok(html_with(&page, None))
}

/// `POST /token/install`: "Yes, it is installed" makes the token; "Not yet" says where to
/// get one.
pub async fn installed(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let mut session = Session::require(&state, &visit, SIGNED_IN).await?;
    let form: YesNo = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    if form.answer.as_deref() != Some("yes") {
        let page = InstallPage {
            csrf: &session.csrf,
            notice: None,
            error: None,
            not_yet: true,
        };
        return Ok(html_with(&page, None));
    }
    if session.activation.is_none() {
        if !state.tokens.registered_of(&session.user).await?.is_empty() {
            return Err(PageError::Forbidden(
                "You have an active soft token already. If it is lost, disable it first.",
            ));
        }
        let actor = visit.actor("web", &session.user);
        let mut new = NewIdentity::new(session.user.clone());
        new.address = state.address.clone();
        let issued = state.tokens.create(&session.user, &new, &actor).await?;
        let activation = Activation {
            serial: issued.serial.to_string(),
            activation_code: issued.activation_code.to_string(),
            address: new.address.clone().unwrap_or_default(),
            link: issued.link.to_string(),
            password: issued.password.to_string(),
        };
        let sealed = seal(&state, &session.user, &activation)?;
        session.keep_activation(&state, Some(sealed)).await?;
    }
    Ok(redirect("/token/activate", None))
}

fn activate_page(
    state: &AppState,
    session: &Session,
    activation: &Activation,
    notice: Option<&str>,
    error: Option<&str>,
) -> PageResult {
    let svg = crate::qr_svg::draw(&activation.link)?;
    // The renderer writes an XML declaration first; inline in HTML only the <svg> belongs.
    let svg = svg.find("<svg").map_or(svg.as_str(), |at| &svg[at..]);
    let page = ActivatePage {
        csrf: &session.csrf,
        notice,
        error,
        serial: &activation.serial,
        activation_code: &activation.activation_code,
        address: &activation.address,
        qr_svg: svg,
        link_password: &activation.password,
        mail: state.mailer.is_some(),
    };
    Ok(html_with(&page, None))
}

/// `GET /token/activate`.
pub async fn activate(State(state): State<AppState>, visit: Visit) -> PageResult {
    let session = Session::require(&state, &visit, SIGNED_IN).await?;
    let Some(activation) = open(&state, &session)? else {
        return Ok(redirect("/token/request", None));
    };
    activate_page(&state, &session, &activation, None, None)
}

/// `POST /token/email`: the link by e-mail, its password on the page.
pub async fn email(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let session = Session::require(&state, &visit, SIGNED_IN).await?;
    let form: Email = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let Some(activation) = open(&state, &session)? else {
        return Ok(redirect("/token/request", None));
    };
    let Some(mailer) = &state.mailer else {
        return Err(PageError::Forbidden(
            "This server is not set up to send e-mail.",
        ));
    };
    let to = form.email.unwrap_or_default().trim().to_owned();
    let sent = mailer
        .send_activation_link(&to, &session.user, &activation.link)
        .await;
    let actor = visit.actor("web", &session.user);
    let outcome = if sent.is_ok() { "sent" } else { "failed" };
    crate::web::pages::audit(
        &state,
        &actor,
        "token.mail_link",
        &activation.serial,
        outcome,
    )
    .await?;
    match sent {
        Ok(()) => {
            let notice = format!("The activation link was sent to {to}.");
            activate_page(&state, &session, &activation, Some(&notice), None)
        }
        Err(MailError::InvalidAddress { .. }) => activate_page(
            &state,
            &session,
            &activation,
            None,
            Some("That is not an e-mail address. Check it and try again."),
        ),
        Err(error) => {
            tracing::warn!(%error, "an activation link was not sent");
            activate_page(
                &state,
                &session,
                &activation,
                None,
                Some("The e-mail could not be sent. Try again later, or type the values above."),
            )
        }
    }
}

/// `POST /token/activate`: the registration code the token shows.
pub async fn complete(State(state): State<AppState>, visit: Visit, body: Bytes) -> PageResult {
    let mut session = Session::require(&state, &visit, SIGNED_IN).await?;
    let form: Registration = forms::parse(&body)?;
    csrf::check(&session.csrf, form.csrf.as_deref())?;
    let Some(activation) = open(&state, &session)? else {
        return Ok(redirect("/token/request", None));
    };
    let code = form.registration_code.unwrap_or_default();
    let actor = visit.actor("web", &session.user);
    match state
        .tokens
        .complete(&activation.serial, code.trim(), &actor)
        .await
    {
        Ok(_) => {}
        Err(error) if error.status().is_client_error() => {
            return activate_page(
                &state,
                &session,
                &activation,
                None,
                Some("That registration code is wrong. Check it and try again."),
            );
        }
        Err(error) => return Err(error.into()),
    }
    session.keep_activation(&state, None).await?;
    let page = Message {
        title: "Soft token activated",
        notice: Some("You have successfully activated the soft token."),
        error: None,
        links: vec![("/account", "Back to your account")],
    };
    Ok(html_with(&page, None))
}
