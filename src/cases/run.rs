//! The evaluation run: reads the history file into compact events, streams the cases file,
//! evaluates each case as it is read and hands it to the caller, and accounts for every row
//! (used or rejected). One code path for `evaluate`, `explain` and the monthly report.
//!
//! Its steps live beside it, in private modules of `cases`: the versions that judge
//! (`versions`), the columns (`columns`), the rows made into cases (`case_row`), the rule books
//! (`case_rules`), the batches (`pipeline`) of rows judged (`judge`) and handed out in file
//! order (`hand_out`), and the counts ([`Summary`]).

use std::path::PathBuf;
use std::sync::Arc;

use super::case_order::CaseOrder;
use super::case_rules::rule_books;
use super::codes::Rejection;
use super::columns::{case_columns, reads_columns};
use super::context::PolicyContext;
use super::dates::DateReader;
use super::error::RunError;
use super::evaluate::Trace;
use super::hand_out::reject_orphans;
use super::history::{HistoryStore, StateTable, read_history};
use super::history_stream::{HistoryScan, HistoryStream, scan_case_ids, scan_history};
use super::judge::JudgeContext;
use super::mapping::Mapping;
use super::memory;
use super::model::{Case, Evaluation};
use super::pipeline::judge_rows;
use super::source::CsvSource;
use super::versions::{Contexts, policy_contexts};
use crate::calendar::clock::LocalSeconds;
use crate::policy::PolicySet;

pub use super::summary::{RowCounts, Summary};

/// The warning shown when an export is evaluated without its history file (after `aviso: ` on
/// the command line, as it is on the workbench's page): what the results then lack.
pub const MISSING_HISTORY_WARNING: &str = "no se indicó archivo de historial (--history): no se \
     descuentan pausas ni se revisan transiciones, y los resultados pueden cambiar; indíquelo si la \
     exportación lo trae";

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Path of the cases export.
    pub cases: PathBuf,
    /// History file, if any.
    pub history: Option<PathBuf>,
    /// The as-of instant (local time).
    pub as_of: LocalSeconds,
    /// Procedure code; `None` when the policy set holds only one.
    pub procedure: Option<String>,
    /// Record a [`Trace`] for this case id (for `explain`).
    pub trace_case: Option<String>,
    /// Judge every case by this version, whatever its registration date (to compare versions
    /// on one export); `None` picks the version in force on each registration date.
    pub pinned_version: Option<u32>,
    /// How the history file is read.
    pub history_reading: HistoryReading,
}

/// How the history file is read: whole into memory (the fastest), or alongside the cases, a
/// batch of cases at a time, so that memory does not grow with the export.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HistoryReading {
    /// Whole into memory, unless it would not fit in the memory available; then alongside the
    /// cases if both files keep one case order, else whole, with a warning.
    #[default]
    Automatic,
    /// Alongside the cases, in bounded memory; the run stops (`E010`) unless both files keep
    /// one case order.
    Alongside,
}

/// Evaluates an export, calling `on_case` for every evaluated case (in file order) and
/// `on_reject` for every rejected row. Errors stop the run (unreadable file, missing columns,
/// unusable policies, or an error returned by a callback).
pub fn run<F, R>(
    set: &PolicySet,
    mapping: &Mapping,
    options: &RunOptions,
    mut on_case: F,
    mut on_reject: R,
) -> Result<Summary, RunError>
where
    F: FnMut(&Case, &Evaluation<'_>, &PolicyContext<'_>, Option<&Trace>) -> std::io::Result<()>,
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    mapping.validate(set)?;
    let contexts = policy_contexts(set, options)?;
    let dates = DateReader::new(&mapping.date_formats);
    let mut summary = Summary::default();
    let mut history = HistoryStore::default();
    let mut stream = None;
    if let Some(path) = &options.history {
        match alongside(path, mapping, &dates, options, &mut summary)? {
            Some((scan, order)) => {
                scan.hand_out(path, mapping, &dates, &mut summary, &mut on_reject)?;
                stream = Some(HistoryStream::open(path, mapping, &dates, order)?);
            }
            None => load_history(path, mapping, &dates, &mut history, &mut summary, &mut on_reject)?,
        }
    }
    judge_cases(
        mapping,
        options,
        &contexts,
        &dates,
        &mut history,
        stream,
        summary,
        &mut on_case,
        &mut on_reject,
    )
}

/// An export's history read whole once, to judge its cases at several instants (the months of
/// an export) without reading it again for each.
pub struct ReadHistory {
    store: HistoryStore,
    /// The history's counts and delimiter, as reading it left them.
    summary: Summary,
}

impl ReadHistory {
    /// Reads `options.history` whole (for the policies `set`), handing its unusable rows to
    /// `on_reject`; `None` without a history, or when it is to be read alongside the cases
    /// (asked for, or too large for the memory available): then every run reads it again.
    pub fn read<R>(
        set: &PolicySet,
        mapping: &Mapping,
        options: &RunOptions,
        mut on_reject: R,
    ) -> Result<Option<Self>, RunError>
    where
        R: FnMut(&Rejection) -> std::io::Result<()>,
    {
        let Some(path) = &options.history else {
            return Ok(None);
        };
        // What a run checks before it reads the history, in the same order.
        mapping.validate(set)?;
        policy_contexts(set, options)?;
        let (history_bytes, available) = memory_for(path);
        if options.history_reading == HistoryReading::Alongside || short_of_memory(history_bytes, available) {
            return Ok(None);
        }
        let dates = DateReader::new(&mapping.date_formats);
        let mut summary = Summary::default();
        let mut store = HistoryStore::default();
        load_history(path, mapping, &dates, &mut store, &mut summary, &mut on_reject)?;
        store.group();
        Ok(Some(ReadHistory { store, summary }))
    }
}

/// [`run`] with the history already read (`history`, read for `options.history`): the
/// history's unusable rows were handed out when it was read.
pub fn run_with_history<F, R>(
    set: &PolicySet,
    mapping: &Mapping,
    options: &RunOptions,
    history: &mut ReadHistory,
    mut on_case: F,
    mut on_reject: R,
) -> Result<Summary, RunError>
where
    F: FnMut(&Case, &Evaluation<'_>, &PolicyContext<'_>, Option<&Trace>) -> std::io::Result<()>,
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    mapping.validate(set)?;
    let contexts = policy_contexts(set, options)?;
    let dates = DateReader::new(&mapping.date_formats);
    judge_cases(
        mapping,
        options,
        &contexts,
        &dates,
        &mut history.store,
        None,
        history.summary.clone(),
        &mut on_case,
        &mut on_reject,
    )
}

/// Judges the cases file against `history` (read whole) or `stream` (read alongside), counting
/// in `summary` what reading the history counted.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one run, shared by its two entries"
)]
fn judge_cases<F, R>(
    mapping: &Mapping,
    options: &RunOptions,
    contexts: &Contexts<'_>,
    dates: &DateReader,
    history: &mut HistoryStore,
    mut stream: Option<HistoryStream<'_>>,
    mut summary: Summary,
    on_case: &mut F,
    on_reject: &mut R,
) -> Result<Summary, RunError>
where
    F: FnMut(&Case, &Evaluation<'_>, &PolicyContext<'_>, Option<&Trace>) -> std::io::Result<()>,
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let mut source = CsvSource::open(&options.cases, mapping)?;
    summary.cases_delimiter = char::from(source.delimiter());
    let columns = case_columns(&source, mapping)?;
    summary.absent_columns = columns.absent(mapping, options.history.is_some());
    let headers: Vec<Arc<str>> = source.headers().iter().map(|h| Arc::from(h.as_str())).collect();
    let engine = super::subject::engine();
    let rule_sets = rule_books(&engine, contexts)?;
    let keep_columns = reads_columns(&rule_sets);
    history.group();
    let states = StateTable::new(history, contexts, mapping);
    let judge_context = JudgeContext {
        columns: &columns,
        mapping,
        dates,
        contexts,
        options,
        keep_columns,
        rule_sets: &rule_sets,
        engine: &engine,
        headers: &headers,
        states: &states,
    };
    let seen = judge_rows(
        &mut source,
        &judge_context,
        history,
        stream.as_mut(),
        &mut summary,
        &mut *on_case,
        &mut *on_reject,
    )?;
    summary.windows_1252_fields += source.windows_1252_fields.get();
    reject_orphans(history, &seen, &mut summary, on_reject)?;
    if let (Some(stream), Some(path)) = (stream, &options.history) {
        stream.reject_orphans(path, mapping, &mut summary, on_reject)?;
    }
    Ok(summary)
}

/// Whether the history is read alongside the cases (with the first pass over it and the order
/// both files keep), as `options` ask and the memory available allows; a reading other than
/// the usual one is noted in `summary.history_note`.
fn alongside(
    path: &std::path::Path,
    mapping: &Mapping,
    dates: &DateReader,
    options: &RunOptions,
    summary: &mut Summary,
) -> Result<Option<(HistoryScan, CaseOrder)>, RunError> {
    let (history_bytes, available) = memory_for(path);
    let asked = options.history_reading == HistoryReading::Alongside;
    if !asked && !short_of_memory(history_bytes, available) {
        return Ok(None);
    }
    let (cases, scan) = std::thread::scope(|scope| {
        let cases = scope.spawn(|| scan_case_ids(&options.cases, mapping));
        let scan = scan_history(path, mapping, dates);
        let cases = cases.join().unwrap_or_else(|_| {
            Err(RunError::Unreadable {
                path: options.cases.display().to_string(),
                reason: "falló la lectura en paralelo".to_owned(),
            })
        });
        (cases, scan)
    });
    let (cases, scan) = (cases?, scan?);
    let sizes = format!(
        "el historial ({}) no cabe holgado en la memoria disponible ({})",
        memory::words(history_bytes),
        available.map_or_else(|| "?".to_owned(), memory::words),
    );
    match scan.order_with(&cases) {
        Ok(order) => {
            summary.history_note = (!asked).then(|| {
                format!(
                    "{sizes}: se lee junto a los casos, por tandas, sin cargarlo entero (los dos \
                     archivos siguen el orden {})",
                    order.words()
                )
            });
            Ok(Some((scan, order)))
        }
        Err(mismatch) => {
            let cases_path = options.cases.display().to_string();
            let reason = mismatch.words(&cases_path, &path.display().to_string());
            if asked {
                return Err(RunError::NotInCaseOrder { reason });
            }
            // Read whole, the history takes about 0.4 of its file: past the memory available,
            // trying would only end in the allocator's abort.
            if available.is_some_and(|available| history_bytes / 2 > available) {
                return Err(RunError::OutOfMemory {
                    path: path.display().to_string(),
                    size: format!(
                        "{}; hay {} disponibles",
                        memory::words(history_bytes),
                        available.map_or_else(|| "?".to_owned(), memory::words)
                    ),
                    why: format!(", y no puede leerse por tandas: {reason}"),
                });
            }
            summary.history_note = Some(format!(
                "{sizes}, pero no puede leerse junto a los casos: {reason}. Se leyó entero; si \
                 falta memoria, ordene los dos archivos por número de caso y vuelva a evaluar"
            ));
            Ok(None)
        }
    }
}

/// The size of the history at `path` and the memory available (when it can be told).
fn memory_for(path: &std::path::Path) -> (u64, Option<u64>) {
    let history_bytes = std::fs::metadata(path).map_or(0, |meta| meta.len());
    (history_bytes, memory::available())
}

/// Whether a history of `history_bytes` would not fit comfortably in the memory `available`
/// (more than half of it), read whole.
fn short_of_memory(history_bytes: u64, available: Option<u64>) -> bool {
    available.is_some_and(|available| memory::needed_for_history(history_bytes) > available / 2)
}

/// Reads the history file into `history`, rejecting its unusable rows as it goes.
fn load_history<R>(
    path: &std::path::Path,
    mapping: &Mapping,
    dates: &DateReader,
    history: &mut HistoryStore,
    summary: &mut Summary,
    on_reject: &mut R,
) -> Result<(), RunError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let mut source = CsvSource::open(path, mapping)?;
    read_history(&mut source, mapping, dates, history, summary, on_reject)?;
    summary.history_delimiter = Some(char::from(source.delimiter()));
    summary.windows_1252_fields += source.windows_1252_fields.get();
    Ok(())
}
