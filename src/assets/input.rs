//! CSV files as requesters send them: UTF-8, UTF-8 with BOM or Windows-1252 (what Excel writes as
//! "CSV"), delimited by `,` or `;`. Decodes once into text and remembers how to write it back.

use serde::Serialize;

use crate::line_ends::{LineEnd, lone_cr_to_lf};

/// The text encoding of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 without byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// Windows-1252 (Excel's plain "CSV" on a Spanish Windows).
    Windows1252,
}

impl TextEncoding {
    /// Name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 con BOM",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }

    /// Encode text back into this encoding (BOM included). Characters Windows-1252 cannot hold
    /// become numeric references; they cannot occur in text that came from such a file.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            TextEncoding::Utf8 => text.as_bytes().to_vec(),
            TextEncoding::Utf8Bom => {
                let mut out = Vec::with_capacity(text.len() + 3);
                out.extend_from_slice(b"\xEF\xBB\xBF");
                out.extend_from_slice(text.as_bytes());
                out
            }
            TextEncoding::Windows1252 => encoding_rs::WINDOWS_1252.encode(text).0.into_owned(),
        }
    }
}

/// A decoded CSV file.
#[derive(Debug, Clone)]
pub struct CsvText {
    /// The text, without BOM.
    pub text: String,
    /// How it was encoded.
    pub encoding: TextEncoding,
    /// Field delimiter (`,` or `;`).
    pub delimiter: u8,
    /// How its lines end (a lone CR was read as LF in `text`; the output writes it back).
    pub line_end: LineEnd,
}

/// Decode the bytes of a CSV file: a UTF-8 BOM means UTF-8; otherwise valid UTF-8 is UTF-8 and
/// anything else is read as Windows-1252 (which maps every byte). The delimiter is the more
/// frequent of `;` and `,` outside quotes on the first line (`,` on a tie).
pub fn decode(mut bytes: Vec<u8>) -> CsvText {
    let line_end = LineEnd::of(&bytes);
    lone_cr_to_lf(&mut bytes, None);
    let (text, encoding) = if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
        match String::from_utf8(bytes) {
            Ok(text) => (text, TextEncoding::Utf8Bom),
            Err(e) => (
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(e.as_bytes())
                    .0
                    .into_owned(),
                TextEncoding::Windows1252,
            ),
        }
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => (text, TextEncoding::Utf8),
            Err(e) => (
                encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(e.as_bytes())
                    .0
                    .into_owned(),
                TextEncoding::Windows1252,
            ),
        }
    };
    let first_line = text.split('\n').next().unwrap_or("");
    let delimiter = sniff_delimiter(first_line);
    CsvText {
        text,
        encoding,
        delimiter,
        line_end,
    }
}

/// The delimiter of the header line: the same sniffer as the Aranda exports (`,`, `;` or tab,
/// the most frequent outside quotes), so a tab-separated list reads like the rest.
pub fn sniff_delimiter(line: &str) -> u8 {
    crate::delimiter::sniff(line.as_bytes())
}

/// A CSV reader over decoded text: headers on, rows of any length (checked by the caller).
pub fn reader(csv: &CsvText) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .delimiter(csv.delimiter)
        .has_headers(true)
        .flexible(true)
        .from_reader(csv.text.as_bytes())
}

/// A CSV writer in the same dialect (delimiter, line ending) into memory; rows may differ in
/// length (a row of the errors file keeps the fields it had).
pub fn writer(csv: &CsvText) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .flexible(true)
        .delimiter(csv.delimiter)
        .terminator(match csv.line_end {
            LineEnd::Crlf => csv::Terminator::CRLF,
            LineEnd::Lf => csv::Terminator::Any(b'\n'),
            LineEnd::Cr => csv::Terminator::Any(b'\r'),
        })
        .from_writer(Vec::new())
}

/// Line numbers of records from their byte offsets. The `csv` crate's own line count is one
/// short after `\r\n` endings (the record "starts" at the `\n`), so lines are counted here: the
/// record starts at the first byte after its offset that is not a line break.
pub struct LineCounter<'a> {
    text: &'a [u8],
    pos: usize,
    line: u64,
    first: u64,
}

impl<'a> LineCounter<'a> {
    /// A counter over the decoded text.
    pub fn new(csv: &'a CsvText) -> Self {
        Self::over(csv.text.as_bytes(), 1)
    }

    /// A counter over part of a text whose first byte is on line `first_line`.
    pub fn over(text: &'a [u8], first_line: u64) -> Self {
        LineCounter {
            text,
            pos: 0,
            line: first_line,
            first: first_line,
        }
    }

    /// The 1-based line of a record whose position starts at byte `offset` (increasing offsets
    /// cost only the bytes in between).
    pub fn line_at(&mut self, offset: u64) -> u64 {
        let start = record_start(self.text, offset);
        if start < self.pos {
            // Offsets went backwards: count again from the start of the text.
            self.line -= self
                .text
                .get(start..self.pos)
                .map_or(0, |s| s.iter().filter(|b| **b == b'\n').count()) as u64;
            self.pos = start;
            return self.line;
        }
        let newlines = self
            .text
            .get(self.pos..start)
            .map_or(0, |s| s.iter().filter(|b| **b == b'\n').count());
        self.line += newlines as u64;
        self.pos = start;
        self.line
    }

    /// Line breaks between the start of the text and `end` (bytes counted only once).
    pub fn newlines_before(&mut self, end: usize) -> u64 {
        let end = end.min(self.text.len());
        if end > self.pos {
            self.line += self
                .text
                .get(self.pos..end)
                .map_or(0, |s| s.iter().filter(|b| **b == b'\n').count()) as u64;
            self.pos = end;
        }
        self.line - self.first
    }

    /// The line of a record read by the csv reader.
    pub fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        position.map_or(0, |p| self.line_at(p.byte()))
    }
}

/// Where a record whose csv position is `offset` really starts: after any line-break bytes.
pub fn record_start(text: &[u8], offset: u64) -> usize {
    let mut start = usize::try_from(offset).unwrap_or(usize::MAX).min(text.len());
    while matches!(text.get(start), Some(b'\r' | b'\n')) {
        start += 1;
    }
    start
}

/// The index of the first header whose match key (case, tildes, spaces ignored) is one of `names`.
pub fn find_column<'a, I>(headers: &csv::StringRecord, names: I) -> Option<usize>
where
    I: IntoIterator<Item = &'a str>,
{
    let keys: Vec<String> = names.into_iter().map(crate::text::match_key).collect();
    headers
        .iter()
        .position(|h| keys.contains(&crate::text::match_key(h)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_three_encodings() {
        let utf8 = decode("Nombre;Cédula\n".as_bytes().to_vec());
        assert_eq!(utf8.encoding, TextEncoding::Utf8);
        assert_eq!(utf8.delimiter, b';');
        let bom = decode(b"\xEF\xBB\xBFNombre,C\xC3\xA9dula\r\n".to_vec());
        assert_eq!(bom.encoding, TextEncoding::Utf8Bom);
        assert_eq!(bom.text, "Nombre,Cédula\r\n");
        assert_eq!(bom.line_end, LineEnd::Crlf);
        let ansi = decode(b"Nombre;C\xE9dula\n".to_vec());
        assert_eq!(ansi.encoding, TextEncoding::Windows1252);
        assert_eq!(ansi.text, "Nombre;Cédula\n");
        assert_eq!(TextEncoding::Windows1252.encode("Cédula"), b"C\xE9dula");
    }

    #[test]
    fn lines_are_right_with_crlf_and_blank_lines() {
        let cases = [
            ("h\r\na\r\nb\r\n\r\nc\r\n", [2, 3, 5]),
            ("h\na\nb\n\nc\n", [2, 3, 5]),
            ("h\na\n\"b\nb\"\n\nc", [2, 3, 6]),
        ];
        for (text, expected) in cases {
            let csv = decode(text.as_bytes().to_vec());
            let mut lines = LineCounter::new(&csv);
            let mut reader = reader(&csv);
            let found: Vec<u64> = reader
                .records()
                .map(|r| r.map(|r| lines.of(r.position())).unwrap_or(0))
                .collect();
            assert_eq!(found, expected, "{text:?}");
        }
    }

    #[test]
    fn delimiter_ignores_quoted_commas() {
        assert_eq!(sniff_delimiter("\"a,b,c\";d;e"), b';');
        assert_eq!(sniff_delimiter("a,b;c,d"), b',');
        assert_eq!(
            sniff_delimiter("Nombre\tApellido\tNúmero de cédula\tMensaje, hola"),
            b'\t'
        );
    }

    proptest::proptest! {
        /// The publication-file reader gives the same records on the same lines for LF, CRLF
        /// and CR-only versions of any export.
        #[test]
        fn every_line_end_gives_the_same_records(text in crate::line_ends::tests::export()) {
            let read = |text: String| {
                let csv = decode(text.into_bytes());
                let mut lines = LineCounter::new(&csv);
                let mut reader = reader(&csv);
                reader
                    .records()
                    .map(|r| r.map(|r| (lines.of(r.position()), r.iter().map(str::to_owned).collect::<Vec<_>>())).ok())
                    .collect::<Vec<_>>()
            };
            let lf = read(text.clone());
            proptest::prop_assert_eq!(&read(text.replace('\n', "\r\n")), &lf);
            proptest::prop_assert_eq!(&read(text.replace('\n', "\r")), &lf);
        }
    }
}
