//! Per-case cost of the ANS clock: `evaluate` of one case with a typical four-row history
//! (received, assigned, suspended, resumed, solved), against a single `position` lookup as the
//! baseline. Run: `cargo bench --bench clock`.

use criterion::{Criterion, criterion_group, criterion_main};
use pauta::calendar::clock::local_seconds;
use pauta::cases::context::PolicyContext;
use pauta::cases::evaluate::evaluate;
use pauta::cases::{Case, HistoryEvent, Mapping};
use pauta::policy::PolicySet;

fn at(text: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").map_or(0, local_seconds)
}

fn bench(c: &mut Criterion) {
    let Ok(set) = PolicySet::embedded() else {
        return;
    };
    let Some(policy) = set.find("M1-3-06@11") else {
        return;
    };
    let Some(calendar) = set.calendar(&policy.calendar) else {
        return;
    };
    let Ok(context) = PolicyContext::new(policy, calendar, 2020, 2100) else {
        return;
    };
    let Ok(mapping) = Mapping::embedded() else {
        return;
    };
    let state = |name: &str| {
        policy
            .states
            .iter()
            .position(|s| s.name == name)
            .unwrap_or_default()
    };
    let case = Case {
        line: 2,
        id: "1".to_owned(),
        policy: 0,
        category: 0,
        exception: None,
        state: state("Cerrado"),
        registered: at("2024-03-05 17:30:00"),
        solved: Some(at("2024-03-20 15:00:00")),
        closed: Some(at("2024-03-26 15:00:00")),
        attachments: Vec::new(),
        area: None,
    };
    let event = |when: &str, from: &str, to: &str, reason: &str| HistoryEvent {
        line: 0,
        at: at(when),
        from: state(from),
        to: state(to),
        reason: reason.to_owned(),
    };
    let history = vec![
        event("2024-03-06 09:00:00", "Registrado", "En proceso", "Asignado"),
        event(
            "2024-03-08 10:00:00",
            "En proceso",
            "Suspendido",
            "En espera por usuario",
        ),
        event(
            "2024-03-12 10:00:00",
            "Suspendido",
            "En proceso",
            "Respuesta dada por usuario",
        ),
        event(
            "2024-03-20 15:00:00",
            "En proceso",
            "Solucionado",
            "Solución entregada",
        ),
        event(
            "2024-03-26 15:00:00",
            "Solucionado",
            "Cerrado",
            "Se ha validado con el usuario",
        ),
    ];
    let as_of = at("2026-01-01 00:00:00");
    c.bench_function("position of one instant (baseline)", |b| {
        b.iter(|| context.clock.position(std::hint::black_box(case.registered)))
    });
    c.bench_function("evaluate one case with a 5-row history", |b| {
        b.iter(|| {
            evaluate(
                &context,
                &mapping,
                &case,
                std::hint::black_box(history.clone()),
                as_of,
                Vec::new(),
                None,
            )
            .map(|e| e.days_late)
        })
    });
    c.bench_function("clone of the 5-row history (overhead inside the above)", |b| {
        b.iter(|| std::hint::black_box(history.clone()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
