//! Files meant to be opened in Excel with a Spanish (es-CO) locale: the CSV profile that Excel
//! opens by double-click in clean columns (UTF-8 with BOM, `;`, CRLF), the neutralisation of
//! cells that Excel would run as formulas (OWASP, "CSV injection"), and the finishing of the
//! workbooks pauta writes (title, language, no personal metadata, the same bytes every run).
//!
//! The machine outputs (the plain CSV and JSON of `evaluate`, the report's CSV and JSON) do not
//! pass through here: they stay byte-faithful to the export.

use crate::text::is_formula_like;
use std::cell::Cell;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::sync::Once;

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

/// The language every workbook and HTML page pauta writes declares.
pub const LANGUAGE: &str = "es-CO";

/// The byte-order mark that tells Excel a CSV is UTF-8 (without it, accents break).
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The separator Excel expects in a locale whose decimal separator is the comma.
pub const DELIMITER: u8 = b';';

/// A CSV writer in the Excel es-CO profile over `out`: the BOM is written first, fields are
/// separated by `;` and rows end in CRLF. Cells from an export go through [`neutralise`](crate::text::neutralise).
pub fn csv_writer<W: Write>(mut out: W) -> std::io::Result<csv::Writer<W>> {
    out.write_all(BOM)?;
    Ok(csv::WriterBuilder::new()
        .delimiter(DELIMITER)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out))
}

/// Writes a text cell that came from an export: a formula-like value is written with Excel's
/// own "quote prefix" (the value stays exactly as it was, and Excel treats it as text even when
/// the cell is edited); any other value with `plain`.
pub fn write_export_text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    plain: &Format,
) -> Result<(), XlsxError> {
    if is_formula_like(text) {
        sheet.write_string_with_format(row, column, text, &plain.clone().set_quote_prefix())?;
    } else {
        sheet.write_string_with_format(row, column, text, plain)?;
    }
    Ok(())
}

thread_local! {
    /// Whether this thread is inside [`guarded`] (its panics are errors, not crashes).
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Installs, once, the panic hook that stays silent inside [`guarded`].
static QUIET_HOOK: Once = Once::new();

/// Runs a call into rust_xlsxwriter that may panic when a write to its temporary files fails
/// (its constant-memory mode panics on a full disk instead of returning an error), turning
/// such a panic into an I/O error, without printing it, so the run fails with a Spanish message
/// and leaves the previous output intact.
pub fn guarded<T>(call: impl FnOnce() -> Result<T, XlsxError>) -> Result<T, XlsxError> {
    QUIET_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    GUARDED.with(|guarded| guarded.set(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(call));
    GUARDED.with(|guarded| guarded.set(false));
    result.unwrap_or_else(|payload| {
        let reason = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        let kind = if reason.contains("too large") || reason.contains("No space") {
            std::io::ErrorKind::StorageFull
        } else {
            std::io::ErrorKind::Other
        };
        Err(XlsxError::IoError(std::io::Error::new(
            kind,
            "no se pudo escribir un archivo temporal del libro de Excel (¿disco lleno?)",
        )))
    })
}

/// The header cells of every sheet pauta writes: bold on light grey, wrapped, top-aligned.
pub fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_background_color("#EEEEEE")
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top)
}

/// A workbook rust_xlsxwriter produced, finished for publication: `title` and [`LANGUAGE`] set,
/// no author, application, version or dates, every zip entry dated 1980-01-01 — so the same
/// content always gives the same bytes and `pauta document check` accepts it.
pub fn finish_workbook(bytes: &[u8], title: &str) -> Result<Vec<u8>, String> {
    crate::assets::xlsx::publishable(bytes, title, LANGUAGE)
}

#[cfg(test)]
#[allow(
    clippy::expect_used,
    reason = "tests may panic: a failed expect is a failed test"
)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_profile_starts_with_the_bom_and_uses_semicolons() {
        let mut writer = csv_writer(Vec::new()).expect("memory");
        writer.write_record(["a;b", "c"]).expect("memory");
        let bytes = writer.into_inner().expect("memory");
        assert_eq!(bytes, b"\xEF\xBB\xBF\"a;b\";c\r\n");
    }
}
