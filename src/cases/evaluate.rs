//! Judging one case against the ANS clock of DESIGN.md §3: reception, base deadline, pauses
//! from the state history, the solution instant, the outcome, and the history findings.

use super::codes::{Finding, FindingCode};
use super::context::{PolicyContext, TransitionCheck};
use super::mapping::Mapping;
use super::model::{Case, Evaluation, HistoryEvent, Outcome};
use crate::calendar::CalendarError;
use crate::calendar::clock::{LocalSeconds, Reception, SECONDS_PER_DAY};
use crate::policy::model::Clock;

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
    let regime = policy.exceptions.as_ref();
    let (ans, cutoff, exception) = match (case.exception, regime) {
        (Some(index), Some(regime)) => (
            regime.ans,
            context.cutoff,
            regime.types.get(index).map(|kind| kind.name.as_str()),
        ),
        _ => (
            category.map(|c| c.ans).unwrap_or(crate::policy::model::Ans {
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
    if as_of < case.registered {
        findings.push(Finding::new(
            FindingCode::RegisteredAfterCut,
            "el caso se registró después de la fecha de corte (`--as-of`)",
        ));
    }

    let state_of = |index: usize| policy.states.get(index);
    let name = |index: usize| context.state_name(index);

    // The history decides when there is one (§3.4); otherwise the export's columns do.
    let mut current = case.state;
    let mut solution = case.solved;
    let mut solution_source = if case.solved.is_some() {
        SolutionSource::Export
    } else {
        SolutionSource::None
    };
    // Paused stretches before clipping: (state, from, to).
    let mut stretches: Vec<(usize, LocalSeconds, Option<LocalSeconds>)> = Vec::new();
    if events.is_empty() {
        if let Some(state) = state_of(case.state) {
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
    } else {
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
        current = context.initial;
        solution = None;
        solution_source = SolutionSource::None;
        let mut entered_at = case.registered;
        let mut stretch_start = case.registered;
        let mut warned_before = false;
        let mut warned_after = false;
        for (position, event) in events.iter().enumerate() {
            if event.at < case.registered && !warned_before {
                warned_before = true;
                findings.push(Finding::new(
                    FindingCode::EventBeforeRegistration,
                    format!(
                        "historial línea {}: el cambio es anterior al registro del caso",
                        event.line
                    ),
                ));
            }
            if event.at > as_of && !warned_after {
                warned_after = true;
                findings.push(Finding::new(
                    FindingCode::EventAfterCut,
                    format!(
                        "historial línea {}: el cambio es posterior a la fecha de corte",
                        event.line
                    ),
                ));
            }
            if event.from != current {
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
            if state_of(current).is_some_and(|state| state.clock == Clock::Paused) {
                stretches.push((current, stretch_start, Some(event.at)));
            }
            if event.to != current {
                entered_at = event.at;
            }
            current = event.to;
            stretch_start = event.at;
            if let Some(state) = state_of(current) {
                if state.solution {
                    solution = Some(event.at);
                    solution_source = SolutionSource::History(event.line);
                } else if state.clock == Clock::Runs {
                    solution = None;
                    solution_source = SolutionSource::None;
                }
            }
        }
        if state_of(current).is_some_and(|state| state.clock == Clock::Paused) {
            stretches.push((current, stretch_start, None));
        }
        if let Some((auto_from, ..)) = context.auto_close
            && current == auto_from
            && let Some(due) = auto_close_due(context, entered_at)?
            && clock.position(as_of)? > clock.position(due)?
        {
            findings.push(Finding::new(
                FindingCode::AutoClosePending,
                format!(
                    "el caso sigue «{}» desde {}; el cierre automático debía hacerse el {}",
                    name(current),
                    super::output::timestamp(entered_at, context.calendar.utc_offset_seconds),
                    super::output::timestamp(due, context.calendar.utc_offset_seconds)
                ),
            ));
        }
        if case.state != current {
            findings.push(Finding::new(
                FindingCode::StateMismatch,
                format!(
                    "el archivo de casos dice «{}», pero el historial termina en «{}»",
                    name(case.state),
                    name(current)
                ),
            ));
        }
        let agrees = match (solution, case.solved) {
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
                    shown(solution)
                ),
            ));
        }
    }

    let end = solution.unwrap_or(as_of);
    let mut pauses = Vec::with_capacity(stretches.len());
    let mut paused = 0;
    for (state, from, to) in stretches {
        if from >= end {
            continue;
        }
        let to = to.unwrap_or(end);
        let seconds = clock.business_seconds(from.max(reception.at), to.min(end))?;
        paused += seconds;
        pauses.push(Pause {
            state,
            from,
            to,
            seconds,
        });
    }

    let excluded = state_of(current).is_some_and(|state| state.excluded);
    let (outcome, compared, late) = if excluded {
        (Outcome::Annulled, None, 0)
    } else if let Some(solved) = solution {
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
    };
    let deadline = match clock.instant_at(base + paused) {
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
            reception,
            cutoff,
            ans: ans.business_days,
            counts_reception_day: ans.counts_reception_day,
            due_day,
            base_position: base,
            received_position,
            pauses,
            solution_source,
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
        exception,
        registered_at: case.registered,
        received_at: reception.at,
        deadline,
        solved_at: solution,
        paused_seconds: paused,
        outcome,
        days_late: clock.days_late(late),
        findings,
        utc_offset_seconds: context.calendar.utc_offset_seconds,
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
