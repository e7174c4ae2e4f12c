//! The Add Identity flow as a state machine, so every shell walks the same steps with the same
//! checks and messages:
//!
//! ```text
//! Start -> (typed serial + activation code | scanned or opened link)
//!       -> NeedsPassword         (only for an igmobileotp:// link)
//!       -> NeedsPin -> ConfirmPin (only when the token has no PIN yet)
//!       -> ShowRegistrationCode  (IdentityGuard identities)
//!       -> Done
//! ```
//!
//! Each method returns the next step or a [`FlowError`] naming the field; after an error the
//! flow stays where it was. Nothing is saved until the step that reaches `Done`.
//!
//! [`AddIdentityFlow::reactivate`] walks the same steps (never the PIN ones: the token exists)
//! to give an IdentityGuard identity new activation data; see `session/reactivate.rs` for what
//! the identity keeps.

mod error;
mod pending;

pub use error::{FlowError, FlowField};

use std::sync::{Arc, Mutex, MutexGuard};

use zeroize::Zeroizing;

use crate::identity::IdentitySummary;
use crate::identityguard::{IdentityGuardError, open_activation_link};
use crate::provisioning::{Provisioning, decode_uri};
use crate::session::{Session, SessionError};
use crate::vault::{VaultError, check_pin_rules, pins_match};
use pending::{ActivationData, Pending};

/// A step of Add Identity: where the flow is, and so what the shell shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowStep {
    /// Waiting for activation data or a link.
    Start,
    /// An igmobileotp:// link was given: ask for the password that came with it.
    NeedsPassword,
    /// The token has no PIN yet: ask for one.
    NeedsPin,
    /// Ask for the same PIN again.
    ConfirmPin,
    /// Show the registration code for the person to type into the organisation's page, then
    /// call [`AddIdentityFlow::finish`].
    ShowRegistrationCode {
        /// The identity's name.
        name: String,
        /// The registration code, grouped ("12211-49352").
        registration_code: String,
    },
    /// Saved.
    Done {
        /// The identity as added.
        identity: IdentitySummary,
        /// When this flow created the token: its recovery key, to show once and have the
        /// person write down (it opens the token if the PIN is lost or locked out). `None` in
        /// [`AddIdentityFlow::step`], which never repeats it.
        recovery_key: Option<String>,
        /// Things the person should know about the identity (e.g. a short secret).
        warnings: Vec<String>,
    },
}

impl FlowStep {
    fn label(&self) -> &'static str {
        match self {
            FlowStep::Start => "start",
            FlowStep::NeedsPassword => "link password",
            FlowStep::NeedsPin => "choose a PIN",
            FlowStep::ConfirmPin => "confirm the PIN",
            FlowStep::ShowRegistrationCode { .. } => "registration code",
            FlowStep::Done { .. } => "done",
        }
    }
}

/// Activation data as a person types it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActivationInput {
    /// Serial number, e.g. "48244-13456".
    pub serial: String,
    /// Activation code, e.g. "1745-7712-6942-8698".
    pub activation: String,
    /// Self-service address, optional.
    pub address: Option<String>,
    /// Name, optional (the address's host, else "IdentityGuard <serial>").
    pub name: Option<String>,
    /// 6 (default) or 8 digits.
    pub digits: Option<u8>,
    /// An OCRA suite, for organisations that use challenge-response.
    pub ocra_suite: Option<String>,
}

struct Inner {
    step: FlowStep,
    pending: Option<Pending>,
    link: Option<Zeroizing<String>>,
    pin: Option<Zeroizing<String>>,
    warnings: Vec<String>,
}

/// One pass through Add Identity. Thread-safe; one step at a time.
pub struct AddIdentityFlow {
    session: Arc<Session>,
    needs_pin: bool,
    /// The id of the identity being reactivated, for a reactivation.
    replacing: Option<String>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for AddIdentityFlow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AddIdentityFlow")
            .field("step", &self.step())
            .finish_non_exhaustive()
    }
}

impl AddIdentityFlow {
    /// Starts adding an identity. The token must be unlocked, or not exist yet (then the flow
    /// sets its PIN).
    pub fn new(session: Arc<Session>) -> Result<Self, FlowError> {
        let needs_pin = !session.has_token()?;
        if !needs_pin && !session.is_unlocked() {
            return Err(SessionError::NotUnlocked.into());
        }
        let inner = Inner {
            step: FlowStep::Start,
            pending: None,
            link: None,
            pin: None,
            warnings: Vec::new(),
        };
        Ok(Self {
            session,
            needs_pin,
            replacing: None,
            inner: Mutex::new(inner),
        })
    }

    /// Starts replacing the activation of the IdentityGuard identity `identity_id` with new
    /// activation data (typed, or an igmobileotp:// link). The token must be unlocked; other
    /// kinds of identity are refused.
    pub fn reactivate(session: Arc<Session>, identity_id: &str) -> Result<Self, FlowError> {
        session.reactivation_base(identity_id)?;
        let flow = Self::new(session)?;
        Ok(Self {
            replacing: Some(identity_id.to_string()),
            ..flow
        })
    }

    /// The current step.
    pub fn step(&self) -> FlowStep {
        self.guard().step.clone()
    }

    /// Typed activation data.
    pub fn enter_activation(&self, input: &ActivationInput) -> Result<FlowStep, FlowError> {
        let mut inner = self.at(FlowStep::Start)?;
        let data = ActivationData::from_input(input)?;
        self.after_data(&mut inner, Pending::IdentityGuard(Box::new(data)))
    }

    /// A scanned, pasted or opened link: otpauth:// or igmobileotp://.
    pub fn enter_link(&self, text: &str) -> Result<FlowStep, FlowError> {
        let mut inner = self.at(FlowStep::Start)?;
        match decode_uri(text, None) {
            Ok(Provisioning::Otpauth(_)) if self.replacing.is_some() => Err(FlowError::invalid(
                FlowField::Link,
                "an otpauth:// link adds a new identity; reactivating needs IdentityGuard activation data (a serial number and activation code, or an igmobileotp:// link)",
            )),
            Ok(Provisioning::Otpauth(parsed)) => {
                inner.warnings = parsed.warnings.iter().map(ToString::to_string).collect();
                let identity = pending::identity_from_otpauth(parsed.otp, self.session.now_unix())?;
                self.after_data(&mut inner, Pending::Ready(Box::new(identity)))
            }
            Ok(Provisioning::IdentityGuard(_)) => Err(FlowError::WrongStep { current: "start" }),
            Err(crate::provisioning::LinkError::PasswordNeeded) => {
                // Check the link's form now (no key work: an empty password is refused after
                // the form is checked), so a cut or mangled link is reported beside the link
                // instead of after the person has typed its password, and the flow does not
                // sit at NeedsPassword with a link no password can open.
                match open_activation_link(text, "") {
                    Err(IdentityGuardError::EmptyPassword) | Ok(_) => {}
                    Err(error) => return Err(error.into()),
                }
                inner.link = Some(Zeroizing::new(text.trim().to_string()));
                inner.step = FlowStep::NeedsPassword;
                Ok(inner.step.clone())
            }
            Err(error) => Err(error.into()),
        }
    }

    /// The password that came with an igmobileotp:// link.
    pub fn enter_password(&self, password: &str) -> Result<FlowStep, FlowError> {
        let mut inner = self.at(FlowStep::NeedsPassword)?;
        let link_text = inner.link.clone().ok_or(FlowError::WrongStep {
            current: "link password",
        })?;
        let link = open_activation_link(&link_text, password)?;
        let data = ActivationData::from_link(link)?;
        // The link is kept until the step succeeds: after an error (a duplicate identity, say)
        // the flow stays at this step and must still be able to take the password again.
        let next = self.after_data(&mut inner, Pending::IdentityGuard(Box::new(data)))?;
        inner.link = None;
        Ok(next)
    }

    /// The PIN chosen for a new token. Checked against the PIN rules here.
    pub fn set_pin(&self, pin: &str) -> Result<FlowStep, FlowError> {
        let mut inner = self.at(FlowStep::NeedsPin)?;
        check_pin_rules(pin)
            .map_err(|e| FlowError::invalid(FlowField::Pin, VaultError::from(e)))?;
        inner.pin = Some(Zeroizing::new(pin.to_string()));
        inner.step = FlowStep::ConfirmPin;
        Ok(inner.step.clone())
    }

    /// The same PIN again. A mismatch goes back to choosing the PIN.
    pub fn confirm_pin(&self, pin: &str) -> Result<FlowStep, FlowError> {
        let mut inner = self.at(FlowStep::ConfirmPin)?;
        let matches = inner
            .pin
            .as_ref()
            .is_some_and(|chosen| pins_match(chosen, pin));
        if !matches {
            inner.pin = None;
            inner.step = FlowStep::NeedsPin;
            return Err(FlowError::PinMismatch);
        }
        self.after_pin(&mut inner)
    }

    /// After the registration code was shown: saves the identity.
    pub fn finish(&self) -> Result<FlowStep, FlowError> {
        let mut inner = self.guard();
        if !matches!(inner.step, FlowStep::ShowRegistrationCode { .. }) {
            return Err(FlowError::WrongStep {
                current: inner.step.label(),
            });
        }
        self.save(&mut inner)
    }

    /// Activation data or an otpauth identity is known: ask for a PIN, or go on.
    fn after_data(&self, inner: &mut Inner, pending: Pending) -> Result<FlowStep, FlowError> {
        inner.pending = Some(pending);
        if self.needs_pin {
            inner.step = FlowStep::NeedsPin;
            return Ok(inner.step.clone());
        }
        self.after_pin(inner)
    }

    /// The PIN is settled (or not needed): show the registration code, or save.
    fn after_pin(&self, inner: &mut Inner) -> Result<FlowStep, FlowError> {
        let pending = inner.pending.take().ok_or(FlowError::WrongStep {
            current: inner.step.label(),
        })?;
        match pending {
            Pending::IdentityGuard(mut data) => {
                if let Some(id) = &self.replacing {
                    data.keep(self.session.reactivation_base(id)?);
                }
                let identity = data.activate(self.session.now_unix())?;
                // A duplicate must be refused before its registration code is shown: typed into
                // the organisation's page, a new code re-registers the serial with new random
                // bytes, and the identity already on the token would stop working.
                match &self.replacing {
                    Some(id) => self.session.check_reactivation(id, &identity)?,
                    None if !self.needs_pin => self.session.check_not_on_token(&identity)?,
                    None => {}
                }
                let registration_code = match &identity.kind {
                    crate::identity::IdentityKind::IdentityGuard(ig) => ig.registration.to_string(),
                    _ => String::new(),
                };
                inner.step = FlowStep::ShowRegistrationCode {
                    name: identity.name.clone(),
                    registration_code,
                };
                inner.pending = Some(Pending::Ready(Box::new(identity)));
                Ok(inner.step.clone())
            }
            ready @ Pending::Ready(_) => {
                inner.pending = Some(ready);
                self.save(inner)
            }
        }
    }

    fn save(&self, inner: &mut Inner) -> Result<FlowStep, FlowError> {
        let Some(Pending::Ready(identity)) = inner.pending.as_ref() else {
            return Err(FlowError::WrongStep {
                current: inner.step.label(),
            });
        };
        let identity = (**identity).clone();
        let (summary, recovery_key) = match (&self.replacing, &inner.pin) {
            (Some(id), _) => (self.session.replace_activation(id, identity)?, None),
            (None, Some(pin)) if self.needs_pin => {
                let (mut summaries, key) = self.session.create_token(pin, vec![identity])?;
                let summary = summaries.pop().ok_or(FlowError::WrongStep {
                    current: inner.step.label(),
                })?;
                (summary, Some(key.as_str().to_string()))
            }
            _ => (self.session.add_identity(identity)?, None),
        };
        inner.pending = None;
        inner.pin = None;
        let warnings = std::mem::take(&mut inner.warnings);
        inner.step = FlowStep::Done {
            identity: summary.clone(),
            recovery_key: None,
            warnings: warnings.clone(),
        };
        Ok(FlowStep::Done {
            identity: summary,
            recovery_key,
            warnings,
        })
    }

    /// The lock, if the flow is at `expected`'s step.
    fn at(&self, expected: FlowStep) -> Result<MutexGuard<'_, Inner>, FlowError> {
        let inner = self.guard();
        if std::mem::discriminant(&inner.step) != std::mem::discriminant(&expected) {
            return Err(FlowError::WrongStep {
                current: inner.step.label(),
            });
        }
        Ok(inner)
    }

    fn guard(&self) -> MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
