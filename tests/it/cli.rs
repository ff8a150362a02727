//! Integration tests: the real `pauta` binary on real files.

use crate::common::root;
use crate::common::run::Pauta;

#[test]
fn check_passes_on_the_embedded_and_shipped_policies() {
    Pauta::new(["check"]).run().success();
    Pauta::new(["check"]).arg(root().join("policies")).run().success();
}

#[test]
fn check_fails_with_exit_1_and_reports_every_file() {
    let text = Pauta::new(["check"])
        .arg(root().join("tests/broken"))
        .run()
        .failure(1)
        .stdout;
    // Every planted mistake is reported in one run: one code per file name prefix.
    for entry in std::fs::read_dir(root().join("tests/broken"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().to_string();
        let code = name[..4].to_uppercase();
        assert!(
            text.contains(&format!("[{code}]")),
            "{name}: {code} missing from output"
        );
    }
}

#[test]
fn check_exit_2_when_a_path_cannot_be_read() {
    Pauta::new(["check", "no/existe.pauta"])
        .run()
        .failure(2)
        .stderr_has("no se pudo leer");
}

#[test]
fn check_json_lists_code_position_and_help() {
    let file = root().join("tests/broken/p010_estado_desconocido.pauta");
    let value = Pauta::new(["check", "--format", "json"]).arg(&file).run().json();
    assert_eq!(value["errors"], 1);
    let diagnostic = &value["files"][0]["diagnostics"][0];
    assert_eq!(diagnostic["code"], "P010");
    assert_eq!(diagnostic["line"], 19);
    assert_eq!(diagnostic["column"], 29);
    assert_eq!(diagnostic["help"], "¿quiso decir `Cerrado`?");
    assert_eq!(diagnostic["severity"], "error");
}

#[test]
fn check_of_a_single_procedure_file_uses_the_embedded_calendar() {
    Pauta::new(["check"])
        .arg(root().join("policies/M1-3-06/v11.pauta"))
        .run()
        .success();
}

#[test]
fn show_json_is_the_compiled_v11() {
    let policy = Pauta::new(["show", "M1-3-06@11", "--json"]).run().json();
    assert_eq!(policy["version"], 11);
    assert_eq!(policy["effective_from"], "2021-12-24");
    assert_eq!(policy["categories"].as_array().map(Vec::len), Some(13));
    assert_eq!(policy["exceptions"]["types"].as_array().map(Vec::len), Some(10));
    assert_eq!(policy["states"].as_array().map(Vec::len), Some(7));
}

#[test]
fn show_unknown_version_exits_2_with_the_available_ones() {
    Pauta::new(["show", "M1-3-06@99"])
        .run()
        .failure(2)
        .stderr_has("M1-3-06@11");
}

#[test]
fn show_summary_lists_the_gaps() {
    // On the pinned policies: a later version published under `policies/` may close these gaps.
    Pauta::new(["show"])
        .pinned()
        .run()
        .stdout_has("Vacíos del procedimiento")
        .stdout_has("transición \"Registrado\" -> \"En proceso\"");
}

#[test]
fn calendar_2026_has_chiquinquira_moved_to_july_13() {
    Pauta::new(["calendar", "--year", "2026"])
        .run()
        .stdout_has("2026-07-13  lunes      festivo  Virgen de Chiquinquirá (del 9 de julio)");
}

#[test]
fn calendar_2020_to_2030_snapshot() {
    let text = Pauta::new(["calendar", "--year", "2020", "--to", "2030"])
        .run()
        .stdout;
    crate::common::snap::text("calendar__colombia_2020_2030", &text);
}

#[test]
fn calendar_before_the_first_year_is_refused() {
    Pauta::new(["calendar", "--year", "1950"]).run().failure(2);
}
