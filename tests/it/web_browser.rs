#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `pauta web` in a real browser: headless Chromium, driven by `tests/browser/workbench.mjs`
//! (Playwright), does what a coordinator and a process owner do — upload the example export and
//! read its counts, open a case's explanation, produce the June 2024 report, introduce a typo in
//! a policy, fix it and save it — and axe-core checks every page against WCAG 2.1 AA. What the
//! pages show is compared here with what the command line prints.
//!
//! They need Debian's `chromium`, Node.js and `npm ci --prefix tests/browser` (`.ci/run` installs
//! them and sets `PAUTA_BROWSER_TESTS=1`, which makes a missing piece a failure). Elsewhere
//! they say why they are skipped. Screenshots are kept under `target/navegador/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

use crate::common::web::Workbench;
use crate::common::{PINNED, root};

/// Why the browser cannot be driven here, if it cannot.
fn unavailable() -> Option<String> {
    let chromium = chromium();
    if !chromium.exists() {
        return Some(format!(
            "{} is not installed (apt-get install chromium)",
            chromium.display()
        ));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("Node.js is not installed".into());
    }
    if !root().join("tests/browser/node_modules/playwright-core").exists() {
        return Some("the driver is not installed (npm ci --prefix tests/browser)".into());
    }
    None
}

fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Runs `scenario` of the driver against `workbench` with `args`; `None` when the browser tests
/// cannot run here and are not required.
fn drive(scenario: &str, workbench: &Workbench, args: &Value) -> Option<Value> {
    if let Some(reason) = unavailable() {
        assert!(
            std::env::var_os("PAUTA_BROWSER_TESTS").is_none(),
            "the real-browser tests are required here (PAUTA_BROWSER_TESTS is set), but {reason}"
        );
        eprintln!("skipped: {reason}; .ci/run installs what the real-browser tests need");
        return None;
    }
    let artifacts = root().join("target/navegador");
    let output = Command::new("node")
        .arg(root().join("tests/browser/workbench.mjs"))
        .arg(scenario)
        .arg(&workbench.url)
        .arg(&artifacts)
        .arg(args.to_string())
        .env("CHROMIUM", chromium())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report: Value = serde_json::from_str(stdout.lines().last().unwrap_or("")).unwrap_or_else(|e| {
        panic!(
            "the driver did not report ({e}); stdout: {stdout}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    assert_eq!(
        report["ok"],
        json!(true),
        "scenario {scenario} failed (screenshots in {}): {report:#}",
        artifacts.display()
    );
    let refused: Vec<&Value> = report["console"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .filter(|m| {
                    m.as_str()
                        .is_some_and(|m| m.contains("Content Security Policy") || m.starts_with("pageerror"))
                })
                .collect()
        })
        .unwrap_or_default();
    assert!(
        refused.is_empty(),
        "the pages broke their own policy or threw: {refused:?}"
    );
    Some(report)
}

/// A scratch workspace with a copy of the pinned policies in `policies/`.
fn workspace(name: &str) -> PathBuf {
    let folder = crate::common::outside("web-browser", name);
    copy_tree(&crate::common::pinned_dir(), &folder.join("policies"));
    folder
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("a listing").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("a copy");
        }
    }
}

#[test]
fn every_page_meets_wcag_2_1_aa() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let paths = [
        "/",
        "/procedimiento",
        "/procedimiento?version=M1-3-06@11&anterior=M1-3-06@11&nueva=M1-3-06@11",
        "/politicas",
        "/politicas/editar?archivo=M1-3-06/v11.pauta",
        "/piezas",
        "/no-existe",
    ];
    let Some(report) = drive("accesibilidad", &workbench, &json!({ "paths": paths })) else {
        return;
    };
    for path in paths {
        let violations = &report["violations"][path];
        assert_eq!(violations, &json!([]), "{path}: {violations:#}");
    }
}

#[test]
fn a_typo_is_shown_at_its_line_and_the_fixed_policy_is_saved_as_pauta_check_accepts() {
    let folder = workspace("editor");
    let file = folder.join("policies/M1-3-06/v11.pauta");
    let original = std::fs::read_to_string(&file).unwrap();
    // What `pauta check` says of the typo, written to a file of its own.
    let typo = original.replacen("calendario \"colombia\"", "calendaro \"colombia\"", 1);
    let line = original
        .lines()
        .position(|l| l.starts_with("calendario \"colombia\""))
        .unwrap()
        + 1;
    let probe = folder.join("errata.pauta");
    std::fs::write(&probe, &typo).unwrap();
    let checked = crate::common::run::Pauta::new(["check", "--format", "json"])
        .arg(&probe)
        .run()
        .failure(1);
    let json: Value = serde_json::from_str(&checked.stdout).unwrap();
    let first = &json["files"][0]["diagnostics"][0];
    let code = first["code"].as_str().unwrap().to_owned();
    assert_eq!(first["line"], json!(line), "{first}");
    std::fs::remove_file(&probe).unwrap();

    let workbench = Workbench::start_in(&folder, &[]);
    let append = "\n# Revisado en el navegador.\n";
    let Some(report) = drive(
        "editor",
        &workbench,
        &json!({
            "file": "M1-3-06/v11.pauta",
            "line": line,
            "from": "calendario",
            "to": "calendaro",
            "code": code,
            "append": append,
        }),
    ) else {
        return;
    };
    let shown = report["texts"]["diagnosticos"].as_str().unwrap();
    let expected = format!("Línea {line}, columna {}", first["column"]);
    assert!(shown.contains(&expected) && shown.contains(&code), "{shown}");
    assert_eq!(
        report["texts"]["lineaMarcada"],
        json!(line.to_string()),
        "the gutter marks the line"
    );
    assert!(report["texts"]["guardado"].as_str().unwrap().contains("guardado"));
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(saved.ends_with("# Revisado en el navegador.\n"), "{saved}");
    crate::common::run::Pauta::new(["check", "--policies"])
        .arg(folder.join("policies"))
        .run()
        .success();
}
