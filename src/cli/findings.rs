//! What the publication-check subcommands (`banner`, `sms`, `document`) share: the policy flags
//! and how the policy in force is chosen, the output format, date parsing and finding rendering.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use pauta::assets::review::{PROCEDURE, policy_in_force};
use pauta::assets::{Counts, Finding};
use pauta::policy::model::Policy;

/// Output format of a check.
pub use super::format::TextOrJson as Format;

/// Which policy to apply.
#[derive(clap::Args)]
pub struct PolicyArgs {
    /// Versión de la política (`M1-3-06@11`). Por defecto, la versión de M1-3-06 vigente hoy.
    #[arg(long, value_name = "CÓDIGO@VERSIÓN")]
    policy: Option<String>,
    /// Carpeta de políticas (por defecto, las incluidas en el programa).
    #[arg(long, value_name = "CARPETA")]
    policies: Option<PathBuf>,
}

/// The chosen policy: `--policy`, or the version of M1-3-06 in force today.
pub fn select_policy(args: &PolicyArgs) -> anyhow::Result<Policy> {
    let set = super::load_policies(args.policies.as_ref())?;
    let policy = match &args.policy {
        Some(id) => super::find_policy(&set, id)?,
        None => {
            let today = chrono::Local::now().date_naive();
            policy_in_force(&set, today).ok_or_else(|| {
                super::fail(
                    "U010",
                    format!(
                        "no hay una versión de {PROCEDURE} vigente hoy ({today}); {}",
                        super::policy_ids(&set)
                    ),
                )
            })?
        }
    };
    Ok(policy.clone())
}

/// Parse a `YYYY-MM-DD` date flag.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("la fecha «{text}» no es válida; escríbala como AAAA-MM-DD (p. ej. 2025-03-01)"))
}

/// Every finding, one block each, then a blank line if there were any.
pub fn render_findings(findings: &[Finding]) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&finding.render());
    }
    if !findings.is_empty() {
        out.push('\n');
    }
    out
}

/// The rules applied, as a bulleted list.
pub fn render_rules(rules: &[String]) -> String {
    let mut out = String::from("Cómo se cuenta:\n");
    for rule in rules {
        let _ = writeln!(out, "  - {rule}");
    }
    out.push('\n');
    out
}

/// The closing line.
pub fn verdict(counts: Counts) -> String {
    let state = if counts.errors == 0 { "cumple" } else { "no cumple" };
    format!(
        "Resultado: {state} ({} error(es), {} aviso(s)).\n",
        counts.errors, counts.warnings
    )
}

/// Print a report as pretty JSON.
pub fn emit_json<T: serde::Serialize>(report: &T) -> anyhow::Result<()> {
    super::emit(&format!("{}\n", serde_json::to_string_pretty(report)?))
}

/// Exit 0 when nothing failed, 1 otherwise.
pub fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
