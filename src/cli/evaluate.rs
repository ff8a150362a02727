//! `pauta evaluate`: one row per case (CSV or JSON lines), rejected rows to their own file, and
//! a summary on stderr whose counts add up.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::ValueEnum;
use pauta::cases::output::{EvaluationWriter, Format as OutputFormat, RejectedWriter};
use pauta::cases::{Outcome, Summary, run};

use super::input::ExportArgs;

/// Output format.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// CSV con encabezados.
    Csv,
    /// Un objeto JSON por línea.
    Json,
}

/// Flags of `pauta evaluate`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    export: ExportArgs,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
    /// Archivo de salida (por defecto, la salida estándar).
    #[arg(long, value_name = "ARCHIVO")]
    output: Option<PathBuf>,
    /// Archivo CSV para las filas rechazadas (por defecto, `rechazadas-<casos>.csv` si las hay).
    #[arg(long, value_name = "ARCHIVO")]
    rejected: Option<PathBuf>,
}

/// Run the evaluation; exit 0 when every row was used, 1 when some were rejected.
pub fn run_command(args: &Args) -> anyhow::Result<ExitCode> {
    let loaded = args.export.load()?;
    // The output is written beside the target and put in place only if the run succeeds.
    let (out, pending): (Box<dyn Write>, Option<pauta::atomic::Pending>) = match &args.output {
        Some(path) => {
            let (file, pending) = pauta::atomic::create(path).map_err(|error| {
                anyhow::anyhow!(
                    "no se pudo crear {}: {}; revise la ruta y los permisos",
                    path.display(),
                    pauta::text::io_reason(&error)
                )
            })?;
            (Box::new(BufWriter::with_capacity(1 << 16, file)), Some(pending))
        }
        None => (
            Box::new(BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
            None,
        ),
    };
    let format = match args.format {
        Format::Csv => OutputFormat::Csv,
        Format::Json => OutputFormat::JsonLines,
    };
    let mut writer = EvaluationWriter::new(out, format)?;
    let rejected_path = args
        .rejected
        .clone()
        .unwrap_or_else(|| default_rejected_path(&args.export.cases, args.output.as_deref()));
    let mut rejected: Option<(RejectedWriter<BufWriter<File>>, pauta::atomic::Pending)> = None;
    let summary = run(
        &loaded.set,
        &loaded.mapping,
        &loaded.options,
        |_, evaluation, _, _| writer.write(evaluation),
        |rejection| {
            if rejected.is_none() {
                let (file, pending) = pauta::atomic::create(&rejected_path)?;
                rejected = Some((RejectedWriter::new(BufWriter::new(file))?, pending));
            }
            match rejected.as_mut() {
                Some((out, _)) => out.write(rejection),
                None => Ok(()),
            }
        },
    )?;
    writer.finish()?;
    let had_rejections = rejected.is_some();
    if let Some((out, pending)) = rejected {
        out.finish()?;
        pending.commit()?;
    }
    if let Some(pending) = pending {
        pending.commit()?;
    }
    eprint!(
        "{}",
        render_summary(&summary, had_rejections.then_some(rejected_path.as_path()))
    );
    Ok(if summary.cases_rejected + summary.history_rejected == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
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
    text.push_str(&format!(
        "casos:     leídas {} = evaluadas {} + rechazadas {}\n",
        summary.cases_read, summary.cases_evaluated, summary.cases_rejected
    ));
    if summary.history_delimiter.is_some() {
        text.push_str(&format!(
            "historial: leídas {} = usadas {} + rechazadas {}\n",
            summary.history_read, summary.history_used, summary.history_rejected
        ));
    }
    let outcomes: Vec<String> = Outcome::ALL
        .iter()
        .map(|outcome| {
            format!(
                "{} {}",
                outcome.label(),
                summary.outcomes.get(outcome).copied().unwrap_or(0)
            )
        })
        .collect();
    text.push_str(&format!("resultados: {}\n", outcomes.join(" · ")));
    for (code, count) in &summary.findings {
        text.push_str(&format!(
            "hallazgo {} en {count} caso(s): {}\n",
            code.code(),
            code.title()
        ));
    }
    for (rule, count) in &summary.rule_findings {
        text.push_str(&format!(
            "regla «{rule}» incumplida o sin evaluar en {count} caso(s)\n"
        ));
    }
    for (code, count) in &summary.rejections {
        text.push_str(&format!(
            "rechazo {}: {count} fila(s): {}\n",
            code.code(),
            code.title()
        ));
    }
    if summary.windows_1252_fields > 0 {
        text.push_str(&format!(
            "codificación: {} campo(s) no eran UTF-8 y se leyeron como Windows-1252\n",
            summary.windows_1252_fields
        ));
    }
    if let Some(path) = rejected {
        text.push_str(&format!("filas rechazadas escritas en {}\n", path.display()));
    }
    text
}
