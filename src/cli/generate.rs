//! `pauta generate --cases N --seed S --out DIR`: a synthetic Aranda export (cases + history),
//! deterministic for a seed, for demos and benchmarks.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use pauta::generate::{CASES_FILE, GenerateError, GenerateOptions, HISTORY_FILE, generate};

/// Flags of `pauta generate`.
#[derive(clap::Args)]
pub struct Args {
    /// Número de casos a generar.
    #[arg(long)]
    cases: u64,
    /// Semilla: la misma semilla y opciones producen exactamente los mismos archivos.
    #[arg(long)]
    seed: u64,
    /// Carpeta de salida (se crea si no existe); se escriben `casos.csv` e `historial.csv`.
    #[arg(long)]
    out: PathBuf,
    /// Primera fecha de registro (AAAA-MM-DD).
    #[arg(long, default_value = "2024-01-01")]
    from: NaiveDate,
    /// Última fecha de registro (AAAA-MM-DD); sus 23:59:59 son el "ahora" de los datos.
    #[arg(long, default_value = "2024-12-31")]
    to: NaiveDate,
    /// Fracción de casos con un problema de datos sembrado (0 las desactiva).
    #[arg(long, default_value_t = 0.01)]
    anomalies: f64,
    /// Sin la columna «Adjuntos», como una exportación que no la trae: ningún caso tiene la
    /// evidencia que piden las reglas, y las reglas de evidencia fallan en todos.
    #[arg(long, visible_alias = "sin-adjuntos")]
    without_attachments: bool,
    /// Carpeta de políticas (por defecto, las incluidas en el programa).
    #[arg(long)]
    policies: Option<PathBuf>,
}

/// Generate the files and print a summary to stderr.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let set = super::load_policies(args.policies.as_ref())?;
    let options = GenerateOptions {
        cases: args.cases,
        seed: args.seed,
        from: args.from,
        to: args.to,
        anomaly_rate: args.anomalies,
        attachments_column: !args.without_attachments,
        ..GenerateOptions::default()
    };
    let summary = write_export(&set, &options, &args.out)?;
    let share = |n: u64| n * 1000 / summary.cases.max(1);
    let percent = |n: u64| format!("{},{} %", share(n) / 10, share(n) % 10);
    eprintln!(
        "Generados {} casos ({} a {}) y {} filas de historial con la semilla {}.",
        summary.cases, summary.ids.0, summary.ids.1, summary.history_rows, args.seed
    );
    eprintln!(
        "Registros del {} al {} según {}; \"ahora\" = {} 23:59:59.",
        args.from,
        args.to,
        summary.policies.join(", "),
        args.to
    );
    eprintln!(
        "Excepciones: {} ({}) · anulados: {} ({}) · abiertos: {} ({}) · solucionados fuera del ANS: {} ({}) · anomalías sembradas: {} ({}).",
        summary.exceptions,
        percent(summary.exceptions),
        summary.annulled,
        percent(summary.annulled),
        summary.open,
        percent(summary.open),
        summary.late,
        percent(summary.late),
        summary.anomalies,
        percent(summary.anomalies)
    );
    eprintln!("Archivos escritos:");
    eprintln!("  {}", args.out.join(CASES_FILE).display());
    eprintln!("  {}", args.out.join(HISTORY_FILE).display());
    Ok(ExitCode::SUCCESS)
}

/// Cases from which generating is worth a progress bar (about a second of work).
const PROGRESS_FROM_CASES: u64 = 200_000;

/// Writes `casos.csv` and `historial.csv` into `dir` (created if missing), with a progress bar
/// over the cases on a terminal.
fn write_export(
    set: &pauta::policy::PolicySet,
    options: &GenerateOptions,
    dir: &std::path::Path,
) -> Result<pauta::generate::GenerateSummary, GenerateError> {
    pauta::generate::check_options(options)?;
    std::fs::create_dir_all(dir).map_err(|e| GenerateError::io(dir.display().to_string(), e))?;
    let open = |name: &str| {
        let path = dir.join(name);
        std::fs::File::create(&path)
            .map(|f| std::io::BufWriter::with_capacity(1 << 16, f))
            .map_err(|e| GenerateError::io(path.display().to_string(), e))
    };
    let bar = super::progress::over(options.cases, "generando", "casos", PROGRESS_FROM_CASES);
    let cases = super::progress::CountingWriter::new(open(CASES_FILE)?, bar);
    let history = open(HISTORY_FILE)?;
    let mut cases = cases;
    let summary = generate(set, options, &mut cases, history);
    cases.finish();
    summary
}
