//! `pauta explain` speaks to service-desk professionals and auditors, not to engineers (issue 15,
//! item 6): the real binary on the shipped example (`examples/aranda-2024/`), on a case of every
//! outcome it has (with pauses, with an exception, with findings, without history rows), with and
//! without `--history`. No comparison symbols outside the rule's `expresión:` line, no bare seconds,
//! no English outcome codes, and where days late are given, the rule that counts them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::collections::HashMap;

use common::example;
use common::run::Pauta;

/// A cut after the example's last case, when a few open cases are already overdue.
const AS_OF: &str = "2024-07-15 00:00:00";

/// Met (with a pause; plain; exception), breached (plain; with findings; exception with a pause),
/// open on time (exception with a pause; no history rows), open overdue (with a pause and a failed
/// rule), annulled (with a pause).
const CASES: [&str; 10] = [
    "100001", "100002", "100009", "100055", "100052", "100464", "100457", "100477", "100441", "100025",
];

/// `pauta <subcommand>` on the example's cases (and history if `history`) with the pinned
/// policies.
fn pauta(subcommand: &str, history: bool) -> Pauta {
    let command = Pauta::new([subcommand])
        .pinned()
        .arg("--cases")
        .arg(example("casos.csv"))
        .args(["--as-of", AS_OF]);
    if history {
        command.arg("--history").arg(example("historial.csv"))
    } else {
        command
    }
}

/// `case_id` → (`outcome`, `days_late`) as `pauta evaluate` writes them.
fn evaluated(history: bool) -> HashMap<String, (String, String)> {
    let output = pauta("evaluate", history).run().success();
    let mut reader = csv::Reader::from_reader(output.stdout_bytes.as_slice());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (id, outcome, late) = (column("case_id"), column("outcome"), column("days_late"));
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            (
                record[id].to_owned(),
                (record[outcome].to_owned(), record[late].to_owned()),
            )
        })
        .collect()
}

fn spanish(outcome: &str) -> &'static str {
    match outcome {
        "met" => "cumple",
        "breached" => "incumple",
        "open_on_time" => "en curso",
        "open_overdue" => "vencido",
        "annulled" => "anulado",
        other => panic!("unknown outcome {other}"),
    }
}

/// Every way `text` still speaks to engineers.
fn problems(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let prose = !line.trim_start().starts_with("expresión:");
        if prose {
            for symbol in ['≤', '≥', '<', '>'] {
                if line.contains(symbol) {
                    found.push(format!("símbolo {symbol} en: {line}"));
                }
            }
        }
        if line.contains(" s (") {
            found.push(format!("segundos en: {line}"));
        }
        let words: Vec<&str> = line
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        for pair in words.windows(2) {
            if pair[1] == "s" && pair[0].chars().all(|c| c.is_ascii_digit()) {
                found.push(format!("«{} s» en: {line}", pair[0]));
            }
        }
        for english in [
            "met",
            "breached",
            "open_on_time",
            "open_overdue",
            "annulled",
            "pending",
            "overdue",
            "late",
            "ontime",
        ] {
            if words.iter().any(|w| w.eq_ignore_ascii_case(english)) {
                found.push(format!("«{english}» en: {line}"));
            }
        }
    }
    found
}

#[test]
fn explain_speaks_plain_spanish_for_every_outcome() {
    for history in [true, false] {
        let expected = evaluated(history);
        let mut outcomes: Vec<&str> = Vec::new();
        for case in CASES {
            let text = pauta("explain", history).arg(case).run().success().stdout;
            let (outcome, days_late) = &expected[case];
            outcomes.push(spanish(outcome));

            let problems = problems(&text);
            assert!(
                problems.is_empty(),
                "caso {case}, historial {history}:\n{}\n\n{text}",
                problems.join("\n")
            );
            assert!(
                text.contains(&format!("   Resultado: {}.\n", spanish(outcome))),
                "caso {case}: {text}"
            );
            assert!(
                text.contains("en días hábiles de 9 h") || outcome == "annulled",
                "{text}"
            );
            if days_late == "0" {
                assert!(!text.contains("Días de retraso"), "caso {case}: {text}");
            } else {
                let unit = if days_late == "1" {
                    "día hábil"
                } else {
                    "días hábiles"
                };
                assert!(
                    text.contains(&format!("Días de retraso: {days_late} {unit}. Se cuentan en días hábiles completos de 9 h, redondeando hacia arriba: todo día hábil empezado cuenta como un día entero de retraso. Aquí, ")),
                    "caso {case}: {text}"
                );
            }
            if text.contains("10. Reglas") {
                assert!(text.contains("se aplica cuando "), "{text}");
                assert!(text.contains("exige: el caso adjunta la evidencia «"), "{text}");
                assert!(text.contains("expresión: cuando `"), "{text}");
            }
            if !history {
                assert!(
                    text.contains("no se indicó archivo de historial con --history"),
                    "{text}"
                );
            }
        }
        outcomes.sort_unstable();
        outcomes.dedup();
        assert_eq!(
            outcomes,
            ["anulado", "cumple", "en curso", "incumple", "vencido"],
            "historial {history}"
        );
    }
}

/// The checks themselves catch what `explain` used to print.
#[test]
fn the_checks_catch_the_old_wording() {
    let old = "5. Pausas:\n     «Suspendido» de a: 51526 s (14 h 18 min)\n\
               8. Comparación: usado 191771 s; disponible 416895 s; ≤ disponible: cumple.\n   Resultado: cumple (met).\n";
    let found = problems(old);
    assert!(found.iter().any(|p| p.starts_with("símbolo ≤")), "{found:?}");
    assert!(found.iter().any(|p| p.starts_with("segundos")), "{found:?}");
    assert!(found.iter().any(|p| p.starts_with("«191771 s»")), "{found:?}");
    assert!(found.iter().any(|p| p.starts_with("«met»")), "{found:?}");
    assert!(problems("         expresión: cuando `caso.dias_tarde > 2`").is_empty());
}
