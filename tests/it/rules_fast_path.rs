//! The native fast path for simple `caso` rules gives exactly rhai's result: for the v11 rules
//! and a set of expressions of every accepted shape, on random cases; and it reads an evaluated
//! case in place exactly as the snapshot rhai gets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use pauta::cases::subject::{CaseInPlace, CaseSnapshot, SharedCase};
use pauta::cases::{Case, Evaluation, Finding, FindingCode, Outcome};
use pauta::policy::PolicySet;
use pauta::policy::model::{Expression, Rule, RuleSeverity, Subject};
use pauta::rules::{RuleResult, compile_rules, fast, run_rule};
use proptest::prelude::*;
use rhai::Scope;

const WORDS: [&str; 6] = [
    "web",
    "sms",
    "socializacion",
    "aprobacion_jefe",
    "Secretaría General",
    "",
];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS.to_vec()).prop_map(str::to_owned)
}

fn caso() -> impl Strategy<Value = CaseSnapshot> {
    (
        word(),
        word(),
        word(),
        prop::collection::vec(word(), 0..4),
        prop::collection::vec(word(), 0..4),
        prop::sample::select(vec!["cumple", "incumple", "anulado"]),
    )
        .prop_map(
            |(area, excepcion, categoria, adjuntos, canales, resultado)| CaseSnapshot {
                id: "1".to_owned(),
                category: categoria,
                state: "Cerrado".to_owned(),
                exception: excepcion,
                area,
                attachments: adjuntos,
                channels: canales,
                registered: String::new(),
                received: String::new(),
                deadline: String::new(),
                solved: String::new(),
                outcome: resultado.to_owned(),
                days_late: 0,
                paused_seconds: 0,
                version: 11,
                findings: Vec::new(),
                columns: Vec::new(),
            },
        )
}

fn rule(source: &str) -> Rule {
    Rule {
        name: "r".to_owned(),
        severity: RuleSeverity::Error,
        subject: Subject::Case,
        when: None,
        require: Expression {
            source: source.to_owned(),
            line: 1,
            column: 1,
        },
        message: String::new(),
        line: 1,
    }
}

fn expressions() -> Vec<String> {
    let set = PolicySet::embedded().unwrap();
    let mut sources: Vec<String> = set
        .policies
        .iter()
        .flat_map(|p| p.rules.iter())
        .flat_map(|r| r.when.iter().chain(std::iter::once(&r.require)))
        .map(|e| e.source.clone())
        .collect();
    sources.extend(
        [
            r#"caso.area == "Secretaría General""#,
            r#""web" != caso.categoria"#,
            r#"!caso.es_excepcion || caso.adjuntos.contains("sms")"#,
            r#"caso.area.contains("General") && !(caso.canales.contains("web") || false)"#,
            r#"caso.resultado == "cumple" && caso.excepcion == """#,
            "true && !false",
        ]
        .map(str::to_owned),
    );
    sources
}

/// Expressions on the fields only an evaluated case fills (timestamps, findings, state).
fn evaluation_expressions() -> Vec<String> {
    [
        r#"caso.hallazgos.contains("H001") || caso.hallazgos.contains("R001")"#,
        r#"caso.plazo == "" && caso.solucionado != """#,
        r#"caso.registrado.contains("2024-03") && caso.recibido.contains("T08:00:00")"#,
        r#"caso.estado == "Cerrado" || caso.estado == "Suspendido""#,
        r#"caso.id == "7" && caso.resultado != "cumple""#,
        r#"caso.canales.contains("web") && !caso.canales.contains("sms")"#,
        r#"caso.categoria.contains("web") || caso.excepcion.contains("Ley")"#,
        r#"caso.area == "" || caso.adjuntos.contains("socializacion")"#,
    ]
    .map(str::to_owned)
    .to_vec()
}

/// An evaluated case of the embedded v11 policy, from random choices.
#[derive(Debug, Clone)]
struct Evaluated {
    category: usize,
    state: usize,
    exception: Option<usize>,
    area: Option<String>,
    attachments: Vec<String>,
    outcome: Outcome,
    deadline: Option<i64>,
    solved: Option<i64>,
    findings: Vec<FindingCode>,
}

fn evaluated() -> impl Strategy<Value = Evaluated> {
    let instant = || prop::option::of(1_700_000_000i64..1_800_000_000);
    (
        (0usize..12, 0usize..8, prop::option::of(0usize..12)),
        (prop::option::of(word()), prop::collection::vec(word(), 0..4)),
        (prop::sample::select(Outcome::ALL.to_vec()), instant(), instant()),
        prop::sample::subsequence(FindingCode::ALL.to_vec(), 0..4),
    )
        .prop_map(
            |((category, state, exception), (area, attachments), (outcome, deadline, solved), findings)| {
                Evaluated {
                    category,
                    state,
                    exception,
                    area,
                    attachments,
                    outcome,
                    deadline,
                    solved,
                    findings,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// During a run the fast path reads the evaluated case in place ([`CaseInPlace`]); it must read
    /// what the snapshot rhai gets ([`CaseSnapshot`]) holds.
    #[test]
    fn the_case_in_place_reads_as_its_snapshot(input in evaluated()) {
        let set = PolicySet::embedded().unwrap();
        let policy = set.find("M1-3-06@11").unwrap();
        let category = input.category % policy.categories.len();
        let state = input.state % policy.states.len();
        let exception = policy.exceptions.as_ref().and_then(|regime| {
            input.exception.map(|index| regime.types[index % regime.types.len()].name.as_str())
        });
        let case = Case {
            line: 2,
            id: "7".to_owned(),
            policy: 0,
            category,
            exception: exception.map(|_| 0),
            state,
            registered: 1_709_650_800,
            solved: input.solved,
            closed: None,
            attachments: input.attachments.clone(),
            area: input.area.clone(),
            columns: Vec::new(),
        };
        let evaluation = Evaluation {
            case_id: case.id.clone(),
            category: &policy.categories[category].name,
            policy_version: policy.version,
            exception,
            registered_at: 1_709_650_800,
            received_at: 1_709_712_000,
            deadline: input.deadline,
            solved_at: input.solved,
            paused_seconds: 0,
            outcome: input.outcome,
            days_late: 0,
            findings: input.findings.iter().map(|code| Finding::new(*code, "m")).collect(),
            utc_offset_seconds: -18_000,
        };
        let in_place = CaseInPlace { case: &case, evaluation: &evaluation, policy };
        let snapshot = CaseSnapshot::new(&case, &evaluation, policy, Vec::new());
        for source in expressions().into_iter().chain(evaluation_expressions()) {
            let predicate = fast::compile(&source).unwrap_or_else(|| panic!("not fast: {source}"));
            prop_assert_eq!(predicate.eval(&in_place), predicate.eval(&snapshot), "{}", source);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn fast_path_agrees_with_rhai(data in caso()) {
        let engine = pauta::cases::subject::engine();
        let caso = Arc::new(data);
        for source in expressions() {
            let predicate = fast::compile(&source).unwrap_or_else(|| panic!("not fast: {source}"));
            let (compiled, problems) = compile_rules(&engine, &[rule(&source)], None);
            prop_assert!(problems.is_empty(), "{source}: {problems:?}");
            let mut scope = Scope::new();
            scope.push_constant("caso", SharedCase(Arc::clone(&caso)));
            let rhai = run_rule(&engine, &compiled[0], &mut scope);
            let expected = if predicate.eval(&*caso) { RuleResult::Passed } else { RuleResult::Failed };
            prop_assert_eq!(rhai, expected, "{}", source);
        }
    }
}
