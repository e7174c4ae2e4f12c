//! The harness against the real Chromium: pages load, fields fill by label and name, buttons
//! and links click, text and cookies read back, screenshots have the window's size, and nothing
//! is left running or on disk afterwards.

mod common;

use std::collections::HashMap;
use std::path::Path;

use common::Site;
use tessera_browser_harness::{Browser, Window};

const FORM: &str = r#"<!doctype html>
<html lang="en"><head><title>Sign in</title></head>
<body>
<h1 id="heading">Sign in to the self-service</h1>
<form method="post" action="/submit">
  <label for="user">User ID</label> <input id="user" name="user" value="someone">
  <label>Password <input type="password" name="password"></label>
  <input name="pin">
  <label for="question">Question</label>
  <select id="question" name="question"><option>Your first pet</option><option>Your home town</option></select>
  <label for="remember">Remember me</label> <input type="checkbox" id="remember" name="remember" value="yes">
  <button type="submit">  Sign   in </button>
</form>
<a href="/help">Get help</a>
</body></html>"#;

const HELP: &str = "<!doctype html><title>Help</title><p id=\"help\">Call the help desk.</p>";

fn site() -> Site {
    Site::serve(HashMap::from([
        ("/", FORM.to_string()),
        ("/help", HELP.to_string()),
    ]))
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

/// The live processes whose command line names `folder` (Chromium's, through its profile).
fn processes_using(folder: &Path) -> Vec<u32> {
    let needle = folder.to_string_lossy().into_owned();
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|line| String::from_utf8_lossy(&line).contains(&needle))
        })
        .filter(|pid| process_is_running(*pid))
        .collect()
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let picture = image::load_from_memory_with_format(png, image::ImageFormat::Png).unwrap();
    (picture.width(), picture.height())
}

#[test]
fn a_form_fills_by_label_and_name_and_posts() {
    let site = site();
    let browser = Browser::start(Window::DESKTOP).unwrap();
    browser.goto(&site.url("/")).unwrap();
    assert_eq!(
        browser.text("#heading").unwrap(),
        "Sign in to the self-service"
    );
    // By a label's `for`, by the control inside a label, by name; the old value is replaced.
    browser.fill("User ID", "alice").unwrap();
    browser.fill("Password", "s3cret word&more").unwrap();
    browser.fill("pin", "1234").unwrap();
    browser.select("Question", "Your home town").unwrap();
    browser.check("Remember me").unwrap();
    browser.check("Remember me").unwrap();
    browser.click_button("Sign in").unwrap();
    assert_eq!(browser.current_url().unwrap(), site.url("/submit"));
    assert_eq!(browser.text("h1").unwrap(), "Posted");
    assert_eq!(
        browser.text("#fields").unwrap(),
        "password=s3cret word&more\npin=1234\nquestion=Your home town\nremember=yes\nuser=alice"
    );
}

#[test]
fn links_follow_and_cookies_read_back() {
    let site = site();
    let browser = Browser::start(Window::PHONE).unwrap();
    browser.goto(&site.url("/")).unwrap();
    assert!(browser.cookies().unwrap().is_empty());
    browser.click_link("Get help").unwrap();
    assert_eq!(browser.text("#help").unwrap(), "Call the help desk.");
    browser.goto(&site.url("/")).unwrap();
    browser.click_button("Sign in").unwrap();
    let cookies = browser.cookies().unwrap();
    assert_eq!(cookies.len(), 1, "{cookies:?}");
    assert_eq!(cookies[0].name(), "session");
    assert_eq!(cookies[0].value(), "s1");
    assert_eq!(cookies[0].http_only(), Some(true));
    assert_eq!(
        cookies[0].same_site().map(|policy| policy.to_string()),
        Some("Strict".to_string())
    );
    assert_eq!(
        browser.attribute("h1", "id").unwrap(),
        None,
        "the posted page's heading has no id"
    );
    assert!(browser.page_text().unwrap().contains("user=someone"));
}

#[test]
fn missing_fields_buttons_and_links_are_named_with_the_page() {
    let site = site();
    let browser = Browser::start(Window::PHONE).unwrap();
    browser.goto(&site.url("/")).unwrap();
    let error = browser.fill("E-mail", "x").unwrap_err();
    assert!(
        error.starts_with("no field is labelled or named \"E-mail\""),
        "{error}"
    );
    assert!(
        error.ends_with(&format!("(on {})", site.url("/"))),
        "{error}"
    );
    let error = browser.click_button("Register").unwrap_err();
    assert!(
        error.starts_with("no button reads \"Register\"; the buttons read [\"Sign in\"]"),
        "{error}"
    );
    let error = browser.click_link("Sign out").unwrap_err();
    assert!(
        error.starts_with("no link reads \"Sign out\"; the links read [\"Get help\"]"),
        "{error}"
    );
}

#[test]
fn screenshots_are_pngs_of_the_window_size() {
    let site = site();
    for window in [Window::PHONE, Window::DESKTOP] {
        let browser = Browser::start(window).unwrap();
        assert_eq!(browser.window(), window);
        browser.goto(&site.url("/")).unwrap();
        let png = browser.screenshot().unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert_eq!(png_size(&png), (window.width, window.height));
    }
}

#[test]
fn dropping_stops_chromedriver_and_chromium_and_removes_the_folder() {
    let browser = Browser::start(Window::PHONE).unwrap();
    browser.goto("about:blank").unwrap();
    let (pid, folder) = (browser.chromedriver_pid(), browser.folder().to_path_buf());
    assert!(process_is_running(pid));
    assert!(folder.join("profile").is_dir());
    assert!(
        !processes_using(&folder).is_empty(),
        "Chromium runs with its profile in {}",
        folder.display()
    );
    drop(browser);
    assert!(
        !process_is_running(pid),
        "chromedriver {pid} survived the drop"
    );
    assert_eq!(processes_using(&folder), Vec::<u32>::new());
    assert!(!folder.exists(), "{} survived the drop", folder.display());
}

#[test]
fn stop_reports_success_and_cleans_up() {
    let browser = Browser::start(Window::PHONE).unwrap();
    let (pid, folder) = (browser.chromedriver_pid(), browser.folder().to_path_buf());
    browser.stop().unwrap();
    assert!(!process_is_running(pid));
    assert_eq!(processes_using(&folder), Vec::<u32>::new());
    assert!(!folder.exists());
}

#[test]
fn a_panicking_test_still_stops_its_browser() {
    let (sender, receiver) = std::sync::mpsc::channel();
    let outcome = std::panic::catch_unwind(move || {
        let browser = Browser::start(Window::PHONE).unwrap();
        sender
            .send((browser.chromedriver_pid(), browser.folder().to_path_buf()))
            .unwrap();
        panic!("the test fails while its browser runs");
    });
    assert!(outcome.is_err());
    let (pid, folder) = receiver.recv().unwrap();
    assert!(
        !process_is_running(pid),
        "chromedriver {pid} survived the panic"
    );
    assert_eq!(processes_using(&folder), Vec::<u32>::new());
    assert!(!folder.exists(), "{} survived the panic", folder.display());
}

#[test]
fn only_loopback_is_reachable() {
    let site = site();
    let browser = Browser::start(Window::PHONE).unwrap();
    // Any other address goes to the dead proxy: the load fails without leaving the machine.
    let error = browser.goto("http://192.0.2.1/").unwrap_err();
    assert!(error.contains("ERR_PROXY_CONNECTION_FAILED"), "{error}");
    browser.goto(&site.url("/help")).unwrap();
    assert_eq!(browser.text("#help").unwrap(), "Call the help desk.");
}
