//! `pauta generate`: a realistic synthetic Aranda export (cases + state history) for demos and
//! benchmarks, deterministic for a seed.
//!
//! Everything the policy knows (categories, ANS, states, transitions, reasons, the automatic
//! close, exception types, evidence rules, business hours, calendar) is read from the version in
//! force on each case's registration date, so a new policy version changes the output without a
//! code change. The output is streamed: memory depends on the date range, not on the number of
//! cases (only the registrations of one date are held, to sort them).

pub mod error;
mod plan;
mod registration;
pub mod rng;
mod scenario;
mod timeline;

use std::io::Write;
use std::path::Path;

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

pub use error::GenerateError;
use plan::{CategoryPlan, ExceptionPlan, Plan, required_evidence};
use rng::Rng;
use scenario::{Anomaly, CaseInput, Event, Outcome, Teller};
use timeline::Timeline;

use crate::calendar::BusinessDays;
use crate::policy::{Policy, PolicySet};
use crate::text::match_key;

/// Name of the cases file.
pub const CASES_FILE: &str = "casos.csv";
/// Name of the history file.
pub const HISTORY_FILE: &str = "historial.csv";
/// Header of the cases file.
pub const CASES_HEADER: [&str; 9] = [
    "Caso",
    "Servicio",
    "Estado",
    "Fecha de registro",
    "Fecha de solución real",
    "Fecha de cierre",
    "Excepción",
    "Adjuntos",
    "Área solicitante",
];
/// Header of the history file.
pub const HISTORY_HEADER: [&str; 5] = ["Caso", "Fecha", "Estado anterior", "Estado nuevo", "Razón"];

/// Requesting areas of ICETEX and their relative weights (the policy does not list them).
const AREAS: [(&str, u32); 10] = [
    ("Vicepresidencia de Crédito y Cobranza", 22),
    ("Vicepresidencia de Fondos en Administración", 16),
    ("Grupo de Gestión Comercial y de Mercadeo", 14),
    ("Oficina de Relaciones Internacionales", 10),
    ("Oficina Asesora de Comunicaciones", 9),
    ("Vicepresidencia Financiera", 8),
    ("Secretaría General", 8),
    ("Oficina Asesora Jurídica", 6),
    ("Vicepresidencia de Operaciones y Tecnología", 5),
    ("Oficina Asesora de Planeación", 2),
];

/// Share (ppm) of cases whose category is written with an alias or a variant spelling.
const CATEGORY_VARIANT: u32 = 50_000;
/// Share (ppm) of exceptions whose type is written with a variant spelling.
const EXCEPTION_VARIANT: u32 = 100_000;
/// Share (ppm) of cases missing one of the evidence kinds that apply to them.
const MISSING_EVIDENCE: u32 = 80_000;
/// First case id.
const FIRST_ID: u64 = 100_001;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Number of cases (at least 1).
    pub cases: u64,
    /// Seed: same seed and options, same bytes.
    pub seed: u64,
    /// First registration date.
    pub from: NaiveDate,
    /// Last registration date; its 23:59:59 is "now" (nothing happens after it).
    pub to: NaiveDate,
    /// Fraction of cases (0–1) carrying one planted data problem.
    pub anomaly_rate: f64,
    /// Procedure code whose versions drive the data.
    pub procedure: String,
    /// Whether the cases file has the `Adjuntos` column. Without it every case lacks the
    /// evidence the rules ask for, as in a real export without that column; everything else
    /// (ids, dates, states, history) is the same as with it.
    pub attachments_column: bool,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        Self {
            cases: 1_000,
            seed: 0,
            from: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or_default(),
            to: NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default(),
            anomaly_rate: 0.01,
            procedure: "M1-3-06".to_string(),
            attachments_column: true,
        }
    }
}

/// What was generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenerateSummary {
    /// Rows of the cases file.
    pub cases: u64,
    /// Rows of the history file.
    pub history_rows: u64,
    /// Cases that are exceptions.
    pub exceptions: u64,
    /// Cases ending annulled.
    pub annulled: u64,
    /// Cases still open at the end of the range (no final state).
    pub open: u64,
    /// Cases currently solved or closed whose solution came after the ANS.
    pub late: u64,
    /// Cases carrying a planted data problem.
    pub anomalies: u64,
    /// First and last case id.
    pub ids: (u64, u64),
    /// The policy versions used (`CODE@VERSION`).
    pub policies: Vec<String>,
}

/// Generate into `dir` (created if missing) the files [`CASES_FILE`] and [`HISTORY_FILE`].
pub fn generate_to_dir(
    set: &PolicySet,
    options: &GenerateOptions,
    dir: &Path,
) -> Result<GenerateSummary, GenerateError> {
    validate(options)?;
    std::fs::create_dir_all(dir).map_err(|e| GenerateError::io(dir.display().to_string(), e))?;
    let cases_path = dir.join(CASES_FILE);
    let history_path = dir.join(HISTORY_FILE);
    let open = |path: &Path| {
        std::fs::File::create(path)
            .map(|f| std::io::BufWriter::with_capacity(1 << 16, f))
            .map_err(|e| GenerateError::io(path.display().to_string(), e))
    };
    let cases = open(&cases_path)?;
    let history = open(&history_path)?;
    run(
        set,
        options,
        Output::new(cases, cases_path.display().to_string()),
        Output::new(history, history_path.display().to_string()),
    )
}

/// Generate the cases file into `cases` and the history file into `history`.
pub fn generate(
    set: &PolicySet,
    options: &GenerateOptions,
    cases: impl Write,
    history: impl Write,
) -> Result<GenerateSummary, GenerateError> {
    run(
        set,
        options,
        Output::new(cases, CASES_FILE.to_string()),
        Output::new(history, HISTORY_FILE.to_string()),
    )
}

/// The anomaly rate in parts per million.
fn anomaly_ppm(rate: f64) -> Result<u32, GenerateError> {
    if !(0.0..=1.0).contains(&rate) {
        return Err(GenerateError::InvalidAnomalyRate {
            rate: rate.to_string(),
        });
    }
    // In range and finite: the conversion is exact enough and cannot overflow.
    Ok((rate * 1_000_000.0).round() as u32)
}

/// Checks the options before anything is written (no cases, an inverted range, a bad rate).
pub fn check_options(options: &GenerateOptions) -> Result<(), GenerateError> {
    validate(options).map(|_| ())
}

fn validate(options: &GenerateOptions) -> Result<u32, GenerateError> {
    if options.cases == 0 {
        return Err(GenerateError::NoCases);
    }
    if options.from > options.to {
        return Err(GenerateError::InvertedRange {
            from: options.from,
            to: options.to,
        });
    }
    anomaly_ppm(options.anomaly_rate)
}

/// Index of `Adjuntos` in [`CASES_HEADER`].
const ATTACHMENTS_COLUMN: usize = 7;

/// A CSV writer that remembers what it writes to, for error messages, and may leave one column
/// out of every row.
struct Output<W: Write> {
    writer: csv::Writer<W>,
    label: String,
    dropped: Option<usize>,
}

impl<W: Write> Output<W> {
    fn new(inner: W, label: String) -> Self {
        let writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(1 << 16)
            .from_writer(inner);
        Self {
            writer,
            label,
            dropped: None,
        }
    }

    /// The same writer, leaving the column at `index` out of every row.
    fn dropping(self, index: usize) -> Self {
        Self {
            dropped: Some(index),
            ..self
        }
    }

    fn row<I, T>(&mut self, fields: I) -> Result<(), GenerateError>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let dropped = self.dropped;
        let kept = fields
            .into_iter()
            .enumerate()
            .filter(|(index, _)| Some(*index) != dropped)
            .map(|(_, field)| field);
        self.writer
            .write_record(kept)
            .map_err(|e| GenerateError::io(self.label.clone(), e.into()))
    }

    fn finish(mut self) -> Result<(), GenerateError> {
        self.writer
            .flush()
            .map_err(|e| GenerateError::io(self.label.clone(), e))?;
        let mut inner = self
            .writer
            .into_inner()
            .map_err(|e| GenerateError::io(self.label.clone(), std::io::Error::other(e.to_string())))?;
        inner.flush().map_err(|e| GenerateError::io(self.label, e))
    }
}

/// The versions of the procedure in force at some date of the range, oldest first.
fn versions<'s>(set: &'s PolicySet, options: &GenerateOptions) -> Result<Vec<&'s Policy>, GenerateError> {
    let first = set.in_force(&options.procedure, options.from).ok_or_else(|| {
        let key = match_key(&options.procedure);
        let earliest = set
            .policies
            .iter()
            .filter(|p| match_key(&p.code) == key)
            .map(|p| p.effective_from)
            .min();
        GenerateError::NoPolicyInForce {
            procedure: options.procedure.clone(),
            from: options.from,
            first: earliest
                .map(|d| format!(" (la primera versión entra en vigencia el {d})"))
                .unwrap_or_default(),
        }
    })?;
    let key = match_key(&options.procedure);
    let mut list: Vec<&Policy> = vec![first];
    list.extend(set.policies.iter().filter(|p| {
        match_key(&p.code) == key && p.effective_from > options.from && p.effective_from <= options.to
    }));
    list.sort_by_key(|p| p.effective_from);
    Ok(list)
}

fn build_plan<'s>(
    set: &'s PolicySet,
    policy: &'s Policy,
    options: &GenerateOptions,
) -> Result<Plan<'s>, GenerateError> {
    let calendar = set
        .calendar(&policy.calendar)
        .ok_or_else(|| GenerateError::UnknownCalendar {
            policy: policy.id(),
            calendar: policy.calendar.clone(),
        })?;
    let calendar_error = |source| GenerateError::Calendar {
        policy: policy.id(),
        source,
    };
    // One year past the range so stories can run beyond it (they are cut at "now" anyway).
    let first_year = options.from.year();
    let days = BusinessDays::new(
        calendar,
        &policy.hours.workdays,
        first_year,
        options.to.year() + 1,
    )
    .or_else(|_| BusinessDays::new(calendar, &policy.hours.workdays, first_year, options.to.year()))
    .map_err(calendar_error)?;
    let timeline =
        Timeline::new(days, options.from, policy.hours.opens, policy.hours.closes).map_err(calendar_error)?;
    Plan::new(policy, timeline)
}

fn run<C: Write, H: Write>(
    set: &PolicySet,
    options: &GenerateOptions,
    cases_out: Output<C>,
    mut history_out: Output<H>,
) -> Result<GenerateSummary, GenerateError> {
    let anomaly_rate = validate(options)?;
    let mut cases_out = if options.attachments_column {
        cases_out
    } else {
        cases_out.dropping(ATTACHMENTS_COLUMN)
    };
    let versions = versions(set, options)?;
    let plans: Vec<Plan> = versions
        .iter()
        .map(|p| build_plan(set, p, options))
        .collect::<Result<_, _>>()?;
    let Some(first_plan) = plans.first() else {
        return Err(GenerateError::NoPolicyInForce {
            procedure: options.procedure.clone(),
            from: options.from,
            first: String::new(),
        });
    };
    let plan_on = |date: NaiveDate| {
        plans
            .iter()
            .rev()
            .find(|p| p.policy.effective_from <= date)
            .unwrap_or(first_plan)
    };
    let now = options
        .to
        .and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
    let mut rng = Rng::new(options.seed);

    // How many cases each date gets: cumulative jittered weights.
    let dates: Vec<NaiveDate> = options
        .from
        .iter_days()
        .take_while(|d| *d <= options.to)
        .collect();
    let weights: Vec<u64> = dates
        .iter()
        .map(|d| registration::date_weight(plan_on(*d).timeline.is_business_day(*d), &mut rng))
        .collect();
    let total_weight: u128 = weights.iter().map(|w| u128::from(*w)).sum::<u128>().max(1);

    cases_out.row(CASES_HEADER)?;
    history_out.row(HISTORY_HEADER)?;
    let mut summary = GenerateSummary {
        policies: versions.iter().map(|p| p.id()).collect(),
        ..GenerateSummary::default()
    };
    let mut teller = Teller::default();
    let mut slots: Vec<registration::Slot> = Vec::new();
    let mut evidence: Vec<&str> = Vec::new();
    let mut attachments = String::new();
    let mut id = FIRST_ID;
    let mut cumulative: u128 = 0;
    let mut assigned: u64 = 0;
    let cases_total = u128::from(options.cases);
    for (date, weight) in dates.iter().zip(&weights) {
        cumulative += u128::from(*weight);
        let through = u64::try_from(cases_total * cumulative / total_weight).unwrap_or(options.cases);
        let count = through.saturating_sub(assigned);
        assigned = through;
        if count == 0 {
            continue;
        }
        let plan = plan_on(*date);
        let business = plan.timeline.is_business_day(*date);
        slots.clear();
        slots.extend((0..count).map(|_| registration::slot(plan, business, &mut rng)));
        slots.sort_unstable();
        for (seconds, exception) in slots.iter().copied() {
            let registered =
                date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).unwrap_or_default());
            let case = CaseSpec {
                id,
                registered,
                exception,
                now,
                anomaly_rate,
            };
            write_case(
                plan,
                &case,
                &mut rng,
                &mut teller,
                &mut evidence,
                &mut attachments,
                &mut cases_out,
                &mut history_out,
                &mut summary,
            )?;
            if summary.ids.0 == 0 {
                summary.ids.0 = id;
            }
            summary.ids.1 = id;
            // Ids increase with gaps: the service desk numbers every service's cases.
            id += if rng.chance(100_000) { rng.between(2, 3) } else { 1 };
        }
    }
    cases_out.finish()?;
    history_out.finish()?;
    Ok(summary)
}

/// The fixed facts of one case before its story.
struct CaseSpec {
    id: u64,
    registered: NaiveDateTime,
    exception: bool,
    now: NaiveDateTime,
    anomaly_rate: u32,
}

/// Draws one case and writes its cases row and history rows.
#[expect(
    clippy::too_many_arguments,
    reason = "the generator's state, borrowed separately so each part can be mutated on its own"
)]
fn write_case<'p, C: Write, H: Write>(
    plan: &Plan<'p>,
    case: &CaseSpec,
    rng: &mut Rng,
    teller: &mut Teller<'p>,
    evidence: &mut Vec<&'p str>,
    attachments: &mut String,
    cases_out: &mut Output<C>,
    history_out: &mut Output<H>,
    summary: &mut GenerateSummary,
) -> Result<(), GenerateError> {
    let category_index = rng.weighted(&plan.category_weights).unwrap_or(0);
    let Some(category) = plan.categories.get(category_index) else {
        return Ok(());
    };
    let category_text = category_spelling(category, rng);
    let exception = plan.exceptions.as_ref().filter(|_| case.exception);
    let exception_text = exception.map_or("", |regime| exception_spelling(regime, rng));
    let anomaly = if rng.chance(case.anomaly_rate) {
        rng.pick(&Anomaly::ALL).copied()
    } else {
        None
    };
    let input = CaseInput {
        registered: case.registered,
        ans: exception.map_or(category.ans, |e| e.ans),
        received_before: exception.map(|e| e.received_before),
        now: case.now,
        anomaly,
    };
    let outcome = teller.tell(plan, &input, rng);
    let area = rng
        .weighted(&AREAS.map(|(_, w)| w))
        .and_then(|i| AREAS.get(i))
        .map_or("", |(name, _)| *name);
    list_attachments(plan, category, area, evidence, attachments, rng);
    let texts = CaseTexts {
        category: category_text,
        exception: exception_text,
        attachments,
        area,
    };
    write_rows(
        plan,
        case,
        &outcome,
        &texts,
        &teller.events,
        cases_out,
        history_out,
    )?;
    summary.count(&outcome, teller.events.len(), exception.is_some());
    Ok(())
}

/// How the export writes the category: its name, or now and then one of its other spellings.
fn category_spelling<'a>(category: &'a CategoryPlan<'_>, rng: &mut Rng) -> &'a str {
    if rng.chance(CATEGORY_VARIANT) {
        rng.pick(&category.variants).map_or(category.name, String::as_str)
    } else {
        category.name
    }
}

/// An exception type drawn from the regime, now and then in one of its other spellings.
fn exception_spelling<'a>(regime: &'a ExceptionPlan<'_>, rng: &mut Rng) -> &'a str {
    let index = rng.index(regime.types.len()).unwrap_or(0);
    let name = regime.types.get(index).copied().unwrap_or("");
    match regime.variants.get(index) {
        Some(variants) if rng.chance(EXCEPTION_VARIANT) => rng.pick(variants).map_or(name, String::as_str),
        _ => name,
    }
}

/// The evidence the policy requires of the case, now and then with one kind missing, joined
/// with `;` into `attachments`.
fn list_attachments<'p>(
    plan: &Plan<'p>,
    category: &CategoryPlan,
    area: &str,
    evidence: &mut Vec<&'p str>,
    attachments: &mut String,
    rng: &mut Rng,
) {
    required_evidence(plan, category, area, evidence);
    if !evidence.is_empty()
        && rng.chance(MISSING_EVIDENCE)
        && let Some(missing) = rng.index(evidence.len())
    {
        evidence.remove(missing);
    }
    attachments.clear();
    for (i, kind) in evidence.iter().enumerate() {
        if i > 0 {
            attachments.push(';');
        }
        attachments.push_str(kind);
    }
}

/// The drawn texts of a case's row, as the export spells them.
struct CaseTexts<'a> {
    category: &'a str,
    exception: &'a str,
    attachments: &'a str,
    area: &'a str,
}

/// Writes the case's row and one history row per event of its story.
fn write_rows<C: Write, H: Write>(
    plan: &Plan<'_>,
    case: &CaseSpec,
    outcome: &Outcome,
    texts: &CaseTexts<'_>,
    events: &[Event<'_>],
    cases_out: &mut Output<C>,
    history_out: &mut Output<H>,
) -> Result<(), GenerateError> {
    let mut id_buf = itoa_buf();
    let id_text = write_u64(case.id, &mut id_buf);
    let mut registered = [0u8; 19];
    let mut solved = [0u8; 19];
    let mut closed = [0u8; 19];
    let registered = format_datetime(case.registered, &mut registered);
    let solved = outcome
        .solved_at
        .map_or(&[][..], |t| format_datetime(t, &mut solved));
    let closed = outcome
        .closed_at
        .map_or(&[][..], |t| format_datetime(t, &mut closed));
    cases_out.row([
        id_text,
        texts.category.as_bytes(),
        plan.state_name(outcome.reported).as_bytes(),
        registered,
        solved,
        closed,
        texts.exception.as_bytes(),
        texts.attachments.as_bytes(),
        texts.area.as_bytes(),
    ])?;
    let mut at = [0u8; 19];
    for event in events {
        let at = format_datetime(event.at, &mut at);
        history_out.row([
            id_text,
            at,
            plan.state_name(event.from).as_bytes(),
            plan.state_name(event.to).as_bytes(),
            event.reason.as_bytes(),
        ])?;
    }
    Ok(())
}

impl GenerateSummary {
    /// Counts one written case: its history rows and what its story came to.
    fn count(&mut self, outcome: &Outcome, history_rows: usize, exception: bool) {
        self.cases += 1;
        self.history_rows += history_rows as u64;
        self.exceptions += u64::from(exception);
        self.annulled += u64::from(outcome.annulled);
        self.open += u64::from(outcome.closed_at.is_none());
        self.late += u64::from(outcome.late);
        self.anomalies += u64::from(outcome.planted.is_some());
    }
}

fn itoa_buf() -> [u8; 20] {
    [0u8; 20]
}

/// Decimal digits of `value` in `buf`.
fn write_u64(mut value: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            *slot = b'0' + (value % 10) as u8;
        }
        value /= 10;
        if value == 0 || at == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or(&[])
}

/// `dd/mm/yyyy HH:MM:SS` without going through a formatter.
fn format_datetime(t: NaiveDateTime, buf: &mut [u8; 19]) -> &[u8] {
    let two = |v: u32| [b'0' + (v / 10 % 10) as u8, b'0' + (v % 10) as u8];
    let year = u32::try_from(t.year()).unwrap_or(0).min(9_999);
    let [d0, d1] = two(t.day());
    let [m0, m1] = two(t.month());
    let [y0, y1] = two(year / 100);
    let [y2, y3] = two(year % 100);
    let [h0, h1] = two(t.hour());
    let [i0, i1] = two(t.minute());
    let [s0, s1] = two(t.second());
    *buf = [
        d0, d1, b'/', m0, m1, b'/', y0, y1, y2, y3, b' ', h0, h1, b':', i0, i1, b':', s0, s1,
    ];
    buf
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "tests may panic: a failed unwrap is a failed test"
    )]

    use super::*;

    #[test]
    fn formats_dates_and_numbers() {
        let t = NaiveDate::from_ymd_opt(2021, 12, 24)
            .unwrap()
            .and_hms_opt(8, 15, 0)
            .unwrap();
        let mut buf = [0u8; 19];
        assert_eq!(format_datetime(t, &mut buf), b"24/12/2021 08:15:00");
        let mut digits = itoa_buf();
        assert_eq!(write_u64(100_001, &mut digits), b"100001");
        assert_eq!(write_u64(0, &mut digits), b"0");
        assert_eq!(write_u64(u64::MAX, &mut digits), u64::MAX.to_string().as_bytes());
    }

    #[test]
    fn rejects_bad_options() {
        let set = PolicySet::pinned();
        let run = |options: GenerateOptions| generate(&set, &options, Vec::new(), Vec::new()).unwrap_err();
        let base = GenerateOptions::default();
        assert!(matches!(
            run(GenerateOptions {
                cases: 0,
                ..base.clone()
            }),
            GenerateError::NoCases
        ));
        let inverted = run(GenerateOptions {
            from: base.to,
            to: base.from,
            ..base.clone()
        });
        assert!(inverted.to_string().contains("posterior"), "{inverted}");
        for rate in [-0.1, 1.5, f64::NAN] {
            assert!(matches!(
                run(GenerateOptions {
                    anomaly_rate: rate,
                    ..base.clone()
                }),
                GenerateError::InvalidAnomalyRate { .. }
            ));
        }
        let early = run(GenerateOptions {
            from: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            ..base.clone()
        });
        assert!(early.to_string().contains("2021-12-24"), "{early}");
    }

    #[test]
    fn small_runs_are_deterministic_and_complete() {
        let set = PolicySet::pinned();
        let options = GenerateOptions {
            cases: 300,
            seed: 42,
            ..GenerateOptions::default()
        };
        let once = || {
            let (mut cases, mut history) = (Vec::new(), Vec::new());
            let summary = generate(&set, &options, &mut cases, &mut history).unwrap();
            (summary, cases, history)
        };
        let (summary, cases, history) = once();
        assert_eq!(summary.cases, 300);
        assert_eq!(summary.policies, ["M1-3-06@11"]);
        let lines = String::from_utf8(cases.clone()).unwrap();
        assert_eq!(lines.lines().count(), 301);
        assert!(lines.starts_with("Caso,Servicio,Estado,Fecha de registro,"));
        assert!(!lines.contains('\r'));
        let rows = String::from_utf8(history.clone()).unwrap().lines().count() as u64;
        assert_eq!(rows, summary.history_rows + 1);
        assert_eq!(once(), (summary, cases, history));
    }
}
