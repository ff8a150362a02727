//! `pauta codes`: every code pauta prints, with what it belongs to and what it means (the same
//! table as section 9 of the guide).

use std::process::ExitCode;

use clap::ValueEnum;

/// Output format.
#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Tabla legible.
    Text,
    /// Tabla Markdown (la de la guía).
    Md,
    /// Documento JSON.
    Json,
}

/// Flags of `pauta codes`.
#[derive(clap::Args)]
pub struct Args {
    /// Un código (p. ej. E001) o el comienzo de varios (p. ej. E): solo esos.
    #[arg(value_name = "CÓDIGO")]
    code: Option<String>,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

/// Prints the registry (or the codes that start with the one given); exit 1 when none does.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let prefix = args.code.as_deref().unwrap_or("").to_uppercase();
    let entries: Vec<_> = pauta::catalogue::registry()
        .into_iter()
        .filter(|e| e.code.starts_with(&prefix))
        .collect();
    if entries.is_empty() {
        return Err(super::fail(
            "U001",
            format!("ningún código empieza por «{prefix}»; `pauta codes` los lista todos"),
        ));
    }
    match args.format {
        Format::Json => super::emit(&format!("{}\n", serde_json::to_string_pretty(&entries)?))?,
        Format::Md if prefix.is_empty() => super::emit(&pauta::catalogue::markdown_table())?,
        Format::Md | Format::Text => {
            let mut text = String::new();
            let mut family = "";
            for entry in &entries {
                if entry.family != family {
                    family = entry.family;
                    text.push_str(&format!("\n{family}\n"));
                }
                text.push_str(&format!("  {}  {}\n", entry.code, entry.meaning));
            }
            super::emit(text.trim_start())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
