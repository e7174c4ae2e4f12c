//! What several test files share: the binary as a token without a device key, and running it
//! with text on its standard input.

// Each test file uses the part it needs.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The `tessera` binary with the device key declined (TESSERA_NO_DEVICE_KEY): these tests are
/// about a token without one, and must not read or write the keystore of whoever runs them.
/// tests/device_key.rs tests the token with a keystore, and without one.
pub fn tessera() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera"));
    command.env("TESSERA_NO_DEVICE_KEY", "1");
    command
}

/// Runs `command` with `input` written to its standard input (a pipe, so not a terminal), then
/// closed.
pub fn with_input(command: &mut Command, input: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("a pipe to standard input");
    // A refusal may come before the input is read: a closed pipe is not the test's failure.
    let _ = stdin.write_all(input.as_bytes());
    drop(stdin);
    child.wait_with_output().expect("the binary ends")
}
