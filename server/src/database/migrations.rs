//! The schema's migrations, compiled into the binary (so the server needs nothing beside it)
//! and run at every start; sqlx records which ran in its own table.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;

use sqlx::AnyPool;
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};

use crate::error::StartError;

/// Every migration, in order: (version, description, SQL).
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "initial",
        include_str!("../../migrations/0001_initial.sql"),
    ),
    (2, "authn", include_str!("../../migrations/0002_authn.sql")),
    (3, "ops", include_str!("../../migrations/0003_ops.sql")),
    (
        4,
        "sealed answers",
        include_str!("../../migrations/0004_sealed_answers.sql"),
    ),
    (5, "web", include_str!("../../migrations/0005_web.sql")),
];

/// The migrations above as sqlx's source.
#[derive(Debug)]
struct Embedded;

impl<'s> MigrationSource<'s> for Embedded {
    fn resolve(
        self,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<Migration>, BoxDynError>> + Send + 's>> {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sql)| {
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// Brings the schema up to date.
pub async fn run(pool: &AnyPool) -> Result<(), StartError> {
    let migrator = Migrator::new(Embedded)
        .await
        .map_err(|e| StartError::Migration(e.to_string()))?;
    migrator
        .run(pool)
        .await
        .map_err(|e| StartError::Migration(e.to_string()))
}
