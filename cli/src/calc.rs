//! `tessera calc ...`: one code from explicit inputs, printed alone on one line.

use clap::{Args, Subcommand, ValueEnum};
use tessera_core::Algorithm;
use tessera_core::codes::{self, OcraInput, OcraSuite, TotpParams};
use tessera_core::identityguard::{self, ActivationCode, RegistrationCode, SerialNumber};
use zeroize::Zeroizing;

use crate::input;
use crate::refusal::Refusal;

#[derive(Debug, Subcommand)]
pub enum CalcCommand {
    /// A time-based code (RFC 6238).
    Totp(TotpArgs),
    /// A counter-based code (RFC 4226).
    Hotp(HotpArgs),
    /// A Steam Guard code (5 characters).
    Steam(SteamArgs),
    /// An OCRA response to a challenge (RFC 6287).
    Ocra(OcraArgs),
    /// An IdentityGuard-compatible security code from the activation data.
    Identityguard(IdentityGuardArgs),
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AlgorithmArg {
    Sha1,
    Sha256,
    Sha512,
}

impl From<AlgorithmArg> for Algorithm {
    fn from(arg: AlgorithmArg) -> Self {
        match arg {
            AlgorithmArg::Sha1 => Algorithm::Sha1,
            AlgorithmArg::Sha256 => Algorithm::Sha256,
            AlgorithmArg::Sha512 => Algorithm::Sha512,
        }
    }
}

#[derive(Debug, Args)]
pub struct TotpArgs {
    /// The secret: base32, `hex:...`, or `-` to read it from standard input.
    #[arg(long)]
    secret: String,
    #[arg(long, value_enum, default_value = "sha1")]
    algorithm: AlgorithmArg,
    /// Number of digits (6 to 8).
    #[arg(long, default_value_t = 6)]
    digits: u8,
    /// Seconds per code (1 to 300).
    #[arg(long, default_value_t = 30)]
    period: u32,
    /// Unix time to compute the code for (default: now).
    #[arg(long)]
    at: Option<u64>,
}

#[derive(Debug, Args)]
pub struct HotpArgs {
    /// The secret: base32, `hex:...`, or `-` to read it from standard input.
    #[arg(long)]
    secret: String,
    /// The moving factor.
    #[arg(long)]
    counter: u64,
    #[arg(long, value_enum, default_value = "sha1")]
    algorithm: AlgorithmArg,
    /// Number of digits (6 to 8).
    #[arg(long, default_value_t = 6)]
    digits: u8,
}

#[derive(Debug, Args)]
pub struct SteamArgs {
    /// The secret: base32, `hex:...`, or `-` to read it from standard input.
    #[arg(long)]
    secret: String,
    /// Unix time to compute the code for (default: now).
    #[arg(long)]
    at: Option<u64>,
}

#[derive(Debug, Args)]
pub struct OcraArgs {
    /// The OCRA suite, e.g. OCRA-1:HOTP-SHA1-6:QN08.
    #[arg(long)]
    suite: String,
    /// The secret: base32, `hex:...`, or `-` to read it from standard input.
    #[arg(long)]
    secret: String,
    /// The challenge (question); in mutual mode, both challenges concatenated.
    #[arg(long)]
    challenge: String,
    /// The counter, for suites with C.
    #[arg(long)]
    counter: Option<u64>,
    /// The PIN, hashed with the suite's P hash.
    #[arg(long, conflicts_with = "pin_hash")]
    pin: Option<String>,
    /// The PIN's hash, in hex, for suites with P.
    #[arg(long)]
    pin_hash: Option<String>,
    /// Session information, in hex, for suites with S.
    #[arg(long)]
    session: Option<String>,
    /// Unix time, for suites with T (default: now).
    #[arg(long)]
    at: Option<u64>,
}

#[derive(Debug, Args)]
pub struct IdentityGuardArgs {
    /// Serial number, e.g. 48244-13456.
    #[arg(long)]
    serial: String,
    /// Activation code, e.g. 1745-7712-6942-8698.
    #[arg(long)]
    activation: String,
    /// Registration code the token showed, e.g. 12211-49352.
    #[arg(long)]
    registration: String,
    /// The policy JSON exactly as received, for deployments that include it.
    #[arg(long)]
    policy: Option<String>,
    /// Number of digits (6 or 8).
    #[arg(long, default_value_t = 6)]
    digits: u8,
    /// Unix time to compute the code for (default: now).
    #[arg(long)]
    at: Option<u64>,
    /// Also print the derived secret, in hex, on a second line.
    #[arg(long)]
    show_secret: bool,
}

/// What `calc` prints; zeroizing because `--show-secret` puts a secret in it.
pub type Output = Zeroizing<String>;

pub fn run(command: CalcCommand) -> Result<Output, Refusal> {
    match command {
        CalcCommand::Totp(args) => totp(args),
        CalcCommand::Hotp(args) => hotp(args),
        CalcCommand::Steam(args) => steam(args),
        CalcCommand::Ocra(args) => ocra(args),
        CalcCommand::Identityguard(args) => identityguard(args),
    }
}

fn line(code: String) -> Output {
    Zeroizing::new(format!("{code}\n"))
}

fn totp(args: TotpArgs) -> Result<Output, Refusal> {
    let params = TotpParams::new(args.algorithm.into(), args.digits, args.period)?;
    let secret = input::secret(&args.secret)?;
    let code = codes::totp(&secret, &params, input::unix_time(args.at)?)?;
    Ok(line(code))
}

fn hotp(args: HotpArgs) -> Result<Output, Refusal> {
    let secret = input::secret(&args.secret)?;
    let code = codes::hotp(&secret, args.counter, args.digits, args.algorithm.into())?;
    Ok(line(code))
}

fn steam(args: SteamArgs) -> Result<Output, Refusal> {
    let secret = input::secret(&args.secret)?;
    Ok(line(codes::steam_code(
        &secret,
        input::unix_time(args.at)?,
    )?))
}

fn ocra(args: OcraArgs) -> Result<Output, Refusal> {
    let suite: OcraSuite = args.suite.parse()?;
    let secret = input::secret(&args.secret)?;
    let unix_time = if suite.time_step_seconds().is_some() {
        Some(input::unix_time(args.at)?)
    } else {
        args.at
    };
    let input = OcraInput::from_text(
        args.counter,
        &args.challenge,
        args.pin.as_deref(),
        args.pin_hash.as_deref(),
        args.session.as_deref(),
        unix_time,
    )?;
    let code = codes::ocra(&suite, &secret, &input)?;
    Ok(line(code))
}

fn identityguard(args: IdentityGuardArgs) -> Result<Output, Refusal> {
    let serial: SerialNumber = args.serial.parse()?;
    let activation: ActivationCode = args.activation.parse()?;
    let registration: RegistrationCode = args.registration.parse()?;
    let params = identityguard::code_params(args.digits)?;
    let secret =
        identityguard::derive_secret(&serial, &activation, &registration, args.policy.as_deref());
    let code = codes::totp(&secret, &params, input::unix_time(args.at)?)?;
    let mut output = line(code);
    if args.show_secret {
        output.push_str(secret.to_hex().as_str());
        output.push('\n');
    }
    Ok(output)
}
