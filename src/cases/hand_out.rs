//! Handing out judged rows in file order: evaluated cases to the caller's `on_case`, rejected
//! rows (and the history rows rejected with them, or left without a case) to `on_reject`,
//! everything counted in the [`Summary`].

use super::codes::{FindingCode, InputFile, RejectCode, Rejection};
use super::context::PolicyContext;
use super::error::RunError;
use super::evaluate::Trace;
use super::history::{HistoryStore, RawEvent, UsableRow};
use super::judge::{Judged, Pending, RowJob};
use super::model::{Case, Evaluation};
use super::summary::Summary;

/// Hands out judged rows in file order: rejected rows and history rows to `on_reject`,
/// evaluated cases to `on_case`, counting both in `summary`.
pub(super) fn hand_out<'p, F, R>(
    jobs: &[RowJob],
    judged: &[Judged<'p>],
    history: &HistoryStore,
    contexts: &[(chrono::NaiveDate, PolicyContext<'p>)],
    summary: &mut Summary,
    on_case: &mut F,
    on_reject: &mut R,
) -> Result<(), RunError>
where
    F: FnMut(&Case, &Evaluation<'_>, &PolicyContext<'_>, Option<&Trace>) -> std::io::Result<()>,
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    for (job, judged) in jobs.iter().zip(judged) {
        let (id, line) = (&job.id, job.row.line());
        let unusable = match &judged {
            Judged::Rejected { unusable, .. } | Judged::Evaluated { unusable, .. } => unusable,
        };
        for (event, reason) in unusable {
            reject_event(
                history,
                event,
                id,
                RejectCode::UnknownState,
                reason,
                summary,
                on_reject,
            )
            .map_err(write_error)?;
        }
        match judged {
            Judged::Evaluated { pending, .. } => {
                count_and_hand_out(pending, contexts, summary, on_case).map_err(write_error)?;
            }
            Judged::Rejected {
                code, reason, events, ..
            } => {
                summary.rows.cases_rejected += 1;
                *summary.rejections.entry(*code).or_default() += 1;
                on_reject(&Rejection {
                    file: InputFile::Cases,
                    line,
                    case_id: id.clone(),
                    code: *code,
                    reason: reason.clone(),
                    row: job.row.raw_row(),
                })
                .map_err(write_error)?;
                reject_events(
                    history,
                    events,
                    id,
                    RejectCode::CaseRejected,
                    &format!("el caso {id} fue rechazado (línea {line} del archivo de casos)"),
                    summary,
                    on_reject,
                )
                .map_err(write_error)?;
            }
        }
    }
    Ok(())
}

/// Counts an evaluated case in `summary` and hands it to `on_case`.
fn count_and_hand_out<F>(
    pending: &Pending<'_>,
    contexts: &[(chrono::NaiveDate, PolicyContext<'_>)],
    summary: &mut Summary,
    on_case: &mut F,
) -> std::io::Result<()>
where
    F: FnMut(&Case, &Evaluation<'_>, &PolicyContext<'_>, Option<&Trace>) -> std::io::Result<()>,
{
    summary.rows.cases_evaluated += 1;
    summary.rows.history_used += pending.used;
    *summary.outcomes.entry(pending.evaluation.outcome).or_default() += 1;
    let mut counted: Vec<FindingCode> = Vec::new();
    for finding in &pending.evaluation.findings {
        if let Some(rule) = &finding.rule {
            // The rule's name is copied only the first time: most findings repeat a rule.
            match summary.rule_findings.get_mut(rule.as_str()) {
                Some(count) => *count += 1,
                None => {
                    summary.rule_findings.insert(rule.clone(), 1);
                }
            }
        }
        if !counted.contains(&finding.code) {
            counted.push(finding.code);
            *summary.findings.entry(finding.code).or_default() += 1;
        }
    }
    match contexts.get(pending.case.policy) {
        Some((_, policy_context)) => on_case(
            &pending.case,
            &pending.evaluation,
            policy_context,
            pending.trace.as_deref(),
        ),
        None => Ok(()),
    }
}

fn reject_events<R>(
    store: &HistoryStore,
    events: &[RawEvent],
    id: &str,
    code: RejectCode,
    reason: &str,
    summary: &mut Summary,
    on_reject: &mut R,
) -> std::io::Result<()>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    for event in events {
        reject_event(store, event, id, code, reason, summary, on_reject)?;
    }
    Ok(())
}

fn reject_event<R>(
    store: &HistoryStore,
    event: &RawEvent,
    id: &str,
    code: RejectCode,
    reason: &str,
    summary: &mut Summary,
    on_reject: &mut R,
) -> std::io::Result<()>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let (from, to) = store.states_of(event);
    let row = UsableRow {
        id,
        at: event.at,
        from,
        to,
        reason: store.texts.text(event.reason),
    };
    reject_history_row(
        store.delimiter,
        &row,
        event.line(),
        code,
        reason,
        summary,
        on_reject,
    )
}

/// Rejects the usable history row `row` (on `line`) with `code` and `reason`: its fields are
/// written back as read (the date in ISO form) and the rejection counted in `summary`.
pub(super) fn reject_history_row<R>(
    delimiter: char,
    row: &UsableRow<'_>,
    line: u64,
    code: RejectCode,
    reason: &str,
    summary: &mut Summary,
    on_reject: &mut R,
) -> std::io::Result<()>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    summary.rows.history_rejected += 1;
    *summary.rejections.entry(code).or_default() += 1;
    let separator = delimiter.to_string();
    let text = [
        row.id.to_owned(),
        crate::cases::output::timestamp(row.at, 0)
            .trim_end_matches('Z')
            .replace('T', " "),
        row.from.to_owned(),
        row.to.to_owned(),
        row.reason.to_owned(),
    ]
    .join(&separator);
    on_reject(&Rejection {
        file: InputFile::History,
        line,
        case_id: row.id.to_owned(),
        code,
        reason: reason.to_owned(),
        row: text,
    })
}

/// A failed write of an output (the evaluation or the rejected rows).
pub(super) fn write_error(error: std::io::Error) -> RunError {
    RunError::Write {
        path: "la salida".to_owned(),
        reason: crate::text::io_reason(&error),
        kind: error.kind(),
    }
}

/// Rejects, in file order, the history rows of case ids the cases file never had (`seen`: the
/// first line of each id in it, 0 = never).
pub(super) fn reject_orphans<R>(
    history: &HistoryStore,
    seen: &[u64],
    summary: &mut Summary,
    on_reject: &mut R,
) -> Result<(), RunError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let mut orphans: Vec<(String, RawEvent)> = Vec::new();
    for (index, range) in history.ranges.iter().enumerate() {
        let unseen = seen.get(index).is_none_or(|line| *line == 0);
        if unseen && range.0 < range.1 {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            let id = history.ids.text(index);
            orphans.extend(history.events_of(index).iter().map(|event| (id.clone(), *event)));
        }
    }
    orphans.sort_by_key(|(_, event)| event.line());
    for (id, event) in &orphans {
        reject_event(
            history,
            event,
            id,
            RejectCode::OrphanHistory,
            &format!("el caso {id} no está en el archivo de casos"),
            summary,
            on_reject,
        )
        .map_err(write_error)?;
    }
    Ok(())
}
