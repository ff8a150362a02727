//! `pauta diff OLD NEW`: what changes of substance between two versions (or two calendars), and
//! with `--cases`, what the change does to an export before it is adopted.
//!
//! Exit codes, like `diff(1)`: 0 no difference, 1 differences found, 2 could not run.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pauta::diff::{DiffError, Loader, Version, compare, impact, render};

use super::input::ExportArgs;

use super::format::TextOrJson as Format;

/// Flags of `pauta diff`.
#[derive(clap::Args)]
pub struct Args {
    /// Versión anterior: un archivo `.pauta` o `CÓDIGO@VERSIÓN` (p. ej. `M1-3-06@11`; `CÓDIGO` solo = la última versión).
    old: String,
    /// Versión nueva: un archivo `.pauta` o `CÓDIGO@VERSIÓN`.
    new: String,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Carpeta de políticas donde buscar `CÓDIGO@VERSIÓN` (por defecto, la del espacio de trabajo:
    /// pauta.toml o policies/; si no hay, las incluidas en el programa); sus calendarios sirven
    /// también a un archivo `.pauta` que no trae el suyo.
    #[arg(long, value_name = "RUTA")]
    policies: Option<PathBuf>,
    /// Exportación de casos de Aranda (CSV): se evalúa con ambas versiones y se resume qué casos cambian.
    #[arg(long, value_name = "ARCHIVO")]
    cases: Option<PathBuf>,
    /// Archivo de historial de estados (CSV) de la exportación, opcional.
    #[arg(long, value_name = "ARCHIVO", requires = "cases")]
    history: Option<PathBuf>,
    /// Archivo de asignación (encabezados, fechas, codificación); vea `pauta mapping`.
    #[arg(long, value_name = "ARCHIVO", requires = "cases")]
    mapping: Option<PathBuf>,
    /// Fecha de corte, hora de Bogotá ('AAAA-MM-DD HH:MM:SS'); por defecto, ahora.
    #[arg(long, value_name = "FECHA", requires = "cases")]
    as_of: Option<String>,
}

/// Print the diff; exit 0 when empty, 1 when there are differences.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match diff(args) {
        Ok(code) => Ok(code),
        Err(error) => {
            if let Some(report) = error.downcast_ref::<DiffError>().and_then(DiffError::report) {
                for diagnostic in report.files.iter().flat_map(|f| &f.diagnostics) {
                    super::paint::eprint(&format!("{}\n", diagnostic.render()));
                }
            }
            Err(error)
        }
    }
}

fn diff(args: &Args) -> anyhow::Result<ExitCode> {
    // The policies folder is read only for a `CODE@VERSION` side: two files need no workspace.
    let workspace = if [&args.old, &args.new]
        .iter()
        .all(|spec| Path::new(spec).is_file())
    {
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        pauta::policy::workspace::find(args.policies.as_deref(), &cwd)?
    } else {
        super::workspace(args.policies.as_ref())?
    };
    let mut loader = Loader::new(workspace.policies.path().map(std::path::Path::to_path_buf));
    let old = loader.load(&args.old)?;
    let new = loader.load(&args.new)?;
    let mut result = compare(&old, &new)?;
    if let Some(cases) = &args.cases {
        let (Version::Procedure(old), Version::Procedure(new)) = (&old, &new) else {
            return Err(DiffError::ImpactNeedsProcedures.into());
        };
        let export = ExportArgs {
            cases: cases.clone(),
            history: args.history.clone(),
            policies: args.policies.clone(),
            mapping: args.mapping.clone(),
            as_of: args.as_of.clone(),
            policy: None,
            procedure: None,
            pin_version: None,
            memoria_acotada: false,
        };
        let loaded = export.load_in(workspace.clone())?;
        let bar = super::progress::over_cases(cases, "evaluando con ambas versiones")
            .inspect(|bar| bar.set_length(bar.length().unwrap_or(1).saturating_mul(2)));
        let mut progress = |done: u64| {
            if let Some(bar) = &bar {
                bar.set_position(done);
            }
        };
        let impact =
            impact::evaluate_with_progress(old, new, &loaded.mapping, &loaded.options, &mut progress);
        if let Some(bar) = &bar {
            bar.finish_and_clear();
        }
        result.impact = Some(impact?);
    }
    match args.format {
        Format::Text => super::emit_human(&render::text(&result))?,
        Format::Json => super::emit(&format!("{}\n", serde_json::to_string_pretty(&result)?))?,
    }
    Ok(if result.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
