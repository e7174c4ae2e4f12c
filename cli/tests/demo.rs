//! `tessera demo` runs the seed's whole flow against the real issuer and token, unattended.

use std::process::{Command, Stdio};

#[test]
fn the_demo_walks_the_whole_flow_and_cleans_up() {
    let output = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("demo")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(
        output.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for step in 1..=9 {
        assert!(
            text.contains(&format!("\n{step}. ")),
            "step {step} missing:\n{text}"
        );
    }
    assert_eq!(
        text.matches("Organisation: registration complete.").count(),
        2,
        "{text}"
    );
    assert_eq!(text.matches("Organisation: accepted.").count(), 3, "{text}");
    assert!(
        text.contains("Token: ") && text.contains(". Organisation: accepted."),
        "{text}"
    );
    assert!(
        text.contains("The same code a second time: refused (code refused: already used)"),
        "{text}"
    );
    assert!(
        text.contains("wrong PIN, 1 try left") && text.contains("The token is locked."),
        "{text}"
    );
    assert!(text.contains("Even the right PIN now: refused"), "{text}");
    assert!(
        text.contains("the identities are: myid.example.edu, bank.example.org."),
        "{text}"
    );
    let folder = text
        .lines()
        .next()
        .and_then(|l| l.rsplit(" in ").next())
        .expect("the folder is named");
    assert!(
        !std::path::Path::new(folder.trim()).exists(),
        "the demo's folder is removed"
    );
}
