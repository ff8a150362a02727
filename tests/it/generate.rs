//! `pauta generate`: determinism, policy conformance of the synthetic export, its realism rates,
//! and the command line. Everything runs on the pinned policies (`tests/fixtures/policies-v11/`),
//! so a version or holiday published under `policies/` changes none of it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use common::run::Pauta;
use pauta::calendar::BusinessDays;
use pauta::generate::{CASES_HEADER, GenerateOptions, GenerateSummary, HISTORY_HEADER, generate};
use pauta::policy::PolicySet;
use pauta::policy::model::{Clock, Policy, Reasons};
use pauta::text::match_key;

/// `pauta generate --policies tests/fixtures/policies-v11`.
fn pauta_generate() -> Pauta {
    Pauta::new(["generate"]).pinned()
}

/// A folder that does not exist yet, in a fresh scratch folder: `generate` creates it.
fn scratch(name: &str) -> PathBuf {
    common::scratch("generate", name).join("salida")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

struct Export {
    summary: GenerateSummary,
    cases: Vec<Vec<String>>,
    history: Vec<Vec<String>>,
    cases_bytes: Vec<u8>,
}

fn records(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn export(options: &GenerateOptions) -> Export {
    let set = common::pinned_set();
    let (mut cases, mut history) = (Vec::new(), Vec::new());
    let summary = generate(&set, options, &mut cases, &mut history).unwrap();
    Export {
        summary,
        cases: records(&cases),
        history: records(&history),
        cases_bytes: cases,
    }
}

fn parse_time(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%d/%m/%Y %H:%M:%S").unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn v11() -> Policy {
    common::pinned_set().find("M1-3-06@11").unwrap().clone()
}

fn business_days(policy: &Policy) -> BusinessDays {
    let set = common::pinned_set();
    BusinessDays::new(
        set.calendar(&policy.calendar).unwrap(),
        &policy.hours.workdays,
        2023,
        2025,
    )
    .unwrap()
}

/// Whether `from → to` with `reason` is allowed by the policy (checked straight from the model).
fn allowed(policy: &Policy, from: &str, to: &str, reason: &str) -> (bool, bool) {
    let mut pair = false;
    let mut ok = false;
    for t in &policy.transitions {
        if match_key(&t.from) == match_key(from) && match_key(&t.to) == match_key(to) {
            pair = true;
            ok |= match &t.reasons {
                Reasons::Any => true,
                Reasons::List(list) => list.iter().any(|r| match_key(r) == match_key(reason)),
            };
        }
    }
    (pair, ok)
}

/// Every problem the export shows, per case id (planted anomalies only, if the generator is right).
fn problems(policy: &Policy, export: &Export, now: NaiveDateTime) -> BTreeSet<String> {
    let days = business_days(policy);
    let initial = policy.states.iter().find(|s| s.initial).unwrap().name.clone();
    let solution = policy.states.iter().find(|s| s.solution).unwrap().name.clone();
    let auto = policy.auto_close.as_ref().unwrap();
    let mut bad = BTreeSet::new();
    for case in export.cases.iter().skip(1) {
        let id = &case[0];
        let rows: Vec<&Vec<String>> = export.history.iter().filter(|r| &r[0] == id).collect();
        let mut state = initial.clone();
        let mut last_solution: Option<NaiveDateTime> = None;
        for row in &rows {
            let (pair, reason_ok) = allowed(policy, &row[2], &row[3], &row[4]);
            if row[2] != state || !pair || !reason_ok {
                bad.insert(id.clone());
            }
            if row[3] == auto.to && match_key(&row[4]) == match_key(&auto.reason) {
                let solved = last_solution.unwrap();
                let due = days.add_business_days(solved.date(), auto.after_days).unwrap();
                assert_eq!(
                    parse_time(&row[1]),
                    due.and_time(solved.time()),
                    "case {id}: auto-close"
                );
            }
            if row[3] == solution {
                last_solution = Some(parse_time(&row[1]));
            }
            state = row[3].clone();
        }
        if case[2] != state {
            bad.insert(id.clone());
        }
        if state == solution {
            let solved = last_solution.unwrap();
            let due = days.add_business_days(solved.date(), auto.after_days).unwrap();
            if due.and_time(solved.time()) <= now {
                bad.insert(id.clone());
            }
        }
    }
    bad
}

fn options(cases: u64, seed: u64, anomalies: f64) -> GenerateOptions {
    GenerateOptions {
        cases,
        seed,
        from: date(2024, 1, 1),
        to: date(2024, 6, 30),
        anomaly_rate: anomalies,
        ..GenerateOptions::default()
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let run = |seed| {
        let set = common::pinned_set();
        let (mut cases, mut history) = (Vec::new(), Vec::new());
        generate(&set, &options(500, seed, 0.01), &mut cases, &mut history).unwrap();
        (cases, history)
    };
    assert_eq!(run(7), run(7));
    let (a, b) = (run(7), run(8));
    assert_ne!(a.0, b.0);
    assert_ne!(a.1, b.1);
}

#[test]
fn headers_and_formats_are_exact() {
    let export = export(&options(300, 1, 0.01));
    assert_eq!(export.cases[0], CASES_HEADER);
    assert_eq!(export.history[0], HISTORY_HEADER);
    let text = String::from_utf8(export.cases_bytes.clone()).unwrap();
    assert!(text.starts_with(
        "Caso,Servicio,Estado,Fecha de registro,Fecha de solución real,Fecha de cierre,Excepción,Adjuntos,Área solicitante\n"
    ));
    assert!(!text.starts_with('\u{feff}') && !text.contains('\r'));
    let is_date = |s: &str| {
        s.is_empty() || (s.len() == 19 && parse_time(s).format("%d/%m/%Y %H:%M:%S").to_string() == s)
    };
    for case in export.cases.iter().skip(1) {
        assert_eq!(case.len(), 9);
        assert!(case[0].bytes().all(|b| b.is_ascii_digit()));
        assert!(!case[3].is_empty());
        for field in &case[3..6] {
            assert!(is_date(field), "{field}");
        }
        for kind in case[7].split(';').filter(|k| !k.is_empty()) {
            assert!(["aprobacion_comunicaciones", "socializacion", "aprobacion_jefe"].contains(&kind));
        }
        assert!(!case[8].is_empty());
    }
    for row in export.history.iter().skip(1) {
        assert!(is_date(&row[1]) && !row[1].is_empty());
    }
}

#[test]
fn without_anomalies_every_row_follows_the_policy() {
    let policy = v11();
    let now = date(2024, 6, 30).and_hms_opt(23, 59, 59).unwrap();
    let export = export(&options(2_000, 3, 0.0));
    assert_eq!(export.summary.anomalies, 0);
    assert_eq!(problems(&policy, &export, now), BTreeSet::new());

    // Ids increase, cases are in registration order, history is by case then time.
    let ids: Vec<u64> = export
        .cases
        .iter()
        .skip(1)
        .map(|c| c[0].parse().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(ids[0], 100_001);
    let registered: Vec<NaiveDateTime> = export.cases.iter().skip(1).map(|c| parse_time(&c[3])).collect();
    assert!(registered.windows(2).all(|w| w[0] <= w[1]));
    let order: Vec<u64> = export
        .history
        .iter()
        .skip(1)
        .map(|r| r[0].parse().unwrap())
        .collect();
    assert!(order.windows(2).all(|w| w[0] <= w[1]));
    for w in export.history.iter().skip(1).collect::<Vec<_>>().windows(2) {
        if w[0][0] == w[1][0] {
            assert!(parse_time(&w[0][1]) < parse_time(&w[1][1]), "{w:?}");
        }
    }
    // Nothing happens after "now"; every case's history starts after its registration.
    let first_row = |id: &str| export.history.iter().find(|r| r[0] == id);
    for case in export.cases.iter().skip(1) {
        if let Some(row) = first_row(&case[0]) {
            assert!(parse_time(&row[1]) > parse_time(&case[3]));
            assert_eq!(row[2], "Registrado");
        } else {
            assert_eq!(case[2], "Registrado");
        }
    }
    assert!(export.history.iter().skip(1).all(|r| parse_time(&r[1]) <= now));

    // The export's dates agree with the history.
    for case in export.cases.iter().skip(1) {
        let rows: Vec<_> = export.history.iter().filter(|r| r[0] == case[0]).collect();
        let final_entry = rows
            .iter()
            .rev()
            .find(|r| policy.state(&r[3]).is_some_and(|s| s.clock == Clock::Final));
        assert_eq!(case[5], final_entry.map_or(String::new(), |r| r[1].clone()));
        let solved = match case[2].as_str() {
            "Solucionado" | "Cerrado" => rows
                .iter()
                .rev()
                .find(|r| r[3] == "Solucionado")
                .map(|r| r[1].clone()),
            _ => None,
        };
        assert_eq!(case[4], solved.unwrap_or_default(), "case {}", case[0]);
    }
}

#[test]
fn planted_anomalies_are_exactly_the_problems() {
    let policy = v11();
    let now = date(2024, 6, 30).and_hms_opt(23, 59, 59).unwrap();
    let export = export(&options(2_000, 4, 0.05));
    let found = problems(&policy, &export, now);
    assert_eq!(found.len() as u64, export.summary.anomalies);
    assert!(
        (60..=140).contains(&export.summary.anomalies),
        "{}",
        export.summary.anomalies
    );
}

#[test]
fn realism_rates() {
    let policy = v11();
    let export = export(&options(2_000, 5, 0.0));
    let cases = &export.cases[1..];
    let exceptions = cases.iter().filter(|c| !c[6].is_empty()).count();
    assert!((150..=250).contains(&exceptions), "exceptions: {exceptions}");
    assert_eq!(exceptions as u64, export.summary.exceptions);
    for c in cases.iter().filter(|c| !c[6].is_empty()) {
        let types = &policy.exceptions.as_ref().unwrap().types;
        assert!(
            types.iter().any(|t| match_key(&t.name) == match_key(&c[6])),
            "{}",
            c[6]
        );
    }
    // Every category appears; a few are spelled differently but still match.
    let mut seen = BTreeSet::new();
    let mut variants = 0;
    for c in cases {
        let category = policy
            .category(&c[1])
            .unwrap_or_else(|| panic!("unknown category {}", c[1]));
        seen.insert(category.name.clone());
        variants += usize::from(category.name != c[1]);
    }
    assert_eq!(seen.len(), policy.categories.len());
    assert!((40..=160).contains(&variants), "variants: {variants}");
    // Outside business hours (weekends, holidays, nights): about 15 %.
    let days = business_days(&policy);
    let outside = cases
        .iter()
        .map(|c| parse_time(&c[3]))
        .filter(|t| {
            !days.is_business_day(t.date()).unwrap()
                || t.time() < NaiveTime::from_hms_opt(8, 0, 0).unwrap()
                || t.time() > NaiveTime::from_hms_opt(17, 0, 0).unwrap()
        })
        .count();
    assert!((200..=400).contains(&outside), "outside hours: {outside}");
    let annulled = cases.iter().filter(|c| c[2] == "Anulado").count();
    assert!((40..=130).contains(&annulled), "annulled: {annulled}");
    let rows = export.history.len() - 1;
    assert!((7_000..=9_000).contains(&rows), "history rows: {rows}");
    assert!(cases.iter().any(|c| c[3].ends_with(" 17:00:00")));
    assert!(
        cases
            .iter()
            .any(|c| c[3].ends_with(" 08:59:59") || c[3].ends_with(" 09:00:00"))
    );
}

/// Business seconds from a fixed origin (DESIGN §3), computed independently of the generator.
fn position(days: &BusinessDays, t: NaiveDateTime) -> i64 {
    let origin = date(2023, 1, 1);
    let before = i64::from(days.business_days_between(origin, t.date()).unwrap());
    let opens = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
    if days.is_business_day(t.date()).unwrap() {
        let into = (t.time() - opens).num_seconds().clamp(0, 32_400);
        (before - 1) * 32_400 + into
    } else {
        before * 32_400
    }
}

#[test]
fn about_85_percent_meet_their_ans() {
    let policy = v11();
    let days = business_days(&policy);
    let export = export(&options(2_000, 6, 0.0));
    let (mut met, mut late) = (0, 0);
    for case in export.cases.iter().skip(1) {
        if case[4].is_empty() {
            continue;
        }
        let registered = parse_time(&case[3]);
        let regime = policy.exceptions.as_ref().unwrap();
        let (ans, same_day) = if case[6].is_empty() {
            let close = NaiveTime::from_hms_opt(17, 0, 0).unwrap();
            (policy.category(&case[1]).unwrap().ans, registered.time() <= close)
        } else {
            (regime.ans, registered.time() < regime.received_before)
        };
        let received = if same_day && days.is_business_day(registered.date()).unwrap() {
            registered.date()
        } else {
            days.next_business_day(registered.date()).unwrap()
        };
        let received_at = if received == registered.date() {
            registered.max(received.and_hms_opt(8, 0, 0).unwrap())
        } else {
            received.and_hms_opt(8, 0, 0).unwrap()
        };
        let n = if ans.counts_reception_day {
            ans.business_days - 1
        } else {
            ans.business_days
        };
        let due = days
            .add_business_days(received, n)
            .unwrap()
            .and_hms_opt(17, 0, 0)
            .unwrap();
        let solved = parse_time(&case[4]);
        // Paused: time in paused states between reception and the solution.
        let rows: Vec<_> = export.history.iter().filter(|r| r[0] == case[0]).collect();
        let mut paused = 0;
        for pair in rows.windows(2) {
            let state = policy.state(&pair[0][3]).unwrap();
            let (a, b) = (parse_time(&pair[0][1]), parse_time(&pair[1][1]));
            if state.clock == Clock::Paused && b <= solved && a >= received_at {
                paused += position(&days, b) - position(&days, a);
            }
        }
        if position(&days, solved) - paused <= position(&days, due) {
            met += 1;
        } else {
            late += 1;
        }
    }
    let share = met * 1000 / (met + late);
    assert!((800..=900).contains(&share), "met {met}, late {late}");
    assert_eq!(late as u64, export.summary.late);
}

#[test]
fn cli_writes_both_files_and_a_spanish_summary() {
    let dir = scratch("cli");
    let output = pauta_generate()
        .args([
            "--cases",
            "50",
            "--seed",
            "9",
            "--from",
            "2024-02-01",
            "--to",
            "2024-03-31",
            "--out",
        ])
        .arg(&dir)
        .run();
    let stderr = output.success().stderr;
    assert!(stderr.contains("Generados 50 casos"), "{stderr}");
    assert!(stderr.contains("semilla 9"), "{stderr}");
    assert!(
        stderr.contains("casos.csv") && stderr.contains("historial.csv"),
        "{stderr}"
    );
    let cases = std::fs::read_to_string(dir.join("casos.csv")).unwrap();
    assert_eq!(cases.lines().count(), 51);
    assert!(dir.join("historial.csv").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without the attachments column the export is the same but for that column, and evaluating
/// it makes the evidence rules fail in every case that needs evidence (the benchmark export
/// "with the rules firing").
#[test]
fn without_attachments_only_the_column_goes_and_the_evidence_rules_fire() {
    let with = export(&options(300, 11, 0.0));
    let without = export(&GenerateOptions {
        attachments_column: false,
        ..options(300, 11, 0.0)
    });
    let at = CASES_HEADER.iter().position(|h| *h == "Adjuntos").unwrap();
    assert_eq!(without.history, with.history);
    assert_eq!(without.summary, with.summary);
    for (plain, full) in without.cases.iter().zip(&with.cases) {
        let mut expected = full.clone();
        expected.remove(at);
        assert_eq!(plain, &expected);
    }
    let dir = scratch("sin-adjuntos");
    pauta_generate()
        .args(["--cases", "200", "--seed", "5", "--sin-adjuntos", "--out"])
        .arg(&dir)
        .run()
        .success();
    let cases = dir.join("casos.csv");
    let header = std::fs::read_to_string(&cases).unwrap();
    assert!(!header.lines().next().unwrap().contains("Adjuntos"), "{header}");
    let evaluated = Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(&cases)
        .arg("--history")
        .arg(dir.join("historial.csv"))
        .args(["--as-of", "2025-01-01 00:00:00", "--format", "json"])
        .run();
    let stdout = evaluated.success().stdout;
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let failing = rows
        .iter()
        .filter(|row| {
            row["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f.as_str().unwrap().starts_with("R00"))
        })
        .count();
    assert!(
        failing * 10 >= rows.len() * 9,
        "{failing} of {} cases fail a rule",
        rows.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cli_errors_exit_2_in_spanish() {
    let dir = scratch("errors");
    let run = |args: &[&str]| {
        let output = pauta_generate().args(args).arg("--out").arg(&dir).run();
        output.failure(2).stderr
    };
    assert!(run(&["--cases", "0", "--seed", "1"]).contains("mayor que cero"));
    assert!(
        run(&[
            "--cases",
            "5",
            "--seed",
            "1",
            "--from",
            "2024-05-01",
            "--to",
            "2024-04-01"
        ])
        .contains("posterior")
    );
    assert!(run(&["--cases", "5", "--seed", "1", "--from", "2020-01-01"]).contains("vigente"));
    assert!(run(&["--cases", "5", "--seed", "1", "--anomalies", "2"]).contains("anomalías"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_shipped_example_is_reproducible() {
    let set = common::pinned_set();
    let options = GenerateOptions {
        cases: 400,
        seed: 2024,
        from: date(2024, 1, 1),
        to: date(2024, 6, 30),
        ..GenerateOptions::default()
    };
    let (mut cases, mut history) = (Vec::new(), Vec::new());
    generate(&set, &options, &mut cases, &mut history).unwrap();
    assert_eq!(std::fs::read(common::example("casos.csv")).unwrap(), cases);
    assert_eq!(std::fs::read(common::example("historial.csv")).unwrap(), history);
}

#[test]
fn a_new_policy_version_changes_the_output_without_code_changes() {
    let root = common::pinned_dir();
    let v11 = std::fs::read_to_string(root.join("M1-3-06/v11.pauta")).unwrap();
    let v12 = v11
        .replace(
            "versión 11 vigente desde 2021-12-24",
            "versión 12 vigente desde 2024-04-01",
        )
        .replace(
            "\"Nueva sección en la web\"",
            "\"Nueva sección o micrositio en la web\"",
        )
        .replace(
            "razón \"Solución entregada\"",
            "razón \"Solución entregada al solicitante\"",
        );
    let calendar = std::fs::read_to_string(root.join("calendarios/colombia.pauta")).unwrap();
    let sources = [
        pauta::policy::SourceFile::new("M1-3-06/v11.pauta", &v11),
        pauta::policy::SourceFile::new("M1-3-06/v12.pauta", &v12),
        pauta::policy::SourceFile::new("calendarios/colombia.pauta", &calendar),
    ];
    let set = PolicySet::from_sources(&sources, &[]).unwrap();
    let (mut cases, mut history) = (Vec::new(), Vec::new());
    let summary = generate(&set, &options(1_500, 10, 0.0), &mut cases, &mut history).unwrap();
    assert_eq!(summary.policies, ["M1-3-06@11", "M1-3-06@12"]);
    let (cases, history) = (records(&cases), records(&history));
    let switch = date(2024, 4, 1);
    let new_name = |c: &Vec<String>| match_key(&c[1]).contains("micrositio");
    for case in cases.iter().skip(1) {
        let v12_case = parse_time(&case[3]).date() >= switch;
        assert!(v12_case || !new_name(case), "{case:?}");
        for row in history
            .iter()
            .filter(|r| r[0] == case[0] && r[3] == "Solucionado")
        {
            assert_eq!(row[4].ends_with("al solicitante"), v12_case, "{row:?}");
        }
    }
    assert!(cases.iter().any(new_name));
}
