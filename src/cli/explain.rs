//! `pauta explain CASE_ID`: the step-by-step reasoning for one case.

use std::process::ExitCode;

use pauta::cases::explain_case::{Explained, explain_case};

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
    let loaded = args.export.load()?;
    let cases_file = args.export.cases.display().to_string();
    let bar = super::progress::over_cases(&args.export.cases, "buscando el caso");
    let mut ticker = super::progress::Ticker::default();
    let explained = explain_case(
        &loaded.set,
        &loaded.mapping,
        &loaded.options,
        &args.case,
        &cases_file,
        || ticker.tick(bar.as_ref()),
    );
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let explained = explained?;
    super::emit(explained.text())?;
    Ok(match explained {
        Explained::Evaluated(_) => ExitCode::SUCCESS,
        Explained::Rejected(_) => ExitCode::from(1),
    })
}
