//! The batches of the cases file: a second thread reads and decodes the rows (and, when the
//! history is read alongside, takes each batch's history rows); each batch is judged on every
//! core while this thread hands out the previous one, so cases reach the caller in file order.

use super::codes::Rejection;
use super::context::PolicyContext;
use super::error::RunError;
use super::evaluate::Trace;
use super::hand_out::hand_out;
use super::history::{HistoryStore, StateTable};
use super::history_stream::HistoryStream;
use super::judge::{JudgeContext, Judged, RowJob, judge};
use super::model::{Case, Evaluation};
use super::row::Row;
use super::source::CsvSource;
use super::summary::Summary;

/// A batch from the reading thread.
enum Batch {
    /// Rows whose history is in memory, each with its case id (trimmed, read on the reading
    /// thread, where the row is still in the cache).
    Rows(Vec<(Row, String)>),
    /// Rows already given their history rows, read alongside.
    Matched(Vec<RowJob>, Box<BatchHistory>),
}

/// A batch judged, waiting to be handed out: its jobs, what was judged, and its own history
/// rows when they were read alongside.
type Judging<'p> = (Vec<RowJob>, Vec<Judged<'p>>, Option<Box<BatchHistory>>);

/// The history rows of one batch of cases, with the states their texts name.
struct BatchHistory {
    store: HistoryStore,
    states: StateTable,
}

/// Reads, judges and hands out every row of the cases file, their history in `history` or, when
/// given, read alongside from `stream`; returns, by id index, the first line of each case id in
/// the file (0 = not seen), to tell the history rows in memory left without a case.
pub(super) fn judge_rows<'p, F, R>(
    source: &mut CsvSource,
    judge_context: &JudgeContext<'_, 'p>,
    history: &mut HistoryStore,
    stream: Option<&mut HistoryStream<'_>>,
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
    let (rows_in, rows) = std::sync::mpsc::sync_channel::<Result<Batch, RunError>>(4);
    // Records handed out go back to the reader, which reads the next rows into them.
    let (spares_in, spares) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
    let reader = source;
    let matching = stream.map(|stream| Matching {
        stream,
        id_column: columns.id,
        judge_context,
        last: None,
    });
    std::thread::scope(|scope| -> Result<(), RunError> {
        use rayon::prelude::*;
        let id_column = columns.id;
        scope.spawn(move || read_rows(reader, id_column, matching, &rows_in, &spares));
        let mut previous: Option<Judging<'_>> = None;
        for batch in rows {
            let (jobs, own_history) = match batch? {
                Batch::Rows(rows) => (jobs_in_memory(rows, history, &mut seen, summary), None),
                Batch::Matched(jobs, own_history) => {
                    for job in &jobs {
                        summary.rows.cases_read += 1;
                        summary.windows_1252_fields += job.row.windows_1252_fields;
                    }
                    (jobs, Some(own_history))
                }
            };
            // Judge this batch on the pool while this thread hands out the previous one.
            let batch_context;
            let (context_view, history_view) = match &own_history {
                Some(own) => {
                    batch_context = JudgeContext {
                        states: &own.states,
                        ..*judge_context
                    };
                    (&batch_context, &own.store)
                }
                None => (judge_context, &*history),
            };
            let mut judged: Vec<Judged<'_>> = Vec::new();
            let mut handed = Ok(());
            rayon::in_place_scope(|scope| {
                let (jobs, judged) = (&jobs, &mut judged);
                scope.spawn(move |_| {
                    *judged = jobs
                        .par_iter()
                        .map(|job| judge(job, context_view, history_view))
                        .collect();
                });
                if let Some((jobs, judged, own_history)) = previous.take() {
                    handed = hand_out(
                        &jobs,
                        &judged,
                        own_history.as_ref().map_or(&*history, |own| &own.store),
                        contexts,
                        summary,
                        &mut on_case,
                        &mut on_reject,
                    );
                    // Freed on the pool, off this thread, which hands out every case.
                    scope.spawn(move |_| drop((judged, own_history)));
                    let _ = spares_in.send(jobs.into_iter().map(|job| job.row.into_record()).collect());
                }
            });
            handed?;
            previous = Some((jobs, judged, own_history));
        }
        if let Some((jobs, judged, own_history)) = previous.take() {
            hand_out(
                &jobs,
                &judged,
                own_history.as_ref().map_or(&*history, |own| &own.store),
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

/// Makes the rows of a batch into jobs against the history in memory: each id interned, its
/// first line noted in `seen` (repeats get it as `first_line`).
fn jobs_in_memory(
    rows: Vec<(Row, String)>,
    history: &mut HistoryStore,
    seen: &mut Vec<u64>,
    summary: &mut Summary,
) -> Vec<RowJob> {
    let mut jobs = Vec::with_capacity(rows.len());
    for (row, id) in rows {
        summary.rows.cases_read += 1;
        let line = row.line();
        summary.windows_1252_fields += row.windows_1252_fields;
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
    jobs
}

/// What the reading thread needs to give each batch its history rows, read alongside.
struct Matching<'s, 'd, 'c, 'p> {
    stream: &'s mut HistoryStream<'d>,
    id_column: usize,
    judge_context: &'c JudgeContext<'c, 'p>,
    /// The last id read and the line where it first appeared (the cases file keeps the order,
    /// so a repeated id follows its first row).
    last: Option<(String, u64)>,
}

impl Matching<'_, '_, '_, '_> {
    /// Makes `rows` into jobs, each new id given its history rows in a store of the batch's own.
    fn match_rows(&mut self, rows: Vec<Row>) -> Result<Batch, RunError> {
        let mut store = HistoryStore {
            delimiter: self.stream.delimiter(),
            ..HistoryStore::default()
        };
        let mut jobs = Vec::with_capacity(rows.len());
        for row in rows {
            let id = crate::text::trim(&row.field(self.id_column)).to_owned();
            let index = (!id.is_empty()).then(|| store.ids.intern(&id));
            let mut first_line = None;
            if let Some(own) = index {
                match &self.last {
                    Some((last, line)) if *last == id => first_line = Some(*line),
                    _ => {
                        self.stream.take_case(Some(&id), own, &mut store)?;
                        self.last = Some((id.clone(), row.line()));
                    }
                }
            }
            jobs.push(RowJob {
                row,
                id,
                index,
                first_line,
            });
        }
        store.group();
        let context = self.judge_context;
        let states = StateTable::new(&store, context.contexts, context.mapping);
        Ok(Batch::Matched(jobs, Box::new(BatchHistory { store, states })))
    }
}

/// Rows per batch handed from the reading thread to the judging one.
const ROWS_PER_BATCH: usize = 1024;

/// Reads the rows of `source` in batches into `out` until the end, an error (sent too) or the
/// receiver hanging up: each row with its id (column `id_column`), or, with `matching`, made
/// into jobs with their history rows.
fn read_rows(
    source: &mut CsvSource,
    id_column: usize,
    mut matching: Option<Matching<'_, '_, '_, '_>>,
    out: &std::sync::mpsc::SyncSender<Result<Batch, RunError>>,
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
        if !batch.is_empty() {
            let batch = match &mut matching {
                Some(matching) => matching.match_rows(batch),
                None => Ok(Batch::Rows(
                    batch
                        .into_iter()
                        .map(|row| {
                            let id = crate::text::trim(&row.field(id_column)).to_owned();
                            (row, id)
                        })
                        .collect(),
                )),
            };
            let failed = batch.is_err();
            if out.send(batch).is_err() || failed {
                return;
            }
        }
        if done {
            return;
        }
    }
}
