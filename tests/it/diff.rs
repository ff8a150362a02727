//! Integration tests of `pauta diff`: the real binary on the fixture versions under
//! `tests/fixtures/diff/`. Every folder of `variantes/` changes one kind of element of the base
//! copy of v11 (`base/`), in the `<root>/M1-3-06/vN.pauta` + `<root>/calendarios/*.pauta`
//! layout; each of its files is diffed against its base counterpart and snapshotted as text and
//! JSON, so a new variant needs no code. `reformateada` is v11 reordered and reformatted: its
//! diff must be empty. Snapshots live in `snapshots/diff__*`.
//!
//! Every run but one passes `--policies tests/fixtures/diff/base`: a variant without a calendar of
//! its own, and a `CODE@VERSION`, are read with the frozen base rather than with the shipped
//! policies, so that a new version or holiday published under `policies/` moves none of these
//! snapshots.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::common::run::{Pauta, Ran};
use crate::common::{relative, root};

const BASE: &str = "tests/fixtures/diff/base";
const VARIANTS: &str = "tests/fixtures/diff/variantes";
const CASES: &str = "tests/fixtures/aranda/basica/casos.csv";
const HISTORY: &str = "tests/fixtures/aranda/basica/historial.csv";
const AS_OF: &str = "2026-08-01 00:00:00";

/// `pauta <args> --policies tests/fixtures/diff/base` run from the crate root (paths stay
/// relative, so the output is the same on every machine).
fn pauta(args: &[&str]) -> Ran {
    Pauta::new(args).args(["--policies", BASE]).run()
}

/// `pauta <args>` on the embedded policies.
fn embedded(args: &[&str]) -> Ran {
    Pauta::new(args).run()
}

fn snapshot(name: &str, text: &str) {
    crate::common::snap::text(name, text);
}

fn sorted_entries(dir: &Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    entries
}

/// Every (snapshot name, old file, new file) of the variants folder: a procedure file is
/// compared with the base version of its procedure folder, a calendar with the base calendar
/// of the same name.
fn pairs() -> Vec<(String, String, String)> {
    let mut pairs = Vec::new();
    for variant in sorted_entries(&root().join(VARIANTS)) {
        let name = variant.file_name().unwrap().to_string_lossy().into_owned();
        for folder in sorted_entries(&variant).into_iter().filter(|p| p.is_dir()) {
            let folder_name = folder.file_name().unwrap().to_string_lossy().into_owned();
            for file in sorted_entries(&folder) {
                if file.extension().is_none_or(|e| e != "pauta") {
                    continue;
                }
                let file_name = file.file_name().unwrap().to_string_lossy().into_owned();
                let (snapshot, old) = if folder_name == "calendarios" {
                    let stem = file_name.trim_end_matches(".pauta");
                    (
                        format!("diff__{name}__{stem}"),
                        root().join(BASE).join("calendarios").join(&file_name),
                    )
                } else {
                    let base = sorted_entries(&root().join(BASE).join(&folder_name));
                    assert_eq!(base.len(), 1, "one base version per procedure folder");
                    (format!("diff__{name}"), base[0].clone())
                };
                pairs.push((snapshot, relative(&old), relative(&file)));
            }
        }
    }
    pairs
}

#[test]
fn every_variant_against_the_base_in_text_and_json() {
    let pairs = pairs();
    assert!(
        pairs.len() >= 14,
        "the variants folder must hold every kind of change"
    );
    for (name, old, new) in pairs {
        let Ran {
            code,
            stdout: text,
            stderr,
            ..
        } = pauta(&["diff", &old, &new]);
        let empty = text.starts_with("Sin diferencias de fondo");
        assert_eq!(code, if empty { 0 } else { 1 }, "{name}: {stderr}{text}");
        assert!(stderr.is_empty(), "{name}: {stderr}");
        snapshot(&name, &text);

        let Ran {
            code: json_code,
            stdout: json,
            stderr,
            ..
        } = pauta(&["diff", &old, &new, "--format", "json"]);
        assert_eq!(json_code, code, "{name}: {stderr}");
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let changes = value["changes"].as_array().unwrap();
        assert_eq!(changes.is_empty(), empty, "{name}");
        for change in changes {
            assert!(
                text.contains(change["text"].as_str().unwrap()),
                "{name}: every JSON change is a text line"
            );
        }
        snapshot(&format!("{name}_json"), &json);
    }
}

#[test]
fn a_reordered_and_reformatted_copy_diffs_empty_and_changes_no_case() {
    let base = format!("{BASE}/M1-3-06/v11.pauta");
    let copy = format!("{VARIANTS}/reformateada/M1-3-06/v11.pauta");
    let text = pauta(&["diff", &base, &copy]).success().stdout;
    assert_eq!(
        text,
        format!("Sin diferencias de fondo entre M1-3-06@11 ({base}) y M1-3-06@11 ({copy}).\n")
    );
    let text = pauta(&[
        "diff",
        &base,
        &copy,
        "--cases",
        CASES,
        "--history",
        HISTORY,
        "--as-of",
        AS_OF,
    ])
    .success()
    .stdout;
    assert!(text.contains("Ningún caso cambia."), "{text}");
}

#[test]
fn impact_of_an_ans_change_on_the_basic_export() {
    let args = |format: &str| {
        vec![
            "diff".to_owned(),
            format!("{BASE}/M1-3-06/v11.pauta"),
            format!("{VARIANTS}/ans/M1-3-06/v11.pauta"),
            "--cases".into(),
            CASES.into(),
            "--history".into(),
            HISTORY.into(),
            "--as-of".into(),
            AS_OF.into(),
            "--format".into(),
            format.into(),
        ]
    };
    let text_args = args("text");
    let text = pauta(&text_args.iter().map(String::as_str).collect::<Vec<_>>())
        .failure(1)
        .stdout;
    assert!(text.contains("* incumple → cumple"), "{text}");
    snapshot("diff__impacto_ans", &text);

    let json_args = args("json");
    let json = pauta(&json_args.iter().map(String::as_str).collect::<Vec<_>>())
        .failure(1)
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let impact = &value["impact"];
    assert_eq!(impact["cases_read"], 26);
    assert_eq!(impact["evaluated_both"], 26);
    assert_eq!(
        impact["cases"].as_array().unwrap().len() as u64,
        impact["cases_changed"].as_u64().unwrap()
    );
    snapshot("diff__impacto_ans_json", &json);
}

/// The acceptance story: the process owner's v12 (an ANS, a new category with an alias, a new
/// exception type, a new transition reason, a new holiday rule, a new rule) and its impact.
#[test]
fn impact_of_the_process_owners_new_version() {
    let text = pauta(&[
        "diff",
        &format!("{BASE}/M1-3-06/v11.pauta"),
        &format!("{VARIANTS}/propietario/M1-3-06/v12.pauta"),
        "--cases",
        CASES,
        "--history",
        HISTORY,
        "--as-of",
        AS_OF,
    ])
    .failure(1)
    .stdout;
    for expected in [
        "~ ANS de \"Diseño de piezas comerciales\": 5 → 4 días hábiles",
        "+ categoría \"Podcast institucional\": alias \"Podcast\"",
        "+ tipo de excepción \"Convocatorias de crédito educativo\"",
        "+ razón \"Listo\" en \"En proceso\" -> \"Solucionado\"",
        "+ festivo \"Festivo de ejemplo\"",
        "+ regla \"boceto-piezas\"",
        "− hallazgo H002",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    snapshot("diff__impacto_propietario", &text);
}

#[test]
fn impact_counts_rows_rejected_under_one_version_only() {
    let base = format!("{BASE}/M1-3-06/v11.pauta");
    let without = format!("{VARIANTS}/categoria-retirada/M1-3-06/v11.pauta");
    let impact = |old: &str, new: &str| {
        let json = pauta(&[
            "diff",
            old,
            new,
            "--cases",
            CASES,
            "--history",
            HISTORY,
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ])
        .failure(1)
        .stdout;
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        value["impact"].clone()
    };
    let forward = impact(&base, &without);
    assert_eq!(forward["rejected_new_only"], 4);
    assert_eq!(forward["rejected_old_only"], 0);
    assert_eq!(forward["evaluated_both"], 22);
    assert_eq!(forward["cases"][0]["new"]["rejection_code"], "I001");
    let backward = impact(&without, &base);
    assert_eq!(backward["rejected_old_only"], 4);
    assert_eq!(backward["rejected_new_only"], 0);
    // Leídas = evaluadas con ambas + rechazadas (en una, en otra o en ambas).
    for impact in [forward, backward] {
        let sum = [
            "evaluated_both",
            "rejected_old_only",
            "rejected_new_only",
            "rejected_both",
        ]
        .iter()
        .map(|k| impact[*k].as_u64().unwrap())
        .sum::<u64>();
        assert_eq!(impact["cases_read"].as_u64().unwrap(), sum);
    }
}

#[test]
fn versions_by_id_use_the_embedded_policies() {
    // The version is named: a later one published under `policies/` does not change this test.
    let text = embedded(&["diff", "M1-3-06@11", "M1-3-06@11"]).success().stdout;
    assert_eq!(text, "Sin diferencias de fondo entre M1-3-06@11 y M1-3-06@11.\n");
}

#[test]
fn a_code_alone_is_its_latest_version_in_the_policies_folder() {
    let text = pauta(&["diff", "M1-3-06@11", "M1-3-06"]).success().stdout;
    assert_eq!(text, "Sin diferencias de fondo entre M1-3-06@11 y M1-3-06@11.\n");
}

/// A procedure file with no calendar in its folders falls back on the calendars of `--policies`
/// (here the base calendar plus one holiday), not on the embedded ones.
#[test]
fn a_file_without_a_calendar_of_its_own_uses_those_of_the_policies_folder() {
    let folder = crate::common::scratch("diff", "fallback");
    std::fs::create_dir_all(folder.join("calendarios")).unwrap();
    let calendar = std::fs::read_to_string(root().join(BASE).join("calendarios/colombia.pauta")).unwrap();
    std::fs::write(
        folder.join("calendarios/colombia.pauta"),
        format!(
            "{calendar}festivo \"Día de ejemplo\" 10-05 trasladable desde 2027 norma \"Ley hipotética\"\n"
        ),
    )
    .unwrap();
    let old = format!("{BASE}/M1-3-06/v11.pauta");
    let new = format!("{VARIANTS}/ans/M1-3-06/v11.pauta");
    let text = Pauta::new(["diff", &old, &new, "--policies"])
        .arg(&folder)
        .run()
        .failure(1)
        .stdout;
    assert!(text.contains("+ festivo \"Día de ejemplo\""), "{text}");
    let text = pauta(&["diff", &old, &new]).stdout;
    assert!(!text.contains("Día de ejemplo"), "{text}");
}

#[test]
fn errors_have_codes_and_exit_2() {
    let base = format!("{BASE}/M1-3-06/v11.pauta");
    let calendar = format!("{BASE}/calendarios/colombia.pauta");
    for (args, code) in [
        (vec!["diff", &base, "no/existe.pauta"], "F001"),
        (vec!["diff", "M1-3-06@99", &base], "F002"),
        (
            vec!["diff", &base, "tests/broken/p010_estado_desconocido.pauta"],
            "F003",
        ),
        (vec!["diff", &base, &calendar], "F005"),
        (vec!["diff", &calendar, &calendar, "--cases", CASES], "F006"),
    ] {
        pauta(&args).failure(2).stderr_has(&format!("error[{code}]"));
    }
    // A broken file shows its diagnostics, with file, line and column, before the error.
    let stderr = pauta(&["diff", &base, "tests/broken/p010_estado_desconocido.pauta"]).stderr;
    assert!(
        stderr.contains("error[P010]")
            && stderr.contains("--> tests/broken/p010_estado_desconocido.pauta:19:29"),
        "{stderr}"
    );
    let stderr = pauta(&["diff", "M1-3-06@99", &base]).stderr;
    assert!(stderr.contains("disponibles: M1-3-06@11"), "{stderr}");
}
