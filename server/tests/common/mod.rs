//! What the server's integration tests share: a real `tessera-server` process on a free
//! loopback port with its own data folder, HTTP helpers, and the real `tessera` token binary.
//!
//! Every test runs on both databases ([`Database`]): the SQLite file in the data folder, and a
//! real PostgreSQL that `tessera-pg-harness` starts for the server alone and stops after it.

#![allow(dead_code)] // Each test file uses a different part of this module.

pub mod web;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;

use serde_json::Value;
use tempfile::TempDir;

pub const USER: &str = "alice";
pub const ADDRESS: &str = "id.example.edu/igst";
/// The token's name, after the address's host.
pub const TOKEN_NAME: &str = "id.example.edu";
pub const PIN: &str = "482913";
/// USER's password.
pub const PASSWORD: &str = "correct horse battery";
/// USER's answers to the offered questions 0, 1 and 2, as typed ([`Server::set_answers`]).
pub const ANSWERS: [&str; 3] = ["Quetzalcoatl", "Zanzibar Lighthouse", "Marmaduke"];

/// `serve` arguments lifting the rate limit per client address (default burst 50, loopback
/// included), for tests whose many requests at once are about something else.
pub const HIGH_RATE_LIMIT: &[&str] = &[
    "--rate-limit-per-second",
    "100000",
    "--rate-limit-burst",
    "100000",
];

/// Which database a test's server keeps its state in.
#[derive(Debug, Clone, Copy)]
pub enum Database {
    /// The default: one SQLite file in the data folder.
    Sqlite,
    /// A PostgreSQL cluster of the server's own, started for it.
    Postgres,
}

/// A running server with a user and an API key of every scope.
pub struct Server {
    pub data: TempDir,
    pub base: String,
    pub key: String,
    database: Option<String>,
    /// `serve`'s extra arguments, given to a second instance too.
    serve_args: Vec<String>,
    child: Child,
    // Dropped after the server process is stopped (fields drop in order, after `Drop::drop`).
    _postgres: Option<tessera_pg_harness::PgServer>,
}

pub fn server_binary() -> &'static str {
    env!("CARGO_BIN_EXE_tessera-server")
}

/// `tessera-server ARGS --data DIR [--database URL]`.
pub fn command(data: &Path, database: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(server_binary());
    command.args(args).arg("--data").arg(data);
    if let Some(url) = database {
        command.arg("--database").arg(url);
    }
    command.env("TESSERA_SERVER_LOG", "warn");
    command.env_remove("TESSERA_SERVER_MASTER_KEY");
    command
}

fn succeed(command: &mut Command, stdin: &str) -> String {
    let output = common_run(command, stdin);
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

pub fn common_run(command: &mut Command, stdin: &str) -> Output {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

impl Server {
    pub fn start(on: Database) -> Self {
        Self::start_with(on, &[])
    }

    /// A server whose `serve` also gets `serve_args` (e.g. the throttle's limits).
    pub fn start_with(on: Database, serve_args: &[&str]) -> Self {
        let data = tempfile::tempdir().unwrap();
        let postgres = match on {
            Database::Sqlite => None,
            Database::Postgres => Some(
                tessera_pg_harness::PgServer::start()
                    .unwrap_or_else(|e| panic!("PostgreSQL for the server's tests: {e}")),
            ),
        };
        let database = postgres.as_ref().map(|pg| pg.url());
        let db = database.as_deref();
        succeed(
            &mut command(data.path(), db, &["users", "add", USER, "--password", "-"]),
            &format!("{PASSWORD}\n"),
        );
        let key = succeed(
            &mut command(
                data.path(),
                db,
                &["keys", "add", "--scope", "enrol", "--scope", "verify"],
            ),
            "",
        )
        .trim()
        .to_owned();
        let (child, base) = spawn_serve(data.path(), db, serve_args);
        Self {
            data,
            base,
            key,
            database,
            serve_args: serve_args.iter().map(|&arg| arg.to_owned()).collect(),
            child,
            _postgres: postgres,
        }
    }

    /// Stops the PostgreSQL cluster under a running server, as an outage would.
    pub fn stop_database(&mut self) {
        let postgres = self._postgres.take().expect("a server on PostgreSQL");
        postgres.stop().unwrap();
    }

    /// Stops the server process (its data and database stay).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same data, with `serve`'s extra `args`.
    pub fn serve_again(&mut self, args: &[&str]) {
        self.serve_again_with(args, &[]);
    }

    /// Starts the server again on the same data, with `serve`'s extra `args` and these
    /// environment variables.
    pub fn serve_again_with(&mut self, args: &[&str], env: &[(&str, &str)]) {
        self.stop();
        let (child, base) = spawn_serve_with(
            self.data.path(),
            self.database.as_deref(),
            args,
            env,
            Stdio::inherit(),
        );
        self.child = child;
        self.base = base;
    }

    /// Starts the server again like [`Server::serve_again_with`], its log (stderr) kept for
    /// [`Server::wait`].
    pub fn serve_again_logging(&mut self, args: &[&str], env: &[(&str, &str)]) {
        self.stop();
        let (child, base) = spawn_serve_with(
            self.data.path(),
            self.database.as_deref(),
            args,
            env,
            Stdio::piped(),
        );
        self.child = child;
        self.base = base;
    }

    /// Sends SIGTERM to the server process, as a service manager stops it.
    pub fn terminate(&self) {
        let sent = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success(), "kill -TERM failed");
    }

    /// Waits for the server process to end: how it ended, and its log when it was started by
    /// [`Server::serve_again_logging`] (empty otherwise).
    pub fn wait(&mut self) -> (std::process::ExitStatus, String) {
        let mut log = String::new();
        if let Some(mut stderr) = self.child.stderr.take() {
            std::io::Read::read_to_string(&mut stderr, &mut log).unwrap();
        }
        (self.child.wait().unwrap(), log)
    }

    /// `tessera-server ARGS` on this server's data and database, with these environment
    /// variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = command(self.data.path(), self.database.as_deref(), args);
        command.envs(env.iter().copied());
        common_run(&mut command, "")
    }

    /// `tessera-server ARGS` on this server's data and database.
    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        common_run(
            &mut command(self.data.path(), self.database.as_deref(), args),
            stdin,
        )
    }

    /// `tessera-server ARGS` that must succeed; its standard output.
    pub fn succeed(&self, args: &[&str]) -> String {
        succeed(
            &mut command(self.data.path(), self.database.as_deref(), args),
            "",
        )
    }

    /// The database URL, for PostgreSQL.
    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The database's URL as the tests' own sqlx connection reaches it.
    fn url(&self) -> String {
        self.database.clone().unwrap_or_else(|| {
            format!("sqlite://{}", self.data.path().join("tessera.db").display())
        })
    }

    /// Runs `sql` (with `binds` for $1, $2, ...) straight on the database; the first column
    /// of each row it returns, which must be text.
    pub fn sql(&self, sql: &str, binds: &[&str]) -> Vec<String> {
        use sqlx::Row;
        sqlx::any::install_default_drivers();
        let url = self.url();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let pool = sqlx::AnyPool::connect(&url).await.unwrap();
            let mut query = sqlx::query(sql);
            for bind in binds {
                query = query.bind(*bind);
            }
            let rows = query.fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows.iter()
                .map(|row| row.try_get::<String, _>(0).unwrap())
                .collect()
        })
    }

    /// `GET path` with the full key; the status and the JSON answer.
    pub fn get(&self, path: &str) -> (u16, Value) {
        let mut response = agent()
            .get(format!("{}{path}", self.base))
            .header("Authorization", format!("Bearer {}", self.key))
            .call()
            .unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text:?}"));
        (status, value)
    }

    /// `METHOD path` with `key` and, unless empty, the JSON `body`; the status and the JSON
    /// answer.
    pub fn send(&self, method: &str, path: &str, key: &str, body: &str) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let auth = format!("Bearer {key}");
        let agent = agent();
        let mut response = match method {
            "GET" => agent.get(&url).header("Authorization", &auth).call(),
            "PUT" => agent
                .put(&url)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .send(body),
            "POST" => agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Content-Type", "application/json")
                .send(body),
            other => panic!("no {other} here"),
        }
        .unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap())
    }

    /// Another key with only these scopes.
    pub fn key_with(&self, scopes: &[&str]) -> String {
        let mut args = vec!["keys", "add"];
        for scope in scopes {
            args.extend(["--scope", scope]);
        }
        succeed(
            &mut command(self.data.path(), self.database.as_deref(), &args),
            "",
        )
        .trim()
        .to_owned()
    }

    /// `POST path` with `body` (raw) and `key`; the status and the JSON answer.
    pub fn post_raw(&self, path: &str, key: Option<&str>, body: &str) -> (u16, Value) {
        post_at(&self.base, path, key, body)
    }

    /// Another `serve` process on the same data folder and database (the same SQLite file, or
    /// the same PostgreSQL database), as a second instance behind a load balancer would be.
    pub fn second_instance(&self) -> Instance {
        let args: Vec<&str> = self.serve_args.iter().map(String::as_str).collect();
        let (child, base) = spawn_serve(self.data.path(), self.database.as_deref(), &args);
        Instance { base, child }
    }

    /// `PUT path` with `body` and the key of every scope.
    pub fn put(&self, path: &str, body: Value) -> (u16, Value) {
        let mut response = agent()
            .put(format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .header("Authorization", format!("Bearer {}", self.key))
            .send(body.to_string())
            .unwrap();
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap();
        (status, serde_json::from_str(&text).unwrap())
    }

    pub fn post(&self, path: &str, body: Value) -> (u16, Value) {
        self.post_raw(path, Some(&self.key), &body.to_string())
    }

    /// Adds a user without a token, with USER's password.
    pub fn add_user(&self, user: &str) {
        let output = self.run(
            &["users", "add", user, "--password", "-"],
            &format!("{PASSWORD}\n"),
        );
        assert!(output.status.success(), "{output:?}");
    }

    /// Sets `user`'s challenge questions: the offered 0, 1 and 2, answered [`ANSWERS`].
    pub fn set_answers(&self, user: &str) {
        let answers: Vec<Value> = ANSWERS
            .iter()
            .enumerate()
            .map(|(i, answer)| serde_json::json!({"question": i, "answer": answer}))
            .collect();
        let (status, answer) = self.put(
            &format!("/api/v1/users/{user}/questions"),
            serde_json::json!({ "answers": answers }),
        );
        assert_eq!(status, 200, "{answer}");
    }

    /// Asks `user` (who has no token) one of their questions and answers it right (in
    /// capitals: normalised) with the password through `/authenticate`; the status: 200, or
    /// 500 when the stored answer does not open.
    pub fn answer_a_question(&self, user: &str) -> u16 {
        let (status, asked) = self.post(
            &format!("/api/v1/users/{user}/questions/challenge"),
            serde_json::json!({}),
        );
        assert_eq!(status, 200, "{asked}");
        let (status, offered) = self.get("/api/v1/questions");
        assert_eq!(status, 200, "{offered}");
        let index = offered["questions"]
            .as_array()
            .unwrap()
            .iter()
            .position(|q| *q == asked["question"])
            .unwrap();
        let (status, answer) = self.post(
            "/api/v1/authenticate",
            serde_json::json!({"user": user, "password": PASSWORD, "answer": ANSWERS[index].to_uppercase()}),
        );
        assert!(status == 200 || status == 500, "{answer}");
        status
    }

    /// A new token for USER: the API's answer.
    pub fn create_token(&self) -> Value {
        let (status, created) = self.post(
            &format!("/api/v1/users/{USER}/tokens"),
            serde_json::json!({ "address": ADDRESS }),
        );
        assert_eq!(status, 201, "{created}");
        created
    }

    /// `audit export`'s lines.
    pub fn audit(&self) -> Vec<Value> {
        succeed(
            &mut command(
                self.data.path(),
                self.database.as_deref(),
                &["audit", "export"],
            ),
            "",
        )
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// A further `serve` process of a [`Server`]; stopped on drop.
pub struct Instance {
    pub base: String,
    child: Child,
}

/// `serve --listen 127.0.0.1:0 ARGS`: the process and the address it printed.
pub fn spawn_serve(data: &Path, database: Option<&str>, args: &[&str]) -> (Child, String) {
    spawn_serve_with(data, database, args, &[], Stdio::inherit())
}

/// [`spawn_serve`] with these environment variables and this stderr.
pub fn spawn_serve_with(
    data: &Path,
    database: Option<&str>,
    args: &[&str],
    env: &[(&str, &str)],
    stderr: Stdio,
) -> (Child, String) {
    let mut all = vec!["serve", "--listen", "127.0.0.1:0"];
    all.extend_from_slice(args);
    let mut child = command(data, database, &all)
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the server did not start: {line:?}"))
        .to_owned();
    (child, base)
}

/// `POST base+path` with `body` (raw) and `key`; the status and the JSON answer.
pub fn post_at(base: &str, path: &str, key: Option<&str>, body: &str) -> (u16, Value) {
    let mut request = agent()
        .post(format!("{base}{path}"))
        .header("Content-Type", "application/json");
    if let Some(key) = key {
        request = request.header("Authorization", format!("Bearer {key}"));
    }
    let mut response = request.send(body).unwrap();
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap();
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text:?}"));
    (status, value)
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `tessera` binary, built once for all tests.
pub fn token_binary() -> &'static Path {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        escargot::CargoBuild::new()
            .package("tessera-cli")
            .bin("tessera")
            .run()
            .expect("the tessera binary builds")
            .path()
            .to_owned()
    })
}

/// A desktop token in its own folder.
pub struct Token {
    pub home: TempDir,
}

impl Token {
    pub fn new() -> Self {
        Self {
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn run(&self, args: &[&str], env: &[(&str, &str)]) -> String {
        let mut command = Command::new(token_binary());
        command
            .arg("--home")
            .arg(self.home.path())
            .args(args)
            .env_remove("TESSERA_HOME")
            // The token's own keystore is tested in the CLI; these tests never touch the
            // keyring of whoever runs them.
            .env("TESSERA_NO_DEVICE_KEY", "1")
            .env("TESSERA_PIN", PIN)
            .env("TESSERA_NEW_PIN", PIN);
        for (name, value) in env {
            command.env(name, value);
        }
        succeed(&mut command, "")
    }

    /// Adds the token the API created (serial and activation code, as a person types them);
    /// returns the registration code the token shows.
    pub fn add(&self, created: &Value) -> String {
        let added = self.run(
            &[
                "add",
                "--serial",
                created["serial"].as_str().unwrap(),
                "--address",
                ADDRESS,
            ],
            &[(
                "TESSERA_ACTIVATION_CODE",
                created["activation_code"].as_str().unwrap(),
            )],
        );
        added
            .lines()
            .find_map(|l| l.strip_prefix("registration code: "))
            .unwrap_or_else(|| panic!("no registration code in {added:?}"))
            .to_owned()
    }

    /// `tessera ARGS` that may fail.
    pub fn try_run(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(token_binary());
        command
            .arg("--home")
            .arg(self.home.path())
            .args(args)
            .env_remove("TESSERA_HOME")
            // The token's own keystore is tested in the CLI; these tests never touch the
            // keyring of whoever runs them.
            .env("TESSERA_NO_DEVICE_KEY", "1")
            .env("TESSERA_PIN", PIN)
            .env("TESSERA_NEW_PIN", PIN);
        for (name, value) in env {
            command.env(name, value);
        }
        common_run(&mut command, "")
    }

    /// The security code it shows at Unix time `at`.
    pub fn code_at(&self, at: u64) -> String {
        self.run(&["code", TOKEN_NAME, "--at", &at.to_string()], &[])
            .trim()
            .to_owned()
    }

    /// The security code it shows now.
    pub fn code(&self) -> String {
        self.run(&["code", TOKEN_NAME], &[]).trim().to_owned()
    }
}

/// The challenge-response suite of [`ocra_token`].
pub const OCRA_SUITE: &str = "OCRA-1:HOTP-SHA1-6:QN08";

/// An OCRA token, created through the API, added on a real token and registered.
pub fn ocra_token(server: &Server) -> (String, Token, Value) {
    let (status, created) = server.post(
        &format!("/api/v1/users/{USER}/tokens"),
        serde_json::json!({ "address": ADDRESS, "ocra_suite": OCRA_SUITE }),
    );
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["ocra_suite"], OCRA_SUITE);
    let serial = created["serial"].as_str().unwrap().to_owned();
    let token = Token::new();
    let added = token.run(
        &[
            "add",
            "--serial",
            &serial,
            "--address",
            ADDRESS,
            "--ocra",
            OCRA_SUITE,
        ],
        &[(
            "TESSERA_ACTIVATION_CODE",
            created["activation_code"].as_str().unwrap(),
        )],
    );
    let registration = added
        .lines()
        .find_map(|l| l.strip_prefix("registration code: "))
        .unwrap();
    let (status, answer) = server.post(
        &format!("/api/v1/tokens/{serial}/registration"),
        serde_json::json!({ "registration_code": registration }),
    );
    assert_eq!(status, 200, "{answer}");
    (serial, token, created)
}

/// A created, added and registered token.
pub fn registered_token(server: &Server) -> (String, Token) {
    let created = server.create_token();
    let serial = created["serial"].as_str().unwrap().to_owned();
    let token = Token::new();
    let registration = token.add(&created);
    let (status, answer) = server.post(
        &format!("/api/v1/tokens/{serial}/registration"),
        serde_json::json!({ "registration_code": registration }),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["status"], "registered");
    (serial, token)
}
