//! The process owner's loop, through the real binary in a temporary workspace laid out as a
//! process owner has it: the policies they edit under `policies/` are the ones every command
//! uses and names on stderr; `pauta.toml` may name another folder and a mapping file; a single
//! file is checked with the calendars of its own folder.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::common::run::Pauta;
use crate::common::{example, root};

/// A fresh workspace holding a copy of the pinned v11 policies (`tests/fixtures/policies-v11/`)
/// as its `policies/` (and nothing else).
fn workspace(name: &str) -> PathBuf {
    let dir = crate::common::scratch("workspace", name);
    for sub in ["policies/M1-3-06", "policies/calendarios", "informes"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
    }
    for file in ["M1-3-06/v11.pauta", "calendarios/colombia.pauta"] {
        std::fs::copy(
            root().join("policies").join(file),
            dir.join("policies").join(file),
        )
        .unwrap();
    }
    dir
}

/// A v12 in force from 2024-06-01 whose only change is a shorter ANS for web contents.
fn add_v12(dir: &Path) {
    Pauta::new(["new-version", "M1-3-06", "--from-date", "2024-06-01"])
        .current_dir(dir)
        .run()
        .success();
    let path = dir.join("policies/M1-3-06/v12.pauta");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replacen("ans 12 días hábiles", "ans 4 días hábiles", 1),
    )
    .unwrap();
}

/// Reproduction: in a folder whose `policies/M1-3-06/v12.pauta` is in force, `check` read only
/// the embedded files and `evaluate` judged with v11 without a word.
#[test]
fn the_policies_of_the_workspace_are_the_ones_every_command_uses_and_names() {
    let dir = workspace("v12");
    add_v12(&dir);
    let check = Pauta::new(["check"]).current_dir(&dir).run().success();
    assert!(
        check.stdout.contains("3 archivo(s) revisado(s)"),
        "{}",
        check.stdout
    );
    assert!(check.stderr.contains("políticas: policies"), "{}", check.stderr);
    assert!(check.stderr.contains("M1-3-06/v12.pauta"), "{}", check.stderr);

    // From a subfolder too, as cargo and just find their files.
    let evaluate = Pauta::new(["evaluate"])
        .current_dir(dir.join("informes"))
        .arg("--cases")
        .arg(example("casos.csv"))
        .arg("--history")
        .arg(example("historial.csv"))
        .args(["--as-of", "2024-12-31 23:59:59", "--output", "evaluacion.csv"])
        .run();
    assert!((0..2).contains(&evaluate.code), "{}", evaluate.stderr);
    assert!(
        evaluate
            .stderr
            .lines()
            .next()
            .is_some_and(|l| l.starts_with("políticas: ") && l.contains("v12.pauta")),
        "{}",
        evaluate.stderr
    );
    let rows = std::fs::read_to_string(dir.join("informes/evaluacion.csv")).unwrap();
    assert!(rows.lines().any(|l| l.contains(",12,")), "no case judged by v12");
    assert!(rows.lines().any(|l| l.contains(",11,")), "no case judged by v11");

    // Explicit `--policies` is accepted by `check` and wins over the workspace.
    let explicit = Pauta::new(["check"])
        .current_dir(&dir)
        .arg("--policies")
        .arg(root().join("tests/fixtures/policies-v11"))
        .run()
        .success();
    assert!(
        explicit.stdout.contains("2 archivo(s) revisado(s)"),
        "{}",
        explicit.stdout
    );
    assert!(
        explicit.stderr.contains("indicada con --policies"),
        "{}",
        explicit.stderr
    );

    // The report's Entradas list the files actually used.
    let report = Pauta::new(["report"])
        .current_dir(&dir)
        .arg("--cases")
        .arg(example("casos.csv"))
        .arg("--history")
        .arg(example("historial.csv"))
        .args([
            "--month",
            "2024-06",
            "--seed",
            "1",
            "--generated-at",
            "2024-07-01 08:00:00",
        ])
        .run();
    assert!((0..2).contains(&report.code), "{}", report.stderr);
    assert!(report.stdout.contains("v12.pauta"), "{}", report.stdout);
}

/// Outside any workspace the embedded policies are used, and said so.
#[test]
fn outside_a_workspace_the_embedded_policies_are_used_and_said() {
    // Not under the repository, whose own `policies/` would be found upward.
    let dir = crate::common::outside("workspace", "none");
    let check = Pauta::new(["check"]).current_dir(&dir).run().success();
    assert!(
        check.stderr.contains("políticas: incorporadas en pauta"),
        "{}",
        check.stderr
    );
    // `fmt` and `new-version` have nothing to write there, and say why.
    for args in [
        vec!["fmt"],
        vec!["new-version", "M1-3-06", "--from-date", "2030-01-01"],
    ] {
        let refused = Pauta::new(&args).current_dir(&dir).run();
        assert_eq!(refused.code, 2, "{args:?}");
        assert!(
            refused.stderr.contains("no se editan"),
            "{args:?}: {}",
            refused.stderr
        );
    }
}

/// `pauta.toml` names the policies folder and the mapping file; a misspelled key is reported
/// at its own line and column, in Spanish.
#[test]
fn a_project_file_names_the_folder_and_the_mapping() {
    let dir = workspace("project");
    std::fs::rename(dir.join("policies"), dir.join("politicas-icetex")).unwrap();
    std::fs::write(dir.join("asignacion.toml"), "[cases]\nid = [\"Número\"]\n").unwrap();
    std::fs::write(
        dir.join("pauta.toml"),
        "# Espacio de trabajo\npoliticas = \"politicas-icetex\"\nasignacion = \"asignacion.toml\"\n",
    )
    .unwrap();
    Pauta::new(["check"])
        .current_dir(&dir)
        .run()
        .success()
        .stderr_has("politicas-icetex")
        .stderr_has("pauta.toml");
    // The mapping renames the id column: the example export (which has `Caso`) now lacks it.
    Pauta::new(["evaluate"])
        .current_dir(&dir)
        .arg("--cases")
        .arg(example("casos.csv"))
        .run()
        .failure(2)
        .stderr_has("Número");

    std::fs::write(
        dir.join("pauta.toml"),
        "politicas = \"politicas-icetex\"\npoliticos = 1\n",
    )
    .unwrap();
    let bad = Pauta::new(["check"])
        .current_dir(&dir)
        .run()
        .failure(2)
        .stderr_has("pauta.toml:2:1");
    assert!(
        bad.stderr.contains("la clave `politicos` no existe"),
        "{}",
        bad.stderr
    );
    assert!(!bad.stderr.contains("unknown field"), "{}", bad.stderr);
}

/// A single procedure file is checked with the calendars of its own policy folder, as `diff`
/// and `evaluate --policies` read it — not with the embedded ones.
#[test]
fn a_single_file_is_checked_with_the_calendars_of_its_folder() {
    let dir = workspace("single");
    let calendar = dir.join("policies/calendarios/colombia.pauta");
    let text = std::fs::read_to_string(&calendar).unwrap();
    std::fs::write(
        &calendar,
        text.replacen("calendario \"colombia\"", "calendario \"colombia-entidad\"", 1),
    )
    .unwrap();
    let v11 = dir.join("policies/M1-3-06/v11.pauta");
    let text = std::fs::read_to_string(&v11).unwrap();
    std::fs::write(
        &v11,
        text.replacen("calendario \"colombia\"", "calendario \"colombia-entidad\"", 1),
    )
    .unwrap();
    let check = Pauta::new(["check"])
        .current_dir(&dir)
        .arg("policies/M1-3-06/v11.pauta")
        .run()
        .success();
    assert!(
        check.stdout.contains("1 archivo(s) revisado(s) sin errores"),
        "{}",
        check.stdout
    );
}
