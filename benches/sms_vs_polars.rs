//! The SMS target of issue 5: `sms check` of a 1,000,000-row campaign in at most twice the time
//! polars takes to read the same CSV, in one session. Run:
//! `cargo bench --features bench-polars --bench sms_vs_polars` (polars' release build is slow).

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use pauta::assets::samples;
use pauta::assets::sms::check_sms;
use pauta::policy::PolicySet;
use polars::prelude::{CsvReadOptions, SerReader as _};

fn campaign() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-assets");
    let path = dir.join("sms_1m.csv");
    if !path.exists() {
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(&path, samples::sms_campaign(1_000_000, 1_000));
    }
    path
}

fn polars_read(path: &Path) -> usize {
    CsvReadOptions::default()
        .with_has_header(true)
        .map_parse_options(|o| o.with_separator(b';'))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map(|df| df.height())
        .unwrap_or(0)
}

fn bench(c: &mut Criterion) {
    let Ok(set) = PolicySet::embedded() else { return };
    let Some(sms) = set.find("M1-3-06@11").and_then(|p| p.sms.clone()) else {
        return;
    };
    let path = campaign();
    assert_eq!(polars_read(&path), 1_000_000);
    let mut group = c.benchmark_group("sms 1M rows");
    group.sample_size(10);
    group.bench_function("polars read_csv (floor)", |b| {
        b.iter(|| polars_read(std::hint::black_box(&path)))
    });
    group.bench_function("pauta sms check", |b| {
        b.iter(|| check_sms(std::hint::black_box(&path), &sms, "M1-3-06@11").map(|r| r.rows))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
