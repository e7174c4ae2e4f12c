//! The token object a shell holds for its lifetime.

use std::sync::Arc;

use zeroize::Zeroizing;

use tessera_core::session::{Session, SystemClock};
use tessera_core::vault::{KeyProtector as CoreKeyProtector, VaultOptions};

use crate::error::TokenError;
use crate::flow::AddIdentityFlow;
use crate::protector::{KeyProtector, ProtectorBridge};
use crate::records::{CodeView, IdentitySummary, SettingsView, TokenStatus};
use crate::transfer::{ExportFormat, ExportResult, ImportFormat, ImportOutcome, RestoreSummary};

/// The token in one folder. Calls are serialized inside; keep one per folder.
#[derive(uniffi::Object)]
pub struct TokenSession {
    inner: Arc<Session>,
}

impl TokenSession {
    /// The session over `folder` with a device key implemented in Rust or by a shell.
    pub(crate) fn over(folder: String, protector: Option<Arc<dyn CoreKeyProtector>>) -> Arc<Self> {
        let session = Session::new(
            folder,
            Arc::new(SystemClock),
            protector,
            VaultOptions::default(),
        );
        Arc::new(Self {
            inner: Arc::new(session),
        })
    }
}

#[uniffi::export]
impl TokenSession {
    /// The token stored in `folder` (created on first use). `protector` is the device key; pass
    /// none only where the platform has none (a desktop without a system keystore; desktops
    /// with one use `with_system_keystore`).
    #[uniffi::constructor]
    pub fn new(
        folder: String,
        protector: Option<Arc<dyn KeyProtector>>,
    ) -> Result<Arc<Self>, TokenError> {
        let protector =
            protector.map(|p| Arc::new(ProtectorBridge(p)) as Arc<dyn CoreKeyProtector>);
        Ok(Self::over(folder, protector))
    }

    /// What to show first. Never counts a PIN try.
    pub fn status(&self) -> Result<TokenStatus, TokenError> {
        Ok(self.inner.status()?)
    }

    /// Unlocks with the PIN (always checked, also when already unlocked). Returns a notice to
    /// show when a damaged vault file was replaced by its previous copy.
    pub fn unlock(&self, pin: String) -> Result<Option<String>, TokenError> {
        Ok(self.inner.unlock(&pin)?)
    }

    /// Forgets everything decrypted.
    pub fn lock(&self) -> Result<(), TokenError> {
        self.inner.lock();
        Ok(())
    }

    /// The identities, without secrets.
    pub fn identities(&self) -> Result<Vec<IdentitySummary>, TokenError> {
        Ok(self.inner.identities()?)
    }

    /// The identity's code now. A counter-based code is saved as used before it is returned.
    pub fn code(&self, identity_id: String) -> Result<CodeView, TokenError> {
        Ok(self.inner.code(&identity_id)?)
    }

    /// The identity's code at a Unix time (for tests and previews of time-based codes).
    pub fn code_at(&self, identity_id: String, unix_time: u64) -> Result<CodeView, TokenError> {
        Ok(self.inner.code_at(&identity_id, unix_time)?)
    }

    /// The response to an OCRA challenge; `ocra_pin` for suites that include the
    /// organisation's PIN.
    pub fn challenge(
        &self,
        identity_id: String,
        question: String,
        ocra_pin: Option<String>,
    ) -> Result<String, TokenError> {
        Ok(self
            .inner
            .challenge(&identity_id, &question, ocra_pin.as_deref())?)
    }

    /// Renames an identity.
    pub fn rename(
        &self,
        identity_id: String,
        new_name: String,
    ) -> Result<IdentitySummary, TokenError> {
        Ok(self.inner.rename(&identity_id, &new_name)?)
    }

    /// Removes an identity for good.
    pub fn remove(&self, identity_id: String) -> Result<(), TokenError> {
        Ok(self.inner.remove(&identity_id)?)
    }

    /// Switches an IdentityGuard identity to its other derivation (with or without the policy).
    pub fn switch_policy_variant(
        &self,
        identity_id: String,
    ) -> Result<IdentitySummary, TokenError> {
        Ok(self.inner.switch_policy_variant(&identity_id)?)
    }

    /// The settings.
    pub fn settings(&self) -> Result<SettingsView, TokenError> {
        Ok(self.inner.settings()?)
    }

    /// Corrects the clock for time-based codes.
    pub fn set_time_offset(&self, seconds: i64) -> Result<(), TokenError> {
        Ok(self.inner.set_time_offset(seconds)?)
    }

    /// Seconds the app may stay in the background before it locks the token (0 to 3600).
    pub fn set_auto_lock_seconds(&self, seconds: u32) -> Result<(), TokenError> {
        Ok(self.inner.set_auto_lock_seconds(seconds)?)
    }

    /// Wrong PINs in a row that lock the token (1 to 100, else field `LockoutThreshold`,
    /// checked first). More tries weaken the lockout, so `pin` is checked again: a wrong one
    /// counts as a try (`WrongPin`), and the one that locks the token out also locks the session
    /// (`Locked`). Runs the PIN's key derivation: call it off the main thread.
    pub fn set_lockout_threshold(&self, attempts: u32, pin: String) -> Result<(), TokenError> {
        let pin = Zeroizing::new(pin);
        Ok(self.inner.set_lockout_threshold(attempts, &pin)?)
    }

    /// Turns unlock codes on or off; the PIN is checked again (a wrong one counts as a try).
    /// Off removes the unlock slot: a locked token then shows no reset code, and only the
    /// recovery key opens it.
    pub fn set_unlock_codes(&self, pin: String, enabled: bool) -> Result<(), TokenError> {
        let pin = Zeroizing::new(pin);
        Ok(self.inner.set_unlock_codes(&pin, enabled)?)
    }

    /// Changes the PIN; the current one is checked again (a new PIN that breaks a rule: field
    /// `NewPin`).
    pub fn change_pin(&self, current_pin: String, new_pin: String) -> Result<(), TokenError> {
        Ok(self.inner.change_pin(&current_pin, &new_pin)?)
    }

    /// Changes the PIN when `confirmation` repeats `new_pin` (error field `ConfirmPin`
    /// otherwise, `NewPin` for a new PIN that breaks a rule); the current one is checked again.
    pub fn change_pin_confirmed(
        &self,
        current_pin: String,
        new_pin: String,
        confirmation: String,
    ) -> Result<(), TokenError> {
        Ok(self
            .inner
            .change_pin_confirmed(&current_pin, &new_pin, &confirmation)?)
    }

    /// Opens a locked token with the organisation's unlock code and sets a new PIN.
    pub fn unlock_with_code(&self, unlock_code: String, new_pin: String) -> Result<(), TokenError> {
        Ok(self.inner.unlock_with_code(&unlock_code, &new_pin)?)
    }

    /// Opens the token with its recovery key and sets a new PIN.
    pub fn unlock_with_recovery_key(
        &self,
        recovery_key: String,
        new_pin: String,
    ) -> Result<(), TokenError> {
        Ok(self
            .inner
            .unlock_with_recovery_key(&recovery_key, &new_pin)?)
    }

    /// Makes a new recovery key, replacing any earlier one. The one export of a secret: show it
    /// once and let the person write it down (JVM and Swift copies of it cannot be wiped). The
    /// key opens the token without the PIN, so `pin` is checked again: a wrong one counts as a
    /// try (`WrongPin`), and the one that locks the token out also locks the session (`Locked`).
    /// Runs the PIN's key derivation: call it off the main thread.
    pub fn export_new_recovery_key(&self, pin: String) -> Result<String, TokenError> {
        let pin = Zeroizing::new(pin);
        Ok(self.inner.add_recovery_key(&pin)?.as_str().to_string())
    }

    /// Starts Add Identity (the token must be unlocked, or not exist yet).
    pub fn add_identity(&self) -> Result<Arc<AddIdentityFlow>, TokenError> {
        AddIdentityFlow::start(self.inner.clone())
    }

    /// Starts giving an IdentityGuard identity new activation data (typed, or an igmobileotp://
    /// link). It keeps its id, name and place in the list; the steps are those of Add Identity
    /// without the PIN ones. Other kinds are refused (error field `Identity`).
    pub fn reactivate(&self, identity_id: String) -> Result<Arc<AddIdentityFlow>, TokenError> {
        AddIdentityFlow::reactivate(self.inner.clone(), &identity_id)
    }

    /// Adds the identities of another authenticator's export file, or of a Tessera backup, to
    /// the unlocked token, all in one save or none. `format` none: recognised by the content.
    /// `password` opens encrypted files (Aegis, 2FAS, PSKC, Tessera backups; a PSKC file encrypted
    /// with a pre-shared key takes the key in hex) and is ignored for plain ones; without it an encrypted file gives `PasswordNeeded`, and a wrong one an error with
    /// field `Password`. Entries that cannot be imported, or are already on the token, are in
    /// the summary's `skipped` with the reason. Encrypted files run a slow key derivation: call
    /// it off the main thread.
    pub fn import_file(
        &self,
        contents: Vec<u8>,
        format: Option<ImportFormat>,
        password: Option<String>,
    ) -> Result<ImportOutcome, TokenError> {
        let report = crate::transfer::read_import(&contents, format, password)?;
        Ok(self.inner.import(report)?)
    }

    /// Restores onto a new token: creates the token in this empty folder from a file as
    /// `import_file` reads it, with `pin`, which `confirmation` must repeat (the core checks the
    /// PIN rules and the confirmation, field `Pin` or `ConfirmPin`), and leaves it unlocked.
    /// Refused with nothing written when a token is already here (`Duplicate`) or when the file
    /// holds no identity that can be kept (field `Contents`). The result carries the recovery
    /// key, to show once. Runs the PIN's and an encrypted file's key derivations: call it off
    /// the main thread.
    pub fn create_from_import(
        &self,
        contents: Vec<u8>,
        format: Option<ImportFormat>,
        password: Option<String>,
        pin: String,
        confirmation: String,
    ) -> Result<RestoreSummary, TokenError> {
        let pin = Zeroizing::new(pin);
        let confirmation = Zeroizing::new(confirmation);
        let report = crate::transfer::read_import(&contents, format, password)?;
        let (import, recovery_key) = self.inner.create_from_import(&pin, &confirmation, report)?;
        Ok(RestoreSummary {
            import,
            recovery_key: recovery_key.as_str().to_string(),
        })
    }

    /// An explicit export of secrets: every identity `format` can carry, with what it left out
    /// and why. The PIN is checked again (a wrong one counts as a try). `Otpauth` and `Google`
    /// give links (and for Google a QR image per link); `Tessera` gives the encrypted backup
    /// file, under `backup_password`, which `backup_password_confirmation` must repeat (the
    /// core checks both; fields `BackupPassword` and `BackupPasswordConfirmation`). A backup
    /// runs a slow key derivation: call it off the main thread.
    pub fn export(
        &self,
        format: ExportFormat,
        pin: String,
        backup_password: Option<String>,
        backup_password_confirmation: Option<String>,
    ) -> Result<ExportResult, TokenError> {
        crate::export::export(
            &self.inner,
            format,
            &pin,
            backup_password,
            backup_password_confirmation,
        )
    }
}
