//! Judging one row of the cases file, on any thread: the case built and checked, its history
//! rows resolved to states (those with unknown states set aside), its evaluation and its
//! rules. What is decided is handed out later, in file order.

use std::sync::Arc;

use super::case_row::build_case;
use super::case_rules::apply_rules;
use super::codes::{Finding, FindingCode, RejectCode};
use super::columns::CaseColumns;
use super::context::PolicyContext;
use super::dates::DateReader;
use super::evaluate::{Trace, evaluate};
use super::history::{HistoryStore, RawEvent, StateTable};
use super::mapping::Mapping;
use super::model::{Case, Evaluation, HistoryEvent};
use super::row::Row;
use super::run::RunOptions;
use crate::rules::compiled::RuleBook;

/// One row of the cases file with what the reading order decided about it.
pub(super) struct RowJob {
    pub(super) row: Row,
    pub(super) id: String,
    /// Dense index of the id (`None` when the row has no id).
    pub(super) index: Option<u32>,
    /// Line where the id first appeared, when this row repeats it.
    pub(super) first_line: Option<u64>,
}

/// What judging needs besides the row; shared by the threads that judge.
pub(super) struct JudgeContext<'c, 'p> {
    pub(super) columns: &'c CaseColumns,
    pub(super) mapping: &'c Mapping,
    pub(super) dates: &'c DateReader,
    pub(super) contexts: &'c [(chrono::NaiveDate, PolicyContext<'p>)],
    pub(super) options: &'c RunOptions,
    pub(super) keep_columns: bool,
    /// Compiled case rules, by policy context.
    pub(super) rule_sets: &'c [RuleBook],
    pub(super) engine: &'c rhai::Engine,
    /// Headers of the cases file (for rules that read `columnas`).
    pub(super) headers: &'c [Arc<str>],
    /// The states the history's texts name.
    pub(super) states: &'c StateTable,
}

/// What judging a row decided; handed out in file order afterwards.
// Evaluated cases (nearly every row) are kept inline: a box each would be one more allocation
// made on a judging thread and freed on the handing-out one.
#[expect(
    clippy::large_enum_variant,
    reason = "evaluated cases are kept inline on purpose (see above)"
)]
pub(super) enum Judged<'p> {
    /// The row is rejected; `events` are the case's history rows, rejected with it.
    Rejected {
        code: RejectCode,
        reason: String,
        unusable: Vec<(RawEvent, String)>,
        events: Vec<RawEvent>,
    },
    /// The case was evaluated and its rules run.
    Evaluated {
        pending: Pending<'p>,
        unusable: Vec<(RawEvent, String)>,
    },
}

/// Builds, checks and evaluates one case (any thread): its history rows with unknown states are
/// returned as `unusable`, to be rejected in file order.
pub(super) fn judge<'p>(job: &RowJob, shared: &JudgeContext<'_, 'p>, history: &HistoryStore) -> Judged<'p> {
    let JudgeContext {
        columns,
        mapping,
        dates,
        contexts,
        options,
        keep_columns,
        ..
    } = *shared;
    let events: &[RawEvent] = match (job.index, job.first_line) {
        (Some(index), None) => history.events_of(index),
        _ => &[],
    };
    let built = build_case(
        &job.row,
        columns,
        mapping,
        dates,
        contexts,
        options.pinned_version.is_some(),
        job.first_line,
        &job.id,
        keep_columns,
    );
    let (case, context) = match built {
        Ok(found) => found,
        Err((code, reason)) => {
            return Judged::Rejected {
                code,
                reason,
                unusable: Vec::new(),
                events: events.to_vec(),
            };
        }
    };
    let (resolved, unusable) = resolve_events(events, &case, context, shared, history);
    let findings: Vec<Finding> = rejected_rows_finding(&unusable).into_iter().collect();
    let wants_trace = options.trace_case.as_deref() == Some(job.id.as_str());
    let mut trace = Trace::default();
    let used = resolved.len() as u64;
    let evaluation = evaluate(
        context,
        mapping,
        &case,
        resolved,
        options.as_of,
        findings,
        wants_trace.then_some(&mut trace),
    );
    match evaluation {
        Ok(mut evaluation) => {
            let rules = apply_rules(&case, &mut evaluation, shared, wants_trace);
            if wants_trace {
                trace.rules = rules;
                trace.history_given = options.history.is_some();
            }
            Judged::Evaluated {
                pending: Pending {
                    case,
                    evaluation,
                    used,
                    trace: wants_trace.then(|| Box::new(trace)),
                },
                unusable,
            }
        }
        Err(error) => {
            let events = events
                .iter()
                .filter(|event| !unusable.iter().any(|(bad, _)| bad.line() == event.line()))
                .copied()
                .collect();
            Judged::Rejected {
                code: RejectCode::OutsideCalendar,
                reason: error.to_string(),
                unusable,
                events,
            }
        }
    }
}

/// An evaluated case with its rules run, waiting to be handed out in file order.
pub(super) struct Pending<'p> {
    pub(super) case: Case,
    pub(super) evaluation: Evaluation<'p>,
    pub(super) used: u64,
    pub(super) trace: Option<Box<Trace>>,
}

/// A history row whose states could not be resolved, with the reason it is rejected.
type Unusable = (RawEvent, String);

/// The case's history rows with their states resolved in the case's policy; rows naming an
/// unknown state are set aside as unusable.
fn resolve_events(
    events: &[RawEvent],
    case: &Case,
    context: &PolicyContext<'_>,
    shared: &JudgeContext<'_, '_>,
    history: &HistoryStore,
) -> (Vec<HistoryEvent>, Vec<Unusable>) {
    let mapping = shared.mapping;
    let mut resolved = Vec::with_capacity(events.len());
    let mut unusable = Vec::new();
    for event in events {
        let state = |text: u32| match shared.states.state(case.policy, text) {
            Some(state) => Ok(state),
            None => context.state(history.texts.text(text), mapping),
        };
        let (from_text, to_text) = history.state_ids_of(event);
        match (state(from_text), state(to_text)) {
            (Ok(from), Ok(to)) => resolved.push(HistoryEvent {
                line: event.line(),
                at: event.at,
                from,
                to,
                reason: history.texts.shared(event.reason),
            }),
            (Err(no_match), _) => unusable.push((
                *event,
                format!(
                    "estado «{}» desconocido.{}",
                    history.texts.text(from_text),
                    no_match.hint()
                ),
            )),
            (_, Err(no_match)) => unusable.push((
                *event,
                format!(
                    "estado «{}» desconocido.{}",
                    history.texts.text(to_text),
                    no_match.hint()
                ),
            )),
        }
    }
    (resolved, unusable)
}

/// The finding naming the lines of the case's history rows that were rejected, if any.
fn rejected_rows_finding(unusable: &[Unusable]) -> Option<Finding> {
    if unusable.is_empty() {
        return None;
    }
    let lines: Vec<String> = unusable
        .iter()
        .map(|(event, _)| event.line().to_string())
        .collect();
    Some(Finding::new(
        FindingCode::HistoryRowsRejected,
        format!(
            "se rechazaron filas del historial del caso (líneas {})",
            lines.join(", ")
        ),
    ))
}
