//! Evaluations for the people who open them in Excel with a Spanish (es-CO) locale: the
//! `csv-excel` profile (BOM, `;`, Spanish headers and values, local date-times, decimal comma)
//! and the `xlsx` workbook (typed dates and numbers, frozen header, filters, the summary and the
//! rejected rows on their own sheets). Cells that come from the export and start like a formula
//! are neutralised ([`crate::excel`]). The machine contract is [`super::output`].

use std::io::Write;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::codes::Rejection;
use super::model::Evaluation;
use super::output::io_error;
use super::summary::Summary;
use crate::calendar::LocalSeconds;
use crate::calendar::clock::naive_of;
use crate::excel::{self, guarded, write_export_text};
use crate::text::neutralise;

/// Column titles of the Excel forms of `pauta evaluate`, in the order of the machine columns.
pub const COLUMNS: [&str; 12] = [
    "Caso",
    "Categoría",
    "Versión de la política",
    "Excepción",
    "Registrado",
    "Recibido",
    "Vence",
    "Solucionado",
    "Horas hábiles en pausa",
    "Resultado",
    "Días hábiles de retraso",
    "Hallazgos",
];

/// Column titles of the rejected rows, as in the rejected-rows file.
pub const REJECTED_COLUMNS: [&str; 6] = super::output::REJECTED_COLUMNS;

/// The most data rows an Excel sheet holds (1 048 576 rows, one of them the header); further
/// evaluations continue on a new sheet.
pub const ROWS_PER_SHEET: u32 = 1_048_575;

/// `2024-01-02 09:11:45`: the local date-time as Excel in any locale reads it, or empty.
pub fn local_date_time(at: Option<LocalSeconds>) -> String {
    at.and_then(naive_of)
        .map(|moment| moment.format("%Y-%m-%d %H:%M:%S").to_string())
        .unwrap_or_default()
}

/// Business hours paused, with a decimal comma and two decimals: `14,31`.
pub fn paused_hours(paused_seconds: i64) -> String {
    crate::wording::decimal(paused_seconds as f64 / 3600.0, 2)
}

/// The findings in words, each once, in order of first appearance:
/// `H005 fechas del historial fuera de orden · R001 regla «aprobación-jefe»`.
pub fn findings_in_words(evaluation: &Evaluation<'_>) -> String {
    let mut seen: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for finding in &evaluation.findings {
        let label = finding.label();
        if seen.contains(&label) {
            continue;
        }
        seen.push(label);
        texts.push(match &finding.rule {
            Some(rule) => format!("{} regla «{rule}»", finding.code.code()),
            None => format!("{} {}", finding.code.code(), finding.code.meaning()),
        });
    }
    texts.join(" · ")
}

/// Writes evaluations in the `csv-excel` profile; the header is written on creation.
pub struct ExcelCsvWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> ExcelCsvWriter<W> {
    /// A writer over `out` (the BOM and the header are written now).
    pub fn new(out: W) -> std::io::Result<Self> {
        let mut csv = excel::csv_writer(out)?;
        csv.write_record(COLUMNS).map_err(io_error)?;
        Ok(Self { csv })
    }

    /// Writes one evaluation.
    pub fn write(&mut self, evaluation: &Evaluation<'_>) -> std::io::Result<()> {
        self.csv
            .write_record([
                neutralise(&evaluation.case_id).as_ref(),
                neutralise(evaluation.category).as_ref(),
                &evaluation.policy_version.to_string(),
                neutralise(evaluation.exception.unwrap_or_default()).as_ref(),
                &local_date_time(Some(evaluation.registered_at)),
                &local_date_time(Some(evaluation.received_at)),
                &local_date_time(evaluation.deadline),
                &local_date_time(evaluation.solved_at),
                &paused_hours(evaluation.paused_seconds),
                evaluation.outcome.label(),
                &evaluation.days_late.to_string(),
                &findings_in_words(evaluation),
            ])
            .map_err(io_error)
    }

    /// Flushes the output.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.csv.flush()
    }
}

/// The formats of the workbook.
struct Formats {
    header: Format,
    text: Format,
    date_time: Format,
    hours: Format,
    integer: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: excel::header_format(),
            text: Format::new(),
            date_time: Format::new().set_num_format("yyyy-mm-dd hh:mm"),
            hours: Format::new().set_num_format("0.00"),
            integer: Format::new().set_num_format("0"),
        }
    }
}

/// Widths of the evaluation columns, in characters (dates never wrap).
const WIDTHS: [f64; 12] = [
    12.0, 40.0, 10.0, 16.0, 17.0, 17.0, 17.0, 17.0, 11.0, 11.0, 11.0, 60.0,
];

/// Widths of the rejected-rows columns.
const REJECTED_WIDTHS: [f64; 6] = [10.0, 8.0, 12.0, 8.0, 60.0, 60.0];

/// The `xlsx` form of `pauta evaluate`: a sheet «Resumen», the sheet «Evaluación» (continued on
/// «Evaluación 2»… past Excel's row limit) and the sheet «Rechazadas». Rows are streamed to
/// disk as they come (constant memory), so a million cases fit.
pub struct EvaluationWorkbook {
    workbook: Workbook,
    formats: Formats,
    /// Index of the current evaluation sheet, its number (1, 2…) and its next row.
    sheet: usize,
    sheet_number: u32,
    row: u32,
    rejected_sheet: usize,
    rejected_row: u32,
    summary_sheet: usize,
    title: String,
}

impl EvaluationWorkbook {
    /// A workbook whose document title is `title`.
    pub fn new(title: &str) -> Result<Self, XlsxError> {
        guarded(|| Self::start(title))
    }

    fn start(title: &str) -> Result<Self, XlsxError> {
        let mut workbook = Workbook::new();
        let formats = Formats::new();
        let summary = workbook.add_worksheet();
        summary.set_name("Resumen")?;
        summary.set_column_width(0, 100.0)?;
        let evaluation = workbook.add_worksheet_with_constant_memory();
        evaluation.set_name("Evaluación")?;
        start_sheet(evaluation, &COLUMNS, &WIDTHS, &formats)?;
        let rejected = workbook.add_worksheet_with_constant_memory();
        rejected.set_name("Rechazadas")?;
        start_sheet(rejected, &REJECTED_COLUMNS, &REJECTED_WIDTHS, &formats)?;
        // Sheets are numbered in the order they were added.
        Ok(Self {
            workbook,
            formats,
            sheet: 1,
            sheet_number: 1,
            row: 1,
            rejected_sheet: 2,
            rejected_row: 1,
            summary_sheet: 0,
            title: title.to_owned(),
        })
    }

    /// Writes one evaluation.
    pub fn write(&mut self, evaluation: &Evaluation<'_>) -> Result<(), XlsxError> {
        guarded(|| self.write_row(evaluation))
    }

    fn write_row(&mut self, evaluation: &Evaluation<'_>) -> Result<(), XlsxError> {
        if self.row > ROWS_PER_SHEET {
            self.finish_sheet()?;
            self.sheet_number += 1;
            let sheet = self.workbook.add_worksheet_with_constant_memory();
            sheet.set_name(format!("Evaluación {}", self.sheet_number))?;
            start_sheet(sheet, &COLUMNS, &WIDTHS, &self.formats)?;
            // Resumen, Evaluación and Rechazadas come first.
            self.sheet = self.sheet_number as usize + 1;
            self.row = 1;
        }
        let row = self.row;
        let formats = &self.formats;
        let sheet = self.workbook.worksheet_from_index(self.sheet)?;
        write_export_text(sheet, row, 0, &evaluation.case_id, &formats.text)?;
        write_export_text(sheet, row, 1, evaluation.category, &formats.text)?;
        sheet.write_number_with_format(row, 2, f64::from(evaluation.policy_version), &formats.integer)?;
        if let Some(exception) = evaluation.exception {
            write_export_text(sheet, row, 3, exception, &formats.text)?;
        }
        let instants = [
            Some(evaluation.registered_at),
            Some(evaluation.received_at),
            evaluation.deadline,
            evaluation.solved_at,
        ];
        for (column, at) in (4u16..).zip(instants) {
            if let Some(moment) = at.and_then(naive_of) {
                sheet.write_datetime_with_format(row, column, moment, &formats.date_time)?;
            }
        }
        sheet.write_number_with_format(
            row,
            8,
            (evaluation.paused_seconds as f64 / 36.0).round() / 100.0,
            &formats.hours,
        )?;
        sheet.write_string(row, 9, evaluation.outcome.label())?;
        sheet.write_number_with_format(row, 10, evaluation.days_late as f64, &formats.integer)?;
        let findings = findings_in_words(evaluation);
        if !findings.is_empty() {
            sheet.write_string(row, 11, findings)?;
        }
        self.row += 1;
        Ok(())
    }

    /// Writes one rejected row.
    pub fn reject(&mut self, rejection: &Rejection) -> Result<(), XlsxError> {
        guarded(|| self.reject_row(rejection))
    }

    fn reject_row(&mut self, rejection: &Rejection) -> Result<(), XlsxError> {
        if self.rejected_row > ROWS_PER_SHEET {
            return Ok(());
        }
        let row = self.rejected_row;
        let formats = &self.formats;
        let sheet = self.workbook.worksheet_from_index(self.rejected_sheet)?;
        sheet.write_string(row, 0, rejection.file.label())?;
        sheet.write_number_with_format(row, 1, rejection.line as f64, &formats.integer)?;
        write_export_text(sheet, row, 2, &rejection.case_id, &formats.text)?;
        sheet.write_string(row, 3, rejection.code.code())?;
        let reason = format!("{}: {}", rejection.code.meaning(), rejection.reason);
        write_export_text(sheet, row, 4, &reason, &formats.text)?;
        write_export_text(sheet, row, 5, &rejection.row, &formats.text)?;
        self.rejected_row += 1;
        Ok(())
    }

    /// Adds the filters of the current evaluation sheet.
    fn finish_sheet(&mut self) -> Result<(), XlsxError> {
        let last = self.row.saturating_sub(1).max(1);
        let sheet = self.workbook.worksheet_from_index(self.sheet)?;
        sheet.autofilter(0, 0, last, (COLUMNS.len() - 1) as u16)?;
        Ok(())
    }

    /// The finished workbook's bytes: the summary written, filters set, the properties made
    /// publishable (title, language es-CO, nothing personal, the same bytes every run).
    pub fn finish(mut self, summary: &Summary) -> Result<Vec<u8>, XlsxError> {
        guarded(|| self.finish_workbook(summary))
    }

    fn finish_workbook(&mut self, summary: &Summary) -> Result<Vec<u8>, XlsxError> {
        self.finish_sheet()?;
        let rejected_last = self.rejected_row.saturating_sub(1).max(1);
        let rejected = self.workbook.worksheet_from_index(self.rejected_sheet)?;
        rejected.autofilter(0, 0, rejected_last, (REJECTED_COLUMNS.len() - 1) as u16)?;
        let bold = Format::new().set_bold();
        let sheet = self.workbook.worksheet_from_index(self.summary_sheet)?;
        sheet.write_string_with_format(0, 0, &self.title, &bold)?;
        for (row, line) in (2u32..).zip(summary.lines()) {
            sheet.write_string(row, 0, line)?;
        }
        let bytes = self.workbook.save_to_buffer()?;
        excel::finish_workbook(&bytes, &self.title).map_err(XlsxError::ParameterError)
    }
}

/// Writes the bold header, freezes it and sets the column widths.
fn start_sheet(
    sheet: &mut Worksheet,
    columns: &[&str],
    widths: &[f64],
    formats: &Formats,
) -> Result<(), XlsxError> {
    for (column, (title, width)) in (0u16..).zip(columns.iter().zip(widths)) {
        sheet.set_column_width(column, *width)?;
        sheet.write_string_with_format(0, column, *title, &formats.header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paused_hours_have_a_decimal_comma() {
        assert_eq!(paused_hours(51_526), "14,31");
        assert_eq!(paused_hours(0), "0,00");
    }
}
