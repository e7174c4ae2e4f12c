//! One module per area of the pages; each handler parses its form, calls the shared domain
//! functions and renders a template.

pub mod account;
pub mod certificate;
pub mod helpdesk;
pub mod signin;
pub mod token;
pub mod token_help;

use crate::database::audit;
use crate::error::ApiError;
use crate::http::AppState;
use crate::token_store::Actor;

/// Writes one audit row of a page action that changes nothing else.
pub async fn audit(
    state: &AppState,
    actor: &Actor,
    action: &str,
    subject: &str,
    outcome: &str,
) -> Result<(), ApiError> {
    let mut transaction = state.pool.begin().await?;
    let event = audit::Event {
        actor: &actor.key_id,
        action,
        subject,
        outcome,
        client: actor.client.as_deref(),
    };
    audit::write(&mut transaction, &event).await?;
    transaction.commit().await?;
    Ok(())
}
