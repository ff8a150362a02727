//! Integration tests: the real `pauta` binary on real files.

use std::path::Path;

use assert_cmd::Command;

fn pauta() -> Command {
    Command::cargo_bin("pauta").unwrap_or_else(|e| panic!("binary not built: {e}"))
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn stdout_of(cmd: &mut Command) -> String {
    String::from_utf8_lossy(&cmd.output().unwrap_or_else(|e| panic!("{e}")).stdout).to_string()
}

#[test]
fn check_passes_on_the_embedded_and_shipped_policies() {
    pauta().arg("check").assert().code(0);
    pauta().arg("check").arg(root().join("policies")).assert().code(0);
}

#[test]
fn check_fails_with_exit_1_and_reports_every_file() {
    let output = pauta()
        .arg("check")
        .arg(root().join("tests/broken"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
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
    let output = pauta()
        .args(["check", "no/existe.pauta"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no se pudo leer"));
}

#[test]
fn check_json_lists_code_position_and_help() {
    let file = root().join("tests/broken/p010_estado_desconocido.pauta");
    let text = stdout_of(pauta().args(["check", "--format", "json"]).arg(&file));
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
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
    pauta()
        .arg("check")
        .arg(root().join("policies/M1-3-06/v11.pauta"))
        .assert()
        .code(0);
}

#[test]
fn show_json_is_the_compiled_v11() {
    let text = stdout_of(pauta().args(["show", "M1-3-06@11", "--json"]));
    let policy: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(policy["version"], 11);
    assert_eq!(policy["effective_from"], "2021-12-24");
    assert_eq!(policy["categories"].as_array().map(Vec::len), Some(13));
    assert_eq!(policy["exceptions"]["types"].as_array().map(Vec::len), Some(10));
    assert_eq!(policy["states"].as_array().map(Vec::len), Some(7));
}

#[test]
fn show_unknown_version_exits_2_with_the_available_ones() {
    let output = pauta()
        .args(["show", "M1-3-06@99"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("M1-3-06@11"));
}

#[test]
fn show_summary_lists_the_gaps() {
    // On the pinned policies: a later version published under `policies/` may close these gaps.
    let text = stdout_of(
        pauta()
            .args(["show", "--policies"])
            .arg(root().join("tests/fixtures/policies-v11")),
    );
    assert!(text.contains("Vacíos del procedimiento"));
    assert!(text.contains("transición \"Registrado\" -> \"En proceso\""));
}

#[test]
fn calendar_2026_has_chiquinquira_moved_to_july_13() {
    let text = stdout_of(pauta().args(["calendar", "--year", "2026"]));
    assert!(
        text.contains("2026-07-13  lunes      festivo  Virgen de Chiquinquirá (del 9 de julio)"),
        "{text}"
    );
}

#[test]
fn calendar_2020_to_2030_snapshot() {
    let text = stdout_of(pauta().args(["calendar", "--year", "2020", "--to", "2030"]));
    crate::common::snap::text("calendar__colombia_2020_2030", &text);
}

#[test]
fn calendar_before_the_first_year_is_refused() {
    let output = pauta()
        .args(["calendar", "--year", "1950"])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(2));
}
