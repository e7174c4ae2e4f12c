//! The one shape of Java object serialization (the JDK's "Object Serialization Stream
//! Protocol") an import needs: a `java.util.HashMap` whose keys and values are strings, as
//! `ObjectOutputStream.writeObject(sharedPreferences.getAll())` writes it (FreeOTP's external
//! backups). Anything else (other classes, non-string values, more than one object) is refused
//! with where and why; nothing is allocated from a length before the bytes it counts are there.

use zeroize::Zeroizing;

const MAGIC: [u8; 4] = [0xAC, 0xED, 0x00, 0x05];
const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_STRING: u8 = 0x74;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_LONGSTRING: u8 = 0x7C;
/// The first handle the stream assigns.
const BASE_HANDLE: u32 = 0x7E_0000;

/// Whether `bytes` start a Java serialization stream.
pub(super) fn is_java_serialized(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// The stream's strings by handle, or `None` for handles that are not strings.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    handles: Vec<Option<Zeroizing<String>>>,
}

/// The entries of the serialized map, in stream order, or why they cannot be read.
pub(super) fn read_string_map(bytes: &[u8]) -> Result<Vec<(String, Zeroizing<String>)>, String> {
    let mut reader = Reader {
        bytes,
        at: 0,
        handles: Vec::new(),
    };
    if reader.take(4)? != MAGIC {
        return Err("it does not start with Java serialization's magic (AC ED 00 05)".to_string());
    }
    reader.expect(TC_OBJECT, "a serialized object")?;
    reader.class_desc()?;
    reader.handles.push(None); // the map itself
    // HashMap's serializable fields, loadFactor (float) and threshold (int), then its own
    // block: capacity and size.
    reader.take(8)?;
    reader.expect(TC_BLOCKDATA, "the map's block of capacity and size")?;
    let length = reader.byte()?;
    let block = reader.take(usize::from(length))?;
    let size = block
        .get(4..8)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or("the map's block is too short to hold its size")?;
    let mut entries = Vec::new();
    for _ in 0..size {
        let key = reader.string()?;
        let value = reader.string()?;
        entries.push((key.to_string(), value));
    }
    reader.expect(TC_ENDBLOCKDATA, "the end of the map")?;
    if reader.at != bytes.len() {
        return Err(format!("{} bytes follow the map", bytes.len() - reader.at));
    }
    Ok(entries)
}

impl Reader<'_> {
    fn take(&mut self, count: usize) -> Result<&[u8], String> {
        let end = self
            .at
            .checked_add(count)
            .filter(|end| *end <= self.bytes.len())
            .ok_or_else(|| {
                format!(
                    "it ends at byte {} in the middle of the map",
                    self.bytes.len()
                )
            })?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }

    fn expect(&mut self, tag: u8, what: &str) -> Result<(), String> {
        let at = self.at;
        match self.byte()? {
            found if found == tag => Ok(()),
            found => Err(format!(
                "byte {at} is {found:#04x} where {what} should start"
            )),
        }
    }

    fn utf(&mut self) -> Result<Zeroizing<String>, String> {
        let length = usize::from(self.u16()?);
        self.text(length)
    }

    fn text(&mut self, length: usize) -> Result<Zeroizing<String>, String> {
        let at = self.at;
        let raw = self.take(length)?;
        // Java writes "modified UTF-8", which is UTF-8 for everything but NUL and characters
        // outside the BMP; neither is in the texts an authenticator stores.
        std::str::from_utf8(raw)
            .map(|text| Zeroizing::new(text.to_string()))
            .map_err(|_| format!("the text at byte {at} is not UTF-8"))
    }

    /// A string: new (long or short), or a reference to one read before.
    fn string(&mut self) -> Result<Zeroizing<String>, String> {
        let at = self.at;
        let text = match self.byte()? {
            TC_STRING => self.utf()?,
            TC_LONGSTRING => {
                let b = self.take(8)?;
                let length = u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
                let length = usize::try_from(length)
                    .map_err(|_| format!("the text at byte {at} is too long"))?;
                self.text(length)?
            }
            TC_REFERENCE => {
                let b = self.take(4)?;
                let handle = u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
                let found = handle
                    .checked_sub(BASE_HANDLE)
                    .and_then(|i| self.handles.get(i as usize))
                    .and_then(Option::as_ref)
                    .ok_or_else(|| format!("byte {at} refers to something that is not a string"))?;
                return Ok(found.clone());
            }
            TC_NULL => return Err(format!("byte {at} is a null where text should be")),
            other => {
                return Err(format!(
                    "byte {at} is {other:#04x} where text should be (the map holds a value that is not text)"
                ));
            }
        };
        self.handles.push(Some(text.clone()));
        Ok(text)
    }

    /// The class description of `java.util.HashMap` (no superclass, no annotations).
    fn class_desc(&mut self) -> Result<(), String> {
        self.expect(TC_CLASSDESC, "a class description")?;
        let name = self.utf()?;
        if name.as_str() != "java.util.HashMap" {
            return Err(format!(
                "it holds a {}, not the java.util.HashMap of a backup",
                name.chars().take(80).collect::<String>()
            ));
        }
        self.take(8 + 1)?; // serialVersionUID and flags
        self.handles.push(None);
        let fields = self.u16()?;
        for _ in 0..fields {
            let code = self.byte()?;
            self.utf()?;
            if matches!(code, b'L' | b'[') {
                self.string()?;
            }
        }
        self.expect(TC_ENDBLOCKDATA, "the end of the class annotations")?;
        self.expect(TC_NULL, "the (absent) superclass")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `new ObjectOutputStream(out).writeObject(map)` writes for a `HashMap` holding
    /// "a" → "b" and "c" → "b" (the second "b" a reference to the first), byte by byte from
    /// the protocol's grammar (Java Object Serialization Specification, chapter 6).
    fn sample() -> Vec<u8> {
        let mut out = vec![0xAC, 0xED, 0x00, 0x05, TC_OBJECT, TC_CLASSDESC, 0x00, 0x11];
        out.extend(b"java.util.HashMap");
        out.extend([
            0x05, 0x07, 0xDA, 0xC1, 0xC3, 0x16, 0x60, 0xD1, 0x03, 0x00, 0x02,
        ]);
        out.extend([b'F', 0x00, 0x0A]);
        out.extend(b"loadFactor");
        out.extend([b'I', 0x00, 0x09]);
        out.extend(b"threshold");
        out.extend([TC_ENDBLOCKDATA, TC_NULL]);
        out.extend([0x3F, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C]);
        out.extend([
            TC_BLOCKDATA,
            0x08,
            0x00,
            0x00,
            0x00,
            0x10,
            0x00,
            0x00,
            0x00,
            0x02,
        ]);
        out.extend([TC_STRING, 0x00, 0x01, b'a', TC_STRING, 0x00, 0x01, b'b']);
        out.extend([
            TC_STRING,
            0x00,
            0x01,
            b'c',
            TC_REFERENCE,
            0x00,
            0x7E,
            0x00,
            0x03,
        ]);
        out.push(TC_ENDBLOCKDATA);
        out
    }

    #[test]
    fn a_string_map_reads_with_its_references() {
        let entries = read_string_map(&sample()).unwrap();
        let entries: Vec<(&str, &str)> = entries
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(entries, [("a", "b"), ("c", "b")]);
    }

    #[test]
    fn cut_changed_or_other_streams_are_refused_with_where() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            assert!(read_string_map(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[8 + 10] = b'X'; // java.util.XashMap
        assert_eq!(
            read_string_map(&other).unwrap_err(),
            "it holds a java.util.XashMap, not the java.util.HashMap of a backup"
        );
        let mut reference = bytes.clone();
        let last = reference.len() - 2;
        reference[last] = 0x01; // the class description's handle
        assert!(
            read_string_map(&reference)
                .unwrap_err()
                .contains("not a string")
        );
        let mut longer = bytes;
        longer.push(0);
        assert_eq!(
            read_string_map(&longer).unwrap_err(),
            "1 bytes follow the map"
        );
    }
}
