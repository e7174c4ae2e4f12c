//! Android SharedPreferences files (`shared_prefs/*.xml` taken from a rooted phone): a `<map>`
//! of `<string name="...">text</string>` and `<int|long|boolean name="..." value="..."/>`.
//! The importers of apps that keep their tokens there read the strings by name.

use quick_xml::Reader;
use quick_xml::XmlVersion;
use quick_xml::escape::unescape;
use quick_xml::events::Event;
use zeroize::Zeroizing;

use super::entry::{text, wrong_shape};
use super::report::{ImportError, ImportFormat};

/// The `<string>` preferences of a file, in file order: name and text, the text wiped on drop.
pub(super) struct Prefs(Vec<(String, Zeroizing<String>)>);

impl Prefs {
    /// The preferences of `bytes`, read as `format` (named in errors).
    pub(super) fn parse(bytes: &[u8], format: ImportFormat) -> Result<Self, ImportError> {
        let mut reader = Reader::from_str(text(bytes)?);
        let bad_xml = |reader: &Reader<&[u8]>| {
            wrong_shape(
                format,
                format!(
                    "its XML is not well formed (near byte {})",
                    reader.error_position()
                ),
            )
        };
        let mut strings = Vec::new();
        let mut in_map = false;
        loop {
            match reader.read_event() {
                Err(_) => return Err(bad_xml(&reader)),
                Ok(Event::Eof) => break,
                Ok(Event::Start(map) | Event::Empty(map))
                    if map.local_name().as_ref() == b"map" =>
                {
                    in_map = true
                }
                Ok(Event::Start(start)) if in_map && start.local_name().as_ref() == b"string" => {
                    let name = start
                        .try_get_attribute("name")
                        .ok()
                        .flatten()
                        .and_then(|a| {
                            a.normalized_value(XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                        .ok_or_else(|| wrong_shape(format, "a `<string>` has no name"))?;
                    let end = start.to_end().into_owned();
                    let raw = reader.read_text(end.name()).map_err(|_| bad_xml(&reader))?;
                    let raw =
                        Zeroizing::new(raw.decode().map_err(|_| bad_xml(&reader))?.into_owned());
                    let value = Zeroizing::new(
                        unescape(&raw)
                            .map_err(|_| {
                                wrong_shape(
                                    format,
                                    format!(
                                        "the preference `{name}` has an unknown `&...;` escape"
                                    ),
                                )
                            })?
                            .into_owned(),
                    );
                    strings.push((name, value));
                }
                Ok(_) => {}
            }
        }
        if !in_map {
            return Err(wrong_shape(format, "it has no `<map>` of preferences"));
        }
        Ok(Prefs(strings))
    }

    /// The text of the string preference `name`.
    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, value)| value.as_str())
    }

    /// Every string preference, in file order.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }
}

/// Whether `bytes` look like a SharedPreferences file holding the string `name`.
pub(super) fn holds(bytes: &[u8], name: &str) -> bool {
    let needle = format!("name=\"{name}\"");
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_read_by_name_and_unescaped() {
        let xml = "<?xml version='1.0' encoding='utf-8' standalone='yes' ?>\n<map>\n    \
                   <int name=\"n\" value=\"3\" />\n    <string name=\"a&amp;b\">[&quot;x&quot;]</string>\n</map>\n";
        let prefs = Prefs::parse(xml.as_bytes(), ImportFormat::BattleNetXml).unwrap();
        assert_eq!(prefs.get("a&b"), Some("[\"x\"]"));
        assert_eq!(prefs.get("n"), None);
        assert!(holds(xml.as_bytes(), "a&amp;b"));
    }

    #[test]
    fn broken_or_mapless_xml_is_refused_with_the_format_named() {
        let message = |xml: &str| {
            Prefs::parse(xml.as_bytes(), ImportFormat::BattleNetXml)
                .err()
                .unwrap()
                .to_string()
        };
        assert_eq!(
            message("<root/>"),
            "the file does not look like a Battle.net authenticator file: it has no `<map>` of preferences"
        );
        assert!(message("<map><string name=\"a\">x</map>").contains("its XML is not well formed"));
        assert_eq!(
            message("<map><string>x</string></map>"),
            "the file does not look like a Battle.net authenticator file: a `<string>` has no name"
        );
    }
}
