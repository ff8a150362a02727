//! Excel workbooks (xlsx, a zip of XML parts): protection locks, revealing properties
//! (`docProps/core.xml`, `app.xml`, `custom.xml`, the local path in `xl/workbook.xml`), entry
//! dates, and the scrub that rewrites the property parts keeping only title and language.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};
use std::path::Path;

use serde::Serialize;
use zip::ZipArchive;
use zip::write::SimpleFileOptions;

use super::pdf::{Keep, PdfFacts};
use super::xml::{self, Element};
use super::{AssetError, Code, Finding, Location};

/// Largest part read into memory (a guard against zip bombs).
const MAX_PART: u64 = 512 * 1024 * 1024;

/// What kind of OOXML/ODF zip this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZipKind {
    /// Format name as policies write it (`xlsx`, `xlsm`, `docx`, `ods`…), `zip`, or `damaged`
    /// when the container cannot be read.
    pub format: String,
    /// Description for messages.
    pub label: String,
}

/// Classify a zip by its parts.
pub(crate) fn kind(bytes: &[u8]) -> ZipKind {
    let make = |format: &str, label: &str| ZipKind {
        format: format.into(),
        label: label.into(),
    };
    let Ok(mut archive) = ZipArchive::new(Cursor::new(bytes)) else {
        return make("damaged", "un archivo zip dañado o truncado");
    };
    if let Some(mimetype) = read_part(&mut archive, "mimetype") {
        return match mimetype.trim() {
            "application/vnd.oasis.opendocument.spreadsheet" => {
                make("ods", "una hoja de cálculo OpenDocument (ods)")
            }
            "application/vnd.oasis.opendocument.text" => make("odt", "un documento OpenDocument (odt)"),
            _ => make("zip", "un archivo OpenDocument"),
        };
    }
    let types = read_part(&mut archive, "[Content_Types].xml").unwrap_or_default();
    if types.contains("spreadsheetml.sheet.main+xml") {
        make("xlsx", "un libro de Excel (xlsx)")
    } else if types.contains("ms-excel.sheet.macroEnabled.main+xml") {
        make("xlsm", "un libro de Excel con macros (xlsm)")
    } else if types.contains("spreadsheetml.template.main+xml") {
        make("xltx", "una plantilla de Excel (xltx)")
    } else if types.contains("wordprocessingml") {
        make("docx", "un documento de Word (docx)")
    } else if types.contains("presentationml") {
        make("pptx", "una presentación de PowerPoint (pptx)")
    } else if has_part(&archive, "xl/workbook.xml") {
        make("xlsx", "un libro de Excel (xlsx)")
    } else {
        make("zip", "un archivo zip")
    }
}

fn has_part<R: Read + std::io::Seek>(archive: &ZipArchive<R>, name: &str) -> bool {
    archive.index_for_name(name).is_some()
}

fn read_part<R: Read + std::io::Seek>(archive: &mut ZipArchive<R>, name: &str) -> Option<String> {
    let file = archive.by_name(name).ok()?;
    let mut text = String::new();
    file.take(MAX_PART).read_to_string(&mut text).ok()?;
    Some(text)
}

/// Relationship targets of `xl/_rels/workbook.xml.rels` by id, and sheet names by part path.
fn sheet_names<R: Read + std::io::Seek>(
    archive: &mut ZipArchive<R>,
    workbook: &[Element],
) -> HashMap<String, String> {
    let rels = read_part(archive, "xl/_rels/workbook.xml.rels").unwrap_or_default();
    let targets: HashMap<String, String> = xml::elements(&rels)
        .iter()
        .filter(|e| e.local() == "Relationship")
        .filter_map(|e| {
            let target = e.attr("Target")?;
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            Some((e.attr("Id")?.to_string(), path))
        })
        .collect();
    workbook
        .iter()
        .filter(|e| e.local() == "sheet")
        .filter_map(|e| {
            let id = e.attr("r:id").or_else(|| e.attr("id"))?;
            Some((targets.get(id)?.clone(), e.attr("name")?.to_string()))
        })
        .collect()
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// Check an xlsx, appending findings; returns the title and language for accessibility.
pub(crate) fn inspect(
    name: &str,
    bytes: &[u8],
    rules: &crate::policy::model::DocumentRules,
    keep: &Keep,
    findings: &mut Vec<Finding>,
) -> PdfFacts {
    let mut facts = PdfFacts::default();
    let here = || Location::file(name);
    let mut archive = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            findings.push(Finding::new(
                Code::D003,
                format!("`{name}`: el libro no se pudo abrir como zip ({e}); puede estar truncado. Guárdelo de nuevo desde Excel."),
                here(),
            ));
            return facts;
        }
    };
    // Encrypted entries and entry dates.
    let mut dated: Option<String> = None;
    for i in 0..archive.len() {
        let Ok(file) = archive.by_index_raw(i) else {
            continue;
        };
        if file.encrypted() && rules.no_password {
            findings.push(Finding::new(
                Code::D002,
                format!(
                    "`{name}`: la parte {} del libro está cifrada con contraseña. Quite la contraseña y guárdelo de nuevo.",
                    file.name().unwrap_or_default()
                ),
                here().with_part(&file.name().unwrap_or_default()),
            ));
            break;
        }
        if dated.is_none()
            && let Some(t) = file.last_modified()
            && (t.year(), t.month(), t.day()) != (1980, 1, 1)
        {
            dated = Some(format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute()
            ));
        }
    }

    let workbook_xml = read_part(&mut archive, "xl/workbook.xml").unwrap_or_default();
    let workbook = xml::elements(&workbook_xml);
    if rules.no_password {
        for e in &workbook {
            let lock = match e.local() {
                "workbookProtection" if locks_workbook(e) => Some("la estructura del libro está protegida"),
                "fileSharing" if locks_workbook(e) => {
                    Some("el libro pide contraseña de escritura o recomienda abrirlo solo para lectura")
                }
                _ => None,
            };
            if let Some(what) = lock {
                findings.push(Finding::new(
                    Code::D011,
                    format!(
                        "`{name}`: {what} ({}). Quite la protección en Revisar › Proteger libro y guárdelo de nuevo.",
                        e.local()
                    ),
                    here().with_part("xl/workbook.xml").with_field(e.local()),
                ));
            }
        }
        let names = sheet_names(&mut archive, &workbook);
        let mut parts: Vec<String> = archive
            .file_names()
            .filter_map(Result::ok)
            .filter(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"))
            .map(|n| n.to_string())
            .collect();
        parts.sort();
        for part in parts {
            let text = read_part(&mut archive, &part).unwrap_or_default();
            if sheet_locked(&text) {
                let sheet = names.get(&part).cloned().unwrap_or_else(|| part.clone());
                findings.push(Finding::new(
                    Code::D011,
                    format!(
                        "`{name}`: la hoja «{sheet}» está protegida (bloqueada). Quite la protección en Revisar › Desproteger hoja y guárdelo de nuevo."
                    ),
                    here().with_part(&part).with_field(&sheet),
                ));
            }
        }
    }

    // Properties.
    let core = read_part(&mut archive, "docProps/core.xml").map(|t| xml::elements(&t));
    if let Some(core) = &core {
        facts.title = value_of(core, "title");
        facts.language = value_of(core, "language");
    }
    if rules.no_metadata {
        if let Some(core) = &core {
            for e in core.iter().filter(|e| e.depth == 1) {
                let value = e.text.trim();
                if value.is_empty() {
                    continue;
                }
                let (code, what) = match e.local() {
                    "title" if keep.title => continue,
                    "language" if keep.language => continue,
                    "creator" => (Code::D005, "el autor"),
                    "lastModifiedBy" => (Code::D005, "quién lo modificó por última vez"),
                    "created" => (Code::D007, "la fecha de creación"),
                    "modified" => (Code::D007, "la fecha de modificación"),
                    "lastPrinted" => (Code::D007, "la fecha de impresión"),
                    _ => (Code::D009, "un dato descriptivo"),
                };
                findings.push(property(name, "docProps/core.xml", e, code, what, value));
            }
        }
        if let Some(app) = read_part(&mut archive, "docProps/app.xml") {
            for e in xml::elements(&app).iter().filter(|e| e.depth == 1) {
                let value = e.text.trim();
                if value.is_empty() {
                    continue;
                }
                let (code, what) = match e.local() {
                    "Application" => (Code::D006, "la aplicación"),
                    "AppVersion" => (Code::D006, "la versión de la aplicación"),
                    "Company" => (Code::D005, "la organización"),
                    "Manager" => (Code::D005, "el responsable"),
                    "Template" | "HyperlinkBase" | "TotalTime" => {
                        (Code::D009, "un dato del entorno de edición")
                    }
                    _ => continue,
                };
                findings.push(property(name, "docProps/app.xml", e, code, what, value));
            }
        }
        if let Some(custom) = read_part(&mut archive, "docProps/custom.xml") {
            for e in xml::elements(&custom).iter().filter(|e| e.local() == "property") {
                let key = e.attr("name").unwrap_or("?").to_string();
                findings.push(Finding::new(
                    Code::D008,
                    format!(
                        "`{name}`: el libro tiene la propiedad personalizada «{key}» en docProps/custom.xml. Quite los metadatos (pauta document check --scrub SALIDA.xlsx) antes de publicar."
                    ),
                    here().with_part("docProps/custom.xml").with_field(&key),
                ));
            }
        }
        if let Some(path) = workbook
            .iter()
            .find(|e| e.local() == "absPath")
            .and_then(|e| e.attr("url"))
        {
            findings.push(Finding::new(
                Code::D012,
                format!(
                    "`{name}`: el libro guarda la carpeta donde se editó: «{}» (puede revelar el usuario y el equipo). Quite los metadatos (pauta document check --scrub SALIDA.xlsx).",
                    short(path)
                ),
                here().with_part("xl/workbook.xml").with_field("x15ac:absPath"),
            ));
        }
        if let Some(date) = dated {
            findings.push(Finding::new(
                Code::D017,
                format!(
                    "`{name}`: las partes del contenedor zip guardan fecha de modificación ({date}). Al limpiar (--scrub) se ponen en 1980-01-01."
                ),
                here(),
            ));
        }
    }
    super::pdf::accessibility(name, rules, &facts, findings, false);
    facts
}

fn truthy(value: &str) -> bool {
    matches!(value.trim(), "1" | "true" | "on")
}

/// A `workbookProtection` or `fileSharing` element that actually locks something (an empty
/// `<workbookProtection/>`, as some writers emit, locks nothing).
fn locks_workbook(e: &Element) -> bool {
    e.attrs.iter().any(|(k, v)| {
        let local = k.rsplit(':').next().unwrap_or(k);
        match local {
            "lockStructure" | "lockWindows" | "lockRevision" | "readOnlyRecommended" => truthy(v),
            _ => local.contains("Password") || local.contains("HashValue"),
        }
    })
}

/// Whether a worksheet's `sheetProtection` element has `sheet="1"` (found without scanning
/// every cell: only that one tag is parsed).
fn sheet_locked(sheet_xml: &str) -> bool {
    let Some(start) = sheet_xml
        .find("sheetProtection ")
        .or_else(|| sheet_xml.find("sheetProtection/"))
    else {
        return false;
    };
    let tag_start = sheet_xml.get(..start).and_then(|b| b.rfind('<')).unwrap_or(start);
    let rest = sheet_xml.get(tag_start..).unwrap_or("");
    let end = rest.find('>').map(|i| i + 1).unwrap_or(rest.len());
    xml::elements(rest.get(..end).unwrap_or(""))
        .first()
        .and_then(|e| e.attr("sheet"))
        .is_some_and(truthy)
}

fn value_of(elements: &[Element], local: &str) -> Option<String> {
    elements
        .iter()
        .find(|e| e.depth == 1 && e.local() == local)
        .map(|e| e.text.trim().to_string())
        .filter(|t| !t.is_empty())
}

fn property(name: &str, part: &str, e: &Element, code: Code, what: &str, value: &str) -> Finding {
    Finding::new(
        code,
        format!(
            "`{name}`: {part} guarda {what}: {} = «{}». Quite los metadatos (pauta document check --scrub SALIDA.xlsx) antes de publicar.",
            e.name,
            short(value)
        ),
        Location::file(name).with_part(part).with_field(&e.name),
    )
}

const CORE_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#;

const APP_EMPTY: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;

const CUSTOM_EMPTY: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"></Properties>"#;

/// Remove the `mc:AlternateContent` block that holds `x15ac:absPath` (or the element alone).
fn without_abs_path(workbook: &str) -> String {
    let Some(at) = workbook.find("absPath") else {
        return workbook.to_string();
    };
    let before = workbook.get(..at).unwrap_or("");
    let block = before.rfind("<mc:AlternateContent").and_then(|start| {
        let end =
            workbook.get(start..)?.find("</mc:AlternateContent>")? + start + "</mc:AlternateContent>".len();
        (end > at).then_some((start, end))
    });
    let (start, end) = match block {
        Some(range) => range,
        None => {
            let start = before.rfind('<').unwrap_or(at);
            let end = workbook
                .get(at..)
                .and_then(|r| r.find("/>"))
                .map(|i| at + i + 2)
                .unwrap_or(at);
            (start, end)
        }
    };
    format!(
        "{}{}",
        workbook.get(..start).unwrap_or(""),
        workbook.get(end..).unwrap_or("")
    )
}

/// Write a scrubbed copy: every part copied as is (without recompressing) except the property
/// parts, rewritten to keep only title and language, and `xl/workbook.xml` without the local
/// path; every entry dated 1980-01-01.
pub(crate) fn scrub(bytes: &[u8], out: &Path, keep: &Keep) -> Result<(), AssetError> {
    let fail = |reason: String| AssetError::Unwritable {
        path: out.display().to_string(),
        reason,
    };
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(e.to_string()))?;
    let core = read_part(&mut archive, "docProps/core.xml").map(|t| xml::elements(&t));
    let file = std::fs::File::create(out).map_err(|e| fail(e.to_string()))?;
    let mut writer = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let entry_name = archive
            .by_index_raw(i)
            .map_err(|e| fail(e.to_string()))?
            .name()
            .map_err(|e| fail(e.to_string()))?
            .to_string();
        let replacement = match entry_name.as_str() {
            "docProps/core.xml" => {
                let mut text = CORE_HEAD.to_string();
                let elements = core.as_deref().unwrap_or_default();
                if keep.title
                    && let Some(title) = value_of(elements, "title")
                {
                    text.push_str(&format!("<dc:title>{}</dc:title>", xml::escape(&title)));
                }
                if keep.language
                    && let Some(language) = value_of(elements, "language")
                {
                    text.push_str(&format!("<dc:language>{}</dc:language>", xml::escape(&language)));
                }
                text.push_str("</cp:coreProperties>");
                Some(text)
            }
            "docProps/app.xml" => Some(APP_EMPTY.to_string()),
            "docProps/custom.xml" => Some(CUSTOM_EMPTY.to_string()),
            "xl/workbook.xml" => {
                let text = read_part(&mut archive, "xl/workbook.xml").unwrap_or_default();
                text.contains("absPath").then(|| without_abs_path(&text))
            }
            _ => None,
        };
        match replacement {
            Some(text) => {
                writer
                    .start_file(entry_name.as_str(), options)
                    .map_err(|e| fail(e.to_string()))?;
                writer
                    .write_all(text.as_bytes())
                    .map_err(|e| fail(e.to_string()))?;
            }
            None => {
                let entry = archive.by_index_raw(i).map_err(|e| fail(e.to_string()))?;
                writer
                    .raw_copy_file_touch(entry, zip::DateTime::default(), None)
                    .map_err(|e| fail(e.to_string()))?;
            }
        }
    }
    let mut inner = writer.finish().map_err(|e| fail(e.to_string()))?;
    inner.flush().map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abs_path_block_is_removed() {
        let xml = r#"<workbook><fileVersion appName="xl"/><mc:AlternateContent xmlns:mc="m"><mc:Choice Requires="x15"><x15ac:absPath url="C:\Users\juan\" xmlns:x15ac="a"/></mc:Choice></mc:AlternateContent><bookViews/></workbook>"#;
        assert_eq!(
            without_abs_path(xml),
            r#"<workbook><fileVersion appName="xl"/><bookViews/></workbook>"#
        );
        assert_eq!(without_abs_path("<a/>"), "<a/>");
    }
}
