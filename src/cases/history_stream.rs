//! The history read alongside the cases, for exports larger than memory: when both files list
//! their case ids in one order (found by a first pass, never assumed), each batch of cases takes
//! its history rows as the cases are read, so memory no longer grows with the history. The
//! outputs are those of the history read whole: the history's unusable rows first, then the
//! cases in file order, then the rows of cases the cases file does not have, in file order.

use std::cmp::Ordering;

use super::case_order::{CaseOrder, OrderCheck, OrderMismatch, common_order};
use super::codes::{RejectCode, Rejection};
use super::columns::case_columns;
use super::dates::DateReader;
use super::error::RunError;
use super::hand_out::{reject_history_row, write_error};
use super::history::{HistoryColumns, HistoryStore, MAX_LINE, check_row, hand_out_rejection, too_long};
use super::mapping::Mapping;
use super::row::Row;
use super::source::CsvSource;
use super::summary::Summary;

/// Rejected rows the first pass keeps to hand out; past this many, the file is read again for
/// them instead, so that memory stays bounded.
const KEPT_REJECTIONS: usize = 100_000;

/// What the first pass over the history found: the order of its case ids, its counts and its
/// unusable rows (handed out before any case, as when the history is read whole).
pub(super) struct HistoryScan {
    order: OrderCheck,
    read: u64,
    rejected: Vec<Rejection>,
    /// More rows were rejected than [`KEPT_REJECTIONS`].
    overflowed: bool,
    windows_1252_fields: u64,
    delimiter: char,
}

/// Reads the history once, keeping no events: the order of its usable rows' case ids, its
/// counts and (up to a bound) its rejected rows.
pub(super) fn scan_history(
    path: &std::path::Path,
    mapping: &Mapping,
    dates: &DateReader,
) -> Result<HistoryScan, RunError> {
    let mut source = CsvSource::open(path, mapping)?;
    let columns = HistoryColumns::find(&source, mapping)?;
    let mut scan = HistoryScan {
        order: OrderCheck::default(),
        read: 0,
        rejected: Vec::new(),
        overflowed: false,
        windows_1252_fields: 0,
        delimiter: char::from(source.delimiter()),
    };
    let mut spare = None;
    while source.advance()? {
        if source.line() > MAX_LINE {
            return Err(too_long(source.path()));
        }
        let row = source.take_row_with(spare.take());
        scan.read += 1;
        scan.windows_1252_fields += row.windows_1252_fields;
        let line = row.line();
        let order = &mut scan.order;
        if let Err(rejection) = check_row(&row, &columns, dates, |usable| order.observe(usable.id, line)) {
            if scan.rejected.len() < KEPT_REJECTIONS {
                scan.rejected.push(rejection);
            } else {
                scan.overflowed = true;
            }
        }
        spare = Some(row.into_record());
    }
    scan.windows_1252_fields += source.windows_1252_fields.get();
    Ok(scan)
}

/// The order of the case ids of the cases file (rows without an id are left out).
pub(super) fn scan_case_ids(path: &std::path::Path, mapping: &Mapping) -> Result<OrderCheck, RunError> {
    let mut source = CsvSource::open(path, mapping)?;
    let id_column = case_columns(&source, mapping)?.id;
    let mut order = OrderCheck::default();
    while source.advance()? {
        let field = source.field(id_column);
        let id = crate::text::trim(&field);
        if !id.is_empty() {
            order.observe(id, source.line());
        }
    }
    Ok(order)
}

impl HistoryScan {
    /// The order both files keep, or why they keep none.
    pub(super) fn order_with(&self, cases: &OrderCheck) -> Result<CaseOrder, OrderMismatch> {
        common_order(cases, &self.order)
    }

    /// Counts the history's rows in `summary` and hands out its unusable rows, in file order.
    pub(super) fn hand_out<R>(
        self,
        path: &std::path::Path,
        mapping: &Mapping,
        dates: &DateReader,
        summary: &mut Summary,
        on_reject: &mut R,
    ) -> Result<(), RunError>
    where
        R: FnMut(&Rejection) -> std::io::Result<()>,
    {
        summary.rows.history_read += self.read;
        summary.windows_1252_fields += self.windows_1252_fields;
        summary.history_delimiter = Some(self.delimiter);
        if !self.overflowed {
            for rejection in &self.rejected {
                hand_out_rejection(rejection, summary, on_reject)?;
            }
            return Ok(());
        }
        drop(self.rejected);
        let mut source = CsvSource::open(path, mapping)?;
        let columns = HistoryColumns::find(&source, mapping)?;
        while source.advance()? {
            let row = source.take_row();
            if let Err(rejection) = check_row(&row, &columns, dates, |_| ()) {
                hand_out_rejection(&rejection, summary, on_reject)?;
            }
        }
        Ok(())
    }
}

/// The history file read alongside the cases, in the order both keep.
pub(super) struct HistoryStream<'d> {
    source: CsvSource,
    columns: HistoryColumns,
    dates: &'d DateReader,
    order: CaseOrder,
    /// A row read but belonging to a later case.
    peeked: Option<Row>,
    spare: Option<csv::ByteRecord>,
    /// Line ranges (first, last) holding only rows of ids the cases file does not have, among
    /// the usable rows; rejected once the cases are done.
    orphans: Vec<(u64, u64)>,
    /// The last usable row read belonged to no case (a new orphan extends its range).
    in_orphans: bool,
}

impl<'d> HistoryStream<'d> {
    /// Opens the history to read it alongside a cases file that keeps `order`.
    pub(super) fn open(
        path: &std::path::Path,
        mapping: &Mapping,
        dates: &'d DateReader,
        order: CaseOrder,
    ) -> Result<Self, RunError> {
        let source = CsvSource::open(path, mapping)?;
        let columns = HistoryColumns::find(&source, mapping)?;
        Ok(HistoryStream {
            source,
            columns,
            dates,
            order,
            peeked: None,
            spare: None,
            orphans: Vec::new(),
            in_orphans: false,
        })
    }

    /// The history's delimiter (for rebuilding its rejected rows).
    pub(super) fn delimiter(&self) -> char {
        char::from(self.source.delimiter())
    }

    /// Adds to `store`, as events of case `index`, the history rows of case `id`. Rows of ids
    /// before it in the order belong to no case of the file and are set aside; `None` for `id`
    /// sets aside every row left.
    pub(super) fn take_case(
        &mut self,
        id: Option<&str>,
        index: u32,
        store: &mut HistoryStore,
    ) -> Result<(), RunError> {
        loop {
            let row = match self.peeked.take() {
                Some(row) => row,
                None => {
                    if !self.source.advance()? {
                        return Ok(());
                    }
                    self.source.take_row_with(self.spare.take())
                }
            };
            let line = row.line();
            let (order, orphans, in_orphans) = (self.order, &mut self.orphans, &mut self.in_orphans);
            let later = check_row(&row, &self.columns, self.dates, |usable| {
                let place = id.map_or(Ordering::Less, |id| order.compare(usable.id, id));
                match place {
                    Ordering::Less => {
                        match orphans.last_mut() {
                            Some(range) if *in_orphans => range.1 = line,
                            _ => orphans.push((line, line)),
                        }
                        *in_orphans = true;
                    }
                    Ordering::Equal => {
                        store.push_usable(index, line, &usable);
                        *in_orphans = false;
                    }
                    Ordering::Greater => {}
                }
                place == Ordering::Greater
            });
            if matches!(later, Ok(true)) {
                self.peeked = Some(row);
                return Ok(());
            }
            self.spare = Some(row.into_record());
        }
    }

    /// Sets aside the rows no case took and rejects them, in file order, reading the file again
    /// for the lines set aside.
    pub(super) fn reject_orphans<R>(
        mut self,
        path: &std::path::Path,
        mapping: &Mapping,
        summary: &mut Summary,
        on_reject: &mut R,
    ) -> Result<(), RunError>
    where
        R: FnMut(&Rejection) -> std::io::Result<()>,
    {
        let mut scratch = HistoryStore::default();
        self.take_case(None, 0, &mut scratch)?;
        if self.orphans.is_empty() {
            return Ok(());
        }
        let delimiter = self.delimiter();
        let mut source = CsvSource::open(path, mapping)?;
        let mut ranges = self.orphans.iter().peekable();
        while let Some((first, last)) = ranges.peek().copied() {
            if !source.advance()? {
                break;
            }
            let line = source.line();
            if line > *last {
                ranges.next();
                if ranges.peek().is_none_or(|(first, _)| line < *first) {
                    continue;
                }
            } else if line < *first {
                continue;
            }
            let row = source.take_row();
            let handed = check_row(&row, &self.columns, self.dates, |usable| {
                let reason = format!("el caso {} no está en el archivo de casos", usable.id);
                reject_history_row(
                    delimiter,
                    &usable,
                    line,
                    RejectCode::OrphanHistory,
                    &reason,
                    summary,
                    on_reject,
                )
            });
            if let Ok(written) = handed {
                written.map_err(write_error)?;
            }
        }
        Ok(())
    }
}
