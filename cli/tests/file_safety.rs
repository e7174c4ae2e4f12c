//! Files the CLI writes and reads, against someone who can plant names next to them: an export
//! never goes through a planted link or into a planted world-readable file; a file given to read
//! (import, backup verify, add --qr) is never read past its limit, whatever `stat` says; the
//! token's and the issuer store's folders are made owner-only.
#![cfg(unix)]

mod common;

use std::io::Write;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tessera_core::backup::MAX_BACKUP_BYTES;
use tessera_core::transfer::MAX_IMPORT_BYTES;

const PIN: &str = "482913";
const RFC_LINK: &str =
    "otpauth://totp/RFC:sha1?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=RFC&digits=8";

struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("tessera-cli-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self { dir }
    }

    fn home(&self) -> PathBuf {
        self.dir.join("token")
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = common::tessera();
        command
            .arg("--home")
            .arg(self.home())
            .args(args)
            .env_remove("TESSERA_HOME")
            .env_remove("TESSERA_IMPORT_PASSWORD")
            .env("TESSERA_PIN", PIN)
            .env("TESSERA_NEW_PIN", PIN)
            .env("TESSERA_BACKUP_PASSWORD", "a long backup password")
            .stdin(Stdio::null());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("the binary runs")
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    /// A file outside the token that a planted link points at.
    fn victim(&self) -> PathBuf {
        let victim = self.dir.join("victim");
        std::fs::write(&victim, b"someone else's file").unwrap();
        std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
        victim
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

fn assert_untouched(victim: &Path) {
    assert_eq!(std::fs::read(victim).unwrap(), b"someone else's file");
    assert_eq!(mode(victim), 0o644);
}

/// `path` is now a regular owner-only file holding the token's otpauth link.
fn assert_private_export(path: &Path) {
    assert!(std::fs::symlink_metadata(path).unwrap().is_file());
    assert_eq!(mode(path), 0o600);
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with("otpauth://totp/RFC:sha1?"), "{text}");
}

#[test]
fn an_export_never_writes_through_a_planted_link() {
    let scratch = Scratch::new("export-link");
    scratch.ok(&["add", "--uri", RFC_LINK]);
    let victim = scratch.victim();

    // A link at the export's own name: refused without --force, replaced (not followed) with it.
    let out = scratch.dir.join("links.txt");
    symlink(&victim, &out).unwrap();
    let out_text = out.to_str().unwrap();
    let refused = scratch.run(&["export", "--format", "otpauth", "--out", out_text]);
    assert_eq!(refused.status.code(), Some(1));
    scratch.ok(&[
        "export", "--format", "otpauth", "--out", out_text, "--force",
    ]);
    assert_untouched(&victim);
    assert_private_export(&out);

    // A link at the temporary name earlier versions used.
    let out = scratch.dir.join("other.txt");
    symlink(&victim, scratch.dir.join(".other.txt.tessera-tmp")).unwrap();
    scratch.ok(&[
        "export",
        "--format",
        "otpauth",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_untouched(&victim);
    assert_private_export(&out);

    // The encrypted backup goes the same way.
    let backup = scratch.dir.join("backup.tessera");
    symlink(&victim, &backup).unwrap();
    let backup_text = backup.to_str().unwrap();
    scratch.ok(&[
        "export",
        "--format",
        "tessera",
        "--out",
        backup_text,
        "--force",
    ]);
    assert_untouched(&victim);
    assert!(std::fs::symlink_metadata(&backup).unwrap().is_file());
    assert_eq!(mode(&backup), 0o600);
}

#[test]
fn an_export_never_ends_world_readable() {
    let scratch = Scratch::new("export-mode");
    scratch.ok(&["add", "--uri", RFC_LINK]);
    let world_readable = |path: &Path| {
        std::fs::write(path, b"").unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o666)).unwrap();
    };
    // A world-readable file at the export's name, replaced with --force.
    let out = scratch.dir.join("links.txt");
    world_readable(&out);
    scratch.ok(&[
        "export",
        "--format",
        "otpauth",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_private_export(&out);

    // A world-readable file at the temporary name earlier versions used: never written to.
    let out = scratch.dir.join("other.txt");
    let planted = scratch.dir.join(".other.txt.tessera-tmp");
    world_readable(&planted);
    scratch.ok(&[
        "export",
        "--format",
        "otpauth",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_private_export(&out);
    assert_eq!(std::fs::read(&planted).unwrap(), b"");
}

/// Runs `args` (which read `fifo`) while another thread writes zeros into the FIFO for as long
/// as it is read, up to `cap` bytes. Returns the output and how many bytes were taken.
fn run_reading_fifo(scratch: &Scratch, fifo: &Path, args: &[&str], cap: usize) -> (Output, usize) {
    let made = Command::new("mkfifo").arg(fifo).status().unwrap();
    assert!(made.success());
    // Held open both ways by the test, so neither the writer's nor the command's open blocks,
    // and the writer is stopped (EPIPE: SIGPIPE is ignored in Rust programs) once it is closed.
    let keeper = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(fifo)
        .unwrap();
    let mut pipe = std::fs::OpenOptions::new().write(true).open(fifo).unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![0u8; 64 * 1024];
        let mut written = 0;
        while written < cap && pipe.write_all(&chunk).is_ok() {
            written += chunk.len();
        }
        written
    });
    let mut child = scratch
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let output = child.wait_with_output().unwrap();
    drop(keeper);
    let written = writer.join().unwrap();
    (output, written)
}

#[test]
fn files_to_read_are_read_with_a_limit_not_by_their_size_on_disk() {
    let scratch = Scratch::new("bounded");
    // A FIFO has size 0 on disk; the writer offers four times the limit.
    let cases: [(&str, &[&str], usize, &str); 3] = [
        ("import", &["import"], MAX_IMPORT_BYTES, "an export"),
        (
            "backup",
            &["backup", "verify"],
            MAX_BACKUP_BYTES,
            "a Tessera backup",
        ),
        (
            "picture",
            &["add", "--qr"],
            32 * 1024 * 1024,
            "a picture of a QR code",
        ),
    ];
    for (name, command, limit, what) in cases {
        let fifo = scratch.dir.join(name);
        let mut args = command.to_vec();
        let fifo_text = fifo.to_str().unwrap().to_string();
        args.push(&fifo_text);
        let (output, written) = run_reading_fifo(&scratch, &fifo, &args, 4 * limit);
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert_eq!(
            String::from_utf8(output.stderr).unwrap(),
            format!(
                "tessera: {fifo_text} is too large to be {what} (more than {limit} bytes); nothing past that was read\n"
            ),
            "{name}"
        );
        // Read up to one byte past the limit; beyond it, only what fits in the pipe's buffer.
        assert!(
            written <= limit + 1024 * 1024,
            "{name}: {written} bytes taken"
        );
    }
    // Nothing was created by a refused read.
    assert!(!scratch.home().exists());
}

#[test]
fn an_endless_device_is_refused_quickly() {
    let scratch = Scratch::new("dev-zero");
    let output = scratch.run(&["import", "/dev/zero"]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        format!(
            "tessera: /dev/zero is too large to be an export (more than {MAX_IMPORT_BYTES} bytes); nothing past that was read\n"
        )
    );
}

#[test]
fn the_token_folder_and_the_issuer_store_are_made_owner_only() {
    let scratch = Scratch::new("modes");
    scratch.ok(&["add", "--uri", RFC_LINK]);
    assert_eq!(mode(&scratch.home()), 0o700);
    for name in ["vault.bin", "vault.state", "vault.lock"] {
        assert_eq!(mode(&scratch.home().join(name)), 0o600, "{name}");
    }
    let store = scratch.dir.join("issuer").join("store");
    let created = common::tessera()
        .args(["issuer", "--store", store.to_str().unwrap()])
        .args(["create", "--name", "alice"])
        .env("TESSERA_ISSUER_PASSPHRASE", "correct horse battery staple")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert_eq!(mode(&store), 0o700);
    assert_eq!(mode(store.parent().unwrap()), 0o700);
    for entry in std::fs::read_dir(&store).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
    }
}
