//! One case explained from a whole export, as `pauta explain` and the workbench show it: the run
//! looks for the case, records its trace, and gathers the rows of it that were rejected.

use super::codes::Rejection;
use super::error::RunError;
use super::explain::explain;
use super::mapping::Mapping;
use super::run::{RunOptions, run};
use crate::policy::PolicySet;

/// What an export says about one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Explained {
    /// The case was evaluated: its explanation, followed by its rejected rows when it has some.
    Evaluated(String),
    /// The case was not evaluated: every row of it was rejected (the text lists them).
    Rejected(String),
}

impl Explained {
    /// The text to show.
    pub fn text(&self) -> &str {
        match self {
            Explained::Evaluated(text) | Explained::Rejected(text) => text,
        }
    }
}

/// A rejected row of the case, one line: `  casos línea 7: I003 fecha ilegible: …`.
pub fn rejection_line(rejection: &Rejection) -> String {
    format!(
        "  {} línea {}: {} {}: {}\n",
        rejection.file.label(),
        rejection.line,
        rejection.code.code(),
        rejection.code.meaning(),
        rejection.reason
    )
}

/// Evaluates the export of `options` looking for case `wanted` (trimmed) and explains it;
/// `cases_file` is how the explanation names the cases file, `tick` is called on every case
/// evaluated (for a progress bar). A case the export does not have is
/// [`RunError::CaseNotFound`].
pub fn explain_case(
    set: &PolicySet,
    mapping: &Mapping,
    options: &RunOptions,
    wanted: &str,
    cases_file: &str,
    mut tick: impl FnMut(),
) -> Result<Explained, RunError> {
    let wanted = wanted.trim().to_owned();
    let mut options = options.clone();
    options.trace_case = Some(wanted.clone());
    let mut text = String::new();
    let mut rejections = String::new();
    run(
        set,
        mapping,
        &options,
        |case, evaluation, context, trace| {
            tick();
            if let Some(trace) = trace {
                text.push_str(&explain(case, evaluation, context, trace, cases_file));
            }
            Ok(())
        },
        |rejection| {
            if rejection.case_id == wanted {
                rejections.push_str(&rejection_line(rejection));
            }
            Ok(())
        },
    )?;
    if !text.is_empty() {
        if !rejections.is_empty() {
            text.push_str("\nFilas rechazadas del caso:\n");
            text.push_str(&rejections);
        }
        return Ok(Explained::Evaluated(text));
    }
    if !rejections.is_empty() {
        return Ok(Explained::Rejected(format!(
            "El caso {wanted} no se evaluó; sus filas fueron rechazadas:\n{rejections}"
        )));
    }
    Err(RunError::CaseNotFound {
        case: wanted,
        path: cases_file.to_owned(),
    })
}
