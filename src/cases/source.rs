//! Reading an export file as rows of text: BOM, encoding (UTF-8 or Windows-1252, per field),
//! delimiter sniffing and header lookup. Rows stream; nothing but the current row is held.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use super::error::RunError;
use super::mapping::{Delimiter, Encoding, Mapping};
use super::row::{Row, decode, joined, without_cr};
use crate::text::match_key;

/// Bytes read ahead to find the BOM and sniff the delimiter.
const SNIFF_BYTES: usize = 64 * 1024;

type Input = std::io::Chain<Cursor<Vec<u8>>, File>;

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
}

impl CsvSource {
    /// Opens `path`, skips a UTF-8 BOM, sniffs the delimiter if the mapping says `auto`, and
    /// reads the header row.
    pub fn open(path: &Path, mapping: &Mapping) -> Result<Self, RunError> {
        let shown = path.display().to_string();
        let unreadable = |error: std::io::Error| RunError::Unreadable {
            path: shown.clone(),
            reason: error.to_string(),
        };
        let mut file = File::open(path).map_err(unreadable)?;
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        (&mut file)
            .take(SNIFF_BYTES as u64)
            .read_to_end(&mut head)
            .map_err(unreadable)?;
        if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
            return Err(RunError::Utf16 { path: shown });
        }
        let mut start = 0;
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            head.drain(..3);
            start = 3;
        }
        let delimiter = match mapping.delimiter {
            Delimiter::Byte(byte) => byte,
            Delimiter::Auto => sniff_delimiter(&head),
        };
        let reader = reader_builder(delimiter).from_reader(Cursor::new(head).chain(file));
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
            reason: error.to_string(),
        };
        let mut file = File::open(&self.path).map_err(unreadable)?;
        file.seek(SeekFrom::Start(start)).map_err(unreadable)?;
        let reader = reader_builder(self.delimiter).from_reader(Cursor::new(Vec::new()).chain(file));
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
                    }
                    return Ok(more);
                }
                Err(error) => {
                    return Err(RunError::Unreadable {
                        path: self.path.clone(),
                        reason: error.to_string(),
                    });
                }
            }
        }
    }

    /// Line of the current row in the file (1 is the header line).
    pub fn line(&self) -> u64 {
        self.record.position().map_or(0, csv::Position::line)
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
/// length when no line starts there).
pub fn line_start_from(path: &str, offset: u64) -> std::io::Result<u64> {
    use std::io::{Seek, SeekFrom};
    if offset == 0 {
        return Ok(0);
    }
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(offset - 1))?;
    let mut position = offset - 1;
    let mut buffer = vec![0_u8; 64 * 1024];
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(position);
        }
        if let Some(index) = buffer[..read].iter().position(|b| *b == b'\n') {
            return Ok(position + index as u64 + 1);
        }
        position += read as u64;
    }
}

/// The most frequent of `,`, `;` and tab outside quotes in the first line (`,` on a tie or none).
pub fn sniff_delimiter(head: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for byte in head {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            _ if !quoted => {
                for (delimiter, count) in &mut counts {
                    if byte == delimiter {
                        *count += 1;
                    }
                }
            }
            _ => {}
        }
    }
    counts
        .iter()
        .fold(
            (b',', 0),
            |best, &(delimiter, count)| {
                if count > best.1 { (delimiter, count) } else { best }
            },
        )
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_the_header_delimiter() {
        assert_eq!(sniff_delimiter(b"Caso;Servicio;Estado\n1;a,b;c"), b';');
        assert_eq!(sniff_delimiter(b"Caso,Servicio,\"x;y;z\"\n"), b',');
        assert_eq!(sniff_delimiter(b"Caso\tServicio\n"), b'\t');
        assert_eq!(sniff_delimiter(b"Caso\n"), b',');
    }
}
