//! Publication checks on large inputs: an SMS campaign of 1,000,000 rows, the scrub of a 20 MB
//! PDF, and one banner. Run: `cargo bench --bench assets`. The inputs are generated into
//! `target/tmp/bench-assets/` (not committed); `benches/scrub_memory.sh` reuses the PDF to measure
//! the scrub's peak memory with `/usr/bin/time -v`.

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use pauta::assets::banner::{BannerRequest, check_banner_bytes};
use pauta::assets::document::scrub_document;
use pauta::assets::samples::{self, Page, PdfSpec};
use pauta::assets::sms::check_sms;
use pauta::policy::PolicySet;

/// Where the generated inputs live.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("bench-assets")
}

/// The 1,000,000-row campaign (one row in 1,000 has a tilde), generated once.
pub fn campaign() -> PathBuf {
    let path = data_dir().join("sms_1m.csv");
    if !path.exists() {
        let _ = std::fs::create_dir_all(data_dir());
        let _ = std::fs::write(&path, samples::sms_campaign(1_000_000, 1_000));
    }
    path
}

/// A 20 MB PDF: 100 pages of text and 100 scanned pages of 200 KB, with revealing metadata.
fn big_pdf() -> PathBuf {
    let path = data_dir().join("documento_20mb.pdf");
    if !path.exists() {
        let _ = std::fs::create_dir_all(data_dir());
        let pages = (0..200)
            .map(|i| {
                if i % 2 == 0 {
                    Page::Text(format!("Informe de gestion, pagina {}", i + 1))
                } else {
                    Page::Image(200_000)
                }
            })
            .collect();
        let spec = PdfSpec {
            pages,
            info: vec![
                ("Title".into(), "Informe de gestión".into()),
                ("Author".into(), "Juan Pérez".into()),
                ("Producer".into(), "Microsoft Word".into()),
            ],
            xmp: true,
            language: Some("es-CO".into()),
            tagged: true,
            encrypt: None,
        };
        let _ = std::fs::write(&path, samples::pdf(&spec));
    }
    path
}

fn bench(c: &mut Criterion) {
    let Ok(set) = PolicySet::embedded() else { return };
    let Some(policy) = set.find("M1-3-06@11") else {
        return;
    };
    let (Some(sms), Some(documents), Some(banner)) = (&policy.sms, &policy.documents, &policy.banner) else {
        return;
    };
    let campaign = campaign();
    let pdf = big_pdf();
    let mut group = c.benchmark_group("assets");
    group.sample_size(10);
    group.bench_function("sms check, 1,000,000 rows (read + decode + check)", |b| {
        b.iter(|| check_sms(std::hint::black_box(&campaign), sms, "M1-3-06@11").map(|r| r.rows))
    });
    let out = data_dir().join("documento_20mb.limpio.pdf");
    group.bench_function("document scrub, 20 MB PDF (check + scrub + re-check)", |b| {
        b.iter(|| {
            scrub_document(std::hint::black_box(&pdf), &out, documents, "M1-3-06@11").map(|r| r.failed())
        })
    });
    group.finish();
    let jpeg = samples::jpeg(1920, 550, 150_000);
    let request = BannerRequest {
        placement: "home".into(),
        title: Some("Crédito educativo 2025".into()),
        description: Some("Financie su pregrado".into()),
        call_to_action: Some("Solicítelo hoy".into()),
        from: chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap_or_default(),
        until: chrono::NaiveDate::from_ymd_opt(2025, 6, 30).unwrap_or_default(),
    };
    c.bench_function("banner check, 150 KB JPEG in memory", |b| {
        b.iter(|| {
            check_banner_bytes("b.jpg", std::hint::black_box(&jpeg), &request, banner, "X").map(|r| r.counts)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
