//! What a test does on a page, as a person would: go to an address, fill a field by its label,
//! click a button or a link by its text, read text, take a screenshot, look at the cookies.
//! Every error names what was looked for and on which page.

use std::time::Duration;

use fantoccini::Locator;
use fantoccini::elements::Element;

use crate::locate;
use crate::{Browser, Cookie};

/// Marks the page shown now, so that a new page is told apart by the mark's absence.
const MARK_PAGE: &str = "window.__tesseraOldPage = true;";
const NEW_PAGE_LOADED: &str =
    "return window.__tesseraOldPage === undefined && document.readyState === 'complete';";
const NEW_PAGE_WAIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(25);

impl Browser {
    /// Loads `url` and waits until the page has loaded.
    pub fn goto(&self, url: &str) -> Result<(), String> {
        self.with_client(async |client| client.goto(url).await)
            .map_err(|e| format!("could not load {url}: {e}"))
    }

    /// The address of the page shown now.
    pub fn current_url(&self) -> Result<String, String> {
        self.with_client(async |client| client.current_url().await)
            .map(String::from)
            .map_err(|e| format!("could not read the current address: {e}"))
    }

    /// Types `value` into the field labelled `label_or_name` (a `<label>` with that text: the
    /// control its `for` names, or the one inside it), else the field with that `name`; what
    /// the field held before is cleared first.
    pub fn fill(&self, label_or_name: &str, value: &str) -> Result<(), String> {
        let field = self.field(label_or_name)?;
        self.with_client(async |_| {
            field.clear().await?;
            field.send_keys(value).await
        })
        .map_err(|e| {
            self.on_page(&format!(
                "could not type into the field {label_or_name:?}: {e}"
            ))
        })
    }

    /// Chooses the option reading `option` in the list labelled or named `label_or_name`.
    pub fn select(&self, label_or_name: &str, option: &str) -> Result<(), String> {
        let field = self.field(label_or_name)?;
        self.with_client(async |_| field.select_by_label(option).await)
            .map_err(|e| {
                self.on_page(&format!(
                    "could not choose {option:?} in {label_or_name:?}: {e}"
                ))
            })
    }

    /// Ticks the checkbox or radio button labelled or named `label_or_name`, unless it is
    /// ticked already.
    pub fn check(&self, label_or_name: &str) -> Result<(), String> {
        let field = self.field(label_or_name)?;
        self.with_client(async |_| {
            if !field.is_selected().await? {
                field.click().await?;
            }
            Ok::<(), fantoccini::error::CmdError>(())
        })
        .map_err(|e| self.on_page(&format!("could not tick {label_or_name:?}: {e}")))
    }

    /// Clicks the button reading `text` (a `<button>`, or an `<input>` of type submit or
    /// button) and waits for the page it loads.
    pub fn click_button(&self, text: &str) -> Result<(), String> {
        let Some(button) = self.first(&locate::buttons(text))? else {
            let shown = self.texts(locate::ALL_BUTTONS)?;
            return Err(self.on_page(&format!(
                "no button reads {text:?}; the buttons read {shown:?}"
            )));
        };
        self.click_and_wait(button, &format!("the button {text:?}"))
    }

    /// Follows the link reading `text` and waits for the page it loads.
    pub fn click_link(&self, text: &str) -> Result<(), String> {
        let Some(link) = self.first(&locate::links(text))? else {
            let shown = self.texts("//a")?;
            return Err(self.on_page(&format!("no link reads {text:?}; the links read {shown:?}")));
        };
        self.click_and_wait(link, &format!("the link {text:?}"))
    }

    /// Clicks `element` and waits until a new page has replaced this one and finished loading.
    /// WebDriver's click returns once the click is dispatched, not once a form's answer has
    /// arrived, so without this wait the next read could still see the old page.
    fn click_and_wait(&self, element: Element, what: &str) -> Result<(), String> {
        let outcome: Result<bool, fantoccini::error::CmdError> = self.with_client(async |client| {
            client.execute(MARK_PAGE, Vec::new()).await?;
            element.click().await?;
            let deadline = tokio::time::Instant::now() + NEW_PAGE_WAIT;
            loop {
                // While the browser swaps documents, a script may fail; that is not an answer.
                if let Ok(serde_json::Value::Bool(true)) =
                    client.execute(NEW_PAGE_LOADED, Vec::new()).await
                {
                    return Ok(true);
                }
                if tokio::time::Instant::now() >= deadline {
                    return Ok(false);
                }
                tokio::time::sleep(POLL).await;
            }
        });
        match outcome {
            Ok(true) => Ok(()),
            Ok(false) => Err(self.on_page(&format!(
                "clicking {what} loaded no new page within {} s",
                NEW_PAGE_WAIT.as_secs()
            ))),
            Err(e) => Err(self.on_page(&format!("could not click {what}: {e}"))),
        }
    }

    /// The text shown by the first element matching the CSS `selector`.
    pub fn text(&self, selector: &str) -> Result<String, String> {
        self.with_client(async |client| client.find(Locator::Css(selector)).await?.text().await)
            .map_err(|e| self.on_page(&format!("could not read the text of {selector:?}: {e}")))
    }

    /// Scrolls the first element matching the CSS `selector` to the middle of the window, as a
    /// person would before pointing a camera at it.
    pub fn scroll_to(&self, selector: &str) -> Result<(), String> {
        let script = "const e = document.querySelector(arguments[0]); \
                      if (!e) { return false; } \
                      e.scrollIntoView({block: 'center'}); return true;";
        let found = self
            .with_client(async |client| {
                client
                    .execute(script, vec![serde_json::Value::from(selector)])
                    .await
            })
            .map_err(|e| self.on_page(&format!("could not scroll to {selector:?}: {e}")))?;
        match found {
            serde_json::Value::Bool(true) => Ok(()),
            _ => Err(self.on_page(&format!("nothing matches {selector:?}"))),
        }
    }

    /// The text the whole page shows.
    pub fn page_text(&self) -> Result<String, String> {
        self.text("body")
    }

    /// The value of attribute `name` of the first element matching the CSS `selector`.
    pub fn attribute(&self, selector: &str, name: &str) -> Result<Option<String>, String> {
        self.with_client(async |client| client.find(Locator::Css(selector)).await?.attr(name).await)
            .map_err(|e| self.on_page(&format!("could not read {name:?} of {selector:?}: {e}")))
    }

    /// The page's HTML as the browser holds it now.
    pub fn source(&self) -> Result<String, String> {
        self.with_client(async |client| client.source().await)
            .map_err(|e| format!("could not read the page's source: {e}"))
    }

    /// A PNG of what the window shows: [`Browser::window`]'s width and height in pixels.
    pub fn screenshot(&self) -> Result<Vec<u8>, String> {
        self.with_client(async |client| client.screenshot().await)
            .map_err(|e| self.on_page(&format!("could not take a screenshot: {e}")))
    }

    /// The cookies the browser holds for the page shown now.
    pub fn cookies(&self) -> Result<Vec<Cookie<'static>>, String> {
        self.with_client(async |client| client.get_all_cookies().await)
            .map_err(|e| self.on_page(&format!("could not read the cookies: {e}")))
    }

    /// The field labelled `label_or_name`, else the one named so.
    fn field(&self, label_or_name: &str) -> Result<Element, String> {
        let found = self.with_client(async |client| {
            if let Some(label) = client
                .find_all(Locator::XPath(&locate::labels(label_or_name)))
                .await?
                .into_iter()
                .next()
            {
                return match label.attr("for").await? {
                    Some(id) => client.find(Locator::Id(&id)).await.map(Some),
                    None => label
                        .find(Locator::XPath(locate::CONTROL_INSIDE))
                        .await
                        .map(Some),
                };
            }
            let named = client
                .find_all(Locator::XPath(&locate::named(label_or_name)))
                .await?;
            Ok(named.into_iter().next())
        });
        match found {
            Ok(Some(field)) => Ok(field),
            Ok(None) => {
                Err(self.on_page(&format!("no field is labelled or named {label_or_name:?}")))
            }
            Err(e) => {
                Err(self.on_page(&format!("could not find the field {label_or_name:?}: {e}")))
            }
        }
    }

    fn first(&self, xpath: &str) -> Result<Option<Element>, String> {
        self.with_client(async |client| client.find_all(Locator::XPath(xpath)).await)
            .map(|found| found.into_iter().next())
            .map_err(|e| self.on_page(&format!("could not search the page: {e}")))
    }

    /// The texts (or `value`s, for inputs) of every element matching `xpath`.
    fn texts(&self, xpath: &str) -> Result<Vec<String>, String> {
        self.with_client(async |client| {
            let mut texts = Vec::new();
            for element in client.find_all(Locator::XPath(xpath)).await? {
                let text = element.text().await?;
                texts.push(match text.trim() {
                    "" => element.attr("value").await?.unwrap_or_default(),
                    shown => shown.to_string(),
                });
            }
            Ok::<_, fantoccini::error::CmdError>(texts)
        })
        .map_err(|e| self.on_page(&format!("could not search the page: {e}")))
    }

    /// `message`, followed by the address of the page it happened on.
    fn on_page(&self, message: &str) -> String {
        match self.current_url() {
            Ok(url) => format!("{message} (on {url})"),
            Err(_) => message.to_string(),
        }
    }
}
