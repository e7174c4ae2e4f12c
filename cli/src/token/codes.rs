//! `tessera list`, `tessera code`, `tessera challenge`: what the identities show.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use tessera_core::identity::{CodeView, IdentityKindLabel, IdentitySummary};
use tessera_core::session::Session;
use zeroize::Zeroizing;

use crate::refusal::Refusal;
use crate::secret::OCRA_PIN;

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Print JSON (no secrets) instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct CodeArgs {
    /// A name or issuer (any case); without it, every identity.
    name: Option<String>,
    /// Unix time to compute the code for (default: now, plus the time offset).
    #[arg(long, conflicts_with = "watch")]
    at: Option<u64>,
    /// Redraw every second with a countdown bar until Ctrl-C.
    #[arg(long)]
    watch: bool,
}

#[derive(Debug, Args)]
pub struct ChallengeArgs {
    /// A name or issuer (any case).
    name: String,
    /// The challenge the organisation showed.
    question: String,
    /// The organisation's PIN, for OCRA suites that include one: `--ocra-pin` alone asks for
    /// it (TESSERA_OCRA_PIN without a terminal), `--ocra-pin -` reads it from standard input.
    #[arg(long, value_name = "PIN", num_args = 0..=1)]
    ocra_pin: Option<Option<String>>,
}

pub fn list(home: PathBuf, args: ListArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    super::unlock(&session)?;
    let identities = session.identities()?;
    if args.json {
        let json =
            serde_json::to_string_pretty(&identities).map_err(|e| Refusal::new(e.to_string()))?;
        return Ok(Zeroizing::new(json + "\n"));
    }
    let mut text = String::new();
    for identity in &identities {
        text.push_str(&format!(
            "{}\t{}\t{}\n",
            identity.name,
            kind_label(identity),
            identity.issuer.as_deref().unwrap_or("")
        ));
    }
    Ok(Zeroizing::new(text))
}

pub fn code(home: PathBuf, args: CodeArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    super::unlock(&session)?;
    let chosen = match &args.name {
        Some(name) => vec![session.find(name)?],
        None => session.identities()?,
    };
    if args.watch {
        return watch(&session, &chosen);
    }
    // One identity named: the code alone, for scripts. Otherwise a line per identity.
    if let (Some(_), [identity]) = (&args.name, chosen.as_slice()) {
        let view = view(&session, identity, args.at)?;
        return Ok(Zeroizing::new(format!("{}\n", view.code)));
    }
    let mut text = Zeroizing::new(String::new());
    for identity in &chosen {
        text.push_str(&line(&session, identity, args.at)?);
        text.push('\n');
    }
    Ok(text)
}

pub fn challenge(home: PathBuf, args: ChallengeArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    super::unlock(&session)?;
    let identity = session.find(&args.name)?;
    let ocra_pin = args
        .ocra_pin
        .map(|given| OCRA_PIN.read(given.as_deref()))
        .transpose()?;
    let response = session.challenge(
        &identity.id,
        &args.question,
        ocra_pin.as_deref().map(String::as_str),
    )?;
    Ok(Zeroizing::new(format!("{response}\n")))
}

fn view(
    session: &Session,
    identity: &IdentitySummary,
    at: Option<u64>,
) -> Result<CodeView, Refusal> {
    Ok(match at {
        Some(at) => session.code_at(&identity.id, at)?,
        None => session.code(&identity.id)?,
    })
}

fn line(session: &Session, identity: &IdentitySummary, at: Option<u64>) -> Result<String, Refusal> {
    if identity.kind == IdentityKindLabel::Ocra {
        return Ok(format!(
            "{}: answers challenges (tessera challenge NAME QUESTION)",
            identity.name
        ));
    }
    let view = view(session, identity, at)?;
    Ok(match view.seconds_left {
        Some(left) => format!("{}: {} ({left} s left)", identity.name, view.grouped),
        None => format!("{}: {}", identity.name, view.grouped),
    })
}

/// Redraws time-based codes every second. Counter-based identities are not advanced here:
/// each redraw would use up a code.
fn watch(session: &Session, identities: &[IdentitySummary]) -> Result<Zeroizing<String>, Refusal> {
    let mut stdout = std::io::stdout();
    loop {
        let mut screen = Zeroizing::new(String::from("\x1b[2J\x1b[H"));
        for identity in identities {
            if identity.period.is_none() {
                screen.push_str(&format!(
                    "{}: run `tessera code \"{}\"` for the next code\n",
                    identity.name, identity.name
                ));
                continue;
            }
            let view = session.code(&identity.id)?;
            let (left, period) = (
                view.seconds_left.unwrap_or(0),
                view.period.unwrap_or(30).max(1),
            );
            let filled = (left as usize * 20).div_ceil(period as usize);
            screen.push_str(&format!(
                "{:<24} {:>11}  [{:<20}] {left:>3} s\n",
                identity.name,
                view.grouped,
                "#".repeat(filled)
            ));
        }
        screen.push_str("\nCtrl-C to stop\n");
        stdout
            .write_all(screen.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| Refusal::new(e.to_string()))?;
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn kind_label(identity: &IdentitySummary) -> &'static str {
    kind_name(identity.kind)
}

/// The kind as `list` prints it.
pub(crate) fn kind_name(kind: IdentityKindLabel) -> &'static str {
    match kind {
        IdentityKindLabel::Totp => "totp",
        IdentityKindLabel::Hotp => "hotp",
        IdentityKindLabel::Steam => "steam",
        IdentityKindLabel::Ocra => "ocra",
        IdentityKindLabel::IdentityGuard => "identityguard",
    }
}
