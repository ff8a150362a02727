//! `pauta evaluate`: one row per case (CSV or JSON lines), rejected rows to their own file, and
//! a summary on stderr whose counts add up.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use pauta::cases::output::{EvaluationWriter, Format as OutputFormat, RejectedFile};
use pauta::cases::output_excel::{EvaluationWorkbook, ExcelCsvWriter};
use pauta::cases::{Evaluation, Rejection, Summary, run};

use super::input::ExportArgs;

/// Output format.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// CSV para programas (el contrato de máquina: `,`, columnas en inglés, fechas RFC 3339).
    Csv,
    /// Un objeto JSON por línea (contrato de máquina).
    Json,
    /// CSV para Excel en español (es-CO): se abre con doble clic en columnas limpias (BOM, `;`,
    /// encabezados y valores en español, fecha y hora local, coma decimal).
    #[value(name = "csv-excel", alias = "excel")]
    CsvExcel,
    /// Libro de Excel: fechas y números reales, encabezado fijo, filtros, hojas Resumen,
    /// Evaluación y Rechazadas.
    Xlsx,
}

impl Format {
    /// The format `--output`'s extension names, when `--format` is not given.
    fn of_output(output: Option<&Path>) -> Self {
        let extension = output
            .and_then(Path::extension)
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match extension.as_deref() {
            Some("xlsx") => Format::Xlsx,
            Some("json" | "jsonl" | "ndjson") => Format::Json,
            _ => Format::Csv,
        }
    }
}

/// Flags of `pauta evaluate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    export: ExportArgs,
    /// Formato de salida (por defecto, el de la extensión de --output: .xlsx, .json; si no, csv).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Archivo de salida (por defecto, la salida estándar; para xlsx, evaluacion-<casos>.xlsx).
    #[arg(long, value_name = "ARCHIVO")]
    output: Option<PathBuf>,
    /// Archivo CSV para las filas rechazadas (por defecto, `rechazadas-<casos>.csv` si las hay).
    #[arg(long, value_name = "ARCHIVO")]
    rejected: Option<PathBuf>,
}

/// Where evaluations go, in the chosen form (one per run: the size difference is harmless).
#[expect(
    clippy::large_enum_variant,
    reason = "one sink per run: boxing the writers saves nothing"
)]
enum Sink {
    Machine(EvaluationWriter<Box<dyn Write>>),
    Excel(ExcelCsvWriter<Box<dyn Write>>),
    /// The workbook is written whole at the end; the writer is where it goes.
    Workbook(Box<EvaluationWorkbook>, Box<dyn Write>),
}

impl Sink {
    /// The writer of `format` over `out`; a workbook is titled after the cases file.
    fn new(format: Format, out: Box<dyn Write>, cases: &Path) -> std::io::Result<Self> {
        Ok(match format {
            Format::Csv => Sink::Machine(EvaluationWriter::new(out, OutputFormat::Csv)?),
            Format::Json => Sink::Machine(EvaluationWriter::new(out, OutputFormat::JsonLines)?),
            Format::CsvExcel => Sink::Excel(ExcelCsvWriter::new(out)?),
            Format::Xlsx => {
                let name = cases
                    .file_name()
                    .map_or_else(|| "casos".into(), |n| n.to_string_lossy());
                let title = format!("Evaluación de ANS de {name}");
                let workbook = EvaluationWorkbook::new(&title).map_err(xlsx_error)?;
                Sink::Workbook(Box::new(workbook), out)
            }
        })
    }

    /// Adds one case's row.
    fn write(&mut self, evaluation: &Evaluation<'_>) -> std::io::Result<()> {
        match self {
            Sink::Machine(writer) => writer.write(evaluation),
            Sink::Excel(writer) => writer.write(evaluation),
            Sink::Workbook(workbook, _) => workbook.write(evaluation).map_err(xlsx_error),
        }
    }

    /// Adds a rejected row to the workbook's «Rechazadas» sheet (the other forms leave rejected
    /// rows to their own file).
    fn reject(&mut self, rejection: &Rejection) -> std::io::Result<()> {
        if let Sink::Workbook(workbook, _) = self {
            workbook.reject(rejection).map_err(xlsx_error)?;
        }
        Ok(())
    }

    /// Writes what is still pending (the whole workbook, with the run's summary) and flushes.
    fn finish(self, summary: &Summary) -> std::io::Result<()> {
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

/// Run the evaluation; exit 0 when every row was used, 1 when some were rejected.
pub fn run_command(args: &Args) -> anyhow::Result<ExitCode> {
    let format = args
        .format
        .unwrap_or_else(|| Format::of_output(args.output.as_deref()));
    // Every input is opened and validated before any output is touched.
    let loaded = args.export.load()?;
    let output = output_path(args, format);
    let (out, pending) = open_output(output.as_deref())?;
    // Both callbacks of the run write to the workbook (evaluations and rejected rows).
    let sink = std::cell::RefCell::new(Sink::new(format, out, &args.export.cases)?);
    let rejected_path = args
        .rejected
        .clone()
        .unwrap_or_else(|| default_rejected_path(&args.export.cases, output.as_deref()));
    let mut rejected = RejectedFile::new(rejected_path.clone());
    let bar = super::progress::over_cases(&args.export.cases, "evaluando");
    let mut ticker = super::progress::Ticker::default();
    let summary = run(
        &loaded.set,
        &loaded.mapping,
        &loaded.options,
        |_, evaluation, _, _| {
            ticker.tick(bar.as_ref());
            sink.borrow_mut().write(evaluation)
        },
        |rejection| {
            sink.borrow_mut().reject(rejection)?;
            rejected.write(rejection)
        },
    )?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    sink.into_inner()
        .finish(&summary)
        .map_err(|error| unwritable(output.as_deref(), error))?;
    let written = rejected
        .finish()
        .map_err(|error| unwritable(Some(&rejected_path), error))?;
    if let Some(pending) = pending {
        pending
            .commit()
            .map_err(|error| unwritable(output.as_deref(), error))?;
    }
    super::paint::eprint(&render_summary(&summary, written.as_deref()));
    Ok(if summary.rows.rejected() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The file to write: `--output`, or for a workbook without one the default name (said on
/// stderr, since a workbook never goes to the terminal); `None` is the standard output.
fn output_path(args: &Args, format: Format) -> Option<PathBuf> {
    match (&args.output, format) {
        (None, Format::Xlsx) => {
            let path = default_workbook_path(&args.export.cases);
            eprintln!(
                "salida: {} (un libro de Excel no se escribe en la terminal; indique --output ARCHIVO para otro nombre)",
                path.display()
            );
            Some(path)
        }
        (output, _) => output.clone(),
    }
}

/// A buffered writer to `output` (or the standard output). A file is written beside the
/// target and put in place only when the pending file is committed, after the run succeeds.
fn open_output(output: Option<&Path>) -> anyhow::Result<(Box<dyn Write>, Option<pauta::atomic::Pending>)> {
    Ok(match output {
        Some(path) => {
            let (file, pending) = pauta::atomic::create(path).map_err(|error| {
                super::fail(
                    "U012",
                    format!(
                        "no se pudo crear {}: {}; revise la ruta y los permisos",
                        path.display(),
                        pauta::text::io_reason(&error)
                    ),
                )
            })?;
            (Box::new(BufWriter::with_capacity(1 << 16, file)), Some(pending))
        }
        None => (
            Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
            None,
        ),
    })
}

/// The error for an output that could not be written (`None`: the standard output).
fn unwritable(path: Option<&Path>, error: std::io::Error) -> anyhow::Error {
    let shown = path.map_or_else(|| "la salida estándar".to_owned(), |p| p.display().to_string());
    super::fail(
        "U012",
        format!(
            "no se pudo escribir {}: {}; el archivo anterior, si lo había, queda intacto",
            shown,
            pauta::text::io_reason(&error)
        ),
    )
}

/// `evaluacion-<cases stem>.xlsx` in the current folder.
fn default_workbook_path(cases: &Path) -> PathBuf {
    let stem = cases
        .file_stem()
        .map_or_else(|| "casos".into(), |s| s.to_string_lossy());
    PathBuf::from(format!("evaluacion-{stem}.xlsx"))
}

/// `rechazadas-<cases stem>.csv`, beside the output file or in the current folder.
pub(super) fn default_rejected_path(cases: &Path, output: Option<&Path>) -> PathBuf {
    let stem = cases
        .file_stem()
        .map_or_else(|| "casos".into(), |s| s.to_string_lossy());
    let name = format!("rechazadas-{stem}.csv");
    match output.and_then(Path::parent) {
        Some(folder) if !folder.as_os_str().is_empty() => folder.join(name),
        _ => PathBuf::from(name),
    }
}

/// The Spanish summary printed on stderr.
pub fn render_summary(summary: &Summary, rejected: Option<&Path>) -> String {
    let mut text = String::new();
    for line in summary.lines() {
        text.push_str(&line);
        text.push('\n');
    }
    if let Some(path) = rejected {
        text.push_str(&format!("filas rechazadas escritas en {}\n", path.display()));
    }
    text
}
