//! One pass through Add Identity; the shell shows the step each call returns.

use std::sync::Arc;

use tessera_core::flow::AddIdentityFlow as CoreFlow;
use tessera_core::session::Session;

use crate::error::TokenError;
use crate::records::{ActivationInput, FlowStep};

/// Add Identity as a state machine: each method returns the next step, or an error naming the
/// field to show it beside (the flow then stays at the same step).
#[derive(uniffi::Object)]
pub struct AddIdentityFlow {
    inner: CoreFlow,
}

impl AddIdentityFlow {
    pub(crate) fn start(session: Arc<Session>) -> Result<Arc<Self>, TokenError> {
        Ok(Arc::new(Self {
            inner: CoreFlow::new(session)?,
        }))
    }

    pub(crate) fn reactivate(session: Arc<Session>, id: &str) -> Result<Arc<Self>, TokenError> {
        Ok(Arc::new(Self {
            inner: CoreFlow::reactivate(session, id)?,
        }))
    }
}

#[uniffi::export]
impl AddIdentityFlow {
    /// The current step.
    pub fn step(&self) -> Result<FlowStep, TokenError> {
        Ok(self.inner.step())
    }

    /// Typed serial number, activation code and options.
    pub fn enter_activation(&self, data: ActivationInput) -> Result<FlowStep, TokenError> {
        Ok(self.inner.enter_activation(&data)?)
    }

    /// A scanned, pasted or opened otpauth:// or igmobileotp:// link.
    pub fn enter_link(&self, link: String) -> Result<FlowStep, TokenError> {
        Ok(self.inner.enter_link(&link)?)
    }

    /// The password that came with an igmobileotp:// link.
    pub fn enter_password(&self, password: String) -> Result<FlowStep, TokenError> {
        Ok(self.inner.enter_password(&password)?)
    }

    /// The new token's PIN.
    pub fn set_pin(&self, pin: String) -> Result<FlowStep, TokenError> {
        Ok(self.inner.set_pin(&pin)?)
    }

    /// The same PIN again.
    pub fn confirm_pin(&self, pin: String) -> Result<FlowStep, TokenError> {
        Ok(self.inner.confirm_pin(&pin)?)
    }

    /// After the registration code was shown: saves the identity.
    pub fn finish(&self) -> Result<FlowStep, TokenError> {
        Ok(self.inner.finish()?)
    }
}
