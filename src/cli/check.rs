//! `pauta check [PATH...]`: every problem of every policy file, at once.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use pauta::policy::{PolicySet, Severity, check_sources, embedded_sources, read_paths};

/// Output format of diagnostics.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Texto legible, con la línea del archivo subrayada.
    Human,
    /// JSON para otras herramientas.
    Json,
}

/// Flags of `pauta check`.
#[derive(clap::Args)]
pub struct Args {
    /// Archivos `.pauta` o carpetas (se buscan `.pauta` dentro). Sin rutas: las políticas incluidas.
    paths: Vec<PathBuf>,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

/// Run the check; exit 0 clean, 1 with errors.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let sources = if args.paths.is_empty() {
        embedded_sources()
    } else {
        read_paths(&args.paths)?
    };
    let fallback = PolicySet::embedded().map(|s| s.calendars).unwrap_or_default();
    let report = check_sources(&sources, &fallback);
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    match args.format {
        Format::Json => {
            let value = serde_json::json!({
                "files": report.files,
                "errors": errors,
                "warnings": warnings,
            });
            super::emit(&format!("{}\n", serde_json::to_string_pretty(&value)?))?;
        }
        Format::Human => {
            let mut text = String::new();
            for file in &report.files {
                for diagnostic in &file.diagnostics {
                    text.push_str(&diagnostic.render());
                    text.push('\n');
                }
            }
            let verdict = if errors == 0 { "sin errores" } else { "con errores" };
            text.push_str(&format!(
                "{} archivo(s) revisado(s) {verdict}: {errors} error(es), {warnings} aviso(s).\n",
                report.files.len()
            ));
            super::emit(&text)?;
        }
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
