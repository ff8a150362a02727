//! `pauta web`: «Procedimiento» and «Editar una política», through the real binary over HTTP,
//! each test on its own copy of the pinned policies — the document and the diff equal the
//! command line's, the editor's problems equal `pauta check`'s, saving is guarded (hash, errors,
//! origin), and a policy file is reached only by its path inside the policies folder.
#![allow(clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::common::run::Pauta;
use crate::common::web::{Part, Workbench, form_escape};
use crate::common::{example, outside, pinned_dir};

/// A scratch folder with a copy of the pinned policies in `policies/`.
fn workspace(name: &str) -> PathBuf {
    let dir = outside("web-edit", name);
    copy_tree(&pinned_dir(), &dir.join("policies"));
    dir
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder can be created");
    for entry in std::fs::read_dir(from).expect("the pinned policies can be listed") {
        let path = entry.expect("an entry").path();
        let target = to.join(path.file_name().expect("a name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else if path.extension().is_some_and(|e| e == "pauta") {
            std::fs::copy(&path, &target).expect("a policy can be copied");
        }
    }
}

const V11: &str = "M1-3-06/v11.pauta";

fn v11(dir: &Path) -> PathBuf {
    dir.join("policies").join(V11)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("the file can be read")
}

/// `text` escaped as maud escapes text.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The hash embedded in the editor page.
fn stamp(page: &str) -> String {
    page.split("id=\"huella\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the editor carries the file's hash")
        .to_owned()
}

fn editor(archivo: &str) -> String {
    format!("/politicas/editar?archivo={}", form_escape(archivo))
}

#[test]
fn the_document_and_the_diff_are_the_command_lines() {
    let dir = workspace("documento");
    let policies = dir.join("policies");
    Pauta::new([
        "new-version",
        "M1-3-06",
        "--from-date",
        "2027-01-04",
        "--policies",
    ])
    .arg(&policies)
    .run()
    .success();
    let v12 = policies.join("M1-3-06/v12.pauta");
    let text = read(&v12).replacen("ans 12 días hábiles", "ans 10 días hábiles", 1);
    std::fs::write(&v12, text).expect("v12 can be edited");
    let wb = Workbench::start_in(&dir, &[]);

    wb.get("/procedimiento")
        .status(200)
        .has("<option value=\"M1-3-06@12\" selected>")
        .has("src=\"/procedimiento/documento?version=M1-3-06%4012\"");
    wb.get("/procedimiento?version=M1-3-06@11")
        .status(200)
        .has("<iframe class=\"documento\" title=\"Documento del procedimiento M1-3-06@11\"");
    for (format, extension) in [("html", "html"), ("md", "md")] {
        let cli = Pauta::new(["doc", "--policy", "M1-3-06@11", "--format", format, "--policies"])
            .arg(&policies)
            .run()
            .success();
        let download = wb
            .get(&format!(
                "/procedimiento/descargar?version=M1-3-06%4011&formato={format}"
            ))
            .status(200);
        assert_eq!(
            download.header("content-disposition"),
            Some(format!("attachment; filename=\"M1-3-06-v11.{extension}\"").as_str())
        );
        assert!(
            download.body == cli.stdout_bytes,
            "the {format} download differs from pauta doc"
        );
    }
    let frame = wb
        .get("/procedimiento/documento?version=M1-3-06%4011")
        .status(200);
    let cli = Pauta::new(["doc", "--policy", "M1-3-06@11", "--format", "html", "--policies"])
        .arg(&policies)
        .run()
        .success();
    assert!(
        frame.body == cli.stdout_bytes,
        "the framed document differs from pauta doc"
    );
    assert!(
        frame
            .header("content-security-policy")
            .unwrap_or_default()
            .contains("sandbox")
    );

    let diff = Pauta::new(["diff", "M1-3-06@11", "M1-3-06@12", "--policies"])
        .arg(&policies)
        .run()
        .failure(1);
    assert!(diff.stdout.contains("10"), "{}", diff.stdout);
    wb.get("/procedimiento?anterior=M1-3-06%4011&nueva=M1-3-06%4012")
        .status(200)
        .has(&escaped(&diff.stdout))
        .lacks("Sin diferencias</strong>");
    let same = Pauta::new(["diff", "M1-3-06@11", "M1-3-06@11", "--policies"])
        .arg(&policies)
        .run()
        .success();
    wb.get("/procedimiento?anterior=M1-3-06%4011&nueva=M1-3-06%4011")
        .status(200)
        .has("<strong>Sin diferencias</strong>")
        .has(&escaped(&same.stdout));
    wb.get("/procedimiento?anterior=..%2F..%2Fetc%2Fpasswd&nueva=M1-3-06%4011")
        .status(200)
        .has("error[W015]");
}

#[test]
fn a_typo_is_reported_where_pauta_check_reports_it() {
    let dir = workspace("errata");
    let text = read(&v11(&dir)).replacen("  ans 12 días hábiles", "  ans 0 días hábiles", 1);
    let wb = Workbench::start_in(&dir, &[]);
    let answer = wb
        .post_json(
            "/api/politicas/revisar",
            &serde_json::json!({ "archivo": V11, "texto": text }),
        )
        .status(200)
        .json();
    // The same text, written to a copy of the folder and checked by the command line.
    let copy = workspace("errata-cli");
    std::fs::write(v11(&copy), &text).expect("the copy can be written");
    let cli = Pauta::new(["check", "--format", "json"])
        .arg(v11(&copy))
        .run()
        .failure(1);
    let checked: serde_json::Value = serde_json::from_str(&cli.stdout).expect("JSON");
    let key = |d: &serde_json::Value| {
        (
            d["line"].as_u64(),
            d["column"].as_u64(),
            d["code"].as_str().map(str::to_owned),
            d["severity"].as_str().map(str::to_owned),
            d["message"].as_str().map(str::to_owned),
            d["help"].as_str().map(str::to_owned),
        )
    };
    let web: Vec<_> = answer["diagnosticos"]
        .as_array()
        .expect("a list")
        .iter()
        .map(key)
        .collect();
    let cli: Vec<_> = checked["files"][0]["diagnostics"]
        .as_array()
        .expect("a list")
        .iter()
        .map(key)
        .collect();
    assert_eq!(web, cli);
    let line = read(&v11(&dir))
        .lines()
        .position(|l| l == "  ans 12 días hábiles")
        .expect("an ANS line")
        + 1;
    assert!(
        web.iter()
            .any(|d| d.0 == Some(line as u64) && d.1 == Some(7) && d.2.as_deref() == Some("P031")),
        "{web:?}"
    );
    assert_eq!(answer["errores"], 1);
    // Without script, «Revisar» posts the form and the page lists the same problem.
    wb.post_form(
        &editor(V11),
        &[("texto", &text), ("accion", "revisar"), ("huella", "")],
    )
    .status(200)
    .has(&format!("data-linea=\"{line}\" data-columna=\"7\""))
    .has("error[P031]");
}

#[test]
fn saving_checks_the_text_and_the_hash() {
    let dir = workspace("guardar");
    let path = v11(&dir);
    let original = read(&path);
    let wb = Workbench::start_in(&dir, &[]);
    let page = wb
        .get(&editor(V11))
        .status(200)
        .has("<label for=\"texto\"")
        .text();
    let huella = stamp(&page);
    assert_eq!(huella, pauta::report::inputs::digest_bytes(original.as_bytes()));

    let broken = original.replacen("horario lunes", "horaro lunes", 1);
    wb.post_json(
        "/api/politicas/guardar",
        &serde_json::json!({ "archivo": V11, "texto": broken, "huella": huella }),
    )
    .status(422)
    .has("\"codigo\":\"P002\"")
    .has("\"diagnosticos\":[{");
    assert_eq!(read(&path), original, "a text with errors is not saved");

    let fixed = original.replacen("  ans 12 días hábiles", "  ans 11 días hábiles", 1);
    let saved = wb
        .post_json(
            "/api/politicas/guardar",
            &serde_json::json!({ "archivo": V11, "texto": fixed, "huella": huella }),
        )
        .status(200)
        .json();
    assert_eq!(read(&path), fixed);
    assert_eq!(
        saved["huella"],
        pauta::report::inputs::digest_bytes(fixed.as_bytes())
    );
    Pauta::new(["check", "--policies"])
        .arg(dir.join("policies"))
        .run()
        .success();

    // Someone else changes the file: a save with the old hash is refused and their change kept.
    let theirs = format!("{fixed}# cambio de otra persona\n");
    std::fs::write(&path, &theirs).expect("the file can be changed");
    wb.post_json(
        "/api/politicas/guardar",
        &serde_json::json!({ "archivo": V11, "texto": original, "huella": saved["huella"] }),
    )
    .status(409)
    .has("\"codigo\":\"W016\"")
    .has("cambió en el disco");
    assert_eq!(read(&path), theirs);
}

#[test]
fn only_files_inside_the_policies_folder_are_reached() {
    let dir = workspace("rutas");
    let secret = dir.join("secreto.pauta");
    std::fs::write(&secret, "# secreto-123\n").expect("a file outside");
    std::fs::write(dir.join("policies/notas.txt"), "notas-456").expect("a non-policy file");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, dir.join("policies/M1-3-06/enlace.pauta")).expect("a link");
    let before = read(&v11(&dir));
    let wb = Workbench::start_in(&dir, &[]);
    let mut hostile = vec![
        "../Cargo.toml",
        "/etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        "M1-3-06\\..\\..\\x.pauta",
        "C:\\x.pauta",
        "notas.txt",
        "M1-3-06/../../secreto.pauta",
    ];
    if cfg!(unix) {
        hostile.push("M1-3-06/enlace.pauta");
    }
    for archivo in hostile {
        wb.get(&editor(archivo))
            .status(400)
            .has("error[W015]")
            .lacks("secreto-123")
            .lacks("notas-456");
        wb.post_json(
            "/api/politicas/guardar",
            &serde_json::json!({ "archivo": archivo, "texto": "# escrito\n", "huella": "" }),
        )
        .status(400)
        .has("\"codigo\":\"W015\"");
    }
    // Sent as typed, without escaping it again.
    wb.get("/politicas/editar?archivo=..%2F..%2Fetc%2Fpasswd")
        .status(400)
        .has("error[W015]");
    assert_eq!(read(&secret), "# secreto-123\n");
    assert_eq!(read(&dir.join("policies/notas.txt")), "notas-456");
    assert_eq!(read(&v11(&dir)), before);
    assert!(!dir.join("x.pauta").exists());
}

#[test]
fn the_embedded_policies_are_shown_read_only() {
    let dir = outside("web-edit", "incluidas");
    let wb = Workbench::start_in(&dir, &[]);
    wb.get("/politicas")
        .status(200)
        .has("Solo lectura.")
        .has("pauta new-version")
        .has(&editor(V11));
    let page = wb
        .get(&editor(V11))
        .status(200)
        .has(" readonly")
        .lacks("value=\"guardar\"")
        .text();
    assert!(stamp(&page).is_empty());
    wb.post_json(
        "/api/politicas/guardar",
        &serde_json::json!({ "archivo": V11, "texto": "# nada\n", "huella": "" }),
    )
    .status(409)
    .has("\"codigo\":\"W016\"");
    wb.post_form(
        &editor(V11),
        &[("texto", "# nada\n"), ("accion", "guardar"), ("huella", "")],
    )
    .status(409)
    .has("error[W016]");
    let created: Vec<_> = std::fs::read_dir(&dir).expect("the folder").collect();
    assert!(created.is_empty(), "nothing is written: {created:?}");
}

#[test]
fn hostile_text_in_a_policy_is_shown_escaped() {
    let dir = workspace("hostil");
    let hostile = "</textarea><script>alert(1)</script>";
    let text = format!("{}# {hostile}\n", read(&v11(&dir)));
    std::fs::write(v11(&dir), text).expect("the file can be written");
    let wb = Workbench::start_in(&dir, &[]);
    wb.get(&editor(V11))
        .status(200)
        .lacks(hostile)
        .lacks("<script>alert")
        .has("&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;");
}

#[test]
fn a_save_from_another_origin_is_refused() {
    let dir = workspace("origen");
    let before = read(&v11(&dir));
    let wb = Workbench::start_in(&dir, &[]);
    let body = serde_json::json!({ "archivo": V11, "texto": "# otro\n", "huella": "" });
    wb.request("POST", "/api/politicas/guardar")
        .body("application/json", body.to_string().into_bytes())
        .send()
        .status(403)
        .has("W010");
    wb.request("POST", "/api/politicas/guardar")
        .header("Origin", "http://evil.example")
        .body("application/json", body.to_string().into_bytes())
        .send()
        .status(403)
        .has("W010");
    assert_eq!(read(&v11(&dir)), before);
}

#[test]
fn a_call_that_is_not_the_editors_json_is_refused_in_its_own_spanish_form() {
    let dir = workspace("json-malo");
    let before = read(&v11(&dir));
    let wb = Workbench::start_in(&dir, &[]);
    for body in ["{", "[1, 2]", "{\"texto\": 3}"] {
        let refused = wb
            .request("POST", "/api/politicas/guardar")
            .own_origin()
            .body("application/json", body.as_bytes().to_vec())
            .send()
            .status(400)
            .json();
        assert_eq!(refused["codigo"], "W013", "{body}: {refused}");
        assert!(
            refused["mensaje"]
                .as_str()
                .is_some_and(|m| m.contains("recargue la página")),
            "{refused}"
        );
    }
    assert_eq!(read(&v11(&dir)), before);
}

#[test]
fn formatting_comparing_and_the_next_version_use_the_command_lines_library() {
    let dir = workspace("formato");
    let policies = dir.join("policies");
    let original = read(&v11(&dir));
    let wb = Workbench::start_in(&dir, &[]);
    // «Dar formato» gives `pauta fmt`'s text.
    let messy = original.replacen("horario lunes a viernes", "HORARIO   lunes a viernes", 1);
    let formatted = wb
        .post_json(
            "/api/politicas/formatear",
            &serde_json::json!({ "archivo": V11, "texto": messy }),
        )
        .status(200)
        .json();
    let copy = workspace("formato-cli");
    std::fs::write(v11(&copy), &messy).expect("the copy can be written");
    Pauta::new(["fmt"]).arg(v11(&copy)).run().success();
    assert_eq!(formatted["texto"].as_str(), Some(read(&v11(&copy)).as_str()));
    wb.post_json(
        "/api/politicas/formatear",
        &serde_json::json!({ "archivo": V11, "texto": "procedimiento \"x" }),
    )
    .status(422)
    .has("\"codigo\":\"P001\"");
    // «Comparar con la versión vigente»: the change `pauta diff` finds between the two files.
    let edited = original.replacen("  ans 12 días hábiles", "  ans 10 días hábiles", 1);
    std::fs::write(v11(&copy), &edited).expect("the copy can be written");
    let cli = Pauta::new(["diff"])
        .arg(v11(&dir))
        .arg(v11(&copy))
        .run()
        .failure(1);
    let compared = wb
        .post_json(
            "/api/politicas/comparar",
            &serde_json::json!({ "archivo": V11, "texto": edited }),
        )
        .status(200)
        .json();
    let text = compared["texto"].as_str().expect("a text");
    let body: Vec<&str> = cli.stdout.lines().skip(1).collect();
    assert_eq!(text.lines().skip(1).collect::<Vec<_>>(), body, "{text}");
    assert_eq!(compared["vacio"], false);
    // «Crear la siguiente versión»: the file `pauta new-version` writes, opened in the editor.
    let made = wb
        .post_form(
            "/politicas/nueva-version",
            &[("archivo", V11), ("desde", "2027-01-04")],
        )
        .status(303);
    assert_eq!(
        made.header("location"),
        Some(editor("M1-3-06/v12.pauta").as_str())
    );
    let cli_copy = workspace("nueva-cli");
    Pauta::new([
        "new-version",
        "M1-3-06",
        "--from-date",
        "2027-01-04",
        "--policies",
    ])
    .arg(cli_copy.join("policies"))
    .run()
    .success();
    assert_eq!(
        read(&policies.join("M1-3-06/v12.pauta")),
        read(&cli_copy.join("policies/M1-3-06/v12.pauta"))
    );
    wb.get(&editor("M1-3-06/v12.pauta"))
        .status(200)
        .has("versión 12 vigente desde 2027-01-04");
}

/// No page of this branch registers an uploaded export over HTTP (the evaluation page does),
/// so the impact is checked at the library level the editor calls: the edited text loaded with
/// `Loader::load_source` and evaluated as `pauta diff … --cases` evaluates it.
#[test]
fn the_impact_of_an_edited_text_is_pauta_diff_cases() {
    use pauta::diff::{Loader, Version, compare, impact, render};
    let dir = workspace("impacto");
    let policies = dir.join("policies");
    let edited_path = dir.join("editado/M1-3-06/v11.pauta");
    std::fs::create_dir_all(edited_path.parent().expect("a folder")).expect("a folder");
    let edited = read(&v11(&dir)).replacen("  ans 12 días hábiles", "  ans 3 días hábiles", 1);
    std::fs::write(&edited_path, &edited).expect("the edited copy");
    let as_of = "2024-12-31 23:59:59";
    let cli = Pauta::new(["diff"])
        .arg(v11(&dir))
        .arg(&edited_path)
        .args(["--policies"])
        .arg(&policies)
        .arg("--cases")
        .arg(example("casos.csv"))
        .arg("--history")
        .arg(example("historial.csv"))
        .args(["--as-of", as_of])
        .run()
        .failure(1);
    let mut loader = Loader::new(Some(policies.clone()));
    let old = loader
        .load(&v11(&dir).display().to_string())
        .expect("the saved version");
    // The edited text as the editor holds it: not read from the edited file, but beside the saved one.
    let new = loader
        .load_source(
            pauta::policy::SourceFile::new(edited_path.display().to_string(), &edited),
            &v11(&dir),
        )
        .expect("the edited text");
    let mut diff = compare(&old, &new).expect("a diff");
    let (Version::Procedure(a), Version::Procedure(b)) = (&old, &new) else {
        panic!("two procedure versions")
    };
    let mapping = pauta::cases::Mapping::embedded().expect("the mapping");
    let options = pauta::cases::RunOptions {
        cases: example("casos.csv"),
        history: Some(example("historial.csv")),
        as_of: pauta::cases::dates::DateReader::new(&mapping.date_formats)
            .parse(as_of)
            .expect("a date"),
        procedure: None,
        trace_case: None,
        pinned_version: None,
        history_reading: Default::default(),
    };
    diff.impact =
        Some(impact::evaluate_with_progress(a, b, &mapping, &options, &mut |_| {}).expect("the impact"));
    assert!(
        diff.impact.as_ref().is_some_and(|i| !i.shifts.is_empty()),
        "the change moves some case"
    );
    assert_eq!(render::text(&diff), cli.stdout);
}

#[test]
fn comparing_with_an_export_uploaded_on_the_evaluation_page_is_pauta_diff_cases() {
    let dir = workspace("impacto-http");
    let edited_path = dir.join("editado/M1-3-06/v11.pauta");
    std::fs::create_dir_all(edited_path.parent().expect("a folder")).expect("a folder");
    let edited = read(&v11(&dir)).replacen("  ans 12 días hábiles", "  ans 3 días hábiles", 1);
    std::fs::write(&edited_path, &edited).expect("the edited copy");
    let as_of = "2024-12-31 23:59:59";
    let cli = Pauta::new(["diff"])
        .arg(v11(&dir))
        .arg(&edited_path)
        .arg("--policies")
        .arg(dir.join("policies"))
        .arg("--cases")
        .arg(example("casos.csv"))
        .arg("--history")
        .arg(example("historial.csv"))
        .args(["--as-of", as_of])
        .run()
        .failure(1);

    let workbench = Workbench::start_in(&dir, &[]);
    let posted = workbench
        .post_multipart(
            "/evaluar",
            &[
                Part::file_at("casos", &example("casos.csv")),
                Part::file_at("historial", &example("historial.csv")),
            ],
        )
        .status(303);
    let id = posted
        .header("location")
        .and_then(|l| l.rsplit('/').next())
        .expect("the evaluation's address")
        .to_owned();
    let compared = workbench
        .post_json(
            "/api/politicas/comparar",
            &serde_json::json!({ "archivo": V11, "texto": edited, "exportacion": id, "corte": as_of }),
        )
        .status(200)
        .json();
    let shown = compared["texto"].as_str().expect("the comparison's text");
    // The first line names the two sides (the command line its two files, the page «en disco»
    // and «editado»); everything after it, the impact on the export included, is the same.
    // The files are named as uploaded: the private upload folder never shows.
    assert!(!shown.contains("pauta-web-"), "{shown}");
    let tail = |text: &str| {
        text.lines()
            .skip(1)
            .map(|line| line.replace(&example("").display().to_string(), ""))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(shown.contains("Impacto en la exportación casos.csv"), "{shown}");
    assert_eq!(tail(shown), tail(&cli.stdout));
}
