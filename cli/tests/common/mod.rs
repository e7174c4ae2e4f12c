//! What several test files share: running the binary with text on its standard input.

use std::io::Write;
use std::process::{Command, Output, Stdio};

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
