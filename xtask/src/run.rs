//! Running commands so a CI log shows each one before it runs.

use std::process::{Command, Stdio};

pub struct Captured {
    pub success: bool,
    pub text: String,
}

/// Runs a command, echoing its output live while keeping a copy to count results from.
pub fn run_captured(command: &mut Command) -> Result<Captured, String> {
    print_command(command);
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("could not start {:?}: {e}", command.get_program()))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{text}");
    Ok(Captured {
        success: output.status.success(),
        text,
    })
}

pub fn run_checked(command: &mut Command) -> Result<(), String> {
    print_command(command);
    let status = command
        .status()
        .map_err(|e| format!("could not start {:?}: {e}", command.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{:?} failed ({status})", command.get_program()))
    }
}

pub fn print_command(command: &Command) {
    let args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    println!(
        "\n$ {} {}",
        command.get_program().to_string_lossy(),
        args.join(" ")
    );
}
