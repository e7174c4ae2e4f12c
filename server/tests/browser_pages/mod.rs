//! The Self Service pages as a person uses them, step by step, through the real browser: each
//! step fills fields by their labels, clicks buttons and links by their words, and checks the
//! page it lands on by its heading (docs/server.md lists the pages).

#![allow(dead_code)] // Each test file uses a different part of this module.

use std::time::{SystemTime, UNIX_EPOCH};

use tessera_browser_harness::Browser;

use crate::common::{TOKEN_NAME, Token};

/// A browser on one server's pages.
pub struct Pages<'a> {
    pub browser: &'a Browser,
    base: &'a str,
}

impl<'a> Pages<'a> {
    pub fn new(browser: &'a Browser, base: &'a str) -> Self {
        Self { browser, base }
    }

    pub fn open(&self, path: &str) {
        self.browser.goto(&format!("{}{path}", self.base)).unwrap();
    }

    /// Loads the page shown again.
    pub fn reload(&self) {
        let url = self.browser.current_url().unwrap();
        self.browser.goto(&url).unwrap();
    }

    /// Fails with the page's text unless its heading is `expected`.
    pub fn expect(&self, expected: &str) {
        let heading = self.browser.text("h1").unwrap();
        assert_eq!(
            heading,
            expected,
            "on {}: {}",
            self.browser.current_url().unwrap(),
            self.browser.page_text().unwrap()
        );
    }

    pub fn error(&self) -> String {
        self.browser.text("#error").unwrap()
    }

    pub fn notice(&self) -> String {
        self.browser.text("#notice").unwrap()
    }

    pub fn shows(&self, words: &str) -> bool {
        self.browser.page_text().unwrap().contains(words)
    }

    pub fn text(&self, selector: &str) -> String {
        self.browser.text(selector).unwrap()
    }

    pub fn fill(&self, label: &str, value: &str) {
        self.browser.fill(label, value).unwrap();
    }

    pub fn button(&self, text: &str) {
        self.browser.click_button(text).unwrap();
    }

    pub fn link(&self, text: &str) {
        self.browser.click_link(text).unwrap();
    }

    /// The sign-in form, filled and sent.
    pub fn sign_in(&self, user: &str, password: &str) {
        self.open("/signin");
        self.expect("Sign in");
        self.fill("User ID", user);
        self.fill("Password", password);
        self.button("Sign in");
    }

    /// The challenge question asked, answered from `answers` (question, answer).
    pub fn answer_question(&self, answers: &[(&str, &str)]) {
        self.expect("Answer your challenge question");
        let asked = self.text("#question");
        let answer = answers
            .iter()
            .find(|(question, _)| *question == asked)
            .unwrap_or_else(|| panic!("a question not chosen was asked: {asked:?}"))
            .1;
        self.fill("Answer", answer);
        self.button("Continue");
    }

    pub fn sign_out(&self) {
        self.open("/account");
        self.button("Sign out");
        self.expect("Sign in");
    }
}

/// The real token's codes, each of a later time step than the last one given, so that no
/// code is given twice by accident (the server accepts each once).
pub struct Codes<'a> {
    token: &'a Token,
    last_step: u64,
}

impl<'a> Codes<'a> {
    pub fn new(token: &'a Token) -> Self {
        Self {
            token,
            last_step: 0,
        }
    }

    /// The code of this time step, or of the step after the last code given.
    pub fn fresh(&mut self, pin: &str) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let step = (now / 30).max(self.last_step + 1);
        self.last_step = step;
        self.token
            .run(
                &["code", TOKEN_NAME, "--at", &(step * 30).to_string()],
                &[("TESSERA_PIN", pin)],
            )
            .trim()
            .to_owned()
    }
}
