//! A browser for the Self Service pages' tests, over plain HTTP with ureq: it keeps the
//! cookies the server sets (checking their flags), follows 303s itself (so each Set-Cookie is
//! seen), and reads the contract's elements (h1, #error, #notice, ids, the form token) from
//! the HTML.

use std::collections::BTreeMap;

/// One answer of the server.
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

impl Page {
    /// The text of the first element opening with `open` (e.g. `<h1>` or `id="serial"`).
    pub fn text_after(&self, open: &str) -> Option<String> {
        let at = self.body.find(open)?;
        let rest = &self.body[at..];
        let start = rest.find('>')? + 1;
        let end = rest[start..].find('<')? + start;
        Some(decode(rest[start..end].trim()))
    }

    pub fn h1(&self) -> String {
        self.text_after("<h1")
            .unwrap_or_else(|| panic!("no h1 in {}", self.body))
    }

    pub fn error(&self) -> Option<String> {
        self.text_after("id=\"error\"")
    }

    pub fn notice(&self) -> Option<String> {
        self.text_after("id=\"notice\"")
    }

    pub fn id(&self, id: &str) -> String {
        self.text_after(&format!("id=\"{id}\""))
            .unwrap_or_else(|| panic!("no #{id} in {}", self.body))
    }

    /// The form token of the page's forms.
    pub fn csrf(&self) -> String {
        let marker = "name=\"csrf\" value=\"";
        let at = self
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no form token in {}", self.body))
            + marker.len();
        self.body[at..at + 64].to_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A browser's cookie jar and address.
pub struct Browser {
    pub base: String,
    agent: ureq::Agent,
    pub cookies: BTreeMap<String, String>,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Self {
            base: base.to_owned(),
            agent,
            cookies: BTreeMap::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn take(&mut self, mut response: ureq::http::Response<ureq::Body>) -> Page {
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap().to_owned()))
            .collect();
        let page = Page {
            status: response.status().as_u16(),
            location: response
                .headers()
                .get("location")
                .map(|v| v.to_str().unwrap().to_owned()),
            body: response.body_mut().read_to_string().unwrap(),
            headers,
        };
        for cookie in page.set_cookies() {
            for flag in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
                assert!(cookie.contains(flag), "{cookie} lacks {flag}");
            }
            let (name, value) = cookie.split(';').next().unwrap().split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        page
    }

    /// `GET path`, not following a redirect.
    pub fn get_once(&mut self, path: &str) -> Page {
        let response = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .call()
            .unwrap();
        self.take(response)
    }

    /// `GET path`, following redirects.
    pub fn get(&mut self, path: &str) -> Page {
        let page = self.get_once(path);
        self.follow(page)
    }

    /// `POST path` with `fields` exactly (no form token added), not following a redirect.
    pub fn post_once(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body: String = fields
            .iter()
            .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .send(body)
            .unwrap();
        self.take(response)
    }

    /// Submits a form of `from` to `path` with its form token and `fields`, following
    /// redirects.
    pub fn submit(&mut self, from: &Page, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = from.csrf();
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let page = self.post_once(path, &all);
        self.follow(page)
    }

    pub fn follow(&mut self, mut page: Page) -> Page {
        while page.status == 303 {
            let to = page.location.clone().unwrap();
            page = self.get_once(&to);
        }
        page
    }

    /// Signs in with the password: the page after it.
    pub fn sign_in(&mut self, user: &str, password: &str) -> Page {
        let form = self.get("/signin");
        assert_eq!(form.h1(), "Sign in");
        self.submit(&form, "/signin", &[("user", user), ("password", password)])
    }

    /// Answers the question `page` asks with the right answer of [`super::ANSWERS`] (the user's
    /// questions being the offered 0, 1 and 2).
    pub fn answer_right(&mut self, page: &Page) -> Page {
        assert_eq!(page.h1(), "Answer your challenge question", "{}", page.body);
        let question = page.id("question");
        let index = tessera_server::questions::DEFAULT_QUESTIONS
            .iter()
            .position(|q| *q == question)
            .unwrap_or_else(|| panic!("not an offered question: {question}"));
        self.submit(page, "/signin/answer", &[("answer", super::ANSWERS[index])])
    }

    /// A user without questions signs in the first time: sets the questions 0, 1, 2 with
    /// [`super::ANSWERS`], signs in again and answers one: the account page.
    pub fn first_sign_in(&mut self, user: &str, password: &str) -> Page {
        let set = self.sign_in(user, password);
        assert_eq!(set.h1(), "Set your challenge questions", "{}", set.body);
        let saved = self.submit(
            &set,
            "/signin/questions",
            &[
                ("question1", "0"),
                ("answer1", super::ANSWERS[0]),
                ("question2", "1"),
                ("answer2", super::ANSWERS[1]),
                ("question3", "2"),
                ("answer3", super::ANSWERS[2]),
            ],
        );
        assert_eq!(saved.h1(), "Sign in");
        let asked = self.sign_in(user, password);
        let account = self.answer_right(&asked);
        assert_eq!(account.h1(), "Your account", "{}", account.body);
        account
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
