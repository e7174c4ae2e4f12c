//! The harness against the real PostgreSQL: a server starts, takes connections with its
//! password only, runs beside others, and leaves no process or folder behind.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;

use tessera_pg_harness::PgServer;

/// Runs one statement through `psql` on `url`; its unaligned output, or psql's error.
fn psql(url: &str, sql: &str) -> Result<String, String> {
    let output = Command::new(psql_program())
        .args([
            url,
            "--no-psqlrc",
            "--no-password",
            "-tA",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql,
        ])
        .env_remove("PGPASSWORD")
        .output()
        .map_err(|e| format!("psql did not run: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

/// Debian's psql wrapper on PATH, or the one beside an overridden server.
fn psql_program() -> PathBuf {
    std::env::var_os(tessera_pg_harness::BIN_ENV)
        .map(|dir| PathBuf::from(dir).join("psql"))
        .unwrap_or_else(|| PathBuf::from("psql"))
}

/// Read from /proc, independently of the harness: exists and is not a zombie.
fn process_is_running(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => false,
        Ok(stat) => {
            let after_name = &stat[stat.rfind(')').unwrap() + 1..];
            !after_name.trim_start().starts_with(['Z', 'X'])
        }
    }
}

fn accepts_connections(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_ok()
}

#[test]
fn a_started_server_answers_on_its_url() {
    let server = PgServer::start().unwrap();
    let url = server.url();
    assert!(url.starts_with("postgres://tessera:"), "{url}");
    assert!(
        url.ends_with(&format!("@127.0.0.1:{}/tessera", server.port())),
        "{url}"
    );
    assert_eq!(psql(&url, "select 1").unwrap(), "1");
    assert_eq!(
        psql(&url, "select current_database() || ' ' || current_user").unwrap(),
        "tessera tessera"
    );
    // Durable tables work: the database is the server's, writable by the url's user.
    psql(
        &url,
        "create table t (n int); insert into t values (41), (1)",
    )
    .unwrap();
    assert_eq!(psql(&url, "select sum(n) from t").unwrap(), "42");
    assert!(process_is_running(server.pid()));
}

#[test]
fn the_password_is_required() {
    let server = PgServer::start().unwrap();
    let password = server
        .url()
        .split_once("tessera:")
        .and_then(|(_, rest)| rest.split_once('@'))
        .map(|(password, _)| password.to_string())
        .unwrap();
    assert_eq!(password.len(), 32);
    let wrong = server
        .url()
        .replace(&password, "0123456789abcdef0123456789abcdef");
    let error = psql(&wrong, "select 1").unwrap_err();
    assert!(error.contains("password authentication failed"), "{error}");
    let without = server.url().replace(&format!(":{password}@"), "@");
    let error = psql(&without, "select 1").unwrap_err();
    assert!(error.contains("no password supplied"), "{error}");
}

#[test]
fn the_server_listens_on_loopback_only() {
    let server = PgServer::start().unwrap();
    let settings = psql(
        &server.url(),
        "select current_setting('listen_addresses') || ' ' || current_setting('port')",
    )
    .unwrap();
    assert_eq!(settings, format!("127.0.0.1 {}", server.port()));
}

#[test]
fn two_servers_run_at_once_apart() {
    let (first, second) = std::thread::scope(|scope| {
        let first = scope.spawn(PgServer::start);
        let second = scope.spawn(PgServer::start);
        (
            first.join().unwrap().unwrap(),
            second.join().unwrap().unwrap(),
        )
    });
    assert_ne!(first.port(), second.port());
    assert_ne!(first.pid(), second.pid());
    assert_ne!(first.folder(), second.folder());
    assert_ne!(first.url(), second.url());
    psql(&first.url(), "create table only_in_first (n int)").unwrap();
    assert_eq!(
        psql(
            &first.url(),
            "select count(*) from pg_tables where tablename = 'only_in_first'"
        )
        .unwrap(),
        "1"
    );
    assert_eq!(
        psql(
            &second.url(),
            "select count(*) from pg_tables where tablename = 'only_in_first'"
        )
        .unwrap(),
        "0"
    );
    // Stopping one leaves the other running.
    let first_pid = first.pid();
    drop(first);
    assert!(!process_is_running(first_pid));
    assert_eq!(psql(&second.url(), "select 2").unwrap(), "2");
}

#[test]
fn dropping_stops_the_postmaster_and_removes_the_folder() {
    let server = PgServer::start().unwrap();
    let (pid, port, folder) = (server.pid(), server.port(), server.folder().to_path_buf());
    assert!(process_is_running(pid));
    assert!(folder.join("data").join("PG_VERSION").is_file());
    assert!(accepts_connections(port));
    drop(server);
    assert!(
        !process_is_running(pid),
        "postmaster {pid} survived the drop"
    );
    assert!(!folder.exists(), "{} survived the drop", folder.display());
    assert!(!accepts_connections(port));
}

#[test]
fn stop_reports_success_and_cleans_up() {
    let server = PgServer::start().unwrap();
    let (pid, folder) = (server.pid(), server.folder().to_path_buf());
    server.stop().unwrap();
    assert!(!process_is_running(pid));
    assert!(!folder.exists());
}

#[test]
fn a_panicking_test_still_stops_its_server() {
    let (sender, receiver) = std::sync::mpsc::channel();
    let outcome = std::panic::catch_unwind(move || {
        let server = PgServer::start().unwrap();
        sender
            .send((server.pid(), server.folder().to_path_buf()))
            .unwrap();
        panic!("the test fails while its server runs");
    });
    assert!(outcome.is_err());
    let (pid, folder) = receiver.recv().unwrap();
    assert!(
        !process_is_running(pid),
        "postmaster {pid} survived the panic"
    );
    assert!(!folder.exists(), "{} survived the panic", folder.display());
}

#[test]
fn the_debug_form_hides_the_password() {
    let server = PgServer::start().unwrap();
    let password = server
        .url()
        .split_once("tessera:")
        .and_then(|(_, rest)| rest.split_once('@'))
        .map(|(password, _)| password.to_string())
        .unwrap();
    let debug = format!("{server:?}");
    assert!(debug.contains(&server.port().to_string()), "{debug}");
    assert!(!debug.contains(&password), "{debug}");
}
