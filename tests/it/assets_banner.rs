//! Banner checks: the real binary on committed samples and on JPEGs generated here (exact pixel
//! size and weight), plus the library API. Snapshots of the text and JSON reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use chrono::NaiveDate;
use pauta::assets::banner::{BannerRequest, check_banner_bytes, count_words};
use pauta::assets::inventory::check_inventory_bytes;
use pauta::assets::{Code, samples};
use pauta::policy::PolicySet;
use pauta::policy::model::BannerLimits;

use crate::common;

use common::root;
use common::run::Pauta;
use common::snap::text as snapshot;

fn scratch(name: &str) -> PathBuf {
    common::scratch("assets_banner", name)
}

/// A fresh scratch folder for one test.
fn limits() -> BannerLimits {
    PolicySet::embedded()
        .unwrap()
        .find("M1-3-06@11")
        .unwrap()
        .banner
        .clone()
        .unwrap()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn request(placement: &str, from: &str, until: &str) -> BannerRequest {
    BannerRequest {
        placement: placement.into(),
        title: Some("Crédito educativo 2025".into()),
        description: Some("Financie su pregrado con tasas preferenciales".into()),
        call_to_action: Some("Solicítelo hoy".into()),
        from: date(from),
        until: date(until),
    }
}

fn codes(findings: &[pauta::assets::Finding]) -> Vec<Code> {
    findings.iter().map(|f| f.code).collect()
}

const CHECK: [&str; 11] = [
    "--policy",
    "M1-3-06@11",
    "--title",
    "Crédito educativo 2025",
    "--description",
    "Financie su pregrado con tasas preferenciales",
    "--cta",
    "Solicítelo hoy",
    "--from",
    "2025-03-01",
    "--until",
];

// ---------------------------------------------------------------- library

#[test]
fn a_banner_of_exact_size_and_weight_passes_and_one_byte_more_fails() {
    let limits = limits();
    let max = limits.max_bytes.unwrap() as usize;
    let ok = check_banner_bytes(
        "b.jpg",
        &samples::jpeg(1920, 550, max),
        &request("home", "2025-03-01", "2025-07-01"),
        &limits,
        "M1-3-06@11",
    )
    .unwrap();
    assert_eq!(codes(&ok.findings), vec![], "{:#?}", ok.findings);
    let heavy = check_banner_bytes(
        "b.jpg",
        &samples::jpeg(1920, 550, max + 1),
        &request("home", "2025-03-01", "2025-07-01"),
        &limits,
        "M1-3-06@11",
    )
    .unwrap();
    assert_eq!(codes(&heavy.findings), vec![Code::B004]);
    assert!(heavy.findings[0].message.contains("sobran 1 bytes"));
}

#[test]
fn placement_sizes_come_from_the_policy() {
    let limits = limits();
    let internal = samples::jpeg(1920, 480, 10_000);
    let r = check_banner_bytes(
        "b.jpg",
        &internal,
        &request("internal", "2025-03-01", "2025-04-01"),
        &limits,
        "X",
    )
    .unwrap();
    assert_eq!(codes(&r.findings), vec![]);
    let r = check_banner_bytes(
        "b.jpg",
        &internal,
        &request("Home Principal", "2025-03-01", "2025-04-01"),
        &limits,
        "X",
    )
    .unwrap();
    assert_eq!(codes(&r.findings), vec![Code::B005]);
    // A policy with other sizes changes the verdict without code changes.
    let mut other = limits.clone();
    other.placements[0].height = 480;
    let r = check_banner_bytes(
        "b.jpg",
        &internal,
        &request("home", "2025-03-01", "2025-04-01"),
        &other,
        "X",
    )
    .unwrap();
    assert_eq!(codes(&r.findings), vec![]);
}

#[test]
fn a_png_renamed_jpg_and_a_truncated_jpeg_are_rejected() {
    let limits = limits();
    let req = request("home", "2025-03-01", "2025-04-01");
    let png = check_banner_bytes("b.jpg", &samples::png(1920, 550), &req, &limits, "X").unwrap();
    assert_eq!(codes(&png.findings), vec![Code::B001]);
    let jpeg = samples::jpeg(1920, 550, 20_000);
    let cut = check_banner_bytes("b.jpg", &jpeg[..jpeg.len() - 100], &req, &limits, "X").unwrap();
    assert_eq!(codes(&cut.findings), vec![Code::B003]);
    let renamed = check_banner_bytes("b.png", &jpeg, &req, &limits, "X").unwrap();
    assert_eq!(codes(&renamed.findings), vec![Code::B002]);
}

#[test]
fn words_and_months_are_counted_as_stated() {
    assert_eq!(count_words("Crédito — educativo, 2025 ¡ya!"), 4);
    let limits = limits();
    let jpeg = samples::jpeg(1920, 550, 1_000);
    let mut req = request("home", "2025-10-31", "2026-02-28");
    req.title = Some("uno dos tres cuatro cinco seis siete".into());
    req.description = Some("palabra ".repeat(31));
    req.call_to_action = Some("uno dos tres cuatro cinco".into());
    let r = check_banner_bytes("b.jpg", &jpeg, &req, &limits, "X").unwrap();
    assert_eq!(codes(&r.findings), vec![Code::B006, Code::B007, Code::B008]);
    assert_eq!(r.latest_until, Some(date("2026-02-28")));
    req = request("home", "2025-10-31", "2026-03-01");
    let r = check_banner_bytes("b.jpg", &jpeg, &req, &limits, "X").unwrap();
    assert_eq!(codes(&r.findings), vec![Code::B009]);
    req = request("home", "2025-03-01", "2025-03-01");
    let r = check_banner_bytes("b.jpg", &jpeg, &req, &limits, "X").unwrap();
    assert_eq!(codes(&r.findings), vec![Code::B010]);
}

#[test]
fn inventory_overflow_names_dates_and_banners() {
    let limits = limits();
    let mut csv = String::from("id;ubicación;desde;hasta\n");
    for i in 1..=7 {
        csv.push_str(&format!("B{i};home;2025-03-{:02};2025-04-30\n", i));
    }
    let r = check_inventory_bytes("inv.csv", csv.into_bytes(), date("2025-03-15"), &limits, "X");
    assert_eq!(codes(&r.findings), vec![Code::B023]);
    assert_eq!(r.overflows.len(), 1);
    assert_eq!(
        (r.overflows[0].from, r.overflows[0].until),
        (date("2025-03-07"), date("2025-04-30"))
    );
    assert_eq!(r.overflows[0].banners.len(), 7);
    // Six at once is the maximum, not a violation.
    let csv = (1..=6).fold(String::from("id,placement,from,until\n"), |mut s, i| {
        s.push_str(&format!("B{i},home,2025-03-01,2025-04-30\n"));
        s
    });
    let r = check_inventory_bytes("inv.csv", csv.into_bytes(), date("2025-03-15"), &limits, "X");
    assert_eq!(codes(&r.findings), vec![]);
}

// ---------------------------------------------------------------- binary

#[test]
fn committed_home_banner_passes() {
    let out = Pauta::new([
        "banner",
        "check",
        "tests/fixtures/assets/banner_home.jpg",
        "--placement",
        "home",
    ])
    .args(CHECK)
    .arg("2025-06-30")
    .run()
    .success()
    .stdout;
    snapshot("assets_banner_check_ok", &out);
}

#[test]
fn committed_broken_banners_fail_with_their_codes() {
    for (file, placement, expected) in [
        ("banner_png_renombrado.jpg", "internal", "B001"),
        ("banner_truncado.jpg", "home", "B003"),
        ("banner_medidas.jpg", "home", "B005"),
    ] {
        Pauta::new([
            "banner",
            "check",
            &format!("tests/fixtures/assets/{file}"),
            "--placement",
            placement,
        ])
        .args(CHECK)
        .arg("2025-06-30")
        .run()
        .failure(1)
        .stdout_has(&format!("error[{expected}]"));
    }
}

#[test]
fn every_banner_violation_at_once_text_and_json() {
    let dir = scratch("every_violation");
    std::fs::write(dir.join("pesado.png"), samples::jpeg(1920, 600, 200_000)).unwrap();
    let args = [
        "banner",
        "check",
        "pesado.png",
        "--placement",
        "home",
        "--policy",
        "M1-3-06@11",
        "--title",
        "Un título demasiado largo para este banner",
        "--description",
        "Corta",
        "--cta",
        "Haga clic aquí ya mismo",
        "--from",
        "2025-01-31",
        "--until",
        "2025-06-01",
    ];
    let text = Pauta::new(args).current_dir(&dir).run().failure(1).stdout;
    snapshot("assets_banner_check_every_violation", &text);
    let json = Pauta::new(args)
        .current_dir(&dir)
        .args(["--format", "json"])
        .run()
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let found: Vec<&str> = value["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(found, ["B002", "B004", "B005", "B006", "B008", "B009"]);
    snapshot("assets_banner_check_every_violation_json", &json);
}

#[test]
fn inventory_of_the_committed_sample() {
    let args = [
        "banner",
        "inventory",
        "tests/fixtures/assets/inventario_banners.csv",
        "--on",
        "2025-04-01",
        "--policy",
        "M1-3-06@11",
    ];
    let text = Pauta::new(args).run().failure(1).stdout;
    snapshot("assets_banner_inventory", &text);
    let json = Pauta::new(args).args(["--format", "json"]).run().stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["take_down"], serde_json::json!(["H0", "I1"]));
    snapshot("assets_banner_inventory_json", &json);
}

#[test]
fn unreadable_file_unknown_placement_and_bad_dates_exit_2() {
    Pauta::new(["banner", "check", "no/existe.jpg", "--placement", "home"])
        .args(CHECK)
        .arg("2025-06-30")
        .run()
        .failure(2)
        .stderr_has("no se pudo leer");
    Pauta::new([
        "banner",
        "check",
        "tests/fixtures/assets/banner_home.jpg",
        "--placement",
        "hme",
    ])
    .args(CHECK)
    .arg("2025-06-30")
    .run()
    .failure(2)
    .stderr_has("¿Quiso decir `home`?");
    Pauta::new([
        "banner",
        "check",
        "tests/fixtures/assets/banner_home.jpg",
        "--placement",
        "home",
    ])
    .args(CHECK)
    .arg("30/06/2025")
    .run()
    .failure(2)
    .stderr_has("AAAA-MM-DD");
}

#[test]
fn a_policy_without_banner_block_is_refused() {
    let dir = scratch("no_block");
    let text = std::fs::read_to_string(root().join("policies/M1-3-06/v11.pauta")).unwrap();
    let start = text.find("banner {").unwrap();
    let end = start + text[start..].find("\n}\n").unwrap() + 3;
    let cut = format!("{}{}", &text[..start], &text[end..]);
    std::fs::create_dir_all(dir.join("M1-3-06")).unwrap();
    std::fs::write(dir.join("M1-3-06/v11.pauta"), cut).unwrap();
    Pauta::new([
        "banner",
        "check",
        "tests/fixtures/assets/banner_home.jpg",
        "--placement",
        "home",
    ])
    .args(CHECK)
    .arg("2025-06-30")
    .arg("--policies")
    .arg(&dir)
    .run()
    .failure(2)
    .stderr_has("no tiene bloque `banner`");
}
