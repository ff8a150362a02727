//! Per-rule evaluation cost on one `caso`: the three v11 rules through the native fast path,
//! through one combined rhai evaluation, and one rhai evaluation per rule (the baseline).
//! Run: `cargo bench --bench rules`.

use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use pauta::cases::subject::{CaseSnapshot, SharedCase};
use pauta::policy::PolicySet;
use pauta::policy::model::Subject;
use pauta::rules::compiled::RuleBook;
use pauta::rules::{compile_rules, run_rule};
use rhai::Scope;

fn bench(c: &mut Criterion) {
    let Ok(set) = PolicySet::embedded() else {
        return;
    };
    let Some(policy) = set.find("M1-3-06@11") else {
        return;
    };
    let engine = pauta::cases::subject::engine();
    let (compiled, _) = compile_rules(&engine, &policy.rules, Some(Subject::Case));
    let book = RuleBook::new(&engine, compiled.clone(), "caso");
    let caso = Arc::new(CaseSnapshot {
        id: "100001".to_owned(),
        category: "Actualización y divulgación de contenidos en la web".to_owned(),
        state: "Cerrado".to_owned(),
        exception: String::new(),
        area: "Secretaría General".to_owned(),
        attachments: vec!["aprobacion_comunicaciones".to_owned(), "socializacion".to_owned()],
        channels: vec!["web".to_owned()],
        registered: "2024-03-05T10:00:00-05:00".to_owned(),
        received: "2024-03-05T10:00:00-05:00".to_owned(),
        deadline: "2024-03-21T17:00:00-05:00".to_owned(),
        solved: "2024-03-14T16:00:00-05:00".to_owned(),
        outcome: "met".to_owned(),
        days_late: 0,
        paused_seconds: 0,
        version: 11,
        findings: Vec::new(),
        columns: Vec::new(),
    });
    c.bench_function("3 rules, native fast path", |b| {
        b.iter(|| book.run_fast(std::hint::black_box(&*caso)))
    });
    c.bench_function("3 rules, one combined rhai evaluation", |b| {
        b.iter(|| {
            let mut scope = Scope::new();
            scope.push_constant("caso", SharedCase(Arc::clone(&caso)));
            book.run_all(&engine, &mut scope)
        })
    });
    c.bench_function("3 rules, one rhai evaluation each (baseline)", |b| {
        b.iter(|| {
            let mut scope = Scope::new();
            scope.push_constant("caso", SharedCase(Arc::clone(&caso)));
            compiled
                .iter()
                .map(|rule| run_rule(&engine, rule, &mut scope))
                .count()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
