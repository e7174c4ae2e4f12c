//! Plain text with one otpauth:// link per line (Aegis's and Ente Auth's plain exports, and
//! lists people keep). Empty lines are ignored; Ente's `codeDisplay` parameter is ignored by
//! the otpauth parser like any unknown parameter.

use super::{
    Collector, ImportError, ImportFormat, ImportReport, entry_from_otpauth, otpauth_label,
};

pub(super) fn parse(text: &str, _format: ImportFormat) -> Result<ImportReport, ImportError> {
    let mut out = Collector::default();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let position = format!("line {}", index + 1);
        out.push(|| otpauth_label(line, &position), entry_from_otpauth(line));
    }
    out.finish()
}
