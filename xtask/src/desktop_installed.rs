//! The installed-package suite of `cargo xtask test`: Tessera Desktop as a person gets it. The
//! `.deb` of `cargo xtask desktop-package` (reused when newer than its inputs) is installed with
//! apt-get, started as `tessera-desktop` from PATH on a private X display with a private D-Bus
//! session and a real Secret Service (gnome-keyring), driven with xdotool's real key events, and
//! checked from screenshots of its window. The organisation's side is the workspace's
//! `tessera issuer`: its serial number and activation code are typed into the window, the
//! registration code the window copies (read back with xclip) must complete the enrolment, and
//! a code revealed and copied with Ctrl+C must pass the issuer's verify. Then a second launch
//! through `xdg-open` with an `otpauth://` link must reach the running window (single instance)
//! rather than open another, and the link's identity is added. Last, a QR code shown in another
//! window (ImageMagick's `display`) is read by "Scan the screen" and its identity added. Then
//! everything started is stopped and the package removed.
//!
//! Each step counts as one test in the summary; the first failing step ends the run (the later
//! ones need it), and the package is removed whatever happened. Installing needs root (CI runs as
//! root); otherwise the suite fails saying so. Screenshots and the app's output are kept in
//! `target/screenshots/installed/`.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use tessera_keyring_harness::PrivateKeyring;

use crate::bindings::target_dir;
use crate::desktop_package::{self, PACKAGE};
use crate::outcome::Outcome;
use crate::pixels::{Half, Picture, not_a_page};
use crate::xdisplay::XDisplay;

/// Where the screenshots and the app's log go, relative to the workspace root.
const SHOTS: &str = "target/screenshots/installed";
/// The window's title (desktop/src/main/kotlin/org/tessera/desktop/DesktopWindow.kt).
const TITLE: &str = "Tessera";
/// The light theme's primary colour (android/ui's Theme.kt): the app's buttons and bars.
const PRIMARY: [u8; 3] = [0x1F, 0x5F, 0x8B];
/// A page with a filled button shows at least this share of the primary colour; the identity
/// list shows it only in its text buttons' words (about 30 pixels of 370 000).
const BUTTON_PAGE_PRIMARY: f64 = 0.001;
const LIST_PAGE_PRIMARY: f64 = 0.00005;
/// A drawn page has text, icons and anti-aliased edges: many more colours than this.
const MIN_COLOURS: usize = 32;
/// A filled button is at least this many pixels wide (Material's minimum is 58 dp).
const BUTTON_RUN: u32 = 48;
/// A step that moves to another page changes at least this share of the window.
const PAGE_CHANGE: f64 = 0.02;
/// An RFC 6238 test key in an otpauth:// link, as an issuer's page would offer it.
const LINK: &str = "otpauth://totp/Example:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example&algorithm=SHA1&digits=6&period=30";
const PIN: &str = "482915";
/// The link of the QR code shown on the screen for "Scan the screen".
const SCANNED_LINK: &str =
    "otpauth://totp/Scanned:bob@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Scanned";
/// The QR code's window: its title, and its place on the 1280x1024 display, right of the app's
/// window so neither covers the other.
const QR_TITLE: &str = "QR code";
const QR_PLACE: &str = "+960+560";
const QR_MODULE: usize = 5;
/// The top bar's add icon: the third 48-pixel action from the right, 4 pixels in, and the
/// 64-pixel bar's middle.
const ADD_FROM_RIGHT: u32 = 4 + 48 * 2 + 24;
const TOP_BAR_MIDDLE: u32 = 32;
/// The issuer store's passphrase (a test store in the run's temporary home).
const ISSUER_PASSPHRASE: &str = "installed-package test issuer";
/// How far above its Details button a click lands inside an identity's card (its text lines).
const REVEAL_ABOVE: u32 = 45;
/// JVM start and first frame on a loaded two-core machine.
const WINDOW_WITHIN: Duration = Duration::from_secs(90);
const SETTLE: Duration = Duration::from_secs(2);

/// `cargo xtask installed-test`: this suite alone; fails when a step failed.
pub fn run(root: &Path) -> Result<(), String> {
    let outcome = suite(root)?;
    println!(
        "{}: {} passed, {} failed",
        outcome.name, outcome.passed, outcome.failed
    );
    if outcome.failed > 0 {
        return Err(format!("{} installed-package steps failed", outcome.failed));
    }
    Ok(())
}

pub fn suite(root: &Path) -> Result<Outcome, String> {
    require_root()?;
    let started = Instant::now();
    let package = desktop_package::fresh_or_build(root)?;
    let cli = issuer_cli(root)?;
    let built = started.elapsed();
    let shots = root.join(SHOTS);
    if shots.exists() {
        std::fs::remove_dir_all(&shots)
            .map_err(|e| format!("could not clear {}: {e}", shots.display()))?;
    }
    std::fs::create_dir_all(&shots)
        .map_err(|e| format!("could not create {}: {e}", shots.display()))?;

    let mut steps = Steps::default();
    let installed = steps.check("apt-get installs the package", || install(&package));
    if installed.is_ok() {
        let _ = drive(&shots, cli, &mut steps);
    }
    // Counted in the summary like every step; nothing follows it.
    let _ = steps.check("apt-get removes the package and its links", remove);
    println!(
        "installed desktop: package ready in {:.0?}, whole suite {:.0?}",
        built,
        started.elapsed()
    );
    Ok(Outcome {
        name: "installed desktop",
        passed: steps.passed,
        failed: steps.failed,
    })
}

/// The steps after installing, on a private display, bus and token folder.
fn drive(shots: &Path, cli: PathBuf, steps: &mut Steps) -> Result<(), ()> {
    steps.check("tessera-desktop is on PATH", launcher_on_path)?;
    steps.check(
        "the menu entry handles otpauth:// and igmobileotp:// links",
        scheme_handlers,
    )?;
    let session = steps.check("a display, a D-Bus session and a keyring start", || {
        Session::start(shots, cli)
    })?;
    let mut app = steps.check("tessera-desktop starts", || session.launch(&[]))?;
    let result = drive_window(&session, shots, steps);
    stop(&mut app);
    result
}

fn drive_window(session: &Session, shots: &Path, steps: &mut Steps) -> Result<(), ()> {
    let window = steps.check("its window opens", || {
        session.display.wait_for_window(TITLE, WINDOW_WITHIN)
    })?;
    sleep(SETTLE);
    let first = steps.check("the first page is drawn", || {
        session.page(
            &window,
            &shots.join("1-first-page.png"),
            BUTTON_PAGE_PRIMARY,
            None,
        )
    })?;
    let issued = steps.check("the issuer creates an identity", || session.issuer.create())?;
    let form = steps.check("Add identity, then Type the codes, opens the form", || {
        session.click_main_button(&window, &first)?;
        // Only outlined buttons, whose words are not in the primary colour: no share asked.
        let ways = session.page(&window, &shots.join("2-ways-to-add.png"), 0.0, Some(&first))?;
        // "Type the codes" and "Paste a link" are the page's lowest buttons, side by side.
        let (x, y) = ways
            .lowest_box(Half::Left, BUTTON_RUN)
            .ok_or("no outlined button in the page's left half")?;
        session.display.click(&window, x, y)?;
        sleep(SETTLE);
        session.page(
            &window,
            &shots.join("3-activation-form.png"),
            BUTTON_PAGE_PRIMARY,
            Some(&ways),
        )
    })?;
    let choose_pin = steps.check(
        "the serial number and activation code typed with the keyboard ask for a PIN",
        || {
            // The Name field is just above Continue; the serial number is three fields up.
            session.click_field_above_main_button(&window, &form)?;
            session
                .display
                .key(&["shift+Tab", "shift+Tab", "shift+Tab"])?;
            session.display.type_text(&issued.serial)?;
            session.display.key(&["Tab"])?;
            session.display.type_text(&issued.activation_code)?;
            session.display.key(&["Return"])?;
            sleep(SETTLE);
            session.page(
                &window,
                &shots.join("4-choose-pin.png"),
                BUTTON_PAGE_PRIMARY,
                Some(&form),
            )
        },
    )?;
    let (files_before, registration_page) =
        steps.check("a PIN typed twice with Enter creates the token", || {
            let before = session.token_files()?;
            let mut page = choose_pin;
            for name in ["5-confirm-pin.png", "6-registration-code.png"] {
                session.click_field_above_main_button(&window, &page)?;
                session.display.type_text(PIN)?;
                session.display.key(&["Return"])?;
                sleep(SETTLE);
                // "Confirm PIN" differs from "Choose a PIN" only in its words: no share asked.
                page = session.page(&window, &shots.join(name), BUTTON_PAGE_PRIMARY, None)?;
            }
            Ok((before, page))
        })?;
    steps.check(
        "the registration code copied from the window is the one the issuer expects",
        || {
            // Copy sits beside Next, as wide: mirrored about the window's middle.
            let next = registration_page
                .lowest_button(PRIMARY, BUTTON_RUN)
                .ok_or("no Next button on the registration code's page")?;
            session
                .display
                .click(&window, registration_page.width - next.x, next.y)?;
            sleep(SETTLE);
            let registration = session.clipboard()?;
            session.issuer.complete(&issued.serial, &registration)
        },
    )?;
    let list = steps.check("Next, then Done, shows the identity list", || {
        session.click_main_button(&window, &registration_page)?;
        let recovery = session.page(
            &window,
            &shots.join("7-recovery-key.png"),
            BUTTON_PAGE_PRIMARY,
            Some(&registration_page),
        )?;
        session.click_main_button(&window, &recovery)?;
        session.page(
            &window,
            &shots.join("8-identities.png"),
            LIST_PAGE_PRIMARY,
            Some(&recovery),
        )
    })?;
    steps.check("the token is saved in its folder", || {
        let after = session.token_files()?;
        if after <= files_before {
            return Err(format!(
                "the token's folder holds {after} files, as before the PIN: nothing was saved when the identity was added"
            ));
        }
        Ok(())
    })?;
    steps.check(
        "a code revealed and copied with Ctrl+C is accepted by the issuer",
        || {
            // The card's lowest line is its Details button; the card shows its code when
            // clicked anywhere, here on the lines above that button.
            let (x, y) = list
                .lowest_text(PRIMARY, Half::Left)
                .or_else(|| list.lowest_text(PRIMARY, Half::Right))
                .ok_or("no Details button on the identity's card")?;
            session
                .display
                .click(&window, x, y.saturating_sub(REVEAL_ABOVE))?;
            sleep(SETTLE);
            session
                .display
                .screenshot(&window, &shots.join("9-code-shown.png"))?;
            session.display.key(&["ctrl+c"])?;
            sleep(SETTLE);
            let code = session.clipboard()?;
            session.issuer.verify(&issued.serial, &code)
        },
    )?;
    steps.check(
        "xdg-open hands an otpauth:// link to the running window",
        || {
            session.open_link(LINK)?;
            let windows = session.display.windows(TITLE)?;
            if windows.len() != 1 {
                return Err(format!(
                    "{} windows titled {TITLE:?}: a second instance started",
                    windows.len()
                ));
            }
            Ok(())
        },
    )?;
    sleep(SETTLE);
    let confirm = steps.check(
        "the running window shows the link's confirmation page",
        || {
            session.page(
                &window,
                &shots.join("10-confirm-link.png"),
                BUTTON_PAGE_PRIMARY,
                Some(&list),
            )
        },
    )?;
    steps.check("Add, then Done, shows the identity list again", || {
        session.add_and_finish(
            &window,
            &confirm,
            &shots.join("11-link-added.png"),
            &shots.join("12-identities.png"),
        )
    })?;
    steps.check(
        "Scan the screen reads a QR code shown in another window and adds its identity",
        || scan_the_screen(session, &window, shots, &list),
    )?;
    Ok(())
}

/// A QR code of [`SCANNED_LINK`] shown by ImageMagick's `display` beside the app's window, then
/// the top bar's add, "Scan the screen" (the highest button of Add identity), the confirmation
/// page's Add and Done.
fn scan_the_screen(
    session: &Session,
    window: &str,
    shots: &Path,
    list: &Picture,
) -> Result<Picture, String> {
    let code = shots.join("qr-code-on-screen.png");
    write_qr_png(SCANNED_LINK, &code)?;
    let mut viewer = session
        .command("display")
        .args(["-title", QR_TITLE, "-geometry", QR_PLACE])
        .arg(&code)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start display (Debian package imagemagick): {e}"))?;
    let result = (|| {
        session.display.wait_for_window(QR_TITLE, WINDOW_WITHIN)?;
        session
            .display
            .click(window, list.width - ADD_FROM_RIGHT, TOP_BAR_MIDDLE)?;
        session.display.move_pointer(window, 1, 1)?;
        sleep(SETTLE);
        let ways = session.page(window, &shots.join("13-ways-to-add.png"), 0.0, Some(list))?;
        let (x, y) = ways
            .highest_box(Half::Left, BUTTON_RUN)
            .ok_or("no outlined button on the Add identity page")?;
        session.display.click(window, x, y)?;
        session.display.move_pointer(window, 1, 1)?;
        sleep(SETTLE);
        let confirm = session.page(
            window,
            &shots.join("14-confirm-scanned.png"),
            BUTTON_PAGE_PRIMARY,
            Some(&ways),
        )?;
        let after = session.add_and_finish(
            window,
            &confirm,
            &shots.join("15-scanned-added.png"),
            &shots.join("16-identities.png"),
        )?;
        // The scanned identity's card is a fifth of the window: the list must not be as before.
        let changed = after.share_changed(list);
        if changed < PAGE_CHANGE {
            return Err(format!(
                "the identity list is as before the scan ({:.1} % changed): nothing was added",
                changed * 100.0
            ));
        }
        Ok(after)
    })();
    stop(&mut viewer);
    result
}

/// `text` as a black-on-white QR code, [`QR_MODULE`] pixels a module with the standard quiet
/// zone, written as a greyscale PNG.
fn write_qr_png(text: &str, to: &Path) -> Result<(), String> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| format!("the scanned link does not fit a QR code: {e}"))?;
    let modules = code.to_colors();
    let (width, quiet) = (code.width(), 4);
    let side = (width + 2 * quiet) * QR_MODULE;
    let pixels: Vec<u8> = (0..side * side)
        .map(|at| {
            let (x, y) = (at % side / QR_MODULE, at / side / QR_MODULE);
            let dark = (quiet..quiet + width).contains(&x)
                && (quiet..quiet + width).contains(&y)
                && modules[(y - quiet) * width + x - quiet] == qrcode::Color::Dark;
            if dark { 0 } else { 255 }
        })
        .collect();
    let file = File::create(to).map_err(|e| format!("could not write {}: {e}", to.display()))?;
    let mut encoder = png::Encoder::new(file, side as u32, side as u32);
    encoder.set_color(png::ColorType::Grayscale);
    encoder
        .write_header()
        .and_then(|mut writer| writer.write_image_data(&pixels))
        .map_err(|e| format!("could not write {}: {e}", to.display()))
}

/// The organisation's side: `tessera issuer` (the CLI of this workspace) over a store of its own.
struct Issuer {
    cli: PathBuf,
    store: PathBuf,
}

/// What the issuer printed for a new identity: what a person is sent to type.
struct Issued {
    serial: String,
    activation_code: String,
}

impl Issuer {
    fn command(&self, args: &[&str]) -> Result<String, String> {
        let output = Command::new(&self.cli)
            .arg("issuer")
            .arg("--store")
            .arg(&self.store)
            .args(args)
            .env("TESSERA_ISSUER_PASSPHRASE", ISSUER_PASSPHRASE)
            .env("TESSERA_NO_DEVICE_KEY", "1")
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("could not run {}: {e}", self.cli.display()))?;
        if !output.status.success() {
            return Err(format!(
                "tessera issuer {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    }

    fn create(&self) -> Result<Issued, String> {
        let printed = self.command(&["create", "--name", "Work"])?;
        let created: serde_json::Value = serde_json::from_str(&printed)
            .map_err(|e| format!("tessera issuer create printed no JSON ({e}): {printed}"))?;
        let field = |name: &str| {
            created[name]
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| format!("tessera issuer create printed no {name}: {printed}"))
        };
        Ok(Issued {
            serial: field("serial")?,
            activation_code: field("activation_code")?,
        })
    }

    /// The issuer's enrolment page: accepts the registration code the token showed.
    fn complete(&self, serial: &str, registration: &str) -> Result<(), String> {
        let answer = self.command(&["complete", serial, registration])?;
        if answer == "registered" {
            Ok(())
        } else {
            Err(format!(
                "the issuer answered {answer:?} to registration code {registration:?}"
            ))
        }
    }

    /// The issuer's check of a code at the current time.
    fn verify(&self, serial: &str, code: &str) -> Result<(), String> {
        let answer = self.command(&["verify", serial, code])?;
        if answer.starts_with("accepted") {
            Ok(())
        } else {
            Err(format!("the issuer answered {answer:?} to code {code:?}"))
        }
    }
}

/// The private display, bus, keyring, home and token folder one run of the app uses.
struct Session {
    display: XDisplay,
    keyring: PrivateKeyring,
    home: tempfile::TempDir,
    log: PathBuf,
    issuer: Issuer,
}

impl Session {
    fn start(shots: &Path, cli: PathBuf) -> Result<Self, String> {
        let display = XDisplay::start(1280, 1024)?;
        let keyring = PrivateKeyring::start()?;
        let home = tempfile::Builder::new()
            .prefix("tessera-installed-")
            .tempdir()
            .map_err(|e| format!("no temporary home: {e}"))?;
        for folder in ["run", "token", "issuer"] {
            std::fs::create_dir(home.path().join(folder))
                .map_err(|e| format!("could not create the test's {folder} folder: {e}"))?;
        }
        set_owner_only(&home.path().join("run"))?;
        let issuer = Issuer {
            cli,
            store: home.path().join("issuer").join("store"),
        };
        Ok(Self {
            display,
            keyring,
            home,
            log: shots.join("tessera-desktop.log"),
            issuer,
        })
    }

    /// A command of this session: the display, the bus, a home, runtime and token folder of
    /// its own, so nothing of the machine's user is read or changed.
    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        self.display.configure(&mut command);
        self.keyring.configure(&mut command);
        let home = self.home.path();
        command
            .env("HOME", home)
            .env("XDG_RUNTIME_DIR", home.join("run"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("TESSERA_HOME", home.join("token"))
            // The JVM takes its home from the password database, not from HOME.
            .env(
                "JAVA_TOOL_OPTIONS",
                format!("-Duser.home={}", home.display()),
            )
            .stdin(Stdio::null());
        command
    }

    /// Starts `tessera-desktop` from PATH, its output appended to the log.
    fn launch(&self, args: &[&str]) -> Result<Child, String> {
        let log = File::options()
            .create(true)
            .append(true)
            .open(&self.log)
            .map_err(|e| format!("could not open {}: {e}", self.log.display()))?;
        let err = log
            .try_clone()
            .map_err(|e| format!("could not share {}: {e}", self.log.display()))?;
        self.command(PACKAGE)
            .args(args)
            .stdout(log)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("could not start {PACKAGE}: {e}"))
    }

    /// Opens `link` as a browser would: `xdg-open`, which runs the registered handler
    /// (`tessera-desktop %u`); that second launch must hand the link over and exit.
    fn open_link(&self, link: &str) -> Result<(), String> {
        let log = File::options()
            .append(true)
            .open(&self.log)
            .map_err(|e| format!("could not open {}: {e}", self.log.display()))?;
        let mut child = self
            .command("xdg-open")
            .arg(link)
            .stdout(
                log.try_clone()
                    .map_err(|e| format!("could not share {}: {e}", self.log.display()))?,
            )
            .stderr(log)
            .spawn()
            .map_err(|e| format!("could not run xdg-open (Debian package xdg-utils): {e}"))?;
        let started = Instant::now();
        loop {
            if let Some(status) = child
                .try_wait()
                .map_err(|e| format!("could not wait for xdg-open: {e}"))?
            {
                return if status.success() {
                    Ok(())
                } else {
                    Err(format!(
                        "xdg-open {link} failed ({status}); see {}",
                        self.log.display()
                    ))
                };
            }
            if started.elapsed() > WINDOW_WITHIN {
                stop(&mut child);
                return Err(format!(
                    "the second launch did not exit within {WINDOW_WITHIN:?}: it did not hand its link over"
                ));
            }
            sleep(Duration::from_millis(200));
        }
    }

    /// Takes a screenshot of `window` into `to` and checks it is one of the app's pages (at least
    /// `min_primary` of it in the primary colour), and a different one from `before` when given.
    fn page(
        &self,
        window: &str,
        to: &Path,
        min_primary: f64,
        before: Option<&Picture>,
    ) -> Result<Picture, String> {
        self.display.screenshot(window, to)?;
        let picture = Picture::read(to)?;
        if let Some(why) = not_a_page(&picture, PRIMARY, MIN_COLOURS, min_primary) {
            return Err(format!("{}: {why}", to.display()));
        }
        if let Some(before) = before {
            let changed = picture.share_changed(before);
            if changed < PAGE_CHANGE {
                return Err(format!(
                    "{}: only {:.1} % of the window changed: the page did not move on",
                    to.display(),
                    changed * 100.0
                ));
            }
        }
        Ok(picture)
    }

    /// From a confirmation page: Add, the page saying the identity was added (screenshot
    /// `added`), Done, and the identity list (screenshot `list`), which it returns.
    fn add_and_finish(
        &self,
        window: &str,
        confirm: &Picture,
        added: &Path,
        list: &Path,
    ) -> Result<Picture, String> {
        self.click_main_button(window, confirm)?;
        let added = self.page(window, added, BUTTON_PAGE_PRIMARY, Some(confirm))?;
        self.click_main_button(window, &added)?;
        self.page(window, list, LIST_PAGE_PRIMARY, Some(&added))
    }

    /// Clicks the middle of the main (filled, primary-coloured) button of `page`.
    fn click_main_button(&self, window: &str, page: &Picture) -> Result<(), String> {
        let button = page
            .lowest_button(PRIMARY, BUTTON_RUN)
            .ok_or("no filled button in the theme's primary colour on the page")?;
        self.display.click(window, button.x, button.y)?;
        // Off every button, so the next page's button under the same place is not drawn
        // hovered (lighter than the primary colour).
        self.display.move_pointer(window, 1, 1)?;
        sleep(SETTLE);
        Ok(())
    }

    /// Clicks into the text field just above the main button of `page` (the PIN's field).
    fn click_field_above_main_button(&self, window: &str, page: &Picture) -> Result<(), String> {
        let button = page
            .lowest_button(PRIMARY, BUTTON_RUN)
            .ok_or("no filled button in the theme's primary colour on the page")?;
        // Two rows up: the button's anti-aliased edge is not the background.
        let (x, y) = page
            .box_above(button.x, button.top.saturating_sub(2))
            .ok_or("no text field above the page's main button")?;
        self.display.click(window, x, y)
    }

    /// What the app put on the clipboard (`xclip`, which asks the app for it).
    fn clipboard(&self) -> Result<String, String> {
        let output = self
            .command("xclip")
            .args(["-selection", "clipboard", "-o"])
            .output()
            .map_err(|e| format!("could not run xclip (Debian package xclip): {e}"))?;
        let text = String::from_utf8_lossy(&output.stdout).trim().to_string();
        if !output.status.success() || text.is_empty() {
            return Err(format!(
                "the clipboard holds nothing the app copied: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(text)
    }

    /// How many files the token's folder holds.
    fn token_files(&self) -> Result<usize, String> {
        let folder = self.home.path().join("token");
        std::fs::read_dir(&folder)
            .map(|entries| entries.count())
            .map_err(|e| format!("could not list {}: {e}", folder.display()))
    }
}

#[derive(Default)]
struct Steps {
    passed: u64,
    failed: u64,
}

impl Steps {
    /// Runs one step, prints and counts its result; Err(()) when it failed.
    fn check<T>(&mut self, name: &str, step: impl FnOnce() -> Result<T, String>) -> Result<T, ()> {
        match step() {
            Ok(value) => {
                println!("installed desktop: {name} ... ok");
                self.passed += 1;
                Ok(value)
            }
            Err(why) => {
                println!("installed desktop: {name} ... FAILED: {why}");
                self.failed += 1;
                Err(())
            }
        }
    }
}

/// Builds the workspace's `tessera` CLI, whose `issuer` commands play the organisation; returns it.
fn issuer_cli(root: &Path) -> Result<PathBuf, String> {
    crate::run::run_checked(
        Command::new("cargo")
            .args(["build", "--quiet", "-p", "tessera-cli", "--bin", "tessera"])
            .current_dir(root),
    )?;
    Ok(target_dir(root).join("debug").join("tessera"))
}

fn require_root() -> Result<(), String> {
    let output = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| format!("could not run id: {e}"))?;
    if String::from_utf8_lossy(&output.stdout).trim() == "0" {
        Ok(())
    } else {
        Err(
            "the installed-package test installs tessera-desktop with apt-get and must run as \
             root (CI does); run `cargo xtask test` as root"
                .into(),
        )
    }
}

fn install(package: &Path) -> Result<(), String> {
    apt(
        &["install", "-y", "--no-install-recommends"],
        &package.display().to_string(),
    )
}

fn remove() -> Result<(), String> {
    apt(&["remove", "-y"], PACKAGE)?;
    for left in [
        "/usr/bin/tessera-desktop",
        "/usr/share/applications/tessera-desktop.desktop",
        "/opt/tessera-desktop",
    ] {
        if Path::new(left).symlink_metadata().is_ok() {
            return Err(format!("{left} is still there after apt-get remove"));
        }
    }
    Ok(())
}

fn apt(args: &[&str], what: &str) -> Result<(), String> {
    let mut command = Command::new("apt-get");
    command
        .args(["-q", "-o", "DPkg::Lock::Timeout=300"])
        .args(args)
        .arg(what)
        .env("DEBIAN_FRONTEND", "noninteractive");
    crate::run::run_checked(&mut command)
}

fn launcher_on_path() -> Result<(), String> {
    let output = Command::new("sh")
        .args(["-c", "command -v tessera-desktop"])
        .output()
        .map_err(|e| format!("could not run sh: {e}"))?;
    let found = String::from_utf8_lossy(&output.stdout).trim().to_string();
    let target = std::fs::canonicalize(&found)
        .map_err(|e| format!("tessera-desktop is not on PATH ({found:?}: {e})"))?;
    if target == Path::new("/opt/tessera-desktop/bin/tessera-desktop") {
        Ok(())
    } else {
        Err(format!(
            "{found} leads to {}, not the installed app",
            target.display()
        ))
    }
}

fn scheme_handlers() -> Result<(), String> {
    for scheme in ["otpauth", "igmobileotp"] {
        let output = Command::new("xdg-mime")
            .args(["query", "default"])
            .arg(format!("x-scheme-handler/{scheme}"))
            .output()
            .map_err(|e| format!("could not run xdg-mime (Debian package xdg-utils): {e}"))?;
        let handler = String::from_utf8_lossy(&output.stdout).trim().to_string();
        if handler != "tessera-desktop.desktop" {
            return Err(format!(
                "{scheme}:// links go to {handler:?}, not tessera-desktop.desktop"
            ));
        }
    }
    Ok(())
}

fn set_owner_only(folder: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
        .map_err(|e| format!("could not make {} private: {e}", folder.display()))
}

/// Ends a process this suite started and waits for it.
fn stop(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}
