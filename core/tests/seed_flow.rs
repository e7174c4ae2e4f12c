//! The seed's whole flow, both sides, through the core API: the organisation (issuer) creates
//! an identity, the person's token activates it, the issuer completes the registration and
//! accepts codes and challenge responses, and a locked-out token is opened with the issuer's
//! unlock code. Each refusal along the way is checked for its message and for changing nothing.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowField, FlowStep};
use tessera_core::issuer::{Issuer, IssuerOptions, NewIdentity};
use tessera_core::session::{Clock, Session, SessionError, TokenStatus};
use tessera_core::vault::{KdfParams, VaultError, VaultOptions};

const PIN: &str = "482913";
const NEW_PIN: &str = "739164";
const START: u64 = 1_700_000_000;

struct SteppingClock(AtomicU64);

impl Clock for SteppingClock {
    fn now(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

impl SteppingClock {
    fn next_step(&self) -> u64 {
        self.0.fetch_add(30, Ordering::SeqCst) + 30
    }
}

fn issuer(dir: &Path) -> Issuer {
    Issuer::open_with(
        dir,
        "seed flow issuer passphrase",
        &IssuerOptions {
            kdf: KdfParams::MINIMUM,
            window: 1,
        },
    )
    .unwrap()
}

fn token(dir: &Path, clock: Arc<SteppingClock>) -> Arc<Session> {
    let options = VaultOptions {
        kdf: KdfParams::MINIMUM,
        max_pin_attempts: 5,
    };
    Arc::new(Session::new(dir, clock, None, options))
}

/// `code` with its first digit replaced by the next one (9 becomes 0).
fn one_digit_changed(code: &str) -> String {
    let mut chars: Vec<char> = code.chars().collect();
    let first = chars[0].to_digit(10).expect("a digit");
    chars[0] = char::from_digit((first + 1) % 10, 10).expect("a digit");
    chars.into_iter().collect()
}

/// Every file's bytes below `dir`, to show a refusal changed nothing.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn the_seed_flow_runs_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(SteppingClock(AtomicU64::new(START)));
    let issuer = issuer(&dir.path().join("issuer"));
    let mut new = NewIdentity::new("alice");
    new.address = Some("myid.example.edu/igst".into());
    let alice = issuer.create(&new).unwrap();
    let serial = alice.serial.to_string();

    // The token: typed activation data, a new PIN, the registration code.
    let session = token(&dir.path().join("token"), clock.clone());
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    let typo = ActivationInput {
        serial: serial.clone(),
        // One digit changed: the Luhn check digit catches every single-digit typo.
        activation: one_digit_changed(&alice.activation_code.to_string()),
        ..ActivationInput::default()
    };
    let error = flow.enter_activation(&typo).unwrap_err();
    assert_eq!(error.field(), FlowField::ActivationCode, "{error}");
    assert_eq!(flow.step(), FlowStep::Start);
    let input = ActivationInput {
        serial: serial.clone(),
        activation: alice.activation_code.to_string(),
        address: Some("myid.example.edu/igst".into()),
        ..ActivationInput::default()
    };
    assert_eq!(flow.enter_activation(&input).unwrap(), FlowStep::NeedsPin);
    flow.set_pin(PIN).unwrap();
    let FlowStep::ShowRegistrationCode {
        name,
        registration_code,
    } = flow.confirm_pin(PIN).unwrap()
    else {
        panic!("expected the registration code");
    };
    assert_eq!(name, "myid.example.edu");

    // The issuer refuses a mistyped registration code and changes nothing; then completes.
    let store = dir.path().join("issuer");
    let before = snapshot(&store);
    let mut digits: Vec<char> = registration_code.chars().collect();
    digits.swap(0, 1);
    let swapped: String = digits.into_iter().collect();
    if swapped != registration_code {
        let error = issuer.complete(&serial, &swapped).unwrap_err();
        assert!(error.to_string().contains("registration code"), "{error}");
        assert_eq!(snapshot(&store), before);
    }
    issuer.complete(&serial, &registration_code).unwrap();
    let FlowStep::Done {
        identity,
        recovery_key: Some(_),
        ..
    } = flow.finish().unwrap()
    else {
        panic!("a new token is saved with a recovery key");
    };

    // Lock and unlock with the PIN; answer a challenge with the current code.
    session.lock();
    session.unlock(PIN).unwrap();
    let at = clock.next_step();
    let code = session.code(&identity.id).unwrap();
    issuer.verify(&serial, &code.code, at).unwrap();
    let before = snapshot(&store);
    assert_eq!(
        issuer
            .verify(&serial, &code.code, at)
            .unwrap_err()
            .to_string(),
        "code refused: already used"
    );
    let stale = session.code_at(&identity.id, at - 300).unwrap();
    assert_eq!(
        issuer
            .verify(&serial, &stale.code, at + 30)
            .unwrap_err()
            .to_string(),
        "code refused: not valid at this time"
    );
    assert_eq!(snapshot(&store), before, "refusals change nothing");

    // A second identity from the link and its password, answering OCRA challenges.
    let mut new = NewIdentity::new("alice-bank");
    new.ocra = Some("OCRA-1:HOTP-SHA256-8:QN08".parse().unwrap());
    let bank = issuer.create(&new).unwrap();
    let flow = AddIdentityFlow::new(session.clone()).unwrap();
    assert_eq!(
        flow.enter_link(&bank.link).unwrap(),
        FlowStep::NeedsPassword
    );
    let token_dir = dir.path().join("token");
    let before = snapshot(&token_dir);
    let error = flow.enter_password("00000000").unwrap_err();
    assert_eq!(error.field(), FlowField::Password);
    assert!(error.to_string().contains("password"), "{error}");
    assert_eq!(
        snapshot(&token_dir),
        before,
        "a wrong link password saves nothing"
    );
    // Typed from a text message: lower case, spaces where the dashes were.
    let typed = bank.password.to_lowercase().replace('-', " ");
    assert_ne!(
        typed,
        bank.password.as_str(),
        "a strong password has letters and dashes"
    );
    let FlowStep::ShowRegistrationCode {
        registration_code, ..
    } = flow.enter_password(&typed).unwrap()
    else {
        panic!("expected the registration code");
    };
    issuer
        .complete(&bank.serial.to_string(), &registration_code)
        .unwrap();
    let FlowStep::Done {
        identity: bank_identity,
        recovery_key: None,
        ..
    } = flow.finish().unwrap()
    else {
        panic!("expected Done");
    };
    assert!(bank_identity.answers_challenges);
    let at = clock.next_step();
    let question = issuer
        .issue_challenge(&bank.serial.to_string(), at)
        .unwrap();
    let response = session
        .challenge(&bank_identity.id, &question, None)
        .unwrap();
    issuer
        .verify_response(&bank.serial.to_string(), &question, &response, at)
        .unwrap();

    // Five wrong PINs lock the token; the issuer answers the reset code with an unlock code.
    session.lock();
    for _ in 0..5 {
        session.unlock("000000").unwrap_err();
    }
    let TokenStatus::LockedOut {
        reset_code: Some(reset_code),
        ..
    } = session.status().unwrap()
    else {
        panic!("expected the token to be locked out with a reset code");
    };
    let other_reset = if reset_code.starts_with('1') {
        "200000000"
    } else {
        "100000000"
    };
    let wrong = issuer.unlock_code(&serial, other_reset).unwrap();
    let error = session.unlock_with_code(&wrong, NEW_PIN).unwrap_err();
    assert!(
        matches!(
            error,
            SessionError::Vault(VaultError::WrongUnlockCode { attempts_left: 9 })
        ),
        "{error:?}"
    );
    assert!(!session.is_unlocked());
    let unlock_code = issuer.unlock_code(&serial, &reset_code).unwrap();
    session.unlock_with_code(&unlock_code, NEW_PIN).unwrap();

    // The identity still works, with the new PIN.
    let at = clock.next_step();
    let code = session.code(&identity.id).unwrap();
    issuer.verify(&serial, &code.code, at).unwrap();
    session.lock();
    assert!(session.unlock(PIN).is_err());
    session.unlock(NEW_PIN).unwrap();
    assert_eq!(session.identities().unwrap().len(), 2);
}
