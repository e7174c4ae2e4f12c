//! Every Self Service page in a real browser at phone and desktop widths: each is drawn without
//! sideways scrolling (the layout fits the window), and saved as a PNG named for the page and
//! width. `cargo xtask screenshots` runs this with TESSERA_WEB_SCREENSHOTS set to
//! target/screenshots/web; otherwise the pictures go to a temporary folder and are checked only.

mod browser_pages;
mod common;

use std::path::{Path, PathBuf};

use browser_pages::{Codes, Pages};
use common::{ADDRESS, PASSWORD, PIN, Server, Token, USER, registered_token};
use tessera_browser_harness::{Browser, Window};

const HELP_DESK: &str = "olivia";

/// Saves the page shown as NAME-WIDTH.png, after checking it needs no sideways scrolling.
struct Camera<'a> {
    pages: &'a Pages<'a>,
    folder: &'a Path,
    width: &'static str,
    taken: Vec<PathBuf>,
}

impl Camera<'_> {
    fn shoot(&mut self, name: &str) {
        let overflow = self
            .pages
            .browser
            .with_client(async |client| {
                client
                    .execute(
                        "return document.documentElement.scrollWidth - window.innerWidth;",
                        Vec::new(),
                    )
                    .await
            })
            .unwrap();
        assert!(
            overflow.as_i64().is_some_and(|extra| extra <= 0),
            "{name} at {} is {overflow} pixels wider than the window",
            self.width
        );
        let path = self.folder.join(format!("{name}-{}.png", self.width));
        std::fs::write(&path, self.pages.browser.screenshot().unwrap()).unwrap();
        self.taken.push(path);
    }
}

/// Walks every page once, shooting each.
fn walk(window: Window, width: &'static str, folder: &Path) -> Vec<PathBuf> {
    let server = Server::start_with(
        common::Database::Sqlite,
        &["--address", ADDRESS, "--window", "3"],
    );
    let added = server.run(
        &[
            "users",
            "add",
            HELP_DESK,
            "--role",
            "helpdesk",
            "--password",
            "-",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(added.status.success(), "{added:?}");
    server.set_answers(HELP_DESK);
    let browser = Browser::start(window).unwrap();
    let pages = Pages::new(&browser, &server.base);
    let mut camera = Camera {
        pages: &pages,
        folder,
        width,
        taken: Vec::new(),
    };
    let chosen: Vec<(&str, &str)> = tessera_server::questions::DEFAULT_QUESTIONS
        .iter()
        .copied()
        .zip(common::ANSWERS)
        .collect();

    pages.open("/signin");
    camera.shoot("sign-in");
    pages.sign_in(USER, "not the password");
    camera.shoot("sign-in-refused");
    pages.sign_in(USER, PASSWORD);
    camera.shoot("set-questions");
    for (i, (question, answer)) in chosen.iter().enumerate() {
        browser
            .select(&format!("Question {}", i + 1), question)
            .unwrap();
        pages.fill(&format!("Answer {}", i + 1), answer);
    }
    pages.button("Save answers");
    pages.sign_in(USER, PASSWORD);
    camera.shoot("answer-question");
    pages.answer_question(&chosen);
    camera.shoot("account");
    pages.link("Request a soft token");
    camera.shoot("request-token");
    pages.button("Yes");
    camera.shoot("install-token");
    pages.button("Yes, it is installed");
    camera.shoot("activate-token");
    let token = Token::new();
    let added = token.run(
        &[
            "add",
            "--serial",
            &pages.text("#serial"),
            "--address",
            ADDRESS,
        ],
        &[("TESSERA_ACTIVATION_CODE", &pages.text("#activation-code"))],
    );
    let registration = added
        .lines()
        .find_map(|l| l.strip_prefix("registration code: "))
        .unwrap()
        .to_owned();
    pages.fill("Registration code", &registration);
    pages.button("Activate");
    camera.shoot("token-activated");
    pages.sign_out();
    pages.sign_in(USER, PASSWORD);
    camera.shoot("security-code");
    let mut codes = Codes::new(&token);
    pages.fill("Security code", &codes.fresh(PIN));
    pages.button("Sign in");
    pages.link("Create a certificate");
    camera.shoot("certificate-step-up");
    pages.fill("Security code", &codes.fresh(PIN));
    pages.button("Continue");
    camera.shoot("certificate");
    pages.button("Create the certificate");
    camera.shoot("certificate-created");
    pages.open("/token/help");
    camera.shoot("token-help");
    pages.link("My soft token is locked");
    camera.shoot("unlock-token");
    pages.open("/token/help");
    pages.link("I lost my soft token");
    camera.shoot("lost-token");
    pages.sign_out();

    // The help desk, looking at a user with a token of the API's making.
    let _ = registered_token(&server);
    pages.sign_in(HELP_DESK, PASSWORD);
    pages.answer_question(&chosen);
    pages.link("Help desk");
    camera.shoot("help-desk");
    pages.fill("User ID", USER);
    pages.button("Find");
    camera.shoot("help-desk-user");
    let taken = camera.taken;
    browser.stop().unwrap();
    taken
}

#[test]
fn every_page_fits_phone_and_desktop_widths_and_is_saved() {
    let temporary = tempfile::tempdir().unwrap();
    let folder = std::env::var_os("TESSERA_WEB_SCREENSHOTS")
        .map_or_else(|| temporary.path().to_owned(), PathBuf::from);
    std::fs::create_dir_all(&folder).unwrap();
    for (window, width) in [(Window::PHONE, "phone"), (Window::DESKTOP, "desktop")] {
        let taken = walk(window, width, &folder);
        for path in taken {
            let picture = image::open(&path).unwrap();
            assert_eq!(
                (picture.width(), picture.height()),
                (window.width, window.height),
                "{}",
                path.display()
            );
        }
    }
}
