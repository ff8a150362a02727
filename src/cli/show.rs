//! `pauta show [CODE@VERSION] [--json]`: a compiled policy, as a summary or in full JSON.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use pauta::policy::model::{Clock, Policy, Reasons};
use pauta::wording::weekday;

/// Flags of `pauta show`.
#[derive(clap::Args)]
pub struct Args {
    /// `CÓDIGO@VERSIÓN` (p. ej. `M1-3-06@11`) o `CÓDIGO` para la última versión. Por defecto, M1-3-06.
    #[arg(long = "policy", value_name = "CÓDIGO@VERSIÓN")]
    policy: Option<String>,
    /// La política como argumento suelto (forma anterior de --policy).
    #[arg(hide = true, conflicts_with = "policy")]
    positional: Option<String>,
    /// Formato de salida: un resumen legible, o la política compilada completa en JSON.
    #[arg(long, value_enum, default_value = "text")]
    format: super::format::TextOrJson,
    /// Lo mismo que --format json.
    #[arg(long, hide = true)]
    json: bool,
    /// Carpeta de políticas (por defecto, la del espacio de trabajo; si no hay, las incluidas).
    #[arg(long)]
    policies: Option<PathBuf>,
}

/// Print the policy.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let set = super::load_policies(args.policies.as_ref())?;
    let id = super::chosen_policy(args.policy.as_deref(), args.positional.as_deref());
    let policy = super::find_policy(&set, id)?;
    if args.json || args.format == super::format::TextOrJson::Json {
        super::emit(&format!("{}\n", serde_json::to_string_pretty(policy)?))?;
    } else {
        super::emit(&summary(policy))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn clock_label(clock: Clock) -> &'static str {
    match clock {
        Clock::Runs => "corre",
        Clock::Paused => "pausa",
        Clock::Final => "final",
    }
}

/// A readable Spanish summary of a policy.
fn summary(p: &Policy) -> String {
    let mut out = String::new();
    write_header(&mut out, p);
    write_states(&mut out, p);
    write_transitions(&mut out, p);
    write_categories(&mut out, p);
    write_rules_and_gaps(&mut out, p);
    out
}

/// "día hábil" or "días hábiles", agreeing with `d`.
fn business_days_word(d: u32) -> &'static str {
    if d == 1 { "día hábil" } else { "días hábiles" }
}

/// The title line, then when the version applies, its calendar and office hours.
fn write_header(out: &mut String, p: &Policy) {
    let _ = writeln!(out, "{} versión {} — {}", p.code, p.version, p.name);
    let workdays = match (p.hours.workdays.first(), p.hours.workdays.last()) {
        (Some(first), Some(last)) => format!("{} a {}", weekday(*first), weekday(*last)),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "vigente desde {} · calendario \"{}\" · horario {workdays} {}–{} (fuera de horario: siguiente día hábil)",
        p.effective_from,
        p.calendar,
        p.hours.opens.format("%H:%M"),
        p.hours.closes.format("%H:%M")
    );
}

/// «Estados»: each state with its clock and roles.
fn write_states(out: &mut String, p: &Policy) {
    let _ = writeln!(out, "\nEstados ({}):", p.states.len());
    for s in &p.states {
        let mut flags = vec![clock_label(s.clock)];
        if s.initial {
            flags.insert(0, "inicial");
        }
        if s.solution {
            flags.push("solución");
        }
        if s.excluded {
            flags.push("excluido");
        }
        let _ = writeln!(out, "  {:<14} {}", s.name, flags.join(", "));
    }
}

/// «Transiciones»: each one with its reasons and marks, then the automatic close.
fn write_transitions(out: &mut String, p: &Policy) {
    let _ = writeln!(out, "\nTransiciones ({}):", p.transitions.len());
    for t in &p.transitions {
        let reasons = match &t.reasons {
            Reasons::Any => "cualquier razón".to_string(),
            Reasons::List(list) => list
                .iter()
                .map(|r| format!("\"{r}\""))
                .collect::<Vec<_>>()
                .join(", "),
        };
        let mut marks = Vec::new();
        if let Some(section) = &t.section {
            marks.push(section.clone());
        }
        if t.automatic {
            marks.push("automática".to_string());
        }
        if t.implicit {
            marks.push("implícita".to_string());
        }
        let _ = writeln!(out, "  {} -> {}: {reasons} [{}]", t.from, t.to, marks.join(", "));
    }
    if let Some(close) = &p.auto_close {
        let unit = if close.business_days {
            "días hábiles"
        } else {
            "días calendario"
        };
        let _ = writeln!(
            out,
            "  cierre automático {} -> {} tras {} {unit}",
            close.from, close.to, close.after_days
        );
    }
}

/// «Categorías» with their ANS and channels, then the exception regime and the monthly
/// sampling, when the policy has them.
fn write_categories(out: &mut String, p: &Policy) {
    let _ = writeln!(out, "\nCategorías ({}):", p.categories.len());
    for c in &p.categories {
        let _ = writeln!(
            out,
            "  {:>2} {:<13} {}  [{}]",
            c.ans.business_days,
            business_days_word(c.ans.business_days),
            c.name,
            c.channels.join(", ")
        );
    }
    if let Some(e) = &p.exceptions {
        let counting = if e.ans.counts_reception_day {
            ", cuenta el día de recepción"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "\nExcepciones: {} {}{counting}; recibidas antes de {}; {} tipos",
            e.ans.business_days,
            business_days_word(e.ans.business_days),
            e.received_before.format("%H:%M"),
            e.types.len()
        );
    }
    if let Some(s) = &p.sampling {
        let _ = writeln!(
            out,
            "Muestreo mensual: confianza {} %, error {} %, proporción {}",
            s.confidence * 100.0,
            s.margin * 100.0,
            s.proportion
        );
    }
}

/// «Reglas» with their severity and line, then the procedure's gaps (`implícita` items).
fn write_rules_and_gaps(out: &mut String, p: &Policy) {
    let _ = writeln!(out, "\nReglas ({}):", p.rules.len());
    for r in &p.rules {
        let severity = match r.severity {
            pauta::policy::model::RuleSeverity::Error => "error",
            pauta::policy::model::RuleSeverity::Warning => "aviso",
        };
        let _ = writeln!(out, "  {} ({severity}, línea {})", r.name, r.line);
    }
    let _ = writeln!(
        out,
        "\nVacíos del procedimiento ({} ítems `implícita`):",
        p.gaps.len()
    );
    for g in &p.gaps {
        let _ = writeln!(out, "  línea {:>3}: {}", g.line, g.item);
    }
}
