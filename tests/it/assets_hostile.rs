//! Hostile documents (issue 13): compression bombs, looping OLE chains, circular page trees,
//! truncated and flipped files. Each is generated here (`common::hostile`); the bombs are also
//! checked by the real binary under an address-space limit, and random mutations of valid
//! samples are fed to the checker.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use pauta::assets::document::DocumentReport;
use pauta::assets::samples;
use proptest::prelude::*;

use crate::common;

use common::hostile;

use common::check_document as check;

fn codes(report: &DocumentReport) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code.code()).collect()
}

fn finding<'a>(report: &'a DocumentReport, code: &str) -> &'a str {
    report
        .findings
        .iter()
        .find(|f| f.code.code() == code)
        .map(|f| f.message.as_str())
        .unwrap_or_else(|| panic!("no {code} in {:#?}", report.findings))
}

/// Every generated bomb must be checked well within this, even in a debug build.
const QUICK: Duration = Duration::from_secs(5);

fn timed(name: &str, bytes: Vec<u8>) -> DocumentReport {
    let start = Instant::now();
    let report = check(name, bytes);
    assert!(start.elapsed() < QUICK, "{name} took {:?}", start.elapsed());
    report
}

// ---------------------------------------------------------------- OLE

#[test]
fn a_self_looping_ole_chain_with_64_kib_sectors_is_damaged() {
    let file = hostile::ole_self_loop(16);
    assert_eq!(file.len(), 128 * 1024);
    let report = timed("bucle.xls", file);
    assert!(report.failed());
    assert!(
        finding(&report, "D018").contains("circular"),
        "{:#?}",
        report.findings
    );
}

#[test]
fn a_long_ole_loop_and_a_chain_leaving_the_file_are_damaged() {
    let report = timed("largo.xls", hostile::ole_long_loop(120));
    assert!(finding(&report, "D018").contains("circular"));
    let report = timed("fuera.xls", hostile::ole_chain_beyond_the_file());
    assert!(finding(&report, "D018").contains("fuera del archivo"));
}

#[test]
fn a_long_but_sound_ole_chain_is_read() {
    // About 8 000 sectors: the stream is found and its FILEPASS read.
    let report = timed("grande.xls", hostile::ole_long_chain(4 << 20));
    assert_eq!(codes(&report), vec!["D001", "D002"]);
}

// ---------------------------------------------------------------- xlsx

#[test]
fn an_xlsx_part_that_inflates_hugely_stops_at_the_limit() {
    let file = hostile::xlsx_with_inflating_part("docProps/core.xml", 64 << 20);
    assert!(file.len() < 200_000, "{}", file.len());
    let report = timed("bomba.xlsx", file);
    assert!(report.failed());
    let message = finding(&report, "D019");
    assert!(message.contains("docProps/core.xml"), "{message}");
    assert!(message.contains("bomba de compresión"), "{message}");
}

#[test]
fn an_xlsx_worksheet_that_inflates_hugely_stops_at_the_limit() {
    let file = hostile::xlsx_with_inflating_part("xl/worksheets/sheet1.xml", 64 << 20);
    let report = timed("hoja.xlsx", file);
    assert!(finding(&report, "D019").contains("xl/worksheets/sheet1.xml"));
}

#[test]
fn an_xlsx_whose_part_does_not_match_its_checksum_is_damaged() {
    let mut file = samples::xlsx(&samples::XlsxSpec {
        core: vec![
            ("dc:title".into(), "Tarifas".into()),
            ("dc:language".into(), "es-CO".into()),
        ],
        ..samples::XlsxSpec::default()
    });
    assert!(!check("ok.xlsx", file.clone()).failed());
    // Damage the stored CRC-32 of the last entry in the central directory.
    let central = hostile::rfind(&file, b"PK\x01\x02");
    file[central + 16] ^= 0xFF;
    let report = check("crc.xlsx", file);
    assert!(report.failed());
    assert!(
        finding(&report, "D018").contains("docProps"),
        "{:#?}",
        report.findings
    );
}

// ---------------------------------------------------------------- PDF

#[test]
fn a_pdf_flate_bomb_in_a_page_stops_at_the_limit() {
    let file = hostile::pdf_flate_bomb(64 << 20);
    assert!(file.len() < 300_000, "{}", file.len());
    let report = timed("bomba.pdf", file);
    assert!(report.failed());
    assert!(finding(&report, "D019").contains("página 1"));
}

#[test]
fn a_pdf_object_stream_bomb_stops_at_the_limit() {
    let file = hostile::pdf_object_stream_bomb(64 << 20);
    let report = timed("objetos.pdf", file);
    assert!(report.failed());
    assert!(finding(&report, "D019").contains("flujos de objetos"));
}

#[test]
fn a_circular_page_tree_is_damaged_and_the_hidden_page_is_found() {
    let report = timed("ciclo.pdf", hostile::pdf_circular_page_tree());
    assert!(report.failed());
    assert!(finding(&report, "D018").contains("circular"));
    assert_eq!(report.facts.as_ref().map(|f| f.pages), Some(1));
    let report = timed("raiz.pdf", hostile::pdf_self_kid_page_tree());
    assert!(report.failed());
    let message = finding(&report, "D018");
    assert!(
        message.contains("circular") && message.contains("ninguna página"),
        "{message}"
    );
}

#[test]
fn a_truncated_pdf_is_damaged_and_its_metadata_found_in_the_bytes() {
    let report = timed("cortado.pdf", hostile::pdf_truncated_with_author());
    assert!(report.failed());
    assert!(finding(&report, "D018").contains("truncado"));
    assert!(finding(&report, "D005").contains("Juan Pérez"));
}

#[test]
fn a_flipped_trailer_still_reports_the_author() {
    let report = timed("volteado.pdf", hostile::pdf_flipped_trailer_info());
    assert!(report.failed());
    assert!(finding(&report, "D005").contains("Juan Pérez"));
}

#[test]
fn a_scanned_pdf_with_a_broken_page_tree_is_damaged_not_compliant() {
    let report = timed("escaneado.pdf", hostile::scanned_pdf_with_flipped_tree(20));
    assert!(report.failed(), "{:#?}", report.findings);
    assert!(codes(&report).contains(&"D018"));
}

#[test]
fn the_hostile_samples_are_built_from_sound_ones() {
    // Without the damage, the same documents pass (or fail only as the sound sample does).
    assert!(!check("ok.pdf", samples::pdf(&hostile::clean_pdf_spec())).failed());
    let with_author = check("autor.pdf", hostile::pdf_with_author());
    assert_eq!(codes(&with_author), vec!["D005"]);
    let small = hostile::xlsx_with_inflating_part("docProps/core.xml", 64 * 1024);
    assert!(!codes(&check("pequeno.xlsx", small)).contains(&"D019"));
}

// ---------------------------------------------------------------- the binary, memory-bounded

/// The binary's address space in a child process: a debug build checks a small document within
/// 100 MB; the bombs reached gigabytes before the limits.
const ADDRESS_SPACE_KIB: u64 = 384 * 1024;

/// Run `pauta document check FILE …` under `ulimit -v`, returning (exit code, stdout, stderr).
fn limited(file: &Path, extra: &[&str]) -> (i32, String, String) {
    let script = format!("ulimit -v {ADDRESS_SPACE_KIB} && exec \"$0\" \"$@\"");
    let out = Command::new("sh")
        .args(["-c", &script, env!("CARGO_BIN_EXE_pauta"), "document", "check"])
        .arg(file)
        .args(["--policy", "M1-3-06@11", "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn bounded_run(name: &str, bytes: Vec<u8>, expected: &str) {
    let dir = common::scratch("assets_hostile", name);
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    for extra in [vec![], vec!["--scrub", "limpio"]] {
        let start = Instant::now();
        let (code, out, err) = limited(&file, &extra);
        assert_eq!(code, 1, "{name} {extra:?}: exit {code}\n{out}\n{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let found: Vec<&str> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|f| f["code"].as_str())
            .collect();
        assert!(found.contains(&expected), "{name} {extra:?}: {found:?}");
        assert!(start.elapsed() < QUICK, "{name} took {:?}", start.elapsed());
        assert!(
            !dir.join("limpio").exists(),
            "{name}: no copy of a bomb is written"
        );
    }
}

#[test]
fn the_binary_checks_every_bomb_within_a_bounded_address_space() {
    bounded_run("bucle.xls", hostile::ole_self_loop(16), "D018");
    bounded_run(
        "bomba.xlsx",
        hostile::xlsx_with_inflating_part("docProps/core.xml", 64 << 20),
        "D019",
    );
    bounded_run("bomba.pdf", hostile::pdf_flate_bomb(64 << 20), "D019");
    bounded_run("objetos.pdf", hostile::pdf_object_stream_bomb(64 << 20), "D019");
}

// ---------------------------------------------------------------- random mutations

fn sound_pdf() -> Vec<u8> {
    samples::pdf(&hostile::clean_pdf_spec())
}

fn sound_xlsx() -> Vec<u8> {
    samples::xlsx(&samples::XlsxSpec {
        core: vec![
            ("dc:title".into(), "Tarifas".into()),
            ("dc:language".into(), "es-CO".into()),
        ],
        ..samples::XlsxSpec::default()
    })
}

fn sound_ole() -> Vec<u8> {
    samples::ole(&[("Workbook", &samples::biff_workbook(false))])
}

/// Flip bytes at the given (position, mask) pairs, positions taken modulo the length.
fn flip(mut bytes: Vec<u8>, flips: &[(usize, u8)]) -> Vec<u8> {
    let len = bytes.len();
    for (at, mask) in flips {
        if let Some(b) = bytes.get_mut(at % len) {
            *b ^= mask.max(&1);
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn a_truncated_pdf_is_never_compliant(keep in 0.0f64..1.0) {
        let bytes = sound_pdf();
        prop_assert!(!check("ok.pdf", bytes.clone()).failed());
        // Cut anywhere before the end of the last `%%EOF`.
        let cut = ((hostile::rfind(&bytes, b"%%EOF") + 4) as f64 * keep) as usize;
        let report = timed("cortado.pdf", bytes[..cut].to_vec());
        prop_assert!(report.failed(), "cut at {}: {:#?}", cut, report.findings);
    }

    #[test]
    fn a_truncated_xlsx_or_ole_is_never_compliant(keep in 0.0f64..1.0) {
        for bytes in [sound_xlsx(), sound_ole()] {
            let cut = ((bytes.len() - 1) as f64 * keep) as usize;
            let report = timed("cortado", bytes[..cut].to_vec());
            prop_assert!(report.failed(), "cut at {}: {:#?}", cut, report.findings);
        }
    }

    #[test]
    fn flipped_bytes_never_crash_and_stay_bounded(
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..20),
    ) {
        for bytes in [sound_pdf(), sound_xlsx(), sound_ole()] {
            let report = timed("volteado", flip(bytes, &flips));
            // The report is whole: its counts match its findings.
            prop_assert_eq!(report.counts.errors + report.counts.warnings, report.findings.len());
        }
    }

    #[test]
    fn a_pdf_with_flipped_structure_is_never_compliant_when_its_pages_are_lost(
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..20),
    ) {
        // Flips inside the objects' dictionaries and the cross-reference data: whatever the
        // checker still reads, a document that lost pages or its page tree never passes.
        let bytes = sound_pdf();
        let report = timed("volteado.pdf", flip(bytes, &flips));
        let pages = report.facts.as_ref().map_or(0, |f| f.pages);
        if pages < 2 {
            prop_assert!(report.failed(), "{} page(s): {:#?}", pages, report.findings);
        }
    }
}
