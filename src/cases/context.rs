//! One policy version prepared for evaluation: its business clock and lookups from export texts
//! (matched ignoring case, tildes and repeated spaces, through aliases and the mapping) to the
//! policy's categories, states, exception types and transitions. Lookups are cached per raw text
//! and per thread, so one context serves every thread that judges cases.

use rustc_hash::FxHashMap as HashMap;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::Timelike;

use super::mapping::Mapping;
use crate::calendar::{BusinessClock, Calendar, CalendarError};
use crate::policy::model::{Policy, Reasons};
use crate::text::{match_key, suggest};

/// A text that matched nothing, with the closest known name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoMatch {
    /// "¿quiso decir …?" candidate.
    pub suggestion: Option<String>,
}

impl NoMatch {
    /// ` ¿quiso decir «…»?` or nothing.
    pub fn hint(&self) -> String {
        self.suggestion
            .as_ref()
            .map(|name| format!(" ¿quiso decir «{name}»?"))
            .unwrap_or_default()
    }
}

/// A fresh id for a per-thread cache.
fn cache_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Per-thread caches by cache id: raw text → what it was resolved to.
type Caches<T> = RefCell<HashMap<u64, HashMap<Box<str>, T>>>;

thread_local! {
    /// Raw texts already looked up, by lookup (cache id), on this thread.
    static LOOKUPS: Caches<Result<usize, NoMatch>> = RefCell::default();
    /// Raw reason texts → their match key after the mapping, by context (cache id), on this thread.
    static REASONS: Caches<Rc<str>> = RefCell::default();
}

/// Names by match key; raw texts already looked up are cached per thread under `cache`.
#[derive(Debug)]
struct Lookup {
    by_key: HashMap<String, usize>,
    names: Vec<String>,
    cache: u64,
}

impl Default for Lookup {
    fn default() -> Self {
        Lookup {
            by_key: HashMap::default(),
            names: Vec::new(),
            cache: cache_id(),
        }
    }
}

impl Lookup {
    fn insert(&mut self, text: &str, index: usize) {
        self.by_key.entry(match_key(text)).or_insert(index);
    }

    fn find(
        &self,
        text: &str,
        aliases: &std::collections::BTreeMap<String, String>,
    ) -> Result<usize, NoMatch> {
        let cached = LOOKUPS.with(|caches| {
            caches
                .borrow()
                .get(&self.cache)
                .and_then(|cache| cache.get(text).cloned())
        });
        if let Some(found) = cached {
            return found;
        }
        let key = match_key(text);
        let key = aliases.get(&key).map_or(key, |target| match_key(target));
        let result = self.by_key.get(&key).copied().ok_or_else(|| NoMatch {
            suggestion: suggest(text, self.names.iter().map(String::as_str)),
        });
        LOOKUPS.with(|caches| {
            caches
                .borrow_mut()
                .entry(self.cache)
                .or_default()
                .insert(text.into(), result.clone())
        });
        result
    }
}

/// Whether a transition is allowed and with which reasons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransitionCheck {
    /// Allowed with this reason.
    Allowed,
    /// The policy has no transition between the two states.
    NotAllowed,
    /// The transition exists but not with this reason; the reasons it accepts.
    BadReason(Vec<String>),
}

/// A policy version ready to evaluate cases.
#[derive(Debug)]
pub struct PolicyContext<'a> {
    /// The version this context judges cases with.
    pub policy: &'a Policy,
    /// The calendar the version names: business days for its clock.
    pub calendar: &'a Calendar,
    /// Its business clock.
    pub clock: BusinessClock,
    /// Index of the initial state.
    pub initial: usize,
    /// Exception cutoff, seconds after midnight (received strictly before).
    pub cutoff: Option<i64>,
    categories: Lookup,
    states: Lookup,
    exceptions: Lookup,
    /// Allowed reasons by (from, to) state indices; `None` = any reason.
    transitions: HashMap<(usize, usize), Option<Vec<String>>>,
    /// `transition_keys[from * states + to]`: `None` when the transition does not exist,
    /// `Some(None)` for any reason, else the match keys of the allowed reasons.
    transition_keys: Vec<Option<Option<Vec<String>>>>,
    /// Number of states.
    state_count: usize,
    /// Id of this context's per-thread cache of reason keys.
    reason_cache: u64,
    /// Automatic close: (from, to, reason key).
    pub auto_close: Option<(usize, usize, String)>,
}

impl<'a> PolicyContext<'a> {
    /// Prepares `policy` with its `calendar`, indexing the years `first_year ..= last_year`.
    pub fn new(
        policy: &'a Policy,
        calendar: &'a Calendar,
        first_year: i32,
        last_year: i32,
    ) -> Result<Self, CalendarError> {
        let hours = &policy.hours;
        let clock = BusinessClock::new(
            calendar,
            &hours.workdays,
            hours.opens,
            hours.closes,
            first_year,
            last_year,
        )?;
        let mut categories = Lookup::default();
        for (index, category) in policy.categories.iter().enumerate() {
            categories.insert(&category.name, index);
            categories.names.push(category.name.clone());
            for alias in &category.aliases {
                categories.insert(alias, index);
            }
        }
        let mut states = Lookup::default();
        for (index, state) in policy.states.iter().enumerate() {
            states.insert(&state.name, index);
            states.names.push(state.name.clone());
            for alias in &state.aliases {
                states.insert(alias, index);
            }
        }
        let mut exceptions = Lookup::default();
        if let Some(regime) = &policy.exceptions {
            for (index, kind) in regime.types.iter().enumerate() {
                exceptions.insert(&kind.name, index);
                exceptions.names.push(kind.name.clone());
                for alias in &kind.aliases {
                    exceptions.insert(alias, index);
                }
            }
        }
        let state_index = |name: &str| states.by_key.get(&match_key(name)).copied();
        let mut transitions: HashMap<(usize, usize), Option<Vec<String>>> = HashMap::default();
        for transition in &policy.transitions {
            let (Some(from), Some(to)) = (state_index(&transition.from), state_index(&transition.to)) else {
                continue;
            };
            let entry = transitions.entry((from, to)).or_insert_with(|| Some(Vec::new()));
            match (&transition.reasons, entry.as_mut()) {
                (Reasons::Any, _) => *entry = None,
                (Reasons::List(reasons), Some(list)) => list.extend(reasons.iter().cloned()),
                (Reasons::List(_), None) => {}
            }
        }
        let auto_close = policy.auto_close.as_ref().and_then(|auto| {
            Some((
                state_index(&auto.from)?,
                state_index(&auto.to)?,
                match_key(&auto.reason),
            ))
        });
        if let Some((from, to, reason)) = &auto_close {
            let entry = transitions
                .entry((*from, *to))
                .or_insert_with(|| Some(Vec::new()));
            if let Some(list) = entry.as_mut() {
                list.push(reason.clone());
            }
        }
        let state_count = policy.states.len();
        let mut transition_keys = vec![None; state_count * state_count];
        for ((from, to), reasons) in &transitions {
            if let Some(slot) = transition_keys.get_mut(from * state_count + to) {
                *slot = Some(
                    reasons
                        .as_ref()
                        .map(|list| list.iter().map(|reason| match_key(reason)).collect()),
                );
            }
        }
        let initial = policy.states.iter().position(|s| s.initial).unwrap_or_default();
        let cutoff = policy
            .exceptions
            .as_ref()
            .map(|regime| i64::from(regime.received_before.num_seconds_from_midnight()));
        Ok(Self {
            policy,
            calendar,
            clock,
            initial,
            cutoff,
            categories,
            states,
            exceptions,
            transitions,
            transition_keys,
            state_count,
            reason_cache: cache_id(),
            auto_close,
        })
    }

    /// The category an export text names.
    pub fn category(&self, text: &str, mapping: &Mapping) -> Result<usize, NoMatch> {
        self.categories.find(text, &mapping.categories)
    }

    /// The state an export text names.
    pub fn state(&self, text: &str, mapping: &Mapping) -> Result<usize, NoMatch> {
        self.states.find(text, &mapping.states)
    }

    /// The exception type an export text names.
    pub fn exception(&self, text: &str, mapping: &Mapping) -> Result<usize, NoMatch> {
        self.exceptions.find(text, &mapping.exceptions)
    }

    /// Whether `from → to` with `reason` is allowed.
    pub fn check_transition(
        &self,
        from: usize,
        to: usize,
        reason: &str,
        mapping: &Mapping,
    ) -> TransitionCheck {
        let slot = (from < self.state_count)
            .then(|| self.transition_keys.get(from * self.state_count + to))
            .flatten();
        match slot {
            None | Some(None) => TransitionCheck::NotAllowed,
            Some(Some(None)) => TransitionCheck::Allowed,
            Some(Some(Some(keys))) => {
                let key = self.reason_key(reason, mapping);
                if keys.iter().any(|allowed| **allowed == *key) {
                    TransitionCheck::Allowed
                } else {
                    let shown = self
                        .transitions
                        .get(&(from, to))
                        .cloned()
                        .flatten()
                        .unwrap_or_default();
                    TransitionCheck::BadReason(shown)
                }
            }
        }
    }

    /// The match key of a reason text after the mapping, cached per raw text.
    fn reason_key(&self, reason: &str, mapping: &Mapping) -> Rc<str> {
        let cached = REASONS.with(|caches| {
            caches
                .borrow()
                .get(&self.reason_cache)
                .and_then(|cache| cache.get(reason).cloned())
        });
        if let Some(key) = cached {
            return key;
        }
        let key = match_key(reason);
        let key: Rc<str> = mapping
            .reasons
            .get(&key)
            .map_or(key, |target| match_key(target))
            .into();
        REASONS.with(|caches| {
            caches
                .borrow_mut()
                .entry(self.reason_cache)
                .or_default()
                .insert(reason.into(), key.clone())
        });
        key
    }

    /// Whether a row `from → to` with `reason` is the automatic close.
    pub fn is_auto_close(&self, from: usize, to: usize, reason: &str, mapping: &Mapping) -> bool {
        self.auto_close
            .as_ref()
            .is_some_and(|(auto_from, auto_to, auto_reason)| {
                *auto_from == from && *auto_to == to && **auto_reason == *self.reason_key(reason, mapping)
            })
    }

    /// Name of state `index`.
    pub fn state_name(&self, index: usize) -> &'a str {
        self.policy.states.get(index).map_or("", |s| s.name.as_str())
    }
}
