//! `pauta web`'s «Revisar piezas» (`/piezas`), through the real binary over HTTP, against the
//! command line on the same fixtures: a banner's findings and verdict, an SMS list's findings
//! and its corrected list (byte for byte `pauta sms check --fix`), a document's findings and its
//! cleaned copy (byte for byte `pauta document check --scrub`); hostile names escaped; unknown
//! downloads and foreign posts refused.

use std::path::{Path, PathBuf};

use crate::common::run::Pauta;
use crate::common::web::{Part, Reply, Workbench, multipart};
use crate::common::{PINNED, root, scratch};

fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/assets").join(name)
}

/// The finding codes of a results page, in order.
fn page_codes(reply: &Reply) -> Vec<String> {
    reply
        .text()
        .split("<td class=\"codigo\">")
        .skip(1)
        .filter_map(|rest| rest.split('<').next())
        .map(str::to_owned)
        .collect()
}

/// The finding codes of a command's JSON report, in order.
fn cli_codes(json: &serde_json::Value) -> Vec<String> {
    json["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings in {json}"))
        .iter()
        .filter_map(|finding| finding["code"].as_str().map(str::to_owned))
        .collect()
}

/// The first address on the page that starts with `prefix`.
fn link(reply: &Reply, prefix: &str) -> String {
    let text = reply.text();
    let at = text
        .find(&format!("href=\"{prefix}"))
        .unwrap_or_else(|| panic!("no link to {prefix}…:\n{text}"));
    text[at + 6..].split('"').next().unwrap_or_default().to_owned()
}

const TEXTS: [(&str, &str); 5] = [
    ("titulo", "Crédito educativo 2025"),
    ("descripcion", "Financie su pregrado con tasas preferenciales"),
    ("llamado", "Solicítelo hoy"),
    ("desde", "2025-03-01"),
    ("hasta", "2025-06-30"),
];

fn check_banner(workbench: &Workbench, file: &str, placement: &str) -> Reply {
    let path = fixture(file);
    let mut parts = vec![
        Part::file_at("banner", &path),
        Part::Text("ubicacion", placement),
        Part::Text("politica", "M1-3-06@11"),
    ];
    parts.extend(TEXTS.iter().map(|(name, value)| Part::Text(name, value)));
    workbench.post_multipart("/piezas/banner", &parts)
}

fn cli_banner(file: &str, placement: &str, json: bool) -> crate::common::run::Ran {
    let path = fixture(file);
    let mut command = Pauta::new(["banner", "check"])
        .arg(&path)
        .args(["--placement", placement, "--policy", "M1-3-06@11"])
        .args([
            "--title",
            TEXTS[0].1,
            "--description",
            TEXTS[1].1,
            "--cta",
            TEXTS[2].1,
            "--from",
            TEXTS[3].1,
            "--until",
            TEXTS[4].1,
        ])
        .pinned();
    if json {
        command = command.args(["--format", "json"]);
    }
    command.run()
}

#[test]
fn the_page_offers_the_three_forms_with_labelled_controls() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let reply = workbench.get("/piezas").status(200);
    for needle in [
        "<h2 id=\"banner-titulo\">Banner</h2>",
        "<h2 id=\"sms-titulo\">Lista SMS</h2>",
        "<h2 id=\"documento-titulo\">Documento</h2>",
        "action=\"/piezas/banner\"",
        "action=\"/piezas/sms\"",
        "action=\"/piezas/documento\"",
        "enctype=\"multipart/form-data\"",
        "<div class=\"zona-archivo\"><input type=\"file\" id=\"banner-archivo\"",
        "<label for=\"banner-ubicacion\">",
        "<option value=\"home\">Home Principal",
        "<label for=\"banner-desde\">",
        "<label for=\"banner-hasta\">",
        "<label for=\"banner-llamado\">",
        "<option value=\"M1-3-06@11\">",
        "La vigente hoy (M1-3-06@11)",
    ] {
        assert!(reply.text().contains(needle), "the page lacks «{needle}»");
    }
    assert!(!reply.text().contains("style="));
}

#[test]
fn a_banner_the_command_line_rejects_shows_the_same_codes_and_one_it_accepts_can_be_published() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    for (file, placement) in [
        ("banner_png_renombrado.jpg", "internal"),
        ("banner_truncado.jpg", "home"),
        ("banner_medidas.jpg", "home"),
    ] {
        let expected = cli_codes(&cli_banner(file, placement, true).failure(1).json());
        assert!(!expected.is_empty(), "{file}");
        let reply = check_banner(&workbench, file, placement)
            .status(200)
            .has("No se puede publicar: ")
            .lacks("Se puede publicar")
            .has(&format!("Archivo «{file}»"))
            .lacks("subida-");
        assert_eq!(page_codes(&reply), expected, "{file}");
    }
    cli_banner("banner_home.jpg", "home", false).success();
    let reply = check_banner(&workbench, "banner_home.jpg", "home")
        .status(200)
        .has("Se puede publicar")
        .has("role=\"status\"")
        .lacks("No se puede publicar");
    assert!(page_codes(&reply).is_empty());
}

#[test]
fn a_banner_form_without_dates_or_with_an_unknown_placement_says_what_to_fix() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let path = fixture("banner_home.jpg");
    workbench
        .post_multipart(
            "/piezas/banner",
            &[
                Part::file_at("banner", &path),
                Part::Text("ubicacion", "home"),
                Part::Text("desde", "2025-03-01"),
            ],
        )
        .status(400)
        .has("error[W013]")
        .has("Último día de publicación");
    workbench
        .post_multipart(
            "/piezas/banner",
            &[
                Part::file_at("banner", &path),
                Part::Text("ubicacion", "lateral"),
                Part::Text("desde", "2025-03-01"),
                Part::Text("hasta", "2025-04-01"),
            ],
        )
        .status(422)
        .has("error[K005]")
        .has("Home Principal");
}

#[test]
fn an_sms_list_shows_the_command_lines_findings_and_its_corrected_list_byte_for_byte() {
    let dir = scratch("web_pieces", "sms_fix");
    std::fs::copy(fixture("campana_sms_errores.csv"), dir.join("campana.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    // The command line without --policy: the version in force today, as the page's default.
    let json = Pauta::new(["sms", "check", "campana.csv", "--format", "json"])
        .pinned()
        .current_dir(&dir)
        .run()
        .failure(1)
        .json();
    Pauta::new(["sms", "check", "campana.csv", "--fix", "corregida.csv"])
        .pinned()
        .current_dir(&dir)
        .run()
        .failure(1);

    let workbench = Workbench::start(&["--policies", PINNED]);
    let reply = workbench
        .post_multipart("/piezas/sms", &[Part::file_at("lista", &dir.join("campana.csv"))])
        .status(200)
        .has("La lista no cumple: ")
        .has("<dd>14</dd>")
        .has("Lista «campana.csv»")
        .lacks("subida-");
    assert_eq!(page_codes(&reply), cli_codes(&json));
    for finding in json["findings"].as_array().into_iter().flatten() {
        let line = finding["location"]["line"].as_u64().unwrap_or_default();
        assert!(
            reply
                .text()
                .contains(&format!("<td class=\"numero\">{line}</td>")),
            "line {line} is not on the page"
        );
    }
    let corrected = link(&reply, "/piezas/sms/");
    assert!(corrected.ends_with("/corregida.csv"), "{corrected}");
    let download = workbench.get(&corrected).status(200);
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"corregida.csv\"")
    );
    assert_eq!(download.body, read(&dir.join("corregida.csv")));
    let errors = corrected.replace("corregida.csv", "errores.csv");
    assert_eq!(
        workbench.get(&errors).status(200).body,
        read(&dir.join("corregida.errores.csv"))
    );
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

#[test]
fn a_document_shows_the_command_lines_findings_and_its_cleaned_copy_byte_for_byte() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    for (file, copy) in [
        ("documento_metadatos.pdf", "limpio.pdf"),
        ("libro_propiedades.xlsx", "limpio.xlsx"),
    ] {
        let dir = scratch("web_pieces", &format!("scrub_{copy}"));
        let json = Pauta::new(["document", "check"])
            .arg(fixture(file))
            .args(["--policy", "M1-3-06@11", "--format", "json"])
            .pinned()
            .run()
            .failure(1)
            .json();
        Pauta::new(["document", "check"])
            .arg(fixture(file))
            .args(["--policy", "M1-3-06@11", "--scrub"])
            .arg(dir.join(copy))
            .pinned()
            .run();
        let reply = workbench
            .post_multipart(
                "/piezas/documento",
                &[
                    Part::file_at("documento", &fixture(file)),
                    Part::Text("politica", "M1-3-06@11"),
                ],
            )
            .status(200)
            .has("No se puede publicar: ")
            .has(&format!("Documento «{file}»"))
            .lacks("subida-");
        let codes = page_codes(&reply);
        let original = cli_codes(&json);
        assert_eq!(codes.get(..original.len()), Some(original.as_slice()), "{file}");
        let address = link(&reply, "/piezas/documento/");
        assert!(address.ends_with(&format!("/{copy}")), "{address}");
        let download = workbench.get(&address).status(200);
        assert!(!download.body.is_empty());
        assert_eq!(download.body, read(&dir.join(copy)), "{file}");
    }
}

#[test]
fn hostile_names_in_a_list_and_in_a_file_name_are_shown_escaped() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let list = "Nombre,Apellido,Cédula,Mensaje\n\
                <script>alert(1)</script>,Díaz,80123456,Hola\n\
                \"\"\"><img src=x onerror=alert(1)>\",Pérez,<script>alert(1)</script>,Hola\n";
    let name = "<img src=x onerror=alert(1)>.csv";
    let reply = workbench
        .post_multipart(
            "/piezas/sms",
            &[Part::File("lista", name, list.as_bytes().to_vec())],
        )
        .status(200)
        .has("&lt;img src=x onerror=alert(1)&gt;.csv")
        .has("la cédula «&lt;script&gt;alert(1)&lt;/script&gt;»");
    for raw in ["<script>alert", "<img src=x", "\"><img"] {
        assert!(!reply.text().contains(raw), "raw «{raw}» on the results page");
    }
    let first = workbench
        .get("/piezas")
        .status(200)
        .has("&lt;img src=x onerror=alert(1)&gt;.csv");
    for raw in ["<script>alert", "<img src=x"] {
        assert!(!first.text().contains(raw), "raw «{raw}» on the first page");
    }
}

#[test]
fn an_unknown_download_is_not_found_and_a_foreign_post_is_refused() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    for path in [
        "/piezas/sms/999/corregida.csv",
        "/piezas/sms/abc/corregida.csv",
        "/piezas/documento/1/limpio.pdf",
        "/piezas/sms/1/..%2F..%2Fetc%2Fpasswd",
    ] {
        workbench.get(path).status(404).has("error[W014]");
    }
    let list = std::fs::read(fixture("campana_sms.csv")).unwrap_or_else(|e| panic!("{e}"));
    let (content_type, body) = multipart(&[Part::File("lista", "campana.csv", list)]);
    workbench
        .request("POST", "/piezas/sms")
        .body(&content_type, body.clone())
        .send()
        .status(403)
        .has("error[W010]");
    workbench
        .request("POST", "/piezas/sms")
        .header("Origin", "http://atacante.example")
        .body(&content_type, body)
        .send()
        .status(403)
        .has("error[W010]");
    workbench
        .get("/piezas")
        .status(200)
        .has("Aún no se ha revisado ninguna pieza");
}
