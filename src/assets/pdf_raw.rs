//! Metadata found in a PDF's raw bytes, whatever its structure says: Info keys with a string value
//! (`/Author (…)`, `/Producer <…>`…) and XMP packets. A damaged file may hide its Info dictionary
//! from the parser, and an edited one may keep an older dictionary that nothing refers to any
//! more; both are still in the file that gets published. For a damaged file the compressed
//! streams are inflated (within the budget) and searched too.

use flate2::read::ZlibDecoder;

use super::bounded::{self, ReadError};
use super::limits::Budget;

/// The Info keys searched for, in report order.
pub const KEYS: [&str; 5] = ["Author", "Creator", "Producer", "CreationDate", "ModDate"];

/// What starts an XMP packet.
const XMP_MARKERS: [&[u8]; 2] = [b"<x:xmpmeta", b"<?xpacket begin"];

/// The most bytes of one value kept.
const MAX_VALUE_BYTES: usize = 512;

/// An Info key with a non-empty string value, found in the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawKey {
    /// One of [`KEYS`].
    pub key: &'static str,
    /// The string's bytes, unescaped (decode with the PDF text rules).
    pub value: Vec<u8>,
}

/// What the bytes hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawMetadata {
    /// The first occurrence of each key, in [`KEYS`] order.
    pub keys: Vec<RawKey>,
    /// An XMP packet was found.
    pub xmp: bool,
}

impl RawMetadata {
    fn add_key(&mut self, key: &'static str, value: Vec<u8>) {
        if !self.keys.iter().any(|k| k.key == key) {
            self.keys.push(RawKey { key, value });
        }
    }

    fn sort(&mut self) {
        self.keys
            .sort_by_key(|k| KEYS.iter().position(|key| *key == k.key).unwrap_or(KEYS.len()));
    }
}

fn is_regular(b: u8) -> bool {
    !b.is_ascii_whitespace() && b != 0 && !b"()<>[]{}/%".contains(&b)
}

/// A literal string's bytes from just after its `(`, unescaped, up to [`MAX_VALUE_BYTES`].
fn literal(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut depth = 0u32;
    let mut iter = bytes.iter().copied().peekable();
    while let Some(b) = iter.next() {
        if out.len() >= MAX_VALUE_BYTES {
            break;
        }
        match b {
            b'\\' => match iter.next() {
                Some(b'n') => out.push(b'\n'),
                Some(b'r') => out.push(b'\r'),
                Some(b't') => out.push(b'\t'),
                Some(b'b') => out.push(8),
                Some(b'f') => out.push(12),
                Some(d @ b'0'..=b'7') => {
                    let mut value = u32::from(d - b'0');
                    for _ in 0..2 {
                        match iter.peek() {
                            Some(d @ b'0'..=b'7') => {
                                value = value * 8 + u32::from(d - b'0');
                                iter.next();
                            }
                            _ => break,
                        }
                    }
                    out.push((value & 0xFF) as u8);
                }
                Some(b'\r' | b'\n') | None => {}
                Some(other) => out.push(other),
            },
            b'(' => {
                depth += 1;
                out.push(b);
            }
            b')' if depth == 0 => break,
            b')' => {
                depth -= 1;
                out.push(b);
            }
            _ => out.push(b),
        }
    }
    out
}

/// A hexadecimal string's bytes from just after its `<`.
fn hex(bytes: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = bytes
        .iter()
        .take_while(|b| **b != b'>')
        .filter_map(|b| char::from(*b).to_digit(16).map(|d| d as u8))
        .take(MAX_VALUE_BYTES * 2)
        .collect();
    digits
        .chunks(2)
        .map(|pair| match pair {
            [hi, lo] => hi << 4 | lo,
            [hi] => hi << 4,
            _ => 0,
        })
        .collect()
}

/// Search `bytes` (raw file bytes or an inflated stream) for the keys and XMP.
fn scan(bytes: &[u8], found: &mut RawMetadata) {
    if !found.xmp {
        found.xmp = XMP_MARKERS
            .iter()
            .any(|marker| bytes.windows(marker.len()).any(|w| w == *marker));
    }
    for (at, _) in bytes.iter().enumerate().filter(|(_, b)| **b == b'/') {
        let rest = bytes.get(at + 1..).unwrap_or_default();
        let Some(key) = KEYS.iter().find(|k| rest.starts_with(k.as_bytes())) else {
            continue;
        };
        let after = rest.get(key.len()..).unwrap_or_default();
        if after.first().is_some_and(|b| is_regular(*b)) {
            continue;
        }
        let start = after
            .iter()
            .position(|b| !b.is_ascii_whitespace() && *b != 0)
            .unwrap_or(after.len());
        let value = match after.get(start..).unwrap_or_default() {
            [b'(', body @ ..] => literal(body),
            [b'<', b'<', ..] => continue,
            [b'<', body @ ..] => hex(body),
            _ => continue,
        };
        let blank = value.iter().all(|b| b.is_ascii_whitespace() || *b == 0)
            || value == [0xFE, 0xFF]
            || value == [0xEF, 0xBB, 0xBF];
        if !blank {
            found.add_key(key, value);
        }
    }
}

/// Decode the `#xx` escapes of names in `bytes` (`/Obj#53tm` is `/ObjStm`).
fn unescape_names(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'#', Some(value)) => {
                out.push(value);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// How many streams the PDF library decodes while loading the file (object streams and
/// cross-reference streams), counted generously: every `stream` keyword whose preceding bytes
/// (back to the previous keyword) name `ObjStm` or `XRef`. Every real one is counted at least
/// once, however its dictionary is written, so a per-stream limit of `total / count` bounds the
/// total.
pub fn load_time_streams(bytes: &[u8]) -> usize {
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = bytes
        .get(from..)
        .and_then(|rest| rest.windows(6).position(|w| w == b"stream"))
    {
        let region = unescape_names(bytes.get(from..from + at).unwrap_or_default());
        if region.windows(6).any(|w| w == b"ObjStm") || region.windows(4).any(|w| w == b"XRef") {
            count += 1;
        }
        from += at + 6;
    }
    count
}

/// The metadata in a file's bytes as they are (uncompressed parts only).
pub fn in_bytes(bytes: &[u8]) -> RawMetadata {
    let mut found = RawMetadata::default();
    scan(bytes, &mut found);
    found.sort();
    found
}

/// [`in_bytes`], and inside every stream that inflates as zlib data, within the budget (for a
/// file whose structure cannot be trusted).
pub fn in_bytes_and_streams(bytes: &[u8], budget: &mut Budget) -> RawMetadata {
    let mut found = RawMetadata::default();
    scan(bytes, &mut found);
    let mut from = 0;
    while let Some(at) = bytes
        .get(from..)
        .and_then(|rest| rest.windows(6).position(|w| w == b"stream"))
    {
        let keyword = from + at;
        from = keyword + 6;
        if bytes.get(keyword.saturating_sub(3)..keyword) == Some(b"end".as_slice()) {
            continue;
        }
        let data = match bytes.get(from..from + 2) {
            Some([b'\r', b'\n']) => from + 2,
            Some([b'\n', _]) | Some([b'\r', _]) => from + 1,
            _ => continue,
        };
        if budget.remaining() == 0 {
            break;
        }
        match bounded::hold(ZlibDecoder::new(bytes.get(data..).unwrap_or_default()), budget) {
            Ok(inflated) => scan(&inflated, &mut found),
            Err(ReadError::TooLarge { .. } | ReadError::Damaged(_)) => {}
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_with_string_values_are_found() {
        let found = in_bytes(
            b"1 0 obj << /Producer <FEFF0041> /Author (Juan \\(JP\\) P\\351rez) /Creator () /ModDate/Foo /CreationDate (D:2025) >> endobj /Authors (x) /Author<</A 1>>",
        );
        let keys: Vec<(&str, Vec<u8>)> = found.keys.iter().map(|k| (k.key, k.value.clone())).collect();
        assert_eq!(
            keys,
            vec![
                ("Author", b"Juan (JP) P\xe9rez".to_vec()),
                ("Producer", vec![0xFE, 0xFF, 0x00, 0x41]),
                ("CreationDate", b"D:2025".to_vec()),
            ]
        );
        assert!(!found.xmp);
        assert!(in_bytes(b"<?xpacket begin=\"\"?><x:xmpmeta>").xmp);
    }

    #[test]
    fn load_time_streams_are_counted_however_their_names_are_written() {
        let file = b"1 0 obj << /Type /ObjStm /N 1 >> stream\nxx\nendstream endobj \
            2 0 obj << /Type /Obj#53tm /Note (stream) >> stream\nyy\nendstream endobj \
            3 0 obj << /Type /XRef >> stream\nzz\nendstream endobj \
            4 0 obj << /Length 2 >> stream\nObjSt\nendstream endobj";
        assert_eq!(load_time_streams(file), 3);
        assert_eq!(load_time_streams(b"%PDF-1.7 no streams"), 0);
    }

    #[test]
    fn compressed_streams_are_searched_within_the_budget() {
        use std::io::Write;
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = encoder.write_all(b"5 0 obj << /Author (Ana) >>");
        let data = encoder.finish().unwrap_or_default();
        let mut file = b"1 0 obj << /Length 9 >>\nstream\n".to_vec();
        file.extend_from_slice(&data);
        file.extend_from_slice(b"\nendstream\nendobj\n");
        let mut budget = Budget::for_size(file.len() as u64);
        assert!(in_bytes(&file).keys.is_empty());
        let found = in_bytes_and_streams(&file, &mut budget);
        assert_eq!(found.keys.first().map(|k| k.key), Some("Author"));
    }
}
