//! `tessera demo`: the seed's whole flow, narrated, with no input: an organisation (the issuer)
//! and a person's token, both the real code, in a temporary folder. Time is simulated so that
//! each code checked belongs to a new 30-second step (the issuer refuses replays).

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tessera_core::codes::OcraSuite;
use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowStep};
use tessera_core::issuer::{Issuer, NewIdentity};
use tessera_core::session::{Clock, Session, SessionError};
use tessera_core::vault::VaultOptions;
use zeroize::Zeroizing;

use crate::refusal::Refusal;
use crate::scratch::Scratch;

const PIN: &str = "482913";
const NEW_PIN: &str = "739164";
const WRONG_PIN: &str = "000000";
const ISSUER_PASSPHRASE: &str = "demo issuer passphrase";
const ADDRESS: &str = "myid.example.edu/igst";
const OCRA_SUITE: &str = "OCRA-1:HOTP-SHA256-8:QN08";

/// The demo's clock: starts at the real time and is moved on by the narration.
struct DemoClock(AtomicU64);

impl Clock for DemoClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl DemoClock {
    /// Moves to the next 30-second step, so the next code is a new one.
    fn next_step(&self) -> u64 {
        self.0.fetch_add(30, Ordering::SeqCst) + 30
    }
}

pub fn run() -> Result<Zeroizing<String>, Refusal> {
    let (scratch, start) = Scratch::new()?;
    let clock = Arc::new(DemoClock(AtomicU64::new(start)));
    say(&format!(
        "Tessera demo: an organisation and a person's token, both real, in {}\n\
         (time is simulated in 30-second steps; nothing needs typing)\n",
        scratch.path().display()
    ));

    say(
        "1. The organisation creates an identity for Alice (this takes a moment: its store is sealed with Argon2id).",
    );
    let issuer = Issuer::open(scratch.path().join("issuer"), ISSUER_PASSPHRASE)?;
    let mut new = NewIdentity::new("alice");
    new.address = Some(ADDRESS.to_string());
    let alice = issuer.create(&new)?;
    say(&format!(
        "   serial number   {}\n   activation code {}",
        alice.serial, alice.activation_code
    ));

    say(
        "\n2. Alice adds the identity to her token by typing the serial number, activation code and address.",
    );
    let session = Arc::new(Session::new(
        scratch.path().join("token"),
        clock.clone(),
        None,
        VaultOptions::default(),
    ));
    let flow = AddIdentityFlow::new(session.clone())?;
    let state = flow.enter_activation(&ActivationInput {
        serial: alice.serial.to_string(),
        activation: alice.activation_code.to_string(),
        address: Some(ADDRESS.to_string()),
        ..ActivationInput::default()
    })?;
    expect(&state, matches!(state, FlowStep::NeedsPin))?;
    say(&format!(
        "   The token has no PIN yet: Alice chooses {PIN} and types it again."
    ));
    flow.set_pin(PIN)?;
    let FlowStep::ShowRegistrationCode {
        registration_code, ..
    } = flow.confirm_pin(PIN)?
    else {
        return Err(Refusal::new("the token did not show a registration code"));
    };

    say(&format!(
        "\n3. The token shows the registration code {registration_code}; Alice types it into the self-service page."
    ));
    issuer.complete(&alice.serial.to_string(), &registration_code)?;
    say("   Organisation: registration complete.");
    let FlowStep::Done {
        identity,
        recovery_key,
        ..
    } = flow.finish()?
    else {
        return Err(Refusal::new("the identity was not saved"));
    };
    if let Some(key) = recovery_key {
        say(&format!(
            "   The new token also shows its recovery key, once, to write down: {key}"
        ));
    }

    say("\n4. Alice locks the token and unlocks it with her PIN.");
    session.lock();
    session.unlock(PIN)?;
    say("   Unlocked.");

    say(
        "\n5. A secure action asks Alice to answer a challenge: she types her current security code.",
    );
    let at = clock.next_step();
    let code = session.code(&identity.id)?;
    say(&format!(
        "   Token: {} ({} s left)",
        code.grouped,
        code.seconds_left.unwrap_or(0)
    ));
    issuer.verify(&alice.serial.to_string(), &code.code, at)?;
    say("   Organisation: accepted.");
    let replay = issuer.verify(&alice.serial.to_string(), &code.code, at);
    say(&format!(
        "   The same code a second time: {}",
        outcome(replay.map(|_| ()))
    ));

    say(
        "\n6. A second identity, for challenge-response, arrives as a link in an e-mail; its password comes by text message.",
    );
    let mut new = NewIdentity::new("alice-bank");
    new.address = Some("bank.example.org/igst".to_string());
    new.ocra = Some(
        OCRA_SUITE
            .parse::<OcraSuite>()
            .map_err(|e| Refusal::new(e.to_string()))?,
    );
    new.digits = 8;
    let bank = issuer.create(&new)?;
    let flow = AddIdentityFlow::new(session.clone())?;
    let state = flow.enter_link(&bank.link)?;
    expect(&state, matches!(state, FlowStep::NeedsPassword))?;
    // Typed from the text message as a person might: lower case, spaces for the dashes.
    let typed = Zeroizing::new(bank.password.to_lowercase().replace('-', " "));
    say(&format!(
        "   The token asks for the link's password ({}); Alice types \"{}\".",
        bank.password.as_str(),
        typed.as_str()
    ));
    let FlowStep::ShowRegistrationCode {
        name,
        registration_code,
    } = flow.enter_password(&typed)?
    else {
        return Err(Refusal::new("the token did not show a registration code"));
    };
    say(&format!(
        "   Token: identity \"{name}\", registration code {registration_code}."
    ));
    issuer.complete(&bank.serial.to_string(), &registration_code)?;
    let FlowStep::Done {
        identity: bank_identity,
        ..
    } = flow.finish()?
    else {
        return Err(Refusal::new("the identity was not saved"));
    };
    say("   Organisation: registration complete.");
    let at = clock.next_step();
    let question = issuer.issue_challenge(&bank.serial.to_string(), at)?;
    let response = session.challenge(&bank_identity.id, &question, None)?;
    say(&format!(
        "   Organisation's challenge {question}; the token answers {response}."
    ));
    issuer.verify_response(&bank.serial.to_string(), &question, &response, at)?;
    say("   Organisation: accepted.");

    say("\n7. Someone tries five wrong PINs.");
    session.lock();
    let reset_code = loop {
        match session.unlock(WRONG_PIN) {
            Err(SessionError::Vault(tessera_core::vault::VaultError::Locked { reset_code })) => {
                say("   The token is locked.");
                break reset_code
                    .ok_or_else(|| Refusal::new("the locked token shows no reset code"))?;
            }
            Err(error) => say(&format!("   {error}")),
            Ok(_) => return Err(Refusal::new("a wrong PIN was accepted")),
        }
    };
    let refused = session.unlock(PIN).map(|_| ());
    say(&format!("   Even the right PIN now: {}", outcome(refused)));
    say(&format!(
        "   The token shows the PIN reset code {reset_code}; Alice reads it to the help desk."
    ));

    say("\n8. The help desk answers with an unlock code; Alice types it and sets a new PIN.");
    let unlock_code = issuer.unlock_code(&alice.serial.to_string(), &reset_code)?;
    say(&format!(
        "   Unlock code {}; new PIN {NEW_PIN}.",
        unlock_code.as_str()
    ));
    session.unlock_with_code(&unlock_code, NEW_PIN)?;
    say("   Unlocked, with the new PIN and a fresh reset code for next time.");

    say("\n9. The identity still works.");
    let at = clock.next_step();
    let code = session.code(&identity.id)?;
    issuer.verify(&alice.serial.to_string(), &code.code, at)?;
    say(&format!(
        "   Token: {}. Organisation: accepted.",
        code.grouped
    ));
    session.lock();
    session.unlock(NEW_PIN)?;
    say(&format!(
        "   The new PIN unlocks it; the identities are: {}.",
        names(&session)?
    ));

    say(
        "\nThe demo's folder is removed now. Try the real thing with `tessera add` and `tessera issuer`.",
    );
    drop(scratch);
    Ok(Zeroizing::new(String::new()))
}

fn say(line: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{line}");
    let _ = stdout.flush();
}

fn outcome<E: std::fmt::Display>(result: Result<(), E>) -> String {
    match result {
        Ok(()) => "accepted".to_string(),
        Err(error) => format!("refused ({error})"),
    }
}

fn expect(state: &FlowStep, ok: bool) -> Result<(), Refusal> {
    if ok {
        Ok(())
    } else {
        Err(Refusal::new(format!(
            "the token went to an unexpected step: {state:?}"
        )))
    }
}

fn names(session: &Session) -> Result<String, Refusal> {
    Ok(session
        .identities()?
        .into_iter()
        .map(|i| i.name)
        .collect::<Vec<_>>()
        .join(", "))
}
