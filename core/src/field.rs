//! The one name for every input a shell shows an error beside.
//!
//! Each concern names its values with its own enum (`FlowField`, `IssuerField`,
//! `identityguard::Field`, `OtpauthField`, `qr::Side`), which converts into [`InputField`], so
//! the shells match on one typed value instead of strings that drift apart. Some fields are
//! named only by the shells, for an input whose refusal core reports as a plain wrong PIN
//! (`CurrentPin`, `LockoutPin`, `RecoveryKeyPin`, `UnlockCodes`, `Scan`): they are here too, so a
//! screen compares one type whoever named the field.

/// An input a shell shows an error beside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InputField {
    // --- adding an identity ----------------------------------------------------------------
    /// The IdentityGuard serial number.
    SerialNumber,
    /// The IdentityGuard activation code.
    ActivationCode,
    /// The registration code an IdentityGuard token shows.
    RegistrationCode,
    /// The self-service address.
    Address,
    /// An identity's name.
    Name,
    /// Digits per code.
    Digits,
    /// A scanned, pasted or opened link (any part of it: the link is taken whole).
    Link,
    /// A password: an activation link's, or the one an import or a backup was sealed with.
    Password,
    /// The OCRA suite.
    OcraSuite,
    /// Not one field: the Add Identity step as a whole.
    Step,
    /// The camera scanner as a whole (named by the shells, whichever frame value was refused).
    Scan,
    /// A camera frame's width.
    Width,
    /// A camera frame's height.
    Height,
    /// A camera frame's row stride.
    RowStride,
    /// A camera frame's luminance bytes.
    Luma,

    // --- PINs --------------------------------------------------------------------------------
    /// The PIN typed to unlock, or the PIN being chosen for a new or restored token or after
    /// an unlock code or the recovery key.
    Pin,
    /// The second typing of a PIN being chosen.
    ConfirmPin,
    /// The current PIN when changing it (named by the shells).
    CurrentPin,
    /// The new PIN when changing it.
    NewPin,
    /// The PIN typed to change the lockout threshold (named by the shells).
    LockoutPin,
    /// The PIN typed to make a new recovery key (named by the shells).
    RecoveryKeyPin,
    /// The PIN typed to turn unlock codes on or off (named by the shells).
    UnlockCodes,

    // --- unlocking ---------------------------------------------------------------------------
    /// An unlock code from the help desk.
    UnlockCode,
    /// The recovery key.
    RecoveryKey,

    // --- identities and codes ----------------------------------------------------------------
    /// A secret typed or pasted for a code calculation.
    Secret,
    /// An OCRA challenge.
    Challenge,
    /// The identity a call is about, as a whole.
    Identity,
    /// A policy: the document an activation link or a new issuer identity carries, or the
    /// code variant an identity's policy allows.
    Policy,

    // --- settings ----------------------------------------------------------------------------
    /// The clock correction in seconds.
    TimeOffset,
    /// The auto-lock delay.
    AutoLock,
    /// How many wrong PINs lock the token.
    LockoutThreshold,

    // --- import, export and backups ----------------------------------------------------------
    /// A file to import, restore or verify.
    File,
    /// What a file holds (a backup with nothing to restore).
    Contents,
    /// The password a new backup is sealed with.
    BackupPassword,
    /// The second typing of a new backup's password.
    BackupPasswordConfirmation,

    // --- the issuer --------------------------------------------------------------------------
    /// The issuer store's passphrase.
    Passphrase,
    /// The verification window.
    Window,
    /// A security code to verify.
    Code,
    /// An OCRA response to verify.
    Response,
    /// A PIN reset code a token showed.
    ResetCode,
}
