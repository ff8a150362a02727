//! `pauta sms check FILE.csv [--fix OUT.csv] [--errors OUT.csv]`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use pauta::assets::review::{SmsFix, review_sms};
use pauta::assets::sms::{SmsReport, default_errors_path};

use super::findings::{
    Format, PolicyArgs, emit_json, exit, render_findings, render_rules, select_policy, verdict,
};

/// `pauta sms …`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Revisa una lista de campaña SMS (columnas, longitud GSM-7, tildes, cédulas, duplicados).
    Check(CheckArgs),
}

/// Flags of `pauta sms check`.
#[derive(clap::Args)]
struct CheckArgs {
    /// La lista de la campaña (CSV en UTF-8, UTF-8 con BOM o Windows-1252; separada por `,` o `;`).
    file: PathBuf,
    /// Escribe aquí la lista corregida (tildes transliteradas y espacios quitados; nada más cambia).
    #[arg(long, value_name = "SALIDA.csv")]
    fix: Option<PathBuf>,
    /// Escribe aquí las filas que no se pudieron corregir y por qué (por defecto, junto a --fix: SALIDA.errores.csv).
    #[arg(long, value_name = "ERRORES.csv", requires = "fix")]
    errors: Option<PathBuf>,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    policy: PolicyArgs,
}

/// Run `pauta sms …`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Command::Check(args) = &args.command;
    let policy = select_policy(&args.policy)?;
    let errors = args
        .fix
        .as_ref()
        .map(|fixed| args.errors.clone().unwrap_or_else(|| default_errors_path(fixed)));
    let fix = args
        .fix
        .as_deref()
        .zip(errors.as_deref())
        .map(|(fixed, errors)| SmsFix { fixed, errors });
    let report = review_sms(&args.file, fix, &policy)?;
    match args.format {
        Format::Json => emit_json(&report)?,
        Format::Text => super::emit_human(&text(&report))?,
    }
    Ok(exit(report.failed()))
}

fn text(r: &SmsReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Campaña SMS {} — política {}", r.file, r.policy);
    let _ = writeln!(
        out,
        "  codificación {} · separador {}",
        r.encoding.label(),
        match r.delimiter {
            '\t' => "tabulador".to_owned(),
            other => format!("«{other}»"),
        }
    );
    for c in &r.columns {
        let found = match &c.found {
            Some(header) => format!("columna «{header}»"),
            None => "FALTA".to_string(),
        };
        let _ = writeln!(out, "  {:<18} {found}", c.required);
    }
    out.push('\n');
    out.push_str(&render_rules(&r.rules));
    out.push_str(&render_findings(&r.findings));
    let unchecked = if r.unchecked_rows > 0 {
        let columns: Vec<String> = r.missing_columns.iter().map(|c| format!("«{c}»")).collect();
        let missing = match columns.as_slice() {
            [one] => format!("falta la columna obligatoria {one}; agréguela"),
            many => format!("faltan las columnas obligatorias {}; agréguelas", many.join(", ")),
        };
        format!(" (ninguna se pudo revisar completa: {missing} al encabezado y revise de nuevo)")
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "Filas: {} leída(s) = {} sin problemas + {} solo con avisos + {} con errores{unchecked}.",
        r.rows, r.clean_rows, r.warning_rows, r.error_rows
    );
    match &r.fix {
        Some(fix) => {
            let _ = writeln!(
                out,
                "Corrección: {} leída(s) = {} en {} ({} modificada(s)) + {} en {}.",
                r.rows, fix.fixed_rows, fix.fixed_file, fix.changed_rows, fix.error_rows, fix.errors_file
            );
            let _ = writeln!(
                out,
                "Segunda revisión de {}: {} error(es), {} aviso(s).",
                fix.fixed_file, fix.recheck_errors, fix.recheck_warnings
            );
            let state = if r.failed() {
                "quedan filas por corregir a mano"
            } else {
                "la lista corregida cumple"
            };
            let _ = writeln!(out, "Resultado: {state}.");
        }
        None => out.push_str(&verdict(r.counts)),
    }
    out
}
