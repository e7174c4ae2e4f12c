//! Accepted verifications per second through the real `tessera-server`, with durable replay
//! state, and their p50/p99 latency, for 1, 8 and 64 concurrent clients, on SQLite and on a
//! PostgreSQL that `tessera-pg-harness` starts. A load generator, not a criterion benchmark: it
//! measures a server under concurrent load, which criterion's one-closure loop cannot.
//!
//! `cargo bench -p tessera-server --bench verify`
//!
//! Every request must be accepted, so every one writes: a code is accepted once per token and
//! 30-second step, so the benchmark registers many tokens (`TESSERA_BENCH_TOKENS`, default
//! 120,000) and sends each token's current code once, with the real clock — no test clock in
//! the server. The tokens are made as the API would make them (core's `make_identity`, the
//! token side's registration code and secret, core's `complete`), sealed under the master key
//! the benchmark writes into the data folder, and inserted straight into the `tokens` table:
//! registering 120,000 tokens through the API would take longer than the measurement.
//!
//! Each token has a user of its own, as in an organisation: the throttle counts failures per
//! user, so wrong codes spread over users as they would in real use. The server's rate limit
//! per client address is lifted (`--rate-limit-*`): every client runs on loopback, and the
//! limit would otherwise be what is measured.
//!
//! Last, the largest client count sends wrong codes (none of the window's) for the same tokens:
//! refused codes, each counted for its user's throttle (one upsert and one audit row, written
//! straight to the database, not through the group commit).
//!
//! Settings (environment): `TESSERA_BENCH_DATABASES` (`sqlite,postgres`),
//! `TESSERA_BENCH_CLIENTS` (`1,8,64`), `TESSERA_BENCH_SECONDS` per client count (5),
//! `TESSERA_BENCH_TOKENS` (120000). A run stops early when its tokens run out.
//!
//! Run without `--bench` (as `cargo test --all-targets` runs every bench target), it is a smoke
//! run: the same steps with 300 tokens, 4 clients and one second at most, so the test
//! command checks that the benchmark still works without spending minutes on it.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sqlx::AnyPool;
use sqlx::any::install_default_drivers;
use tessera_core::SecretBytes;
use tessera_core::codes::{TotpParams, totp};
use tessera_core::identityguard::{code_params, derive_secret, make_registration_code};
use tessera_core::issuer::{
    NewIdentity, RecordKey, check_new, check_registration, make_identity, make_serial_number,
    seal_record,
};

type Failure = Box<dyn std::error::Error>;

/// The user `users add` makes; the others copy its password hash (they never sign in).
const USER: &str = "bench";
/// `serve`'s rate limit per client address, far above what the clients can send.
const RATE_LIMIT: &str = "10000000";

/// A registered token the clients can send codes for.
struct Token {
    serial: String,
    secret: SecretBytes,
}

/// What the clients send.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Codes {
    /// Each token's current code, once: every one is accepted and written.
    Fresh,
    /// A code an hour ahead, outside the window: every one is refused and counted.
    Wrong,
}

/// One client count's result.
struct Run {
    codes: Codes,
    clients: usize,
    /// Answers as intended: accepted for fresh codes, refused for wrong ones.
    expected: usize,
    unexpected: usize,
    elapsed: Duration,
    latencies: Vec<Duration>,
}

fn main() -> Result<(), Failure> {
    let measuring = std::env::args().any(|arg| arg == "--bench");
    let (clients, seconds, tokens) = if measuring {
        ("1,8,64", "5", "120000")
    } else {
        ("4", "1", "300")
    };
    let databases = setting("TESSERA_BENCH_DATABASES", "sqlite,postgres");
    let clients: Vec<usize> = list(&setting("TESSERA_BENCH_CLIENTS", clients))?;
    let seconds: u64 = setting("TESSERA_BENCH_SECONDS", seconds).parse()?;
    let tokens: usize = setting("TESSERA_BENCH_TOKENS", tokens).parse()?;
    for database in databases.split(',') {
        let runs = bench(
            database.trim(),
            &clients,
            Duration::from_secs(seconds),
            tokens,
        )?;
        for run in runs {
            report(database, &run);
            if run.unexpected > 0 || run.expected == 0 {
                return Err(format!(
                    "{database}, {} clients: {} answers as intended, {} not",
                    run.clients, run.expected, run.unexpected
                )
                .into());
            }
        }
    }
    Ok(())
}

fn setting(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

fn list(text: &str) -> Result<Vec<usize>, Failure> {
    text.split(',')
        .map(|n| n.trim().parse().map_err(Failure::from))
        .collect()
}

/// Starts a server on `database`, registers `count` tokens, and runs each client count.
fn bench(
    database: &str,
    client_counts: &[usize],
    duration: Duration,
    count: usize,
) -> Result<Vec<Run>, Failure> {
    let data = tempfile::tempdir()?;
    let postgres = match database {
        "sqlite" => None,
        "postgres" => Some(tessera_pg_harness::PgServer::start()?),
        other => return Err(format!("unknown database {other:?}: sqlite or postgres").into()),
    };
    let url = postgres.as_ref().map(|pg| pg.url());
    let key = RecordKey::make()?;
    write_master_key(data.path(), &key)?;
    run(
        data.path(),
        url.as_deref(),
        &["users", "add", USER, "--password", "-"],
        "correct horse battery\n",
    )?;
    let api_key = run(
        data.path(),
        url.as_deref(),
        &["keys", "add", "--scope", "verify"],
        "",
    )?;
    let db_url = url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", data.path().join("tessera.db").display()));
    let started = Instant::now();
    let tokens = Arc::new(register(&db_url, &key, count)?);
    eprintln!(
        "{database}: {} tokens registered in {:.1?}",
        tokens.len(),
        started.elapsed()
    );
    let (server, base) = serve(data.path(), url.as_deref())?;
    let _server = Stopped(server);
    let next = Arc::new(AtomicUsize::new(0));
    let mut runs = Vec::new();
    for &clients in client_counts {
        runs.push(load(
            &base,
            api_key.trim(),
            &tokens,
            &next,
            clients,
            duration,
            Codes::Fresh,
        )?);
    }
    // Wrong codes for the tokens already used, from the largest client count.
    let clients = client_counts.iter().copied().max().unwrap_or(1);
    next.store(0, Ordering::Relaxed);
    runs.push(load(
        &base,
        api_key.trim(),
        &tokens,
        &next,
        clients,
        duration,
        Codes::Wrong,
    )?);
    Ok(runs)
}

/// Kills the server when the benchmark ends, however it ends.
struct Stopped(Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn command(data: &Path, url: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_tessera-server"));
    command.args(args).arg("--data").arg(data);
    if let Some(url) = url {
        command.arg("--database").arg(url);
    }
    command.env("TESSERA_SERVER_LOG", "warn");
    command.env_remove("TESSERA_SERVER_MASTER_KEY");
    command
}

fn run(data: &Path, url: Option<&str>, args: &[&str], stdin: &str) -> Result<String, Failure> {
    let mut child = command(data, url, args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    if !output.status.success() {
        return Err(format!("{args:?}: {}", String::from_utf8_lossy(&output.stderr)).into());
    }
    Ok(String::from_utf8(output.stdout)?)
}

fn serve(data: &Path, url: Option<&str>) -> Result<(Child, String), Failure> {
    let serve = [
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--rate-limit-per-second",
        RATE_LIMIT,
        "--rate-limit-burst",
        RATE_LIMIT,
    ];
    let mut child = command(data, url, &serve)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no standard output")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("the server did not start: {line:?}"))?
        .to_owned();
    Ok((child, base))
}

/// The master key file the server reads (made by the benchmark, so it can seal the records).
fn write_master_key(data: &Path, key: &RecordKey) -> Result<(), Failure> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(data.join("master.key"))?;
    writeln!(file, "{}", data_encoding::HEXLOWER.encode(key.as_bytes()))?;
    Ok(())
}

/// Makes `count` registered tokens, each for a user of its own, and inserts the users and the
/// sealed records in one transaction.
fn register(url: &str, key: &RecordKey, count: usize) -> Result<Vec<Token>, Failure> {
    let checked = check_new(&NewIdentity::new(USER))?;
    let mut serials = HashSet::new();
    let mut tokens = Vec::with_capacity(count);
    let mut rows = Vec::with_capacity(count);
    while tokens.len() < count {
        let serial = make_serial_number()?;
        if !serials.insert(serial.as_digits().to_owned()) {
            continue;
        }
        let (record, issued) = make_identity(checked.clone(), serial.clone())?;
        // The token's side: a registration code, and the secret both sides derive from it.
        let registration = make_registration_code(&serial)?;
        let secret = derive_secret(&serial, &issued.activation_code, &registration, None);
        let registered = record
            .complete(&check_registration(&serial, &registration.to_string())?)?
            .record;
        rows.push((
            serial.as_digits().to_owned(),
            String::from_utf8(seal_record(key, &registered)?)?,
        ));
        tokens.push(Token {
            serial: serial.as_digits().to_owned(),
            secret,
        });
    }
    install_default_drivers();
    let runtime = tokio::runtime::Runtime::new()?;
    runtime.block_on(async {
        let pool = AnyPool::connect(url).await?;
        let password_hash: String =
            sqlx::query_scalar("SELECT password_hash FROM users WHERE name = $1")
                .bind(USER)
                .fetch_one(&pool)
                .await?;
        let mut transaction = pool.begin().await?;
        for (serial, record) in &rows {
            let user = format!("{USER}-{serial}");
            sqlx::query("INSERT INTO users (name, password_hash, created_at) VALUES ($1, $2, 0)")
                .bind(&user)
                .bind(&password_hash)
                .execute(&mut *transaction)
                .await?;
            // `disabled_at` (0003_ops) is NULL for a token in use.
            sqlx::query(
                "INSERT INTO tokens (serial, user_name, record, version, created_at, updated_at, disabled_at) VALUES ($1, $2, $3, 1, 0, 0, NULL)",
            )
            .bind(serial)
            .bind(&user)
            .bind(record)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        pool.close().await;
        Ok::<(), sqlx::Error>(())
    })?;
    Ok(tokens)
}

/// `clients` threads send fresh codes of unused tokens for `duration`, each over its own
/// keep-alive connection.
fn load(
    base: &str,
    api_key: &str,
    tokens: &Arc<Vec<Token>>,
    next: &Arc<AtomicUsize>,
    clients: usize,
    duration: Duration,
    codes: Codes,
) -> Result<Run, Failure> {
    let params = code_params(6)?;
    let started = Instant::now();
    let threads: Vec<_> = (0..clients)
        .map(|_| {
            let (base, api_key, tokens, next) = (
                base.to_owned(),
                api_key.to_owned(),
                tokens.clone(),
                next.clone(),
            );
            std::thread::spawn(move || {
                client(
                    &base,
                    &api_key,
                    &tokens,
                    &next,
                    &params,
                    codes,
                    started + duration,
                )
            })
        })
        .collect();
    let mut run = Run {
        codes,
        clients,
        expected: 0,
        unexpected: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for thread in threads {
        let (expected, unexpected, latencies) =
            thread.join().map_err(|_| "a client panicked")??;
        run.expected += expected;
        run.unexpected += unexpected;
        run.latencies.extend(latencies);
    }
    run.elapsed = started.elapsed();
    run.latencies.sort_unstable();
    Ok(run)
}

type ClientResult = Result<(usize, usize, Vec<Duration>), String>;

fn client(
    base: &str,
    api_key: &str,
    tokens: &[Token],
    next: &AtomicUsize,
    params: &TotpParams,
    codes: Codes,
    until: Instant,
) -> ClientResult {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let authorization = format!("Bearer {api_key}");
    let (mut expected, mut unexpected, mut latencies) = (0, 0, Vec::new());
    let (ahead, intended) = match codes {
        Codes::Fresh => (0, 200),
        Codes::Wrong => (3600, 422),
    };
    while Instant::now() < until {
        let Some(token) = tokens.get(next.fetch_add(1, Ordering::Relaxed)) else {
            break;
        };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| e.to_string())?
            .as_secs();
        let mut code = totp(&token.secret, params, now + ahead).map_err(|e| e.to_string())?;
        if codes == Codes::Wrong {
            code = wrong_code(&token.secret, params, now, &code)?;
        }
        let body = format!("{{\"code\":\"{}\"}}", code.as_str());
        let sent = Instant::now();
        let mut response = agent
            .post(format!("{base}/api/v1/tokens/{}/verify", token.serial))
            .header("Content-Type", "application/json")
            .header("Authorization", &authorization)
            .send(body.as_str())
            .map_err(|e| e.to_string())?;
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| e.to_string())?;
        latencies.push(sent.elapsed());
        if response.status() == intended {
            expected += 1;
        } else {
            unexpected += 1;
            if unexpected == 1 {
                eprintln!("unexpected answer: {} {text}", response.status());
            }
        }
    }
    Ok((expected, unexpected, latencies))
}

/// `candidate`, or the next 6-digit number, until it is none of the codes the window around
/// `now` (one step each way, with a step of margin for the clock moving on) accepts.
fn wrong_code(
    secret: &SecretBytes,
    params: &TotpParams,
    now: u64,
    candidate: &str,
) -> Result<String, String> {
    let window = [now - 60, now - 30, now, now + 30, now + 60]
        .iter()
        .map(|&t| totp(secret, params, t))
        .collect::<Result<Vec<String>, _>>()
        .map_err(|e| e.to_string())?;
    let mut number: u32 = candidate.parse().map_err(|_| "a code is not digits")?;
    while window.contains(&format!("{number:06}")) {
        number = (number + 1) % 1_000_000;
    }
    Ok(format!("{number:06}"))
}

fn report(database: &str, run: &Run) {
    let percentile = |p: usize| {
        run.latencies
            .get((run.latencies.len() * p / 100).min(run.latencies.len().saturating_sub(1)))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let (what, other) = match run.codes {
        Codes::Fresh => ("accepted", "refused"),
        Codes::Wrong => ("refused", "other"),
    };
    println!(
        "{database:8} {:3} clients: {:7.0} {what}/s ({} {what}, {} {other} in {:.2?}), p50 {:.2} ms, p99 {:.2} ms",
        run.clients,
        run.expected as f64 / run.elapsed.as_secs_f64(),
        run.expected,
        run.unexpected,
        run.elapsed,
        percentile(50),
        percentile(99),
    );
}
