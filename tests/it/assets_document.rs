//! Document checks: PDFs and xlsx generated here (with and without text, metadata, tags,
//! encryption, protection, properties), legacy OLE containers, committed real-world-like samples,
//! and `--scrub` outputs checked again. Snapshots of the text and JSON reports.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use pauta::assets::document::{DocumentReport, Kind, scrub_document};
use pauta::assets::samples::{self, Page, PdfSpec, XlsxSpec};
use pauta::assets::{Code, Severity};

use crate::common;

use common::root;
use common::run::Pauta;
use common::snap::text as snapshot;

fn scratch(name: &str) -> PathBuf {
    common::scratch("assets_document", name)
}

use common::check_document as check;

fn codes(report: &DocumentReport) -> Vec<Code> {
    report.findings.iter().map(|f| f.code).collect()
}

fn errors(report: &DocumentReport) -> Vec<Code> {
    report
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code)
        .collect()
}

/// A PDF that meets every rule: text on every page, title, language, tags, no other metadata.
fn clean_pdf() -> PdfSpec {
    PdfSpec {
        pages: vec![
            Page::Text("Tarifas 2025".into()),
            Page::FormText("Condiciones".into()),
        ],
        info: vec![("Title".into(), "Tarifas de crédito 2025".into())],
        language: Some("es-CO".into()),
        tagged: true,
        ..PdfSpec::default()
    }
}

fn revealing_pdf() -> PdfSpec {
    PdfSpec {
        info: vec![
            ("Title".into(), "Tarifas".into()),
            ("Author".into(), "Juan Pérez".into()),
            ("Creator".into(), "Microsoft Word".into()),
            ("Producer".into(), "Adobe PDF Library 23.1".into()),
            ("CreationDate".into(), "D:20250115093000-05'00'".into()),
            ("ModDate".into(), "D:20250203160500-05'00'".into()),
            ("Keywords".into(), "tarifas".into()),
            ("Departamento".into(), "Oficina Comercial".into()),
        ],
        xmp: true,
        ..clean_pdf()
    }
}

// ---------------------------------------------------------------- PDF

#[test]
fn a_clean_pdf_passes_without_findings() {
    let report = check("ok.pdf", samples::pdf(&clean_pdf()));
    assert_eq!(report.kind, Kind::Pdf);
    assert_eq!(codes(&report), vec![]);
    let facts = report.facts.unwrap();
    assert_eq!(facts.pages, 2);
    assert_eq!(facts.title.as_deref(), Some("Tarifas de crédito 2025"));
    assert_eq!(facts.language.as_deref(), Some("es-CO"));
    assert!(facts.tagged);
}

#[test]
fn image_only_pages_are_named() {
    let spec = PdfSpec {
        pages: vec![
            Page::Text("uno".into()),
            Page::Image(2_000),
            Page::Image(2_000),
            Page::Text("cuatro".into()),
            Page::Image(2_000),
        ],
        ..clean_pdf()
    };
    let report = check("scan.pdf", samples::pdf(&spec));
    assert_eq!(codes(&report), vec![Code::D004]);
    let finding = &report.findings[0];
    assert_eq!(finding.location.pages, vec![2, 3, 5]);
    assert!(
        finding
            .message
            .contains("3 de 5 página(s) no tienen texto extraíble (página(s) 2–3, 5)")
    );
}

#[test]
fn every_revealing_metadata_is_reported_and_scrubbed() {
    let report = check("meta.pdf", samples::pdf(&revealing_pdf()));
    assert_eq!(
        codes(&report),
        vec![
            Code::D005,
            Code::D006,
            Code::D006,
            Code::D007,
            Code::D007,
            Code::D008,
            Code::D010,
            Code::D009
        ]
    );
    let xmp = report.findings.iter().find(|f| f.code == Code::D010).unwrap();
    assert!(xmp.message.contains("CreatorTool"), "{}", xmp.message);

    let dir = scratch("scrub_pdf");
    let original = dir.join("meta.pdf");
    std::fs::write(&original, samples::pdf(&revealing_pdf())).unwrap();
    let before = std::fs::read(&original).unwrap();
    let out = dir.join("limpio.pdf");
    let scrubbed = scrub_document(&original, &out, &common::document_rules(), "X").unwrap();
    let scrub = scrubbed.scrub.clone().unwrap();
    assert!(scrub.written);
    assert_eq!(scrub.recheck, vec![]);
    assert!(!scrubbed.failed());
    assert_eq!(
        std::fs::read(&original).unwrap(),
        before,
        "the original is never modified"
    );
    // The copy keeps title, language, tags and text.
    let again = check("limpio.pdf", std::fs::read(&out).unwrap());
    assert_eq!(codes(&again), vec![]);
    let facts = again.facts.unwrap();
    assert_eq!(
        (facts.title.as_deref(), facts.language.as_deref(), facts.tagged),
        (Some("Tarifas"), Some("es-CO"), true)
    );
    let raw = String::from_utf8_lossy(&std::fs::read(&out).unwrap()).to_string();
    for leak in ["Author", "Producer", "CreatorTool", "Departamento", "Metadata"] {
        assert!(!raw.contains(leak), "{leak} left in the copy");
    }
}

#[test]
fn encrypted_pdfs_fail_and_are_not_scrubbed() {
    let with_user_password = PdfSpec {
        encrypt: Some(("dueño".into(), "secreta".into())),
        ..clean_pdf()
    };
    let report = check("locked.pdf", samples::pdf(&with_user_password));
    assert_eq!(errors(&report), vec![Code::D002]);
    assert!(
        report.findings[0]
            .message
            .contains("pide contraseña para abrirlo")
    );

    let owner_only = PdfSpec {
        encrypt: Some(("dueño".into(), String::new())),
        ..clean_pdf()
    };
    let report = check("restricted.pdf", samples::pdf(&owner_only));
    assert_eq!(errors(&report), vec![Code::D002]);
    assert!(report.findings[0].message.contains("contraseña de propietario"));

    let dir = scratch("scrub_encrypted");
    std::fs::write(dir.join("r.pdf"), samples::pdf(&owner_only)).unwrap();
    let r = scrub_document(
        &dir.join("r.pdf"),
        &dir.join("out.pdf"),
        &common::document_rules(),
        "X",
    )
    .unwrap();
    assert!(!r.scrub.unwrap().written);
    assert!(!dir.join("out.pdf").exists());
    assert!(errors(&check("r.pdf", std::fs::read(dir.join("r.pdf")).unwrap())).contains(&Code::D002));
}

#[test]
fn accessibility_basics_are_warnings() {
    let spec = PdfSpec {
        info: vec![],
        language: None,
        tagged: false,
        ..clean_pdf()
    };
    let report = check("plain.pdf", samples::pdf(&spec));
    assert_eq!(codes(&report), vec![Code::D013, Code::D014, Code::D015]);
    assert!(report.findings.iter().all(|f| f.severity == Severity::Warning));
    assert!(!report.failed());
}

#[test]
fn a_truncated_pdf_is_damaged_not_a_crash() {
    let bytes = samples::pdf(&clean_pdf());
    for cut in [20, bytes.len() / 3, bytes.len() / 2] {
        let report = check("cut.pdf", bytes[..cut].to_vec());
        assert!(report.failed(), "cut at {cut}");
    }
}

// ---------------------------------------------------------------- xlsx and OLE

fn revealing_xlsx() -> XlsxSpec {
    XlsxSpec {
        core: vec![
            ("dc:title".into(), "Tarifas 2025".into()),
            ("dc:language".into(), "es-CO".into()),
            ("dc:creator".into(), "Juan Pérez".into()),
            ("cp:lastModifiedBy".into(), "María Gómez".into()),
            ("dcterms:created".into(), "2025-01-15T09:30:00Z".into()),
            ("dcterms:modified".into(), "2025-02-03T16:05:00Z".into()),
            ("cp:keywords".into(), "tarifas".into()),
        ],
        app: vec![
            ("Application".into(), "Microsoft Excel".into()),
            ("AppVersion".into(), "16.0300".into()),
            ("Company".into(), "ICETEX".into()),
        ],
        custom: vec![("Clasificación".into(), "Uso interno".into())],
        abs_path: Some("C:\\Users\\jperez\\Documents\\".into()),
        dated: true,
        ..XlsxSpec::default()
    }
}

#[test]
fn a_clean_xlsx_passes() {
    let spec = XlsxSpec {
        core: vec![
            ("dc:title".into(), "Tarifas 2025".into()),
            ("dc:language".into(), "es-CO".into()),
        ],
        ..XlsxSpec::default()
    };
    let report = check("ok.xlsx", samples::xlsx(&spec));
    assert_eq!(report.kind, Kind::Xlsx);
    assert_eq!(codes(&report), vec![]);
}

#[test]
fn xlsx_properties_and_protection_are_reported_and_scrubbed() {
    let spec = XlsxSpec {
        sheet_protected: true,
        workbook_protected: true,
        ..revealing_xlsx()
    };
    let report = check("libro.xlsx", samples::xlsx(&spec));
    assert_eq!(
        errors(&report),
        vec![
            Code::D005,
            Code::D005,
            Code::D005,
            Code::D006,
            Code::D006,
            Code::D007,
            Code::D007,
            Code::D008,
            Code::D011,
            Code::D011,
            Code::D012
        ]
    );
    let sheet = report
        .findings
        .iter()
        .find(|f| f.location.field.as_deref() == Some("Datos"))
        .unwrap();
    assert_eq!(sheet.code, Code::D011);

    // Scrub a workbook without protection: the copy passes, title and language kept.
    let dir = scratch("scrub_xlsx");
    std::fs::write(dir.join("libro.xlsx"), samples::xlsx(&revealing_xlsx())).unwrap();
    let r = scrub_document(
        &dir.join("libro.xlsx"),
        &dir.join("limpio.xlsx"),
        &common::document_rules(),
        "X",
    )
    .unwrap();
    assert!(!r.failed(), "{:#?}", r.scrub);
    let again = check("limpio.xlsx", std::fs::read(dir.join("limpio.xlsx")).unwrap());
    assert_eq!(codes(&again), vec![]);
    let facts = again.facts.unwrap();
    assert_eq!(
        (facts.title.as_deref(), facts.language.as_deref()),
        (Some("Tarifas 2025"), Some("es-CO"))
    );

    // With protection the copy is written without metadata, but still fails on the lock.
    std::fs::write(dir.join("bloqueado.xlsx"), samples::xlsx(&spec)).unwrap();
    let r = scrub_document(
        &dir.join("bloqueado.xlsx"),
        &dir.join("b.xlsx"),
        &common::document_rules(),
        "X",
    )
    .unwrap();
    let scrub = r.scrub.clone().unwrap();
    assert!(scrub.written && r.failed());
    assert_eq!(
        scrub.recheck.iter().map(|f| f.code).collect::<Vec<_>>(),
        vec![Code::D011, Code::D011]
    );
}

#[test]
fn legacy_and_encrypted_office_containers_are_recognised() {
    let encrypted_xlsx = samples::ole(&[("EncryptionInfo", b"info"), ("EncryptedPackage", b"data")]);
    let r = check("protegido.xlsx", encrypted_xlsx);
    assert_eq!(errors(&r), vec![Code::D002]);
    assert!(
        r.findings[0]
            .message
            .contains("cifrado con contraseña de apertura")
    );

    let locked_xls = samples::ole(&[("Workbook", &samples::biff_workbook(true))]);
    let r = check("viejo.xls", locked_xls);
    assert_eq!(errors(&r), vec![Code::D001, Code::D002]);

    let plain_xls = samples::ole(&[("Workbook", &samples::biff_workbook(false))]);
    let r = check("viejo.xls", plain_xls);
    assert_eq!(errors(&r), vec![Code::D001]);
    assert!(r.findings[0].message.contains("Excel 97-2003 (.xls)"));
}

#[test]
fn format_is_read_from_content_not_extension() {
    // A PDF named .xlsx is a PDF; a JPEG named .pdf is refused; a docx is not a workbook.
    assert_eq!(check("x.xlsx", samples::pdf(&clean_pdf())).kind, Kind::Pdf);
    let r = check("x.pdf", samples::jpeg(100, 100, 500));
    assert_eq!(errors(&r), vec![Code::D001]);
    let r = check("x.xlsx", b"Nombre;Apellido\n".to_vec());
    assert_eq!(errors(&r), vec![Code::D001]);
}

// ---------------------------------------------------------------- binary and samples

#[test]
fn committed_samples_text_and_json() {
    for (file, name) in [
        ("documento_metadatos.pdf", "assets_document_pdf_metadata"),
        ("documento_escaneado.pdf", "assets_document_pdf_scanned"),
        ("libro_propiedades.xlsx", "assets_document_xlsx_properties"),
    ] {
        let path = format!("tests/fixtures/assets/{file}");
        let text = Pauta::new(["document", "check", &path, "--policy", "M1-3-06@11"])
            .run()
            .failure(1)
            .stdout;
        snapshot(name, &text);
        let json = Pauta::new([
            "document",
            "check",
            &path,
            "--policy",
            "M1-3-06@11",
            "--format",
            "json",
        ])
        .run()
        .stdout;
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert!(value["counts"]["errors"].as_u64().unwrap() > 0);
        snapshot(&format!("{name}_json"), &json);
    }
}

#[test]
fn scrub_through_the_binary_then_check_the_copy_again() {
    let dir = scratch("scrub_binary");
    std::fs::copy(
        root().join("tests/fixtures/assets/documento_metadatos.pdf"),
        dir.join("tarifas.pdf"),
    )
    .unwrap();
    let text = Pauta::new([
        "document",
        "check",
        "tarifas.pdf",
        "--scrub",
        "tarifas-limpio.pdf",
        "--policy",
        "M1-3-06@11",
    ])
    .current_dir(&dir)
    .run()
    .success()
    .stdout;
    snapshot("assets_document_scrub_pdf", &text);
    Pauta::new(["document", "check", "tarifas-limpio.pdf"])
        .current_dir(&dir)
        .run()
        .success()
        .stdout_has("título «Tarifas de crédito 2025»");

    Pauta::new(["document", "check", "tarifas.pdf", "--scrub", "tarifas.pdf"])
        .current_dir(&dir)
        .run()
        .failure(2)
        .stderr_has("el original nunca se modifica");
    Pauta::new(["document", "check", "no/existe.pdf"])
        .run()
        .failure(2)
        .stderr_has("no se pudo leer");
}

#[test]
fn the_data_formats_list_every_finding_code() {
    let readme = std::fs::read_to_string(root().join("docs/formatos.md")).unwrap();
    for entry in pauta::assets::CATALOGUE {
        let row = format!(
            "| {} | {} | {} |",
            entry.code,
            entry.severity.label(),
            entry.meaning
        );
        assert!(readme.contains(&row), "docs/formatos.md is missing: {row}");
    }
}
