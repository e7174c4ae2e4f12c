//! The original FreeOTP's token store, `tokens.xml` (Android shared preferences): a `<map>` of
//! `<string>` elements, one per token, named `issuer:label`, whose text is the token's JSON
//! (the fields FreeOTP+ exports: `algo`, `counter`, `digits`, `issuerExt`, `label`, `period`,
//! `type` and `secret` as signed bytes), plus `tokenOrder`, the JSON list of names in the
//! order the app shows them. Tokens are read in that order; tokens the order does not name
//! follow in file order.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;
use zeroize::Zeroizing;

use super::crypto::WipedJson;
use super::entry::{Collector, entry_label, string, text, wrong_shape};
use super::freeotp_plus;
use super::report::{ImportError, ImportFormat, ImportReport};

const FORMAT: ImportFormat = ImportFormat::FreeOtpXml;
const ORDER_KEY: &str = "tokenOrder";

pub(super) fn parse(bytes: &[u8]) -> Result<ImportReport, ImportError> {
    let strings = strings(text(bytes)?)?;
    let order: Vec<String> = strings
        .iter()
        .find(|(name, _)| name == ORDER_KEY)
        .and_then(|(_, value)| serde_json::from_str(value).ok())
        .unwrap_or_default();
    let mut tokens: Vec<&(String, Zeroizing<String>)> = strings
        .iter()
        .filter(|(name, _)| name != ORDER_KEY)
        .collect();
    let position = |name: &str| order.iter().position(|o| o == name).unwrap_or(usize::MAX);
    tokens.sort_by_key(|(name, _)| position(name));
    let mut out = Collector::default();
    out.read_each(tokens, |index, (name, value)| {
        let position = format!("token {}", index + 1);
        let Ok(token) = serde_json::from_str::<Value>(value).map(WipedJson) else {
            let label = entry_label(None, Some(name), &position);
            return Some((label, Err("its value is not a token's JSON".to_string())));
        };
        let label = entry_label(
            string(&token, "issuerExt"),
            string(&token, "label"),
            &position,
        );
        Some((label, freeotp_plus::read(&token)))
    });
    out.finish()
}

/// Every `<string name="...">text</string>` of the map, unescaped, in file order.
fn strings(xml: &str) -> Result<Vec<(String, Zeroizing<String>)>, ImportError> {
    let mut reader = Reader::from_str(xml);
    let bad_xml = |reader: &Reader<&[u8]>| {
        wrong_shape(
            FORMAT,
            format!(
                "its XML is not well formed (near byte {})",
                reader.error_position()
            ),
        )
    };
    let mut found = Vec::new();
    loop {
        match reader.read_event() {
            Err(_) => return Err(bad_xml(&reader)),
            Ok(Event::Eof) => break,
            Ok(Event::Start(start)) if start.local_name().as_ref() == b"string" => {
                let name = start
                    .try_get_attribute("name")
                    .ok()
                    .flatten()
                    .and_then(|a| {
                        let raw = std::str::from_utf8(&a.value).ok()?;
                        quick_xml::escape::unescape(raw)
                            .ok()
                            .map(|v| v.into_owned())
                    })
                    .unwrap_or_default();
                let end = start.to_end().into_owned();
                let raw = reader.read_text(end.name()).map_err(|_| bad_xml(&reader))?;
                let raw = Zeroizing::new(raw.decode().map_err(|_| bad_xml(&reader))?.into_owned());
                let value = quick_xml::escape::unescape(&raw)
                    .map_err(|_| wrong_shape(FORMAT, "a token has an unknown `&...;` escape"))?
                    .into_owned();
                found.push((name, Zeroizing::new(value)));
            }
            Ok(_) => {}
        }
    }
    if found.is_empty() {
        return Err(wrong_shape(FORMAT, "its `<map>` holds no `<string>` token"));
    }
    Ok(found)
}
