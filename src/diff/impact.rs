//! The impact of a change before it is adopted: the same export evaluated under both versions
//! (each pinned, whatever the registration dates), case by case, with what changes and why.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use super::calendar::effect;
use super::compare::normalise_code;
use super::error::DiffError;
use super::load::ProcedureVersion;
use super::model::DayShift;
use crate::calendar::LocalSeconds;
use crate::calendar::clock::{date_of, naive_of};
use crate::cases::codes::InputFile;
use crate::cases::output::timestamp;
use crate::cases::{Mapping, Outcome, RunOptions, run};
use crate::policy::model::{Ans, Policy, Reasons, Rule};
use crate::text::match_key;
use chrono::Weekday;

/// A case's result under one version: an outcome, or rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Solved within the ANS.
    Met,
    /// Solved late.
    Breached,
    /// Open and within its deadline at the cut.
    OpenOnTime,
    /// Open and past its deadline at the cut.
    OpenOverdue,
    /// Annulled: left out of compliance.
    Annulled,
    /// The row was rejected.
    Rejected,
}

impl Verdict {
    /// Spanish label (`cumple`, …, `rechazado`).
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Met => Outcome::Met.label(),
            Verdict::Breached => Outcome::Breached.label(),
            Verdict::OpenOnTime => Outcome::OpenOnTime.label(),
            Verdict::OpenOverdue => Outcome::OpenOverdue.label(),
            Verdict::Annulled => Outcome::Annulled.label(),
            Verdict::Rejected => "rechazado",
        }
    }
}

impl From<Outcome> for Verdict {
    fn from(outcome: Outcome) -> Self {
        match outcome {
            Outcome::Met => Verdict::Met,
            Outcome::Breached => Verdict::Breached,
            Outcome::OpenOnTime => Verdict::OpenOnTime,
            Outcome::OpenOverdue => Verdict::OpenOverdue,
            Outcome::Annulled => Verdict::Annulled,
        }
    }
}

/// A case under one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseResult {
    /// Outcome, or rejected.
    pub verdict: Verdict,
    /// Category as the version names it (evaluated cases).
    pub category: Option<String>,
    /// Exception type, when the case is one.
    pub exception: Option<String>,
    /// ANS applied, in business days.
    pub ans_days: Option<u32>,
    /// Reception instant (RFC 3339).
    pub received_at: Option<String>,
    /// Deadline (RFC 3339).
    pub deadline: Option<String>,
    /// Whole business days late.
    pub days_late: Option<i64>,
    /// Finding codes (`H002`, `R001:<regla>`).
    pub findings: Vec<String>,
    /// Rejection code (`I001`…), when rejected.
    pub rejection_code: Option<&'static str>,
    /// Rejection reason, when rejected.
    pub rejection_reason: Option<String>,
}

/// A case whose result differs between the versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseImpact {
    /// Line in the cases file.
    pub line: u64,
    /// Case id as the export writes it.
    pub case_id: String,
    /// Category (as the new version names it, else the old one, else empty).
    pub category: String,
    /// Under the old version.
    pub old: CaseResult,
    /// Under the new version.
    pub new: CaseResult,
    /// What changes, in Spanish (`cumple → incumple`, `plazo … → …`, `+ hallazgo R001:x`).
    pub effects: Vec<String>,
    /// Why, in Spanish (`ANS 5 → 4 días`, `festivo nuevo 2024-06-25 (…)`).
    pub reasons: Vec<String>,
}

/// How many cases go from one verdict to another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shift {
    /// Verdict under the old version.
    pub old: Verdict,
    /// Verdict under the new version.
    pub new: Verdict,
    /// Number of cases making this move.
    pub count: u64,
}

/// The export under both versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Impact {
    /// The cases export, as given.
    pub cases_file: String,
    /// The history export, as given, if any.
    pub history_file: Option<String>,
    /// As-of instant, local time (`2026-08-01 00:00:00`).
    pub as_of: String,
    /// Data rows of the cases file.
    pub cases_read: u64,
    /// Rows evaluated under both versions.
    pub evaluated_both: u64,
    /// Rows rejected only under the old version.
    pub rejected_old_only: u64,
    /// Rows rejected only under the new version.
    pub rejected_new_only: u64,
    /// Rows rejected under both.
    pub rejected_both: u64,
    /// History rows rejected under the old version.
    pub history_rejected_old: u64,
    /// History rows rejected under the new version.
    pub history_rejected_new: u64,
    /// Cases whose verdict changes (rejections included).
    pub outcome_changed: u64,
    /// Cases evaluated under both whose deadline changes.
    pub deadline_changed: u64,
    /// Cases evaluated under both whose findings change.
    pub findings_changed: u64,
    /// Cases with any change.
    pub cases_changed: u64,
    /// Verdict old → new, with counts (every pair that occurs, unchanged ones included).
    pub shifts: Vec<Shift>,
    /// Every changed case, in file order.
    pub cases: Vec<CaseImpact>,
}

/// A case as one run saw it.
#[derive(Debug, Clone)]
struct Evaluated {
    id: String,
    category: String,
    exception: Option<String>,
    ans: Option<Ans>,
    received_at: LocalSeconds,
    deadline: Option<LocalSeconds>,
    solved_at: Option<LocalSeconds>,
    closed_at: Option<LocalSeconds>,
    paused: i64,
    outcome: Outcome,
    days_late: i64,
    findings: Vec<String>,
    offset: i32,
}

#[derive(Debug, Clone)]
struct Rejected {
    id: String,
    code: &'static str,
    title: &'static str,
    reason: String,
}

#[derive(Debug, Clone)]
enum Record {
    Evaluated(Evaluated),
    Rejected(Rejected),
}

struct SideRun {
    records: BTreeMap<u64, Record>,
    cases_read: u64,
    history_rejected: u64,
}

/// Rows between two progress calls.
const PROGRESS_STEP: u64 = 4096;

fn run_side(
    version: &ProcedureVersion,
    side: &'static str,
    mapping: &Mapping,
    options: &RunOptions,
    done_before: u64,
    progress: &mut dyn FnMut(u64),
) -> Result<SideRun, DiffError> {
    let options = RunOptions {
        procedure: Some(version.policy.code.clone()),
        pinned_version: Some(version.policy.version),
        trace_case: None,
        ..options.clone()
    };
    let mut evaluated: BTreeMap<u64, Record> = BTreeMap::new();
    let mut rejected: BTreeMap<u64, Record> = BTreeMap::new();
    let summary = run(
        &version.set,
        mapping,
        &options,
        |case, evaluation, context, _| {
            if case.line.is_multiple_of(PROGRESS_STEP) {
                progress(done_before + case.line);
            }
            let ans = match case.exception {
                Some(_) => context.policy.exceptions.as_ref().map(|e| e.ans),
                None => context.policy.categories.get(case.category).map(|c| c.ans),
            };
            evaluated.insert(
                case.line,
                Record::Evaluated(Evaluated {
                    id: evaluation.case_id.clone(),
                    category: evaluation.category.to_owned(),
                    exception: evaluation.exception.map(str::to_owned),
                    ans,
                    received_at: evaluation.received_at,
                    deadline: evaluation.deadline,
                    solved_at: evaluation.solved_at,
                    closed_at: case.closed,
                    paused: evaluation.paused_seconds,
                    outcome: evaluation.outcome,
                    days_late: evaluation.days_late,
                    findings: evaluation.findings.iter().map(|f| f.label()).collect(),
                    offset: evaluation.utc_offset_seconds,
                }),
            );
            Ok(())
        },
        |rejection| {
            if rejection.file == InputFile::Cases {
                rejected.insert(
                    rejection.line,
                    Record::Rejected(Rejected {
                        id: rejection.case_id.clone(),
                        code: rejection.code.code(),
                        title: rejection.code.meaning(),
                        reason: rejection.reason.clone(),
                    }),
                );
            }
            Ok(())
        },
    )
    .map_err(|source| DiffError::Impact {
        side,
        id: version.side.label(),
        source,
    })?;
    evaluated.append(&mut rejected);
    Ok(SideRun {
        records: evaluated,
        cases_read: summary.rows.cases_read,
        history_rejected: summary.rows.history_rejected,
    })
}

/// `2024-03-12 17:00` (seconds only when not zero).
pub(crate) fn local_text(at: LocalSeconds) -> String {
    naive_of(at).map_or_else(String::new, |t| {
        if t.format("%S").to_string() == "00" {
            t.format("%Y-%m-%d %H:%M").to_string()
        } else {
            t.format("%Y-%m-%d %H:%M:%S").to_string()
        }
    })
}

/// `7 h`, `2 h 30 min`, `0 h`.
fn duration_text(seconds: i64) -> String {
    let minutes = seconds / 60;
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("{h} h"),
        (0, m) => format!("{m} min"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn result_of(record: &Record) -> CaseResult {
    match record {
        Record::Evaluated(e) => CaseResult {
            verdict: e.outcome.into(),
            category: Some(e.category.clone()),
            exception: e.exception.clone(),
            ans_days: e.ans.map(|a| a.business_days),
            received_at: Some(timestamp(e.received_at, e.offset)),
            deadline: e.deadline.map(|d| timestamp(d, e.offset)),
            days_late: Some(e.days_late),
            findings: e.findings.clone(),
            rejection_code: None,
            rejection_reason: None,
        },
        Record::Rejected(r) => CaseResult {
            verdict: Verdict::Rejected,
            category: None,
            exception: None,
            ans_days: None,
            received_at: None,
            deadline: None,
            days_late: None,
            findings: Vec::new(),
            rejection_code: Some(r.code),
            rejection_reason: Some(r.reason.clone()),
        },
    }
}

/// Workdays that change status between the two calendars, by date, with the rule names.
type DayChanges = BTreeMap<chrono::NaiveDate, (DayShift, Vec<String>)>;

/// Dates listed in one reason before `y N más`.
const SHOWN_DATES: usize = 6;

/// `días no hábiles nuevos 2024-06-25, 2025-06-25 "Festivo de ejemplo"`: the workdays between
/// `start` and `end` that change status in one direction, with the rules involved.
fn days_reason(
    days: &DayChanges,
    (start, end): (chrono::NaiveDate, chrono::NaiveDate),
    shift: DayShift,
) -> Option<String> {
    let dates: Vec<(&chrono::NaiveDate, &Vec<String>)> = days
        .range(start..=end)
        .filter(|(_, (s, _))| *s == shift)
        .map(|(date, (_, names))| (date, names))
        .collect();
    if dates.is_empty() {
        return None;
    }
    let what = match (shift, dates.len()) {
        (DayShift::StopsBeingBusiness, 1) => "día no hábil nuevo",
        (DayShift::StopsBeingBusiness, _) => "días no hábiles nuevos",
        (DayShift::BecomesBusiness, 1) => "vuelve a ser hábil",
        (DayShift::BecomesBusiness, _) => "vuelven a ser hábiles",
    };
    let mut shown: Vec<String> = dates
        .iter()
        .take(SHOWN_DATES)
        .map(|(d, _)| d.to_string())
        .collect();
    if dates.len() > SHOWN_DATES {
        shown.push(format!("y {} más", dates.len() - SHOWN_DATES));
    }
    let mut names: Vec<String> = Vec::new();
    for name in dates.iter().flat_map(|(_, n)| n.iter()) {
        let quoted = format!("\"{name}\"");
        if !names.contains(&quoted) {
            names.push(quoted);
        }
    }
    Some(format!("{what} {} {}", shown.join(", "), names.join(", ")))
}

/// What both versions share for explaining a case: their policies, the calendar changes and
/// the as-of instant.
struct Context<'a> {
    old: &'a Policy,
    new: &'a Policy,
    days: DayChanges,
    as_of: LocalSeconds,
    /// The allowed transitions or their reasons differ.
    transitions_changed: bool,
}

/// The transitions of a policy as comparable keys (states and reasons by match key, sorted).
fn transition_keys(policy: &Policy) -> Vec<String> {
    let mut list: Vec<String> = policy
        .transitions
        .iter()
        .map(|t| {
            let reasons = match &t.reasons {
                Reasons::Any => "*".to_owned(),
                Reasons::List(reasons) => {
                    let mut keys: Vec<String> = reasons.iter().map(|r| match_key(r)).collect();
                    keys.sort();
                    keys.join("|")
                }
            };
            format!("{}>{}>{reasons}", match_key(&t.from), match_key(&t.to))
        })
        .collect();
    list.sort();
    list
}

/// Whether two rules say the same (positions and whitespace aside).
fn same_rule(a: &Rule, b: &Rule) -> bool {
    let when = |r: &Rule| r.when.as_ref().map(|w| normalise_code(&w.source));
    a.severity == b.severity
        && a.subject == b.subject
        && when(a) == when(b)
        && normalise_code(&a.require.source) == normalise_code(&b.require.source)
        && a.message == b.message
}

/// Why a finding appears or disappears, when the policies tell: a rule added, removed or
/// changed, the transitions or the automatic close changed.
fn finding_reason<'a>(label: &str, context: &Context<'a>) -> Option<String> {
    if let Some((_, rule)) = label.split_once(':') {
        let key = match_key(rule);
        let (old, new) = (context.old, context.new);
        let find = |p: &'a Policy| p.rules.iter().find(|r| match_key(&r.name) == key);
        return match (find(old), find(new)) {
            (None, Some(_)) => Some(format!("regla nueva \"{rule}\"")),
            (Some(_), None) => Some(format!("regla retirada \"{rule}\"")),
            (Some(a), Some(b)) if a.severity != b.severity => {
                Some(format!("cambia la severidad de la regla \"{rule}\""))
            }
            (Some(a), Some(b)) if !same_rule(a, b) => Some(format!("cambia la regla \"{rule}\"")),
            _ => None,
        };
    }
    match label {
        "H001" | "H002" if context.transitions_changed => {
            Some("cambian las transiciones o sus razones".into())
        }
        "H006" | "H007" if context.old.auto_close != context.new.auto_close => {
            Some("cambia el cierre automático".into())
        }
        _ => None,
    }
}

fn hours_text(policy: &Policy) -> String {
    format!(
        "{} {}–{}",
        super::policy::workdays_text(&policy.hours.workdays),
        policy.hours.opens.format("%H:%M"),
        policy.hours.closes.format("%H:%M")
    )
}

/// Effects and reasons for two evaluations of one case.
fn explain_evaluated(a: &Evaluated, b: &Evaluated, context: &Context<'_>) -> (Vec<String>, Vec<String>) {
    let (effects, finding_reasons) = effects_of(a, b, context);
    if effects.is_empty() {
        return (effects, Vec::new());
    }
    let mut reasons = declaration_reasons(a, b);
    clock_reasons(a, b, context, &mut reasons);
    auto_close_reasons(a, b, context, &mut reasons);
    for reason in finding_reasons {
        if !reasons.contains(&reason) {
            reasons.push(reason);
        }
    }
    (effects, reasons)
}

/// What changes for the case (verdict or days late, deadline, findings gained and lost), and
/// the policy changes that explain its findings.
fn effects_of(a: &Evaluated, b: &Evaluated, context: &Context<'_>) -> (Vec<String>, Vec<String>) {
    let mut effects = Vec::new();
    if a.outcome != b.outcome {
        effects.push(format!("{} → {}", a.outcome.label(), b.outcome.label()));
    } else if a.days_late != b.days_late {
        effects.push(format!("días de retraso {} → {}", a.days_late, b.days_late));
    }
    if a.deadline != b.deadline {
        let show = |d: Option<LocalSeconds>| d.map_or_else(|| "—".to_owned(), local_text);
        effects.push(format!("plazo {} → {}", show(a.deadline), show(b.deadline)));
    }
    let mut finding_reasons = Vec::new();
    for finding in b.findings.iter().filter(|f| !a.findings.contains(f)) {
        effects.push(format!("+ hallazgo {finding}"));
        finding_reasons.extend(finding_reason(finding, context));
    }
    for finding in a.findings.iter().filter(|f| !b.findings.contains(f)) {
        effects.push(format!("− hallazgo {finding}"));
        finding_reasons.extend(finding_reason(finding, context));
    }
    (effects, finding_reasons)
}

/// Reasons in what each version made of the case's row: category, exception, ANS, reception.
fn declaration_reasons(a: &Evaluated, b: &Evaluated) -> Vec<String> {
    let mut reasons = Vec::new();
    if match_key(&a.category) != match_key(&b.category) {
        reasons.push(format!("categoría \"{}\" → \"{}\"", a.category, b.category));
    }
    if a.exception.as_deref().map(match_key) != b.exception.as_deref().map(match_key) {
        let show = |e: &Option<String>| {
            e.as_ref()
                .map_or_else(|| "ninguna".to_owned(), |e| format!("\"{e}\""))
        };
        reasons.push(format!(
            "excepción {} → {}",
            show(&a.exception),
            show(&b.exception)
        ));
    }
    if let (Some(x), Some(y)) = (a.ans, b.ans) {
        if x.business_days != y.business_days {
            reasons.push(format!("ANS {} → {} días", x.business_days, y.business_days));
        }
        if x.counts_reception_day != y.counts_reception_day {
            let show = |v: bool| if v { "sí" } else { "no" };
            reasons.push(format!(
                "cuenta el día de recepción: {} → {}",
                show(x.counts_reception_day),
                show(y.counts_reception_day)
            ));
        }
    }
    if a.received_at != b.received_at {
        reasons.push(format!(
            "recepción {} → {}",
            local_text(a.received_at),
            local_text(b.received_at)
        ));
    }
    reasons
}

/// Reasons in the clock, when the deadline, the days late or the pauses change: the office
/// hours, the days that stop or start being business days, the time paused.
fn clock_reasons(a: &Evaluated, b: &Evaluated, context: &Context<'_>, reasons: &mut Vec<String>) {
    let clock_changed = a.deadline != b.deadline || a.days_late != b.days_late || a.paused != b.paused;
    if clock_changed {
        let (old_hours, new_hours) = (hours_text(context.old), hours_text(context.new));
        if old_hours != new_hours {
            reasons.push(format!("horario {old_hours} → {new_hours}"));
        }
        // Business days count from reception to the deadline, and for days late to the
        // solution (or the as-of instant while open).
        let start = date_of(a.received_at.min(b.received_at));
        let end_of = |e: &Evaluated| {
            e.deadline
                .unwrap_or(e.received_at)
                .max(e.solved_at.unwrap_or(context.as_of))
        };
        let end = date_of(end_of(a).max(end_of(b)));
        if start <= end {
            for shift in [DayShift::StopsBeingBusiness, DayShift::BecomesBusiness] {
                reasons.extend(days_reason(&context.days, (start, end), shift));
            }
        }
    }
    if a.paused != b.paused {
        reasons.push(format!(
            "tiempo en pausa {} → {}",
            duration_text(a.paused),
            duration_text(b.paused)
        ));
    }
}

/// Reasons for an automatic-close finding that comes or goes under the same automatic close:
/// the business days between the solution and the close (or the as-of instant while it is
/// pending) changed.
fn auto_close_reasons(a: &Evaluated, b: &Evaluated, context: &Context<'_>, reasons: &mut Vec<String>) {
    let auto_close_finding = |e: &Evaluated| e.findings.iter().any(|f| f == "H006" || f == "H007");
    let solved = match (a.solved_at, b.solved_at) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    };
    if auto_close_finding(a) != auto_close_finding(b)
        && context.old.auto_close == context.new.auto_close
        && let Some(solved) = solved
    {
        let end = date_of(a.closed_at.unwrap_or(context.as_of).max(solved));
        for shift in [DayShift::StopsBeingBusiness, DayShift::BecomesBusiness] {
            if let Some(reason) = days_reason(&context.days, (date_of(solved), end), shift)
                && !reasons.contains(&reason)
            {
                reasons.push(reason);
            }
        }
    }
}

/// The calendar changes on workdays over the years the cases span.
fn day_changes(
    old: &ProcedureVersion,
    new: &ProcedureVersion,
    years: Option<(i32, i32)>,
) -> Result<DayChanges, DiffError> {
    let (Some(a), Some(b), Some(years)) = (&old.calendar, &new.calendar, years) else {
        return Ok(DayChanges::new());
    };
    if a == b {
        return Ok(DayChanges::new());
    }
    let workdays: Vec<Weekday> = new.policy.hours.workdays.clone();
    Ok(effect(a, b, &workdays, years)?
        .map(|e| e.days.into_iter().map(|d| (d.date, (d.shift, d.names))).collect())
        .unwrap_or_default())
}

/// Evaluates the export of `options` under `old` and under `new` (each pinned) and compares
/// every case.
pub fn evaluate(
    old: &ProcedureVersion,
    new: &ProcedureVersion,
    mapping: &Mapping,
    options: &RunOptions,
) -> Result<Impact, DiffError> {
    evaluate_with_progress(old, new, mapping, options, &mut |_| {})
}

/// [`evaluate`], calling `progress` with the number of cases evaluated so far (both versions
/// counted: the export is read twice) now and then.
pub fn evaluate_with_progress(
    old: &ProcedureVersion,
    new: &ProcedureVersion,
    mapping: &Mapping,
    options: &RunOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<Impact, DiffError> {
    let before = run_side(old, "anterior", mapping, options, 0, progress)?;
    let after = run_side(
        new,
        "nueva",
        mapping,
        options,
        before.records.len() as u64,
        progress,
    )?;
    let context = Context {
        old: &old.policy,
        new: &new.policy,
        days: day_changes(old, new, years_spanned(&before, &after, options.as_of))?,
        as_of: options.as_of,
        transitions_changed: transition_keys(&old.policy) != transition_keys(&new.policy),
    };
    let mut impact = Impact::empty(options, &before, &after);
    let mut shifts: BTreeMap<(Verdict, Verdict), u64> = BTreeMap::new();
    for (line, a) in &before.records {
        let Some(b) = after.records.get(line) else {
            continue;
        };
        impact.compare(*line, (a, b), &context, &mut shifts);
    }
    impact.shifts = shifts
        .into_iter()
        .map(|((old, new), count)| Shift { old, new, count })
        .collect();
    Ok(impact)
}

/// The first and last year any evaluated case spans under either version (reception to the
/// later of its deadline and its solution, or the as-of instant while open).
fn years_spanned(before: &SideRun, after: &SideRun, as_of: LocalSeconds) -> Option<(i32, i32)> {
    before
        .records
        .values()
        .chain(after.records.values())
        .filter_map(|r| match r {
            Record::Evaluated(e) => Some((
                date_of(e.received_at).year(),
                date_of(
                    e.deadline
                        .unwrap_or(e.received_at)
                        .max(e.solved_at.unwrap_or(as_of)),
                )
                .year(),
            )),
            Record::Rejected(_) => None,
        })
        .fold(None, |acc: Option<(i32, i32)>, (from, to)| {
            Some(acc.map_or((from, to), |(a, b)| (a.min(from), b.max(to))))
        })
}

impl Impact {
    /// The inputs and row counts of both runs, before any case is compared.
    fn empty(options: &RunOptions, before: &SideRun, after: &SideRun) -> Self {
        Self {
            cases_file: options.cases.display().to_string(),
            history_file: options.history.as_ref().map(|h| h.display().to_string()),
            as_of: naive_of(options.as_of)
                .map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M:%S").to_string()),
            cases_read: before.cases_read,
            evaluated_both: 0,
            rejected_old_only: 0,
            rejected_new_only: 0,
            rejected_both: 0,
            history_rejected_old: before.history_rejected,
            history_rejected_new: after.history_rejected,
            outcome_changed: 0,
            deadline_changed: 0,
            findings_changed: 0,
            cases_changed: 0,
            shifts: Vec::new(),
            cases: Vec::new(),
        }
    }

    /// Counts one case (the row at `line` under the old and the new version) and keeps it when
    /// anything about it changes.
    fn compare(
        &mut self,
        line: u64,
        (a, b): (&Record, &Record),
        context: &Context<'_>,
        shifts: &mut BTreeMap<(Verdict, Verdict), u64>,
    ) {
        let (old_result, new_result) = (result_of(a), result_of(b));
        *shifts
            .entry((old_result.verdict, new_result.verdict))
            .or_default() += 1;
        if old_result.verdict != new_result.verdict {
            self.outcome_changed += 1;
        }
        let (id, effects, reasons) = self.tally(a, b, context);
        if effects.is_empty() {
            return;
        }
        self.cases_changed += 1;
        let category = new_result
            .category
            .clone()
            .or_else(|| old_result.category.clone())
            .unwrap_or_default();
        self.cases.push(CaseImpact {
            line,
            case_id: id,
            category,
            old: old_result,
            new: new_result,
            effects,
            reasons,
        });
    }

    /// Counts what kind of pair the two records are (evaluated or rejected under each version,
    /// deadline or findings changed); returns the case's id, its effects and their reasons.
    fn tally(&mut self, a: &Record, b: &Record, context: &Context<'_>) -> (String, Vec<String>, Vec<String>) {
        match (a, b) {
            (Record::Evaluated(x), Record::Evaluated(y)) => {
                self.evaluated_both += 1;
                if x.deadline != y.deadline {
                    self.deadline_changed += 1;
                }
                let mut before: Vec<&String> = x.findings.iter().collect();
                let mut after: Vec<&String> = y.findings.iter().collect();
                before.sort();
                after.sort();
                if before != after {
                    self.findings_changed += 1;
                }
                let (effects, reasons) = explain_evaluated(x, y, context);
                (y.id.clone(), effects, reasons)
            }
            (Record::Rejected(x), Record::Rejected(_)) => {
                self.rejected_both += 1;
                (x.id.clone(), Vec::new(), Vec::new())
            }
            (Record::Evaluated(x), Record::Rejected(y)) => {
                self.rejected_new_only += 1;
                let effects = vec![format!("{} → rechazado", x.outcome.label())];
                let reasons = vec![format!("{} {} en la versión nueva", y.code, y.title)];
                (x.id.clone(), effects, reasons)
            }
            (Record::Rejected(x), Record::Evaluated(y)) => {
                self.rejected_old_only += 1;
                let effects = vec![format!("rechazado → {}", y.outcome.label())];
                let reasons = vec![format!(
                    "{} {} en la versión anterior; la nueva lo evalúa",
                    x.code, x.title
                )];
                (y.id.clone(), effects, reasons)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_and_durations_read_naturally() {
        let at = crate::calendar::clock::local_seconds(
            chrono::NaiveDate::from_ymd_opt(2024, 3, 12)
                .and_then(|d| d.and_hms_opt(17, 0, 0))
                .unwrap_or_default(),
        );
        assert_eq!(local_text(at), "2024-03-12 17:00");
        assert_eq!(local_text(at + 1), "2024-03-12 17:00:01");
        assert_eq!(duration_text(64_800), "18 h");
        assert_eq!(duration_text(9_000), "2 h 30 min");
        assert_eq!(duration_text(600), "10 min");
    }

    #[test]
    fn verdicts_have_spanish_labels() {
        assert_eq!(Verdict::from(Outcome::Breached).label(), "incumple");
        assert_eq!(Verdict::Rejected.label(), "rechazado");
    }
}
