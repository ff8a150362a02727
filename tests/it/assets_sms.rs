//! SMS campaign checks: the real binary on committed samples (UTF-8 with BOM, Windows-1252, `;`)
//! and on files written here; `--fix` row accounting and the re-check of its output; the library
//! API. Snapshots of the text and JSON reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use pauta::assets::input::TextEncoding;
use pauta::assets::sms::{check_sms_bytes, check_sms_bytes_in_parts, fix_sms};
use pauta::assets::{Code, samples};
use pauta::policy::PolicySet;
use pauta::policy::model::SmsLimits;

use crate::common;

use common::root;
use common::run::Pauta;
use common::snap::text as snapshot;

fn scratch(name: &str) -> PathBuf {
    common::scratch("assets_sms", name)
}

fn limits() -> SmsLimits {
    PolicySet::embedded()
        .unwrap()
        .find("M1-3-06@11")
        .unwrap()
        .sms
        .clone()
        .unwrap()
}

fn codes_by_line(text: &str) -> Vec<(u64, Code)> {
    check_sms_bytes("t.csv", text.as_bytes().to_vec(), &limits(), "X")
        .findings
        .iter()
        .map(|f| (f.location.line.unwrap_or(0), f.code))
        .collect()
}

const BAD: &str = "tests/fixtures/assets/campana_sms_errores.csv";
const GOOD: &str = "tests/fixtures/assets/campana_sms.csv";

// ---------------------------------------------------------------- library

#[test]
fn columns_match_ignoring_case_and_tildes() {
    let ok = "NOMBRE,apellido,numero de CEDULA,MENSAJE A ENVIAR\nAna,Peña,52345678,Hola\n";
    assert_eq!(codes_by_line(ok), vec![]);
    let ok = "Nombre,Apellido,Cédula,Mensaje\nAna,Peña,52345678,Hola\n";
    assert_eq!(codes_by_line(ok), vec![]);
    let missing = "Nombre,Apellidos,Cédula\nAna,Peña,52345678\n";
    assert_eq!(codes_by_line(missing), vec![(1, Code::S001), (1, Code::S001)]);
}

#[test]
fn gsm7_counting_extension_characters_and_ucs2() {
    let header = "Nombre,Apellido,Cédula,Mensaje\n";
    // 160 plain characters pass, 161 fail.
    let at = |msg: &str| codes_by_line(&format!("{header}Ana,Peña,52345678,\"{msg}\"\n"));
    assert_eq!(at(&"a".repeat(160)), vec![]);
    assert_eq!(at(&"a".repeat(161)), vec![(2, Code::S007)]);
    // Extension characters count 2: 80 braces are 160, 81 are 162.
    assert_eq!(at(&"{".repeat(80)), vec![]);
    assert_eq!(at(&"{".repeat(81)), vec![(2, Code::S007)]);
    assert_eq!(at(&"€".repeat(81)), vec![(2, Code::S007)]);
    // One character outside GSM-7 makes it UCS-2: 70 pass (with a warning), 71 fail.
    assert_eq!(at(&format!("“{}", "a".repeat(69))), vec![(2, Code::S008)]);
    assert_eq!(at(&format!("“{}", "a".repeat(70))), vec![(2, Code::S007)]);
    // ñ is GSM-7 and allowed by the policy; á is a tilde and outside GSM-7.
    assert_eq!(
        at("Año nuevo, señor Ñáñez"),
        vec![(2, Code::S009), (2, Code::S008)]
    );
    assert_eq!(at("Año nuevo, señor"), vec![]);
}

#[test]
fn cedula_rules() {
    let header = "Nombre,Apellido,Cédula,Mensaje\n";
    let at = |id: &str| codes_by_line(&format!("{header}Ana,Peña,{id},Hola\n"));
    assert_eq!(at("123"), vec![]);
    assert_eq!(at("1234567890"), vec![]);
    assert_eq!(at("12"), vec![(2, Code::S004)]);
    assert_eq!(at("12345678901"), vec![(2, Code::S004)]);
    assert_eq!(at("0123"), vec![(2, Code::S005)]);
    assert_eq!(at("12.345"), vec![(2, Code::S003)]);
    assert_eq!(at("CC123"), vec![(2, Code::S003)]);
    let dup = format!("{header}Ana,Peña,5555,Hola\nLuis,Mora,5555,Hola\n");
    assert_eq!(codes_by_line(&dup), vec![(3, Code::S006)]);
}

#[test]
fn encodings_and_delimiters_are_detected() {
    let text = "Nombre;Apellido;Cédula;Mensaje\r\nJosé;Peña;52345678;Hola\r\n";
    let ansi = encoding_rs::WINDOWS_1252.encode(text).0.into_owned();
    let r = check_sms_bytes("t.csv", ansi, &limits(), "X");
    assert_eq!(
        (r.encoding, r.delimiter, r.rows, r.counts.errors),
        (TextEncoding::Windows1252, ';', 1, 0)
    );
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(text.replace(';', ",").as_bytes());
    let r = check_sms_bytes("t.csv", bom, &limits(), "X");
    assert_eq!(
        (r.encoding, r.delimiter, r.rows, r.counts.errors),
        (TextEncoding::Utf8Bom, ',', 1, 0)
    );
}

#[test]
fn fix_accounts_for_every_row_and_its_output_passes() {
    let dir = scratch("fix_library");
    let fixed = dir.join("ok.csv");
    let errors = dir.join("errores.csv");
    let r = fix_sms(&root().join(BAD), &fixed, &errors, &limits(), "X").unwrap();
    let fix = r.fix.clone().unwrap();
    assert_eq!(r.rows, 14);
    assert_eq!(fix.fixed_rows + fix.error_rows, r.rows);
    assert_eq!((fix.fixed_rows, fix.changed_rows, fix.error_rows), (3, 2, 11));
    assert_eq!((fix.recheck_errors, fix.recheck_warnings), (0, 0));
    // Both outputs keep the input's encoding (Windows-1252) and delimiter.
    let fixed_bytes = std::fs::read(&fixed).unwrap();
    assert!(std::str::from_utf8(&fixed_bytes).is_err());
    let fixed_text = encoding_rs::WINDOWS_1252.decode(&fixed_bytes).0.into_owned();
    assert_eq!(
        fixed_text,
        "Nombre;Apellido;Número de cédula;Mensaje\r\n\
         Carlos;Díaz;80123456;Hola Carlos, su solicitud fue radicada\r\n\
         José;Pérez;79123456;Su credito esta aprobado\r\n\
         Marta;Ruiz;43123456;Marta, recuerde actualizar sus datos\r\n"
    );
    let errors_text = encoding_rs::WINDOWS_1252
        .decode(&std::fs::read(&errors).unwrap())
        .0
        .into_owned();
    let lines: Vec<&str> = errors_text
        .lines()
        .skip(1)
        .map(|l| l.split(';').next().unwrap())
        .collect();
    assert_eq!(
        lines,
        ["5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15"]
    );
    // Every input line is in exactly one output: the fixed file holds lines 2, 3 and 4.
    let check = check_sms_bytes("ok.csv", fixed_bytes, &limits(), "X");
    assert_eq!(
        (check.rows, check.counts.errors, check.counts.warnings),
        (3, 0, 0)
    );
}

#[test]
fn fix_never_overwrites_the_input() {
    let dir = scratch("same_file");
    let input = dir.join("in.csv");
    std::fs::copy(root().join(GOOD), &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    let result = fix_sms(&input, &input, &dir.join("e.csv"), &limits(), "X");
    assert!(result.is_err());
    assert_eq!(std::fs::read(&input).unwrap(), before);
}

#[test]
fn large_campaign_counts_every_row() {
    let bytes = samples::sms_campaign(20_000, 1_000);
    let r = check_sms_bytes("big.csv", bytes, &limits(), "X");
    assert_eq!(r.rows, 20_000);
    assert_eq!(r.error_rows, 20);
    assert_eq!(r.clean_rows + r.warning_rows + r.error_rows, r.rows);
}

#[test]
fn splitting_the_file_never_changes_the_report() {
    // CRLF endings, quoted messages with line breaks inside (a split may fall in one), duplicates
    // far apart (in different parts), tildes, bad cédulas and a short row.
    let mut text = String::from("Nombre;Apellido;Cédula;Mensaje\r\n");
    for i in 0..6_000u64 {
        let cedula = if i % 500 == 499 {
            10_000_000 + i - 3_001
        } else {
            10_000_000 + i
        };
        let message = match i % 7 {
            0 => format!("\"Hola;\r\nlínea {i}\""),
            1 => format!("Cuota {i} [pague hoy]"),
            2 if i % 300 == 2 => "corto".to_string(),
            _ => format!("Mensaje {i}"),
        };
        if i % 1_111 == 5 {
            text.push_str(&format!("Ana;Peña;{cedula}\r\n"));
        } else if i % 977 == 3 {
            text.push_str(&format!("Ana;Peña;0{cedula};{message}\r\n"));
        } else {
            text.push_str(&format!("Ana;Peña;{cedula};{message}\r\n"));
        }
    }
    let reference = check_sms_bytes_in_parts("t.csv", text.clone().into_bytes(), &limits(), "X", 1);
    assert!(reference.findings.iter().any(|f| f.code == Code::S006));
    assert!(reference.findings.iter().any(|f| f.code == Code::S011));
    for parts in [2, 3, 7, 16] {
        let split = check_sms_bytes_in_parts("t.csv", text.clone().into_bytes(), &limits(), "X", parts);
        assert_eq!(split, reference, "{parts} parts");
    }
    let last = reference
        .findings
        .last()
        .and_then(|f| f.location.line)
        .unwrap_or(0);
    assert!(last > 6_000, "line numbers count the quoted line breaks: {last}");
}

// ---------------------------------------------------------------- binary

#[test]
fn committed_clean_campaign_passes() {
    let text = Pauta::new(["sms", "check", GOOD, "--policy", "M1-3-06@11"])
        .run()
        .success()
        .stdout;
    snapshot("assets_sms_check_ok", &text);
}

#[test]
fn committed_broken_campaign_text_and_json() {
    let text = Pauta::new(["sms", "check", BAD, "--policy", "M1-3-06@11"])
        .run()
        .failure(1)
        .stdout;
    snapshot("assets_sms_check_errors", &text);
    let json = Pauta::new(["sms", "check", BAD, "--policy", "M1-3-06@11", "--format", "json"])
        .run()
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["encoding"], "windows1252");
    assert_eq!(value["rows"], 14);
    snapshot("assets_sms_check_errors_json", &json);
}

#[test]
fn fix_through_the_binary_then_recheck_the_output() {
    let dir = scratch("fix_binary");
    std::fs::copy(root().join(BAD), dir.join("campana.csv")).unwrap();
    // Rows remain that only a person can fix: exit 1.
    let text = Pauta::new([
        "sms",
        "check",
        "campana.csv",
        "--fix",
        "corregida.csv",
        "--policy",
        "M1-3-06@11",
    ])
    .current_dir(&dir)
    .run()
    .failure(1)
    .stdout_has(
        "Corrección: 14 leída(s) = 3 en corregida.csv (2 modificada(s)) + 11 en corregida.errores.csv.",
    )
    .stdout;
    snapshot("assets_sms_fix", &text);
    assert!(dir.join("corregida.errores.csv").exists());
    Pauta::new(["sms", "check", "corregida.csv"])
        .current_dir(&dir)
        .run()
        .success();

    // A file whose only problems are tildes and spaces is fully repaired: exit 0.
    std::fs::write(
        dir.join("tildes.csv"),
        "Nombre,Apellido,Cédula,Mensaje\nJosé , Peña,52345678,  Canción del año \n",
    )
    .unwrap();
    Pauta::new([
        "sms",
        "check",
        "tildes.csv",
        "--fix",
        "ok.csv",
        "--errors",
        "malas.csv",
    ])
    .current_dir(&dir)
    .run()
    .success();
    assert_eq!(
        std::fs::read_to_string(dir.join("ok.csv")).unwrap(),
        "Nombre,Apellido,Cédula,Mensaje\nJosé,Peña,52345678,Cancion del año\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("malas.csv")).unwrap(),
        "Línea,Nombre,Apellido,Cédula,Mensaje,Motivo\n"
    );
}

#[test]
fn errors_flag_needs_fix_and_unreadable_file_exits_2() {
    Pauta::new(["sms", "check", GOOD, "--errors", "x.csv"])
        .run()
        .failure(2);
    Pauta::new(["sms", "check", "no/existe.csv"])
        .run()
        .failure(2)
        .stderr_has("no se pudo leer");
}

/// A campaign saved with old-Mac line ends (a lone CR) is checked line for line as its CRLF
/// original, and `--fix` writes its outputs with the same line ends it read.
#[test]
fn cr_only_campaigns_read_and_fix_like_their_crlf_original() {
    let original = std::fs::read(root().join(BAD)).unwrap();
    assert!(
        original.windows(2).any(|pair| pair == b"\r\n"),
        "the sample is CRLF"
    );
    // CRLF → CR (a quoted LF inside a field becomes CR too: it is a line break of the file).
    let mut cr_only = Vec::with_capacity(original.len());
    for (index, byte) in original.iter().enumerate() {
        match byte {
            b'\r' if original.get(index + 1) == Some(&b'\n') => {}
            b'\n' => cr_only.push(b'\r'),
            other => cr_only.push(*other),
        }
    }
    let findings = |bytes: Vec<u8>| {
        check_sms_bytes("t.csv", bytes, &limits(), "X")
            .findings
            .iter()
            .map(|f| (f.location.line, f.code))
            .collect::<Vec<_>>()
    };
    assert_eq!(findings(cr_only.clone()), findings(original.clone()));

    let dir = scratch("fix_cr_only");
    let (input, crlf_input) = (dir.join("in.csv"), dir.join("crlf.csv"));
    std::fs::write(&input, &cr_only).unwrap();
    std::fs::write(&crlf_input, &original).unwrap();
    fix_sms(&input, &dir.join("ok.csv"), &dir.join("e.csv"), &limits(), "X").unwrap();
    fix_sms(
        &crlf_input,
        &dir.join("ok2.csv"),
        &dir.join("e2.csv"),
        &limits(),
        "X",
    )
    .unwrap();
    for (cr, crlf) in [("ok.csv", "ok2.csv"), ("e.csv", "e2.csv")] {
        let cr = std::fs::read(dir.join(cr)).unwrap();
        let crlf = std::fs::read(dir.join(crlf)).unwrap();
        assert!(!cr.contains(&b'\n'), "LF in the output of a CR-only file");
        let as_crlf: Vec<u8> = cr
            .iter()
            .flat_map(|b| if *b == b'\r' { vec![b'\r', b'\n'] } else { vec![*b] })
            .collect();
        assert_eq!(as_crlf, crlf);
    }
}

#[test]
fn rows_of_a_file_without_the_required_columns_are_never_without_problems() {
    let dir = scratch("sin_columnas");
    std::fs::write(dir.join("lista.csv"), "Producto;Valor\nCrédito;100\nBeca;200\n").unwrap();
    let text = Pauta::new(["sms", "check", "lista.csv"])
        .current_dir(&dir)
        .run()
        .failure(1)
        .stdout;
    assert!(
        text.contains("Filas: 2 leída(s) = 0 sin problemas + 0 solo con avisos + 2 con errores (ninguna se pudo revisar completa: faltan las columnas obligatorias «Nombre», «Apellido», «Número de cédula», «Mensaje»; agréguelas al encabezado y revise de nuevo)."),
        "{text}"
    );
    assert!(!text.contains("Resultado: cumple"), "{text}");
    let json = Pauta::new(["sms", "check", "lista.csv", "--format", "json"])
        .current_dir(&dir)
        .run()
        .failure(1)
        .stdout;
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["clean_rows"], 0);
    assert_eq!(value["unchecked_rows"], 2);
}

/// A tab-separated list (as Excel's «Texto (delimitado por tabulaciones)» saves it) is read with
/// the same sniffer as the exports: every column found, the separator named in words.
#[test]
fn a_tab_separated_list_is_read_like_the_others() {
    let dir = scratch("tabs");
    let list = dir.join("lista.txt");
    std::fs::write(
        &list,
        "Nombre\tApellido\tNúmero de cédula\tMensaje\r\nMarta\tRuiz\t43123456\tMarta, recuerde actualizar sus datos\r\n",
    )
    .unwrap();
    Pauta::new(["sms", "check"])
        .pinned()
        .arg(&list)
        .run()
        .success()
        .stdout_has("separador tabulador")
        .stdout_lacks("FALTA");
}
