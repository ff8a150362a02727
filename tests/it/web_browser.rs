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

use crate::common::web::{Part, Workbench};
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
    // One export evaluated first, so that its result, a case's explanation and its report are
    // checked too.
    let cases = crate::common::example("casos.csv");
    let history = crate::common::example("historial.csv");
    let posted = workbench
        .post_multipart(
            "/evaluar",
            &[
                Part::file_at("casos", &cases),
                Part::file_at("historial", &history),
                Part::Text("corte", "2024-06-30 23:59:59"),
            ],
        )
        .status(303);
    let result = posted.header("location").unwrap().to_owned();
    let id = result.rsplit('/').next().unwrap().to_owned();
    for _ in 0..600 {
        if workbench
            .get(&format!("/api/evaluaciones/{id}"))
            .text()
            .contains("\"lista\"")
        {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let paths = [
        "/".to_owned(),
        "/procedimiento".to_owned(),
        "/procedimiento?version=M1-3-06@11&anterior=M1-3-06@11&nueva=M1-3-06@11".to_owned(),
        "/evaluar".to_owned(),
        result.clone(),
        format!("{result}?resultado=incumple"),
        format!("{result}/caso/100336"),
        "/informe".to_owned(),
        format!("/informe/{id}"),
        format!("/informe/{id}/2024-06?semilla=prueba&generado=2024-07-01%2008%3A00%3A00"),
        "/politicas".to_owned(),
        "/politicas/editar?archivo=M1-3-06/v11.pauta".to_owned(),
        "/piezas".to_owned(),
        "/no-existe".to_owned(),
    ];
    let Some(report) = drive("accesibilidad", &workbench, &json!({ "paths": paths })) else {
        return;
    };
    for path in &paths {
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

/// `text` with every run of whitespace made one space (a page's text collapses it).
fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_example_export_shows_the_command_lines_counts_and_a_cases_explanation() {
    let as_of = "2024-06-30 23:59:59";
    let case = "100336";
    let cases = crate::common::example("casos.csv");
    let history = crate::common::example("historial.csv");
    let evaluated = crate::common::run::Pauta::new(["evaluate", "--as-of", as_of, "--output", "/dev/null"])
        .args([
            "--cases".as_ref(),
            cases.as_os_str(),
            "--history".as_ref(),
            history.as_os_str(),
        ])
        .pinned()
        .run()
        .success();
    let explained = crate::common::run::Pauta::new(["explain", case, "--as-of", as_of])
        .args([
            "--cases".as_ref(),
            cases.as_os_str(),
            "--history".as_ref(),
            history.as_os_str(),
        ])
        .pinned()
        .run()
        .success();

    let workbench = Workbench::start(&["--policies", PINNED]);
    let Some(report) = drive(
        "evaluar",
        &workbench,
        &json!({ "cases": cases, "history": history, "asOf": as_of, "caseId": case }),
    ) else {
        return;
    };
    let page = collapsed(report["texts"]["resumen"].as_str().unwrap());
    // What the command line says in lines, the page shows in tables: each figure must be there
    // under its label.
    let mut expected = Vec::new();
    for line in evaluated.stderr.lines().map(collapsed) {
        let numbers: Vec<&str> = line
            .split(' ')
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()) && !w.is_empty())
            .collect();
        if let Some(rest) = line.strip_prefix("casos: ") {
            assert!(rest.starts_with("leídas"), "{line}");
            expected.extend([
                format!("Casos leídos {}", numbers[0]),
                format!("Casos evaluados {}", numbers[1]),
                format!("Casos rechazados {}", numbers[2]),
            ]);
        } else if line.starts_with("historial: ") {
            expected.extend([
                format!("filas leídas {}", numbers[0]),
                format!("filas usadas {}", numbers[1]),
                format!("filas rechazadas {}", numbers[2]),
            ]);
        } else if let Some(rest) = line.strip_prefix("resultados: ") {
            expected.extend(rest.split(" · ").map(str::to_owned));
        } else if let Some(rest) = line.strip_prefix("hallazgo ") {
            // «hallazgo H002 en 2 caso(s): razón no permitida para la transición»
            let (head, meaning) = rest.split_once(": ").unwrap();
            let code = head.split(' ').next().unwrap();
            expected.push(format!("{code} {meaning} {}", numbers[0]));
        }
    }
    assert!(expected.len() >= 12, "{expected:?} from {}", evaluated.stderr);
    for figure in &expected {
        assert!(
            page.contains(figure.as_str()),
            "the page lacks «{figure}»:\n{page}"
        );
    }
    // The first line names the file: the command line its path, the page the uploaded name.
    let shown = report["texts"]["explicacion"].as_str().unwrap();
    let tail = |text: &str| {
        text.lines()
            .skip(1)
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(tail(shown).trim_end(), tail(&explained.stdout).trim_end());
}

#[test]
fn the_june_2024_report_shows_the_figures_of_pauta_report() {
    let cases = crate::common::example("casos.csv");
    let history = crate::common::example("historial.csv");
    let (seed, generated) = ("prueba-navegador", "2024-07-01 08:00:00");
    // A report names its inputs: the command line runs beside the files (bare names, as the
    // page names the uploads) and both sides read the policies by the same absolute path.
    let pinned = crate::common::pinned_dir();
    let cli = crate::common::run::Pauta::new([
        "report",
        "--month",
        "2024-06",
        "--seed",
        seed,
        "--generated-at",
        generated,
        "--format",
        "json",
    ])
    .args(["--cases", "casos.csv", "--history", "historial.csv", "--policies"])
    .arg(&pinned)
    .current_dir(cases.parent().unwrap())
    .run()
    .success();
    // «2024-06: población 54 casos solucionados · muestra 48 · …» and «cumplimiento: muestra
    // 81,2 % (IC 68,1–89,8 %) · población 79,6 %»: every figure must be on the page.
    let figures: Vec<String> = cli
        .stderr
        .lines()
        .filter(|line| line.starts_with("2024-06:") || line.starts_with("cumplimiento:"))
        .flat_map(|line| {
            line.split(|c: char| !(c.is_ascii_digit() || c == ','))
                .filter(|word| word.chars().any(|c| c.is_ascii_digit()) && *word != "2024" && *word != "06")
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .collect();
    assert!(figures.len() >= 7, "{figures:?} from {}", cli.stderr);

    let workbench = Workbench::start(&["--policies", pinned.to_str().unwrap()]);
    let Some(report) = drive(
        "informe",
        &workbench,
        &json!({ "cases": cases, "history": history, "month": "2024-06", "seed": seed, "generatedAt": generated }),
    ) else {
        return;
    };
    let page = collapsed(report["texts"]["informe"].as_str().unwrap());
    for figure in &figures {
        assert!(page.contains(figure.as_str()), "the page lacks {figure}:\n{page}");
    }
    // And the JSON the page offers is pauta report's, byte for byte.
    let address = report["texts"]["direccion"].as_str().unwrap();
    let path_and_query = address.splitn(4, '/').nth(3).unwrap_or_default();
    let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
    let json = workbench
        .get(&format!("/{path}/descargar/json?{query}"))
        .status(200);
    assert!(
        json.text() == cli.stdout,
        "the JSON download differs from pauta report --format json"
    );
}

#[test]
fn the_workbench_works_from_the_keyboard_alone() {
    let folder = workspace("teclado");
    let original = std::fs::read_to_string(folder.join("policies/M1-3-06/v11.pauta")).unwrap();
    let line = original
        .lines()
        .position(|l| l.starts_with("calendario \"colombia\""))
        .unwrap()
        + 1;
    let workbench = Workbench::start_in(&folder, &[]);
    let Some(report) = drive(
        "teclado",
        &workbench,
        &json!({ "file": "M1-3-06/v11.pauta", "from": "calendario \"colombia\"", "to": "calendaro \"colombia\"" }),
    ) else {
        return;
    };
    let texts = &report["texts"];
    // The first Tab reaches the skip link, and Enter takes the focus to the page's content.
    assert_eq!(texts["primero"], json!("Saltar al contenido"));
    assert_eq!(texts["trasSaltar"], json!("contenido"));
    // The evaluation form is reached in reading order: cases, history, cut, then «Evaluar».
    let order: Vec<String> = texts["orden"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect();
    let position = |id: &str| {
        order
            .iter()
            .position(|o| o == id)
            .unwrap_or_else(|| panic!("{id} is not reached: {order:?}"))
    };
    assert!(
        position("casos") < position("historial") && position("historial") < position("corte"),
        "{order:?}"
    );
    assert!(
        order.last().is_some_and(|last| last.contains("Evaluar")),
        "{order:?}"
    );
    // A problem of the editor is reached with Tab; Enter takes the caret to its line.
    assert_eq!(texts["alcanzado"], json!(true));
    assert_eq!(texts["foco"], json!("texto"));
    assert_eq!(texts["lineaMarcada"], json!(line.to_string()));
}
