//! Every secret a command takes (PINs, passwords, the recovery key, activation codes, links
//! that carry a secret) is read here, one way, so that none has to appear in the process list
//! or the shell history.
//!
//! In order: the flag's value, where `-` reads the next line of standard input (asked without
//! echo when standard input is a terminal); else the secret's environment variable; else asked
//! without echo when standard input is a terminal; else a refusal naming the flag and the
//! variable. A value written on the command line itself is refused for the secrets that, with
//! their file, open everything for as long as they live (the recovery key, backup and import
//! passwords), and accepted with a warning on stderr for provisioning data, which is used once
//! and which scripts pass.

use std::io::{BufRead, IsTerminal, Read};

use zeroize::Zeroizing;

use crate::refusal::Refusal;

/// What a value written on the command line gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    Refused,
    Warned,
}

/// One secret a command takes, and the ways to give it.
#[derive(Debug)]
pub struct Secret {
    /// What it is, in messages: "recovery key".
    pub what: &'static str,
    /// How to give it on standard input, when a flag carries it: "--recovery -".
    pub stdin: Option<&'static str>,
    /// The environment variable that holds it.
    pub variable: &'static str,
    /// What the terminal asks.
    pub prompt: &'static str,
    pub literal: Literal,
}

pub const RECOVERY_KEY: Secret = Secret {
    what: "recovery key",
    stdin: Some("--recovery -"),
    variable: "TESSERA_RECOVERY_KEY",
    prompt: "Recovery key: ",
    literal: Literal::Refused,
};

pub const ACTIVATION_CODE: Secret = Secret {
    what: "activation code",
    stdin: Some("--activation -"),
    variable: "TESSERA_ACTIVATION_CODE",
    prompt: "Activation code: ",
    literal: Literal::Warned,
};

/// An otpauth:// link holds the secret itself; an igmobileotp:// link, the activation data.
pub const LINK: Secret = Secret {
    what: "link",
    stdin: Some("--uri -"),
    variable: "TESSERA_URI",
    prompt: "Link (otpauth:// or igmobileotp://): ",
    literal: Literal::Warned,
};

/// `tessera decode`'s link, an argument rather than a flag.
pub const DECODED_LINK: Secret = Secret {
    stdin: Some("tessera decode -"),
    ..LINK
};

pub const LINK_PASSWORD: Secret = Secret {
    what: "link password",
    stdin: Some("--password -"),
    variable: "TESSERA_LINK_PASSWORD",
    prompt: "Link password: ",
    literal: Literal::Warned,
};

pub const OCRA_PIN: Secret = Secret {
    what: "OCRA PIN",
    stdin: Some("--ocra-pin -"),
    variable: "TESSERA_OCRA_PIN",
    prompt: "The organisation's PIN for this challenge: ",
    literal: Literal::Warned,
};

pub const BACKUP_PASSWORD: Secret = Secret {
    what: "backup password",
    stdin: Some("--password -"),
    variable: "TESSERA_BACKUP_PASSWORD",
    prompt: "Backup password: ",
    literal: Literal::Refused,
};

pub const IMPORT_PASSWORD: Secret = Secret {
    what: "password",
    stdin: Some("--password -"),
    variable: "TESSERA_IMPORT_PASSWORD",
    prompt: "Password: ",
    literal: Literal::Refused,
};

pub const CURRENT_PIN: Secret = Secret {
    what: "PIN",
    stdin: None,
    variable: "TESSERA_PIN",
    prompt: "PIN: ",
    literal: Literal::Refused,
};

pub const NEW_PIN: Secret = Secret {
    variable: "TESSERA_NEW_PIN",
    prompt: "New PIN: ",
    ..CURRENT_PIN
};

pub const ISSUER_PASSPHRASE: Secret = Secret {
    what: "issuer passphrase",
    stdin: None,
    variable: "TESSERA_ISSUER_PASSPHRASE",
    prompt: "Issuer passphrase: ",
    literal: Literal::Refused,
};

impl Secret {
    /// The secret, from `given` (the flag's value; `None` when the flag is absent or bare),
    /// else the environment, else the terminal.
    pub fn read(&self, given: Option<&str>) -> Result<Zeroizing<String>, Refusal> {
        self.read_asking(given, self.prompt)
    }

    /// As [`Secret::read`], asking `prompt` on the terminal.
    pub fn read_asking(
        &self,
        given: Option<&str>,
        prompt: &str,
    ) -> Result<Zeroizing<String>, Refusal> {
        match given {
            Some("-") => return line_from_stdin(self.what, self.stdin.unwrap_or("-"), prompt),
            Some(value) => return self.literal(value),
            None => {}
        }
        if let Some(value) = std::env::var_os(self.variable) {
            return value.into_string().map(Zeroizing::new).map_err(|_| {
                Refusal::new(format!("{} does not hold valid UTF-8 text", self.variable))
            });
        }
        if std::io::stdin().is_terminal() {
            return ask(self.what, prompt);
        }
        Err(Refusal::new(match self.stdin {
            Some(stdin) => format!(
                "{} {} is needed: there is no terminal to ask on, so give `{stdin}` and the {} on standard input, or set {}",
                article(self.what),
                self.what,
                self.what,
                self.variable
            ),
            None => format!(
                "{} {} is needed: there is no terminal to ask on, so set {}",
                article(self.what),
                self.what,
                self.variable
            ),
        }))
    }

    /// Whether [`Secret::read`] with `given` asks a person on the terminal, who is asked a
    /// second time for a new PIN or password, to catch a typo.
    pub fn asks(&self, given: Option<&str>) -> bool {
        let from_terminal = match given {
            Some(value) => value == "-",
            None => std::env::var_os(self.variable).is_none(),
        };
        from_terminal && std::io::stdin().is_terminal()
    }

    fn literal(&self, value: &str) -> Result<Zeroizing<String>, Refusal> {
        let stdin = self.stdin.unwrap_or("-");
        let ways = format!(
            "give `{stdin}` to read it from standard input, set {}, or leave the value out to be asked",
            self.variable
        );
        match self.literal {
            Literal::Refused => Err(Refusal::new(format!(
                "the {} is not taken on the command line, where other users can see it in the process list and it stays in the shell history: {ways}",
                self.what
            ))),
            Literal::Warned => {
                eprintln!(
                    "tessera: warning: the {} on the command line can be seen by other users in the process list and stays in the shell history; {ways}",
                    self.what
                );
                Ok(Zeroizing::new(value.to_string()))
            }
        }
    }
}

/// The `what` given as `form` (`--recovery -`): the next line of standard input, without its
/// line ending; asked as `prompt` without echo when standard input is a terminal, so `-` never
/// shows the secret either. Each `-` of a command reads the next line.
/// The longest line of standard input taken as a secret: far more than any link, PIN,
/// password or key needs.
const MAX_LINE_BYTES: usize = 16 * 1024;

pub fn line_from_stdin(what: &str, form: &str, prompt: &str) -> Result<Zeroizing<String>, Refusal> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return ask(what, prompt);
    }
    // Room for the longest line taken, up front, so the line is never copied into a larger
    // buffer (which would leave an unwiped copy behind); the read stops one byte past it, so
    // `- < /dev/zero` is refused instead of filling memory.
    let mut line = Zeroizing::new(String::with_capacity(MAX_LINE_BYTES + 1));
    let limit = u64::try_from(MAX_LINE_BYTES + 1).unwrap_or(u64::MAX);
    let read = stdin.lock().take(limit).read_line(&mut line).map_err(|e| {
        Refusal::new(format!(
            "could not read the {what} from standard input: {e}"
        ))
    })?;
    if read == 0 {
        return Err(Refusal::new(format!(
            "standard input ended before the {what}: `{form}` reads it from the next line"
        )));
    }
    if read > MAX_LINE_BYTES {
        return Err(Refusal::new(format!(
            "the {what} on standard input is longer than {MAX_LINE_BYTES} bytes; nothing past that was read"
        )));
    }
    let end = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(end);
    Ok(line)
}

fn ask(what: &str, prompt: &str) -> Result<Zeroizing<String>, Refusal> {
    rpassword::prompt_password(prompt)
        .map(Zeroizing::new)
        .map_err(|e| Refusal::new(format!("could not read the {what} from the terminal: {e}")))
}

fn article(what: &str) -> &'static str {
    match what.chars().next().map(|c| c.to_ascii_lowercase()) {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}
