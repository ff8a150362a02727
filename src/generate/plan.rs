//! Per-policy tables computed once: the roles the story needs (initial, working, solution,
//! suspended, reopened, closed, annulled), the reasons each transition accepts, category and
//! exception spellings, evidence rules. Everything is read from the policy; nothing a policy
//! states is written here.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use super::error::GenerateError;
use super::timeline::Timeline;
use crate::policy::model::{Ans, Clock, Policy, Reasons, Subject};
use crate::text::match_key;

/// Reasons a transition accepts, merged over every declaration of the same pair.
#[derive(Debug, Clone, Default)]
pub struct Allowed<'p> {
    /// Some declaration accepts any reason.
    pub any: bool,
    /// Listed reasons of non-automatic declarations (what a person writes).
    pub manual: Vec<&'p str>,
    /// Listed reasons of automatic declarations.
    pub automatic: Vec<&'p str>,
    /// A non-automatic declaration exists.
    pub has_manual: bool,
}

impl Allowed<'_> {
    /// Whether `reason` is accepted (ignoring case, tildes and repeated spaces).
    pub fn accepts(&self, reason: &str) -> bool {
        if self.any {
            return true;
        }
        let key = match_key(reason);
        self.manual
            .iter()
            .chain(&self.automatic)
            .any(|r| match_key(r) == key)
    }
}

/// The automatic close.
#[derive(Debug, Clone)]
pub struct AutoPlan<'p> {
    /// Target state.
    pub to: usize,
    /// Days after the solution.
    pub after_days: u32,
    /// Business days (true) or calendar days.
    pub business_days: bool,
    /// Reason it records.
    pub reason: &'p str,
}

/// A category with its spellings and weight.
#[derive(Debug, Clone)]
pub struct CategoryPlan<'p> {
    /// Name as the policy writes it.
    pub name: &'p str,
    /// Other spellings that match it (aliases, case and tilde variants, doubled spaces).
    pub variants: Vec<String>,
    /// The category's ANS, in business days.
    pub ans: Ans,
    /// Channel keys.
    pub channels: Vec<&'p str>,
}

/// The exception regime with the spellings of its types.
#[derive(Debug, Clone)]
pub struct ExceptionPlan<'p> {
    /// ANS of exceptions.
    pub ans: Ans,
    /// Received that day only before this time.
    pub received_before: chrono::NaiveTime,
    /// Type names as the policy writes them.
    pub types: Vec<&'p str>,
    /// Per type, other spellings.
    pub variants: Vec<Vec<String>>,
}

/// When an evidence kind is required, read from a `regla … sobre caso` whose `exige` checks
/// `caso.adjuntos.contains("…")`.
#[derive(Debug, Clone)]
pub struct EvidenceRule<'p> {
    /// The kinds the rule requires.
    pub kinds: Vec<&'p str>,
    /// Applies only to categories with one of these channels (empty: any).
    pub channels: Vec<&'p str>,
    /// Applies only when the requesting area differs from this one.
    pub area_not: Option<&'p str>,
    /// Applies only when the requesting area is this one.
    pub area_is: Option<&'p str>,
}

/// Everything the generator needs from one policy version.
#[derive(Debug, Clone)]
pub struct Plan<'p> {
    /// The version whose states, categories and rules the export follows.
    pub policy: &'p Policy,
    /// Business positions of its calendar and hours.
    pub timeline: Timeline,
    /// State names, in declaration order.
    pub states: Vec<&'p str>,
    /// Per state: its clock runs.
    pub runs: Vec<bool>,
    /// Initial state.
    pub initial: usize,
    /// The shortest path of states from the initial state to the solution state.
    pub path: Vec<usize>,
    /// The state right before the solution (where the work happens).
    pub working: usize,
    /// Solution state.
    pub solution: usize,
    /// A state the working state is suspended into and resumed from.
    pub suspended: Option<usize>,
    /// A state a solved case is suspended into (user disagrees) and resumed from.
    pub solution_suspended: Option<usize>,
    /// A state a solved case is reopened into, from which work resumes.
    pub reopened: Option<usize>,
    /// A final state a person closes a solved case into.
    pub closed: Option<usize>,
    /// The automatic close.
    pub auto_close: Option<AutoPlan<'p>>,
    /// Per state: the excluded final state it can be annulled into.
    pub annul: Vec<Option<usize>>,
    /// Allowed transitions: `allowed[from * n + to]`.
    allowed: Vec<Option<Allowed<'p>>>,
    /// The policy's categories, in its order.
    pub categories: Vec<CategoryPlan<'p>>,
    /// Category weights (same order).
    pub category_weights: Vec<u32>,
    /// Exception regime.
    pub exceptions: Option<ExceptionPlan<'p>>,
    /// Evidence rules.
    pub evidence: Vec<EvidenceRule<'p>>,
    /// Evidence kinds in the order rules name them.
    pub evidence_kinds: Vec<&'p str>,
    /// Every listed reason of the policy (for planting a reason a transition does not accept).
    pub all_reasons: Vec<&'p str>,
}

impl<'p> Plan<'p> {
    /// Build the tables of `policy`, whose business days are `timeline`.
    pub fn new(policy: &'p Policy, timeline: Timeline) -> Result<Self, GenerateError> {
        let states: Vec<&str> = policy.states.iter().map(|s| s.name.as_str()).collect();
        let runs: Vec<bool> = policy.states.iter().map(|s| s.clock == Clock::Runs).collect();
        let is_final: Vec<bool> = policy.states.iter().map(|s| s.clock == Clock::Final).collect();
        let initial = policy
            .states
            .iter()
            .position(|s| s.initial)
            .ok_or_else(|| unsupported(policy, "no tiene estado inicial"))?;
        let solution = policy
            .states
            .iter()
            .position(|s| s.solution)
            .ok_or_else(|| unsupported(policy, "no tiene estado de solución"))?;
        let allowed = allowed_transitions(policy);
        let roles = Roles::find(policy, &allowed, &runs, &is_final, initial, solution)?;
        let auto_close = auto_close_plan(policy, solution);
        let categories = category_plans(policy);
        if categories.is_empty() {
            return Err(unsupported(policy, "no declara categorías"));
        }
        let category_weights = category_weights(&categories);
        let exceptions = exception_plan(policy);
        let evidence = evidence_rules(policy);
        let evidence_kinds = evidence_kinds(&evidence);
        let all_reasons = all_reasons(&allowed);
        Ok(Self {
            policy,
            timeline,
            states,
            runs,
            initial,
            path: roles.path,
            working: roles.working,
            solution,
            suspended: roles.suspended,
            solution_suspended: roles.solution_suspended,
            reopened: roles.reopened,
            closed: roles.closed,
            auto_close,
            annul: roles.annul,
            allowed,
            categories,
            category_weights,
            exceptions,
            evidence,
            evidence_kinds,
            all_reasons,
        })
    }

    /// What the transition `from → to` accepts, if it is allowed at all.
    pub fn allowed(&self, from: usize, to: usize) -> Option<&Allowed<'p>> {
        self.allowed
            .get(from * self.states.len() + to)
            .and_then(Option::as_ref)
    }

    /// Name of a state (empty for an unknown index).
    pub fn state_name(&self, state: usize) -> &'p str {
        self.states.get(state).copied().unwrap_or("")
    }

    /// Whether a state's clock runs.
    pub fn state_runs(&self, state: usize) -> bool {
        self.runs.get(state).copied().unwrap_or(false)
    }
}

/// The error for a policy the generator cannot tell a story with, and why.
fn unsupported(policy: &Policy, reason: &str) -> GenerateError {
    GenerateError::UnsupportedPolicy {
        policy: policy.id(),
        reason: reason.to_string(),
    }
}

/// Where the state `name` is declared (ignoring case, tildes and repeated spaces).
fn state_index(policy: &Policy, name: &str) -> Option<usize> {
    let key = match_key(name);
    policy.states.iter().position(|s| match_key(&s.name) == key)
}

/// The `allowed[from * n + to]` table: each declared transition's reasons merged into its pair.
fn allowed_transitions(policy: &Policy) -> Vec<Option<Allowed<'_>>> {
    let n = policy.states.len();
    let mut allowed: Vec<Option<Allowed>> = vec![None; n * n];
    for t in &policy.transitions {
        let (Some(from), Some(to)) = (state_index(policy, &t.from), state_index(policy, &t.to)) else {
            continue;
        };
        let Some(slot) = allowed.get_mut(from * n + to) else {
            continue;
        };
        let entry = slot.get_or_insert_with(Allowed::default);
        if !t.automatic {
            entry.has_manual = true;
        }
        match &t.reasons {
            Reasons::Any => entry.any = true,
            Reasons::List(list) => {
                let target = if t.automatic {
                    &mut entry.automatic
                } else {
                    &mut entry.manual
                };
                for reason in list {
                    if !target.contains(&reason.as_str()) {
                        target.push(reason.as_str());
                    }
                }
            }
        }
    }
    allowed
}

/// The states the story moves a case through besides the initial and solution ones.
struct Roles {
    path: Vec<usize>,
    working: usize,
    suspended: Option<usize>,
    solution_suspended: Option<usize>,
    reopened: Option<usize>,
    closed: Option<usize>,
    annul: Vec<Option<usize>>,
}

impl Roles {
    /// Reads each role off the non-automatic transitions of `allowed`; fails when no path leads
    /// from `initial` to `solution`.
    fn find(
        policy: &Policy,
        allowed: &[Option<Allowed>],
        runs: &[bool],
        is_final: &[bool],
        initial: usize,
        solution: usize,
    ) -> Result<Self, GenerateError> {
        let n = policy.states.len();
        let manual = |from: usize, to: usize| {
            allowed
                .get(from * n + to)
                .and_then(Option::as_ref)
                .is_some_and(|a| a.has_manual)
        };

        let path = shortest_path(n, initial, solution, is_final, manual).ok_or_else(|| {
            unsupported(
                policy,
                "no hay un camino de transiciones del estado inicial al de solución",
            )
        })?;
        let working = path
            .len()
            .checked_sub(2)
            .and_then(|i| path.get(i))
            .copied()
            .unwrap_or(initial);

        // Prefer paused states for suspensions and running ones for reopening.
        let candidates = |pred: &dyn Fn(usize) -> bool, prefer_runs: bool| {
            let mut found: Vec<usize> = (0..n).filter(|s| pred(*s)).collect();
            found.sort_by_key(|s| (runs.get(*s).copied() != Some(prefer_runs), *s));
            found.first().copied()
        };
        let open = |s: usize| !is_final.get(s).copied().unwrap_or(true);
        let suspended = candidates(
            &|s| s != working && s != solution && open(s) && manual(working, s) && manual(s, working),
            false,
        );
        let solution_suspended = candidates(
            &|s| s != solution && s != working && open(s) && manual(solution, s) && manual(s, working),
            false,
        );
        let reopened = candidates(
            &|s| {
                s != solution
                    && Some(s) != solution_suspended
                    && open(s)
                    && manual(solution, s)
                    && (s == working || manual(s, working))
            },
            true,
        );
        let excluded = |s: usize| policy.states.get(s).is_some_and(|st| st.excluded) && !open(s);
        let closed = (0..n).find(|s| !open(*s) && !excluded(*s) && manual(solution, *s));
        let annul: Vec<Option<usize>> = (0..n)
            .map(|from| (0..n).find(|to| excluded(*to) && manual(from, *to)))
            .collect();
        Ok(Self {
            path,
            working,
            suspended,
            solution_suspended,
            reopened,
            closed,
            annul,
        })
    }
}

/// The policy's automatic close, when it starts from the solution state and its target exists.
fn auto_close_plan(policy: &Policy, solution: usize) -> Option<AutoPlan<'_>> {
    policy.auto_close.as_ref().and_then(|a| {
        (state_index(policy, &a.from) == Some(solution)).then_some(())?;
        Some(AutoPlan {
            to: state_index(policy, &a.to)?,
            after_days: a.after_days,
            business_days: a.business_days,
            reason: a.reason.as_str(),
        })
    })
}

/// Each declared category with the spellings the importer accepts for it.
fn category_plans(policy: &Policy) -> Vec<CategoryPlan<'_>> {
    policy
        .categories
        .iter()
        .map(|c| CategoryPlan {
            name: c.name.as_str(),
            variants: variants(&c.name, &c.aliases),
            ans: c.ans,
            channels: c.channels.iter().map(String::as_str).collect(),
        })
        .collect()
}

/// The exception regime, when the policy declares at least one exception type.
fn exception_plan(policy: &Policy) -> Option<ExceptionPlan<'_>> {
    policy
        .exceptions
        .as_ref()
        .filter(|e| !e.types.is_empty())
        .map(|e| ExceptionPlan {
            ans: e.ans,
            received_before: e.received_before,
            types: e.types.iter().map(|t| t.name.as_str()).collect(),
            variants: e.types.iter().map(|t| variants(&t.name, &t.aliases)).collect(),
        })
}

/// The case rules that require an attachment kind, with the conditions under which they apply.
fn evidence_rules(policy: &Policy) -> Vec<EvidenceRule<'_>> {
    policy
        .rules
        .iter()
        .filter(|r| r.subject == Subject::Case)
        .filter_map(|r| evidence_rule(&r.require.source, r.when.as_ref().map(|w| w.source.as_str())))
        .collect()
}

/// Every evidence kind once, in the order the rules first name it.
fn evidence_kinds<'p>(evidence: &[EvidenceRule<'p>]) -> Vec<&'p str> {
    let mut evidence_kinds: Vec<&str> = Vec::new();
    for kind in evidence.iter().flat_map(|r| &r.kinds) {
        if !evidence_kinds.contains(kind) {
            evidence_kinds.push(kind);
        }
    }
    evidence_kinds
}

/// Every listed reason of every transition once, in table order.
fn all_reasons<'p>(allowed: &[Option<Allowed<'p>>]) -> Vec<&'p str> {
    let mut all_reasons: Vec<&str> = Vec::new();
    for reason in allowed
        .iter()
        .flatten()
        .flat_map(|a| a.manual.iter().chain(&a.automatic))
    {
        if !all_reasons.contains(reason) {
            all_reasons.push(reason);
        }
    }
    all_reasons
}

/// Breadth-first search over non-automatic transitions, through non-final states, in
/// declaration order (so the result is deterministic).
fn shortest_path(
    n: usize,
    from: usize,
    to: usize,
    is_final: &[bool],
    edge: impl Fn(usize, usize) -> bool,
) -> Option<Vec<usize>> {
    let mut previous: Vec<Option<usize>> = vec![None; n];
    let mut seen = vec![false; n];
    let mut queue = std::collections::VecDeque::from([from]);
    *seen.get_mut(from)? = true;
    while let Some(state) = queue.pop_front() {
        if state == to {
            let mut path = vec![to];
            let mut current = to;
            while let Some(Some(p)) = previous.get(current) {
                path.push(*p);
                current = *p;
            }
            path.reverse();
            return Some(path);
        }
        if is_final.get(state).copied().unwrap_or(true) {
            continue;
        }
        for next in 0..n {
            if edge(state, next) && !seen.get(next).copied().unwrap_or(true) {
                if let Some(slot) = seen.get_mut(next) {
                    *slot = true;
                }
                if let Some(slot) = previous.get_mut(next) {
                    *slot = Some(state);
                }
                queue.push_back(next);
            }
        }
    }
    None
}

/// Weights that favour plain web updates and SMS / e-mail campaigns: the first declared category
/// (the procedure's tables list the most common service first), categories whose only channel is
/// the first category's, and categories reaching users by message only. A policy with other
/// channels falls back to near-uniform weights; every category keeps a non-zero weight.
fn category_weights(categories: &[CategoryPlan]) -> Vec<u32> {
    let first_channels: Vec<&str> = categories.first().map(|c| c.channels.clone()).unwrap_or_default();
    let messaging = |c: &CategoryPlan| {
        !c.channels.is_empty()
            && c.channels.iter().all(|k| {
                let k = match_key(k);
                k == "sms" || k == "email" || k == "e-mail" || k == "mail"
            })
    };
    categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 || (messaging(c) && c.channels.len() > 1) {
                14
            } else if c.channels == first_channels {
                4
            } else {
                2
            }
        })
        .collect()
}

/// Spellings that the importer matches to `name`: its aliases, then lower/upper-case,
/// tilde-less and doubled-space variants of the name.
fn variants(name: &str, aliases: &[String]) -> Vec<String> {
    let mut out: Vec<String> = aliases.to_vec();
    let no_tildes: String = name.nfd().filter(|c| !is_combining_mark(*c)).nfc().collect();
    let candidates = [
        name.to_lowercase(),
        name.to_uppercase(),
        no_tildes.clone(),
        no_tildes.to_lowercase(),
        name.replacen(' ', "  ", 2),
        format!("{name} "),
    ];
    for candidate in candidates {
        if candidate != name && !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

/// Read an evidence rule from its rhai sources: `exige` must name `adjuntos.contains("KIND")`;
/// `cuando` is understood when it tests channels (`canales.contains("k")`, any of them) and/or
/// the area (`area != "X"`, `area == "X"`); anything else is taken as "always applies".
fn evidence_rule<'p>(require: &'p str, when: Option<&'p str>) -> Option<EvidenceRule<'p>> {
    let kinds = quoted_after(require, "adjuntos.contains(");
    if kinds.is_empty() {
        return None;
    }
    let when = when.unwrap_or("");
    Some(EvidenceRule {
        kinds,
        channels: quoted_after(when, "canales.contains("),
        area_not: quoted_after(when, "area !=").into_iter().next(),
        area_is: quoted_after(when, "area ==").into_iter().next(),
    })
}

/// The string literals right after each occurrence of `marker` in `source`.
fn quoted_after<'s>(source: &'s str, marker: &str) -> Vec<&'s str> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(marker) {
        rest = rest.get(at + marker.len()..).unwrap_or("");
        let trimmed = rest.trim_start();
        if let Some(body) = trimmed.strip_prefix('"')
            && let Some(end) = body.find('"')
            && let Some(text) = body.get(..end)
        {
            out.push(text);
        }
    }
    out
}

/// The evidence kinds a case must carry: those of every rule that applies to it, in rule order.
pub fn required_evidence<'p>(plan: &Plan<'p>, category: &CategoryPlan, area: &str, out: &mut Vec<&'p str>) {
    out.clear();
    for rule in &plan.evidence {
        let channel_ok = rule.channels.is_empty()
            || rule
                .channels
                .iter()
                .any(|k| category.channels.iter().any(|c| match_key(c) == match_key(k)));
        let area_ok = rule.area_not.is_none_or(|x| x != area) && rule.area_is.is_none_or(|x| x == area);
        if channel_ok && area_ok {
            for kind in &rule.kinds {
                if !out.contains(kind) {
                    out.push(kind);
                }
            }
        }
    }
    // Keep the policy's order of kinds.
    out.sort_by_key(|k| {
        plan.evidence_kinds
            .iter()
            .position(|e| e == k)
            .unwrap_or(usize::MAX)
    });
}

#[cfg(test)]
pub(crate) mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "tests may panic: a failed unwrap is a failed test"
    )]

    use chrono::{NaiveDate, NaiveTime};

    use super::*;
    use crate::calendar::BusinessDays;
    use crate::policy::PolicySet;

    pub(crate) fn with_plan(f: impl FnOnce(&Plan)) {
        let set = PolicySet::pinned();
        let policy = set.find("M1-3-06@11").unwrap();
        let calendar = set.calendar(&policy.calendar).unwrap();
        let days = BusinessDays::new(calendar, &policy.hours.workdays, 2024, 2025).unwrap();
        let timeline = Timeline::new(
            days,
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            policy.hours.opens,
            policy.hours.closes,
        )
        .unwrap();
        let plan = Plan::new(policy, timeline).unwrap();
        f(&plan);
    }

    #[test]
    fn roles_come_from_the_v11_flow() {
        with_plan(|plan| {
            let name = |s: Option<usize>| s.map(|s| plan.state_name(s));
            assert_eq!(plan.state_name(plan.initial), "Registrado");
            assert_eq!(plan.state_name(plan.working), "En proceso");
            assert_eq!(plan.state_name(plan.solution), "Solucionado");
            assert_eq!(name(plan.suspended), Some("Suspendido"));
            assert_eq!(name(plan.solution_suspended), Some("Suspendido"));
            assert_eq!(name(plan.reopened), Some("Reabierto"));
            assert_eq!(name(plan.closed), Some("Cerrado"));
            assert_eq!(name(plan.auto_close.as_ref().map(|a| a.to)), Some("Cerrado"));
            assert_eq!(name(plan.annul[plan.initial]), Some("Anulado"));
            assert_eq!(name(plan.annul[plan.solution]), None);
            let suspend = plan.allowed(plan.working, plan.suspended.unwrap()).unwrap();
            assert_eq!(suspend.manual.len(), 2);
            assert!(plan.allowed(plan.initial, plan.working).unwrap().any);
            assert!(plan.allowed(plan.initial, plan.solution).is_none());
            let close = plan.allowed(plan.solution, plan.closed.unwrap()).unwrap();
            assert_eq!(close.manual, ["Se ha validado con el usuario"]);
            assert_eq!(close.automatic.len(), 1);
        });
    }

    #[test]
    fn every_variant_matches_its_category_and_exception_type() {
        with_plan(|plan| {
            for category in &plan.categories {
                assert!(category.variants.len() >= 4);
                for v in &category.variants {
                    assert_eq!(
                        plan.policy.category(v).map(|c| c.name.as_str()),
                        Some(category.name),
                        "{v}"
                    );
                }
            }
            let exceptions = plan.exceptions.as_ref().unwrap();
            assert_eq!(
                exceptions.received_before,
                NaiveTime::from_hms_opt(9, 0, 0).unwrap()
            );
            for (name, variants) in exceptions.types.iter().zip(&exceptions.variants) {
                for v in variants {
                    assert_eq!(match_key(v), match_key(name));
                }
            }
            assert_eq!(plan.category_weights.len(), plan.categories.len());
            assert!(plan.category_weights.iter().all(|w| *w > 0));
        });
    }

    #[test]
    fn evidence_follows_the_rules() {
        with_plan(|plan| {
            assert_eq!(
                plan.evidence_kinds,
                ["aprobacion_comunicaciones", "socializacion", "aprobacion_jefe"]
            );
            let web = &plan.categories[0];
            let pieces = plan.categories.iter().find(|c| c.channels == ["piezas"]).unwrap();
            let mut out = Vec::new();
            required_evidence(plan, web, "Secretaría General", &mut out);
            assert_eq!(
                out,
                ["aprobacion_comunicaciones", "socializacion", "aprobacion_jefe"]
            );
            required_evidence(plan, pieces, "Grupo de Gestión Comercial y de Mercadeo", &mut out);
            assert!(out.is_empty());
            required_evidence(plan, pieces, "Secretaría General", &mut out);
            assert_eq!(out, ["aprobacion_jefe"]);
        });
    }
}
