//! The native fast path for simple `caso` rules gives exactly rhai's result: for the v11 rules
//! and a set of expressions of every accepted shape, on random cases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use pauta::policy::PolicySet;
use pauta::policy::model::{Expression, Rule, RuleSeverity, Subject};
use pauta::rules::caso::{Caso, CasoData, CasoFields};
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

fn caso() -> impl Strategy<Value = CasoData> {
    (
        word(),
        word(),
        word(),
        prop::collection::vec(word(), 0..4),
        prop::collection::vec(word(), 0..4),
        prop::sample::select(vec!["met", "breached", "annulled"]),
    )
        .prop_map(
            |(area, excepcion, categoria, adjuntos, canales, resultado)| CasoData {
                id: "1".to_owned(),
                categoria,
                estado: "Cerrado".to_owned(),
                excepcion,
                area,
                adjuntos,
                canales,
                registrado: String::new(),
                recibido: String::new(),
                plazo: String::new(),
                solucionado: String::new(),
                resultado: resultado.to_owned(),
                dias_tarde: 0,
                pausado_segundos: 0,
                version: 11,
                hallazgos: Vec::new(),
                columnas: Vec::new(),
            },
        )
}

fn rule(source: &str) -> Rule {
    Rule {
        name: "r".to_owned(),
        severity: RuleSeverity::Error,
        subject: Subject::Caso,
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
            r#"caso.resultado == "met" && caso.excepcion == """#,
            "true && !false",
        ]
        .map(str::to_owned),
    );
    sources
}

/// `data` with every field outside `fields` emptied, as the evaluation run builds it for the
/// fast path.
fn keep_only(data: &CasoData, fields: CasoFields) -> CasoData {
    let text = |field: CasoFields, value: &String| {
        if fields.has(field) {
            value.clone()
        } else {
            String::new()
        }
    };
    let list = |field: CasoFields, value: &Vec<String>| {
        if fields.has(field) {
            value.clone()
        } else {
            Vec::new()
        }
    };
    CasoData {
        id: text(CasoFields::ID, &data.id),
        categoria: text(CasoFields::CATEGORIA, &data.categoria),
        estado: text(CasoFields::ESTADO, &data.estado),
        excepcion: text(CasoFields::EXCEPCION, &data.excepcion),
        area: text(CasoFields::AREA, &data.area),
        adjuntos: list(CasoFields::ADJUNTOS, &data.adjuntos),
        canales: list(CasoFields::CANALES, &data.canales),
        registrado: text(CasoFields::REGISTRADO, &data.registrado),
        recibido: text(CasoFields::RECIBIDO, &data.recibido),
        plazo: text(CasoFields::PLAZO, &data.plazo),
        solucionado: text(CasoFields::SOLUCIONADO, &data.solucionado),
        resultado: text(CasoFields::RESULTADO, &data.resultado),
        hallazgos: list(CasoFields::HALLAZGOS, &data.hallazgos),
        ..data.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn fast_path_agrees_with_rhai(data in caso()) {
        let engine = pauta::rules::engine();
        let caso = Arc::new(data);
        for source in expressions() {
            let predicate = fast::compile(&source).unwrap_or_else(|| panic!("not fast: {source}"));
            let (compiled, problems) = compile_rules(&engine, &[rule(&source)], None);
            prop_assert!(problems.is_empty(), "{source}: {problems:?}");
            let mut scope = Scope::new();
            scope.push_constant("caso", Caso(Arc::clone(&caso)));
            let rhai = run_rule(&engine, &compiled[0], &mut scope);
            let expected = if predicate.eval(&caso) { RuleResult::Passed } else { RuleResult::Failed };
            prop_assert_eq!(rhai, expected, "{}", source);
            // The fields the predicate declares are all it reads.
            let partial = keep_only(&caso, predicate.fields());
            prop_assert_eq!(predicate.eval(&partial), predicate.eval(&caso), "fields of {}", source);
        }
    }
}
