//! `users import FILE.csv`: many users at once, all or none. The file is UTF-8 CSV with the
//! header `user,password` and one user per line; every line is checked (name rule, password
//! length, no name twice, no name already in the database) before anything is written, and the
//! users are then added in one transaction, so a bad line leaves the database as it was. Each
//! refusal names the line (counting the header as line 1) and the field.

use std::collections::HashSet;
use std::path::Path;

use sqlx::AnyPool;
use zeroize::Zeroizing;

use crate::database::{self, audit};
use crate::error::StartError;
use crate::{passwords, user_names};

/// The header the file must start with.
const HEADER: [&str; 2] = ["user", "password"];
/// Most users in one file: the passwords are hashed one by one (tens of milliseconds each).
const MAX_USERS: usize = 100_000;

/// One checked line.
struct Line {
    number: u64,
    user: String,
    password: Zeroizing<String>,
}

fn refused(line: u64, field: &str, message: impl std::fmt::Display) -> StartError {
    StartError::Input {
        field: "FILE",
        message: format!("line {line}, field {field}: {message}; nothing was imported"),
    }
}

/// Reads and checks every line of `file`.
fn read(file: &Path) -> Result<Vec<Line>, StartError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::None)
        .from_path(file)
        .map_err(|e| StartError::Input {
            field: "FILE",
            message: format!("could not open {}: {e}", file.display()),
        })?;
    let header = reader
        .headers()
        .map_err(|e| refused(1, "header", e))?
        .clone();
    if header.iter().collect::<Vec<_>>() != HEADER {
        return Err(refused(
            1,
            "header",
            format!("must be exactly `{}`", HEADER.join(",")),
        ));
    }
    let mut lines = Vec::new();
    let mut seen = HashSet::new();
    let mut record = csv::StringRecord::new();
    loop {
        let line = reader.position().line();
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(refused(line, "line", without_position(&e))),
        }
        let number = record.position().map_or(line, csv::Position::line);
        if lines.len() == MAX_USERS {
            return Err(refused(
                number,
                "line",
                format!("at most {MAX_USERS} users per file"),
            ));
        }
        let user = record.get(0).unwrap_or_default().to_owned();
        let password = Zeroizing::new(record.get(1).unwrap_or_default().to_owned());
        if let Some(problem) = user_names::problem(&user) {
            return Err(refused(number, "user", format!("the user name {problem}")));
        }
        if !seen.insert(user.clone()) {
            return Err(refused(
                number,
                "user",
                format!("{user:?} is on an earlier line too"),
            ));
        }
        if let Err(StartError::Input { message, .. }) = passwords::check(&password) {
            return Err(refused(number, "password", message));
        }
        lines.push(Line {
            number,
            user,
            password,
        });
    }
    Ok(lines)
}

/// The csv crate's message without its own position (the refusal gives the line).
fn without_position(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::UnequalLengths { len, .. } => {
            format!("has {len} fields, the header has {}", HEADER.len())
        }
        csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".into(),
        _ => error.to_string(),
    }
}

/// Imports `file` into `pool`; returns how many users were added.
pub async fn import(pool: &AnyPool, file: &Path) -> Result<usize, StartError> {
    let lines = read(file)?;
    let mut hashed = Vec::with_capacity(lines.len());
    for line in lines {
        let password = line.password;
        let hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
            .await
            .map_err(|e| StartError::Database(e.to_string()))??;
        hashed.push((line.number, line.user, hash));
    }
    let mut transaction = pool.begin().await.map_err(StartError::database)?;
    for (number, user, hash) in &hashed {
        if !database::users::add_in(&mut transaction, user, hash)
            .await
            .map_err(StartError::database)?
        {
            return Err(refused(
                *number,
                "user",
                format!("there is a user {user:?} already"),
            ));
        }
        let event = audit::Event {
            actor: "cli",
            action: "user.import",
            subject: user,
            outcome: "added",
            client: None,
        };
        audit::write(&mut transaction, &event)
            .await
            .map_err(StartError::database)?;
    }
    transaction.commit().await.map_err(StartError::database)?;
    Ok(hashed.len())
}
