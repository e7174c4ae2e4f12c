//! Plain text with one otpauth:// link per line (Aegis's and Ente Auth's plain exports, and
//! lists people keep). Empty lines are ignored; Ente's `codeDisplay` parameter is ignored by
//! the otpauth parser like any unknown parameter.

use super::entry::{Collector, entry_from_otpauth, otpauth_label};
use super::report::{ImportError, ImportFormat, ImportReport};

pub(super) fn parse(text: &str, _format: ImportFormat) -> Result<ImportReport, ImportError> {
    let mut out = Collector::default();
    out.read_each(text.lines(), |index, line| {
        let line = Some(line.trim()).filter(|line| !line.is_empty())?;
        let label = otpauth_label(line, &format!("line {}", index + 1));
        Some((label, entry_from_otpauth(line)))
    });
    out.finish()
}
