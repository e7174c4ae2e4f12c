//! `tessera add`: the Add Identity flow on the terminal.

use std::path::PathBuf;

use clap::Args;
use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowError, FlowState};
use tessera_core::session::TokenStatus;
use zeroize::Zeroizing;

use crate::pin;
use crate::refusal::Refusal;

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source").required(true).args(["serial", "uri"]))]
pub struct AddArgs {
    /// Serial number, e.g. 48244-13456.
    #[arg(long, requires = "activation")]
    serial: Option<String>,
    /// Activation code, e.g. 1745-7712-6942-8698.
    #[arg(long, requires = "serial")]
    activation: Option<String>,
    /// Self-service address, e.g. myid.example.edu/igst.
    #[arg(long, requires = "serial")]
    address: Option<String>,
    /// Digits per code (6 or 8).
    #[arg(long, requires = "serial")]
    digits: Option<u8>,
    /// An OCRA suite, for organisations that send challenges.
    #[arg(long, requires = "serial")]
    ocra: Option<String>,
    /// An otpauth:// or igmobileotp:// link.
    #[arg(long)]
    uri: Option<String>,
    /// The password that came with an igmobileotp:// link.
    #[arg(long, requires = "uri")]
    password: Option<String>,
    /// The identity's name (default: from the link or the address).
    #[arg(long)]
    name: Option<String>,
}

pub fn run(home: PathBuf, args: AddArgs) -> Result<Zeroizing<String>, Refusal> {
    if let Some(uri) = &args.uri {
        super::import::refuse_export_link(uri)?;
    }
    let session = super::session(home);
    if session.status().map_err(super::explain)? != TokenStatus::NoToken {
        super::unlock(&session)?;
    }
    let flow = AddIdentityFlow::new(session.clone()).map_err(flow_refusal)?;
    let mut state = match (&args.serial, &args.uri) {
        (Some(serial), _) => flow.enter_activation(&ActivationInput {
            serial: serial.clone(),
            activation: args.activation.clone().unwrap_or_default(),
            address: args.address.clone(),
            name: args.name.clone(),
            digits: args.digits,
            ocra_suite: args.ocra.clone(),
        }),
        (None, Some(uri)) => flow.enter_link(uri),
        (None, None) => return Err(Refusal::new("give --serial and --activation, or --uri")),
    }
    .map_err(flow_refusal)?;
    let mut output = Zeroizing::new(String::new());
    loop {
        state = match state {
            FlowState::NeedsPassword => {
                let password = args
                    .password
                    .as_deref()
                    .ok_or_else(|| Refusal::new("this activation link needs the password that came with it: pass --password"))?;
                flow.enter_password(password)
            }
            FlowState::NeedsPin => flow.set_pin(&pin::new_once()?),
            FlowState::ConfirmPin => flow.confirm_pin(&pin::confirm_new()?),
            FlowState::ShowRegistrationCode { registration_code, .. } => {
                output.push_str(&format!("registration code: {registration_code}\n"));
                flow.finish()
            }
            FlowState::Done { identity, recovery_key, warnings } => {
                for warning in &warnings {
                    eprintln!("tessera: warning: {warning}");
                }
                let mut text = Zeroizing::new(format!("added: {}\n", identity.name));
                text.push_str(&output);
                if let Some(key) = recovery_key {
                    text.push_str(&format!(
                        "recovery key (write it down now; it opens the token if the PIN is lost, and is not shown again): {key}\n"
                    ));
                }
                return Ok(text);
            }
            FlowState::Start => return Err(Refusal::new("the identity was not added")),
        }
        .map_err(flow_refusal)?;
    }
}

fn flow_refusal(error: FlowError) -> Refusal {
    match error {
        FlowError::Session(inner) => super::explain(inner),
        other => Refusal::from(other),
    }
}
