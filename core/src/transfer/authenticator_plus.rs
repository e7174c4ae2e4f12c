//! Authenticator Plus backups, `authplus.db` (docs/formats/authenticator-plus.md): the app's
//! SQLCipher 3 database under the master password ([`super::sqlcipher`]), whose `accounts`
//! table is the old Google Authenticator's ([`super::google_db`]).

use super::google_db;
use super::password::Password;
use super::report::{ImportError, ImportFormat, ImportReport};
use super::sqlcipher;
use super::sqlite::Database;

pub(super) fn parse(bytes: &[u8], password: &Password) -> Result<ImportReport, ImportError> {
    let image = sqlcipher::decrypt(bytes, password)?;
    google_db::read_accounts(&Database::open(&image)?, ImportFormat::AuthenticatorPlusDb)
}
