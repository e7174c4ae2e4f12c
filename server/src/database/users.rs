//! The `users` table.

use sqlx::{Any, AnyPool, Transaction};

use super::{as_column, now};

/// What a user may do on the Self Service pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Role {
    /// Their own account only.
    #[default]
    User,
    /// Also the help desk pages: other users' tokens and answers.
    Helpdesk,
}

impl Role {
    /// The name kept in the `role` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Helpdesk => "helpdesk",
        }
    }
}

/// The role of user `name`, if the user exists (an unknown role is `User`: least privilege).
pub async fn role(pool: &AnyPool, name: &str) -> Result<Option<Role>, sqlx::Error> {
    let role = sqlx::query_scalar::<_, String>("SELECT role FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await?;
    Ok(role.map(|role| {
        if role == Role::Helpdesk.as_str() {
            Role::Helpdesk
        } else {
            Role::User
        }
    }))
}

/// Adds user `name` with `password_hash` and `role`; false when the name is taken.
pub async fn add(
    pool: &AnyPool,
    name: &str,
    password_hash: &str,
    role: Role,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO users (name, password_hash, created_at, role) VALUES ($1, $2, $3, $4) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(password_hash)
    .bind(as_column(now()))
    .bind(role.as_str())
    .execute(pool)
    .await?;
    Ok(result.rows_affected() == 1)
}

/// True when user `name` exists.
pub async fn exists(pool: &AnyPool, name: &str) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar::<_, i64>("SELECT 1 FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await?;
    Ok(found.is_some())
}

/// The password hash of user `name`, if the user exists.
pub async fn password_hash(pool: &AnyPool, name: &str) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar::<_, String>("SELECT password_hash FROM users WHERE name = $1")
        .bind(name)
        .fetch_optional(pool)
        .await
}

/// Adds user `name` inside `transaction` (an import); false when the name is taken.
pub async fn add_in(
    transaction: &mut Transaction<'_, Any>,
    name: &str,
    password_hash: &str,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(password_hash)
    .bind(as_column(now()))
    .execute(&mut **transaction)
    .await?;
    Ok(result.rows_affected() == 1)
}
