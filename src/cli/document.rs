//! `pauta document check FILE [--scrub OUT]`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use pauta::assets::document::{DocumentReport, Kind};
use pauta::assets::grouped;
use pauta::assets::review::review_document;

use super::findings::{
    Format, PolicyArgs, emit_json, exit, render_findings, render_rules, select_policy, verdict,
};

/// `pauta document …`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Revisa un documento a publicar (PDF o xlsx): contraseña, texto buscable, metadatos, accesibilidad.
    Check(CheckArgs),
}

/// Flags of `pauta document check`.
#[derive(clap::Args)]
struct CheckArgs {
    /// El documento.
    file: PathBuf,
    /// Escribe aquí una copia sin metadatos (conserva título e idioma) y la revisa de nuevo.
    #[arg(long, value_name = "SALIDA")]
    scrub: Option<PathBuf>,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    policy: PolicyArgs,
}

/// Run `pauta document …`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Command::Check(args) = &args.command;
    let policy = select_policy(&args.policy)?;
    let report = review_document(&args.file, args.scrub.as_deref(), &policy)?;
    match args.format {
        Format::Json => emit_json(&report)?,
        Format::Text => super::emit_human(&text(&report))?,
    }
    Ok(exit(report.failed()))
}

fn yes(b: bool) -> &'static str {
    if b { "sí" } else { "no" }
}

fn text(r: &DocumentReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Documento {} — política {}", r.file, r.policy);
    let _ = write!(out, "  formato real  {} · {} bytes", r.format, grouped(r.bytes));
    if let (Kind::Pdf, Some(f)) = (r.kind, &r.facts) {
        let _ = write!(out, " · {} página(s)", f.pages);
    }
    out.push('\n');
    if let Some(f) = &r.facts {
        let title = f
            .title
            .as_deref()
            .map(|t| format!("«{t}»"))
            .unwrap_or("no".into());
        let language = f.language.as_deref().unwrap_or("no");
        let _ = write!(out, "  título {title} · idioma {language}");
        if r.kind == Kind::Pdf {
            let _ = write!(out, " · etiquetado {}", yes(f.tagged));
        }
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&render_rules(&r.rules));
    out.push_str(&render_findings(&r.findings));
    match &r.scrub {
        Some(scrub) if scrub.written => {
            let _ = writeln!(
                out,
                "Copia limpia escrita en {}. Segunda revisión de la copia:",
                scrub.output
            );
            if scrub.recheck.is_empty() {
                out.push_str("  sin hallazgos.\n");
            } else {
                for f in &scrub.recheck {
                    out.push_str(&f.render());
                }
            }
            let state = if r.failed() {
                "la copia limpia todavía no cumple"
            } else {
                "la copia limpia cumple"
            };
            let _ = writeln!(
                out,
                "\nResultado: {state} ({} error(es), {} aviso(s) en la copia; el original no se modificó).",
                scrub.recheck_counts.errors, scrub.recheck_counts.warnings
            );
        }
        Some(scrub) => {
            let _ = writeln!(out, "No se escribió la copia limpia {}.", scrub.output);
            out.push_str(&verdict(r.counts));
        }
        None => out.push_str(&verdict(r.counts)),
    }
    out
}
