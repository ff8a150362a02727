//! `regla` blocks end to end: a hostile policy cannot hang, crash or pass silently — compile-time
//! problems are `P072` at their exact line and column, runtime problems are `R003` findings — and
//! editing a rule in a policy file changes the evaluation with no code change.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::common::run::{Pauta, Ran};
use crate::common::{self, root};

/// A policies folder: the calendar and v11 of the pinned copy (`tests/fixtures/policies-v11/`) with
/// v11's `regla` blocks replaced by `rules`.
fn policies_with_rules(name: &str, rules: &str) -> PathBuf {
    let folder = common::scratch("rules", name);
    std::fs::create_dir_all(folder.join("M1-3-06")).unwrap();
    std::fs::create_dir_all(folder.join("calendarios")).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/policies-v11/calendarios/colombia.pauta"),
        folder.join("calendarios/colombia.pauta"),
    )
    .unwrap();
    let v11 = std::fs::read_to_string(root().join("tests/fixtures/policies-v11/M1-3-06/v11.pauta")).unwrap();
    let cut = v11.find("regla \"").unwrap();
    std::fs::write(
        folder.join("M1-3-06/v11.pauta"),
        format!("{}{rules}", &v11[..cut]),
    )
    .unwrap();
    folder
}

/// `pauta evaluate` of the fixture export `basica` with the policies of `policies`.
fn evaluate(policies: &Path) -> Ran {
    Pauta::new(["evaluate", "--policies"])
        .arg(policies)
        .arg("--cases")
        .arg(common::aranda("basica/casos.csv"))
        .arg("--history")
        .arg(common::aranda("basica/historial.csv"))
        .args(["--as-of", "2026-08-01 00:00:00"])
        .timeout(60)
        .run()
}

fn row<'a>(stdout: &'a str, case: &str) -> &'a str {
    stdout
        .lines()
        .find(|line| line.starts_with(&format!("{case},")))
        .unwrap()
}

#[test]
fn compile_time_problems_are_p072_at_their_line_and_column() {
    let nested = format!("{}true{}", "(".repeat(120), ")".repeat(120));
    let rules = format!(
        "regla \"bucle\" error {{\n  exige `while true {{ }}`\n  mensaje \"x\"\n}}\n\
         regla \"variable\" error {{\n  exige `otro.adjuntos.len() > 0`\n  mensaje \"x\"\n}}\n\
         regla \"campo\" error {{\n  cuando `caso.es_excepcion`\n  exige  `caso.adjunto.contains(\"x\")`\n  mensaje \"x\"\n}}\n\
         regla \"profunda\" error {{\n  exige `{nested}`\n  mensaje \"x\"\n}}\n\
         regla \"eval\" error {{\n  exige `eval(\"true\")`\n  mensaje \"x\"\n}}\n\
         regla \"funcion\" error {{\n  exige `{{ fn f(x) {{ f(x) }} f(1) }}`\n  mensaje \"x\"\n}}\n"
    );
    let folder = policies_with_rules("compile", &rules);
    let output = Pauta::new(["check"]).arg(&folder).timeout(60).run().failure(1);
    let text = output.stdout;
    for rule in ["bucle", "variable", "campo", "profunda", "eval", "funcion"] {
        assert!(
            text.contains(&format!("regla `{rule}`")),
            "{rule} not reported:\n{text}"
        );
    }
    assert!(text.contains("`caso.adjunto` no existe"), "{text}");
    assert!(text.contains("¿quiso decir `caso.adjuntos`?"), "{text}");
    // The field problem points at `adjunto` on its own line of the policy file.
    let v11 = std::fs::read_to_string(folder.join("M1-3-06/v11.pauta")).unwrap();
    let line = v11
        .lines()
        .position(|l| l.contains("caso.adjunto.contains"))
        .unwrap()
        + 1;
    let column = v11.lines().nth(line - 1).unwrap().find("adjunto").unwrap() + 1;
    assert!(text.contains(&format!("v11.pauta:{line}:{column}")), "{text}");
    // And evaluate refuses the policy instead of judging cases with it.
    evaluate(&folder).failure(2);
}

#[test]
fn runtime_problems_are_r003_findings_and_never_hang() {
    let rules = "regla \"division\" error {\n  exige `1 / (caso.dias_tarde - caso.dias_tarde) == 1`\n  mensaje \"x\"\n}\n\
         regla \"no-booleana\" error {\n  exige `caso.id`\n  mensaje \"x\"\n}\n\
         regla \"texto-enorme\" error {\n  exige `\"x\".pad(100000000, \"y\").len() > 0`\n  mensaje \"x\"\n}\n\
         regla \"lista-enorme\" error {\n  exige `caso.adjuntos.pad(100000000, 1).len() > 0`\n  mensaje \"x\"\n}\n\
         regla \"funcion-inexistente\" error {\n  exige `leer_archivo(\"/etc/passwd\") == \"\"`\n  mensaje \"x\"\n}\n\
         regla \"indice\" error {\n  exige `caso.adjuntos[1000] == \"\"`\n  mensaje \"x\"\n}\n";
    let folder = policies_with_rules("runtime", rules);
    Pauta::new(["check"]).arg(&folder).run().success();
    let Ran { stdout, stderr, .. } = evaluate(&folder).success();
    let first = row(&stdout, "2001");
    for rule in [
        "division",
        "no-booleana",
        "texto-enorme",
        "lista-enorme",
        "funcion-inexistente",
        "indice",
    ] {
        assert!(first.contains(&format!("R003:{rule}")), "{rule}: {first}");
    }
    // Every case is still evaluated.
    assert!(
        stderr.contains("casos:     leídas 26 = evaluadas 26 + rechazadas 0"),
        "{stderr}"
    );
}

#[test]
fn editing_a_rule_in_the_policy_changes_the_result_without_code_changes() {
    let strict = "regla \"adjunto-de-prueba\" error {\n  exige `caso.adjuntos.contains(\"acta_de_prueba\")`\n  mensaje \"Falta el acta de prueba.\"\n}\n";
    let folder = policies_with_rules("strict", strict);
    let stdout = evaluate(&folder).stdout;
    assert!(
        row(&stdout, "2001").ends_with(",R001:adjunto-de-prueba"),
        "{stdout}"
    );
    let lenient = strict.replace("exige `", "cuando `caso.es_excepcion`\n  exige `");
    let folder = policies_with_rules("lenient", &lenient);
    let stdout = evaluate(&folder).stdout;
    assert!(row(&stdout, "2001").ends_with(",met,0,"), "{stdout}");
    assert!(
        row(&stdout, "2004").contains("R001:adjunto-de-prueba"),
        "{stdout}"
    );
    let warning = lenient.replace("\" error {", "\" aviso {");
    let folder = policies_with_rules("warning", &warning);
    let stdout = evaluate(&folder).stdout;
    assert!(
        row(&stdout, "2004").contains("R002:adjunto-de-prueba"),
        "{stdout}"
    );
}

#[test]
fn rules_read_any_column_of_the_export() {
    let rules = "regla \"area-por-columna\" aviso {\n  exige `caso.columnas[\"Área solicitante\"] == caso.area`\n  mensaje \"x\"\n}\n\
                 regla \"normalizar\" aviso {\n  exige `normalizar(caso.categoria) != normalizar(\"DISEÑO DE PIEZAS COMERCIALES\")`\n  mensaje \"pieza\"\n}\n";
    let folder = policies_with_rules("columns", rules);
    let stdout = evaluate(&folder).success().stdout;
    assert!(!stdout.contains("area-por-columna"), "{stdout}");
    assert!(row(&stdout, "2003").contains("R002:normalizar"), "{stdout}");
    assert!(!row(&stdout, "2001").contains("R002:normalizar"), "{stdout}");
}

fn asset_run(args: &[&str]) -> (i32, String) {
    let output = Pauta::new(args).timeout(60).run();
    (output.code, output.stdout)
}

#[test]
fn banner_sms_and_document_rules_run_in_the_asset_checks() {
    let rules = "regla \"titulo-corto\" error sobre banner {\n  exige `banner.titulo.len() <= 10`\n  mensaje \"El título pasa de 10 caracteres.\"\n}\n\
                 regla \"banner-jpeg\" aviso sobre banner {\n  exige `banner.formato == \"PNG\"`\n  mensaje \"No es PNG.\"\n}\n\
                 regla \"mensaje-con-firma\" aviso sobre sms {\n  exige `sms.mensaje.contains(\"ICETEX\")`\n  mensaje \"El mensaje no nombra a ICETEX.\"\n}\n\
                 regla \"pdf-con-titulo\" error sobre documento {\n  cuando `documento.formato.contains(\"PDF\")`\n  exige `documento.paginas > 100`\n  mensaje \"Menos de 100 páginas.\"\n}\n";
    let folder = policies_with_rules("assets", rules);
    let policies = folder.to_str().unwrap();
    let (code, out) = asset_run(&[
        "banner",
        "check",
        "tests/fixtures/assets/banner_home.jpg",
        "--placement",
        "home",
        "--title",
        "Un título bastante largo",
        "--from",
        "2025-03-01",
        "--until",
        "2025-06-30",
        "--policies",
        policies,
        "--policy",
        "M1-3-06@11",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("R001") && out.contains("titulo-corto"), "{out}");
    assert!(out.contains("R002") && out.contains("banner-jpeg"), "{out}");
    let (_, out) = asset_run(&[
        "sms",
        "check",
        "tests/fixtures/assets/campana_sms.csv",
        "--policies",
        policies,
        "--policy",
        "M1-3-06@11",
    ]);
    assert!(out.contains("mensaje-con-firma"), "{out}");
    let (code, out) = asset_run(&[
        "document",
        "check",
        "tests/fixtures/assets/documento_metadatos.pdf",
        "--policies",
        policies,
        "--policy",
        "M1-3-06@11",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("pdf-con-titulo"), "{out}");
}

/// A rule that stays within the operation limit but builds megabytes per case (an array of
/// 400 strings of 64 KiB: about 40 ms of work a case, minutes for larger ones) is stopped by
/// the CPU budget of one rule on one case and reported as R003 with the budget's message —
/// before the array's size limit would have stopped it, after all the work was done.
#[test]
fn a_rule_that_burns_cpu_within_its_operation_limit_is_stopped_as_r003() {
    let pads = vec!["\"x\".pad(65536, \"y\")"; 400].join(", ");
    let rules = format!("regla \"quemadora\" error {{\n  exige `[{pads}].len() > 0`\n  mensaje \"x\"\n}}\n");
    let folder = policies_with_rules("cpu", &rules);
    Pauta::new(["check"]).arg(&folder).run().success();
    let stdout = evaluate(&folder).success().stdout;
    assert!(row(&stdout, "2001").contains("R003:quemadora"), "{stdout}");
    let explain = Pauta::new(["explain"])
        .arg("2001")
        .arg("--policies")
        .arg(&folder)
        .arg("--cases")
        .arg(common::aranda("basica/casos.csv"))
        .args(["--as-of", "2026-08-01 00:00:00"])
        .timeout(60)
        .run();
    let text = explain.stdout;
    assert!(text.contains("tiempo de cómputo"), "{text}");
    assert!(!text.contains("Size of") && !text.contains("exceeds"), "{text}");
}

/// rhai's English never reaches the user: compile-time problems (a literal over the size
/// limits, a reserved word, a NUL byte) and runtime ones (an overflow) are told in Spanish, and
/// the NUL is shown escaped, not echoed raw.
#[test]
fn rhai_problems_are_told_in_spanish_only() {
    let long_list = vec!["1"; 10_001].join(",");
    let long_text = "y".repeat(70_000);
    let rules = format!(
        "regla \"lista-literal\" error {{\n  exige `[{long_list}].len() > 0`\n  mensaje \"x\"\n}}\n\
         regla \"texto-literal\" error {{\n  exige `\"{long_text}\".len() > 0`\n  mensaje \"x\"\n}}\n\
         regla \"reservada\" error {{\n  exige `eval(\"1\") == 1`\n  mensaje \"x\"\n}}\n\
         regla \"nulo\" error {{\n  exige `caso.id == \"\u{0}\" \u{0}`\n  mensaje \"x\"\n}}\n"
    );
    let folder = policies_with_rules("english", &rules);
    let check = Pauta::new(["check"]).arg(&folder).run().failure(1);
    let text = check.stdout;
    for rule in ["lista-literal", "texto-literal", "reservada", "nulo"] {
        assert!(text.contains(&format!("regla `{rule}`")), "{rule}:\n{text}");
    }
    for english in [
        "exceeds",
        "Size of",
        "Length of",
        "reserved keyword",
        "Unexpected",
        "\u{0}",
    ] {
        assert!(!text.contains(english), "`{english}` in:\n{text}");
    }

    let rules = "regla \"desborde\" error {\n  exige `9223372036854775807 + caso.dias_tarde + 1 > 0`\n  mensaje \"x\"\n}\n";
    let folder = policies_with_rules("overflow", rules);
    let explain = Pauta::new(["explain"])
        .arg("2001")
        .arg("--policies")
        .arg(&folder)
        .arg("--cases")
        .arg(common::aranda("basica/casos.csv"))
        .args(["--as-of", "2026-08-01 00:00:00"])
        .run();
    let text = explain.stdout;
    assert!(text.contains("demasiado grande"), "{text}");
    assert!(!text.contains("overflow"), "{text}");
}

/// Typos inside rules are caught at `check`, at the literal's own line and column, with
/// "¿quiso decir …?": a misspelled category, an English outcome code, a channel that does not
/// exist; the values the engine writes pass.
#[test]
fn a_rule_comparing_a_field_with_a_value_it_never_holds_is_p073() {
    let rules = "regla \"categoria\" error {\n  cuando `caso.categoria == \"Diseño de piesas comerciales\"`\n  exige `caso.adjuntos.contains(\"x\")`\n  mensaje \"x\"\n}\n\
         regla \"resultado\" aviso {\n  exige `caso.resultado != \"breached\"`\n  mensaje \"x\"\n}\n\
         regla \"canal\" aviso {\n  exige `!caso.canales.contains(\"wbe\")`\n  mensaje \"x\"\n}\n\
         regla \"buenas\" aviso {\n  cuando `caso.resultado == \"incumple\" && \"web\" in caso.canales && caso.estado == \"solucionado\"`\n  exige `caso.categoria.starts_with(\"Diseño\")`\n  mensaje \"x\"\n}\n";
    let folder = policies_with_rules("vocabulary", rules);
    let output = Pauta::new(["check"]).arg(&folder).run().failure(1);
    let text = output.stdout;
    assert_eq!(text.matches("error[P073]").count(), 3, "{text}");
    assert!(
        text.contains("¿quiso decir «Diseño de piezas comerciales»?"),
        "{text}"
    );
    assert!(text.contains("¿quiso decir «incumple»?"), "{text}");
    assert!(text.contains("¿quiso decir «web»?"), "{text}");
    assert!(!text.contains("regla `buenas`"), "{text}");
    // At the literal itself.
    let v11 = std::fs::read_to_string(folder.join("M1-3-06/v11.pauta")).unwrap();
    let line = v11.lines().position(|l| l.contains("piesas")).unwrap() + 1;
    let column = v11
        .lines()
        .nth(line - 1)
        .unwrap()
        .find("\"Diseño de piesas")
        .unwrap()
        + 1;
    assert!(text.contains(&format!("v11.pauta:{line}:{column}")), "{text}");
}
