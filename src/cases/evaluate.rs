//! Judging one case against the ANS clock of DESIGN.md §3: reception, base deadline, pauses
//! from the state history, the solution instant, the outcome, and the history findings.

use super::codes::{Finding, FindingCode};
use super::context::{PolicyContext, TransitionCheck};
use super::mapping::Mapping;
use super::model::{Case, Evaluation, HistoryEvent, Outcome};
use crate::calendar::CalendarError;
use crate::calendar::clock::{LocalSeconds, Reception, SECONDS_PER_DAY};
use crate::policy::model::{Ans, Clock};

/// A stretch of time the case spent in a paused state, clipped to the counted window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    /// Index of the paused state in the policy's `states`.
    pub state: usize,
    /// Start of the stretch (as recorded).
    pub from: LocalSeconds,
    /// End of the stretch (as recorded; the as-of instant or the solution for the last one).
    pub to: LocalSeconds,
    /// Business seconds counted (inside `[received_at, end]`).
    pub seconds: i64,
}

/// Where the solution instant came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SolutionSource {
    /// The last entry into the solution state, at this history line.
    History(u64),
    /// The export's solution column (no history rows).
    Export,
    /// The case has no solution.
    None,
}

/// The intermediate values of an evaluation, for `pauta explain`.
#[derive(Debug, Clone)]
pub struct Trace {
    /// The reception day R and the instant shown as received (DESIGN.md §3.1).
    pub reception: Reception,
    /// The exception cutoff applied, seconds after midnight.
    pub cutoff: Option<i64>,
    /// ANS applied (category's or the exception regime's), in business days.
    pub ans: u32,
    /// Whether the reception day counts as day 1.
    pub counts_reception_day: bool,
    /// Epoch day of the base deadline.
    pub due_day: i64,
    /// Position of the base deadline.
    pub base_position: i64,
    /// Position of the reception instant.
    pub received_position: i64,
    /// Paused stretches in time order; their seconds move the deadline.
    pub pauses: Vec<Pause>,
    /// Where the solution came from.
    pub solution_source: SolutionSource,
    /// Whether a history file was given at all (a case without rows in it is told apart from a
    /// run without the file).
    pub history_given: bool,
    /// Position compared with the base deadline (solution or as-of, minus pauses).
    pub compared_position: Option<i64>,
    /// The history rows in the order used.
    pub events: Vec<HistoryEvent>,
    /// The as-of instant.
    pub as_of: LocalSeconds,
    /// Each case rule: its inputs and result.
    pub rules: Vec<RuleTrace>,
}

/// One rule as `explain` shows it.
#[derive(Debug, Clone)]
pub struct RuleTrace {
    /// The rule's quoted name.
    pub name: String,
    /// Error or warning, from the policy.
    pub severity: crate::policy::model::RuleSeverity,
    /// Line in the policy file.
    pub line: usize,
    /// `cuando` source.
    pub when: Option<String>,
    /// `exige` source.
    pub require: String,
    /// Fields the rule reads, with their values (`caso.area` → `"Secretaría General"`).
    pub inputs: Vec<(String, String)>,
    /// Passed, failed, not applicable (`cuando` false) or broken.
    pub result: crate::rules::RuleResult,
}

/// Evaluates `case` with its history `events` (file order; may be empty) at instant `as_of`.
/// `findings` holds findings already known (e.g. rejected history rows). With `trace`, the
/// intermediate values are recorded for `explain`. Errors only when an instant falls outside
/// the calendar's index.
pub fn evaluate<'a>(
    context: &PolicyContext<'a>,
    mapping: &Mapping,
    case: &Case,
    mut events: Vec<HistoryEvent>,
    as_of: LocalSeconds,
    mut findings: Vec<Finding>,
    trace: Option<&mut Trace>,
) -> Result<Evaluation<'a>, CalendarError> {
    let policy = context.policy;
    let clock = &context.clock;
    let category = policy.categories.get(case.category);
    let terms = BaseDeadline::of(context, case)?;
    if as_of < case.registered {
        findings.push(Finding::new(
            FindingCode::RegisteredAfterCut,
            "el caso se registró después de la fecha de corte (`--as-of`)",
        ));
    }

    // The history decides when there is one (§3.4); otherwise the export's columns do.
    let walk = if events.is_empty() {
        Walk::without_history(context, case, &mut findings)
    } else {
        Walk::through_history(context, mapping, case, &mut events, as_of, &mut findings)?
    };

    let end = walk.solution.unwrap_or(as_of);
    let (pauses, paused) = clip_pauses(context, &walk.stretches, end, terms.reception.at)?;
    let (outcome, compared, late) = judge_outcome(context, &walk, as_of, paused, terms.base)?;
    let deadline = match clock.instant_at(terms.base + paused) {
        Ok(at) => Some(at),
        Err(error) => {
            findings.push(Finding::new(
                FindingCode::DeadlineBeyondCalendar,
                error.to_string(),
            ));
            None
        }
    };

    if let Some(trace) = trace {
        *trace = Trace {
            reception: terms.reception,
            cutoff: terms.cutoff,
            ans: terms.ans.business_days,
            counts_reception_day: terms.ans.counts_reception_day,
            due_day: terms.due_day,
            base_position: terms.base,
            received_position: terms.received_position,
            pauses,
            solution_source: walk.solution_source,
            compared_position: compared,
            events,
            as_of,
            rules: Vec::new(),
            history_given: false,
        };
    }

    Ok(Evaluation {
        case_id: case.id.clone(),
        category: category.map_or("", |c| c.name.as_str()),
        policy_version: policy.version,
        exception: terms.exception,
        registered_at: case.registered,
        received_at: terms.reception.at,
        deadline,
        solved_at: walk.solution,
        paused_seconds: paused,
        outcome,
        days_late: clock.days_late(late),
        findings,
        utc_offset_seconds: context.calendar.utc_offset_seconds,
    })
}

/// Reception and base deadline of a case (DESIGN.md §3.1–3.2): the ANS that applies (the
/// category's, or the exception regime's with its cutoff), the reception day and the deadline
/// before pauses.
struct BaseDeadline<'a> {
    /// ANS applied.
    ans: Ans,
    /// Exception cutoff applied, seconds after midnight.
    cutoff: Option<i64>,
    /// Name of the case's exception type, if it has one and the policy a regime.
    exception: Option<&'a str>,
    /// The reception day and instant.
    reception: Reception,
    /// Epoch day of the base deadline.
    due_day: i64,
    /// Position of the base deadline.
    base: i64,
    /// Position of the reception instant.
    received_position: i64,
}

impl<'a> BaseDeadline<'a> {
    fn of(context: &PolicyContext<'a>, case: &Case) -> Result<Self, CalendarError> {
        let policy = context.policy;
        let clock = &context.clock;
        let category = policy.categories.get(case.category);
        let regime = policy.exceptions.as_ref();
        let (ans, cutoff, exception) = match (case.exception, regime) {
            (Some(index), Some(regime)) => (
                regime.ans,
                context.cutoff,
                regime.types.get(index).map(|kind| kind.name.as_str()),
            ),
            _ => (
                category.map(|c| c.ans).unwrap_or(Ans {
                    business_days: 1,
                    counts_reception_day: false,
                }),
                None,
                None,
            ),
        };
        let reception = clock.reception(case.registered, cutoff)?;
        let due_day = clock.due_day(reception.day, ans.business_days, ans.counts_reception_day)?;
        let base = clock.closing_position(due_day)?;
        let received_position = clock.position(reception.at)?;
        Ok(Self {
            ans,
            cutoff,
            exception,
            reception,
            due_day,
            base,
            received_position,
        })
    }
}

/// Where the case's states lead: its final state, its solution and the paused stretches.
struct Walk {
    /// The state the case ends in.
    current: usize,
    /// The solution instant, if any.
    solution: Option<LocalSeconds>,
    /// Where the solution came from.
    solution_source: SolutionSource,
    /// Paused stretches before clipping: (state, from, to; `None` = still paused).
    stretches: Vec<(usize, LocalSeconds, Option<LocalSeconds>)>,
}

impl Walk {
    /// Without history rows the export's columns decide; a state that disagrees with the
    /// solution column is a finding.
    fn without_history(context: &PolicyContext<'_>, case: &Case, findings: &mut Vec<Finding>) -> Self {
        if let Some(state) = context.policy.states.get(case.state) {
            let closed_like = state.solution || (state.clock == Clock::Final && !state.excluded);
            if closed_like && case.solved.is_none() {
                findings.push(Finding::new(
                    FindingCode::StateWithoutSolution,
                    format!("el caso está «{}» pero no tiene fecha de solución", state.name),
                ));
            } else if state.clock == Clock::Runs && case.solved.is_some() {
                findings.push(Finding::new(
                    FindingCode::StateWithoutSolution,
                    format!(
                        "el caso está «{}» (abierto) pero tiene fecha de solución; sin historial se usa esa fecha",
                        state.name
                    ),
                ));
            }
        }
        Self {
            current: case.state,
            solution: case.solved,
            solution_source: if case.solved.is_some() {
                SolutionSource::Export
            } else {
                SolutionSource::None
            },
            stretches: Vec::new(),
        }
    }

    /// Follows the history rows (sorted by date first when they are not): each row's findings,
    /// then the state it leads to; at the end, the findings of the final state.
    fn through_history(
        context: &PolicyContext<'_>,
        mapping: &Mapping,
        case: &Case,
        events: &mut [HistoryEvent],
        as_of: LocalSeconds,
        findings: &mut Vec<Finding>,
    ) -> Result<Self, CalendarError> {
        sort_if_out_of_order(events, findings);
        let mut walk = Self {
            current: context.initial,
            solution: None,
            solution_source: SolutionSource::None,
            stretches: Vec::new(),
        };
        let mut entered_at = case.registered;
        let mut stretch_start = case.registered;
        let mut warned = TimingWarnings::default();
        for (position, event) in events.iter().enumerate() {
            warned.check(case, as_of, event, findings);
            chain_finding(context, position, event, walk.current, findings);
            transition_finding(context, mapping, event, findings);
            auto_close_early(context, mapping, event, walk.current, entered_at, findings)?;
            if walk.is_paused(context) {
                walk.stretches.push((walk.current, stretch_start, Some(event.at)));
            }
            if event.to != walk.current {
                entered_at = event.at;
            }
            walk.current = event.to;
            stretch_start = event.at;
            walk.follow_solution(context, event);
        }
        if walk.is_paused(context) {
            walk.stretches.push((walk.current, stretch_start, None));
        }
        auto_close_pending(context, walk.current, entered_at, as_of, findings)?;
        walk.final_findings(context, case, findings);
        Ok(walk)
    }

    /// Whether the current state pauses the clock.
    fn is_paused(&self, context: &PolicyContext<'_>) -> bool {
        context
            .policy
            .states
            .get(self.current)
            .is_some_and(|state| state.clock == Clock::Paused)
    }

    /// Entering a solution state solves the case at the row's instant; entering a running
    /// state reopens it.
    fn follow_solution(&mut self, context: &PolicyContext<'_>, event: &HistoryEvent) {
        if let Some(state) = context.policy.states.get(self.current) {
            if state.solution {
                self.solution = Some(event.at);
                self.solution_source = SolutionSource::History(event.line);
            } else if state.clock == Clock::Runs {
                self.solution = None;
                self.solution_source = SolutionSource::None;
            }
        }
    }

    /// The export's state and solution date compared with where the history ends.
    fn final_findings(&self, context: &PolicyContext<'_>, case: &Case, findings: &mut Vec<Finding>) {
        let name = |index: usize| context.state_name(index);
        if case.state != self.current {
            findings.push(Finding::new(
                FindingCode::StateMismatch,
                format!(
                    "el archivo de casos dice «{}», pero el historial termina en «{}»",
                    name(case.state),
                    name(self.current)
                ),
            ));
        }
        let agrees = match (self.solution, case.solved) {
            (None, None) => true,
            (Some(history), Some(export)) => (history - export).abs() < 60,
            _ => false,
        };
        if !agrees {
            let shown = |at: Option<LocalSeconds>| {
                at.map_or("(vacía)".to_owned(), |at| {
                    super::output::timestamp(at, context.calendar.utc_offset_seconds)
                })
            };
            findings.push(Finding::new(
                FindingCode::SolutionMismatch,
                format!(
                    "la fecha de solución del archivo de casos es {}, pero según el historial es {}",
                    shown(case.solved),
                    shown(self.solution)
                ),
            ));
        }
    }
}

/// Sorts the rows by date (then line) when one is dated before the row preceding it, with a
/// finding naming the first such row.
fn sort_if_out_of_order(events: &mut [HistoryEvent], findings: &mut Vec<Finding>) {
    if let Some(offending) = events.windows(2).find(|pair| match pair {
        [earlier, later] => later.at < earlier.at,
        _ => false,
    }) {
        let line = offending.get(1).map_or(0, |event| event.line);
        findings.push(Finding::new(
            FindingCode::OutOfOrder,
            format!("historial línea {line}: su fecha es anterior a la de la fila previa del caso; se ordenan por fecha"),
        ));
        events.sort_by_key(|event| (event.at, event.line));
    }
}

/// The once-per-case findings of rows dated before the registration or after the cut.
#[derive(Default)]
struct TimingWarnings {
    before_registration: bool,
    after_cut: bool,
}

impl TimingWarnings {
    fn check(&mut self, case: &Case, as_of: LocalSeconds, event: &HistoryEvent, findings: &mut Vec<Finding>) {
        if event.at < case.registered && !self.before_registration {
            self.before_registration = true;
            findings.push(Finding::new(
                FindingCode::EventBeforeRegistration,
                format!(
                    "historial línea {}: el cambio es anterior al registro del caso",
                    event.line
                ),
            ));
        }
        if event.at > as_of && !self.after_cut {
            self.after_cut = true;
            findings.push(Finding::new(
                FindingCode::EventAfterCut,
                format!(
                    "historial línea {}: el cambio es posterior a la fecha de corte",
                    event.line
                ),
            ));
        }
    }
}

/// A row that does not start where the case was (the initial state, for the first row).
fn chain_finding(
    context: &PolicyContext<'_>,
    position: usize,
    event: &HistoryEvent,
    current: usize,
    findings: &mut Vec<Finding>,
) {
    if event.from == current {
        return;
    }
    let name = |index: usize| context.state_name(index);
    let (code, message) = if position == 0 {
        (
            FindingCode::BadFirstState,
            format!(
                "historial línea {}: la primera fila parte de «{}», no del estado inicial «{}»",
                event.line,
                name(event.from),
                name(current)
            ),
        )
    } else {
        (
            FindingCode::BrokenChain,
            format!(
                "historial línea {}: la fila parte de «{}», pero el caso estaba en «{}»",
                event.line,
                name(event.from),
                name(current)
            ),
        )
    };
    findings.push(Finding::new(code, message));
}

/// A transition the policy does not allow, or allows with other reasons.
fn transition_finding(
    context: &PolicyContext<'_>,
    mapping: &Mapping,
    event: &HistoryEvent,
    findings: &mut Vec<Finding>,
) {
    let name = |index: usize| context.state_name(index);
    match context.check_transition(event.from, event.to, &event.reason, mapping) {
        TransitionCheck::Allowed => {}
        TransitionCheck::NotAllowed => findings.push(Finding::new(
            FindingCode::IllegalTransition,
            format!(
                "historial línea {}: la política no permite pasar de «{}» a «{}»",
                event.line,
                name(event.from),
                name(event.to)
            ),
        )),
        TransitionCheck::BadReason(allowed) => findings.push(Finding::new(
            FindingCode::ReasonNotAllowed,
            format!(
                "historial línea {}: «{}» → «{}» no admite la razón «{}»; admite: {}",
                event.line,
                name(event.from),
                name(event.to),
                event.reason,
                allowed
                    .iter()
                    .map(|r| format!("«{r}»"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// An automatic close made before its term ran out.
fn auto_close_early(
    context: &PolicyContext<'_>,
    mapping: &Mapping,
    event: &HistoryEvent,
    current: usize,
    entered_at: LocalSeconds,
    findings: &mut Vec<Finding>,
) -> Result<(), CalendarError> {
    let clock = &context.clock;
    if context.is_auto_close(event.from, event.to, &event.reason, mapping)
        && current == event.from
        && let Some(due) = auto_close_due(context, entered_at)?
        && clock.position(event.at)? < clock.position(due)?
    {
        findings.push(Finding::new(
            FindingCode::AutoCloseEarly,
            format!(
                "historial línea {}: el cierre automático se hizo antes de cumplirse el plazo ({})",
                event.line,
                super::output::timestamp(due, context.calendar.utc_offset_seconds)
            ),
        ));
    }
    Ok(())
}

/// A case still in the automatic close's state after its term ran out, at the as-of instant.
fn auto_close_pending(
    context: &PolicyContext<'_>,
    current: usize,
    entered_at: LocalSeconds,
    as_of: LocalSeconds,
    findings: &mut Vec<Finding>,
) -> Result<(), CalendarError> {
    let clock = &context.clock;
    if let Some((auto_from, ..)) = context.auto_close
        && current == auto_from
        && let Some(due) = auto_close_due(context, entered_at)?
        && clock.position(as_of)? > clock.position(due)?
    {
        findings.push(Finding::new(
            FindingCode::AutoClosePending,
            format!(
                "el caso sigue «{}» desde {}; el cierre automático debía hacerse el {}",
                context.state_name(current),
                super::output::timestamp(entered_at, context.calendar.utc_offset_seconds),
                super::output::timestamp(due, context.calendar.utc_offset_seconds)
            ),
        ));
    }
    Ok(())
}

/// The paused stretches clipped to `[received_at, end]` (those starting at or after `end` are
/// dropped), with the business seconds they add up to.
fn clip_pauses(
    context: &PolicyContext<'_>,
    stretches: &[(usize, LocalSeconds, Option<LocalSeconds>)],
    end: LocalSeconds,
    received_at: LocalSeconds,
) -> Result<(Vec<Pause>, i64), CalendarError> {
    let mut pauses = Vec::with_capacity(stretches.len());
    let mut paused = 0;
    for &(state, from, to) in stretches {
        if from >= end {
            continue;
        }
        let to = to.unwrap_or(end);
        let seconds = context
            .clock
            .business_seconds(from.max(received_at), to.min(end))?;
        paused += seconds;
        pauses.push(Pause {
            state,
            from,
            to,
            seconds,
        });
    }
    Ok((pauses, paused))
}

/// The outcome (DESIGN.md §3.5), the position compared with the base deadline and how far
/// past it, in business seconds.
fn judge_outcome(
    context: &PolicyContext<'_>,
    walk: &Walk,
    as_of: LocalSeconds,
    paused: i64,
    base: i64,
) -> Result<(Outcome, Option<i64>, i64), CalendarError> {
    let clock = &context.clock;
    let excluded = context
        .policy
        .states
        .get(walk.current)
        .is_some_and(|state| state.excluded);
    Ok(if excluded {
        (Outcome::Annulled, None, 0)
    } else if let Some(solved) = walk.solution {
        let used = clock.position(solved)? - paused;
        if used <= base {
            (Outcome::Met, Some(used), 0)
        } else {
            (Outcome::Breached, Some(used), used - base)
        }
    } else {
        let used = clock.position(as_of)? - paused;
        if used > base {
            (Outcome::OpenOverdue, Some(used), used - base)
        } else {
            (Outcome::OpenOnTime, Some(used), 0)
        }
    })
}

/// When the automatic close is due for a case that entered its state at `entered_at`.
fn auto_close_due(
    context: &PolicyContext<'_>,
    entered_at: LocalSeconds,
) -> Result<Option<LocalSeconds>, CalendarError> {
    let Some(auto) = context.policy.auto_close.as_ref() else {
        return Ok(None);
    };
    let days = i64::from(auto.after_days);
    if auto.business_days {
        let clock = &context.clock;
        let position = clock.position(entered_at)? + days * clock.day_length();
        Ok(Some(clock.instant_at(position)?))
    } else {
        Ok(Some(entered_at + days * SECONDS_PER_DAY))
    }
}

impl Default for Trace {
    fn default() -> Self {
        Self {
            reception: Reception {
                day: 0,
                at: 0,
                same_day: true,
            },
            cutoff: None,
            ans: 0,
            counts_reception_day: false,
            due_day: 0,
            base_position: 0,
            received_position: 0,
            pauses: Vec::new(),
            solution_source: SolutionSource::None,
            compared_position: None,
            events: Vec::new(),
            as_of: 0,
            rules: Vec::new(),
            history_given: false,
        }
    }
}
