//! `pauta check [PATH...] [--policies DIR]`: every problem of every policy file, at once. With
//! no path, exactly the policies `evaluate` would use (the workspace rule); a single procedure
//! file is checked with the calendars of its own policy folder.

use std::path::PathBuf;
use std::process::ExitCode;

use pauta::policy::workspace::{is_calendar_text, procedure_code, sibling_calendars};
use pauta::policy::{PolicySet, Severity, SourceFile, check_sources, read_paths};

use super::format::TextOrJson as Format;

/// Flags of `pauta check`.
#[derive(clap::Args)]
pub struct Args {
    /// Archivos `.pauta` o carpetas (se buscan `.pauta` dentro). Sin rutas: las políticas que
    /// usaría `evaluate` (--policies, o la carpeta policies/ o pauta.toml del espacio de trabajo,
    /// o las incluidas en el programa).
    paths: Vec<PathBuf>,
    /// Carpeta de políticas a revisar (lo mismo que darla como ruta).
    #[arg(long, value_name = "CARPETA", conflicts_with = "paths")]
    policies: Option<PathBuf>,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// Run the check; exit 0 clean, 1 with errors.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let sources = if args.paths.is_empty() {
        super::workspace(args.policies.as_ref())?.policies.sources()?
    } else {
        read_paths(&args.paths)?
    };
    let mut fallback = folder_calendars(&args.paths, &sources);
    fallback.extend(PolicySet::embedded().map(|s| s.calendars).unwrap_or_default());
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
        Format::Text => {
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
            super::emit_human(&text)?;
        }
    }
    Ok(if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The calendars of the policy folders of the single files given (a procedure file checked on
/// its own uses the calendars beside it, as `evaluate --policies` on its folder would), compiled
/// quietly: their own problems are for `check` of their folder to tell.
fn folder_calendars(paths: &[PathBuf], sources: &[SourceFile]) -> Vec<pauta::calendar::Calendar> {
    let mut calendar_sources = Vec::new();
    for path in paths.iter().filter(|p| p.is_file()) {
        let shown = path.display().to_string();
        let Some(source) = sources.iter().find(|s| s.name == shown) else {
            continue;
        };
        if is_calendar_text(&source.text) {
            continue;
        }
        let code = procedure_code(source);
        calendar_sources.extend(sibling_calendars(path, code.as_deref()).unwrap_or_default());
    }
    let given: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
    calendar_sources.retain(|s| !given.contains(&s.name));
    check_sources(&calendar_sources, &[]).calendars
}
