//! `tessera add` and `tessera reactivate`: the Add Identity flow on the terminal.

use std::path::PathBuf;

use clap::Args;
use tessera_core::flow::{ActivationInput, AddIdentityFlow, FlowError, FlowStep};
use tessera_core::session::{Session, TokenStatus};
use zeroize::Zeroizing;

use crate::pin;
use crate::refusal::Refusal;
use crate::secret::{ACTIVATION_CODE, LINK, LINK_PASSWORD};

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

/// Where the activation comes from: typed data, a link, or a picture of a link's QR code. The
/// secrets among them are read through [`crate::secret`]: `-` for standard input, else their
/// variable, else asked.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source").required(true).args(["serial", "uri", "qr"]))]
#[command(group = clap::ArgGroup::new("link").args(["uri", "qr"]))]
pub struct ActivationArgs {
    /// Serial number, e.g. 48244-13456.
    #[arg(long)]
    serial: Option<String>,
    /// Activation code, e.g. 1745-7712-6942-8698; `-` reads it from standard input. Left out,
    /// it is asked (TESSERA_ACTIVATION_CODE without a terminal).
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
    /// An otpauth:// or igmobileotp:// link; `--uri -` reads it from standard input, `--uri`
    /// alone asks for it (TESSERA_URI without a terminal).
    #[arg(long, value_name = "URI", num_args = 0..=1)]
    uri: Option<Option<String>>,
    /// A PNG or JPEG picture of a QR code holding such a link.
    #[arg(long, value_name = "IMAGE")]
    qr: Option<PathBuf>,
    /// The password that came with an igmobileotp:// link; `-` reads it from standard input.
    /// Left out, it is asked when the link needs it (TESSERA_LINK_PASSWORD without a terminal).
    #[arg(long, requires = "link")]
    password: Option<String>,
}

pub fn run(home: PathBuf, args: AddArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    if session.status().map_err(super::explain)? != TokenStatus::NoToken {
        super::unlock(&session)?;
    }
    let flow = AddIdentityFlow::new(session.clone()).map_err(flow_refusal)?;
    walk(&session, &flow, &args.source, args.name, "added")
}

pub fn reactivate(home: PathBuf, args: ReactivateArgs) -> Result<Zeroizing<String>, Refusal> {
    let session = super::session(home);
    super::unlock(&session)?;
    let identity = session.find(&args.identity)?;
    let flow = AddIdentityFlow::reactivate(session.clone(), &identity.id).map_err(flow_refusal)?;
    walk(&session, &flow, &args.source, None, "reactivated")
}

/// Gives the flow the activation data or link and answers each step until it is done.
fn walk(
    session: &Session,
    flow: &AddIdentityFlow,
    args: &ActivationArgs,
    name: Option<String>,
    done: &str,
) -> Result<Zeroizing<String>, Refusal> {
    let mut state = match (&args.serial, &args.uri, &args.qr) {
        (Some(serial), _, _) => flow.enter_activation(&ActivationInput {
            serial: serial.clone(),
            activation: ACTIVATION_CODE
                .read(args.activation.as_deref())?
                .to_string(),
            address: args.address.clone(),
            name,
            digits: args.digits,
            ocra_suite: args.ocra.clone(),
        }),
        (None, Some(given), _) => {
            let uri = LINK.read(given.as_deref())?;
            super::import::refuse_export_link(&uri)?;
            flow.enter_link(&uri)
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
    let mut new_pin = None;
    loop {
        state = match state {
            FlowStep::NeedsPassword => {
                flow.enter_password(&LINK_PASSWORD.read(args.password.as_deref())?)
            }
            FlowStep::NeedsPin => {
                let pin = new_pin.insert(pin::new_once()?);
                flow.set_pin(pin)
            }
            FlowStep::ConfirmPin => flow.confirm_pin(&pin::confirm_new()?),
            FlowStep::ShowRegistrationCode {
                registration_code, ..
            } => {
                output.push_str(&format!("registration code: {registration_code}\n"));
                flow.finish()
            }
            FlowStep::Done {
                identity,
                recovery_key,
                warnings,
            } => {
                for warning in &warnings {
                    eprintln!("tessera: warning: {warning}");
                }
                if let Some(pin) = &new_pin {
                    super::warn_after_new_pin(session, pin);
                }
                let mut text = Zeroizing::new(format!("{done}: {}\n", identity.name));
                text.push_str(&output);
                if let Some(key) = recovery_key {
                    text.push_str(&super::recovery_key_line(&key));
                }
                return Ok(text);
            }
            FlowStep::Start => return Err(Refusal::new("the identity was not added")),
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
