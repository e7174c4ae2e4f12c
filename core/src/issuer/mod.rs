//! The organisation's side of an IdentityGuard-compatible activation: what a help desk, a
//! self-service page or a test runs against Tessera tokens.
//!
//! [`Issuer`] owns one store folder (format in docs/issuer.md): a `store.json` header and one
//! sealed `identity-<serial>.json` file per identity, every secret encrypted under a key derived
//! once per [`Issuer`] from the issuer passphrase (Argon2id). With it an issuer can
//! - [`create`](Issuer::create) an identity: serial number, activation code, and the
//!   `igmobileotp://` link with its password (16 characters of Crockford base32 by default, or
//!   8 digits: see [`LinkPasswordKind`]);
//! - [`complete`](Issuer::complete) it with the registration code the token shows, which
//!   derives the shared secret;
//! - [`verify`](Issuer::verify) security codes: a window of 30-second steps, replay refused,
//!   the token's clock drift remembered, and a token beyond the window resynchronised with two
//!   consecutive codes ([`IdentityRecord::resync`]);
//! - [`issue_challenge`](Issuer::issue_challenge) and [`verify_response`](Issuer::verify_response)
//!   for identities with an OCRA suite (single-use challenges, counter resynchronisation);
//! - answer a locked token's PIN reset code with an [`unlock_code`](Issuer::unlock_code).
//!
//! Promises: every refusal is an [`IssuerError`] whose message names the value and the problem,
//! and a refusal changes nothing on disk (only accepted codes, accepted responses, issued
//! challenges, creations and registrations write). Codes are compared in constant time. No
//! message and no `Debug` output contains a secret, and decrypted records live in zeroizing
//! buffers. Operations take the time as an argument so tests and shells own their clocks.
//!
//! Not promised: protection against guessing. A refused code leaves no trace, so a server in
//! front of the issuer must limit attempts itself (a 6-digit code with the default window is
//! guessed with probability 3 in a million per try).
//!
//! The rules themselves are operations on one [`IdentityRecord`] (`operations`), public so that
//! other stores (the server's database) run exactly the same ones; [`Issuer`] is the folder
//! store built on them, and [`seal_record`] / [`open_record`] the sealed form every store keeps.
//!
//! Any number of processes and threads may use one store at once: every change (creating an
//! identity, registering it, accepting a code or a response, issuing a challenge) holds the
//! store's exclusive lock from reading the record to writing it back, so a code is accepted
//! once however many verifiers race for it, and a record is never written by two writers at
//! once. Each record also has a copy, written first, that a read falls back to when the record
//! is missing or damaged (see `records`).

mod activation;
mod challenge;
mod error;
mod header;
mod imported;
mod operations;
mod record;
mod records;
mod sealed_values;
mod sealing;
mod store_files;
mod verify;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

pub use activation::{
    CheckedIdentity, CheckedRegistration, MAX_ADDRESS_CHARS, MAX_POLICY_BYTES, check_new,
    check_registration, make_identity, make_serial_number,
};
pub use error::{IssuerError, IssuerField};
pub use header::MIN_PASSPHRASE_CHARS;
pub use imported::ExportedKey;
pub use operations::{Outcome, ResetCode, check_reset_code};
pub use record::IdentityRecord;
pub use sealed_values::{open_value, seal_value};
pub use sealing::{MAX_SEALED_RECORD_BYTES, RecordKey, open_record, seal_record};

use crate::codes::OcraSuite;
use crate::crypto::KdfParams;
pub use crate::identityguard::LinkPasswordKind;
use crate::identityguard::{ActivationCode, SerialNumber};
use records::{Records, Source};

/// Steps of 30 seconds accepted on each side of the expected one, unless configured otherwise.
pub const DEFAULT_WINDOW_STEPS: u8 = 1;
/// The widest window that can be configured: 10 steps (5 minutes) each way.
pub const MAX_WINDOW_STEPS: u8 = 10;
/// The largest clock drift remembered for a token, in steps (5 minutes either way). With the
/// window on top, no code further than `MAX_DRIFT_STEPS + window` steps from the issuer's clock
/// is ever accepted.
pub const MAX_DRIFT_STEPS: u8 = 10;
/// Steps each way from the issuer's clock in which two consecutive codes resynchronise a
/// token whose clock has drifted beyond the window (RFC 4226 section 7.4), unless configured
/// otherwise; also the most that can be configured, since a larger drift is not remembered.
pub const MAX_RESYNC_STEPS: u8 = MAX_DRIFT_STEPS;
/// How long an issued challenge can be answered, in seconds.
pub const CHALLENGE_LIFETIME_SECONDS: u64 = 300;
/// Challenges an identity can have pending at once; issuing one more drops the oldest.
pub const MAX_PENDING_CHALLENGES: usize = 16;
/// OCRA counters tried beyond the expected one, for counter suites.
pub const OCRA_COUNTER_LOOKAHEAD: u64 = 10;

/// Choices for an [`Issuer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IssuerOptions {
    /// Argon2id cost of the store key. Used only when the store is created; an existing store
    /// keeps the parameters in its header.
    pub kdf: KdfParams,
    /// Steps accepted each way for identities without a window of their own (0 to 10).
    pub window: u8,
}

impl Default for IssuerOptions {
    /// The vault's recommended Argon2id cost and a window of 1 step each way.
    fn default() -> Self {
        Self {
            kdf: KdfParams::RECOMMENDED,
            window: DEFAULT_WINDOW_STEPS,
        }
    }
}

/// What a new identity is made from. `NewIdentity::new("alice")` gives 6 digits, a strong link
/// password and nothing else; set the other fields as needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewIdentity {
    /// The issuer's name for the identity (for example the person's login). Not put in the link.
    pub name: String,
    /// Digits per code: 6 or 8.
    pub digits: u8,
    /// A policy document (JSON), put in the link exactly as given; the identity's secret is
    /// then derived with it, as the token does by default for such a link.
    pub policy: Option<String>,
    /// An OCRA suite, for identities that answer challenges; put in the link.
    pub ocra: Option<OcraSuite>,
    /// The self-service address put in the link (e.g. `myid.example.edu/igst`); the token
    /// names the identity after its host.
    pub address: Option<String>,
    /// A verification window for this identity (0 to 10 steps each way) instead of the
    /// issuer's.
    pub window: Option<u8>,
    /// The link's password: [`LinkPasswordKind::Strong`] unless the deployment's tokens only
    /// accept digits (docs/issuer.md says what each protects against).
    pub link_password: LinkPasswordKind,
}

impl NewIdentity {
    /// An identity named `name` with 6-digit codes, a strong link password, and no policy,
    /// suite, address or window.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            digits: 6,
            policy: None,
            ocra: None,
            address: None,
            window: None,
            link_password: LinkPasswordKind::Strong,
        }
    }
}

/// The activation data of a new identity, to hand to the person once: the link (as a QR code
/// or in an e-mail) and its password by different channels, or the serial number and
/// activation code to type. The issuer keeps neither the link nor its password. `Debug` shows
/// only the serial number.
pub struct IssuedIdentity {
    /// The new serial number (not secret).
    pub serial: SerialNumber,
    /// The activation code; secret until the token is activated.
    pub activation_code: ActivationCode,
    /// The link's password as the person is given it (`XXXX-XXXX-XXXX-XXXX`, or 8 digits for
    /// [`LinkPasswordKind::Digits8`]); secret.
    pub password: Zeroizing<String>,
    /// The `igmobileotp://` link, sealed with the password.
    pub link: Zeroizing<String>,
}

impl fmt::Debug for IssuedIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedIdentity")
            .field("serial", &self.serial)
            .finish_non_exhaustive()
    }
}

/// What [`Issuer::complete`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// The identity is now registered and its codes can be verified.
    Registered {
        /// Whether its secret includes the policy (true exactly when it has one).
        policy_included: bool,
    },
    /// It was already registered with this same registration code; nothing changed.
    AlreadyRegistered,
}

/// An accepted security code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    /// The 30-second time step the code belongs to (Unix time / 30).
    pub step: u64,
    /// How many steps that is from the issuer's clock (negative: the token is behind).
    pub drift_steps: i64,
}

/// An accepted OCRA response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AcceptedResponse {
    /// The counter the token used, for suites with `C`.
    pub counter: Option<u64>,
    /// The time step the token used, for suites with `T`.
    pub time_step: Option<u64>,
}

/// What the issuer knows about an identity, without any secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityInfo {
    /// The serial number.
    pub serial: SerialNumber,
    /// The issuer's name for it.
    pub name: String,
    /// Digits per code.
    pub digits: u8,
    /// The policy document, when it has one.
    pub policy: Option<String>,
    /// The self-service address, when it has one.
    pub address: Option<String>,
    /// The OCRA suite, when it answers challenges.
    pub ocra: Option<OcraSuite>,
    /// The window used for it (its own, or the issuer's).
    pub window: u8,
    /// Whether the registration code has come back.
    pub registered: bool,
    /// Whether the secret includes the policy; `None` until registered.
    pub policy_included: Option<bool>,
    /// The last accepted time step, if any.
    pub last_step: Option<u64>,
    /// The remembered clock drift of its token, in steps.
    pub drift_steps: i64,
    /// The next OCRA counter expected, for counter suites.
    pub ocra_counter: u64,
    /// Challenges issued and not yet answered (expired ones included until the next issue).
    pub pending_challenges: usize,
    /// True when the record file was missing or damaged and its copy was read instead (nothing
    /// reported done is lost that way; the next change rewrites the record). Worth a look at
    /// the disk or whoever else writes to the folder.
    pub read_from_copy: bool,
}

/// One issuer store, opened with its passphrase. See the module documentation.
pub struct Issuer {
    dir: PathBuf,
    key: RecordKey,
    window: u8,
}

impl fmt::Debug for Issuer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Issuer")
            .field("dir", &self.dir)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

/// Refuses windows wider than [`MAX_WINDOW_STEPS`].
/// Checks a resynchronisation range (0 to [`MAX_RESYNC_STEPS`]).
pub fn check_resync_range(range: u8) -> Result<(), IssuerError> {
    if range > MAX_RESYNC_STEPS {
        return Err(IssuerError::WindowTooWide {
            found: u32::from(range),
            max: MAX_RESYNC_STEPS,
        });
    }
    Ok(())
}

fn check_window(window: u8) -> Result<(), IssuerError> {
    if window > MAX_WINDOW_STEPS {
        return Err(IssuerError::WindowTooWide {
            found: u32::from(window),
            max: MAX_WINDOW_STEPS,
        });
    }
    Ok(())
}

impl Issuer {
    /// Opens the store in `dir` with `passphrase`, creating it (folder and `store.json`) when
    /// it has no header yet, with [`IssuerOptions::default`]. Runs Argon2id once.
    pub fn open(dir: impl Into<PathBuf>, passphrase: &str) -> Result<Self, IssuerError> {
        Self::open_with(dir, passphrase, &IssuerOptions::default())
    }

    /// [`open`](Self::open) with explicit options.
    pub fn open_with(
        dir: impl Into<PathBuf>,
        passphrase: &str,
        options: &IssuerOptions,
    ) -> Result<Self, IssuerError> {
        check_window(options.window)?;
        let dir = dir.into();
        let key = header::open_or_create(&dir, passphrase, &options.kdf, || {
            Ok(!records::list_serials(&dir)?.is_empty())
        })?;
        // Leftovers of a crashed write are cleared under the lock. Best effort: a store this
        // process may only read (a help desk answering reset codes) opens without it.
        if let Ok(_lock) = store_files::lock_store(&dir) {
            records::remove_stale_temps(&dir);
        }
        Ok(Self {
            dir,
            key: RecordKey::from_secret(key),
            window: options.window,
        })
    }

    /// True when `dir` holds a store already (so [`open`](Self::open) would not create one;
    /// a shell asks for a new passphrase twice otherwise).
    pub fn exists(dir: &Path) -> Result<bool, IssuerError> {
        header::exists(dir)
    }

    /// The store's folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Creates an identity: a fresh serial number (unused in this store) and activation code,
    /// both with valid check digits, a link password of the kind asked for and the link sealed
    /// with it.
    /// Everything is checked before anything is drawn or written.
    pub fn create(&self, new: &NewIdentity) -> Result<IssuedIdentity, IssuerError> {
        let checked = check_new(new)?;
        let lock = self.lock()?;
        let records = self.records();
        let serial = activation::make_unused_serial(|s| records.exists(s))?;
        let (record, created) = make_identity(checked, serial)?;
        records.write(&lock, &record)?;
        Ok(created)
    }

    /// Completes the identity `serial` with the registration code its token shows: the code's
    /// check digit is checked first, then Tessera's registration rule for this serial; then the
    /// secret is derived and kept and the activation code forgotten. Completing again with the
    /// same code changes nothing ([`Completion::AlreadyRegistered`]); with another code it is
    /// refused.
    pub fn complete(
        &self,
        serial: &str,
        registration_code: &str,
    ) -> Result<Completion, IssuerError> {
        let serial: SerialNumber = serial.parse()?;
        let registration = check_registration(&serial, registration_code)?;
        self.update(&serial, |record| record.complete(&registration))
    }

    /// Verifies the security code `code` of identity `serial` at Unix time `at`.
    ///
    /// Accepted when it is the code of a step within the window (the identity's, else the
    /// issuer's; steps of 30 s each way) around `at / 30` plus the token's remembered drift, and
    /// that step is later than the last one accepted. The accepted step and the drift are then
    /// saved. Refusals: "code refused: already used" (the code of an accepted step or an earlier
    /// one), "code refused: not valid at this time" (wrong, or outside the window).
    pub fn verify(&self, serial: &str, code: &str, at: u64) -> Result<Accepted, IssuerError> {
        let serial: SerialNumber = serial.parse()?;
        self.update(&serial, |record| record.verify(code, at, self.window))
    }

    /// Issues a challenge for identity `serial` at Unix time `at`: a random question in the
    /// suite's format and length, answerable once within [`CHALLENGE_LIFETIME_SECONDS`].
    pub fn issue_challenge(&self, serial: &str, at: u64) -> Result<String, IssuerError> {
        let serial: SerialNumber = serial.parse()?;
        self.update(&serial, |record| record.issue_challenge(at))
    }

    /// Verifies the token's `response` to `challenge` at Unix time `at`. The challenge must be
    /// one this issuer issued for the identity, unexpired and unanswered; on success it is used
    /// up, and for counter suites the counter resynchronises to the token's.
    pub fn verify_response(
        &self,
        serial: &str,
        challenge: &str,
        response: &str,
        at: u64,
    ) -> Result<AcceptedResponse, IssuerError> {
        let serial: SerialNumber = serial.parse()?;
        self.update(&serial, |record| {
            record.verify_response(challenge, response, at, self.window)
        })
    }

    /// The unlock code answering a locked token's 9-digit PIN reset code, derived from the
    /// identity's secret as the token does (`vault::derive_unlock_code`). Changes nothing.
    pub fn unlock_code(
        &self,
        serial: &str,
        reset_code: &str,
    ) -> Result<Zeroizing<String>, IssuerError> {
        let serial: SerialNumber = serial.parse()?;
        let reset_code = check_reset_code(reset_code)?;
        let (record, _) = self.records().read(&serial)?;
        record.unlock_code(&reset_code)
    }

    /// Sets identity `serial`'s own verification window (0 to 10 steps each way), or with
    /// `None` returns it to the issuer's.
    pub fn set_window(&self, serial: &str, window: Option<u8>) -> Result<(), IssuerError> {
        let serial: SerialNumber = serial.parse()?;
        if let Some(window) = window {
            check_window(window)?;
        }
        self.update(&serial, |record| record.set_window(window))
    }

    /// What the issuer knows about identity `serial`, without secrets.
    pub fn info(&self, serial: &str) -> Result<IdentityInfo, IssuerError> {
        let serial: SerialNumber = serial.parse()?;
        let (record, source) = self.records().read(&serial)?;
        Ok(IdentityInfo {
            read_from_copy: source == Source::Copy,
            ..record.info(self.window)
        })
    }

    /// The whole record of identity `serial`, secret included, for moving it to another store
    /// (the server's `import-issuer-store` seals it again under its own key).
    pub fn record(&self, serial: &SerialNumber) -> Result<IdentityRecord, IssuerError> {
        self.records().read(serial).map(|(record, _)| record)
    }

    /// The serial numbers of every identity in the store, in order.
    pub fn serials(&self) -> Result<Vec<SerialNumber>, IssuerError> {
        self.records().serials()
    }

    fn records(&self) -> Records<'_> {
        Records {
            dir: &self.dir,
            key: &self.key,
        }
    }

    /// The store's exclusive lock, shared with every other process and thread using it.
    fn lock(&self) -> Result<crate::folder_lock::FolderLock, IssuerError> {
        store_files::lock_store(&self.dir)
    }

    /// Reads `serial`'s record, runs one of the record's operations on it, and writes it back
    /// only when the operation succeeds and changed something (or the record had to be read
    /// from its copy, which the write repairs): a refusal never touches the file. The store's
    /// lock is held from the read to the write, so no other writer can act on the same record
    /// in between.
    fn update<T>(
        &self,
        serial: &SerialNumber,
        operation: impl FnOnce(IdentityRecord) -> Result<Outcome<T>, IssuerError>,
    ) -> Result<T, IssuerError> {
        let lock = self.lock()?;
        let records = self.records();
        let (record, source) = records.read(serial)?;
        let outcome = operation(record)?;
        if outcome.changed || source == Source::Copy {
            records.write(&lock, &outcome.record)?;
        }
        Ok(outcome.value)
    }
}
