//! The batches of the cases file: a second thread reads and decodes the rows; each batch is
//! judged on every core while this thread hands out the previous one, so cases reach the
//! caller in file order.

use super::codes::Rejection;
use super::context::PolicyContext;
use super::error::RunError;
use super::evaluate::Trace;
use super::hand_out::hand_out;
use super::history::HistoryStore;
use super::judge::{JudgeContext, Judged, RowJob, judge};
use super::model::{Case, Evaluation};
use super::row::Row;
use super::source::CsvSource;
use super::summary::Summary;

/// Reads, judges and hands out every row of the cases file; returns, by id index, the first
/// line of each case id in the file (0 = not seen), to tell the history rows left without a
/// case.
pub(super) fn judge_rows<'p, F, R>(
    source: &mut CsvSource,
    judge_context: &JudgeContext<'_, 'p>,
    history: &mut HistoryStore,
    summary: &mut Summary,
    mut on_case: F,
    mut on_reject: R,
) -> Result<Vec<u64>, RunError>
where
    F: FnMut(&Case, &Evaluation<'_>, &PolicyContext<'_>, Option<&Trace>) -> std::io::Result<()>,
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let contexts = judge_context.contexts;
    let columns = judge_context.columns;
    // First line of each case id in the cases file (0 = not seen yet), by id index.
    let mut seen: Vec<u64> = vec![0; history.ids.len()];
    // A second thread reads and decodes the cases file; each batch of rows is judged on every
    // core, then handed out here in file order.
    let (rows_in, rows) = std::sync::mpsc::sync_channel::<Result<Vec<Row>, RunError>>(4);
    // Records handed out go back to the reader, which reads the next rows into them.
    let (spares_in, spares) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
    let reader = source;
    std::thread::scope(|scope| -> Result<(), RunError> {
        use rayon::prelude::*;
        scope.spawn(move || read_rows(reader, &rows_in, &spares));
        let mut previous: Option<(Vec<RowJob>, Vec<Judged<'_>>)> = None;
        for rows_read in rows {
            let mut jobs = Vec::new();
            for row in rows_read? {
                summary.rows.cases_read += 1;
                let line = row.line();
                summary.windows_1252_fields += row.windows_1252_fields;
                let id = crate::text::trim(&row.field(columns.id)).to_owned();
                let index = (!id.is_empty()).then(|| history.ids.intern(&id));
                let first_line = index.and_then(|index| {
                    if seen.len() <= index as usize {
                        seen.resize(index as usize + 1, 0);
                    }
                    let slot = seen.get_mut(index as usize)?;
                    if *slot == 0 {
                        *slot = line;
                        None
                    } else {
                        Some(*slot)
                    }
                });
                jobs.push(RowJob {
                    row,
                    id,
                    index,
                    first_line,
                });
            }
            // Judge this batch on the pool while this thread hands out the previous one.
            let history_view = &*history;
            let mut judged: Vec<Judged<'_>> = Vec::new();
            let mut handed = Ok(());
            rayon::in_place_scope(|scope| {
                let (jobs, judged) = (&jobs, &mut judged);
                scope.spawn(move |_| {
                    *judged = jobs
                        .par_iter()
                        .map(|job| judge(job, judge_context, history_view))
                        .collect();
                });
                if let Some((jobs, judged)) = previous.take() {
                    handed = hand_out(
                        &jobs,
                        judged,
                        history_view,
                        contexts,
                        summary,
                        &mut on_case,
                        &mut on_reject,
                    );
                    let _ = spares_in.send(jobs.into_iter().map(|job| job.row.into_record()).collect());
                }
            });
            handed?;
            previous = Some((jobs, judged));
        }
        if let Some((jobs, judged)) = previous.take() {
            hand_out(
                &jobs,
                judged,
                history,
                contexts,
                summary,
                &mut on_case,
                &mut on_reject,
            )?;
        }
        Ok(())
    })?;
    Ok(seen)
}

/// Rows per batch handed from the reading thread to the judging one.
const ROWS_PER_BATCH: usize = 1024;

/// Reads the rows of `source` in batches into `out` until the end, an error (sent too) or the
/// receiver hanging up.
fn read_rows(
    source: &mut CsvSource,
    out: &std::sync::mpsc::SyncSender<Result<Vec<Row>, RunError>>,
    spares: &std::sync::mpsc::Receiver<Vec<csv::ByteRecord>>,
) {
    let mut spare: Vec<csv::ByteRecord> = Vec::new();
    loop {
        let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
        let mut done = false;
        while batch.len() < ROWS_PER_BATCH {
            if spare.is_empty() {
                spare = spares.try_recv().unwrap_or_default();
            }
            match source.advance() {
                Ok(true) => batch.push(source.take_row_with(spare.pop())),
                Ok(false) => {
                    done = true;
                    break;
                }
                Err(error) => {
                    let _ = out.send(Err(error));
                    return;
                }
            }
        }
        if (!batch.is_empty() && out.send(Ok(batch)).is_err()) || done {
            return;
        }
    }
}
