//! `tessera add` and `tessera reactivate`: the Add Identity flow on the terminal.

use std::path::PathBuf;

use clap::Args;
use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowError, FlowState};
use tessera_core::session::TokenStatus;
use zeroize::Zeroizing;

use crate::pin;
use crate::refusal::Refusal;

#[derive(Debug, Args)]
pub struct AddArgs {
    #[command(flatten)]
    source: ActivationArgs,
    /// The identity's name (default: from the link or the address).
    #[arg(long)]
    name: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReactivateArgs {
    /// The IdentityGuard identity's name or issuer; it keeps its name and place.
    identity: String,
    #[command(flatten)]
    source: ActivationArgs,
}

/// Where the activation comes from: typed data, a link, or a picture of a link's QR code.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source").required(true).args(["serial", "uri", "qr"]))]
#[command(group = clap::ArgGroup::new("link").args(["uri", "qr"]))]
pub struct ActivationArgs {
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
    /// A PNG or JPEG picture of a QR code holding such a link.
    #[arg(long, value_name = "IMAGE")]
    qr: Option<PathBuf>,
    /// The password that came with an igmobileotp:// link.
    #[arg(long, requires = "link")]
    password: Option<String>,
}

pub fn run(home: PathBuf, args: AddArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    if session.status().map_err(super::explain)? != TokenStatus::NoToken {
        super::unlock(&session)?;
    }
    let flow = AddIdentityFlow::new(session.clone()).map_err(flow_refusal)?;
    walk(&flow, &args.source, args.name, "added")
}

pub fn reactivate(home: PathBuf, args: ReactivateArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    super::unlock(&session)?;
    let identity = session.find(&args.identity)?;
    let flow = AddIdentityFlow::reactivate(session.clone(), &identity.id).map_err(flow_refusal)?;
    walk(&flow, &args.source, None, "reactivated")
}

/// Gives the flow the activation data or link and answers each step until it is done.
fn walk(
    flow: &AddIdentityFlow,
    args: &ActivationArgs,
    name: Option<String>,
    done: &str,
) -> Result<Zeroizing<String>, Refusal> {
    let mut state = match (&args.serial, &args.uri, &args.qr) {
        (Some(serial), _, _) => flow.enter_activation(&ActivationInput {
            serial: serial.clone(),
            activation: args.activation.clone().unwrap_or_default(),
            address: args.address.clone(),
            name,
            digits: args.digits,
            ocra_suite: args.ocra.clone(),
        }),
        (None, Some(uri), _) => {
            super::import::refuse_export_link(uri)?;
            flow.enter_link(uri)
        }
        (None, None, Some(image)) => {
            let link = super::scan::link_in_image(image)?;
            super::import::refuse_export_link(&link)?;
            flow.enter_link(&link)
        }
        (None, None, None) => {
            return Err(Refusal::new(
                "give --serial and --activation, --uri, or --qr",
            ));
        }
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
                let mut text = Zeroizing::new(format!("{done}: {}\n", identity.name));
                text.push_str(&output);
                if let Some(key) = recovery_key {
                    text.push_str(&super::recovery_key_line(&key));
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
