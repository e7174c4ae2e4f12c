//! The pieces of a SQLite page: big-endian numbers, varints and records (the row format of
//! <https://www.sqlite.org/fileformat2.html#record_format>), decoded without trusting a length.

use zeroize::Zeroizing;

/// A column's value. Text and blobs can be secrets: they are wiped when dropped.
#[derive(Debug, Clone, PartialEq)]
pub(in crate::transfer) enum Value {
    Null,
    Integer(i64),
    Real(f64),
    Text(Zeroizing<String>),
    Blob(Zeroizing<Vec<u8>>),
}

impl Value {
    /// The text of a text value; `None` for any other.
    pub(in crate::transfer) fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(text) => Some(text.as_str()),
            _ => None,
        }
    }
}

/// How the database stores text (its header's byte 56).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
}

/// A varint at the start of `bytes` and its length: 1 to 9 bytes, 7 bits each but the ninth,
/// which gives all 8. `None` when `bytes` ends first.
pub(super) fn varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, &byte) in bytes.iter().take(9).enumerate() {
        if i == 8 {
            return Some(((value << 8) | u64::from(byte), 9));
        }
        value = (value << 7) | u64::from(byte & 0x7f);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

pub(super) fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

pub(super) fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The values of one record, or what is wrong with it.
pub(super) fn decode(payload: &[u8], encoding: Encoding) -> Result<Vec<Value>, &'static str> {
    const CUT: &str = "a row is cut short";
    let (header_len, mut at) = varint(payload).ok_or(CUT)?;
    let header_len = usize::try_from(header_len).map_err(|_| CUT)?;
    let header = payload.get(..header_len).ok_or(CUT)?;
    let mut body = header_len;
    let mut values = Vec::new();
    while at < header.len() {
        let (serial, len) = varint(&header[at..]).ok_or(CUT)?;
        at += len;
        let size = match serial {
            0 | 8 | 9 => 0,
            1..=4 => serial as usize,
            5 => 6,
            6 | 7 => 8,
            10 | 11 => return Err("a row has a column type SQLite reserves"),
            n => usize::try_from((n - 12) / 2).map_err(|_| CUT)?,
        };
        let end = body.checked_add(size).ok_or(CUT)?;
        let field = payload.get(body..end).ok_or(CUT)?;
        body = end;
        values.push(match serial {
            0 => Value::Null,
            8 => Value::Integer(0),
            9 => Value::Integer(1),
            1..=6 => Value::Integer(signed(field)),
            7 => Value::Real(f64::from_bits(u64::from_be_bytes(
                field.try_into().map_err(|_| CUT)?,
            ))),
            n if n % 2 == 0 => Value::Blob(Zeroizing::new(field.to_vec())),
            _ => Value::Text(text(field, encoding).ok_or("a row holds text that is not valid")?),
        });
    }
    Ok(values)
}

/// A big-endian two's-complement integer of 1 to 8 bytes.
fn signed(bytes: &[u8]) -> i64 {
    let fill = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        0xff
    } else {
        0
    };
    let mut full = [fill; 8];
    full[8 - bytes.len()..].copy_from_slice(bytes);
    i64::from_be_bytes(full)
}

fn text(bytes: &[u8], encoding: Encoding) -> Option<Zeroizing<String>> {
    let units = |to_u16: fn([u8; 2]) -> u16| {
        let units = bytes.chunks_exact(2).map(|pair| to_u16([pair[0], pair[1]]));
        char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .ok()
    };
    let text = match encoding {
        Encoding::Utf8 => std::str::from_utf8(bytes).ok().map(str::to_string),
        _ if !bytes.len().is_multiple_of(2) => None,
        Encoding::Utf16Le => units(u16::from_le_bytes),
        Encoding::Utf16Be => units(u16::from_be_bytes),
    };
    text.map(Zeroizing::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The varint examples of the file format's section 1.6: one to nine bytes.
    #[test]
    fn varints_take_seven_bits_a_byte_and_eight_in_the_ninth() {
        assert_eq!(varint(&[0x7f]), Some((127, 1)));
        assert_eq!(varint(&[0x81, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0xff; 9]), Some((u64::MAX, 9)));
        assert_eq!(varint(&[0x81]), None);
    }

    #[test]
    fn records_decode_every_serial_type() {
        // Header: length 9, then NULL, 1-byte int, 2-byte int, 0, 1, text "ab", blob [7],
        // 8-byte float.
        let mut record = vec![9, 0, 1, 2, 8, 9, 17, 14, 7];
        record.extend_from_slice(&[0xfe]);
        record.extend_from_slice(&[0x01, 0x00]);
        record.extend_from_slice(b"ab");
        record.push(7);
        record.extend_from_slice(&1.5f64.to_bits().to_be_bytes());
        let values = decode(&record, Encoding::Utf8).unwrap();
        assert_eq!(
            values,
            [
                Value::Null,
                Value::Integer(-2),
                Value::Integer(256),
                Value::Integer(0),
                Value::Integer(1),
                Value::Text(Zeroizing::new("ab".to_string())),
                Value::Blob(Zeroizing::new(vec![7])),
                Value::Real(1.5),
            ]
        );
        assert_eq!(
            decode(&record[..record.len() - 1], Encoding::Utf8),
            Err("a row is cut short")
        );
        assert_eq!(
            decode(&[2, 10], Encoding::Utf8),
            Err("a row has a column type SQLite reserves")
        );
    }

    #[test]
    fn utf16_text_is_read_in_the_database_byte_order() {
        let le = decode(&[2, 21, b'h', 0, b'i', 0], Encoding::Utf16Le).unwrap();
        assert_eq!(le, [Value::Text(Zeroizing::new("hi".to_string()))]);
        let be = decode(&[2, 21, 0, b'h', 0, b'i'], Encoding::Utf16Be).unwrap();
        assert_eq!(be, le);
        assert!(decode(&[2, 15, 0], Encoding::Utf16Le).is_err());
    }
}
