//! `tessera demo --web` with the real tessera-server: the pages answer at the printed address
//! while the demo runs, and Ctrl-C stops the server and removes the demo's folder. Without the
//! server, the demo says how to build it.
#![cfg(target_os = "linux")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The tessera-server binary, built for this test.
fn server_folder() -> PathBuf {
    let built = escargot::CargoBuild::new()
        .package("tessera-server")
        .bin("tessera-server")
        .run()
        .expect("tessera-server builds");
    built.path().parent().unwrap().to_owned()
}

/// `GET path` over plain HTTP/1.1: the whole answer, status line first.
fn get(address: &str, path: &str) -> std::io::Result<String> {
    let host = address.strip_prefix("http://").unwrap();
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer)?;
    Ok(answer)
}

#[test]
fn the_web_demo_serves_the_pages_and_ctrl_c_removes_its_folder() {
    let mut demo = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["demo", "--web"])
        .env("PATH", server_folder())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(demo.stdout.take().unwrap()).lines();
    let mut said = Vec::new();
    let (mut address, mut folder) = (None, None);
    while address.is_none() || folder.is_none() {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("the demo ended early: {said:?}"))
            .unwrap();
        if let Some(rest) = line.strip_prefix("Open ") {
            address = Some(rest.split_once("/ ").unwrap().0.to_owned());
        }
        if let Some(rest) = line.strip_prefix("Everything is kept in ") {
            folder = Some(PathBuf::from(rest.split_once(" and ").unwrap().0));
        }
        said.push(line);
    }
    let (address, folder) = (address.unwrap(), folder.unwrap());
    assert!(address.starts_with("http://127.0.0.1:"), "{address}");
    assert!(
        said.iter()
            .any(|l| l.contains("sign in as alice (password: demo password)"))
    );
    assert!(
        said.iter()
            .any(|l| l.contains("--address myid.example.edu/igst"))
    );
    assert!(folder.join("server").is_dir(), "{}", folder.display());

    let page = get(&address, "/signin").unwrap();
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("<h1>Sign in</h1>"), "{page}");

    // SAFETY: kill(2) with a pid this test spawned and has not reaped.
    let sent = unsafe { libc::kill(demo.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(sent, 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = demo.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the demo did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(100));
    };
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(status.success(), "{status}: {rest:?}");
    assert!(
        rest.iter()
            .any(|l| l == "The demo's folder is removed now."),
        "{rest:?}"
    );
    assert!(!folder.exists(), "{} is left", folder.display());
    assert!(get(&address, "/signin").is_err(), "the server is stopped");
}

#[test]
fn without_the_server_the_web_demo_says_how_to_build_it() {
    let alone = tempfile::tempdir().unwrap();
    let copy = alone.path().join("tessera");
    std::fs::copy(env!("CARGO_BIN_EXE_tessera"), &copy).unwrap();
    let output = Command::new(&copy)
        .args(["demo", "--web"])
        .env("PATH", Path::new(""))
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let said = String::from_utf8(output.stderr).unwrap();
    assert!(
        said.contains("tessera-server, which is neither beside this program nor on PATH")
            && said.contains("cargo build --release -p tessera-server"),
        "{said}"
    );
}
