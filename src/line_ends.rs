//! Line ends of text inputs: LF (Unix), CRLF (Windows) and a lone CR (old Mac, some exporters)
//! all end a line. Every reader of the project turns a lone CR into LF *byte for byte* before
//! reading, so offsets, spans and line numbers stay those of the file on disk, and the LF/CRLF
//! logic downstream needs no third case.

use std::io::Read;

/// How the lines of a text end, as first seen in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LineEnd {
    /// `\n` (also when the text has no line break at all).
    #[default]
    Lf,
    /// `\r\n`.
    Crlf,
    /// `\r` alone.
    Cr,
}

impl LineEnd {
    /// The first line end of `bytes` (LF when there is none).
    pub fn of(bytes: &[u8]) -> Self {
        match memchr::memchr2(b'\r', b'\n', bytes) {
            Some(at) if bytes[at] == b'\r' => match bytes.get(at + 1) {
                Some(b'\n') => LineEnd::Crlf,
                // A CR as the last byte read: a CR-only file of one line, or a cut CRLF; the
                // byte after it decides, and a one-line file is read the same either way.
                _ => LineEnd::Cr,
            },
            _ => LineEnd::Lf,
        }
    }

    /// The bytes that end a line in this style.
    pub fn as_bytes(self) -> &'static [u8] {
        match self {
            LineEnd::Lf => b"\n",
            LineEnd::Crlf => b"\r\n",
            LineEnd::Cr => b"\r",
        }
    }
}

/// The first offset at or after `offset` that starts a line of `bytes`, a line ending at LF,
/// CRLF or a lone CR (no quotes are looked at: a split there may fall inside a quoted field, and
/// the readers of parts check that). When no line end is found, `bytes.len()` if `bytes` is the
/// whole text (`complete`), else `None`; a CR as the last byte is also `None` unless `complete`,
/// because the byte after it decides where its line ends.
pub fn line_start_at(bytes: &[u8], offset: usize, complete: bool) -> Option<usize> {
    if offset == 0 {
        return Some(0);
    }
    let from = offset - 1;
    let found = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr2(b'\n', b'\r', rest))
        .map(|index| from + index);
    match found {
        Some(at) if bytes[at] == b'\n' => Some(at + 1),
        Some(at) => match bytes.get(at + 1) {
            Some(next) => Some(at + 1 + usize::from(*next == b'\n')),
            None => complete.then_some(at + 1),
        },
        None => complete.then_some(bytes.len()),
    }
}

/// Turns every CR of `bytes` that is not followed by LF into LF, in place. `next` is the byte
/// that follows `bytes` in the stream (`None` at its end). Returns whether anything changed.
pub fn lone_cr_to_lf(bytes: &mut [u8], next: Option<u8>) -> bool {
    let mut changed = false;
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'\r', &bytes[from..]) {
        let at = from + found;
        let followed_by_lf = match bytes.get(at + 1) {
            Some(byte) => *byte == b'\n',
            None => next == Some(b'\n'),
        };
        if !followed_by_lf {
            bytes[at] = b'\n';
            changed = true;
        }
        from = at + 1;
    }
    changed
}

/// `text` with every lone CR turned into LF (borrowed when there is none).
pub fn normalise(text: &str) -> std::borrow::Cow<'_, str> {
    if !has_lone_cr(text.as_bytes()) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        out.push(if ch == '\r' && chars.peek() != Some(&'\n') {
            '\n'
        } else {
            ch
        });
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `bytes` hold a CR not followed by LF.
pub fn has_lone_cr(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'))
}

/// A reader that hands out the bytes of `inner` with every lone CR turned into LF: same length,
/// same offsets. A CR that ends one read waits for the next byte to be known.
pub struct LoneCrAsLf<R> {
    inner: R,
    /// A byte read ahead to decide a CR at the end of the previous read.
    ahead: Option<u8>,
}

impl<R: Read> LoneCrAsLf<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        Self { inner, ahead: None }
    }
}

impl<R: Read> Read for LoneCrAsLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let mut filled = 0;
        if let Some(byte) = self.ahead.take() {
            buf[0] = byte;
            filled = 1;
        }
        if filled < buf.len() {
            filled += self.inner.read(&mut buf[filled..])?;
        }
        if filled == 0 {
            return Ok(0);
        }
        let next = if buf[filled - 1] == b'\r' {
            let mut one = [0_u8; 1];
            let got = loop {
                match self.inner.read(&mut one) {
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                    other => break other?,
                }
            };
            if got == 1 {
                self.ahead = Some(one[0]);
                Some(one[0])
            } else {
                None
            }
        } else {
            None
        };
        lone_cr_to_lf(&mut buf[..filled], next);
        Ok(filled)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use proptest::prelude::*;

    /// An export as text with LF line ends: a header, rows of random fields (quoted when
    /// they hold a delimiter or a quote) and blank lines here and there.
    pub fn export() -> impl Strategy<Value = String> {
        let field = "[a-zA-Z0-9 ñé;,\"]{0,8}";
        let row = proptest::collection::vec(field, 1..5);
        (
            proptest::collection::vec((row, any::<bool>()), 0..30),
            any::<bool>(),
        )
            .prop_map(|(rows, final_break)| {
                let quoted = |field: &String| {
                    if field.contains([',', ';', '"']) {
                        format!("\"{}\"", field.replace('"', "\"\""))
                    } else {
                        field.clone()
                    }
                };
                let mut text = String::from("Caso,Servicio,Estado\n");
                for (row, blank_after) in &rows {
                    text.push_str(&row.iter().map(quoted).collect::<Vec<_>>().join(","));
                    text.push('\n');
                    if *blank_after {
                        text.push('\n');
                    }
                }
                if !final_break {
                    while text.ends_with('\n') {
                        text.pop();
                    }
                }
                text
            })
    }

    #[test]
    fn lone_crs_become_lf_and_crlf_stays() {
        let mut bytes = b"a\rb\r\nc\r".to_vec();
        assert!(lone_cr_to_lf(&mut bytes, None));
        assert_eq!(bytes, b"a\nb\r\nc\n");
        let mut split = b"x\r".to_vec();
        assert!(!lone_cr_to_lf(&mut split, Some(b'\n')));
        assert_eq!(split, b"x\r");
    }

    #[test]
    fn line_starts_follow_every_line_end() {
        let text = b"ab\ncd\r\nef\rgh";
        let starts: Vec<Option<usize>> = (0..=text.len() + 1)
            .map(|offset| line_start_at(text, offset, true))
            .collect();
        let expected = [0, 3, 3, 3, 7, 7, 7, 7, 10, 10, 10, 12, 12, 12];
        assert_eq!(starts, expected.map(Some).to_vec());
        assert_eq!(line_start_at(b"ab", 1, false), None);
        assert_eq!(line_start_at(b"ab\r", 1, false), None);
        assert_eq!(line_start_at(b"ab\r", 1, true), Some(3));
    }

    #[test]
    fn the_first_line_end_names_the_style() {
        assert_eq!(LineEnd::of(b"a,b\nc"), LineEnd::Lf);
        assert_eq!(LineEnd::of(b"a,b\r\nc"), LineEnd::Crlf);
        assert_eq!(LineEnd::of(b"a,b\rc"), LineEnd::Cr);
        assert_eq!(LineEnd::of(b"a,b"), LineEnd::Lf);
    }

    proptest! {
        /// Read through the adapter in reads of any size, a text is what `lone_cr_to_lf` makes
        /// of it at once.
        #[test]
        fn the_reader_equals_the_whole_text_rewrite(
            text in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a')], 0..64),
            chunk in 1_usize..8,
        ) {
            let mut expected = text.clone();
            lone_cr_to_lf(&mut expected, None);
            let mut reader = LoneCrAsLf::new(std::io::Cursor::new(text));
            let mut got = Vec::new();
            let mut buf = vec![0_u8; chunk];
            loop {
                let n = reader.read(&mut buf).map_err(|e| TestCaseError::fail(e.to_string()))?;
                if n == 0 { break; }
                got.extend_from_slice(&buf[..n]);
            }
            prop_assert_eq!(got, expected);
        }
    }
}
