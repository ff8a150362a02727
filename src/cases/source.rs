//! Reading an export file as rows of text: BOM, encoding (UTF-8 or Windows-1252, per field),
//! delimiter sniffing and header lookup. Rows stream; nothing but the current row is held.

use std::borrow::Cow;
use std::fs::File;
use std::io::{Cursor, Read};
use std::path::Path;

use super::error::RunError;
use super::mapping::{Delimiter, Encoding, Mapping};
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
        if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
            head.drain(..3);
        }
        let delimiter = match mapping.delimiter {
            Delimiter::Byte(byte) => byte,
            Delimiter::Auto => sniff_delimiter(&head),
        };
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(Cursor::new(head).chain(file));
        let mut source = Self {
            path: shown,
            reader,
            record: csv::ByteRecord::new(),
            encoding: mapping.encoding,
            delimiter,
            headers: Vec::new(),
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
        match self.reader.read_byte_record(&mut self.record) {
            Ok(more) => {
                if more {
                    self.rows += 1;
                }
                Ok(more)
            }
            Err(error) => Err(RunError::Unreadable {
                path: self.path.clone(),
                reason: error.to_string(),
            }),
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
        let bytes = self.record.get(index).unwrap_or_default();
        match self.encoding {
            Encoding::Auto => match std::str::from_utf8(bytes) {
                Ok(text) => Cow::Borrowed(text),
                Err(_) => {
                    self.windows_1252_fields.set(self.windows_1252_fields.get() + 1);
                    encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0
                }
            },
            Encoding::Utf8 => String::from_utf8_lossy(bytes),
            Encoding::Windows1252 => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
        }
    }

    /// The whole current row re-joined with the delimiter (for the rejected-rows file).
    pub fn raw_row(&self) -> String {
        let separator = char::from(self.delimiter).to_string();
        (0..self.len())
            .map(|index| self.field(index).into_owned())
            .collect::<Vec<_>>()
            .join(&separator)
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
