//! IdentityGuard-compatible activation (see docs/security.md for what compatibility promises).
//!
//! Everything here follows publicly observed behaviour (../shared/spec/identityguard.md), not a
//! vendor specification; each observed fact sits in a small, vector-tested function.
//!
//! # What it holds
//! - [`luhn_check_digit`]: the check digit that ends every code.
//! - [`SerialNumber`], [`ActivationCode`], [`RegistrationCode`]: the three codes. Reading one
//!   ignores dashes and spaces and verifies the check digit before anything else happens; the
//!   error names the field.
//! - [`derive_secret`]: the TOTP secret from the three codes and the optional policy.
//! - [`make_registration_code`], [`registration_code_from_random`], [`check_registration_code`]:
//!   registration codes under Tessera's own rule (below).
//! - [`open_activation_link`], [`seal_activation_link`]: the `igmobileotp://` link, token side
//!   and issuer side; [`make_activation_password`]: the link's password ([`LinkPasswordKind`]:
//!   16 characters of Crockford base32 by default, or 8 digits).
//! - [`name_from_address`]: an identity's default name from the link's address.
//!
//! # Tessera's registration-code rule (version 1)
//! A registration code's 9-digit value (before its Luhn digit) carries the token's 2 random
//! bytes in its low 16 bits; the vendor's rule for the high bits is not public, so Tessera
//! defines its own:
//!
//! ```text
//! check16 = u16_be(SHA-256("tessera-registration-v1" || serial's 10 ASCII digits || random)[0..2])
//!           mod 15258
//! value   = check16 * 65536 + u16_be(random)          (at most 15257*65536+65535 = 999,948,287)
//! code    = value as 9 zero-padded digits || Luhn check digit over those 9 digits
//! ```
//!
//! The rule binds a code to its serial number and catches typos that Luhn misses (a wrong code
//! passes with probability 1/15258). It uses no secret: the random bytes are in the code anyway,
//! so showing the code leaks nothing the code did not already show. Only Tessera's issuer applies
//! it ([`check_registration_code`]); [`derive_secret`] accepts any Luhn-valid registration code,
//! because codes made by the vendor's tokens (like the spec's `12211-49352`) follow another rule.
//!
//! # Activation links: choices a user may notice
//! - Scheme and action are matched in any case; parameters before `mac` may come in any order and
//!   unknown ones are ignored (they are still covered by the MAC). `mac` must come last.
//! - base64 values are percent-decoded, then read in the standard or URL-safe alphabet, with or
//!   without `=` padding. A space is read as `+` (base64 has no spaces, while form decoders turn a
//!   `+` into a space); if the MAC fails over the text as received and that text has spaces, it
//!   is checked once more with the spaces put back as `+`.
//! - The MAC is checked in constant time before anything is decrypted; a mismatch reads "the
//!   link password is wrong (or the link was changed)".
//! - Whitespace anywhere in the link password is ignored (`1234 5678` works). A password that
//!   does not match as typed is tried once more in Crockford base32 form (dashes dropped,
//!   capitals, `O`/`I`/`L` as `0`/`1`/`1`), so `7k3m q9tx ...` opens a link sealed with
//!   `7K3MQ9TX...`. An empty password is refused with its own message.
//! - `sn` and `ac` may be JSON strings (dashes and spaces allowed) or whole numbers; `policy` and
//!   `regurl` must be strings and are kept exactly as received, since the policy may feed the
//!   derivation.
//!
//! # Security notes
//! Only 2 bytes of the secret's input come from the token: anyone holding the activation data
//! and one code can find the secret by trying 65,536 values. The activation code and the link
//! password are therefore treated as secrets: zeroizing storage, never in `Debug` or in an error.

mod address;
mod derive;
mod error;
mod link;
mod luhn;
mod numbers;
mod password;

pub use address::name_from_address;
pub use derive::{
    CODE_PERIOD_SECONDS, check_registration_code, code_params, derive_secret,
    make_registration_code, registration_code_from_random,
};
pub use error::{CodeProblem, Field, IdentityGuardError};
pub use link::{ActivationLink, open_activation_link, seal_activation_link};
pub use luhn::luhn_check_digit;
pub use numbers::{ActivationCode, RegistrationCode, SerialNumber};
pub use password::{
    LINK_PASSWORD_ALPHABET, LinkPassword, LinkPasswordKind, STRONG_PASSWORD_CHARS,
    make_activation_password,
};
