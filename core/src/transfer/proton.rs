//! Proton Authenticator exports: `entries[]` with `content{uri, entry_type, name}`. The OTP
//! settings and issuer come from the otpauth link; the name from `content.name`.

use serde_json::Value;

use super::entry::{Collector, array_at, entry_from_otpauth, entry_label, string};
use super::report::{ImportError, ImportFormat, ImportReport};

pub(super) fn parse(file: &Value) -> Result<ImportReport, ImportError> {
    let mut out = Collector::default();
    out.read_each(
        array_at(file, "entries", ImportFormat::ProtonJson)?,
        |index, entry| {
            let content = entry.get("content").unwrap_or(&Value::Null);
            let name = string(content, "name");
            let label = entry_label(None, name, &format!("entry {}", index + 1));
            let result = match string(content, "uri") {
                Some(uri) => entry_from_otpauth(uri).map(|mut imported| {
                    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
                        imported.entry.name = name.to_string();
                    }
                    imported
                }),
                None => Err("it has no otpauth link".to_string()),
            };
            Some((label, result))
        },
    );
    out.finish()
}
