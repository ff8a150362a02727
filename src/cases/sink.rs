//! One writer for every form of the evaluation output — CSV and JSON lines (the machine
//! contracts), CSV for Excel es-CO, and the workbook — shared by `pauta evaluate` and the
//! workbench's downloads, so both write the same bytes.

use std::io::Write;

use super::output::{EvaluationWriter, Format as MachineFormat};
use super::output_excel::{EvaluationWorkbook, ExcelCsvWriter};
use super::{Evaluation, Rejection, Summary};

/// The forms an evaluation can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// CSV for programs (`,`, English headers, RFC 3339 instants).
    Csv,
    /// One JSON object a line.
    Json,
    /// CSV for Excel in Spanish (BOM, `;`, Spanish headers and values).
    CsvExcel,
    /// Excel workbook with «Resumen», «Evaluación» and «Rechazadas» sheets.
    Xlsx,
}

impl Form {
    /// Every form, in the order a menu lists them.
    pub const ALL: [Form; 4] = [Form::Csv, Form::Json, Form::CsvExcel, Form::Xlsx];

    /// The form an output file's extension names: `.xlsx` a workbook, `.json`/`.jsonl`/`.ndjson`
    /// JSON lines, anything else CSV.
    pub fn of_extension(extension: Option<&str>) -> Self {
        match extension.map(str::to_ascii_lowercase).as_deref() {
            Some("xlsx") => Form::Xlsx,
            Some("json" | "jsonl" | "ndjson") => Form::Json,
            _ => Form::Csv,
        }
    }

    /// The file name ending of an output in this form (`evaluacion.csv`, `evaluacion-excel.csv`).
    pub fn file_suffix(self) -> &'static str {
        match self {
            Form::Csv => ".csv",
            Form::Json => ".jsonl",
            Form::CsvExcel => "-excel.csv",
            Form::Xlsx => ".xlsx",
        }
    }

    /// The media type of an output in this form.
    pub fn media_type(self) -> &'static str {
        match self {
            Form::Csv | Form::CsvExcel => "text/csv; charset=utf-8",
            Form::Json => "application/x-ndjson; charset=utf-8",
            Form::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// The name the command line and the workbench give this form (`csv-excel`).
    pub fn name(self) -> &'static str {
        match self {
            Form::Csv => "csv",
            Form::Json => "json",
            Form::CsvExcel => "csv-excel",
            Form::Xlsx => "xlsx",
        }
    }
}

/// Where evaluations go, in the chosen form (one per run: the size difference is harmless).
#[expect(
    clippy::large_enum_variant,
    reason = "one sink per run: boxing the writers saves nothing"
)]
pub enum Sink<W: Write> {
    /// CSV or JSON lines.
    Machine(EvaluationWriter<W>),
    /// CSV for Excel.
    Excel(ExcelCsvWriter<W>),
    /// The workbook is written whole at the end; the writer is where it goes.
    Workbook(Box<EvaluationWorkbook>, W),
}

impl<W: Write> Sink<W> {
    /// The writer of `form` over `out`; a workbook is titled after `cases_name`, the cases
    /// file's name.
    pub fn new(form: Form, out: W, cases_name: &str) -> std::io::Result<Self> {
        Ok(match form {
            Form::Csv => Sink::Machine(EvaluationWriter::new(out, MachineFormat::Csv)?),
            Form::Json => Sink::Machine(EvaluationWriter::new(out, MachineFormat::JsonLines)?),
            Form::CsvExcel => Sink::Excel(ExcelCsvWriter::new(out)?),
            Form::Xlsx => {
                let title = format!("Evaluación de ANS de {cases_name}");
                let workbook = EvaluationWorkbook::new(&title).map_err(xlsx_error)?;
                Sink::Workbook(Box::new(workbook), out)
            }
        })
    }

    /// Adds one case's row.
    pub fn write(&mut self, evaluation: &Evaluation<'_>) -> std::io::Result<()> {
        match self {
            Sink::Machine(writer) => writer.write(evaluation),
            Sink::Excel(writer) => writer.write(evaluation),
            Sink::Workbook(workbook, _) => workbook.write(evaluation).map_err(xlsx_error),
        }
    }

    /// Adds a rejected row to the workbook's «Rechazadas» sheet (the other forms leave rejected
    /// rows to their own file).
    pub fn reject(&mut self, rejection: &Rejection) -> std::io::Result<()> {
        if let Sink::Workbook(workbook, _) = self {
            workbook.reject(rejection).map_err(xlsx_error)?;
        }
        Ok(())
    }

    /// Writes what is still pending (the whole workbook, with the run's summary) and flushes.
    pub fn finish(self, summary: &Summary) -> std::io::Result<()> {
        match self {
            Sink::Machine(writer) => writer.finish(),
            Sink::Excel(writer) => writer.finish(),
            Sink::Workbook(workbook, mut out) => workbook
                .finish(summary)
                .map_err(xlsx_error)
                .and_then(|bytes| out.write_all(&bytes).and_then(|()| out.flush())),
        }
    }
}

/// A workbook error as an I/O error (the run's callbacks report I/O errors).
fn xlsx_error(error: rust_xlsxwriter::XlsxError) -> std::io::Error {
    match error {
        rust_xlsxwriter::XlsxError::IoError(error) => error,
        other => std::io::Error::other(format!("el libro de Excel no se pudo armar: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::Form;

    #[test]
    fn the_extension_names_the_form() {
        assert_eq!(Form::of_extension(Some("XLSX")), Form::Xlsx);
        assert_eq!(Form::of_extension(Some("ndjson")), Form::Json);
        assert_eq!(Form::of_extension(Some("txt")), Form::Csv);
        assert_eq!(Form::of_extension(None), Form::Csv);
    }
}
