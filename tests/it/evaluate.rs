//! Integration tests of `pauta evaluate`, `explain` and `mapping`: the real binary on the
//! committed exports under `tests/fixtures/aranda/` (`basica`: every outcome and finding,
//! `windows1252`: its Windows-1252 `;` twin with 12-hour Spanish dates, `malas`: every kind of
//! bad row). Snapshots live in `snapshots/`.
//!
//! Every run reads the pinned policies (`tests/fixtures/policies-v11/`, with `--policies`) except
//! the two that are about the shipped ones: the evaluation under every version of `policies/`
//! and the README's command on the shipped example.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::path::Path;

use common::aranda as fixture;
use common::run::{Pauta, Ran};

const AS_OF: &str = "2026-08-01 00:00:00";

fn evaluate(folder: &str, extra: &[&str]) -> Ran {
    evaluate_with(&common::pinned_dir(), folder, extra)
}

/// `pauta evaluate` of a fixture export with the policies of `policies`.
fn evaluate_with(policies: &Path, folder: &str, extra: &[&str]) -> Ran {
    Pauta::new(["evaluate", "--policies"])
        .arg(policies)
        .arg("--cases")
        .arg(fixture(&format!("{folder}/casos.csv")))
        .arg("--history")
        .arg(fixture(&format!("{folder}/historial.csv")))
        .args(["--as-of", AS_OF])
        .args(extra)
        .run()
}

fn snapshot(name: &str, value: &str) {
    common::snap::text(name, value);
}

#[test]
fn windows_1252_semicolon_twin_gives_identical_results() {
    let utf8 = evaluate("basica", &[]);
    let windows = evaluate("windows1252", &[]);
    assert_eq!(utf8.code, 0, "{}", utf8.stderr);
    assert_eq!(windows.code, 0, "{}", windows.stderr);
    assert_eq!(utf8.stdout, windows.stdout);
    // Every field of every line of both files (headers included) that is not UTF-8 is counted
    // once, whether the evaluation reads it or not.
    let not_utf8: usize = ["casos.csv", "historial.csv"]
        .iter()
        .map(|file| {
            csv::ReaderBuilder::new()
                .delimiter(b';')
                .has_headers(false)
                .flexible(true)
                .from_path(fixture(&format!("windows1252/{file}")))
                .unwrap()
                .byte_records()
                .map(|record| {
                    let record = record.unwrap();
                    record
                        .iter()
                        .filter(|field| std::str::from_utf8(field).is_err())
                        .count()
                })
                .sum::<usize>()
        })
        .sum();
    assert!(not_utf8 > 0);
    let expected = format!("codificación: {not_utf8} campo(s) no eran UTF-8 y se leyeron como Windows-1252");
    assert!(
        windows.stderr.contains(&expected),
        "{expected}\n{}",
        windows.stderr
    );
}

#[test]
fn every_row_is_used_and_the_summary_adds_up() {
    let run = evaluate("basica", &[]);
    assert!(
        run.stderr
            .contains("casos:     leídas 26 = evaluadas 26 + rechazadas 0"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("historial: leídas 74 = usadas 74 + rechazadas 0"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout.lines().count(), 27);
}

/// The evaluation of the fixed export under every version file of every procedure in
/// `policies/`: a new version file gets its own snapshot with no code change.
#[test]
fn evaluation_of_the_fixture_under_every_policy_version() {
    let root = common::root().join("policies");
    let mut versions = Vec::new();
    for folder in std::fs::read_dir(&root).unwrap().flatten() {
        let code = folder.file_name().to_string_lossy().into_owned();
        if code == "calendarios" || !folder.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(folder.path()).unwrap().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            if let Some(version) = name.strip_prefix('v').and_then(|n| n.strip_suffix(".pauta")) {
                versions.push((code.clone(), version.to_owned()));
            }
        }
    }
    versions.sort();
    assert!(!versions.is_empty());
    for (code, version) in versions {
        let run = evaluate_with(
            &root,
            "basica",
            &["--procedure", &code, "--pin-version", &version],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        snapshot(
            &format!("evaluation__{code}_v{version}"),
            // Without the policies line: it lists every file of the folder, and a new version's
            // file must not change the snapshot of this one.
            &format!(
                "{}\n--- resumen ---\n{}",
                run.stdout,
                run.stderr
                    .lines()
                    .filter(|line| !line.starts_with("políticas: "))
                    .map(|line| format!("{line}\n"))
                    .collect::<String>()
            ),
        );
    }
}

#[test]
fn json_lines_have_exactly_the_documented_keys() {
    let run = evaluate("basica", &["--format", "json"]);
    assert_eq!(run.code, 0);
    let first: serde_json::Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    let keys: Vec<&str> = first.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = pauta::cases::output::COLUMNS.to_vec();
    expected.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(first["deadline"], "2024-03-26T17:00:00-05:00");
    assert_eq!(run.stdout.lines().count(), 26);
    // `findings` has the report's shape: an array of labels, each once.
    let with_findings: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|row| row["case_id"] == "2011")
        .collect();
    assert_eq!(
        with_findings[0]["findings"],
        serde_json::json!(["H001", "H006", "H009"])
    );
    assert_eq!(first["findings"], serde_json::json!([]));
}

#[test]
fn every_kind_of_bad_row_is_rejected_with_its_line_and_reason() {
    let folder = common::scratch(
        "evaluate",
        "every_kind_of_bad_row_is_rejected_with_its_line_and_reason",
    );
    let rejected = folder.join("rechazadas.csv");
    let run = evaluate("malas", &["--rejected", rejected.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("casos:     leídas 14 = evaluadas 1 + rechazadas 13"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("historial: leídas 8 = usadas 1 + rechazadas 7"),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(&rejected).unwrap();
    snapshot("evaluate_rejected_rows", &text);
    snapshot(
        "evaluate_rejected_summary",
        &run.stderr.replace(rejected.to_str().unwrap(), "<rechazadas>"),
    );
    // Every data row of both files appears once: evaluated (stdout) or rejected (file).
    assert_eq!(
        text.lines().count() - 1 + run.stdout.lines().count() - 1,
        14 + 8 - 1
    );
}

#[test]
fn the_rejected_file_gets_a_default_path_that_is_printed() {
    let folder = common::scratch(
        "evaluate",
        "the_rejected_file_gets_a_default_path_that_is_printed",
    );
    let output = folder.join("salida.csv");
    let run = evaluate("malas", &["--output", output.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    let default = folder.join("rechazadas-casos.csv");
    assert!(default.exists());
    assert!(
        run.stderr.contains(&default.display().to_string()),
        "{}",
        run.stderr
    );
}

#[test]
fn missing_columns_stop_the_run_naming_expected_and_found_headers() {
    let folder = common::scratch(
        "evaluate",
        "missing_columns_stop_the_run_naming_expected_and_found_headers",
    );
    let cases = folder.join("casos.csv");
    std::fs::write(&cases, "Número,Servicio,Estado\n1,x,y\n").unwrap();
    let output = Pauta::new(["evaluate"])
        .pinned()
        .args(["--cases", cases.to_str().unwrap(), "--as-of", AS_OF])
        .run()
        .failure(2);
    let stderr = output.stderr;
    assert!(stderr.contains("error[E003]"), "{stderr}");
    assert!(
        stderr.contains("«Caso»") && stderr.contains("«Fecha de registro»"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Encabezados encontrados: «Número», «Servicio», «Estado»"),
        "{stderr}"
    );
}

#[test]
fn a_missing_file_is_exit_2() {
    Pauta::new(["evaluate"])
        .pinned()
        .args(["--cases", "no/existe.csv", "--as-of", AS_OF])
        .run()
        .failure(2)
        .stderr_has("error[E001]");
}

#[test]
fn a_mapping_file_renames_headers_and_texts() {
    let folder = common::scratch("evaluate", "a_mapping_file_renames_headers_and_texts");
    let cases = folder.join("casos.csv");
    std::fs::write(
        &cases,
        "Ticket;Tipo;Situación;Creado\n9;Piezas;Resuelto;05/03/2024 10:00\n",
    )
    .unwrap();
    let mapping = folder.join("asignacion.toml");
    std::fs::write(
        &mapping,
        "[cases]\nid = \"Ticket\"\ncategory = \"Tipo\"\nstate = \"Situación\"\nregistered = \"Creado\"\n\
         [categories]\n\"Piezas\" = \"Diseño de piezas comerciales\"\n[states]\n\"Resuelto\" = \"Solucionado\"\n",
    )
    .unwrap();
    let output = Pauta::new(["evaluate"])
        .pinned()
        .args(["--cases", cases.to_str().unwrap(), "--as-of", AS_OF])
        .args(["--mapping", mapping.to_str().unwrap()])
        .run()
        .success();
    let stdout = output.stdout;
    assert!(stdout.contains("9,Diseño de piezas comerciales,11,"), "{stdout}");
    assert!(stdout.contains(",H010"), "{stdout}");
}

#[test]
fn explain_tells_the_story_of_telling_cases() {
    for case in ["2001", "2007", "2011", "2021", "2022", "2025"] {
        let output = Pauta::new(["explain"])
            .pinned()
            .args([case, "--as-of", AS_OF])
            .arg("--cases")
            .arg(fixture("basica/casos.csv"))
            .arg("--history")
            .arg(fixture("basica/historial.csv"))
            .run()
            .success();
        let text = output
            .stdout
            .replace(fixture("").to_str().unwrap(), "<fixtures>/");
        snapshot(&format!("explain__{case}"), &text);
    }
}

#[test]
fn explain_of_a_rejected_or_unknown_case() {
    Pauta::new(["explain"])
        .pinned()
        .args(["3002", "--as-of", AS_OF])
        .arg("--cases")
        .arg(fixture("malas/casos.csv"))
        .run()
        .failure(1)
        .stdout_has("I001");
    Pauta::new(["explain"])
        .pinned()
        .args(["424242", "--as-of", AS_OF])
        .arg("--cases")
        .arg(fixture("malas/casos.csv"))
        .run()
        .failure(2)
        .stderr_has("error[E009]");
}

#[test]
fn mapping_prints_the_embedded_default() {
    let output = Pauta::new(["mapping"]).run().success();
    assert_eq!(output.stdout, pauta::cases::mapping::DEFAULT_MAPPING);
}

#[test]
fn the_data_formats_list_every_finding_and_rejection_code() {
    let readme = std::fs::read_to_string(common::root().join("docs/formatos.md")).unwrap();
    for code in pauta::cases::FindingCode::ALL {
        let row = format!("| {} | {} |", code.code(), code.meaning());
        assert!(readme.contains(&row), "docs/formatos.md lacks {row}");
    }
    for code in pauta::cases::RejectCode::ALL {
        let row = format!("| {} | {} |", code.code(), code.meaning());
        assert!(readme.contains(&row), "docs/formatos.md lacks {row}");
    }
}

/// The shipped example export evaluates with every row used.
#[test]
fn the_shipped_example_export_evaluates_cleanly() {
    let output = Pauta::new(["evaluate"])
        .arg("--cases")
        .arg(common::example("casos.csv"))
        .arg("--history")
        .arg(common::example("historial.csv"))
        .args(["--as-of", "2024-07-01 00:00:00"])
        .run()
        .success();
    let stderr = output.stderr;
    assert!(
        stderr.contains("casos:     leídas 400 = evaluadas 400 + rechazadas 0"),
        "{stderr}"
    );
    assert_eq!(output.stdout.lines().count(), 401);
}

#[test]
fn a_utf8_bom_and_crlf_line_ends_change_nothing() {
    let folder = common::scratch("evaluate", "a_utf8_bom_and_crlf_line_ends_change_nothing");
    for name in ["casos.csv", "historial.csv"] {
        let text = std::fs::read_to_string(fixture(&format!("basica/{name}"))).unwrap();
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(text.replace('\n', "\r\n").into_bytes());
        std::fs::write(folder.join(name), bytes).unwrap();
    }
    let output = Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(folder.join("casos.csv"))
        .arg("--history")
        .arg(folder.join("historial.csv"))
        .args(["--as-of", AS_OF])
        .run()
        .success();
    assert_eq!(output.stdout, evaluate("basica", &[]).stdout);
}

/// Windows exports end lines with CRLF; a rejected row must name its true line, in both files,
/// and blank CRLF lines are skipped as blank LF lines are.
#[test]
fn crlf_rows_are_rejected_with_their_true_line() {
    let folder = common::scratch("evaluate", "crlf_rows_are_rejected_with_their_true_line");
    let cases = folder.join("casos.csv");
    let history = folder.join("historial.csv");
    let rejected = folder.join("rechazadas.csv");
    std::fs::write(
        &cases,
        "Caso,Servicio,Estado,Fecha de registro\r\n\
         1,Nueva sección en la web,Registrado,2024-03-01 10:00:00\r\n\
         \r\n\
         2,Servicio raro,Registrado,2024-03-01 10:00:00\r\n",
    )
    .unwrap();
    std::fs::write(
        &history,
        "Caso,Fecha,Estado anterior,Estado nuevo,Razón\r\n\
         1,2024-03-01 11:00:00,Registrado,En proceso,\"Asignado\r\nal equipo\"\r\n\
         1,ayer,En proceso,Solucionado,Solución entregada\r\n",
    )
    .unwrap();
    Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(&cases)
        .arg("--history")
        .arg(&history)
        .args(["--as-of", "2024-04-01 00:00:00", "--rejected"])
        .arg(&rejected)
        .run()
        .failure(1);
    let text = std::fs::read_to_string(&rejected).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("casos;4;2;I001")), "{text}");
    assert!(
        lines.iter().any(|l| l.starts_with("historial;4;1;I003")),
        "{text}"
    );
}

/// `pauta evaluate … | head`: a reader that goes away ends the run quietly with exit 0.
#[test]
fn a_closed_pipe_ends_the_run_with_exit_0() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command as Process, Stdio};
    let folder = common::scratch("evaluate", "a_closed_pipe_ends_the_run_with_exit_0");
    Pauta::new(["generate"])
        .pinned()
        .args(["--cases", "3000", "--seed", "5", "--out"])
        .arg(&folder)
        .run()
        .success();
    // A raw process: the builder runs to the end, this test reads one line and goes away.
    let mut child = Process::new(common::run::binary())
        .arg("evaluate")
        .arg("--policies")
        .arg(common::pinned_dir())
        .arg("--cases")
        .arg(folder.join("casos.csv"))
        .arg("--history")
        .arg(folder.join("historial.csv"))
        .args(["--as-of", "2026-01-01 00:00:00", "--rejected"])
        .arg(folder.join("rechazadas.csv"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.starts_with("case_id,"), "{first}");
    // The reader is dropped here: the rest of the output has nowhere to go.
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("E006"), "{stderr}");
}

/// Lines ended by a lone CR (old Mac exporters) or a mix of CR, LF and CRLF: every row of both
/// files is read, the results are those of the LF original, and a rejected row names its line.
#[test]
fn cr_only_and_mixed_line_ends_read_every_row() {
    let expected = evaluate("basica", &[]);
    assert_eq!(expected.code, 0, "{}", expected.stderr);
    let mixed = |text: &str| {
        text.split_inclusive('\n')
            .enumerate()
            .map(|(index, line)| match index % 3 {
                0 => line.replace('\n', "\r"),
                1 => line.replace('\n', "\r\n"),
                _ => line.to_owned(),
            })
            .collect::<String>()
    };
    let convert = |name: &str, text: &str| match name {
        "cr" => text.replace('\n', "\r"),
        _ => mixed(text),
    };
    for name in ["cr", "mixed"] {
        let folder = common::scratch(
            "evaluate",
            &format!("cr_only_and_mixed_line_ends_read_every_row_{name}"),
        );
        for file in ["casos.csv", "historial.csv"] {
            let text = std::fs::read_to_string(fixture(&format!("basica/{file}"))).unwrap();
            std::fs::write(folder.join(file), convert(name, &text)).unwrap();
        }
        let output = Pauta::new(["evaluate"])
            .pinned()
            .arg("--cases")
            .arg(folder.join("casos.csv"))
            .arg("--history")
            .arg(folder.join("historial.csv"))
            .args(["--as-of", AS_OF])
            .run();
        let stderr = output.stderr;
        assert_eq!(output.code, 0, "{name}: {stderr}");
        assert_eq!(output.stdout, expected.stdout, "{name}: results differ");
        assert!(stderr.contains("leídas 26 = evaluadas 26"), "{name}: {stderr}");
    }

    // A rejected row of a CR-only file is reported on its true line.
    let folder = common::scratch("evaluate", "cr_only_and_mixed_line_ends_read_every_row_rejected");
    let cases = folder.join("casos.csv");
    let rejected = folder.join("rechazadas.csv");
    std::fs::write(
        &cases,
        "Caso,Servicio,Estado,Fecha de registro\r\
         1,Nueva sección en la web,Registrado,2024-03-01 10:00:00\r\
         \r\
         2,Servicio raro,Registrado,2024-03-01 10:00:00\r",
    )
    .unwrap();
    Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(&cases)
        .args(["--as-of", "2024-04-01 00:00:00", "--rejected"])
        .arg(&rejected)
        .run()
        .failure(1);
    let text = std::fs::read_to_string(&rejected).unwrap();
    assert!(text.lines().any(|l| l.starts_with("casos;4;2;I001")), "{text}");
}

/// Files that are not an export are refused with a bounded Spanish message that names what they
/// seem to be: UTF-32 (not "UTF-16"), UTF-16 without a byte-order mark, a workbook; and a
/// 200 KB garbage header is not echoed in full, nor its control bytes raw.
#[test]
fn files_that_are_not_exports_are_named_and_never_echoed_in_full() {
    let folder = common::scratch(
        "evaluate",
        "files_that_are_not_exports_are_named_and_never_echoed_in_full",
    );
    let utf16: Vec<u8> = "Caso,Servicio\n1,x\n"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut utf32 = vec![0xFF, 0xFE, 0, 0];
    utf32.extend("Caso\n".chars().flat_map(|c| (c as u32).to_le_bytes()));
    let mut garbage: Vec<u8> = (0..200_000_u32)
        .map(|i| b"ab\x01,;\x1b"[i as usize % 6])
        .collect();
    garbage.extend_from_slice(b"\n1,2\n");
    let files: [(&str, Vec<u8>, &str); 4] = [
        ("utf16.csv", utf16, "E004"),
        ("utf32.csv", utf32, "UTF-32"),
        (
            "libro.csv",
            b"PK\x03\x04\x14\x00\x00\x00".to_vec(),
            "libro de Excel",
        ),
        ("basura.csv", garbage, "E003"),
    ];
    for (name, bytes, expected) in files {
        let path = folder.join(name);
        std::fs::write(&path, bytes).unwrap();
        let output = Pauta::new(["evaluate"]).pinned().arg("--cases").arg(&path).run();
        let stderr = output.stderr;
        assert_eq!(output.code, 2, "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
        assert!(stderr.len() < 4_000, "{name}: {} bytes of message", stderr.len());
        assert!(
            !stderr.contains('\u{0}') && !stderr.contains('\u{1b}') && !stderr.contains('\u{1}'),
            "{name}: raw control bytes in {stderr:?}"
        );
    }
}

/// Mapping mistakes are told when the mapping loads, at their own line and column, in Spanish:
/// a `[categories]` entry pointing at a misspelled category (every matching row was rejected
/// before, with advice that sent the user back to the edit they made), a misspelled key and a
/// value of the wrong kind (serde's English at 1:1 before).
#[test]
fn mapping_mistakes_are_told_at_their_line_in_spanish() {
    let folder = common::scratch("evaluate", "mapping_mistakes_are_told_at_their_line_in_spanish");
    let cases = fixture("basica/casos.csv");
    let cases_of = |mapping: &str| {
        let path = folder.join("asignacion.toml");
        std::fs::write(&path, mapping).unwrap();
        let output = Pauta::new(["evaluate"])
            .pinned()
            .arg("--cases")
            .arg(&cases)
            .arg("--mapping")
            .arg(&path)
            .args(["--as-of", AS_OF])
            .run();
        (output.code, output.stderr)
    };
    let (code, stderr) = cases_of(
        "# asignación de la mesa\n[categories]\n\"Diseño comercial\" = \"Diseño de piesas comerciales\"\n",
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("M004") && stderr.contains("asignacion.toml:3:22"),
        "{stderr}"
    );
    assert!(
        stderr.contains("¿quiso decir «Diseño de piezas comerciales»?"),
        "{stderr}"
    );

    let (code, stderr) = cases_of("[cases]\nid = [\"Caso\"]\ncategoira = [\"Servicio\"]\n");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("asignacion.toml:3:1"), "{stderr}");
    assert!(stderr.contains("¿quiso decir `category`?"), "{stderr}");

    let (code, stderr) = cases_of("[file]\nencoding = 1252\n");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("asignacion.toml:2:12"), "{stderr}");
    assert!(stderr.contains("debe ser un texto"), "{stderr}");

    let (code, stderr) = cases_of("[casos]\nid = \"Caso\"\n");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("¿quiso decir `[cases]`?"), "{stderr}");
    for english in ["unknown field", "invalid type", "expected"] {
        assert!(!stderr.contains(english), "{stderr}");
    }
}

/// Without `--history` every command says so, and `explain` says the file was not given (not
/// that the case "has no history").
#[test]
fn a_run_without_history_says_so() {
    let cases = fixture("basica/casos.csv");
    let evaluate = Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(&cases)
        .args(["--as-of", AS_OF])
        .run();
    let stderr = evaluate.stderr;
    assert!(
        stderr.contains("aviso: no se indicó archivo de historial (--history)"),
        "{stderr}"
    );
    let explain = Pauta::new(["explain"])
        .pinned()
        .arg("2002")
        .arg("--cases")
        .arg(&cases)
        .args(["--as-of", AS_OF])
        .run();
    let stdout = explain.stdout;
    assert!(
        stdout.contains("no se indicó archivo de historial con --history"),
        "{stdout}"
    );
    assert!(!stdout.contains("el caso no tiene"), "{stdout}");
}

/// Reproduction (issue 15): a mistyped input path left yesterday's output with only its header.
/// Outputs are now written beside the target and put in place only when the run succeeds: a
/// missing cases or history file, or an output folder that cannot be written, leaves the
/// previous file byte-identical, and no temporary file behind.
#[test]
fn a_failed_run_leaves_the_previous_output_intact() {
    let folder = common::scratch("evaluate", "a_failed_run_leaves_the_previous_output_intact");
    let previous = folder.join("prev.csv");
    std::fs::write(&previous, "resultado de ayer\n").unwrap();
    let attempts: [&[&str]; 2] = [&["--cases", "ex/caso.csv"], &["--history", "no/existe.csv"]];
    for extra in attempts {
        let mut command = Pauta::new(["evaluate"]).pinned();
        if extra[0] != "--cases" {
            command = command.arg("--cases").arg(fixture("basica/casos.csv"));
        }
        let output = command
            .args(extra)
            .arg("--output")
            .arg(&previous)
            .args(["--as-of", AS_OF])
            .run();
        assert_eq!(output.code, 2, "{extra:?}");
        assert_eq!(
            std::fs::read_to_string(&previous).unwrap(),
            "resultado de ayer\n",
            "{extra:?}"
        );
    }
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["prev.csv"], "temporary files left behind");

    // A run that succeeds replaces it.
    Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(fixture("basica/casos.csv"))
        .arg("--history")
        .arg(fixture("basica/historial.csv"))
        .arg("--output")
        .arg(&previous)
        .args(["--as-of", AS_OF])
        .run()
        .success();
    assert!(
        std::fs::read_to_string(&previous)
            .unwrap()
            .starts_with("case_id,")
    );
}

/// A misspelt or missing optional column changes results without an error (no case solved, no
/// exception, rules without evidence): the summary says so, with what its absence changes.
#[test]
fn absent_optional_columns_are_told_with_their_consequence() {
    let folder = common::scratch(
        "evaluate",
        "absent_optional_columns_are_told_with_their_consequence",
    );
    let cases = folder.join("casos.csv");
    let text = std::fs::read_to_string(fixture("basica/casos.csv")).unwrap();
    let text = text
        .replacen("Fecha de solución real", "Fecha solucion", 1)
        .replacen(",Adjuntos,", ",Anexos,", 1);
    std::fs::write(&cases, text).unwrap();
    let output = Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(&cases)
        .args(["--as-of", AS_OF])
        .run();
    let stderr = output.stderr;
    assert!(
        stderr.contains(
            "aviso: el archivo de casos no tiene la columna «Fecha de solución real» y no se indicó \
             historial: ningún caso se da por solucionado"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("aviso: el archivo de casos no tiene la columna «Adjuntos»"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("«Excepción»"),
        "the exception column is there: {stderr}"
    );
    // With the history, solution dates come from it: no aviso about that column.
    let output = Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(&cases)
        .arg("--history")
        .arg(fixture("basica/historial.csv"))
        .args(["--as-of", AS_OF])
        .run();
    let stderr = output.stderr;
    assert!(!stderr.contains("«Fecha de solución real»"), "{stderr}");
}
