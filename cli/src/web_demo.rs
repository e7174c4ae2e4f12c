//! `tessera demo --web`: an example organisation's Self Service pages on a loopback port, for a
//! person to walk the seed's flow in their own browser with this program as the token beside
//! it. The service is the real `tessera-server` (found beside this program, else on PATH), its
//! data in a temporary folder that is removed when the demo stops (Ctrl-C).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

use crate::refusal::Refusal;
use crate::scratch::Scratch;

const USER: &str = "alice";
const HELP_DESK: &str = "olivia";
/// The example organisation's passwords: printed, so only ever for this throwaway folder.
const PASSWORD: &str = "demo password";
const ADDRESS: &str = "myid.example.edu/igst";
const SERVER: &str = "tessera-server";
/// How long the server has to finish its requests and close the database after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);
const POLL: Duration = Duration::from_millis(100);

pub fn run() -> Result<Zeroizing<String>, Refusal> {
    let server = server_binary()?;
    let (scratch, _) = Scratch::new()?;
    let data = scratch.path().join("server");
    add_user(&server, &data, USER, "user")?;
    add_user(&server, &data, HELP_DESK, "helpdesk")?;

    let stop = Arc::new(AtomicBool::new(false));
    let stop_flag = Arc::clone(&stop);
    ctrlc::set_handler(move || stop_flag.store(true, Ordering::SeqCst))
        .map_err(|e| Refusal::new(format!("cannot wait for Ctrl-C: {e}")))?;

    let mut child = Command::new(&server)
        .arg("serve")
        .arg("--data")
        .arg(&data)
        .args(["--listen", "127.0.0.1:0", "--address", ADDRESS])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .map_err(|e| Refusal::new(format!("cannot start {}: {e}", server.display())))?;
    let address = match listening_address(&mut child) {
        Ok(address) => address,
        Err(refusal) => {
            stop_now(&mut child);
            return Err(refusal);
        }
    };
    say(&instructions(&address, scratch.path()));

    let outcome = wait_for_stop(&mut child, &stop);
    drop(scratch);
    outcome.map(|()| Zeroizing::new("The demo's folder is removed now.".to_owned()))
}

/// `tessera-server` beside this program (as cargo builds them), else the first on PATH.
fn server_binary() -> Result<PathBuf, Refusal> {
    let name = format!("{SERVER}{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)));
    let on_path: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(&name))
                .collect()
        })
        .unwrap_or_default();
    beside
        .into_iter()
        .chain(on_path)
        .find(|candidate| candidate.is_file())
        .ok_or_else(|| {
            Refusal::new(format!(
                "tessera demo --web runs {SERVER}, which is neither beside this program nor on PATH: \
                 build it with `cargo build --release -p tessera-server`, or install it"
            ))
        })
}

fn add_user(server: &Path, data: &Path, user: &str, role: &str) -> Result<(), Refusal> {
    let mut child = Command::new(server)
        .args([
            "users",
            "add",
            user,
            "--role",
            role,
            "--password",
            "-",
            "--data",
        ])
        .arg(data)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Refusal::new(format!("cannot start {}: {e}", server.display())))?;
    if let Some(mut stdin) = child.stdin.take() {
        writeln!(stdin, "{PASSWORD}")
            .map_err(|e| Refusal::new(format!("cannot give {SERVER} the password: {e}")))?;
    }
    let output = child
        .wait_with_output()
        .map_err(|e| Refusal::new(format!("{SERVER} users add failed: {e}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Refusal::new(format!(
            "{SERVER} could not add the user {user}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )))
    }
}

/// The address the server printed once listening; its further output is passed through.
fn listening_address(child: &mut Child) -> Result<String, Refusal> {
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| Refusal::new(format!("{SERVER} has no output")))?;
    let mut lines = BufReader::new(stdout);
    let mut first = String::new();
    lines
        .read_line(&mut first)
        .map_err(|e| Refusal::new(format!("cannot read what {SERVER} printed: {e}")))?;
    let address = first
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| Refusal::new(format!("{SERVER} did not start (it said {first:?})")))?
        .to_owned();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut lines, &mut std::io::stdout());
    });
    Ok(address)
}

fn instructions(address: &str, folder: &Path) -> String {
    let token = folder.join("token");
    let token = token.display();
    format!(
        "Tessera demo --web: an example organisation's Self Service pages, served by {SERVER}.\n\
         \n\
         Open {address}/ in your browser and sign in as {USER} (password: {PASSWORD}).\n\
         The pages lead you: set challenge questions, request a soft token, activate it.\n\
         The token is this program, in the demo's own folder:\n\
         \n\
         \x20 tessera --home {token} add --serial SERIAL --address {ADDRESS}\n\
         \x20 tessera --home {token} code\n\
         \n\
         The help desk signs in as {HELP_DESK} (password: {PASSWORD}).\n\
         Everything is kept in {} and removed when you press Ctrl-C.",
        folder.display()
    )
}

/// Waits for Ctrl-C, then for the server to stop (a terminal's Ctrl-C reaches it too; else it
/// is stopped). A server that stops on its own is reported.
fn wait_for_stop(child: &mut Child, stop: &AtomicBool) -> Result<(), Refusal> {
    while !stop.load(Ordering::SeqCst) {
        match child.try_wait() {
            Ok(Some(status)) => {
                return Err(Refusal::new(format!("{SERVER} stopped ({status})")));
            }
            Ok(None) => std::thread::sleep(POLL),
            Err(e) => return Err(Refusal::new(format!("cannot watch {SERVER}: {e}"))),
        }
    }
    let deadline = Instant::now() + SHUTDOWN_GRACE;
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return Ok(());
        }
        std::thread::sleep(POLL);
    }
    stop_now(child);
    Ok(())
}

fn stop_now(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}
