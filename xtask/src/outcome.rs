//! What one test suite reported: the count the Rust, Kotlin and Swift suites each return and
//! the summary adds up.

/// The tests one suite passed and failed.
pub(crate) struct Outcome {
    pub(crate) name: &'static str,
    pub(crate) passed: u64,
    pub(crate) failed: u64,
}
