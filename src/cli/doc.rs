//! `pauta doc [CODE@VERSION] [--format md|html] [--output FILE] [--policies DIR]`: a policy
//! rendered as the procedure's document, in Spanish (Markdown with a Mermaid diagram, or
//! self-contained HTML with an SVG diagram).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use pauta::doc::{Format as DocFormat, render};

/// Output format.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Markdown, con el diagrama de estados en Mermaid.
    Md,
    /// HTML autocontenido (CSS y diagrama SVG en línea), listo para imprimir en A4.
    Html,
}

/// Flags of `pauta doc`.
#[derive(clap::Args)]
pub struct Args {
    /// `CÓDIGO@VERSIÓN` (p. ej. `M1-3-06@11`) o `CÓDIGO` para la última versión. Por defecto, M1-3-06.
    #[arg(long = "policy", value_name = "CÓDIGO@VERSIÓN")]
    policy: Option<String>,
    /// La política como argumento suelto (forma anterior de --policy).
    #[arg(hide = true, conflicts_with = "policy")]
    positional: Option<String>,
    /// Formato (por defecto, el de la extensión de --output, o md).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Archivo de salida (por defecto, la salida estándar).
    #[arg(long, value_name = "ARCHIVO")]
    output: Option<PathBuf>,
    /// Carpeta de políticas (por defecto, las incluidas en el programa).
    #[arg(long)]
    policies: Option<PathBuf>,
}

/// Render the document and print it or write it.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let set = super::load_policies(args.policies.as_ref())?;
    let id = super::chosen_policy(args.policy.as_deref(), args.positional.as_deref());
    let policy = super::find_policy(&set, id)?;
    let format = match args.format {
        Some(Format::Md) => DocFormat::Markdown,
        Some(Format::Html) => DocFormat::Html,
        None => args
            .output
            .as_ref()
            .and_then(|path| path.extension())
            .and_then(|ext| DocFormat::from_extension(&ext.to_string_lossy()))
            .unwrap_or(DocFormat::Markdown),
    };
    let text = render(policy, &set, format);
    match &args.output {
        Some(path) => {
            pauta::atomic::write(path, text.as_bytes()).map_err(|error| {
                super::fail(
                    "U012",
                    format!(
                        "no se pudo escribir `{}`: {}; verifique que la carpeta exista y se pueda escribir en ella",
                        path.display(),
                        pauta::text::io_reason(&error)
                    ),
                )
            })?;
            eprintln!("documento de {} escrito en {}", policy.id(), path.display());
        }
        None => super::emit(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}
