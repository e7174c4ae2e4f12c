//! `issuer create` and `issuer complete`: making an identity's activation data and accepting
//! the registration code its token shows.

use std::io::IsTerminal;

use clap::{Args, ValueEnum};
use serde::Serialize;
use tessera_core::codes::OcraSuite;
use tessera_core::issuer::{Completion, Issuer, LinkPasswordKind, NewIdentity};
use zeroize::Zeroizing;

use super::qr;
use crate::refusal::Refusal;

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// The issuer's name for the identity (e.g. the person's login); not put in the link.
    #[arg(long)]
    name: String,
    /// Digits per code: 6 or 8.
    #[arg(long, default_value_t = 6)]
    digits: u8,
    /// A policy document (JSON), put in the link exactly as given.
    #[arg(long, value_name = "JSON")]
    policy: Option<String>,
    /// An OCRA suite, for identities that answer challenges (e.g. OCRA-1:HOTP-SHA1-6:QN08).
    #[arg(long, value_name = "SUITE")]
    ocra: Option<String>,
    /// The self-service address put in the link (e.g. myid.example.edu/igst).
    #[arg(long, value_name = "A")]
    address: Option<String>,
    /// Steps of 30 s accepted each way for this identity (0 to 10; default 1).
    #[arg(long, value_name = "STEPS")]
    window: Option<u8>,
    /// The link's password: 16 characters grouped XXXX-XXXX-XXXX-XXXX (about 80 bits), or 8
    /// digits for tokens that accept only digits (found from the link alone in hours).
    #[arg(long, value_name = "KIND", default_value = "strong")]
    link_password: LinkPasswordArg,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum LinkPasswordArg {
    Strong,
    Digits8,
}

/// What `create` prints. Secrets are in it on purpose: this is the one time they are shown.
#[derive(Serialize)]
struct CreatedOutput<'a> {
    serial: String,
    activation_code: &'a str,
    password: &'a str,
    link: &'a str,
    name: &'a str,
    digits: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    ocra: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a str>,
}

pub fn create(issuer: &Issuer, args: CreateArgs) -> Result<Zeroizing<String>, Refusal> {
    let ocra = args
        .ocra
        .as_deref()
        .map(str::parse::<OcraSuite>)
        .transpose()?;
    let new = NewIdentity {
        name: args.name,
        digits: args.digits,
        policy: args.policy,
        ocra,
        address: args.address,
        window: args.window,
        link_password: match args.link_password {
            LinkPasswordArg::Strong => LinkPasswordKind::Strong,
            LinkPasswordArg::Digits8 => LinkPasswordKind::Digits8,
        },
    };
    let created = issuer.create(&new)?;
    let activation_code = Zeroizing::new(created.activation_code.to_string());
    let output = CreatedOutput {
        serial: created.serial.to_string(),
        activation_code: &activation_code,
        password: &created.password,
        link: &created.link,
        name: new.name.trim(),
        digits: new.digits,
        ocra: new.ocra.as_ref().map(ToString::to_string),
        address: new.address.as_deref().map(str::trim),
        policy: new.policy.as_deref(),
    };
    let json = serde_json::to_string_pretty(&output).map_err(|e| Refusal::new(e.to_string()))?;
    let mut text = Zeroizing::new(json);
    text.push('\n');
    // Scripts get pure JSON; a person at a terminal also gets the link to scan.
    if std::io::stdout().is_terminal()
        && let Some(drawn) = qr::draw(&created.link)
    {
        text.push_str("\nScan this with the token; send the password separately:\n");
        text.push_str(&drawn);
        text.push('\n');
    }
    Ok(text)
}

#[derive(Debug, Args)]
pub struct CompleteArgs {
    /// The identity's serial number.
    serial: String,
    /// The registration code its token shows.
    registration_code: String,
}

pub fn complete(issuer: &Issuer, args: CompleteArgs) -> Result<Zeroizing<String>, Refusal> {
    let line = match issuer.complete(&args.serial, &args.registration_code)? {
        Completion::Registered {
            policy_included: true,
        } => "registered (secret derived with the policy)\n",
        Completion::Registered {
            policy_included: false,
        } => "registered\n",
        Completion::AlreadyRegistered => "already registered with this registration code\n",
    };
    Ok(Zeroizing::new(line.to_string()))
}
