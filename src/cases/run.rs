//! The evaluation run: reads the history file into compact events, streams the cases file,
//! evaluates each case as it is read and hands it to the caller, and accounts for every row
//! (used or rejected). One code path for `evaluate`, `explain` and the monthly report.

use std::collections::BTreeMap;

use std::path::PathBuf;

use chrono::Datelike;

use super::codes::{Finding, FindingCode, InputFile, RejectCode, Rejection};
use super::context::PolicyContext;
use super::dates::DateReader;
use super::error::RunError;
use super::evaluate::{Trace, evaluate};
use std::sync::Arc;

use rhai::Scope;

use super::evaluate::RuleTrace;
use super::history::{HistoryStore, RawEvent, StateTable, read_history};
use super::mapping::Mapping;
use super::model::{Case, Evaluation, HistoryEvent, Outcome};
use super::row::Row;
use super::source::CsvSource;
use crate::calendar::clock::{LocalSeconds, date_of};
use crate::policy::PolicySet;
use crate::policy::model::{RuleSeverity, Subject};
use crate::rules::caso::{Caso, CasoData, CasoRef};
use crate::rules::compiled::RuleBook;
use crate::rules::fields::fields_read;
use crate::rules::{RuleResult, compile_rules};
use crate::text::match_key;

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
}

/// The rows of an export and where each went: `cases_read = cases_evaluated + cases_rejected`,
/// `history_read = history_used + history_rejected`. The summary of `evaluate` and the report's
/// Entradas both show these counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RowCounts {
    /// Data rows of the cases file.
    pub cases_read: u64,
    /// Cases rows evaluated (read minus rejected).
    pub cases_evaluated: u64,
    /// Cases rows rejected (see the rejected-rows output).
    pub cases_rejected: u64,
    /// Data rows of the history file (0 without one).
    pub history_read: u64,
    /// History rows that joined a case and were applied.
    pub history_used: u64,
    /// History rows rejected.
    pub history_rejected: u64,
}

impl RowCounts {
    /// `leídas 26 = evaluadas 25 + rechazadas 1`: the cases, in the words every output uses.
    pub fn cases_in_words(&self) -> String {
        format!(
            "leídas {} = evaluadas {} + rechazadas {}",
            self.cases_read, self.cases_evaluated, self.cases_rejected
        )
    }

    /// `leídas 74 = usadas 73 + rechazadas 1`: the history rows, in the same words.
    pub fn history_in_words(&self) -> String {
        format!(
            "leídas {} = usadas {} + rechazadas {}",
            self.history_read, self.history_used, self.history_rejected
        )
    }

    /// Rows rejected from either file.
    pub fn rejected(&self) -> u64 {
        self.cases_rejected + self.history_rejected
    }
}

/// Counts of a run: its rows ([`RowCounts`]), outcomes, findings and rejections.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// The rows read, evaluated or used, and rejected.
    #[serde(flatten)]
    pub rows: RowCounts,
    /// Evaluations by outcome.
    pub outcomes: BTreeMap<Outcome, u64>,
    /// Cases with each finding code.
    pub findings: BTreeMap<FindingCode, u64>,
    /// Rejected rows by code.
    pub rejections: BTreeMap<RejectCode, u64>,
    /// Cases failing each rule (or in which it could not be evaluated), by rule name.
    pub rule_findings: BTreeMap<String, u64>,
    /// Fields read as Windows-1252 because they were not valid UTF-8.
    pub windows_1252_fields: u64,
    /// Delimiter of the cases file.
    pub cases_delimiter: char,
    /// Delimiter of the history file.
    pub history_delimiter: Option<char>,
}

/// Header indices of the cases file.
struct CaseColumns {
    /// Number of headers; every row must have exactly this many fields.
    width: usize,
    id: usize,
    category: usize,
    state: usize,
    registered: usize,
    solved: Option<usize>,
    closed: Option<usize>,
    exception: Option<usize>,
    attachments: Option<usize>,
    area: Option<usize>,
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
    let mut versions = versions_of(set, options.procedure.as_deref())?;
    if let Some(pinned) = options.pinned_version {
        let available: Vec<String> = versions
            .iter()
            .filter_map(|index| set.policies.get(*index))
            .map(|policy| policy.version.to_string())
            .collect();
        versions.retain(|index| {
            set.policies
                .get(*index)
                .is_some_and(|policy| policy.version == pinned)
        });
        if versions.is_empty() {
            return Err(RunError::Policy(format!(
                "no hay versión {pinned} del procedimiento; las versiones cargadas son: {}",
                available.join(", ")
            )));
        }
    }
    let as_of_year = date_of(options.as_of).year();
    let mut contexts = Vec::with_capacity(versions.len());
    for index in &versions {
        let Some(policy) = set.policies.get(*index) else {
            continue;
        };
        let calendar = set.calendar(&policy.calendar).ok_or_else(|| {
            RunError::Policy(format!(
                "la política {} usa el calendario «{}», que no está cargado",
                policy.id(),
                policy.calendar
            ))
        })?;
        // A pinned version judges cases of any date, even before it was in force: its clock
        // must cover every year of the calendar.
        let first_year = if options.pinned_version.is_some() {
            calendar.first_year
        } else {
            versions
                .iter()
                .filter_map(|i| set.policies.get(*i))
                .map(|p| p.effective_from.year())
                .min()
                .unwrap_or(as_of_year)
                .saturating_sub(1)
                .max(calendar.first_year)
        };
        let last_year = as_of_year.saturating_add(1).max(2100);
        let last_year = calendar.last_year.map_or(last_year, |last| last.min(last_year));
        // A version in force after the calendar's (or the clock's) last year still loads: its
        // cases, if any, are rejected one by one as out of the calendar's range (I011).
        let first_year = first_year.min(last_year);
        contexts.push((
            policy.effective_from,
            PolicyContext::new(policy, calendar, first_year, last_year)?,
        ));
    }
    let dates = DateReader::new(&mapping.date_formats);
    let mut summary = Summary::default();

    let mut history = HistoryStore::default();
    if let Some(path) = &options.history {
        let mut source = CsvSource::open(path, mapping)?;
        read_history(
            &mut source,
            mapping,
            &dates,
            &mut history,
            &mut summary,
            &mut on_reject,
        )?;
        summary.history_delimiter = Some(char::from(source.delimiter()));
        summary.windows_1252_fields += source.windows_1252_fields.get();
    }

    let mut source = CsvSource::open(&options.cases, mapping)?;
    summary.cases_delimiter = char::from(source.delimiter());
    let columns = case_columns(&source, mapping)?;
    let headers: Vec<Arc<str>> = source.headers().iter().map(|h| Arc::from(h.as_str())).collect();
    let engine = crate::rules::engine();
    let mut rule_sets: Vec<RuleBook> = Vec::with_capacity(contexts.len());
    for (_, context) in &contexts {
        let (compiled, problems) = compile_rules(&engine, &context.policy.rules, Some(Subject::Caso));
        if let Some(problem) = problems.first() {
            return Err(RunError::Policy(format!(
                "la regla «{}» de {} no compila (línea {}, columna {}): {}; revísela con `pauta check`",
                problem.rule,
                context.policy.id(),
                problem.line,
                problem.column,
                problem.message
            )));
        }
        rule_sets.push(RuleBook::new(&engine, compiled, "caso"));
    }
    let keep_columns = rule_sets.iter().flat_map(|book| book.rules.iter()).any(|rule| {
        rule.rule.require.source.contains("columnas")
            || rule
                .rule
                .when
                .as_ref()
                .is_some_and(|w| w.source.contains("columnas"))
    });
    history.group();
    let states = StateTable::new(&history, &contexts, mapping);
    // First line of each case id in the cases file (0 = not seen yet), by id index.
    let mut seen: Vec<u64> = vec![0; history.ids.len()];
    // A second thread reads and decodes the cases file; each batch of rows is judged on every
    // core, then handed out here in file order.
    let (rows_in, rows) = std::sync::mpsc::sync_channel::<Result<Vec<Row>, RunError>>(4);
    // Records handed out go back to the reader, which reads the next rows into them.
    let (spares_in, spares) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
    let reader = &mut source;
    let judge_context = JudgeContext {
        columns: &columns,
        mapping,
        dates: &dates,
        contexts: &contexts,
        options,
        keep_columns,
        rule_sets: &rule_sets,
        engine: &engine,
        headers: &headers,
        states: &states,
    };
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
            let history_view = &history;
            let mut judged: Vec<Judged<'_>> = Vec::new();
            let mut handed = Ok(());
            rayon::in_place_scope(|scope| {
                let (jobs, judged, judge_context) = (&jobs, &mut judged, &judge_context);
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
                        &contexts,
                        &mut summary,
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
                &history,
                &contexts,
                &mut summary,
                &mut on_case,
                &mut on_reject,
            )?;
        }
        Ok(())
    })?;
    summary.windows_1252_fields += source.windows_1252_fields.get();

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
            &history,
            event,
            id,
            RejectCode::OrphanHistory,
            &format!("el caso {id} no está en el archivo de casos"),
            &mut summary,
            &mut on_reject,
        )
        .map_err(write_error)?;
    }
    Ok(summary)
}

/// A failed write of an output (the evaluation or the rejected rows).
fn write_error(error: std::io::Error) -> RunError {
    RunError::Write {
        path: "la salida".to_owned(),
        reason: crate::text::io_reason(&error),
        kind: error.kind(),
    }
}

/// Indices of the versions of the procedure to evaluate against.
fn versions_of(set: &PolicySet, procedure: Option<&str>) -> Result<Vec<usize>, RunError> {
    let mut codes: Vec<&str> = set.policies.iter().map(|p| p.code.as_str()).collect();
    codes.dedup();
    let code = match procedure {
        Some(code) => code.to_owned(),
        None => match codes.as_slice() {
            [only] => (*only).to_owned(),
            [] => {
                return Err(RunError::Policy(
                    "no hay ninguna política de procedimiento cargada".to_owned(),
                ));
            }
            several => {
                return Err(RunError::Policy(format!(
                    "hay políticas de varios procedimientos ({}); indique cuál con `--procedure`",
                    several.join(", ")
                )));
            }
        },
    };
    let key = match_key(&code);
    let versions: Vec<usize> = set
        .policies
        .iter()
        .enumerate()
        .filter(|(_, p)| match_key(&p.code) == key)
        .map(|(index, _)| index)
        .collect();
    if versions.is_empty() {
        return Err(RunError::Policy(format!(
            "no hay políticas del procedimiento «{code}»; los cargados son: {}",
            codes.join(", ")
        )));
    }
    Ok(versions)
}

fn case_columns(source: &CsvSource, mapping: &Mapping) -> Result<CaseColumns, RunError> {
    let names = &mapping.cases;
    let required = [
        ("caso", &names.id),
        ("categoría", &names.category),
        ("estado", &names.state),
        ("fecha de registro", &names.registered),
    ];
    let found = required_columns(source, &required)?;
    if let [id, category, state, registered] = found.as_slice() {
        return Ok(CaseColumns {
            width: source.headers().len(),
            id: *id,
            category: *category,
            state: *state,
            registered: *registered,
            solved: source.column(&names.solved),
            closed: source.column(&names.closed),
            exception: source.column(&names.exception),
            attachments: source.column(&names.attachments),
            area: source.column(&names.area),
        });
    }
    Err(RunError::MissingColumns {
        path: source.path().to_owned(),
        missing: String::new(),
        found: quoted(source.headers()),
    })
}

/// The index of each required column (`(role, header alternatives)`), or the error naming
/// every missing one with the names tried and the headers found.
pub(super) fn required_columns(
    source: &CsvSource,
    required: &[(&str, &Vec<String>)],
) -> Result<Vec<usize>, RunError> {
    let mut missing = Vec::new();
    let mut found = Vec::new();
    for (role, alternatives) in required {
        match source.column(alternatives) {
            Some(index) => found.push(index),
            None => missing.push(format!("{role} ({})", quoted(alternatives))),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(RunError::MissingColumns {
            path: source.path().to_owned(),
            missing: missing.join("; "),
            found: quoted(source.headers()),
        })
    }
}

pub(super) fn quoted(names: &[String]) -> String {
    /// Headers listed at most (a garbage first line may hold thousands of "headers").
    const SHOWN_HEADERS: usize = 30;
    let mut text = names
        .iter()
        .take(SHOWN_HEADERS)
        .map(|n| format!("«{}»", crate::text::shown(n)))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN_HEADERS {
        text.push_str(&format!(" y {} más", names.len() - SHOWN_HEADERS));
    }
    text
}

type Rejected = (RejectCode, String);

/// Builds and validates one case row.
#[expect(
    clippy::too_many_arguments,
    reason = "the row, its file's layout and the run's settings, borrowed from different owners; a struct would serve this one call"
)]
fn build_case<'c, 'p>(
    source: &Row,
    columns: &CaseColumns,
    mapping: &Mapping,
    dates: &DateReader,
    contexts: &'c [(chrono::NaiveDate, PolicyContext<'p>)],
    pinned: bool,
    duplicate_of: Option<u64>,
    id: &str,
    keep_columns: bool,
) -> Result<(Case, &'c PolicyContext<'p>), Rejected> {
    if source.len() != columns.width {
        return Err((
            RejectCode::FieldCount,
            format!(
                "la fila tiene {} campos y los encabezados {}; revise separadores o comillas sin cerrar",
                source.len(),
                columns.width
            ),
        ));
    }
    if id.is_empty() {
        return Err((RejectCode::MissingField, "falta el número de caso".to_owned()));
    }
    if let Some(first) = duplicate_of {
        return Err((
            RejectCode::DuplicateCase,
            format!("el caso {id} ya apareció en la línea {first}; se evaluó esa fila"),
        ));
    }
    let registered = required_date(source, columns.registered, dates, "fecha de registro")?;
    let date = date_of(registered);
    let (policy, context) = contexts
        .iter()
        .enumerate()
        .filter(|(_, (from, _))| pinned || *from <= date)
        .max_by_key(|(_, (from, _))| *from)
        .map(|(index, (_, context))| (index, context))
        .ok_or_else(|| {
            let first = contexts
                .iter()
                .map(|(_, c)| c.policy)
                .min_by_key(|p| p.effective_from)
                .map(|p| {
                    format!(
                        "{} versión {}, vigente desde {}",
                        p.code, p.version, p.effective_from
                    )
                })
                .unwrap_or_default();
            (
                RejectCode::NoVersionInForce,
                format!("registrado el {date}, antes de la primera versión de la política ({first})"),
            )
        })?;
    context
        .clock
        .position(registered)
        .map_err(|error| (RejectCode::OutsideCalendar, error.to_string()))?;

    let category_text = source.field(columns.category);
    let category_text = crate::text::trim(&category_text);
    if category_text.is_empty() {
        return Err((
            RejectCode::MissingField,
            "falta la categoría (servicio)".to_owned(),
        ));
    }
    let category = context.category(category_text, mapping).map_err(|no_match| {
        (
            RejectCode::UnknownCategory,
            format!(
                "«{category_text}» no es una categoría de {}.{} Si la mesa de servicios la escribe así, agréguela en [categories] del archivo de asignación",
                context.policy.id(),
                no_match.hint()
            ),
        )
    })?;
    let state_text = source.field(columns.state);
    let state_text = crate::text::trim(&state_text);
    if state_text.is_empty() {
        return Err((RejectCode::MissingField, "falta el estado".to_owned()));
    }
    let state = context.state(state_text, mapping).map_err(|no_match| {
        (
            RejectCode::UnknownState,
            format!(
                "estado «{state_text}» desconocido.{} Si la mesa de servicios lo escribe así, agréguelo en [states] del archivo de asignación",
                no_match.hint()
            ),
        )
    })?;
    let exception = match columns.exception {
        None => None,
        Some(column) => {
            let text = source.field(column);
            let text = crate::text::trim(&text);
            if text.is_empty() || mapping.no_exception.contains(&match_key(text)) {
                None
            } else if context.policy.exceptions.is_none() {
                return Err((
                    RejectCode::UnknownException,
                    format!(
                        "«{text}»: la versión {} no tiene régimen de excepciones",
                        context.policy.version
                    ),
                ));
            } else {
                Some(context.exception(text, mapping).map_err(|no_match| {
                    (
                        RejectCode::UnknownException,
                        format!(
                            "«{text}» no es un tipo de excepción de la política.{}",
                            no_match.hint()
                        ),
                    )
                })?)
            }
        }
    };
    let solved = optional_date(source, columns.solved, dates, "fecha de solución")?;
    let closed = optional_date(source, columns.closed, dates, "fecha de cierre")?;
    for at in [solved, closed].into_iter().flatten() {
        context
            .clock
            .position(at)
            .map_err(|error| (RejectCode::OutsideCalendar, error.to_string()))?;
    }
    let attachments = columns.attachments.map_or_else(Vec::new, |column| {
        let field = source.field(column);
        let separator = mapping.attachment_separator.as_str();
        let mut chars = separator.chars();
        let kinds = |parts: &mut dyn Iterator<Item = &str>| {
            parts
                .map(crate::text::trim)
                .filter(|kind| !kind.is_empty())
                .map(str::to_owned)
                .collect()
        };
        match (chars.next(), chars.next()) {
            // A one-character separator (the usual `;`) splits faster as a character.
            (Some(single), None) => kinds(&mut field.split(single)),
            _ => kinds(&mut field.split(separator)),
        }
    });
    let area = columns
        .area
        .map(|column| crate::text::trim(&source.field(column)).to_owned())
        .filter(|area| !area.is_empty());
    Ok((
        Case {
            line: source.line(),
            id: id.to_owned(),
            policy,
            category,
            exception,
            state,
            registered,
            solved,
            closed,
            attachments,
            area,
            columns: if keep_columns {
                (0..source.len())
                    .map(|index| source.field(index).into_owned())
                    .collect()
            } else {
                Vec::new()
            },
        },
        context,
    ))
}

fn required_date(
    source: &Row,
    column: usize,
    dates: &DateReader,
    what: &str,
) -> Result<LocalSeconds, Rejected> {
    optional_date(source, Some(column), dates, what)?
        .ok_or_else(|| (RejectCode::MissingField, format!("falta la {what}")))
}

fn optional_date(
    source: &Row,
    column: Option<usize>,
    dates: &DateReader,
    what: &str,
) -> Result<Option<LocalSeconds>, Rejected> {
    let Some(column) = column else {
        return Ok(None);
    };
    let text = source.field(column);
    let text = crate::text::trim(&text);
    if text.is_empty() {
        return Ok(None);
    }
    dates.parse(text).map(Some).ok_or_else(|| {
        (
            RejectCode::BadDate,
            format!(
                "{what} «{text}» ilegible; formatos probados: {}",
                dates.formats_tried()
            ),
        )
    })
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
    summary.rows.history_rejected += 1;
    *summary.rejections.entry(code).or_default() += 1;
    let separator = store.delimiter.to_string();
    let row = [
        id.to_owned(),
        crate::cases::output::timestamp(event.at, 0)
            .trim_end_matches('Z')
            .replace('T', " "),
        store.states_of(event).0.to_owned(),
        store.states_of(event).1.to_owned(),
        store.texts.text(event.reason).to_owned(),
    ]
    .join(&separator);
    on_reject(&Rejection {
        file: InputFile::History,
        line: event.line(),
        case_id: id.to_owned(),
        code,
        reason: reason.to_owned(),
        row,
    })
}

/// One row of the cases file with what the reading order decided about it.
struct RowJob {
    row: Row,
    id: String,
    /// Dense index of the id (`None` when the row has no id).
    index: Option<u32>,
    /// Line where the id first appeared, when this row repeats it.
    first_line: Option<u64>,
}

/// What judging needs besides the row; shared by the threads that judge.
struct JudgeContext<'c, 'p> {
    columns: &'c CaseColumns,
    mapping: &'c Mapping,
    dates: &'c DateReader,
    contexts: &'c [(chrono::NaiveDate, PolicyContext<'p>)],
    options: &'c RunOptions,
    keep_columns: bool,
    /// Compiled case rules, by policy context.
    rule_sets: &'c [RuleBook],
    engine: &'c rhai::Engine,
    /// Headers of the cases file (for rules that read `columnas`).
    headers: &'c [Arc<str>],
    /// The states the history's texts name.
    states: &'c StateTable,
}

/// What judging a row decided; handed out in file order afterwards.
// Evaluated cases (nearly every row) are kept inline: a box each would be one more allocation
// made on a judging thread and freed on the handing-out one.
#[expect(
    clippy::large_enum_variant,
    reason = "evaluated cases are kept inline on purpose (see above)"
)]
enum Judged<'p> {
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
fn judge<'p>(job: &RowJob, shared: &JudgeContext<'_, 'p>, history: &HistoryStore) -> Judged<'p> {
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
    let mut findings = Vec::new();
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
    if !unusable.is_empty() {
        let lines: Vec<String> = unusable
            .iter()
            .map(|(event, _)| event.line().to_string())
            .collect();
        findings.push(Finding::new(
            FindingCode::HistoryRowsRejected,
            format!(
                "se rechazaron filas del historial del caso (líneas {})",
                lines.join(", ")
            ),
        ));
    }
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

/// Hands out judged rows in file order: rejected rows and history rows to `on_reject`,
/// evaluated cases to `on_case`, counting both in `summary`.
fn hand_out<'p, F, R>(
    jobs: &[RowJob],
    judged: Vec<Judged<'p>>,
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
                count_and_hand_out(&pending, contexts, summary, on_case).map_err(write_error)?;
            }
            Judged::Rejected {
                code, reason, events, ..
            } => {
                summary.rows.cases_rejected += 1;
                *summary.rejections.entry(code).or_default() += 1;
                on_reject(&Rejection {
                    file: InputFile::Cases,
                    line,
                    case_id: id.clone(),
                    code,
                    reason,
                    row: job.row.raw_row(),
                })
                .map_err(write_error)?;
                reject_events(
                    history,
                    &events,
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

/// An evaluated case with its rules run, waiting to be handed out in file order.
struct Pending<'p> {
    case: Case,
    evaluation: Evaluation<'p>,
    used: u64,
    trace: Option<Box<Trace>>,
}

/// Runs the case rules of the case's policy and adds their findings to `evaluation`; returns
/// each rule's trace when `trace`. Rules of the native fast path read the case where it is;
/// rhai, and `explain`, get a snapshot of every field.
fn apply_rules(
    case: &Case,
    evaluation: &mut Evaluation<'_>,
    context: &JudgeContext<'_, '_>,
    trace: bool,
) -> Vec<RuleTrace> {
    let job = context
        .rule_sets
        .get(case.policy)
        .filter(|rules| !rules.is_empty())
        .zip(context.contexts.get(case.policy));
    let Some((rules, (_, policy_context))) = job else {
        return Vec::new();
    };
    let policy = policy_context.policy;
    let fast = (!trace)
        .then(|| {
            rules.run_fast(&CasoRef {
                case,
                evaluation,
                policy,
            })
        })
        .flatten();
    let (findings, traces) = match fast {
        Some(results) => rule_findings(rules, results, None),
        None => {
            let columns = if context.keep_columns {
                context
                    .headers
                    .iter()
                    .cloned()
                    .zip(case.columns.iter().cloned())
                    .collect()
            } else {
                Vec::new()
            };
            let caso = Arc::new(CasoData::new(case, evaluation, policy, columns));
            let results = rules.run_fast(&*caso).unwrap_or_else(|| {
                let mut scope = Scope::new();
                scope.push_constant("caso", Caso(Arc::clone(&caso)));
                rules.run_all(context.engine, &mut scope)
            });
            rule_findings(rules, results, trace.then_some(&*caso))
        }
    };
    evaluation.findings.extend(findings);
    traces
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
            *summary.rule_findings.entry(rule.clone()).or_default() += 1;
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

/// The findings of the rules' `results` on one case: one for each failed or broken rule; with
/// the case's snapshot (`explain`), each rule's inputs and result too.
fn rule_findings(
    book: &RuleBook,
    results: Vec<RuleResult>,
    trace: Option<&CasoData>,
) -> (Vec<Finding>, Vec<RuleTrace>) {
    let mut findings = Vec::new();
    let mut traces = Vec::new();
    for (compiled, result) in book.rules.iter().zip(results) {
        let rule = &compiled.rule;
        match &result {
            RuleResult::Failed => {
                let code = match rule.severity {
                    RuleSeverity::Error => FindingCode::RuleFailed,
                    RuleSeverity::Warning => FindingCode::RuleWarning,
                };
                findings.push(Finding::of_rule(
                    code,
                    &rule.name,
                    format!(
                        "{} (regla «{}», línea {} de la política)",
                        rule.message, rule.name, rule.line
                    ),
                ));
            }
            RuleResult::Broken(message) => findings.push(Finding::of_rule(
                FindingCode::RuleBroken,
                &rule.name,
                format!(
                    "regla «{}» (línea {} de la política): {message}",
                    rule.name, rule.line
                ),
            )),
            RuleResult::NotApplicable | RuleResult::Passed => {}
        }
        if let Some(caso) = trace {
            let mut inputs: Vec<(String, String)> = Vec::new();
            let sources = rule.when.iter().chain(std::iter::once(&rule.require));
            for expression in sources {
                for (_, field) in fields_read(&expression.source, "caso") {
                    let name = format!("caso.{field}");
                    if !inputs.iter().any(|(known, _)| *known == name) {
                        let value = caso.field_text(&field).unwrap_or_default();
                        inputs.push((name, value));
                    }
                }
            }
            traces.push(RuleTrace {
                name: rule.name.clone(),
                severity: rule.severity,
                line: rule.line,
                when: rule.when.as_ref().map(|w| w.source.clone()),
                require: rule.require.source.clone(),
                inputs,
                result,
            });
        }
    }
    (findings, traces)
}
