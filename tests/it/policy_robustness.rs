//! No input makes the policy front end panic: random text, and the v11 policy with random bytes
//! cut out or duplicated. Every outcome is a compiled policy or diagnostics.

use pauta::policy::{SourceFile, check_sources};
use proptest::prelude::*;

use crate::common;
use crate::common::run::Pauta;

const V11: &str = include_str!("../../policies/M1-3-06/v11.pauta");
const CALENDAR: &str = include_str!("../../policies/calendarios/colombia.pauta");

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let report = check_sources(&[SourceFile::new("x.pauta", &text)], &[]);
        prop_assert_eq!(report.files.len(), 1);
    }

    #[test]
    fn mutated_v11_never_panics(cut in 0usize..V11.len(), len in 0usize..40, copy in any::<bool>()) {
        let bytes = V11.as_bytes();
        let end = (cut + len).min(bytes.len());
        let mut mutated = bytes[..cut].to_vec();
        if copy {
            mutated.extend_from_slice(&bytes[cut..end]);
            mutated.extend_from_slice(&bytes[cut..]);
        } else {
            mutated.extend_from_slice(&bytes[end..]);
        }
        let text = String::from_utf8_lossy(&mutated);
        let report = check_sources(&[SourceFile::new("v11.pauta", &text), SourceFile::new("c.pauta", CALENDAR)], &[]);
        // Either it still compiles, or it says why — never silently nothing.
        let diagnostics = report.files.iter().map(|f| f.diagnostics.len()).sum::<usize>();
        prop_assert!(report.policies.len() == 1 || diagnostics > 0);
    }

    #[test]
    fn mutated_calendar_never_panics(cut in 0usize..CALENDAR.len(), len in 0usize..30) {
        let bytes = CALENDAR.as_bytes();
        let end = (cut + len).min(bytes.len());
        let mut mutated = bytes[..cut].to_vec();
        mutated.extend_from_slice(&bytes[end..]);
        let text = String::from_utf8_lossy(&mutated);
        let report = check_sources(&[SourceFile::new("c.pauta", &text)], &[]);
        prop_assert_eq!(report.files.len(), 1);
    }
}

/// A fresh folder under the tests' temporary folder.
fn scratch(name: &str) -> std::path::PathBuf {
    common::scratch("policy_robustness", name)
}

/// Hostile policy text gets Spanish, bounded messages through the real binary: 75,000 nested
/// braces (pest's English "stack limit reached" before), a lone CR and a NUL inside a quoted
/// text (echoed raw before).
#[test]
fn hostile_policy_text_gets_spanish_bounded_messages() {
    let dir = scratch("hostile");
    let nested = dir.join("anidado.pauta");
    std::fs::write(&nested, format!("{}{}", "{".repeat(75_000), "}".repeat(75_000)))
        .unwrap_or_else(|e| panic!("{e}"));
    let output = Pauta::new(["check"]).arg(&nested).run().failure(1);
    let text = output.stdout;
    assert!(text.contains("P00"), "{text}");
    assert!(!text.contains("limit reached"), "{text}");
    assert!(text.len() < 2_000, "{} bytes of output", text.len());

    let controls = dir.join("controles.pauta");
    std::fs::write(
        &controls,
        "procedimiento \"X\r1\" \"Nombre\u{0} raro\"\nversión 1 vigente desde 2024-01-01\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = Pauta::new(["check"]).arg(&controls).run().failure(1);
    let text = output.stdout;
    assert!(text.contains("P001"), "{text}");
    assert!(!text.contains('\r') && !text.contains('\u{0}'), "{text:?}");
}

/// What `check` accepts `evaluate` can use: a version in force from 9999-12-31 loads and rejects
/// every case of the example as registered before any version in force (I002), instead of
/// stopping with a calendar error; a calendar that ends before its version is a P065 at check.
#[test]
fn what_check_accepts_evaluate_can_use() {
    let root = common::root();
    let dir = scratch("far_future");
    std::fs::create_dir_all(dir.join("M1-3-06")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.join("calendarios")).unwrap_or_else(|e| panic!("{e}"));
    let calendar =
        std::fs::read_to_string(root.join("policies/calendarios/colombia.pauta")).unwrap_or_default();
    std::fs::write(dir.join("calendarios/colombia.pauta"), &calendar).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("M1-3-06/v11.pauta"),
        V11.replace("vigente desde 2021-12-24", "vigente desde 9999-12-31"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Pauta::new(["check"]).arg(&dir).run().success();
    let output = Pauta::new(["evaluate", "--policies"])
        .arg(&dir)
        .arg("--cases")
        .arg(common::example("casos.csv"))
        .arg("--rejected")
        .arg(dir.join("rechazadas.csv"))
        .run();
    let stderr = output.stderr;
    assert!(
        stderr.contains("leídas 400 = evaluadas 0 + rechazadas 400"),
        "{stderr}"
    );
    assert!(stderr.contains("I002"), "{stderr}");
    assert!(!stderr.contains("E007"), "{stderr}");

    std::fs::write(
        dir.join("calendarios/colombia.pauta"),
        calendar.replace("desde 1984", "desde 1984 hasta 1984"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("M1-3-06/v11.pauta"), V11).unwrap_or_else(|e| panic!("{e}"));
    Pauta::new(["check"])
        .arg(&dir)
        .run()
        .failure(1)
        .stdout_has("P065");
}

/// `doc` on a folder that holds no procedure says so, instead of "disponibles: " and nothing.
#[test]
fn a_folder_without_a_procedure_is_named_as_such() {
    let root = common::root();
    let dir = scratch("no_procedure");
    std::fs::copy(
        root.join("policies/calendarios/colombia.pauta"),
        dir.join("colombia.pauta"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = Pauta::new(["doc", "M1-3-06", "--policies"])
        .arg(&dir)
        .run()
        .failure(2);
    let stderr = output.stderr;
    assert!(stderr.contains("ningún procedimiento"), "{stderr}");
    assert!(!stderr.contains("disponibles: \n"), "{stderr}");
}

/// Runs `pauta check` on one file holding `text` (bytes), returning exit code and stdout+stderr.
fn check_text(name: &str, text: &[u8]) -> (i32, String) {
    let dir = scratch(name);
    let file = dir.join("v1.pauta");
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let output = Pauta::new(["check"]).arg(&file).run();
    (output.code, format!("{}{}", output.stdout, output.stderr))
}

const HEADER: &str =
    "procedimiento \"X\" \"Nombre\"\nversión 1 vigente desde 2024-01-01\ncalendario \"colombia\"\n";

/// The hints a process owner needs at the mistakes they make most: 12-hour times, Word's curly
/// quotes, a `}` left out (naming the line of its `{`), a file saved as Windows-1252, and a
/// misspelled statement told before the problems it causes.
#[test]
fn diagnostics_hint_at_the_usual_mistakes() {
    let (code, text) = check_text(
        "doce_horas",
        format!("{HEADER}horario lunes a viernes 8:00 a.m. a 5:00 p.m.\n").as_bytes(),
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("formato de 24 horas"), "{text}");

    let (code, text) = check_text(
        "comillas",
        format!("{HEADER}categoría “Diseño” {{ ans 5 días hábiles }}\n").as_bytes(),
    );
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("comillas rectas"), "{text}");

    let (code, text) = check_text(
        "llave",
        format!("{HEADER}estados {{\n  \"Registrado\" inicial corre\n  \"Cerrado\" final\ncategoría \"C\" {{\n  ans 5 días hábiles\n}}\n").as_bytes(),
    );
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("falta cerrar la llave `{` abierta en la línea 4"),
        "{text}"
    );

    let mut windows_1252 = format!("{HEADER}# Política de la Oficina Comercial").into_bytes();
    windows_1252.extend_from_slice(b" \xf1and\xfa\n");
    let (code, text) = check_text("ansi", &windows_1252);
    assert_eq!(code, 2, "{text}");
    assert!(
        text.contains("no está guardado en UTF-8") && text.contains("Windows-1252"),
        "{text}"
    );
    assert!(!text.contains("permisos"), "{text}");

    // A misspelled transition leaves "Solucionado" without a way in: P002 first, then P014
    // saying which line to fix first.
    let policy = V11.replacen(
        "transición \"En proceso\" -> \"Solucionado\"",
        "transicon \"En proceso\" -> \"Solucionado\"",
        1,
    );
    assert_ne!(policy, V11);
    let dir = scratch("consecuencia");
    std::fs::create_dir_all(dir.join("M1-3-06")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("M1-3-06/v11.pauta"), policy).unwrap_or_else(|e| panic!("{e}"));
    let output = Pauta::new(["check"]).arg(dir.join("M1-3-06/v11.pauta")).run();
    let text = output.stdout;
    if let (Some(cause), Some(effect)) = (text.find("error[P002]"), text.find("error[P014]")) {
        assert!(cause < effect, "{text}");
        assert!(
            text.contains("puede ser consecuencia del error de la línea"),
            "{text}"
        );
    } else {
        assert!(text.contains("error[P002]"), "{text}");
    }
}
