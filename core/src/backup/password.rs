//! Rules for a backup password, checked when a backup is made (never when one is opened, so a
//! backup made under older rules still opens).
//!
//! A backup is a file anyone who gets a copy can attack offline, with no lockout and no device
//! key: only the password and Argon2id stand in the way (see docs/security.md). Hence a longer
//! minimum than a PIN or the vault's passphrase rule.

use subtle::ConstantTimeEq;

use super::BackupError;

/// The shortest backup password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest backup password, in characters.
pub const MAX_PASSWORD_CHARS: usize = 256;
/// The fewest different characters: "aaaaaaaaaaaa" and "abababababab" are refused.
pub const MIN_DISTINCT_CHARS: usize = 5;

/// Checks the password of a new backup and that `confirmation` repeats it.
pub fn check_backup_password(password: &str, confirmation: &str) -> Result<(), BackupError> {
    let chars = password.chars().count();
    let rule = |problem: String| Err(BackupError::PasswordRule { problem });
    if chars == 0 {
        return rule("is empty".to_string());
    }
    if chars < MIN_PASSWORD_CHARS {
        return rule(format!(
            "is too short: {chars} characters, at least {MIN_PASSWORD_CHARS} are needed for a file that can be attacked offline"
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return rule(format!(
            "is too long: {chars} characters, at most {MAX_PASSWORD_CHARS}"
        ));
    }
    if password.chars().any(char::is_control) {
        return rule("contains control characters (tabs, line breaks...)".to_string());
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < MIN_DISTINCT_CHARS {
        return rule(format!(
            "repeats too few characters: it has {} different ones, at least {MIN_DISTINCT_CHARS} are needed",
            distinct.len()
        ));
    }
    if !bool::from(password.as_bytes().ct_eq(confirmation.as_bytes())) {
        return Err(BackupError::ConfirmationMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(password: &str) -> String {
        match check_backup_password(password, password) {
            Err(error @ BackupError::PasswordRule { .. }) => error.to_string(),
            other => panic!("{password:?}: {other:?}"),
        }
    }

    #[test]
    fn good_passwords_pass() {
        for password in [
            "correct horse battery staple",
            "Tr0ub4dor&3xyz",
            "été à la plage!",
            &"ab12!".repeat(51)[..255],
        ] {
            check_backup_password(password, password).unwrap();
        }
    }

    #[test]
    fn each_rule_names_the_password_and_the_problem() {
        assert_eq!(problem(""), "the backup password is empty");
        assert_eq!(
            problem("short pass1"),
            "the backup password is too short: 11 characters, at least 12 are needed for a file that can be attacked offline"
        );
        // Characters, not bytes: 11 two-byte characters are still too short.
        assert!(problem("ééééééééééé").contains("11 characters"));
        assert_eq!(
            problem(&"abcdef".repeat(43)),
            "the backup password is too long: 258 characters, at most 256"
        );
        assert_eq!(
            problem("correct horse\tbattery"),
            "the backup password contains control characters (tabs, line breaks...)"
        );
        assert_eq!(
            problem("abababababab"),
            "the backup password repeats too few characters: it has 2 different ones, at least 5 are needed"
        );
    }

    #[test]
    fn the_confirmation_must_repeat_the_password() {
        let err =
            check_backup_password("correct horse battery", "correct horse batterY").unwrap_err();
        assert!(matches!(err, BackupError::ConfirmationMismatch));
        assert_eq!(
            err.to_string(),
            "the password confirmation is not the same as the backup password: type it again"
        );
        // A password breaking a rule is reported as such even when the confirmation differs.
        assert!(matches!(
            check_backup_password("short", "other"),
            Err(BackupError::PasswordRule { .. })
        ));
    }
}
