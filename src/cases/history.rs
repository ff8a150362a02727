//! The history file read into compact events: every usable row as a `RawEvent` with interned
//! texts and dense case indices, grouped by case. Large files are read in parts on every core
//! and merged in file order, so the result (and the order of rejected rows) is the same as a
//! single pass.

use rustc_hash::FxHashMap as HashMap;

use super::codes::{InputFile, RejectCode, Rejection};
use super::columns::{quoted, required_columns};
use super::context::PolicyContext;
use super::dates::DateReader;
use super::error::RunError;
use super::ids::CaseIds;
use super::mapping::Mapping;
use super::row::Row;
use super::source::{CsvSource, line_start_from};
use super::summary::Summary;
use crate::calendar::clock::LocalSeconds;

/// A history row as read, before its case's policy is known: 24 bytes, since a large export
/// holds millions of them.
#[derive(Debug, Clone, Copy)]
pub(super) struct RawEvent {
    /// When the change happened.
    pub at: LocalSeconds,
    /// Line in the history file (see [`MAX_LINE`]).
    line: u32,
    /// Dense case index.
    pub case: u32,
    /// The (previous, new) state texts, as an index into [`HistoryStore::states`].
    states: u32,
    /// Reason text (interned).
    pub reason: u32,
}

const _: () = assert!(std::mem::size_of::<RawEvent>() == 24);

/// The last line a history file may have (events keep their line in 32 bits; a file that long
/// would hold more events than memory).
pub(super) const MAX_LINE: u64 = u32::MAX as u64;

impl RawEvent {
    /// Line in the history file.
    pub(super) fn line(&self) -> u64 {
        u64::from(self.line)
    }
}

/// Distinct (previous, new) state-text pairs of the history, stored once.
#[derive(Debug, Default)]
pub(super) struct StatePairs {
    ids: HashMap<(u32, u32), u32>,
    pairs: Vec<(u32, u32)>,
}

impl StatePairs {
    fn intern(&mut self, pair: (u32, u32)) -> u32 {
        let next = u32::try_from(self.pairs.len()).unwrap_or(u32::MAX);
        *self.ids.entry(pair).or_insert_with(|| {
            self.pairs.push(pair);
            next
        })
    }

    /// The (previous, new) texts of pair `id`.
    fn get(&self, id: u32) -> (u32, u32) {
        self.pairs
            .get(id as usize)
            .copied()
            .unwrap_or((u32::MAX, u32::MAX))
    }
}

/// Distinct texts of the history file, stored once.
#[derive(Debug)]
pub(super) struct Interner {
    ids: HashMap<Box<str>, u32>,
    texts: Vec<std::sync::Arc<str>>,
    /// Tells this interner's texts apart in the per-thread copies.
    generation: u64,
}

impl Default for Interner {
    fn default() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        Interner {
            ids: HashMap::default(),
            texts: Vec::new(),
            generation: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }
}

/// This thread's copies of one interner's texts: (generation, texts by id).
type LocalTexts = std::cell::RefCell<(u64, Vec<Option<std::sync::Arc<str>>>)>;

thread_local! {
    /// Handing out a text from this thread's copy touches a reference count no other thread
    /// writes (the rows of every case share a few reason texts).
    static LOCAL_TEXTS: LocalTexts = const { std::cell::RefCell::new((u64::MAX, Vec::new())) };
}

impl Interner {
    pub(super) fn intern(&mut self, text: &str) -> u32 {
        if let Some(id) = self.ids.get(text) {
            return *id;
        }
        let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.texts.push(text.into());
        self.ids.insert(text.into(), id);
        id
    }

    pub(super) fn text(&self, id: u32) -> &str {
        self.texts.get(id as usize).map_or("", |text| text)
    }

    fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Text `id` as a shared string owned by this thread (see `LOCAL_TEXTS`).
    pub(super) fn shared(&self, id: u32) -> std::sync::Arc<str> {
        LOCAL_TEXTS.with(|local| {
            let mut local = local.borrow_mut();
            if local.0 != self.generation {
                *local = (self.generation, Vec::new());
            }
            let slot = id as usize;
            if local.1.len() <= slot {
                local.1.resize(slot + 1, None);
            }
            local.1[slot]
                .get_or_insert_with(|| std::sync::Arc::from(self.text(id)))
                .clone()
        })
    }
}

/// The history file as compact events, grouped by case after reading.
#[derive(Debug, Default)]
pub(super) struct HistoryStore {
    /// Case ids of both files.
    pub ids: CaseIds,
    /// Every usable history row; after [`HistoryStore::group`], sorted by (case, line).
    pub events: Vec<RawEvent>,
    /// `ranges[case]`: the case's events in `events` (cases past the end have none).
    pub ranges: Vec<(u32, u32)>,
    /// Distinct texts of the history file.
    pub texts: Interner,
    /// Distinct (previous, new) state-text pairs of the events.
    pub states: StatePairs,
    /// Delimiter, for rebuilding rejected rows.
    pub delimiter: char,
}

impl HistoryStore {
    /// The (previous, new) state texts of `event`.
    pub(super) fn states_of(&self, event: &RawEvent) -> (&str, &str) {
        let (from, to) = self.states.get(event.states);
        (self.texts.text(from), self.texts.text(to))
    }

    /// The (previous, new) state text ids of `event`.
    pub(super) fn state_ids_of(&self, event: &RawEvent) -> (u32, u32) {
        self.states.get(event.states)
    }

    /// Sorts the events by case (file order within a case) and indexes each case's range.
    pub(super) fn group(&mut self) {
        if !self.events.is_sorted_by_key(|event| (event.case, event.line)) {
            self.events.sort_unstable_by_key(|event| (event.case, event.line));
        }
        self.ranges = vec![(0, 0); self.ids.len()];
        let mut start = 0;
        while let Some(first) = self.events.get(start) {
            let case = first.case;
            let end = self.events[start..]
                .iter()
                .position(|e| e.case != case)
                .map_or(self.events.len(), |n| start + n);
            if let Some(range) = self.ranges.get_mut(case as usize) {
                *range = (
                    u32::try_from(start).unwrap_or(u32::MAX),
                    u32::try_from(end).unwrap_or(u32::MAX),
                );
            }
            start = end;
        }
    }

    /// Adds the usable row `row` (on `line`) as an event of case `case`.
    #[inline]
    pub(super) fn push_usable(&mut self, case: u32, line: u64, row: &UsableRow<'_>) {
        let states = (self.texts.intern(row.from), self.texts.intern(row.to));
        self.events.push(RawEvent {
            at: row.at,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            case,
            states: self.states.intern(states),
            reason: self.texts.intern(row.reason),
        });
    }

    /// The events of case `index` (empty when none).
    pub(super) fn events_of(&self, index: u32) -> &[RawEvent] {
        self.ranges
            .get(index as usize)
            .and_then(|(start, end)| self.events.get(*start as usize..*end as usize))
            .unwrap_or_default()
    }
}

/// The state index each history text used as a state names, per policy context, found once
/// before the cases are judged (instead of one look-up per row and thread).
pub(super) struct StateTable {
    /// `by_context[context][text]`: the state, or `None` (no such state, or not a state text).
    by_context: Vec<Vec<Option<u32>>>,
}

impl StateTable {
    /// Resolves the texts `store`'s events use as states against every context.
    pub(super) fn new(
        store: &HistoryStore,
        contexts: &[(chrono::NaiveDate, PolicyContext<'_>)],
        mapping: &Mapping,
    ) -> Self {
        let mut used = vec![false; store.texts.texts.len()];
        for (from, to) in &store.states.pairs {
            for text in [from, to] {
                if let Some(slot) = used.get_mut(*text as usize) {
                    *slot = true;
                }
            }
        }
        let by_context = contexts
            .iter()
            .map(|(_, context)| {
                used.iter()
                    .enumerate()
                    .map(|(text, used)| {
                        let id = u32::try_from(text).ok().filter(|_| *used)?;
                        let state = context.state(store.texts.text(id), mapping).ok()?;
                        u32::try_from(state).ok()
                    })
                    .collect()
            })
            .collect();
        StateTable { by_context }
    }

    /// The state interned text `text` names in context `context`, when it names one.
    pub(super) fn state(&self, context: usize, text: u32) -> Option<usize> {
        let found = self.by_context.get(context)?.get(text as usize).copied()??;
        Some(found as usize)
    }
}

/// How a file is cut into parts read in parallel.
#[derive(Debug, Clone, Copy)]
struct Split {
    /// No part is smaller than this.
    min_bytes: u64,
    /// At most this many parts.
    max_parts: u64,
}

impl Split {
    /// Parts of at least 8 MiB, one per core (at most 8).
    fn for_this_machine() -> Self {
        Split {
            min_bytes: 8 << 20,
            max_parts: std::thread::available_parallelism().map_or(1, usize::from).min(8) as u64,
        }
    }
}

/// Header indices of the history file.
#[derive(Clone, Copy)]
pub(super) struct HistoryColumns {
    case: usize,
    date: usize,
    from: usize,
    to: usize,
    reason: Option<usize>,
    width: usize,
}

impl HistoryColumns {
    /// Finds the columns in `source`'s header (`E003` when a required one is missing).
    pub(super) fn find(source: &CsvSource, mapping: &Mapping) -> Result<Self, RunError> {
        let names = &mapping.history;
        let required = [
            ("caso", &names.case),
            ("fecha", &names.date),
            ("estado anterior", &names.from),
            ("estado nuevo", &names.to),
        ];
        let found = required_columns(source, &required)?;
        let [case, date, from, to] = found.as_slice() else {
            return Err(RunError::MissingColumns {
                path: source.path().to_owned(),
                missing: String::new(),
                found: quoted(source.headers()),
            });
        };
        Ok(HistoryColumns {
            case: *case,
            date: *date,
            from: *from,
            to: *to,
            reason: source.column(&names.reason),
            width: source.headers().len(),
        })
    }
}

/// A usable history row: its fields trimmed, its date read.
pub(super) struct UsableRow<'r> {
    /// Case id.
    pub(super) id: &'r str,
    /// When the change happened.
    pub(super) at: LocalSeconds,
    /// Previous state text.
    pub(super) from: &'r str,
    /// New state text.
    pub(super) to: &'r str,
    /// Reason text (empty without the column).
    pub(super) reason: &'r str,
}

/// What one reader found in its part of the file. Lines are relative to the part's first line
/// (the merge adds the lines of the parts before it), except for the first part.
#[derive(Default)]
struct Part {
    /// Its events, ids and texts.
    store: HistoryStore,
    rejected: Vec<Rejection>,
    read: u64,
    windows_1252_fields: u64,
    /// The part ended exactly where the next one starts; when not (a quoted line break across
    /// the split), this part read on to the end and the later parts are discarded.
    aligned: bool,
    /// Line, relative to the part, of the row where the next part starts.
    stop_line: u64,
}

/// Reads the whole history file into `store`, accounting every row in `summary` and handing
/// rejected rows to `on_reject` in file order.
pub(super) fn read_history<R>(
    source: &mut CsvSource,
    mapping: &Mapping,
    dates: &DateReader,
    store: &mut HistoryStore,
    summary: &mut Summary,
    on_reject: &mut R,
) -> Result<(), RunError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    read_history_split(
        source,
        mapping,
        dates,
        store,
        summary,
        on_reject,
        Split::for_this_machine(),
    )
}

fn read_history_split<R>(
    source: &mut CsvSource,
    mapping: &Mapping,
    dates: &DateReader,
    store: &mut HistoryStore,
    summary: &mut Summary,
    on_reject: &mut R,
    split: Split,
) -> Result<(), RunError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    store.delimiter = char::from(source.delimiter());
    let columns = HistoryColumns::find(source, mapping)?;
    let bounds = part_bounds(source, split)?;
    let parts: Vec<Result<Part, RunError>> = if bounds.len() <= 2 {
        vec![read_part(source, None, columns, dates, true)]
    } else {
        let mut readers = Vec::with_capacity(bounds.len() - 2);
        for start in &bounds[1..bounds.len() - 1] {
            readers.push(source.part(*start)?);
        }
        std::thread::scope(|scope| {
            let mut handles = Vec::new();
            for (index, reader) in readers.iter_mut().enumerate() {
                let stop = bounds
                    .get(index + 2)
                    .copied()
                    .filter(|b| *b < bounds[bounds.len() - 1]);
                handles.push(scope.spawn(move || read_part(reader, stop, columns, dates, false)));
            }
            let first = read_part(source, bounds.get(1).copied(), columns, dates, true);
            let mut parts = vec![first];
            for handle in handles {
                parts.push(handle.join().unwrap_or_else(|_| {
                    Err(RunError::Unreadable {
                        path: source.path().to_owned(),
                        reason: "falló la lectura en paralelo".to_owned(),
                    })
                }));
            }
            parts
        })
    };
    let parts: Vec<Part> = parts.into_iter().collect::<Result<_, _>>()?;
    let mut line_offset = 0;
    for part in parts {
        let aligned = part.aligned;
        let next_offset = line_offset + part.stop_line.saturating_sub(1);
        merge(source.path(), store, part, line_offset, summary, on_reject)?;
        if !aligned {
            break;
        }
        line_offset = next_offset;
    }
    Ok(())
}

/// Byte offsets where the parts start (each at a line start), then the file's end. The first
/// part starts after the header; a small file is one part.
fn part_bounds(source: &CsvSource, split: Split) -> Result<Vec<u64>, RunError> {
    let unreadable = |error: std::io::Error| RunError::Unreadable {
        path: source.path().to_owned(),
        reason: crate::text::io_reason(&error),
    };
    let start = source.next_offset();
    let end = std::fs::metadata(source.path()).map_err(unreadable)?.len();
    let size = end.saturating_sub(start);
    let count = split.max_parts.min(size / split.min_bytes.max(1)).max(1);
    let mut bounds = vec![start];
    for index in 1..count {
        let at = line_start_from(source.path(), start + size * index / count).map_err(unreadable)?;
        if at > *bounds.last().unwrap_or(&start) && at < end {
            bounds.push(at);
        }
    }
    bounds.push(end);
    Ok(bounds)
}

/// Read rows until one starts at `stop` (or the end of the file).
fn read_part(
    source: &mut CsvSource,
    stop: Option<u64>,
    columns: HistoryColumns,
    dates: &DateReader,
    first: bool,
) -> Result<Part, RunError> {
    let mut part = Part::default();
    // Rows of an export take 60 bytes or more: room for every event of the part, and for the
    // first part (read from the file's start) room for the whole file, because the other parts
    // are appended to it. Memory reserved but not written costs nothing.
    let bytes = stop.map_or(u64::MAX, |stop| stop.saturating_sub(source.next_offset()));
    let file_rest = std::fs::metadata(source.path())
        .map_or(0, |m| m.len())
        .saturating_sub(source.next_offset());
    let room = if first { file_rest } else { bytes.min(file_rest) };
    if part
        .store
        .events
        .try_reserve(usize::try_from(room / 60).unwrap_or(0))
        .is_err()
    {
        return Err(RunError::OutOfMemory {
            path: source.path().to_owned(),
            size: super::memory::words(file_rest),
            why: String::new(),
        });
    }
    let mut stop = stop;
    // Rows of one case are usually consecutive: reuse the last id's index.
    let mut last_case: Option<(String, u32)> = None;
    // Each row is checked as UTF-8 once (not field by field), then its record is read into again.
    let mut spare: Option<csv::ByteRecord> = None;
    part.aligned = true;
    while source.advance()? {
        if source.line() > MAX_LINE {
            return Err(too_long(source.path()));
        }
        if let Some(limit) = stop {
            let at = source.row_offset();
            if at == limit {
                part.stop_line = source.line();
                break;
            }
            if at > limit {
                part.aligned = false;
                stop = None;
            }
        }
        part.read += 1;
        let row = source.take_row_with(spare.take());
        read_row(&row, &columns, dates, &mut part, &mut last_case);
        part.windows_1252_fields += row.windows_1252_fields;
        spare = Some(row.into_record());
    }
    Ok(part)
}

fn read_row(
    source: &Row,
    columns: &HistoryColumns,
    dates: &DateReader,
    part: &mut Part,
    last_case: &mut Option<(String, u32)>,
) {
    let line = source.line();
    let checked = check_row(source, columns, dates, |row| {
        let case = match last_case {
            Some((text, index)) if text == row.id => *index,
            _ => {
                let index = part.store.ids.intern(row.id);
                *last_case = Some((row.id.to_owned(), index));
                index
            }
        };
        // `read_part` stops before a line past `MAX_LINE`.
        part.store.push_usable(case, line, &row);
    });
    if let Err(rejection) = checked {
        part.rejected.push(rejection);
    }
}

/// Checks a history row: a usable one is handed to `usable` (whose result is returned), an
/// unusable one is returned as its rejection.
pub(super) fn check_row<T>(
    source: &Row,
    columns: &HistoryColumns,
    dates: &DateReader,
    usable: impl FnOnce(UsableRow<'_>) -> T,
) -> Result<T, Rejection> {
    let line = source.line();
    let id_field = source.field(columns.case);
    let id = crate::text::trim(&id_field);
    let width = columns.width;
    let problem = if source.len() != width {
        Some((
            RejectCode::FieldCount,
            format!(
                "la fila tiene {} campos y los encabezados {width}; revise separadores o comillas sin cerrar",
                source.len()
            ),
        ))
    } else if id.is_empty() {
        Some((RejectCode::MissingField, "falta el número de caso".to_owned()))
    } else {
        None
    };
    let date_field = source.field(columns.date);
    let date_text = crate::text::trim(&date_field);
    let at = dates.parse(date_text);
    let from_field = source.field(columns.from);
    let from = crate::text::trim(&from_field);
    let to_field = source.field(columns.to);
    let to = crate::text::trim(&to_field);
    let problem = problem.or_else(|| {
        if date_text.is_empty() {
            Some((RejectCode::MissingField, "falta la fecha del cambio".to_owned()))
        } else if at.is_none() {
            Some((
                RejectCode::BadDate,
                format!(
                    "fecha «{date_text}» ilegible; formatos probados: {}",
                    dates.formats_tried()
                ),
            ))
        } else if from.is_empty() || to.is_empty() {
            Some((
                RejectCode::MissingField,
                "falta el estado anterior o el nuevo".to_owned(),
            ))
        } else {
            None
        }
    });
    match (problem, at) {
        (None, Some(at)) => {
            let reason_field = columns.reason.map(|column| source.field(column));
            let reason = reason_field.as_deref().map_or("", crate::text::trim);
            Ok(usable(UsableRow {
                id,
                at,
                from,
                to,
                reason,
            }))
        }
        (problem, _) => {
            let (code, reason) = problem.unwrap_or((RejectCode::BadDate, String::new()));
            Err(Rejection {
                file: InputFile::History,
                line,
                case_id: id.to_owned(),
                code,
                reason,
                row: source.raw_row(),
            })
        }
    }
}

/// Add a part to the store: its ids and texts renumbered, its lines shifted by `line_offset`.
fn merge<R>(
    path: &str,
    store: &mut HistoryStore,
    part: Part,
    line_offset: u64,
    summary: &mut Summary,
    on_reject: &mut R,
) -> Result<(), RunError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    summary.rows.history_read += part.read;
    summary.windows_1252_fields += part.windows_1252_fields;
    for mut rejection in part.rejected {
        rejection.line += line_offset;
        hand_out_rejection(&rejection, summary, on_reject)?;
    }
    if store.ids.is_empty() && store.texts.is_empty() && line_offset == 0 {
        let delimiter = store.delimiter;
        *store = HistoryStore {
            delimiter,
            ..part.store
        };
        return Ok(());
    }
    let part = part.store;
    let cases = store.ids.absorb(&part.ids);
    let texts: Vec<u32> = part
        .texts
        .texts
        .iter()
        .map(|text| store.texts.intern(text))
        .collect();
    let text = |id: u32| texts.get(id as usize).copied().unwrap_or(u32::MAX);
    let states: Vec<u32> = part
        .states
        .pairs
        .iter()
        .map(|(from, to)| store.states.intern((text(*from), text(*to))))
        .collect();
    for event in part.events {
        let line = event.line() + line_offset;
        if line > MAX_LINE {
            return Err(too_long(path));
        }
        store.events.push(RawEvent {
            at: event.at,
            line: u32::try_from(line).unwrap_or(u32::MAX),
            case: cases.get(event.case as usize).copied().unwrap_or(u32::MAX),
            states: states.get(event.states as usize).copied().unwrap_or(u32::MAX),
            reason: text(event.reason),
        });
    }
    Ok(())
}

/// Counts a history row rejected while reading and hands it to `on_reject`.
pub(super) fn hand_out_rejection<R>(
    rejection: &Rejection,
    summary: &mut Summary,
    on_reject: &mut R,
) -> Result<(), RunError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    summary.rows.history_rejected += 1;
    *summary.rejections.entry(rejection.code).or_default() += 1;
    on_reject(rejection).map_err(|error| RunError::Write {
        path: "salida".to_owned(),
        reason: error.to_string(),
        kind: error.kind(),
    })
}

/// A history file with more lines than an event can number.
pub(super) fn too_long(path: &str) -> RunError {
    RunError::Unreadable {
        path: path.to_owned(),
        reason: format!(
            "tiene más de {MAX_LINE} líneas, más de las que pauta puede numerar; exporte y evalúe periodos más cortos"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Events (line, case, instant, from, to, reason) and rejections (line, row) of a read.
    type Read = (
        Vec<(u64, String, i64, String, String, String)>,
        Vec<(u64, String)>,
        Summary,
    );

    /// Everything a read produces, in comparable form.
    fn read(path: &std::path::Path, split: Split) -> Read {
        let mapping = Mapping::embedded().unwrap_or_else(|e| panic!("{e}"));
        let dates = DateReader::new(&mapping.date_formats);
        let mut source = CsvSource::open(path, &mapping).unwrap_or_else(|e| panic!("{e}"));
        let mut store = HistoryStore::default();
        let mut summary = Summary::default();
        let mut rejected = Vec::new();
        read_history_split(
            &mut source,
            &mapping,
            &dates,
            &mut store,
            &mut summary,
            &mut |r: &Rejection| {
                rejected.push((r.line, r.row.clone()));
                Ok(())
            },
            split,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let events = store
            .events
            .iter()
            .map(|e| {
                (
                    e.line(),
                    store.ids.text(e.case),
                    e.at,
                    store.states_of(e).0.to_owned(),
                    store.states_of(e).1.to_owned(),
                    store.texts.text(e.reason).to_owned(),
                )
            })
            .collect();
        (events, rejected, summary)
    }

    fn write_history(name: &str, rows: usize) -> std::path::PathBuf {
        write_history_ending(name, rows, "\r\n")
    }

    /// A history file of `rows` rows whose lines end in `end` (a quoted line break stays `\n`).
    fn write_history_ending(name: &str, rows: usize, end: &str) -> std::path::PathBuf {
        use std::fmt::Write as _;
        let mut text = format!("Caso;Fecha;Estado anterior;Estado nuevo;Razón{end}");
        for row in 0..rows {
            let case = 1000 + row / 3;
            let reason = match row % 7 {
                // A quoted line break: a split may fall inside it.
                0 => "\"Respuesta\ndada; por usuario\"".to_owned(),
                3 => "Asignado".to_owned(),
                _ => format!("razón {row}"),
            };
            let date = if row % 11 == 5 {
                "ayer".to_owned()
            } else {
                format!("0{}/03/2024 09:{:02}:00", 1 + row % 9, row % 60)
            };
            let _ = write!(text, "{case};{date};En proceso;Solucionado;{reason}{end}");
        }
        let path = std::env::temp_dir().join(format!("pauta-history-{}-{name}.csv", std::process::id()));
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    #[test]
    fn reading_in_parts_gives_what_one_pass_gives() {
        let path = write_history("parts", 400);
        let whole = read(
            &path,
            Split {
                min_bytes: u64::MAX,
                max_parts: 1,
            },
        );
        assert_eq!(whole.2.rows.history_read, 400);
        assert!(!whole.1.is_empty(), "the file plants bad dates");
        for min_bytes in [64, 97, 256, 1000, 4096] {
            for max_parts in [2, 3, 5, 8] {
                let parts = read(&path, Split { min_bytes, max_parts });
                assert_eq!(parts.0, whole.0, "events with {min_bytes} B × {max_parts}");
                assert_eq!(parts.1, whole.1, "rejections with {min_bytes} B × {max_parts}");
                assert_eq!(parts.2, whole.2, "summary with {min_bytes} B × {max_parts}");
            }
        }
        let _ = std::fs::remove_file(path);
    }

    /// Old-Mac (CR only) and Unix (LF) line ends give what Windows (CRLF) ones give, in one
    /// pass and in parts: every row, on its true line.
    #[test]
    fn every_line_end_reads_the_same_rows_whole_and_in_parts() {
        let one_pass = Split {
            min_bytes: u64::MAX,
            max_parts: 1,
        };
        let crlf_path = write_history_ending("ends-crlf", 200, "\r\n");
        let crlf = read(&crlf_path, one_pass);
        assert_eq!(crlf.2.rows.history_read, 200);
        for (name, end) in [("ends-lf", "\n"), ("ends-cr", "\r")] {
            let path = write_history_ending(name, 200, end);
            for split in [
                one_pass,
                Split {
                    min_bytes: 97,
                    max_parts: 5,
                },
            ] {
                let got = read(&path, split);
                assert_eq!(got.0, crlf.0, "events of {name}");
                assert_eq!(got.1, crlf.1, "rejections of {name}");
                assert_eq!(got.2, crlf.2, "summary of {name}");
            }
            let _ = std::fs::remove_file(path);
        }
        let _ = std::fs::remove_file(crlf_path);
    }
}
