//! The one kind of failure a command reports: input refused, with a sentence saying why.

use std::fmt;

/// A refusal printed as one line on stderr, exit status 1.
#[derive(Debug)]
pub struct Refusal(String);

impl Refusal {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every core error already says what is wrong in words a person understands.
impl<E: std::error::Error> From<E> for Refusal {
    fn from(error: E) -> Self {
        Self(error.to_string())
    }
}
