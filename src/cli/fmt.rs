//! `pauta fmt [PATH...] [--check]`: rewrite policy files in the canonical layout.

use std::path::PathBuf;
use std::process::ExitCode;

use pauta::policy::format::{format_source, same_meaning};
use pauta::policy::{PolicySet, read_paths};

/// Flags of `pauta fmt`.
#[derive(clap::Args)]
pub struct Args {
    /// Archivos `.pauta` o carpetas (se buscan `.pauta` dentro). Sin rutas: la carpeta de
    /// políticas del espacio de trabajo (--policies, pauta.toml o policies/).
    paths: Vec<PathBuf>,
    /// Carpeta de políticas a formatear (lo mismo que darla como ruta).
    #[arg(long, value_name = "CARPETA", conflicts_with = "paths")]
    policies: Option<PathBuf>,
    /// No escribe nada: lista los archivos que cambiarían y termina con código 1 si hay alguno.
    #[arg(long)]
    check: bool,
}

/// Format the files; exit 0 when all are (or now are) canonical, 1 when `--check` finds files
/// to change, 2 when a file cannot be read or parsed.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let paths = if args.paths.is_empty() {
        match super::workspace(args.policies.as_ref())?.policies.path() {
            Some(path) => vec![path.to_path_buf()],
            None => {
                return Err(super::fail(
                    "U013",
                    "no hay carpeta de políticas que formatear: las políticas incluidas en pauta no se editan; \
                     indique una carpeta con --policies o trabaje en una carpeta que tenga policies/",
                ));
            }
        }
    } else {
        args.paths.clone()
    };
    let sources = read_paths(&paths)?;
    // A policy names its calendar: the formatted and the original text are compiled against the
    // same calendars, those of the files given and the embedded ones.
    let mut calendars = pauta::policy::check_sources(&sources, &[]).calendars;
    calendars.extend(PolicySet::embedded().map(|set| set.calendars).unwrap_or_default());
    let mut changed = Vec::new();
    let mut broken = 0;
    let mut report = String::new();
    for source in &sources {
        // Compared with the bytes on disk: line ends the reader normalised still need rewriting.
        let on_disk = std::fs::read(&source.name).unwrap_or_default();
        let outcome = format_source(source).and_then(|text| {
            if text.as_bytes() == on_disk.as_slice() {
                return Ok(None);
            }
            same_meaning(source, &text, &calendars)?;
            Ok(Some(text))
        });
        match outcome {
            Ok(None) => {}
            Ok(Some(text)) => {
                if !args.check {
                    pauta::atomic::write(std::path::Path::new(&source.name), text.as_bytes()).map_err(
                        |e| {
                            super::fail(
                                "U012",
                                format!(
                                    "no se pudo escribir `{}`: {}; el archivo queda como estaba",
                                    source.name,
                                    pauta::text::io_reason(&e)
                                ),
                            )
                        },
                    )?;
                }
                changed.push(source.name.clone());
            }
            Err(diagnostic) => {
                broken += 1;
                report.push_str(&diagnostic.locate(source).render());
                report.push('\n');
            }
        }
    }
    for name in &changed {
        let verb = if args.check { "sin formato" } else { "formateado" };
        report.push_str(&format!("{verb}: {name}\n"));
    }
    let total = sources.len();
    let summary = match (args.check, changed.len()) {
        (_, 0) => format!("{total} archivo(s) revisado(s): todos tienen el formato canónico"),
        (true, n) => format!(
            "{total} archivo(s) revisado(s): {n} sin el formato canónico (ejecute `pauta fmt` para corregirlos)"
        ),
        (false, n) => format!("{total} archivo(s) revisado(s): {n} formateado(s)"),
    };
    report.push_str(&summary);
    if broken > 0 {
        report.push_str(&format!(
            "; {broken} sin tocar por los errores señalados (corríjalos y repita)"
        ));
    }
    report.push_str(".\n");
    super::emit_human(&report)?;
    Ok(if broken > 0 {
        ExitCode::from(super::CANNOT_RUN)
    } else if args.check && !changed.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
