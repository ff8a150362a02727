//! Integration tests of `pauta report`: the real binary on the committed export
//! `tests/fixtures/report/junio-2024/` (320 synthetic cases, May–July 2024, made by
//! `generate.py` in that folder) for the month 2024-06. The sample, its size and the rates are
//! re-derived independently from `pauta evaluate`'s output; the HTML and XLSX are opened and
//! checked; bad inputs get their exit codes. Every run reads the pinned policies
//! (`tests/fixtures/policies-v11/`): the report lists the policy and calendar files with their
//! SHA-256, so a version or holiday published under `policies/` would otherwise change it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx};
use common::root;
use common::run::{Pauta, Ran};
use sha2::{Digest, Sha256};

const CASES: &str = "tests/fixtures/report/junio-2024/casos.csv";
const HISTORY: &str = "tests/fixtures/report/junio-2024/historial.csv";
const GENERATED_AT: &str = "2024-07-01 08:00:00";

fn scratch(name: &str) -> PathBuf {
    common::scratch("report", name)
}

/// `pauta <subcommand> --policies tests/fixtures/policies-v11 <rest>`, run from the crate root
/// (the policies path stays relative, as the report names it).
fn pauta(args: &[&str]) -> Ran {
    let (subcommand, rest) = args.split_first().unwrap();
    Pauta::new([subcommand])
        .args(["--policies", common::PINNED])
        .args(rest)
        .run()
}

fn report(cases: &str, history: &str, extra: &[&str]) -> Ran {
    let mut args = vec![
        "report",
        "--cases",
        cases,
        "--history",
        history,
        "--month",
        "2024-06",
        "--generated-at",
        GENERATED_AT,
    ];
    args.extend_from_slice(extra);
    pauta(&args)
}

fn json(extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let run = report(CASES, HISTORY, &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_slice(&run.stdout_bytes).unwrap()
}

fn snapshot(name: &str, value: &str) {
    crate::common::snap::text(name, value);
}

fn sample_ids(value: &serde_json::Value) -> Vec<String> {
    value["sample"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["case_id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn markdown_report_of_june_2024() {
    let run = report(CASES, HISTORY, &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    snapshot("report_junio_2024_md", &run.utf8_stdout());
    assert!(
        run.stderr.contains(
            "semilla: M1-3-06:2024-06 (derivada del procedimiento y el mes; para repetir la muestra use --seed 'M1-3-06:2024-06')"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn json_report_of_june_2024() {
    let run = report(CASES, HISTORY, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    snapshot("report_junio_2024_json", &run.utf8_stdout());
    let value: serde_json::Value = serde_json::from_slice(&run.stdout_bytes).unwrap();
    for key in [
        "month",
        "population",
        "sample_size",
        "seed",
        "policy_versions",
        "inputs",
        "sample",
        "sample_compliance",
        "population_compliance",
        "by_category",
        "overdue",
    ] {
        assert!(value.get(key).is_some(), "falta la clave {key}");
    }
    for input in value["inputs"].as_array().unwrap() {
        assert_eq!(input["sha256"].as_str().unwrap().len(), 64);
    }
}

/// Without `--policies`, outside any workspace (in a folder with no `policies/` above it), the
/// report names the embedded files as shipped, with their SHA-256.
#[test]
fn embedded_policy_files_are_named_and_hashed_as_shipped() {
    let outside = common::outside("report", "embedded");
    let (cases, history) = (root().join(CASES), root().join(HISTORY));
    let (cases, history) = (cases.to_str().unwrap(), history.to_str().unwrap());
    let json = Pauta::new([
        "report",
        "--cases",
        cases,
        "--history",
        history,
        "--month",
        "2024-06",
        "--format",
        "json",
    ])
    .current_dir(&outside)
    .run()
    .success();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout_bytes).unwrap();
    let embedded: Vec<&serde_json::Value> = value["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|input| input["embedded"] == true)
        .collect();
    let roles: Vec<&str> = embedded.iter().map(|i| i["role"].as_str().unwrap()).collect();
    assert!(
        roles.iter().any(|r| r.starts_with("política (versión ")) && roles.contains(&"calendario"),
        "{roles:?}"
    );
    for input in embedded {
        let name = input["name"].as_str().unwrap();
        assert!(name.starts_with("policies/"), "{name}");
        let digest = Sha256::digest(std::fs::read(root().join(name)).unwrap());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(input["sha256"], hex, "{name}");
    }
    let markdown = Pauta::new([
        "report",
        "--cases",
        cases,
        "--history",
        history,
        "--month",
        "2024-06",
    ])
    .current_dir(&outside)
    .run()
    .success();
    assert!(
        markdown
            .utf8_stdout()
            .contains("| calendario | policies/calendarios/colombia.pauta (incluido en el programa) | `"),
        "{}",
        markdown.utf8_stdout()
    );
}

/// The report judged against an independent computation from `pauta evaluate`'s CSV at the
/// month's last second: population, sample size formula, SHA-256 order, rates and Wilson bounds.
#[test]
fn sample_size_ids_and_rates_match_an_independent_computation() {
    let evaluated = pauta(&[
        "evaluate",
        "--cases",
        CASES,
        "--history",
        HISTORY,
        "--as-of",
        "2024-06-30 23:59:59",
    ]);
    assert_eq!(evaluated.code, 0, "{}", evaluated.stderr);
    let mut reader = csv::Reader::from_reader(evaluated.stdout_bytes.as_slice());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, solved, outcome) = (column("case_id"), column("solved_at"), column("outcome"));
    let mut population = Vec::new();
    let mut overdue = BTreeSet::new();
    let (mut met, mut breached) = (0u64, 0u64);
    for record in reader.records() {
        let record = record.unwrap();
        if record[outcome] == *"open_overdue" {
            overdue.insert(record[id].to_owned());
        }
        if record[solved].starts_with("2024-06") && record[outcome] != *"annulled" {
            population.push((record[id].to_owned(), record[outcome].to_owned()));
            match &record[outcome] {
                "met" => met += 1,
                "breached" => breached += 1,
                other => panic!("resultado inesperado {other}"),
            }
        }
    }
    let big_n = population.len() as f64;
    assert!(big_n > 50.0, "la población del mes es muy pequeña: {big_n}");
    let z: f64 = 1.959_963_984_540_054;
    let n0 = z * z * 0.25 / 0.0025;
    let n = (n0 / (1.0 + (n0 - 1.0) / big_n)).ceil().min(big_n) as usize;
    let mut keyed: Vec<(String, String, String)> = population
        .iter()
        .map(|(case, outcome)| {
            let digest = Sha256::digest(format!("M1-3-06:2024-06:{case}").as_bytes());
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            (hex, case.clone(), outcome.clone())
        })
        .collect();
    keyed.sort();
    let expected: Vec<String> = keyed.iter().take(n).map(|(_, case, _)| case.clone()).collect();
    let sample_met = keyed.iter().take(n).filter(|(_, _, o)| o == "met").count() as f64;

    let value = json(&[]);
    assert_eq!(value["population"].as_u64().unwrap() as f64, big_n);
    assert_eq!(value["sample_size"].as_u64().unwrap() as usize, n);
    assert_eq!(sample_ids(&value), expected);
    let wilson = |k: f64, n: f64| {
        let p = k / n;
        let d = 1.0 + z * z / n;
        let c = (p + z * z / (2.0 * n)) / d;
        let h = z * (p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt() / d;
        (c - h, c + h)
    };
    let close = |a: f64, b: f64| (a - b).abs() < 1e-12;
    let sample = &value["sample_compliance"];
    let (low, high) = wilson(sample_met, n as f64);
    assert!(close(sample["rate"].as_f64().unwrap(), sample_met / n as f64));
    assert!(close(sample["ci_low"].as_f64().unwrap(), low));
    assert!(close(sample["ci_high"].as_f64().unwrap(), high));
    let census = &value["population_compliance"];
    assert_eq!(census["met"].as_u64().unwrap(), met);
    assert_eq!(census["breached"].as_u64().unwrap(), breached);
    let (low, high) = wilson(met as f64, big_n);
    assert!(close(census["rate"].as_f64().unwrap(), met as f64 / big_n));
    assert!(close(census["ci_low"].as_f64().unwrap(), low));
    assert!(close(census["ci_high"].as_f64().unwrap(), high));
    let listed: BTreeSet<String> = value["overdue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| case["case_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(listed, overdue);
    assert!(!overdue.is_empty());
    let by_category: u64 = value["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["cases"].as_u64().unwrap())
        .sum();
    assert_eq!(by_category as f64, big_n);
}

/// A fixed permutation: reverse, then interleave the two halves.
fn permute<T: Clone>(items: &[T]) -> Vec<T> {
    let mut items = items.to_vec();
    items.reverse();
    let half = items.len() / 2;
    let (a, b) = items.split_at(half);
    let mut out = Vec::with_capacity(items.len());
    for i in 0..a.len().max(b.len()) {
        out.extend(b.get(i).cloned());
        out.extend(a.get(i).cloned());
    }
    out
}

/// Same ids, rows in another order (the cases file row by row; the history case by case, each
/// case's own rows kept in their order): the same sample, in the same order.
#[test]
fn sample_is_identical_under_shuffled_rows() {
    let dir = scratch("shuffled");
    let cases_text = std::fs::read_to_string(root().join(CASES)).unwrap();
    let mut lines: Vec<&str> = cases_text.lines().collect();
    let header = lines.remove(0);
    let mut shuffled = vec![header];
    shuffled.extend(permute(&lines));
    std::fs::write(dir.join("casos.csv"), shuffled.join("\n") + "\n").unwrap();

    let history_text = std::fs::read_to_string(root().join(HISTORY)).unwrap();
    let mut lines: Vec<&str> = history_text.lines().collect();
    let header = lines.remove(0);
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for line in lines {
        let id = line.split(',').next().unwrap().to_owned();
        match groups.iter_mut().find(|(case, _)| *case == id) {
            Some((_, rows)) => rows.push(line),
            None => groups.push((id, vec![line])),
        }
    }
    let mut shuffled = vec![header];
    for (_, rows) in permute(&groups) {
        shuffled.extend(rows);
    }
    std::fs::write(dir.join("historial.csv"), shuffled.join("\n") + "\n").unwrap();

    let original = json(&[]);
    let cases = dir.join("casos.csv");
    let history = dir.join("historial.csv");
    let run = report(
        cases.to_str().unwrap(),
        history.to_str().unwrap(),
        &["--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shuffled: serde_json::Value = serde_json::from_slice(&run.stdout_bytes).unwrap();
    assert_eq!(sample_ids(&shuffled), sample_ids(&original));
    assert_eq!(shuffled["sample"], original["sample"]);
    assert_eq!(shuffled["by_category"], original["by_category"]);
    assert_eq!(shuffled["overdue"], original["overdue"]);
    assert_ne!(shuffled["inputs"][0]["sha256"], original["inputs"][0]["sha256"]);
}

#[test]
fn seed_and_size_flags_change_the_sample_as_stated() {
    let default = json(&[]);
    let other = json(&["--seed", "auditoría 2024"]);
    assert_eq!(other["seed"], "auditoría 2024");
    assert_eq!(other["sample_size"], default["sample_size"]);
    assert_ne!(sample_ids(&other), sample_ids(&default));
    let small = json(&["--size", "5"]);
    assert_eq!(small["sample_size"], 5);
    // The first 5 of the same order.
    assert_eq!(sample_ids(&small), sample_ids(&default)[..5].to_vec());
    assert_eq!(small["method"]["size_overridden"], true);
}

/// Checks that every element is closed in order (the HTML is written well-formed).
fn assert_well_formed(html: &str) {
    let void = ["meta", "br", "hr", "img", "link", "input"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html.strip_prefix("<!DOCTYPE html>").expect("DOCTYPE");
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        let end = rest.find('>').expect("etiqueta sin cerrar");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_default();
            assert_eq!(open, name.trim(), "cierre </{name}> sin apertura correspondiente");
        } else if tag.ends_with('/') {
            continue;
        } else {
            let name: String = tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            assert!(
                !void.contains(&name.as_str()) || tag.ends_with('/'),
                "<{name}> sin cerrar"
            );
            if name == "style" {
                let close = rest.find("</style>").unwrap();
                rest = &rest[close + "</style>".len()..];
                continue;
            }
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "sin cerrar: {stack:?}");
}

#[test]
fn html_is_self_contained_well_formed_with_tables_and_charts() {
    let dir = scratch("html");
    let path = dir.join("informe.html");
    let run = report(CASES, HISTORY, &["--output", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = std::fs::read_to_string(&path).unwrap();
    assert_well_formed(&html);
    for id in [
        "tabla-cumplimiento",
        "tabla-entradas",
        "tabla-muestra",
        "tabla-categorias",
        "tabla-semanas",
        "tabla-incumplidos",
        "tabla-vencidos",
        "tabla-hallazgos",
        "grafico-categorias",
        "grafico-uso-ans",
        "grafico-semanas",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "falta {id}");
    }
    assert_eq!(html.matches("<svg ").count(), 3);
    assert!(html.matches("<rect ").count() > 10);
    assert!(html.contains("@page { size: A4"));
    // No external request: no scripts, links, images or URLs other than the SVG namespace.
    for forbidden in ["<script", "<link", "<img", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(forbidden), "contiene {forbidden}");
    }
    assert_eq!(
        html.matches("http").count(),
        html.matches("http://www.w3.org/2000/svg").count()
    );
    let value = json(&[]);
    let sample_rows = html
        .split("id=\"tabla-muestra\"")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    assert_eq!(
        sample_rows.matches("<tr>").count(),
        value["sample_size"].as_u64().unwrap() as usize + 1
    );
}

#[test]
fn xlsx_reads_back_with_typed_cells() {
    let dir = scratch("xlsx");
    let path = dir.join("informe.xlsx");
    let run = report(CASES, HISTORY, &["--output", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value = json(&[]);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let names = workbook.sheet_names();
    for sheet in [
        "Resumen",
        "Entradas",
        "Método",
        "Muestra",
        "Por categoría",
        "Incumplen",
        "Vencidos",
        "Hallazgos",
        "Semanas",
        "Uso del ANS",
    ] {
        assert!(names.iter().any(|name| name == sheet), "falta la hoja {sheet}");
    }
    let sample = workbook.worksheet_range("Muestra").unwrap();
    assert_eq!(
        sample.height(),
        value["sample_size"].as_u64().unwrap() as usize + 1
    );
    let header: Vec<String> = sample
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[1], "Caso");
    assert_eq!(header[6], "Recibido");
    let first = sample.rows().nth(1).unwrap();
    assert_eq!(first[0], Data::Float(1.0));
    assert_eq!(
        first[1],
        Data::String(value["sample"][0]["case_id"].as_str().unwrap().to_owned())
    );
    assert!(matches!(first[6], Data::DateTime(_)), "{:?}", first[6]);
    assert!(matches!(first[8], Data::DateTime(_)), "{:?}", first[8]);
    assert!(matches!(first[10], Data::Float(_)), "{:?}", first[10]);
    assert!(matches!(first[11], Data::Float(_)), "{:?}", first[11]);
    // The received date-time is the real instant (Excel serial date).
    let received = value["sample"][0]["received_at"].as_str().unwrap();
    let Data::DateTime(cell) = &first[6] else {
        unreachable!()
    };
    let serial = cell.as_f64();
    let naive = chrono::NaiveDateTime::parse_from_str(&received[..19], "%Y-%m-%dT%H:%M:%S").unwrap();
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap();
    let expected = (naive - epoch).num_seconds() as f64 / 86_400.0;
    assert!((serial - expected).abs() < 1e-6, "{serial} vs {expected}");

    let summary = workbook.worksheet_range("Resumen").unwrap();
    let find = |label: &str| {
        summary
            .rows()
            .find(|row| row[0] == Data::String(label.to_owned()))
            .map(|row| row[1].clone())
            .unwrap()
    };
    assert_eq!(
        find("Población (N)"),
        Data::Float(value["population"].as_u64().unwrap() as f64)
    );
    let Data::Float(rate) = find("Muestra: cumplimiento") else {
        panic!()
    };
    assert!((rate - value["sample_compliance"]["rate"].as_f64().unwrap()).abs() < 1e-12);

    let categories = workbook.worksheet_range("Por categoría").unwrap();
    let total: f64 = categories
        .rows()
        .skip(1)
        .map(|row| match row[1] {
            Data::Float(cases) => cases,
            ref other => panic!("{other:?}"),
        })
        .sum();
    assert_eq!(total, value["population"].as_u64().unwrap() as f64);
}

#[test]
fn csv_holds_the_sample_in_selection_order() {
    let run = report(CASES, HISTORY, &["--format", "csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value = json(&[]);
    let mut reader = csv::Reader::from_reader(run.stdout_bytes.as_slice());
    assert_eq!(reader.headers().unwrap().get(2), Some("case_id"));
    let ids: Vec<String> = reader.records().map(|r| r.unwrap()[2].to_owned()).collect();
    assert_eq!(ids, sample_ids(&value));
}

#[test]
fn bad_inputs_get_spanish_messages_and_distinct_exit_codes() {
    // No case solved in the month: 3, and no rate is shown.
    let empty = pauta(&[
        "report",
        "--cases",
        CASES,
        "--history",
        HISTORY,
        "--month",
        "2023-01",
    ]);
    assert_eq!(empty.code, 3, "{}", empty.stderr);
    assert!(empty.stderr.contains("error[A003]"), "{}", empty.stderr);
    assert!(empty.stdout_bytes.is_empty());
    // Before every version of the policy: 2.
    let before = pauta(&[
        "report",
        "--cases",
        CASES,
        "--history",
        HISTORY,
        "--month",
        "2021-11",
    ]);
    assert_eq!(before.code, 2, "{}", before.stderr);
    assert!(before.stderr.contains("error[A002]"), "{}", before.stderr);
    assert!(
        before.stderr.contains("versión 11 vigente desde 2021-12-24"),
        "{}",
        before.stderr
    );
    // A sample larger than the population: 4.
    let large = report(CASES, HISTORY, &["--size", "100000"]);
    assert_eq!(large.code, 4, "{}", large.stderr);
    assert!(large.stderr.contains("error[A004]"), "{}", large.stderr);
    // An unwritable output: 5.
    let unwritable = report(CASES, HISTORY, &["--output", "/no/existe/informe.md"]);
    assert_eq!(unwritable.code, 5, "{}", unwritable.stderr);
    assert!(unwritable.stderr.contains("error[A005]"), "{}", unwritable.stderr);
    // A malformed month: 2.
    let month = pauta(&["report", "--cases", CASES, "--month", "2024-13"]);
    assert_eq!(month.code, 2, "{}", month.stderr);
    assert!(month.stderr.contains("error[A001]"), "{}", month.stderr);
}

#[test]
fn rejected_rows_exit_1_and_the_report_is_still_written() {
    let dir = scratch("rejected");
    let mut text = std::fs::read_to_string(root().join(CASES)).unwrap();
    text.push_str("99999,Categoría que no existe,Cerrado,05/06/2024 10:00:00,06/06/2024 10:00:00,,,,\n");
    let cases = dir.join("casos.csv");
    std::fs::write(&cases, text).unwrap();
    let output = dir.join("informe.md");
    let run = report(
        cases.to_str().unwrap(),
        HISTORY,
        &["--output", output.to_str().unwrap()],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(std::fs::read_to_string(&output).unwrap().contains("rechazadas 1"));
    let rejected = std::fs::read_to_string(dir.join("rechazadas-casos.csv")).unwrap();
    assert!(rejected.contains("99999"), "{rejected}");
}

/// Reproduction (issue 15): omitting `--history` silently dropped the June 2024 example from
/// 79,6 % to 69,8 %. The report now refuses without `--history` unless `--sin-historial` says it
/// is meant, and then says so in Entradas and Método.
#[test]
fn a_report_without_history_is_refused_unless_asked_and_then_says_so() {
    let example = root().join("examples/aranda-2024/casos.csv");
    let example = example.to_str().unwrap();
    let refused = Pauta::new([
        "report",
        "--cases",
        example,
        "--month",
        "2024-06",
        "--policies",
        common::PINNED,
    ])
    .run()
    .failure(2)
    .stderr_has("--sin-historial");
    assert!(refused.stdout_bytes.is_empty());

    let asked = Pauta::new([
        "report",
        "--cases",
        example,
        "--month",
        "2024-06",
        "--sin-historial",
        "--policies",
        common::PINNED,
        "--generated-at",
        "2024-07-01 08:00:00",
    ])
    .run()
    .success();
    let text = asked.utf8_stdout();
    assert!(
        text.contains("| historial | no indicado (--sin-historial)"),
        "{text}"
    );
    assert!(text.contains("- Sin historial: "), "{text}");
    assert!(
        asked.stderr.contains("aviso: no se indicó archivo de historial"),
        "{}",
        asked.stderr
    );
}

/// `pauta document check FILE` with the pinned policies: (exit code, stdout).
fn document_check(path: &Path) -> Ran {
    Pauta::new([
        "document",
        "check",
        path.to_str().unwrap(),
        "--policies",
        common::PINNED,
        "--policy",
        "M1-3-06@11",
    ])
    .run()
}

/// Reproduction (issue 15, item 4): the workbook carried the application, its version and the
/// creation date, so two runs with the same `--generated-at` gave different bytes and
/// `pauta document check` refused it (no title, no language either).
#[test]
fn xlsx_is_byte_identical_across_runs_and_passes_document_check() {
    let dir = scratch("determinista");
    let (first, second) = (dir.join("a.xlsx"), dir.join("b.xlsx"));
    let run = report(CASES, HISTORY, &["--output", first.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let run = report(CASES, HISTORY, &["--output", second.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read(&first).unwrap() == std::fs::read(&second).unwrap(),
        "dos corridas con las mismas entradas dieron libros distintos"
    );
    let check = document_check(&first);
    let text = check.utf8_stdout();
    assert_eq!(check.code, 0, "{text}\n{}", check.stderr);
    assert!(!text.contains("error[") && !text.contains("aviso["), "{text}");
    assert!(
        text.contains("título «Informe de control de ANS — M1-3-06 — junio de 2024» · idioma es-CO"),
        "{text}"
    );
}

/// The HTML declares its language (es-CO) and a title, as the workbook does.
#[test]
fn html_declares_language_and_title() {
    let run = report(CASES, HISTORY, &["--format", "html"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = run.utf8_stdout();
    assert!(html.contains("<html lang=\"es-CO\">"), "{}", &html[..200]);
    assert!(
        html.contains("<title>Informe de control de ANS — M1-3-06 — junio de 2024</title>"),
        "{}",
        &html[..400]
    );
}

const SMALL_CASES_HEADER: &str = "Caso,Servicio,Estado,Fecha de registro,Fecha de solución real,Fecha de cierre,Excepción,Adjuntos,Área solicitante\n";
const SMALL_HISTORY_HEADER: &str = "Caso,Fecha,Estado anterior,Estado nuevo,Razón\n";

/// A small hand-written export in `dir`: (case id, category, registered, solved) rows, every
/// case assigned an hour after registration and, when solved, solved then closed an hour later.
fn small_export(dir: &Path, cases: &[(&str, &str, &str, Option<&str>)]) -> (PathBuf, PathBuf) {
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    let plus_hour = |at: &str| {
        let moment = chrono::NaiveDateTime::parse_from_str(at, "%d/%m/%Y %H:%M:%S").unwrap();
        (moment + chrono::Duration::hours(1))
            .format("%d/%m/%Y %H:%M:%S")
            .to_string()
    };
    let mut casos = SMALL_CASES_HEADER.to_owned();
    let mut historial = SMALL_HISTORY_HEADER.to_owned();
    for (id, category, registered, solved) in cases {
        let (state, solved_text, closed) = match solved {
            Some(at) => ("Cerrado", (*at).to_owned(), plus_hour(at)),
            None => ("En proceso", String::new(), String::new()),
        };
        casos.push_str(&format!(
            "{},{},{state},{registered},{solved_text},{closed},,aprobacion_comunicaciones;socializacion;aprobacion_jefe,Secretaría General\n",
            quote(id),
            quote(category)
        ));
        historial.push_str(&format!(
            "{},{},Registrado,En proceso,Asignado\n",
            quote(id),
            plus_hour(registered)
        ));
        if let Some(at) = solved {
            historial.push_str(&format!(
                "{},{at},En proceso,Solucionado,Solución entregada\n{},{},Solucionado,Cerrado,Se ha validado con el usuario\n",
                quote(id),
                quote(id),
                plus_hour(at)
            ));
        }
    }
    let (cases_path, history_path) = (dir.join("casos.csv"), dir.join("historial.csv"));
    std::fs::write(&cases_path, casos).unwrap();
    std::fs::write(&history_path, historial).unwrap();
    (cases_path, history_path)
}

/// Two cases solved in August 2024 and two still open, registered in August: September has no
/// solved case but two overdue ones.
fn overdue_only_export(dir: &Path) -> (PathBuf, PathBuf) {
    small_export(
        dir,
        &[
            (
                "70001",
                "Diseño de piezas comerciales",
                "05/08/2024 09:00:00",
                Some("08/08/2024 10:00:00"),
            ),
            (
                "70002",
                "Publicación de archivos en la web",
                "12/08/2024 09:00:00",
                Some("13/08/2024 11:00:00"),
            ),
            (
                "70003",
                "Diseño de piezas comerciales",
                "20/08/2024 09:00:00",
                None,
            ),
            (
                "70004",
                "Publicación de archivos en la web",
                "21/08/2024 10:00:00",
                None,
            ),
        ],
    )
}

fn report_month(cases: &Path, history: &Path, month: &str, extra: &[&str]) -> Ran {
    let mut args = vec![
        "report",
        "--cases",
        cases.to_str().unwrap(),
        "--history",
        history.to_str().unwrap(),
        "--month",
        month,
        "--generated-at",
        "2024-10-01 08:00:00",
    ];
    args.extend_from_slice(extra);
    pauta(&args)
}

/// Reproduction (issue 15, item 5): a month with overdue cases but none solved wrote nothing
/// (exit 3), hiding the overdue list. It now writes the report with the list and says plainly
/// that no rate can be computed — no sample, no rate, no interval, never NaN or "0 %".
#[test]
fn a_month_with_only_overdue_cases_is_reported_without_a_rate() {
    let dir = scratch("solo-vencidos");
    let (cases, history) = overdue_only_export(&dir);
    let md = report_month(&cases, &history, "2024-09", &[]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    let text = md.utf8_stdout();
    for id in ["70003", "70004"] {
        assert!(text.contains(&format!("| {id} |")), "{text}");
    }
    assert!(text.contains("no se puede calcular el cumplimiento"), "{text}");
    for wrong in ["NaN", "0,0 %", "inf %", "∞", "IC 95 %"] {
        assert!(!text.contains(wrong), "contiene {wrong}: {text}");
    }
    assert!(md.stderr.contains("cumplimiento: no se calcula"), "{}", md.stderr);
    let json = report_month(&cases, &history, "2024-09", &["--format", "json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout_bytes).unwrap();
    assert_eq!(value["population"], 0);
    assert_eq!(value["sample_size"], 0);
    assert!(value["sample_compliance"].is_null(), "{value}");
    assert!(value["population_compliance"].is_null(), "{value}");
    assert_eq!(value["overdue"].as_array().unwrap().len(), 2);
    let html = report_month(&cases, &history, "2024-09", &["--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    assert_well_formed(&html.utf8_stdout());
    assert!(!html.utf8_stdout().contains("NaN"));
    let xlsx = dir.join("informe.xlsx");
    let run = report_month(&cases, &history, "2024-09", &["--output", xlsx.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = document_check(&xlsx);
    assert_eq!(check.code, 0, "{}", check.utf8_stdout());
    assert!(!check.utf8_stdout().contains("aviso["), "{}", check.utf8_stdout());
    let mut workbook: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(workbook.worksheet_range("Vencidos").unwrap().height(), 3);
    let summary = workbook.worksheet_range("Resumen").unwrap();
    assert!(
        summary.rows().any(|row| row[1]
            .to_string()
            .contains("no se puede calcular el cumplimiento")),
        "{summary:?}"
    );

    // With neither solved nor overdue cases (a month before the export): exit 3, said plainly.
    let empty = report_month(&cases, &history, "2024-07", &[]);
    assert_eq!(empty.code, 3, "{}", empty.stderr);
    assert!(empty.stdout_bytes.is_empty());
    assert!(
        empty
            .stderr
            .contains("ni había casos abiertos vencidos al cierre del mes"),
        "{}",
        empty.stderr
    );
}

/// `--meses` lists the months of the export with the numbers each month's report shows: the
/// solved cases (its population) and the overdue ones at its end.
#[test]
fn months_are_listed_with_their_population_and_overdue_cases() {
    let base = ["report", "--cases", CASES, "--history", HISTORY, "--meses"];
    let table = pauta(&base);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let text = table.utf8_stdout();
    assert!(
        text.starts_with("Mes       Solucionados (población)  Abiertos vencidos al cierre\n"),
        "{text}"
    );
    let mut args = base.to_vec();
    args.extend(["--format", "json"]);
    let json = pauta(&args);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let months: serde_json::Value = serde_json::from_slice(&json.stdout_bytes).unwrap();
    let months = months.as_array().unwrap();
    let keys: Vec<&str> = months.iter().map(|m| m["month"].as_str().unwrap()).collect();
    assert!(keys.contains(&"2024-06"), "{keys:?}");
    for window in keys.windows(2) {
        assert!(window[0] < window[1], "{keys:?}");
    }
    // Each month's figures are its report's.
    for month in &months[..] {
        let key = month["month"].as_str().unwrap();
        let report = pauta(&[
            "report",
            "--cases",
            CASES,
            "--history",
            HISTORY,
            "--month",
            key,
            "--format",
            "json",
        ]);
        if month["solved"] == 0 && month["overdue"] == 0 {
            assert_eq!(report.code, 3, "{key}: {}", report.stderr);
            continue;
        }
        assert_eq!(report.code, 0, "{key}: {}", report.stderr);
        let value: serde_json::Value = serde_json::from_slice(&report.stdout_bytes).unwrap();
        assert_eq!(value["population"], month["solved"], "{key}");
        assert_eq!(
            value["overdue"].as_array().unwrap().len() as u64,
            month["overdue"].as_u64().unwrap(),
            "{key}"
        );
        let line = text
            .lines()
            .find(|line| line.starts_with(key))
            .unwrap()
            .split_whitespace()
            .skip(1)
            .map(|n| n.parse::<u64>().unwrap())
            .collect::<Vec<_>>();
        assert_eq!(
            line,
            [
                month["solved"].as_u64().unwrap(),
                month["overdue"].as_u64().unwrap()
            ]
        );
    }
    // No report file is written and --month makes no sense with it.
    let mut args = base.to_vec();
    args.extend(["--month", "2024-06"]);
    assert_eq!(pauta(&args).code, 2);
}

/// Without `--month`, the month before `--generated-at` (or before today, Bogotá), and stderr
/// says which month was taken and how to pick another.
#[test]
fn the_month_defaults_to_the_previous_calendar_month() {
    let defaulted = pauta(&[
        "report",
        "--cases",
        CASES,
        "--history",
        HISTORY,
        "--generated-at",
        GENERATED_AT,
    ]);
    assert_eq!(defaulted.code, 0, "{}", defaulted.stderr);
    assert!(
        defaulted
            .stderr
            .contains("mes: 2024-06 (el mes calendario anterior; para otro indique --month AAAA-MM)"),
        "{}",
        defaulted.stderr
    );
    assert_eq!(defaulted.stdout_bytes, report(CASES, HISTORY, &[]).stdout_bytes);
    let explicit = report(CASES, HISTORY, &[]);
    assert!(!explicit.stderr.contains("mes: "), "{}", explicit.stderr);

    let today = pauta(&["report", "--cases", CASES, "--history", HISTORY]);
    let now = chrono::Utc::now().naive_utc() - chrono::Duration::hours(5);
    let first = chrono::NaiveDate::from_ymd_opt(
        chrono::Datelike::year(&now.date()),
        chrono::Datelike::month(&now.date()),
        1,
    )
    .unwrap();
    let previous = first.pred_opt().unwrap().format("%Y-%m").to_string();
    assert!(
        today
            .stderr
            .contains(&format!("mes: {previous} (el mes calendario anterior")),
        "{}",
        today.stderr
    );
}

/// The text of one part of an xlsx (a zip).
fn xlsx_part(path: &Path, part: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut archive.by_name(part).unwrap(), &mut text).unwrap();
    text
}

/// The value of attribute `name` in the XML tag `tag`.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let end = tag[start..].find('"')? + start;
    Some(&tag[start..end])
}

/// The XML part of the sheet named `name` (sheets are written in order: sheet1.xml, …).
fn sheet_part(path: &Path, name: &str) -> String {
    let workbook: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let index = workbook.sheet_names().iter().position(|n| n == name).unwrap();
    xlsx_part(path, &format!("xl/worksheets/sheet{}.xml", index + 1))
}

/// The `<xf>` of cell `reference` (e.g. `B2`) in a sheet part, from `xl/styles.xml`.
fn cell_style(path: &Path, sheet: &str, reference: &str) -> String {
    let part = sheet_part(path, sheet);
    let at = part.find(&format!("<c r=\"{reference}\"")).unwrap();
    let tag = &part[at..at + part[at..].find('>').unwrap()];
    let index: usize = attribute(tag, "s").unwrap_or("0").parse().unwrap();
    let styles = xlsx_part(path, "xl/styles.xml");
    let xfs = styles.split("<cellXfs").nth(1).unwrap();
    xfs.split("<xf ").nth(index + 1).unwrap().to_owned()
}

const HOSTILE_ID: &str = "=HYPERLINK(\"http://x\"&A1,\"ver\")";
const HOSTILE_CATEGORY: &str = "=1+1 <b>x</b> | *y* _z_ & `c`";

/// A policy folder whose category «Diseño de piezas comerciales» is renamed to a hostile name,
/// and an export with hostile case ids solved in August 2024 (and one overdue at its end).
fn hostile_export(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let policies = dir.join("politicas");
    std::fs::create_dir_all(policies.join("M1-3-06")).unwrap();
    std::fs::create_dir_all(policies.join("calendarios")).unwrap();
    let pinned = root().join(common::PINNED);
    let policy = std::fs::read_to_string(pinned.join("M1-3-06/v11.pauta"))
        .unwrap()
        .replace(
            "categoría \"Diseño de piezas comerciales\"",
            &format!("categoría \"{HOSTILE_CATEGORY}\""),
        );
    assert!(policy.contains(HOSTILE_CATEGORY));
    std::fs::write(policies.join("M1-3-06/v11.pauta"), policy).unwrap();
    std::fs::copy(
        pinned.join("calendarios/colombia.pauta"),
        policies.join("calendarios/colombia.pauta"),
    )
    .unwrap();
    let (cases, history) = small_export(
        dir,
        &[
            (
                HOSTILE_ID,
                HOSTILE_CATEGORY,
                "05/08/2024 09:00:00",
                Some("08/08/2024 10:00:00"),
            ),
            (
                "<script>alert(1)</script>",
                "Publicación de archivos en la web",
                "06/08/2024 09:00:00",
                Some("09/08/2024 10:00:00"),
            ),
            (
                "a|b",
                "Publicación de archivos en la web",
                "07/08/2024 09:00:00",
                Some("12/08/2024 15:00:00"),
            ),
            (
                "\\*x*_y_`z`[w]",
                HOSTILE_CATEGORY,
                "08/08/2024 09:00:00",
                Some("13/08/2024 15:00:00"),
            ),
            ("-9", HOSTILE_CATEGORY, "01/08/2024 09:00:00", None),
        ],
    );
    (policies, cases, history)
}

fn hostile_report(dir: &Path, policies: &Path, cases: &Path, history: &Path, extra: &[&str]) -> Ran {
    let mut args = vec![
        "report",
        "--policies",
        policies.to_str().unwrap(),
        "--cases",
        cases.to_str().unwrap(),
        "--history",
        history.to_str().unwrap(),
        "--month",
        "2024-08",
        "--generated-at",
        "2024-09-01 08:00:00",
    ];
    args.extend_from_slice(extra);
    Pauta::new(&args).current_dir(dir).run()
}

/// Values from the export (case ids) and from the policy (category names) can neither break a
/// Markdown table, nor inject HTML, nor run as a formula in Excel; the workbook keeps dates as
/// dates and numbers as numbers, with Spanish headers.
#[test]
fn hostile_ids_and_categories_are_escaped_in_every_format() {
    let dir = scratch("hostiles");
    let (policies, cases, history) = hostile_export(&dir);

    let md = hostile_report(&dir, &policies, &cases, &history, &[]);
    assert_eq!(md.code, 0, "{}", md.stderr);
    let text = md.utf8_stdout();
    assert!(!text.contains("<script>") && !text.contains("<b>"), "{text}");
    let sample = text
        .split("## Muestra")
        .nth(1)
        .unwrap()
        .split("\n\n")
        .nth(1)
        .unwrap();
    let lines: Vec<&str> = sample.lines().collect();
    assert_eq!(lines.len(), 2 + 4, "{sample}");
    // Every row has as many unescaped `|` as the header.
    let pipes = |line: &str| line.replace("\\|", "").matches('|').count();
    for line in &lines {
        assert_eq!(pipes(line), pipes(lines[0]), "{line}");
    }
    assert!(text.contains("| a\\|b |"), "{text}");
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{text}");
    assert!(text.contains("\\\\\\*x\\*\\_y\\_\\`z\\`\\[w\\]"), "{text}");
    assert!(
        text.contains("=1+1 &lt;b&gt;x&lt;/b&gt; \\| \\*y\\* \\_z\\_ &amp; \\`c\\`"),
        "{text}"
    );

    let html = hostile_report(&dir, &policies, &cases, &history, &["--format", "html"]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    let page = html.utf8_stdout();
    assert_well_formed(&page);
    assert!(
        !page.contains("<script") && !page.contains("<b>"),
        "contiene marcado del archivo"
    );
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("=HYPERLINK(&quot;http://x&quot;&amp;A1,&quot;ver&quot;)"));

    let path = dir.join("informe.xlsx");
    let run = hostile_report(
        &dir,
        &policies,
        &cases,
        &history,
        &["--output", path.to_str().unwrap()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sample = workbook.worksheet_range("Muestra").unwrap();
    let header: Vec<String> = sample
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header,
        [
            "Orden",
            "Caso",
            "SHA-256 de semilla:caso",
            "Categoría",
            "Excepción",
            "Versión",
            "Recibido",
            "Plazo",
            "Solución",
            "Resultado",
            "Días hábiles usados",
            "Días hábiles disponibles",
            "ANS (días hábiles)",
            "Días de retraso",
            "Hallazgos"
        ]
    );
    let (row, hostile) = sample
        .rows()
        .enumerate()
        .find(|(_, row)| row[1] == Data::String(HOSTILE_ID.to_owned()))
        .expect("el caso con fórmula es texto, igual al del archivo");
    assert_eq!(hostile[3], Data::String(HOSTILE_CATEGORY.to_owned()));
    assert!(matches!(hostile[6], Data::DateTime(_)), "{:?}", hostile[6]);
    assert!(matches!(hostile[8], Data::DateTime(_)), "{:?}", hostile[8]);
    for col in [0, 5, 10, 11, 12, 13] {
        assert!(
            matches!(hostile[col], Data::Float(_)),
            "{col}: {:?}",
            hostile[col]
        );
    }
    let reference = format!("B{}", row + 1);
    assert!(
        cell_style(&path, "Muestra", &reference).contains("quotePrefix=\"1\""),
        "{}",
        cell_style(&path, "Muestra", &reference)
    );
    assert!(cell_style(&path, "Muestra", &format!("D{}", row + 1)).contains("quotePrefix=\"1\""));
    // Also in the overdue list and the review sheet; an ordinary id has no prefix.
    let overdue = workbook.worksheet_range("Vencidos").unwrap();
    assert_eq!(overdue.get((1, 1)), Some(&Data::String("-9".to_owned())));
    assert!(cell_style(&path, "Vencidos", "B2").contains("quotePrefix=\"1\""));
    let review = workbook.worksheet_range("Revisión").unwrap();
    let review_row = review
        .rows()
        .position(|r| r[1] == Data::String(HOSTILE_ID.to_owned()))
        .unwrap();
    assert!(cell_style(&path, "Revisión", &format!("B{}", review_row + 1)).contains("quotePrefix=\"1\""));
    let plain = sample
        .rows()
        .position(|r| r[1] == Data::String("a|b".to_owned()))
        .unwrap();
    assert!(!cell_style(&path, "Muestra", &format!("B{}", plain + 1)).contains("quotePrefix"));
    let check = document_check(&path);
    assert_eq!(check.code, 0, "{}", check.utf8_stdout());
    assert!(!check.utf8_stdout().contains("aviso["), "{}", check.utf8_stdout());
    // No cell of the workbook is a formula.
    for name in workbook.sheet_names() {
        assert!(!sheet_part(&path, &name).contains("<f>"), "{name}");
    }
}

/// Reproduction (issue 15, item 4): the tables showed «Días hábiles usados» beside the ANS, and a
/// case at 6,04 of 6 «cumple» read as an error (the reception day is extra). They now show the
/// days available — `pauta explain`'s «disponible», pauses counted as the engine counts them.
#[test]
fn days_available_are_explains_disponible() {
    let value = json(&[]);
    let mut checked = 0;
    let cases: Vec<&serde_json::Value> = value["sample"]
        .as_array()
        .unwrap()
        .iter()
        .chain(value["overdue"].as_array().unwrap())
        .collect();
    let mut beyond_ans = 0;
    for case in cases {
        let id = case["case_id"].as_str().unwrap();
        let explained = pauta(&[
            "explain",
            "--cases",
            CASES,
            "--history",
            HISTORY,
            "--as-of",
            "2024-06-30 23:59:59",
            id,
        ]);
        assert_eq!(explained.code, 0, "{}", explained.stderr);
        let text = explained.utf8_stdout();
        // Explain states the time available in words, to the minute: «… (115 h 48 min hábiles).»
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with("Disponible, de la recepción"))
            .unwrap_or_else(|| panic!("{id}: no «Disponible» line in\n{text}"));
        let available_minutes = minutes_in_words(line).unwrap_or_else(|| panic!("{id}: {line}"));
        let available = case["business_seconds_available"].as_i64().unwrap();
        assert_eq!(available / 60, available_minutes, "{id}: {line}");
        let used = case["business_seconds_used"].as_i64().unwrap();
        let met = case["outcome"] == "met";
        assert_eq!(met, used <= available, "{id}: {used} frente a {available}");
        if case["business_days_available"].as_f64().unwrap() > case["ans_business_days"].as_f64().unwrap() {
            beyond_ans += 1;
        }
        checked += 1;
    }
    assert!(checked > 80);
    assert!(beyond_ans > 0, "ningún caso con el día de recepción contado");
    // The CSV carries them as new last columns; the first fifteen are unchanged.
    let csv = report(CASES, HISTORY, &["--format", "csv"]);
    let mut reader = csv::Reader::from_reader(csv.stdout_bytes.as_slice());
    let headers: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        headers[13..],
        [
            "days_late",
            "findings",
            "business_seconds_available",
            "business_days_available"
        ]
    );
}

/// The section titles of a report, as keys shared by the three formats.
fn section_key(title: &str) -> &'static str {
    let keys = [
        ("Conclusión", "conclusion"),
        ("Cumplimiento por categoría", "categorias"),
        ("Por categoría", "categorias"),
        ("Cumplimiento", "cumplimiento"),
        ("Entradas", "entradas"),
        ("Método", "metodo"),
        ("Muestra", "muestra"),
        ("Casos que incumplen", "incumplen"),
        ("Incumplen", "incumplen"),
        ("Casos abiertos vencidos", "vencidos"),
        ("Vencidos", "vencidos"),
        ("Hallazgos", "hallazgos"),
        ("Resultados por semana", "semanas"),
        ("Semanas", "semanas"),
        ("Días hábiles usados", "uso"),
        ("Uso del ANS", "uso"),
        ("Cómo repetir", "repetir"),
        ("Revisión", "revision"),
    ];
    keys.iter()
        .find(|(prefix, _)| title.starts_with(prefix))
        .map(|(_, key)| *key)
        .unwrap_or_else(|| panic!("sección desconocida: {title}"))
}

/// One section order in Markdown, HTML and the workbook (whose «Resumen» holds the conclusion
/// and the compliance); the method reads as plain Spanish in HTML and XLSX; dates do not wrap.
#[test]
fn sections_come_in_one_order_and_the_method_is_plain_spanish() {
    let dir = scratch("orden");
    let md = report(CASES, HISTORY, &[]).utf8_stdout();
    let md_sections: Vec<&str> = md
        .lines()
        .filter_map(|line| line.strip_prefix("## "))
        .map(section_key)
        .collect();
    let html = report(CASES, HISTORY, &["--format", "html"]).utf8_stdout();
    let html_sections: Vec<&str> = html
        .split("<h2>")
        .skip(1)
        .map(|part| section_key(part.split("</h2>").next().unwrap()))
        .collect();
    assert_eq!(html_sections, md_sections);
    assert_eq!(md_sections.last(), Some(&"revision"));
    let path = dir.join("informe.xlsx");
    let run = report(CASES, HISTORY, &["--output", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheets = workbook.sheet_names();
    assert_eq!(sheets[0], "Resumen");
    let sheet_sections: Vec<&str> = sheets[1..].iter().map(|name| section_key(name)).collect();
    let without_summary: Vec<&str> = md_sections
        .iter()
        .copied()
        .filter(|key| !["conclusion", "cumplimiento"].contains(key))
        .collect();
    assert_eq!(sheet_sections, without_summary);
    assert_eq!(&md_sections[..2], ["conclusion", "cumplimiento"]);

    // Método: no Markdown syntax in HTML or in the workbook.
    let method_html = html
        .split("<section id=\"metodo\">")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(
        method_html.contains("<code>M1-3-06:2024-06</code>"),
        "{method_html}"
    );
    for syntax in ['`', '*'] {
        assert!(!method_html.contains(syntax), "{method_html}");
    }
    let method = workbook.worksheet_range("Método").unwrap();
    for row in method.rows().skip(1) {
        let line = row[0].to_string();
        assert!(!line.contains('`') && !line.contains('*'), "{line}");
    }
    assert!(
        method
            .rows()
            .any(|row| row[0].to_string().contains("«M1-3-06:2024-06»")),
        "{method:?}"
    );

    // Dates never wrap: nowrap cells in HTML, wide enough columns in the workbook.
    assert!(html.contains("td.d { white-space: nowrap;"));
    assert!(
        html.contains("<td class=\"d\">2024-"),
        "celdas de fecha sin clase"
    );
    let sheet = sheet_part(&path, "Muestra");
    // Recibido, Plazo, Solución: columns 7–9 (rust_xlsxwriter groups equal widths).
    let cols = sheet
        .split("<cols>")
        .nth(1)
        .unwrap()
        .split("</cols>")
        .next()
        .unwrap();
    for column in [7u32, 8, 9] {
        let tag = cols
            .split("<col ")
            .find(|tag| {
                let min: u32 = attribute(&format!(" {tag}"), "min").map_or(0, |v| v.parse().unwrap());
                let max: u32 = attribute(&format!(" {tag}"), "max").map_or(0, |v| v.parse().unwrap());
                (min..=max).contains(&column)
            })
            .unwrap();
        let width: f64 = attribute(&format!(" {tag}"), "width").unwrap().parse().unwrap();
        assert!(width >= 19.0, "columna {column}: {width}");
    }
}

/// The reviewer's sheet: the sample, empty «Revisado» (Sí/No list) and «Observación» columns,
/// frozen header, and the lines to sign below the table; the HTML carries the same section.
#[test]
fn the_review_sheet_is_ready_to_fill_in_and_sign() {
    let dir = scratch("revision");
    let path = dir.join("informe.xlsx");
    let run = report(CASES, HISTORY, &["--output", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let value = json(&[]);
    let n = value["sample_size"].as_u64().unwrap() as usize;
    let mut workbook: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        workbook.sheet_names().last().map(String::as_str),
        Some("Revisión")
    );
    let review = workbook.worksheet_range("Revisión").unwrap();
    let rows: Vec<&[Data]> = review.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "Orden",
            "Caso",
            "Categoría",
            "Resultado",
            "Días hábiles usados",
            "Días hábiles disponibles",
            "Revisado (Sí/No)",
            "Observación"
        ]
    );
    for (index, case) in value["sample"].as_array().unwrap().iter().enumerate() {
        let row = rows[index + 1];
        assert_eq!(row[0], Data::Float((index + 1) as f64));
        assert_eq!(row[1], Data::String(case["case_id"].as_str().unwrap().to_owned()));
        assert!(matches!(row[4], Data::Float(_)) && matches!(row[5], Data::Float(_)));
        assert_eq!(row[6], Data::Empty);
        assert_eq!(row[7], Data::Empty);
    }
    let below: Vec<String> = rows[n + 1..]
        .iter()
        .flat_map(|row| row.iter().map(|c| c.to_string()))
        .filter(|c| !c.is_empty())
        .collect();
    for label in [
        "Casos revisados:",
        "Revisó:",
        "Cargo:",
        "Fecha:",
        "Firma:",
        &format!("de {n}"),
    ] {
        assert!(below.iter().any(|c| c == label), "falta «{label}»: {below:?}");
    }
    let sheet = sheet_part(&path, "Revisión");
    assert!(sheet.contains("ySplit=\"1\""), "encabezado sin inmovilizar");
    assert!(
        sheet.contains("<dataValidation type=\"list\"")
            && sheet.contains(&format!("sqref=\"G2:G{}\"", n + 1)),
        "{sheet}"
    );
    assert!(sheet.contains("<formula1>\"Sí,No\"</formula1>"), "{sheet}");

    let html = report(CASES, HISTORY, &["--format", "html"]).utf8_stdout();
    let section = html.split("<section id=\"revision\">").nth(1).unwrap();
    let table = section.split("</table>").next().unwrap();
    assert_eq!(table.matches("<tr>").count(), n + 1);
    assert_eq!(table.matches("<td class=\"blank\"></td>").count(), 2 * n);
    assert!(section.contains(&format!("Casos revisados: ________ de {n}")));
    assert!(section.contains("Firma: "));
}

/// The business time at the end of an explain line, in minutes: `(115 h 48 min hábiles).`,
/// `(4 624 h hábiles).`, or without parentheses `: 8 h 10 min hábiles.`; seconds count as none.
fn minutes_in_words(line: &str) -> Option<i64> {
    let inside = match line.rsplit_once('(') {
        Some((_, rest)) if rest.contains(" hábiles)") => rest.split(" hábiles)").next()?,
        _ => line.rsplit_once(": ")?.1.split(" hábiles").next()?,
    };
    let mut minutes = 0;
    let mut number = String::new();
    for word in inside.split_whitespace() {
        match word {
            "h" => {
                minutes += number.parse::<i64>().ok()? * 60;
                number.clear();
            }
            "min" => {
                minutes += number.parse::<i64>().ok()?;
                number.clear();
            }
            "segundos" | "segundo" => number.clear(),
            digits => number.push_str(digits),
        }
    }
    Some(minutes)
}
