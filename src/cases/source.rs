//! Reading an export file as rows of text: BOM, encoding (UTF-8 or Windows-1252, per field),
//! delimiter sniffing and header lookup. Rows stream; nothing but the current row is held.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use super::error::RunError;
use super::mapping::{Delimiter, Encoding, Mapping};
use super::row::{Row, decode, joined, without_cr};
use crate::line_ends::{LoneCrAsLf, line_start_at};
use crate::text::match_key;

/// Bytes read ahead to find the BOM and sniff the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

/// The bytes a reader sees: the sniffed head, then the rest of the file, lone CRs read as LF.
type Input = LoneCrAsLf<std::io::Chain<Cursor<Vec<u8>>, File>>;

/// One export file being read.
pub struct CsvSource {
    path: String,
    reader: csv::Reader<Input>,
    record: csv::ByteRecord,
    encoding: Encoding,
    delimiter: u8,
    headers: Vec<String>,
    /// Byte offset in the file of the reader's first byte (the BOM's length, or a part's start).
    start: u64,
    /// Fields that were not valid UTF-8 and were read as Windows-1252.
    pub windows_1252_fields: std::cell::Cell<u64>,
    /// Rows read so far (the header excluded).
    pub rows: u64,
    /// Line of the current row (see [`CsvSource::line`]).
    line: u64,
    /// The file's length, and whether its last byte ends a line: where a row without a line
    /// end can only be the last one.
    file_len: u64,
    ends_in_newline: bool,
}

impl CsvSource {
    /// Opens `path`, skips a UTF-8 BOM, sniffs the delimiter if the mapping says `auto`, and
    /// reads the header row.
    pub fn open(path: &Path, mapping: &Mapping) -> Result<Self, RunError> {
        let shown = path.display().to_string();
        let unreadable = |error: std::io::Error| RunError::Unreadable {
            path: shown.clone(),
            reason: crate::text::io_reason(&error),
        };
        let mut file = File::open(path).map_err(unreadable)?;
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(unreadable)?;
        if let Some(what) = not_text(&head) {
            return Err(RunError::NotText { path: shown, what });
        }
        let mut start = 0;
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            head.drain(..3);
            start = 3;
        }
        let delimiter = match mapping.delimiter {
            Delimiter::Byte(byte) => byte,
            Delimiter::Auto => crate::delimiter::sniff(&head),
        };
        let (file_len, ends_in_newline) = file_end(path).map_err(unreadable)?;
        let reader = reader_builder(delimiter).from_reader(LoneCrAsLf::new(Cursor::new(head).chain(file)));
        let mut source = Self {
            path: shown,
            reader,
            record: csv::ByteRecord::new(),
            encoding: mapping.encoding,
            delimiter,
            headers: Vec::new(),
            start,
            windows_1252_fields: std::cell::Cell::new(0),
            rows: 0,
            line: 0,
            file_len,
            ends_in_newline,
        };
        if !source.advance()? {
            return Err(RunError::Empty { path: source.path });
        }
        source.rows = 0;
        source.headers = (0..source.record.len())
            .map(|index| source.field(index).trim().to_owned())
            .collect();
        Ok(source)
    }

    /// A reader of the same file (same delimiter, encoding and headers) whose first row starts
    /// at byte `start`: for reading a large file in parts. Its `line()` counts from 1 at `start`.
    pub fn part(&self, start: u64) -> Result<Self, RunError> {
        use std::io::{Seek, SeekFrom};
        let unreadable = |error: std::io::Error| RunError::Unreadable {
            path: self.path.clone(),
            reason: crate::text::io_reason(&error),
        };
        let mut file = File::open(&self.path).map_err(unreadable)?;
        file.seek(SeekFrom::Start(start)).map_err(unreadable)?;
        let reader =
            reader_builder(self.delimiter).from_reader(LoneCrAsLf::new(Cursor::new(Vec::new()).chain(file)));
        Ok(Self {
            path: self.path.clone(),
            reader,
            record: csv::ByteRecord::new(),
            encoding: self.encoding,
            delimiter: self.delimiter,
            headers: self.headers.clone(),
            start,
            windows_1252_fields: std::cell::Cell::new(0),
            rows: 0,
            line: 0,
            file_len: self.file_len,
            ends_in_newline: self.ends_in_newline,
        })
    }

    /// Byte offset in the file where the current row starts.
    pub fn row_offset(&self) -> u64 {
        self.start + self.record.position().map_or(0, csv::Position::byte)
    }

    /// Byte offset in the file where the next row starts.
    pub fn next_offset(&self) -> u64 {
        self.start + self.reader.position().byte()
    }

    /// The path, as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The delimiter in use.
    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The header row.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Index of the first header matching one of `names` (ignoring case, tildes, spaces).
    pub fn column(&self, names: &[String]) -> Option<usize> {
        names.iter().find_map(|name| {
            let key = match_key(name);
            self.headers.iter().position(|header| match_key(header) == key)
        })
    }

    /// Reads the next row; `false` at the end of the file.
    pub fn advance(&mut self) -> Result<bool, RunError> {
        loop {
            match self.reader.read_byte_record(&mut self.record) {
                // A blank line of a CRLF file: skipped, as the reader skips blank LF lines.
                Ok(true) if self.record.len() == 1 && self.record.get(0) == Some(b"\r") => {}
                Ok(more) => {
                    if more {
                        self.rows += 1;
                        self.line = self.start_line();
                    }
                    return Ok(more);
                }
                Err(error) => {
                    let reason = match error.kind() {
                        csv::ErrorKind::Io(error) => crate::text::io_reason(error),
                        _ => format!("el archivo no se pudo leer como CSV ({error})"),
                    };
                    return Err(RunError::Unreadable {
                        path: self.path.clone(),
                        reason,
                    });
                }
            }
        }
    }

    /// Line of the current row in the file (1 is the header line).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// The line where the row just read starts. The reader's position for a row is where it
    /// began reading, before any blank lines it skipped; the blank lines are what the lines
    /// consumed leave after the row's own line breaks (inside quoted fields) and its line end.
    fn start_line(&self) -> u64 {
        let began = self.record.position().map_or(0, csv::Position::line);
        let consumed = self.reader.position().line().saturating_sub(began);
        let at_end = self.next_offset() >= self.file_len;
        let ended_by_line_break = !at_end || self.ends_in_newline;
        // The common case: one line, ended by a line break, no blank line before it.
        if consumed == 1 && !at_end {
            return began;
        }
        let inside = memchr::memchr_iter(b'\n', self.record.as_slice()).count() as u64;
        let blank = consumed.saturating_sub(inside + u64::from(ended_by_line_break));
        began + blank
    }

    /// Number of fields of the current row.
    pub fn len(&self) -> usize {
        self.record.len()
    }

    /// Whether the current row has no fields.
    pub fn is_empty(&self) -> bool {
        self.record.is_empty()
    }

    /// Field `index` of the current row as text (empty when absent).
    pub fn field(&self, index: usize) -> Cow<'_, str> {
        let last = index + 1 == self.record.len();
        let bytes = without_cr(self.record.get(index).unwrap_or_default(), last);
        let (text, windows_1252) = decode(bytes, self.encoding);
        if windows_1252 {
            self.windows_1252_fields.set(self.windows_1252_fields.get() + 1);
        }
        text
    }

    /// The current row, taken out of the reader (to be judged elsewhere).
    pub fn take_row(&mut self) -> Row {
        self.take_row_with(None)
    }

    /// The current row, taken out of the reader; `spare` (a record already read and done
    /// with) becomes the reader's record, so its buffers are reused.
    pub fn take_row_with(&mut self, spare: Option<csv::ByteRecord>) -> Row {
        let line = self.line();
        // Without a spare, the next row gets buffers of this row's size.
        let room = spare.unwrap_or_else(|| {
            csv::ByteRecord::with_capacity(self.record.as_slice().len(), self.record.len())
        });
        let record = std::mem::replace(&mut self.record, room);
        Row::new(record, line, self.encoding, self.delimiter)
    }

    /// The whole current row re-joined with the delimiter (for the rejected-rows file).
    pub fn raw_row(&self) -> String {
        joined((0..self.len()).map(|index| self.field(index)), self.delimiter)
    }
}

/// The length of the file at `path` and whether its last byte is a line break (LF or CR).
fn file_end(path: &Path) -> std::io::Result<(u64, bool)> {
    use std::io::{Seek, SeekFrom};
    let mut file = File::open(path)?;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok((0, false));
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0_u8; 1];
    file.read_exact(&mut last)?;
    Ok((len, matches!(last[0], b'\n' | b'\r')))
}

/// What the head of a file seems to be when it is not text an export can be: UTF-32 or UTF-16
/// (by their byte-order marks), or anything with NUL bytes (UTF-16 without a mark, a binary file
/// such as a workbook) in the header line, which no CSV text holds.
fn not_text(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(&[0xFF, 0xFE, 0, 0]) || head.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some("está en UTF-32")
    } else if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        Some("está en UTF-16")
    } else if head.starts_with(b"PK\x03\x04") {
        Some("es un libro de Excel (xlsx) o un zip, no un CSV")
    } else if head
        .split(|byte| *byte == b'\n' || *byte == b'\r')
        .next()
        .is_some_and(|header| header.contains(&0))
    {
        Some("no es texto: tiene bytes nulos (parece UTF-16 sin marca de orden, o un archivo binario)")
    } else {
        None
    }
}

/// Bytes read from the file at a time: large reads cost fewer system calls on big exports.
const READ_BUFFER: usize = 1 << 20;

/// The CSV reader of exports. Records end at `\n` only (the `\r` of a CRLF file is taken off the
/// last field by [`CsvSource::field`]): with csv's default CRLF handling, a record's position
/// would point at the `\n` left over from the previous line, one line too early.
fn reader_builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut builder = csv::ReaderBuilder::new();
    builder
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(READ_BUFFER)
        .terminator(csv::Terminator::Any(b'\n'));
    builder
}

/// The first offset at or after `offset` that starts a line of the file at `path` (the file's
/// length when no line starts there). A line ends at LF, CRLF or a lone CR: see
/// [`line_start_at`], applied to the file read a block at a time.
pub fn line_start_from(path: &str, offset: u64) -> std::io::Result<u64> {
    use std::io::{Seek, SeekFrom};
    if offset == 0 {
        return Ok(0);
    }
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset - 1))?;
    // `window` starts at file offset `position`; its first byte is the one before the offsets
    // still wanted (a CR there waits for the byte after it).
    let mut position = offset - 1;
    let mut window = Vec::with_capacity(64 * 1024 + 1);
    let mut block = vec![0_u8; 64 * 1024];
    loop {
        let read = file.read(&mut block)?;
        window.extend_from_slice(&block[..read]);
        if let Some(at) = line_start_at(&window, 1, read == 0) {
            return Ok(position + at as u64);
        }
        let keep = window.len() - 1;
        window.drain(..keep);
        position += keep as u64;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn wide_encodings_and_binary_files_are_named() {
        assert_eq!(not_text(b"\xFF\xFE\0\0C\0\0\0"), Some("está en UTF-32"));
        assert_eq!(not_text(b"\xFF\xFEC\0a\0"), Some("está en UTF-16"));
        assert!(not_text(b"C\0a\0s\0o\0").is_some_and(|w| w.contains("nulos")));
        assert_eq!(not_text(b"Caso,Servicio\n"), None);
    }

    pub(crate) mod line_ends {
        use proptest::prelude::*;

        use super::*;

        /// Every row the reader gives (line and fields), read from a file.
        fn rows(text: &str, name: &str) -> Vec<(u64, Vec<String>)> {
            let path = std::env::temp_dir().join(format!("pauta-ends-{}-{name}.csv", std::process::id()));
            let _ = std::fs::write(&path, text);
            let mapping = Mapping::embedded().unwrap_or_else(|e| panic!("{e}"));
            let mut found = Vec::new();
            if let Ok(mut source) = CsvSource::open(&path, &mapping) {
                while source.advance().unwrap_or(false) {
                    let fields = (0..source.len()).map(|i| source.field(i).into_owned()).collect();
                    found.push((source.line(), fields));
                }
            }
            let _ = std::fs::remove_file(path);
            found
        }

        proptest! {
            /// LF, CRLF and CR-only versions of any export give the same rows on the same lines,
            /// and the lines are those of the LF text (counted independently).
            #[test]
            fn every_line_end_gives_the_same_rows(text in crate::line_ends::tests::export()) {
                let lf = rows(&text, "lf");
                let crlf = rows(&text.replace('\n', "\r\n"), "crlf");
                let cr = rows(&text.replace('\n', "\r"), "cr");
                prop_assert_eq!(&crlf, &lf);
                prop_assert_eq!(&cr, &lf);
                // Rows are the non-blank lines after the header, numbered from 1.
                let expected: Vec<u64> = text
                    .split('\n')
                    .enumerate()
                    .skip(1)
                    .filter(|(_, line)| !line.is_empty())
                    .map(|(index, _)| index as u64 + 1)
                    .collect();
                let got: Vec<u64> = lf.iter().map(|(line, _)| *line).collect();
                prop_assert_eq!(got, expected);
            }
        }
    }
}
