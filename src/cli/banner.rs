//! `pauta banner check FILE …` and `pauta banner inventory FILE.csv [--on DATE]`.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use chrono::NaiveDate;
use pauta::assets::banner::{BannerReport, BannerRequest};
use pauta::assets::grouped;
use pauta::assets::inventory::{InventoryReport, check_inventory};
use pauta::assets::kib;
use pauta::assets::review::review_banner;
use pauta::policy::model::{BannerLimits, Policy};

use super::findings::{
    Format, PolicyArgs, emit_json, exit, parse_date, render_findings, render_rules, select_policy, verdict,
};

/// `pauta banner …`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// Revisa un banner: formato real, peso, medidas, palabras y permanencia.
    Check(CheckArgs),
    /// Revisa el inventario de banners publicados (CSV: id, placement, from, until).
    Inventory(InventoryArgs),
}

/// Flags of `pauta banner check`.
#[derive(clap::Args)]
struct CheckArgs {
    /// La imagen del banner.
    file: PathBuf,
    /// Ubicación: `home` (Home Principal) o `internal` (Secciones Internas), o su nombre.
    #[arg(long)]
    placement: String,
    /// Título del banner.
    #[arg(long)]
    title: Option<String>,
    /// Complemento o descripción.
    #[arg(long)]
    description: Option<String>,
    /// Llamado a la acción.
    #[arg(long)]
    cta: Option<String>,
    /// Primer día de publicación (AAAA-MM-DD).
    #[arg(long, value_parser = parse_date)]
    from: NaiveDate,
    /// Último día de publicación, incluido (AAAA-MM-DD).
    #[arg(long, value_parser = parse_date)]
    until: NaiveDate,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    policy: PolicyArgs,
}

/// Flags of `pauta banner inventory`.
#[derive(clap::Args)]
struct InventoryArgs {
    /// CSV de banners publicados con columnas id, placement, from, until.
    file: PathBuf,
    /// Fecha en que se revisa qué debe retirarse (AAAA-MM-DD). Por defecto, hoy.
    #[arg(long, value_parser = parse_date)]
    on: Option<NaiveDate>,
    /// Formato de salida.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    policy: PolicyArgs,
}

fn limits(policy: &Policy) -> anyhow::Result<&BannerLimits> {
    pauta::assets::review::banner_limits(policy).context("no se puede revisar el banner")
}

/// Run `pauta banner …`.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    match &args.command {
        Command::Check(args) => check(args),
        Command::Inventory(args) => inventory(args),
    }
}

fn check(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let policy = select_policy(&args.policy)?;
    let limits = limits(&policy)?;
    let request = BannerRequest {
        placement: args.placement.clone(),
        title: args.title.clone(),
        description: args.description.clone(),
        call_to_action: args.cta.clone(),
        from: args.from,
        until: args.until,
    };
    let report = review_banner(&args.file, &request, &policy)?;
    match args.format {
        Format::Json => emit_json(&report)?,
        Format::Text => super::emit_human(&banner_text(&report, limits))?,
    }
    Ok(exit(report.counts.errors > 0))
}

fn banner_text(r: &BannerReport, limits: &BannerLimits) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Banner {} — política {}, ubicación «{}»",
        r.file, r.policy, r.placement
    );
    let extension = r
        .extension
        .as_deref()
        .map(|e| format!(".{e}"))
        .unwrap_or("(ninguna)".into());
    let _ = writeln!(
        out,
        "  formato real  {} (extensión {extension}) · se admite {}",
        r.image.format.label(),
        limits.formats.join(", ")
    );
    let max = match (r.max_bytes, &limits.max_weight_text) {
        (Some(bytes), Some(text)) => format!(" · máximo {text} ({} bytes)", grouped(bytes)),
        (Some(bytes), None) => format!(" · máximo {}", kib(bytes)),
        _ => String::new(),
    };
    let _ = writeln!(out, "  peso          {}{max}", kib(r.bytes));
    let size = match (r.image.width, r.image.height) {
        (Some(w), Some(h)) => format!("{w} × {h} px"),
        _ => "no se pudieron leer".to_string(),
    };
    let _ = writeln!(
        out,
        "  medidas       {size} · se exige {} × {} px",
        r.required_width, r.required_height
    );
    for t in &r.texts {
        let words = match t.words {
            Some(n) => format!("{n} palabra(s)"),
            None => "no indicado".to_string(),
        };
        let max = t.max.map(|m| format!(" · máximo {m}")).unwrap_or_default();
        let _ = writeln!(out, "  {:<13} {words}{max}", label(t.field));
    }
    let latest = match (r.latest_until, r.max_months) {
        (Some(latest), Some(months)) => format!(" · máximo {months} meses: hasta {latest}"),
        _ => String::new(),
    };
    let _ = writeln!(out, "  permanencia   {} a {}{latest}", r.from, r.until);
    out.push('\n');
    out.push_str(&render_rules(&r.rules));
    out.push_str(&render_findings(&r.findings));
    out.push_str(&verdict(r.counts));
    out
}

fn label(field: &str) -> &str {
    match field {
        "llamado a la acción" => "llamado",
        other => other,
    }
}

fn inventory(args: &InventoryArgs) -> anyhow::Result<ExitCode> {
    let policy = select_policy(&args.policy)?;
    let limits = limits(&policy)?;
    let on = args.on.unwrap_or_else(|| chrono::Local::now().date_naive());
    let report = check_inventory(&args.file, on, limits, &policy.id())?;
    match args.format {
        Format::Json => emit_json(&report)?,
        Format::Text => super::emit_human(&inventory_text(&report))?,
    }
    Ok(exit(report.counts.errors > 0))
}

fn inventory_text(r: &InventoryReport) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Inventario de banners {} — política {}, revisado el {}",
        r.file, r.policy, r.on
    );
    let _ = writeln!(
        out,
        "  {} fila(s) leída(s), {} banner(s) válido(s)",
        r.rows,
        r.entries.len()
    );
    for (placement, count, max) in &r.in_force {
        let max = max.map(|m| format!(" (máximo {m})")).unwrap_or_default();
        let _ = writeln!(out, "  vigentes el {} en «{placement}»: {count}{max}", r.on);
    }
    let down = if r.take_down.is_empty() {
        "ninguno".to_string()
    } else {
        r.take_down.join(", ")
    };
    let _ = writeln!(out, "  deben retirarse el {}: {down}", r.on);
    out.push('\n');
    out.push_str(&render_rules(&r.rules));
    out.push_str(&render_findings(&r.findings));
    out.push_str(&verdict(r.counts));
    out
}
