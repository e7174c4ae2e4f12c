//! A headless Chromium driven through WebDriver, for tests only (a dev-dependency).
//!
//! [`Browser::start`] runs Debian's `chromedriver` on a free loopback port in a process group
//! of its own, waits until it answers, and opens a session on a headless Chromium with a fresh
//! profile in a new temporary folder and the window size asked for ([`Window::PHONE`],
//! [`Window::DESKTOP`]). Its methods are blocking: each drives the WebDriver client
//! ([fantoccini]) on the browser's own single-threaded tokio runtime, so a test calls them from
//! plain `#[test]` code (never from inside another tokio runtime). [`Browser::with_client`]
//! reaches the whole client for anything the helpers lack. [`Browser::read_qr_code`] reads a
//! QR code off a screenshot with core's QR reader, as the token's camera would.
//!
//! Dropping the browser (also while a test panics) ends the session, kills chromedriver's
//! process group (Chromium and its helpers with it), waits until none of them is left and
//! removes the folder. Every browser has its own port, profile and folder, so tests may start
//! several in parallel.
//!
//! Chromium reaches nothing but loopback: every other address goes to a proxy that does not
//! exist (port 9 of 127.0.0.1), and its background services (updates, sync, metrics) are off.
//!
//! Chromium and chromedriver come from Debian's `chromium` and `chromium-driver` packages,
//! which `scripts/setup-test-services.sh` installs (`cargo xtask test` runs it). When either is
//! missing, `start` fails with a message naming it and that script: a test needing a browser
//! fails, it is never skipped. Linux only.
//!
//! Environment: `TESSERA_CHROMEDRIVER` and `TESSERA_CHROMIUM` (the programs, instead of
//! `chromedriver` on `PATH` and `/usr/bin/chromium`), `TMPDIR` (where the folders go).
//!
//! ```no_run
//! use tessera_browser_harness::{Browser, Window};
//! let browser = Browser::start(Window::PHONE)?;
//! browser.goto("http://127.0.0.1:8443/")?;
//! browser.fill("User ID", "alice")?;
//! browser.click_button("Sign in")?;
//! let png = browser.screenshot()?;
//! let link = browser.read_qr_code()?; // Some("igmobileotp://?...") when one is shown
//! # Ok::<(), String>(())
//! ```

mod binaries;
mod driver;
mod locate;
mod page;
mod qr;

use std::path::Path;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use tempfile::TempDir;

use binaries::Binaries;
use driver::Driver;

pub use binaries::{CHROMEDRIVER_ENV, CHROMIUM_ENV, SETUP_SCRIPT};
pub use fantoccini;
pub use fantoccini::cookies::Cookie;
pub use qr::decode_qr_png;

/// How long closing the session may take before chromedriver is killed anyway.
const CLOSE_WAIT: Duration = Duration::from_secs(10);

/// The size of the page's viewport in CSS pixels; at the device scale of 1 the browser uses,
/// a screenshot has as many pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Width.
    pub width: u32,
    /// Height.
    pub height: u32,
    /// Laid out as a phone does: the page's `<meta name="viewport">` applies and touch events
    /// are on.
    pub mobile: bool,
}

impl Window {
    /// A phone held upright (an iPhone 12 to 15's viewport).
    pub const PHONE: Self = Self {
        width: 390,
        height: 844,
        mobile: true,
    };
    /// A laptop's browser window.
    pub const DESKTOP: Self = Self {
        width: 1280,
        height: 900,
        mobile: false,
    };
}

/// A headless Chromium with its chromedriver; both stopped, and their folder removed, when
/// dropped.
pub struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Client,
    window: Window,
    driver: Driver,
    // Last: removed only after `drop` has stopped the processes writing into it.
    folder: TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium whose window is `window`.
    pub fn start(window: Window) -> Result<Self, String> {
        let binaries = Binaries::find()?;
        let folder = tempfile::Builder::new()
            .prefix("tessera-browser.")
            .tempdir()
            .map_err(|e| format!("could not make the browser's temporary folder: {e}"))?;
        let driver = Driver::start(
            &binaries.chromedriver,
            &folder.path().join("chromedriver.log"),
        )?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("could not start the WebDriver client's runtime: {e}"))?;
        let capabilities = capabilities(&binaries.chromium, &folder.path().join("profile"), window);
        let url = format!("http://127.0.0.1:{}", driver.port());
        let client = runtime
            .block_on(
                ClientBuilder::new(HttpConnector::new())
                    .capabilities(capabilities)
                    .connect(&url),
            )
            .map_err(|e| {
                format!(
                    "chromedriver could not start Chromium ({}): {e}\nchromedriver's log:\n{}",
                    binaries.chromium.display(),
                    driver.read_log()
                )
            })?;
        Ok(Self {
            runtime,
            client,
            window,
            driver,
            folder,
        })
    }

    /// The window size the browser started with.
    pub fn window(&self) -> Window {
        self.window
    }

    /// chromedriver's process id, which is also the id of the process group holding Chromium.
    pub fn chromedriver_pid(&self) -> u32 {
        self.driver.pid()
    }

    /// The browser's folder: Chromium's profile (`profile/`) and chromedriver's log
    /// (`chromedriver.log`, worth reading when a test fails). Removed when the browser stops.
    pub fn folder(&self) -> &Path {
        self.folder.path()
    }

    /// Runs `work` with the WebDriver client, for what the helpers do not offer.
    pub fn with_client<T>(&self, work: impl AsyncFnOnce(&Client) -> T) -> T {
        self.runtime.block_on(work(&self.client))
    }

    /// Ends the session and stops the processes, reporting what went wrong (dropping the
    /// browser does the same and can only print it).
    pub fn stop(mut self) -> Result<(), String> {
        self.shut_down()
    }

    fn shut_down(&mut self) -> Result<(), String> {
        let client = self.client.clone();
        let closed = self
            .runtime
            .block_on(async { tokio::time::timeout(CLOSE_WAIT, client.close()).await });
        // Whatever the session said, the processes go.
        let stopped = self.driver.stop();
        let closed = match closed {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(format!("closing the WebDriver session failed: {e}")),
            Err(_) => Err(format!(
                "closing the WebDriver session took over {CLOSE_WAIT:?}"
            )),
        };
        stopped.and(closed)
    }
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser")
            .field("window", &self.window)
            .field("driver", &self.driver)
            .field("folder", &self.folder.path())
            .finish_non_exhaustive()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Err(message) = self.shut_down() {
            // A session already closed by `stop` says so again here; the processes are what
            // matters, and `Driver::stop` runs once.
            if !message.starts_with("closing the WebDriver session") {
                eprintln!("tessera-browser-harness: {message}");
            }
        }
    }
}

/// The session's capabilities: headless Chromium at `window`, its profile in `profile`, and
/// nothing but loopback reachable.
fn capabilities(chromium: &Path, profile: &Path, window: Window) -> fantoccini::wd::Capabilities {
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        format!("--user-data-dir={}", profile.display()),
        format!("--window-size={},{}", window.width, window.height),
        "--force-device-scale-factor=1".into(),
        "--hide-scrollbars".into(),
        "--no-first-run".into(),
        "--no-default-browser-check".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        // Loopback goes direct (Chromium never proxies it); anything else fails at once.
        "--proxy-server=http://127.0.0.1:9".into(),
    ];
    let options = json!({
        "binary": chromium.display().to_string(),
        "args": args,
        // The window alone cannot be narrower than 500 pixels: the page is given the size.
        "mobileEmulation": {
            "deviceMetrics": {
                "width": window.width,
                "height": window.height,
                "pixelRatio": 1,
                "mobile": window.mobile,
                "touch": window.mobile,
            },
        },
    });
    let mut capabilities = fantoccini::wd::Capabilities::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert("goog:chromeOptions".into(), options);
    capabilities
}
