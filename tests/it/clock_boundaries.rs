//! Hand-checked boundary cases of the ANS clock (DESIGN.md §3) for M1-3-06 v11 on the Colombian
//! calendar, kept as data in `tests/fixtures/clock/boundaries.csv` (one row per case, with the
//! reason in its `why` column) and run through the library's `evaluate` without history: reception
//! at the edges of business hours, weekends, holidays, Emiliani Mondays, Holy Week, the double
//! holiday of 2025-06-30, Virgen de Chiquinquirá 2026, the exceptions' 09:00 cutoff, solutions at
//! the edges of the due day, open cases at a given as-of, and every category ANS.
//!
//! The policy and calendar are the pinned copies (`tests/fixtures/policies-v11/`): the rows were
//! checked by hand against them, and a holiday published later under `policies/` must not move
//! them.
//!
//! A row whose `why` contains `DISPUTED` is skipped (and listed on stderr): its hand-derived value
//! disagrees with the program and awaits a decision.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use chrono::NaiveDateTime;
use pauta::calendar::clock::{LocalSeconds, local_seconds, naive_of};
use pauta::cases::context::PolicyContext;
use pauta::cases::evaluate::evaluate;
use pauta::cases::{Case, Mapping};
use pauta::policy::Policy;
use serde::Deserialize;

const FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// The as-of instant of rows that leave `as_of` empty.
const DEFAULT_AS_OF: &str = "2027-12-30 12:00:00";
/// Category given to exception cases (exceptions have their own ANS).
const EXCEPTION_CATEGORY: &str = "Publicación de archivos en la web";
const EXCEPTION_PREFIX: &str = "excepción:";

/// One row of `boundaries.csv`.
#[derive(Debug, Deserialize)]
struct Row {
    registered: String,
    service: String,
    solved: String,
    as_of: String,
    expected_received_at: String,
    expected_deadline: String,
    expected_outcome: String,
    expected_days_late: i64,
    why: String,
}

fn instant(text: &str) -> LocalSeconds {
    local_seconds(
        NaiveDateTime::parse_from_str(text, FORMAT).unwrap_or_else(|e| panic!("bad time «{text}»: {e}")),
    )
}

fn show(instant: LocalSeconds) -> String {
    naive_of(instant).unwrap().format(FORMAT).to_string()
}

fn index_of<'a>(names: impl Iterator<Item = &'a String>, name: &str, what: &str) -> usize {
    let names: Vec<&String> = names.collect();
    names
        .iter()
        .position(|candidate| *candidate == name)
        .unwrap_or_else(|| panic!("v11 has no {what} «{name}»; it has {names:?}"))
}

/// The case of `row`: (category, exception) resolved by name in `policy`.
fn case_of(policy: &Policy, row: &Row, line: usize) -> Case {
    let categories = || policy.categories.iter().map(|c| &c.name);
    let (category, exception) = match row.service.strip_prefix(EXCEPTION_PREFIX) {
        Some(kind) => {
            let regime = policy.exceptions.as_ref().unwrap();
            (
                index_of(categories(), EXCEPTION_CATEGORY, "category"),
                Some(index_of(
                    regime.types.iter().map(|t| &t.name),
                    kind.trim(),
                    "exception type",
                )),
            )
        }
        None => (index_of(categories(), &row.service, "category"), None),
    };
    let solved = (!row.solved.is_empty()).then(|| instant(&row.solved));
    let state = if solved.is_some() {
        "Solucionado"
    } else {
        "En proceso"
    };
    Case {
        line: u64::try_from(line).unwrap(),
        id: format!("fila-{line}"),
        policy: 0,
        category,
        exception,
        state: index_of(policy.states.iter().map(|s| &s.name), state, "state"),
        registered: instant(&row.registered),
        solved,
        closed: None,
        attachments: Vec::new(),
        area: None,
        columns: Vec::new(),
    }
}

#[test]
fn hand_checked_boundaries() {
    let set = common::pinned_set();
    let policy = set.find("M1-3-06@11").unwrap();
    let calendar = set.calendar(&policy.calendar).unwrap();
    let context = PolicyContext::new(policy, calendar, 2022, 2027).unwrap();
    let mapping = Mapping::embedded().unwrap();

    let path = common::root().join("tests/fixtures/clock/boundaries.csv");
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_path(&path)
        .unwrap();
    let mut checked = 0;
    let mut disputed = Vec::new();
    let mut failures = Vec::new();
    for (index, row) in reader.deserialize::<Row>().enumerate() {
        let row = row.unwrap_or_else(|e| panic!("{}: row {}: {e}", path.display(), index + 1));
        let line = index + 1;
        if row.why.contains("DISPUTED") {
            disputed.push(format!("row {line} ({}, {})", row.registered, row.service));
            continue;
        }
        let case = case_of(policy, &row, line);
        let as_of = instant(if row.as_of.is_empty() {
            DEFAULT_AS_OF
        } else {
            &row.as_of
        });
        let evaluation = evaluate(&context, &mapping, &case, Vec::new(), as_of, Vec::new(), None).unwrap();
        let found = (
            show(evaluation.received_at),
            evaluation.deadline.map(show).unwrap_or_default(),
            evaluation.outcome.value().to_owned(),
            evaluation.days_late,
        );
        let expected = (
            row.expected_received_at.clone(),
            row.expected_deadline.clone(),
            row.expected_outcome.clone(),
            row.expected_days_late,
        );
        if found != expected || !evaluation.findings.is_empty() {
            let case = format!(
                "row {line} (registered {}, {}, solved «{}», as-of «{}»)",
                row.registered, row.service, row.solved, row.as_of
            );
            failures.push(format!(
                "{case}\n  expected (received, deadline, outcome, days late) = {expected:?}\n  \
                 found                                           = {found:?}\n  \
                 findings: {:?}\n  why: {}",
                evaluation.findings, row.why
            ));
        }
        checked += 1;
    }
    if !disputed.is_empty() {
        eprintln!("skipped DISPUTED rows: {}", disputed.join("; "));
    }
    assert!(checked >= 30, "only {checked} rows checked in {}", path.display());
    assert!(
        failures.is_empty(),
        "{} of {checked} rows disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
