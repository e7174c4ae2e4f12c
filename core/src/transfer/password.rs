//! The password of an encrypted export or backup, as the person typed it.

use std::fmt;

use zeroize::Zeroizing;

/// A password for an encrypted file: wiped from memory when dropped, never shown by `Debug`.
/// Its UTF-8 bytes are what the file's key derivation is given, as the apps that write these
/// files do.
#[derive(Clone)]
pub struct Password(Zeroizing<String>);

impl Password {
    /// Takes the typed text; the `String` is moved, not copied.
    pub fn new(text: String) -> Self {
        Password(Zeroizing::new(text))
    }

    /// The bytes given to key derivation.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    /// The text as typed.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl From<Zeroizing<String>> for Password {
    fn from(text: Zeroizing<String>) -> Self {
        Password(text)
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_password() {
        let password = Password::new("hunter2".to_string());
        assert_eq!(format!("{password:?}"), "Password(..)");
        assert_eq!(password.as_bytes(), b"hunter2");
    }
}
