//! A PSKC document as a small tree of elements, read with quick-xml. Elements and attributes are
//! known by their local names: PSKC files bind the PSKC, XML Encryption and PKCS #5 namespaces
//! to whatever prefixes their writer chose (RFC 6030's own figures use both `pskc:` and none).
//!
//! Text is kept in zeroizing strings, since `PlainValue` holds secrets. Nesting is bounded so a
//! hostile file cannot make the tree, or the code walking it, arbitrarily deep.

use quick_xml::Reader;
use quick_xml::escape::unescape;
use quick_xml::events::{BytesStart, Event};
use zeroize::Zeroizing;

use super::FORMAT;
use crate::transfer::entry::wrong_shape;
use crate::transfer::report::ImportError;

/// Deeper than any PSKC document (RFC 6030's figures nest eight levels).
const MAX_DEPTH: usize = 32;

/// One element: its local name, attributes, child elements and text.
#[derive(Default)]
pub(super) struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: Zeroizing<String>,
}

impl Element {
    /// The first child named `name`.
    pub(super) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// The children named `name`, in document order.
    pub(super) fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The descendant reached through `path`, one child name per step.
    pub(super) fn at(&self, path: &[&str]) -> Option<&Element> {
        path.iter()
            .try_fold(self, |element, name| element.child(name))
    }

    /// The text of the descendant at `path`, trimmed, when it has any.
    pub(super) fn text_at(&self, path: &[&str]) -> Option<&str> {
        self.at(path).map(Element::text).filter(|t| !t.is_empty())
    }

    pub(super) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The element's own text, trimmed.
    pub(super) fn text(&self) -> &str {
        self.text.trim()
    }

    pub(super) fn name(&self) -> &str {
        &self.name
    }
}

/// The root element of `xml`.
pub(super) fn parse(xml: &str) -> Result<Element, ImportError> {
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
    let cut = || {
        wrong_shape(
            FORMAT,
            "its XML ends before its last element is closed (is it complete?)",
        )
    };
    // The open elements, outermost first; a finished element joins its parent.
    let mut open: Vec<Element> = Vec::new();
    loop {
        let event = reader.read_event().map_err(|error| match error {
            // Every syntax error is markup the input ended inside of.
            quick_xml::Error::Syntax(_) => cut(),
            _ => bad_xml(&reader),
        })?;
        match event {
            Event::Start(start) => {
                if open.len() >= MAX_DEPTH {
                    return Err(wrong_shape(
                        FORMAT,
                        format!("its elements are nested more than {MAX_DEPTH} deep"),
                    ));
                }
                open.push(element(&start).map_err(|_| bad_xml(&reader))?);
            }
            Event::Empty(start) => {
                let empty = element(&start).map_err(|_| bad_xml(&reader))?;
                match open.last_mut() {
                    Some(parent) => parent.children.push(empty),
                    None => return Ok(empty),
                }
            }
            Event::End(_) => {
                let mut done = open.pop().ok_or_else(|| bad_xml(&reader))?;
                // Text arrives in pieces around `&...;` references, which were kept as
                // written and are resolved here, once the whole text is known.
                let text = unescape(&done.text)
                    .map_err(|_| wrong_shape(FORMAT, "its text has an unknown `&...;` escape"))?
                    .into_owned();
                done.text = Zeroizing::new(text);
                match open.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            }
            Event::Text(text) => {
                if let Some(current) = open.last_mut() {
                    let text = text.decode().map_err(|_| bad_xml(&reader))?;
                    current.text.push_str(&text);
                }
            }
            Event::CData(data) => {
                if let Some(current) = open.last_mut() {
                    let data = data.decode().map_err(|_| bad_xml(&reader))?;
                    // Kept escaped so the one unescape at the end leaves it as written.
                    current
                        .text
                        .push_str(&quick_xml::escape::escape(data.as_ref()));
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(current) = open.last_mut() {
                    let name = reference.decode().map_err(|_| bad_xml(&reader))?;
                    current.text.push('&');
                    current.text.push_str(&name);
                    current.text.push(';');
                }
            }
            Event::Eof if open.is_empty() => {
                return Err(wrong_shape(FORMAT, "it has no XML element"));
            }
            Event::Eof => return Err(cut()),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// An element without children or text yet, named and with its attributes unescaped.
fn element(start: &BytesStart<'_>) -> Result<Element, ()> {
    let name = String::from_utf8(start.local_name().as_ref().to_vec()).map_err(|_| ())?;
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|_| ())?;
        let key =
            String::from_utf8(attribute.key.local_name().as_ref().to_vec()).map_err(|_| ())?;
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|_| ())?
            .into_owned();
        attributes.push((key, value));
    }
    Ok(Element {
        name,
        attributes,
        ..Element::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_dropped_and_text_is_unescaped() {
        let root =
            parse("<p:A xmlns:p='x'><p:B k='1 &amp; 2'>AT&amp;T <![CDATA[a<b]]></p:B><C/></p:A>")
                .unwrap();
        assert_eq!(root.name(), "A");
        let b = root.child("B").unwrap();
        assert_eq!(b.attribute("k"), Some("1 & 2"));
        assert_eq!(b.text(), "AT&T a<b");
        assert!(root.at(&["C"]).is_some());
        assert_eq!(root.text_at(&["C"]), None);
    }

    #[test]
    fn broken_deep_or_cut_xml_is_refused_in_words() {
        let message = |xml: &str| parse(xml).err().unwrap().to_string();
        assert_eq!(
            message("<A><B></A>"),
            "the file does not look like a PSKC file: its XML is not well formed (near byte 6)"
        );
        assert_eq!(
            message("<A><B>"),
            "the file does not look like a PSKC file: its XML ends before its last element is closed (is it complete?)"
        );
        assert_eq!(
            message(&"<A>".repeat(MAX_DEPTH + 1)),
            "the file does not look like a PSKC file: its elements are nested more than 32 deep"
        );
        assert_eq!(
            message("<A>&nope;</A>"),
            "the file does not look like a PSKC file: its text has an unknown `&...;` escape"
        );
    }
}
