//! Time to parse, compile and check every shipped policy file (the work `pauta check` and every
//! command's start-up do), plus the v11 procedure alone. Run: `cargo bench --bench compile`.

use criterion::{Criterion, criterion_group, criterion_main};
use pauta::policy::parse::parse;
use pauta::policy::{SourceFile, check_sources, embedded_sources};

fn bench(c: &mut Criterion) {
    let sources = embedded_sources();
    c.bench_function("check all shipped policies", |b| {
        b.iter(|| check_sources(std::hint::black_box(&sources), &[]))
    });
    let v11: Vec<SourceFile> = sources
        .iter()
        .filter(|s| s.name.ends_with("v11.pauta"))
        .cloned()
        .collect();
    let calendars = check_sources(&sources, &[]).calendars;
    // Baseline: the pest parse and syntax tree alone, without compiling or checking.
    c.bench_function("parse v11 alone (baseline)", |b| {
        b.iter(|| {
            v11.iter()
                .filter(|s| parse(std::hint::black_box(s)).is_ok())
                .count()
        })
    });
    c.bench_function("check v11 alone", |b| {
        b.iter(|| check_sources(std::hint::black_box(&v11), &calendars))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
