//! `pauta evaluate`: one row per case (CSV or JSON lines), rejected rows to their own file, and
//! a summary on stderr whose counts add up.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use pauta::cases::output::RejectedFile;
use pauta::cases::sink::{Form, Sink};
use pauta::cases::{Summary, run};

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
    /// The library's form of this choice.
    fn form(self) -> Form {
        match self {
            Format::Csv => Form::Csv,
            Format::Json => Form::Json,
            Format::CsvExcel => Form::CsvExcel,
            Format::Xlsx => Form::Xlsx,
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

/// Run the evaluation; exit 0 when every row was used, 1 when some were rejected.
pub fn run_command(args: &Args) -> anyhow::Result<ExitCode> {
    let form = args.format.map_or_else(
        || {
            Form::of_extension(
                args.output
                    .as_deref()
                    .and_then(Path::extension)
                    .and_then(|e| e.to_str()),
            )
        },
        Format::form,
    );
    // Every input is opened and validated before any output is touched.
    let loaded = args.export.load()?;
    let output = output_path(args, form);
    let (out, pending) = open_output(output.as_deref())?;
    // Both callbacks of the run write to the workbook (evaluations and rejected rows).
    let cases_name = args
        .export
        .cases
        .file_name()
        .map_or_else(|| "casos".into(), |n| n.to_string_lossy());
    let sink = std::cell::RefCell::new(Sink::new(form, out, &cases_name)?);
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
fn output_path(args: &Args, form: Form) -> Option<PathBuf> {
    match (&args.output, form) {
        (None, Form::Xlsx) => {
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
    if let Some(note) = &summary.history_note {
        text.push_str(&format!("aviso: {note}\n"));
    }
    text
}
