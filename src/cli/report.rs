//! `pauta report`: the monthly ANS control report (procedure section 6) for one month of an
//! Aranda export, in Markdown, HTML, XLSX, CSV (the sample) or JSON; `--meses` lists the months
//! of the export instead. Without `--month`, the calendar month before `--generated-at` (or
//! today). Exit codes: 0 written, 1 written but some rows were rejected, 2 could not run,
//! 3 nothing to report (no case solved in the month and none overdue at its end), 4 `--size`
//! larger than the population, 5 the output cannot be written.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use pauta::cases::output::RejectedFile;
use pauta::report::format::{interval, percent};
use pauta::report::{
    ExportNames, Format as ReportFormat, Month, Report, ReportError, ReportRequest, build_report, defaults,
    render,
};

use super::evaluate::default_rejected_path;
use super::input::{ExportArgs, Loaded};
use pauta::calendar::LocalSeconds;

/// Output format.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Markdown.
    Md,
    /// HTML autocontenido (CSS y gráficos SVG en línea), listo para imprimir en A4.
    Html,
    /// Libro de Excel, una hoja por tabla, con fechas y números reales.
    Xlsx,
    /// CSV de la muestra.
    Csv,
    /// Documento JSON.
    Json,
}

impl Format {
    fn library(self) -> ReportFormat {
        match self {
            Format::Md => ReportFormat::Markdown,
            Format::Html => ReportFormat::Html,
            Format::Xlsx => ReportFormat::Xlsx,
            Format::Csv => ReportFormat::Csv,
            Format::Json => ReportFormat::Json,
        }
    }
}

/// Flags of `pauta report`.
#[derive(clap::Args)]
#[command(mut_arg("as_of", |arg| arg.help(
    "Fecha de corte, hora de Bogotá ('AAAA-MM-DD HH:MM:SS'); por defecto, el último segundo del mes \
     del informe (los casos abiertos se juzgan a esa hora)",
)))]
pub struct Args {
    #[command(flatten)]
    export: ExportArgs,
    /// Genera el informe sin archivo de historial, a sabiendas: no se descuentan pausas y el
    /// cumplimiento cambia; el informe lo dice en Entradas y Método.
    #[arg(long = "no-history", visible_alias = "sin-historial")]
    sin_historial: bool,
    /// Mes del informe, AAAA-MM (la población: casos solucionados en ese mes, hora de Bogotá).
    /// Por defecto, el mes calendario anterior a --generated-at, o a hoy.
    #[arg(long, value_name = "AAAA-MM")]
    month: Option<String>,
    /// Lista los meses que cubre la exportación, con sus casos solucionados (la población de
    /// cada informe) y los abiertos vencidos al cierre de cada mes; no escribe informe.
    #[arg(long = "months", visible_alias = "meses", conflicts_with_all = ["month", "output", "seed", "size"])]
    meses: bool,
    /// Semilla de la selección (por defecto, «<procedimiento>:<AAAA-MM>», p. ej. M1-3-06:2024-06).
    #[arg(long, value_name = "TEXTO")]
    seed: Option<String>,
    /// Tamaño de la muestra (por defecto, el que da el bloque `muestreo` de la política).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    size: Option<u64>,
    /// Formato (por defecto, el de la extensión de --output, o md).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Archivo de salida (por defecto, la salida estándar; para xlsx, informe-ans-AAAA-MM.xlsx).
    #[arg(long, value_name = "ARCHIVO")]
    output: Option<PathBuf>,
    /// Archivo CSV para las filas rechazadas (por defecto, `rechazadas-<casos>.csv` si las hay).
    #[arg(long, value_name = "ARCHIVO")]
    rejected: Option<PathBuf>,
    /// Fecha de generación que muestra el informe, 'AAAA-MM-DD HH:MM:SS' (por defecto, ahora);
    /// fíjela para obtener exactamente el mismo archivo dos veces.
    #[arg(long, value_name = "FECHA")]
    generated_at: Option<String>,
}

/// An output file opened (or created) early, so an unwritable path fails before the long run.
struct Output {
    path: PathBuf,
    created: bool,
}

impl Output {
    fn check(path: &Path) -> Result<Self, ReportError> {
        let existed = path.exists();
        OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|error| ReportError::Unwritable {
                path: path.display().to_string(),
                reason: pauta::text::io_reason(&error),
            })?;
        Ok(Self {
            path: path.to_owned(),
            created: !existed,
        })
    }

    /// Removes the file this command created if no report was written to it.
    fn abandon(self) {
        if self.created {
            let _ = std::fs::remove_file(&self.path);
        }
    }

    fn write(&self, bytes: &[u8]) -> Result<(), ReportError> {
        let unwritable = |error: std::io::Error| ReportError::Unwritable {
            path: self.path.display().to_string(),
            reason: pauta::text::io_reason(&error),
        };
        pauta::atomic::write(&self.path, bytes).map_err(unwritable)
    }
}

/// Run the report; errors of the report itself print their code and return their exit code.
pub fn run_command(args: &Args) -> anyhow::Result<ExitCode> {
    match run_report(args) {
        Ok(code) => Ok(code),
        Err(Failure::Report(error)) => {
            super::paint::eprint(&format!(
                "{}\n",
                super::paint::error_line(error.code(), &error.to_string(), super::paint::stderr_styled())
            ));
            Ok(ExitCode::from(error.exit_code()))
        }
        Err(Failure::Other(error)) => Err(error),
    }
}

enum Failure {
    Report(ReportError),
    Other(anyhow::Error),
}

impl From<ReportError> for Failure {
    fn from(error: ReportError) -> Self {
        Failure::Report(error)
    }
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure::Other(error)
    }
}

fn run_report(args: &Args) -> Result<ExitCode, Failure> {
    // A malformed --month fails before anything is read.
    let asked = args.month.as_deref().map(Month::parse).transpose()?;
    if args.export.history.is_none() && !args.sin_historial {
        return Err(super::fail(
            "U013",
            "el informe mensual es la evidencia del control y sin historial no se descuentan pausas ni se \
             revisan transiciones: el cumplimiento cambia (en junio de 2024 del ejemplo, de 79,6 % a 69,8 %). \
             Indique --history ARCHIVO, o --sin-historial para generarlo así a sabiendas",
        )
        .into());
    }
    let loaded = args.export.load()?;
    if args.meses {
        return list_months(args, &loaded);
    }
    let generated_at = match &args.generated_at {
        Some(text) => defaults::parse_instant(&loaded.mapping, text).ok_or_else(|| {
            super::fail(
                "U014",
                format!(
                    "--generated-at «{text}» no es una fecha y hora; use 'AAAA-MM-DD HH:MM:SS' (hora de Bogotá)"
                ),
            )
        })?,
        None => loaded.set.local_now(),
    };
    let month = match asked {
        Some(month) => month,
        None => {
            let month = defaults::default_month(generated_at)
                .ok_or_else(|| super::fail("U014", "la fecha de generación no es una fecha válida"))?;
            eprintln!(
                "mes: {} (el mes calendario anterior; para otro indique --month AAAA-MM)",
                month.key()
            );
            month
        }
    };
    let format = args
        .format
        .map(Format::library)
        .or_else(|| {
            args.output
                .as_ref()
                .and_then(|path| path.extension())
                .and_then(|ext| ReportFormat::from_extension(&ext.to_string_lossy()))
        })
        .unwrap_or(ReportFormat::Markdown);
    let output_path = match (&args.output, format) {
        (Some(path), _) => Some(path.clone()),
        (None, ReportFormat::Xlsx) => Some(PathBuf::from(format!("informe-ans-{}.xlsx", month.key()))),
        (None, _) => None,
    };
    let output = output_path.as_deref().map(Output::check).transpose()?;
    let result = produce(args, loaded, month, generated_at, format, output.as_ref());
    if result.is_err()
        && let Some(output) = output
    {
        output.abandon();
    }
    result
}

fn produce(
    args: &Args,
    mut loaded: Loaded,
    month: Month,
    generated_at: LocalSeconds,
    format: ReportFormat,
    output: Option<&Output>,
) -> Result<ExitCode, Failure> {
    if args.export.as_of.is_none() {
        loaded.options.as_of = defaults::as_of_for(month, None);
    }
    let request = ReportRequest {
        options: loaded.options.clone(),
        month,
        seed: args.seed.clone(),
        size: args.size,
        generated_at,
        mapping_file: loaded.mapping_file.clone(),
        policies_dir: loaded.policies_path.clone(),
        names: ExportNames::default(),
    };
    let rejected_path = args.rejected.clone().unwrap_or_else(|| {
        default_rejected_path(&args.export.cases, output.map(|output| output.path.as_path()))
    });
    let mut rejected = RejectedFile::new(rejected_path.clone());
    let bar = super::progress::over_cases(&args.export.cases, "evaluando");
    let mut on_progress = |cases: u64| {
        if let Some(bar) = &bar {
            if bar.length().is_some_and(|length| cases > length) {
                bar.set_length(cases);
            }
            bar.set_position(cases);
        }
    };
    let built = build_report(
        &loaded.set,
        &loaded.mapping,
        &request,
        |rejection| rejected.write(rejection),
        &mut on_progress,
    );
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if let Some(path) = rejected.finish().map_err(anyhow::Error::from)? {
        eprintln!("filas rechazadas escritas en {}", path.display());
    }
    let (report, summary) = built?;
    for warning in defaults::warnings(&report, &summary, args.size.is_some()) {
        super::paint::eprint(&format!("aviso: {warning}\n"));
    }
    let bytes = render(&report, format)?;
    match output {
        Some(output) => output.write(&bytes)?,
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(&bytes)
                .and_then(|()| stdout.flush())
                .map_err(anyhow::Error::from)?;
        }
    }
    eprint!(
        "{}",
        render_summary(&report, output.map(|output| output.path.as_path()))
    );
    Ok(if summary.rows.rejected() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `--meses`: the months of the export with their solved and overdue cases, as a table (or JSON
/// with `--format json`) on stdout.
fn list_months(args: &Args, loaded: &Loaded) -> Result<ExitCode, Failure> {
    let json = match args.format {
        None | Some(Format::Md) => false,
        Some(Format::Json) => true,
        Some(_) => {
            return Err(super::fail(
                "U005",
                "--meses escribe una tabla en la salida estándar, o JSON con --format json; quite --format",
            )
            .into());
        }
    };
    let rejected_path = args
        .rejected
        .clone()
        .unwrap_or_else(|| default_rejected_path(&args.export.cases, None));
    let mut rejected = RejectedFile::new(rejected_path.clone());
    let listed = pauta::report::months::list_months(
        &loaded.set,
        &loaded.mapping,
        &loaded.options,
        args.export.as_of.is_some(),
        |rejection| rejected.write(rejection),
    );
    if let Some(path) = rejected.finish().map_err(anyhow::Error::from)? {
        eprintln!("filas rechazadas escritas en {}", path.display());
    }
    let (rows, summary) = listed?;
    let text = if json {
        let mut text = serde_json::to_string_pretty(&rows).map_err(anyhow::Error::from)?;
        text.push('\n');
        text
    } else {
        months_table(&rows)
    };
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(anyhow::Error::from)?;
    eprintln!("casos:     {}", summary.rows.cases_in_words());
    if !json && !rows.is_empty() {
        eprintln!("para el informe de un mes: pauta report … --month AAAA-MM");
    }
    Ok(if summary.rows.rejected() == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The months as a plain-text table.
fn months_table(rows: &[pauta::report::months::MonthRow]) -> String {
    if rows.is_empty() {
        return pauta::report::months::NO_MONTHS.to_owned();
    }
    let mut text = format!(
        "{:<8}  {:>24}  {:>27}\n",
        "Mes", "Solucionados (población)", "Abiertos vencidos al cierre"
    );
    for row in rows {
        text.push_str(&format!(
            "{:<8}  {:>24}  {:>27}\n",
            row.month.key(),
            row.solved,
            row.overdue
        ));
    }
    text
}

/// The Spanish summary printed on stderr: rows, population, sample, seed, rates, output.
fn render_summary(report: &Report, output: Option<&Path>) -> String {
    let rows = &report.rows;
    let mut text = format!("casos:     {}\n", rows.cases_in_words());
    if rows.history_read > 0 {
        text.push_str(&format!("historial: {}\n", rows.history_in_words()));
    }
    text.push_str(&format!(
        "{}: población {} casos solucionados · muestra {} · vencidos al cierre {}\n",
        report.month.key(),
        report.size.population,
        report.size.size,
        report.overdue.len()
    ));
    if !report.has_population() {
        // No sample was drawn: no seed to repeat.
    } else if report.seed_given {
        text.push_str(&format!("semilla: {}\n", report.seed));
    } else {
        text.push_str(&format!(
            "semilla: {} (derivada del procedimiento y el mes; para repetir la muestra use --seed '{}')\n",
            report.seed, report.seed
        ));
    }
    match (&report.sample_compliance, &report.population_compliance) {
        (Some(sample), Some(population)) => text.push_str(&format!(
            "cumplimiento: muestra {} (IC {}) · población {}\n",
            percent(sample.rate),
            interval(sample),
            percent(population.rate)
        )),
        _ => text.push_str(
            "cumplimiento: no se calcula (ningún caso solucionado en el mes: ni muestra, ni tasa, ni intervalo); \
             el informe lista los vencidos al cierre\n",
        ),
    }
    if let Some(path) = output {
        text.push_str(&format!("informe escrito en {}\n", path.display()));
    }
    text
}
