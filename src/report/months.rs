//! The months an export covers (`pauta report --meses`): for each month from the first
//! reception to the last reception or solution, the cases solved in it (the report's population)
//! and the open cases past their deadline at its last second — the same numbers the month's
//! report would show, because each month is evaluated at its own cut, as the report does.

use polars::prelude::*;

use super::error::ReportError;
use super::month::Month;
use super::population::{Collector, in_population, is_overdue, overdue, population};
use crate::cases::context::PolicyContext;
use crate::cases::evaluate::Trace;
use crate::cases::{
    Case, Evaluation, Mapping, ReadHistory, Rejection, RunOptions, Summary, run, run_with_history,
};
use crate::policy::PolicySet;

/// What the list says when the export covers no month (no case could be evaluated).
pub const NO_MONTHS: &str = "La exportación no tiene casos evaluados: no cubre ningún mes.\n";

/// One month of the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct MonthRow {
    /// The calendar month, serialised as `AAAA-MM`.
    #[serde(serialize_with = "month_key")]
    pub month: Month,
    /// Cases solved in the month, annulled ones excluded: the report's population N.
    pub solved: u64,
    /// Open cases past their deadline at the month's last second.
    pub overdue: u64,
}

fn month_key<S: serde::Serializer>(month: &Month, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&month.key())
}

/// Evaluates the export at `options.as_of` (its history already read, when `history`) and
/// returns its frame.
fn evaluate<R>(
    set: &PolicySet,
    mapping: &Mapping,
    options: &RunOptions,
    history: Option<&mut ReadHistory>,
    on_reject: R,
) -> Result<(DataFrame, Summary), ReportError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let mut collector = Collector::default();
    let on_case =
        |case: &Case, evaluation: &Evaluation<'_>, context: &PolicyContext<'_>, _: Option<&Trace>| {
            collector.push(case, evaluation, context, options.as_of);
            Ok(())
        };
    let summary = match history {
        Some(history) => run_with_history(set, mapping, options, history, on_case, on_reject)?,
        None => run(set, mapping, options, on_case, on_reject)?,
    };
    let (frame, _) = collector.into_frame()?;
    Ok((frame, summary))
}

/// The solved and overdue cases of `month`, the export judged at the month's last second:
/// counted as the cases are handed out, with no frame (the months of an export are many runs).
fn counts_at_cut(
    set: &PolicySet,
    mapping: &Mapping,
    options: &RunOptions,
    history: Option<&mut ReadHistory>,
    month: Month,
) -> Result<(u64, u64), ReportError> {
    let at_cut = RunOptions {
        as_of: month.last_instant(),
        ..options.clone()
    };
    let (mut solved, mut overdue) = (0, 0);
    let on_case = |_: &Case, evaluation: &Evaluation<'_>, _: &PolicyContext<'_>, _: Option<&Trace>| {
        solved += u64::from(in_population(evaluation, month));
        overdue += u64::from(is_overdue(evaluation));
        Ok(())
    };
    match history {
        Some(history) => run_with_history(set, mapping, &at_cut, history, on_case, |_| Ok(()))?,
        None => run(set, mapping, &at_cut, on_case, |_| Ok(()))?,
    };
    Ok((solved, overdue))
}

fn counts(frame: &DataFrame, month: Month) -> PolarsResult<(u64, u64)> {
    let solved = population(frame.clone().lazy(), month).collect()?.height() as u64;
    let overdue = overdue(frame.clone().lazy()).collect()?.height() as u64;
    Ok((solved, overdue))
}

/// The months of the export with their solved and overdue cases, oldest first. With
/// `fixed_as_of`, every month is judged at `options.as_of` (as `--as-of` makes the report do);
/// otherwise each month at its own last second. Rejected rows go to `on_reject` once.
pub fn list_months<R>(
    set: &PolicySet,
    mapping: &Mapping,
    options: &RunOptions,
    fixed_as_of: bool,
    on_reject: R,
) -> Result<(Vec<MonthRow>, Summary), ReportError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let mut on_reject = on_reject;
    // Read once for every month's run, unless it is to be read alongside the cases.
    let mut history = ReadHistory::read(set, mapping, options, &mut on_reject)?;
    let (frame, summary) = evaluate(set, mapping, options, history.as_mut(), &mut on_reject)?;
    let bounds = frame
        .clone()
        .lazy()
        .select([
            col("received_at").min().alias("first"),
            col("received_at").max().alias("last_received"),
            col("solved_at").max().alias("last_solved"),
        ])
        .collect()?;
    let value = |name: &str| -> PolarsResult<Option<i64>> {
        Ok(bounds.column(name)?.cast(&DataType::Int64)?.i64()?.get(0))
    };
    let (Some(first), Some(last_received)) = (value("first")?, value("last_received")?) else {
        return Ok((Vec::new(), summary));
    };
    let last = value("last_solved")?.map_or(last_received, |solved| solved.max(last_received));
    let (Some(mut month), Some(last)) = (Month::of_instant(first), Month::of_instant(last)) else {
        return Ok((Vec::new(), summary));
    };
    let mut rows = Vec::new();
    while month <= last {
        let (solved, overdue) = if fixed_as_of {
            counts(&frame, month)?
        } else {
            counts_at_cut(set, mapping, options, history.as_mut(), month)?
        };
        rows.push(MonthRow {
            month,
            solved,
            overdue,
        });
        month = month.next();
    }
    Ok((rows, summary))
}
