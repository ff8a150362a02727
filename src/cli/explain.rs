//! `pauta explain CASE_ID`: the step-by-step reasoning for one case.

use std::process::ExitCode;

use pauta::cases::explain::explain;
use pauta::cases::{RunError, run};

use super::input::ExportArgs;

/// Flags of `pauta explain`.
#[derive(clap::Args)]
pub struct Args {
    /// Número del caso.
    case: String,
    #[command(flatten)]
    export: ExportArgs,
}

/// Explain one case; exit 0 when evaluated, 1 when its row was rejected.
pub fn run_command(args: &Args) -> anyhow::Result<ExitCode> {
    let mut loaded = args.export.load()?;
    let wanted = args.case.trim().to_owned();
    loaded.options.trace_case = Some(wanted.clone());
    let cases_file = args.export.cases.display().to_string();
    let mut text = String::new();
    let mut rejections = String::new();
    let bar = super::progress::over_cases(&args.export.cases, "buscando el caso");
    let mut ticker = super::progress::Ticker::default();
    let ran = run(
        &loaded.set,
        &loaded.mapping,
        &loaded.options,
        |case, evaluation, context, trace| {
            ticker.tick(bar.as_ref());
            if let Some(trace) = trace {
                text.push_str(&explain(case, evaluation, context, trace, &cases_file));
            }
            Ok(())
        },
        |rejection| {
            if rejection.case_id == wanted {
                rejections.push_str(&format!(
                    "  {} línea {}: {} {}: {}\n",
                    rejection.file.label(),
                    rejection.line,
                    rejection.code.code(),
                    rejection.code.meaning(),
                    rejection.reason
                ));
            }
            Ok(())
        },
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    ran?;
    if !text.is_empty() {
        if !rejections.is_empty() {
            text.push_str("\nFilas rechazadas del caso:\n");
            text.push_str(&rejections);
        }
        super::emit(&text)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !rejections.is_empty() {
        super::emit(&format!(
            "El caso {wanted} no se evaluó; sus filas fueron rechazadas:\n{rejections}"
        ))?;
        return Ok(ExitCode::from(1));
    }
    Err(RunError::CaseNotFound {
        case: wanted,
        path: cases_file,
    }
    .into())
}
