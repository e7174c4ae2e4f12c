//! Challenge answers at rest: the Argon2id hash of a normalised answer is sealed under the
//! master key (core's `seal_value`), bound to its user and position, so the database alone
//! holds neither an answer nor a hash to guess answers against offline, and a sealed answer
//! copied to another user's row does not open there.

use sqlx::{Any, AnyPool, Transaction};
use tessera_core::issuer::{IssuerError, RecordKey, open_value, seal_value};
use zeroize::Zeroizing;

use crate::database::questions;
use crate::error::StartError;

/// What an unsealed answer hash (stored before answers were sealed) starts with.
const PLAIN_HASH_PREFIX: &str = "$argon2";

/// The seal's context: the user's name and the question's position.
fn context(user: &str, position: i64) -> Vec<u8> {
    let mut context = Vec::with_capacity(user.len() + 24);
    context.extend_from_slice(user.as_bytes());
    context.push(0);
    context.extend_from_slice(position.to_string().as_bytes());
    context
}

/// `hash` (a PHC string) sealed for `user`'s question `position`.
pub fn seal(key: &RecordKey, user: &str, position: i64, hash: &str) -> Result<String, IssuerError> {
    seal_value(key, &context(user, position), hash.as_bytes())
}

/// The PHC string sealed for `user`'s question `position`.
pub fn open(
    key: &RecordKey,
    user: &str,
    position: i64,
    sealed: &str,
) -> Result<Zeroizing<String>, IssuerError> {
    let bytes = open_value(key, &context(user, position), sealed, "answer")?;
    std::str::from_utf8(&bytes)
        .map(|text| Zeroizing::new(text.to_owned()))
        .map_err(|_| IssuerError::SealedValueDamaged { what: "answer" })
}

/// Re-seals every stored answer from `old` to `new` inside `transaction` (`keys rotate`);
/// returns how many there were.
pub async fn reseal_all(
    transaction: &mut Transaction<'_, Any>,
    old: &RecordKey,
    new: &RecordKey,
) -> Result<usize, StartError> {
    let rows = questions::all_answers(transaction)
        .await
        .map_err(StartError::database)?;
    for (user, position, sealed) in &rows {
        let hash = open(old, user, *position, sealed)?;
        let resealed = seal(new, user, *position, &hash)?;
        questions::replace_answer(transaction, user, *position, &resealed)
            .await
            .map_err(StartError::database)?;
    }
    Ok(rows.len())
}

/// Seals, under `key`, the answers a server from before sealing stored as plain hashes, in
/// one transaction; returns how many there were (none after the first start with sealing).
pub async fn seal_plain(pool: &AnyPool, key: &RecordKey) -> Result<usize, StartError> {
    let mut transaction = pool.begin().await.map_err(StartError::database)?;
    let rows = questions::all_answers(&mut transaction)
        .await
        .map_err(StartError::database)?;
    let mut count = 0;
    for (user, position, stored) in rows {
        if stored.starts_with(PLAIN_HASH_PREFIX) {
            let sealed = seal(key, &user, position, &stored)?;
            questions::replace_answer(&mut transaction, &user, position, &sealed)
                .await
                .map_err(StartError::database)?;
            count += 1;
        }
    }
    transaction.commit().await.map_err(StartError::database)?;
    if count > 0 {
        tracing::info!(count, "sealed the challenge answers stored unsealed");
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_opens_for_its_user_and_position_only() {
        let key = RecordKey::make().unwrap();
        let hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";
        let sealed = seal(&key, "alice", 1, hash).unwrap();
        assert!(!sealed.contains("argon2"));
        assert_eq!(open(&key, "alice", 1, &sealed).unwrap().as_str(), hash);
        assert!(open(&key, "alice", 2, &sealed).is_err());
        assert!(open(&key, "alice1", 1, &sealed).is_err());
        assert!(open(&key, "bob", 1, &sealed).is_err());
    }
}
