//! One row of an export taken out of its reader, so it can be judged on another thread than
//! the one that reads the file. Valid UTF-8 rows are validated once, as a whole; others keep
//! their bytes and decode each field (Windows-1252 where it is not UTF-8).

use std::borrow::Cow;

use super::mapping::Encoding;

/// A row of an export with its line.
#[derive(Debug, Clone)]
pub struct Row {
    text: Option<csv::StringRecord>,
    bytes: csv::ByteRecord,
    line: u64,
    encoding: Encoding,
    delimiter: u8,
    /// Fields that were not valid UTF-8 and are read as Windows-1252.
    pub windows_1252_fields: u64,
}

/// A field's bytes as text under `encoding`, and whether they were read as Windows-1252
/// because they were not valid UTF-8.
pub fn decode(bytes: &[u8], encoding: Encoding) -> (Cow<'_, str>, bool) {
    match encoding {
        Encoding::Auto => match std::str::from_utf8(bytes) {
            Ok(text) => (Cow::Borrowed(text), false),
            Err(_) => (
                encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
                true,
            ),
        },
        Encoding::Utf8 => (String::from_utf8_lossy(bytes), false),
        Encoding::Windows1252 => (
            encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
            false,
        ),
    }
}

/// Fields re-joined with the delimiter, as the row is shown in the rejected-rows file.
pub fn joined<'f>(fields: impl Iterator<Item = Cow<'f, str>>, delimiter: u8) -> String {
    let separator = char::from(delimiter).to_string();
    fields.collect::<Vec<_>>().join(&separator)
}

/// The last field of a CRLF row ends with the `\r` (records end at `\n`).
pub fn without_cr<T: AsRef<[u8]> + ?Sized>(value: &T, last: bool) -> &[u8] {
    let bytes = value.as_ref();
    if last {
        bytes.strip_suffix(b"\r").unwrap_or(bytes)
    } else {
        bytes
    }
}

impl Row {
    /// The row of `record`, read at `line`.
    pub fn new(record: csv::ByteRecord, line: u64, encoding: Encoding, delimiter: u8) -> Self {
        let (text, bytes) = match encoding {
            Encoding::Windows1252 => (None, record),
            Encoding::Auto | Encoding::Utf8 => match csv::StringRecord::from_byte_record(record) {
                Ok(text) => (Some(text), csv::ByteRecord::new()),
                Err(error) => (None, error.into_byte_record()),
            },
        };
        let windows_1252_fields = match (&text, encoding) {
            (None, Encoding::Auto) => {
                let last = bytes.len().saturating_sub(1);
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(index, field)| std::str::from_utf8(without_cr(*field, *index == last)).is_err())
                    .count() as u64
            }
            _ => 0,
        };
        Row {
            text,
            bytes,
            line,
            encoding,
            delimiter,
            windows_1252_fields,
        }
    }

    /// The row's record, to be read into again.
    pub fn into_record(self) -> csv::ByteRecord {
        match self.text {
            Some(text) => text.into_byte_record(),
            None => self.bytes,
        }
    }

    /// Line of the row in its file (1 is the header line).
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.text
            .as_ref()
            .map_or(self.bytes.len(), csv::StringRecord::len)
    }

    /// Whether the row has no fields.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Field `index` as text (empty when absent).
    pub fn field(&self, index: usize) -> Cow<'_, str> {
        let last = index + 1 == self.len();
        match &self.text {
            Some(text) => {
                let value = text.get(index).unwrap_or_default();
                Cow::Borrowed(if last {
                    value.strip_suffix('\r').unwrap_or(value)
                } else {
                    value
                })
            }
            None => {
                decode(
                    without_cr(self.bytes.get(index).unwrap_or_default(), last),
                    self.encoding,
                )
                .0
            }
        }
    }

    /// The whole row re-joined with the delimiter (for the rejected-rows file).
    pub fn raw_row(&self) -> String {
        joined((0..self.len()).map(|index| self.field(index)), self.delimiter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(fields: &[&[u8]], encoding: Encoding) -> Row {
        Row::new(csv::ByteRecord::from(fields.to_vec()), 7, encoding, b';')
    }

    #[test]
    fn utf8_rows_are_text_and_lose_the_cr_of_the_last_field() {
        let row = row(&[b"1", "Sección".as_bytes(), b"x\r"], Encoding::Auto);
        assert_eq!(row.field(1), "Sección");
        assert_eq!(row.field(2), "x");
        assert_eq!(row.field(9), "");
        assert_eq!(row.raw_row(), "1;Sección;x");
        assert_eq!((row.len(), row.line(), row.windows_1252_fields), (3, 7, 0));
    }

    #[test]
    fn windows_1252_fields_are_decoded_and_counted_once() {
        let row = row(&[b"1", b"Secci\xf3n", b"\xe1rea\r"], Encoding::Auto);
        assert_eq!(row.field(1), "Sección");
        assert_eq!(row.field(2), "área");
        assert_eq!(row.field(1), "Sección");
        assert_eq!(row.windows_1252_fields, 2);
        let forced = super::tests::row(&[b"\xf3"], Encoding::Windows1252);
        assert_eq!((forced.field(0).as_ref(), forced.windows_1252_fields), ("ó", 0));
    }
}
