//! Excel workbooks (xlsx, a zip of XML parts): protection locks, revealing properties
//! (`docProps/core.xml`, `app.xml`, `custom.xml`, the local path in `xl/workbook.xml`), entry
//! dates, and the scrub that rewrites the property parts keeping only title and language.

use std::collections::HashMap;
use std::io::{Cursor, Read, Seek, Write};
use std::path::Path;

use serde::Serialize;
use zip::ZipArchive;
use zip::result::ZipError;
use zip::write::SimpleFileOptions;

use super::bounded::{self, ReadError};
use super::limits::{Budget, size_text, too_large_finding};
use super::pdf::{Keep, PdfFacts};
use super::xml::{self, Element};
use super::{AssetError, Code, Finding, Location};

/// The parts read whole, in this order and before any other: the small XML parts that hold the
/// properties and the workbook's structure. Every other part is streamed.
const HELD_PARTS: [&str; 5] = [
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "docProps/custom.xml",
];

/// The longest `sheetProtection` tag kept while a worksheet is streamed.
const MAX_TAG_BYTES: usize = 64 * 1024;

/// How many damaged parts a finding names.
const NAMED_PARTS: usize = 5;

/// What kind of OOXML/ODF zip this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ZipKind {
    /// Format name as policies write it (`xlsx`, `xlsm`, `docx`, `ods`…), `zip`, or `damaged`
    /// when the container cannot be read.
    pub format: String,
    /// Description for messages.
    pub label: String,
}

/// Classify a zip by its parts (the two it reads are charged to the budget).
pub(crate) fn kind(bytes: &[u8], budget: &mut Budget) -> ZipKind {
    let make = |format: &str, label: &str| ZipKind {
        format: format.into(),
        label: label.into(),
    };
    let Ok(mut archive) = ZipArchive::new(Cursor::new(bytes)) else {
        return make("damaged", "un archivo zip dañado o truncado");
    };
    if let Ok(Some(mimetype)) = read_part(&mut archive, "mimetype", budget) {
        return match mimetype.trim() {
            "application/vnd.oasis.opendocument.spreadsheet" => {
                make("ods", "una hoja de cálculo OpenDocument (ods)")
            }
            "application/vnd.oasis.opendocument.text" => make("odt", "un documento OpenDocument (odt)"),
            _ => make("zip", "un archivo OpenDocument"),
        };
    }
    let types = read_part(&mut archive, "[Content_Types].xml", budget)
        .ok()
        .flatten()
        .unwrap_or_default();
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
    } else if archive.index_for_name("xl/workbook.xml").is_some() {
        make("xlsx", "un libro de Excel (xlsx)")
    } else {
        make("zip", "un archivo zip")
    }
}

/// XML text of a part: UTF-16 when it starts with a byte-order mark, else UTF-8 (invalid bytes
/// replaced, so that a bad byte never hides the part).
fn text_of(bytes: &[u8]) -> String {
    let utf16 = |bytes: &[u8], be: bool| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|c| match c {
                [a, b] if be => u16::from_be_bytes([*a, *b]),
                [a, b] => u16::from_le_bytes([*a, *b]),
                _ => 0,
            })
            .collect();
        String::from_utf16_lossy(&units)
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, false),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, true),
        _ => String::from_utf8_lossy(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)).into_owned(),
    }
}

/// A part read whole within the budget; `None` when the archive has no such part.
fn read_part<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    name: &str,
    budget: &mut Budget,
) -> Result<Option<String>, ReadError> {
    let file = match archive.by_name(name) {
        Ok(file) => file,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(ReadError::Damaged(e.to_string())),
    };
    bounded::hold(file, budget).map(|bytes| Some(text_of(&bytes)))
}

/// Finds a worksheet's `sheetProtection` tag while the worksheet is streamed in chunks, keeping
/// only that tag (never the sheet).
#[derive(Default)]
struct SheetScan {
    /// The end of the previous chunk (a tag may start in one chunk and end in the next).
    carry: Vec<u8>,
    /// The tag, from its `<`, once found.
    tag: Vec<u8>,
    /// Inside the tag: the quote of the attribute value being read, if any.
    quote: Option<u8>,
    /// The tag was found and is complete (or too long).
    done: bool,
}

impl SheetScan {
    const NAME: &'static [u8] = b"sheetProtection";
    /// Bytes kept between chunks: the name, a namespace prefix and the `<`.
    const CARRY: usize = 64;

    fn feed(&mut self, chunk: &[u8]) {
        if self.done {
            return;
        }
        if !self.tag.is_empty() {
            self.capture(chunk);
            return;
        }
        let mut hay = std::mem::take(&mut self.carry);
        hay.extend_from_slice(chunk);
        let mut from = 0;
        while let Some(found) = find(hay.get(from..).unwrap_or_default(), Self::NAME) {
            let at = from + found;
            from = at + Self::NAME.len();
            let before = hay.get(at.saturating_sub(32)..at).unwrap_or_default();
            let Some(lt) = before.iter().rposition(|b| *b == b'<') else {
                continue;
            };
            let prefix = before.get(lt + 1..).unwrap_or_default();
            let prefix_ok = prefix.is_empty()
                || (prefix.ends_with(b":")
                    && prefix
                        .iter()
                        .all(|b| b.is_ascii_alphanumeric() || *b == b':' || *b == b'_'));
            let after = hay.get(from).copied();
            let ends_name = after.is_none_or(|b| b.is_ascii_whitespace() || b == b'/' || b == b'>');
            if prefix_ok && ends_name {
                let start = at.saturating_sub(before.len()) + lt;
                let rest = hay.get(start..).unwrap_or_default().to_vec();
                self.tag.push(b'<');
                self.capture(rest.get(1..).unwrap_or_default());
                return;
            }
        }
        let keep = hay.len().saturating_sub(Self::CARRY);
        self.carry = hay.get(keep..).unwrap_or_default().to_vec();
    }

    fn capture(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.tag.push(b);
            match (self.quote, b) {
                (None, b'"' | b'\'') => self.quote = Some(b),
                (Some(q), b) if b == q => self.quote = None,
                (None, b'>') => {
                    self.done = true;
                    return;
                }
                _ => {}
            }
            if self.tag.len() >= MAX_TAG_BYTES {
                self.done = true;
                return;
            }
        }
    }

    /// Whether the tag found has `sheet="1"` (or `true`, `on`).
    fn locked(&self) -> bool {
        xml::elements(&String::from_utf8_lossy(&self.tag))
            .ok()
            .and_then(|e| e.into_iter().next())
            .and_then(|e| e.attr("sheet").map(truthy))
            .unwrap_or(false)
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Relationship targets of `xl/_rels/workbook.xml.rels` by id, and sheet names by part path.
fn sheet_names(rels: &[Element], workbook: &[Element]) -> HashMap<String, String> {
    let targets: HashMap<String, String> = rels
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

fn is_worksheet(part: &str) -> bool {
    part.starts_with("xl/worksheets/") && part.ends_with(".xml")
}

/// Everything learned by reading every part of the container once.
#[derive(Default)]
struct Parts {
    /// The [`HELD_PARTS`] present, as elements.
    held: HashMap<&'static str, Vec<Element>>,
    /// Worksheet parts whose `sheetProtection` locks the sheet, sorted.
    locked: Vec<String>,
    /// Parts that could not be read, with the reason.
    damaged: Vec<(String, String)>,
    /// The part that went past a limit, and what it went past (`se expande a más de 6,4 MiB`);
    /// reading stopped there.
    too_large: Option<(String, String)>,
}

/// Read every part once — the held parts whole, the rest streamed — so that every part's
/// checksum is verified and no part can expand past the budget.
fn read_parts<R: Read + Seek>(archive: &mut ZipArchive<R>, budget: &mut Budget) -> Parts {
    let mut parts = Parts::default();
    let mut order: Vec<(usize, usize, String)> = (0..archive.len())
        .filter_map(|i| {
            let file = archive.by_index_raw(i).ok()?;
            if file.encrypted() || file.is_dir() {
                return None;
            }
            let name = file.name().ok()?.to_string();
            let rank = HELD_PARTS
                .iter()
                .position(|p| *p == name)
                .unwrap_or(if is_worksheet(&name) {
                    HELD_PARTS.len()
                } else {
                    HELD_PARTS.len() + 1
                });
            Some((rank, i, name))
        })
        .collect();
    order.sort();
    for (rank, index, name) in order {
        let file = match archive.by_index(index) {
            Ok(file) => file,
            Err(e) => {
                parts.damaged.push((name, e.to_string()));
                continue;
            }
        };
        let result = if let Some(held) = HELD_PARTS.get(rank) {
            match bounded::hold(file, budget).map(|bytes| xml::elements(&text_of(&bytes))) {
                Ok(Ok(elements)) => {
                    parts.held.insert(held, elements);
                    Ok(())
                }
                Ok(Err(xml::TooManyElements)) => {
                    parts.too_large = Some((
                        name,
                        format!(
                            "tiene más de {} elementos XML",
                            super::grouped(xml::MAX_ELEMENTS as u64)
                        ),
                    ));
                    break;
                }
                Err(e) => Err(e),
            }
        } else if rank == HELD_PARTS.len() {
            let mut scan = SheetScan::default();
            let read = bounded::stream(file, budget, |chunk| {
                scan.feed(chunk);
                true
            });
            if read.is_ok() && scan.locked() {
                parts.locked.push(name.clone());
            }
            read
        } else {
            bounded::stream(file, budget, |_| true)
        };
        match result {
            Ok(()) => {}
            Err(ReadError::Damaged(why)) => parts.damaged.push((name, why)),
            Err(ReadError::TooLarge { limit }) => {
                parts.too_large = Some((
                    name,
                    format!("se expande a más de {} al descomprimirla", size_text(limit)),
                ));
                break;
            }
        }
    }
    parts.locked.sort();
    parts
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
    budget: &mut Budget,
    findings: &mut Vec<Finding>,
) -> PdfFacts {
    let mut facts = PdfFacts::default();
    let mut archive = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            findings.push(Finding::new(
                Code::D003,
                format!("`{name}`: el libro no se pudo abrir como zip ({e}); puede estar truncado. Guárdelo de nuevo desde Excel."),
                Location::file(name),
            ));
            return facts;
        }
    };
    let dated = scan_entries(name, &mut archive, rules.no_password, findings);
    let mut parts = read_parts(&mut archive, budget);
    let held = Held::take(&mut parts.held);
    if rules.no_password {
        protection_findings(name, &held, &parts.locked, findings);
    }
    if let Some(core) = &held.core {
        facts.title = value_of(core, "title");
        facts.language = value_of(core, "language");
    }
    if rules.no_metadata {
        property_findings(name, &held, keep, findings);
        if let Some(date) = dated {
            findings.push(Finding::new(
                Code::D017,
                format!(
                    "`{name}`: las partes del contenedor zip guardan fecha de modificación ({date}). Al limpiar (--scrub) se ponen en 1980-01-01."
                ),
                Location::file(name),
            ));
        }
    }
    if !parts.damaged.is_empty() {
        findings.push(damage_finding(name, &parts.damaged));
    }
    if let Some((part, what)) = &parts.too_large {
        findings.push(too_large_finding(
            name,
            &format!("la parte {part} del libro {what}"),
            part,
        ));
    }
    // Title and language come from the properties: unknown when they could not be read.
    let unread = |part: &str| parts.damaged.iter().any(|(p, _)| p == part);
    if parts.too_large.is_none() && !unread("docProps/core.xml") {
        super::pdf::accessibility(name, rules, &facts, findings, false);
    }
    facts
}

/// Look at every entry's header: the first encrypted one is a D002 (when passwords are
/// forbidden); returns the first real modification date an entry keeps, as text.
fn scan_entries<R: Read + Seek>(
    name: &str,
    archive: &mut ZipArchive<R>,
    no_password: bool,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let mut dated: Option<String> = None;
    for i in 0..archive.len() {
        let Ok(file) = archive.by_index_raw(i) else {
            continue;
        };
        if file.encrypted() && no_password {
            findings.push(Finding::new(
                Code::D002,
                format!(
                    "`{name}`: la parte {} del libro está cifrada con contraseña. Quite la contraseña y guárdelo de nuevo.",
                    file.name().unwrap_or_default()
                ),
                Location::file(name).with_part(&file.name().unwrap_or_default()),
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
    dated
}

/// The held parts of a workbook, as elements (empty or `None` when absent).
struct Held {
    workbook: Vec<Element>,
    rels: Vec<Element>,
    core: Option<Vec<Element>>,
    app: Option<Vec<Element>>,
    custom: Option<Vec<Element>>,
}

impl Held {
    /// Take the parts out of what [`read_parts`] held.
    fn take(held: &mut HashMap<&'static str, Vec<Element>>) -> Self {
        let mut held = |part: &str| held.remove(part);
        Held {
            workbook: held("xl/workbook.xml").unwrap_or_default(),
            rels: held("xl/_rels/workbook.xml.rels").unwrap_or_default(),
            core: held("docProps/core.xml"),
            app: held("docProps/app.xml"),
            custom: held("docProps/custom.xml"),
        }
    }
}

/// A D011 for each lock of the workbook (structure, write password) and each locked sheet.
fn protection_findings(name: &str, held: &Held, locked: &[String], findings: &mut Vec<Finding>) {
    for e in &held.workbook {
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
                Location::file(name).with_part("xl/workbook.xml").with_field(e.local()),
            ));
        }
    }
    let names = sheet_names(&held.rels, &held.workbook);
    for part in locked {
        let sheet = names.get(part).cloned().unwrap_or_else(|| part.clone());
        findings.push(Finding::new(
            Code::D011,
            format!(
                "`{name}`: la hoja «{sheet}» está protegida (bloqueada). Quite la protección en Revisar › Desproteger hoja y guárdelo de nuevo."
            ),
            Location::file(name).with_part(part).with_field(&sheet),
        ));
    }
}

/// A finding for each revealing property: core and app properties, custom properties, and the
/// folder where the workbook was edited.
fn property_findings(name: &str, held: &Held, keep: &Keep, findings: &mut Vec<Finding>) {
    if let Some(core) = &held.core {
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
    if let Some(app) = &held.app {
        for e in app.iter().filter(|e| e.depth == 1) {
            let value = e.text.trim();
            if value.is_empty() {
                continue;
            }
            let (code, what) = match e.local() {
                "Application" => (Code::D006, "la aplicación"),
                "AppVersion" => (Code::D006, "la versión de la aplicación"),
                "Company" => (Code::D005, "la organización"),
                "Manager" => (Code::D005, "el responsable"),
                "Template" | "HyperlinkBase" | "TotalTime" => (Code::D009, "un dato del entorno de edición"),
                _ => continue,
            };
            findings.push(property(name, "docProps/app.xml", e, code, what, value));
        }
    }
    if let Some(custom) = &held.custom {
        for e in custom.iter().filter(|e| e.local() == "property") {
            let key = e.attr("name").unwrap_or("?").to_string();
            findings.push(Finding::new(
                Code::D008,
                format!(
                    "`{name}`: el libro tiene la propiedad personalizada «{key}» en docProps/custom.xml. Quite los metadatos (pauta document check --scrub SALIDA.xlsx) antes de publicar."
                ),
                Location::file(name).with_part("docProps/custom.xml").with_field(&key),
            ));
        }
    }
    if let Some(path) = held
        .workbook
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
            Location::file(name).with_part("xl/workbook.xml").with_field("x15ac:absPath"),
        ));
    }
}

/// The D018 for a workbook with parts that could not be read, naming the first few.
fn damage_finding(name: &str, damaged: &[(String, String)]) -> Finding {
    let count = damaged.len();
    let named: Vec<String> = damaged
        .iter()
        .take(NAMED_PARTS)
        .map(|(part, why)| format!("{part} ({why})"))
        .collect();
    let more = if count > NAMED_PARTS {
        format!(" y {} más", count - NAMED_PARTS)
    } else {
        String::new()
    };
    Finding::new(
        Code::D018,
        format!(
            "`{name}`: el libro está dañado: {count} parte(s) no se pudieron leer completas: {}{more}. La revisión no puede darlo por conforme. Ábralo en Excel, guárdelo de nuevo como .xlsx y vuelva a revisarlo (o vuelva a descargarlo completo).",
            named.join("; ")
        ),
        Location::file(name).with_part(damaged.first().map_or("", |(p, _)| p.as_str())),
    )
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
    // Only called on a workbook whose parts all read within the limits; bounded all the same.
    let mut budget = Budget::for_size(bytes.len() as u64);
    let elements = read_part(&mut archive, "docProps/core.xml", &mut budget)
        .map_err(|e| fail(e.to_string()))?
        .map(|t| xml::elements(&t).unwrap_or_default())
        .unwrap_or_default();
    let title = keep.title.then(|| value_of(&elements, "title")).flatten();
    let language = keep.language.then(|| value_of(&elements, "language")).flatten();
    // Written beside `out` and put in place only when complete.
    let (file, pending) = crate::atomic::create(out).map_err(|e| fail(e.to_string()))?;
    let mut inner = rewrite(
        bytes,
        std::io::BufWriter::new(file),
        title.as_deref(),
        language.as_deref(),
    )
    .map_err(fail)?;
    inner.flush().map_err(|e| fail(e.to_string()))?;
    drop(inner);
    pending.commit().map_err(|e| fail(e.to_string()))
}

/// A workbook pauta wrote, made ready to publish: its property parts hold only `title` and
/// `language` (no author, application, version or dates) and every entry is dated 1980-01-01,
/// so the same content always gives the same bytes and `pauta document check` accepts it.
pub fn publishable(bytes: &[u8], title: &str, language: &str) -> Result<Vec<u8>, String> {
    let out = rewrite(bytes, Cursor::new(Vec::new()), Some(title), Some(language))?;
    Ok(out.into_inner())
}

/// Copies the workbook in `bytes` to `out`, with the property parts rewritten to hold only
/// `title` and `language` and the local path removed from `xl/workbook.xml`.
fn rewrite<W: Write + Seek>(
    bytes: &[u8],
    out: W,
    title: Option<&str>,
    language: Option<&str>,
) -> Result<W, String> {
    let fail = |error: &dyn std::fmt::Display| error.to_string();
    let mut archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| fail(&e))?;
    let mut budget = Budget::for_size(bytes.len() as u64);
    let mut writer = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let entry_name = archive
            .by_index_raw(i)
            .map_err(|e| fail(&e))?
            .name()
            .map_err(|e| fail(&e))?
            .to_string();
        let replacement = match entry_name.as_str() {
            "docProps/core.xml" => {
                let mut text = CORE_HEAD.to_string();
                if let Some(title) = title {
                    text.push_str(&format!("<dc:title>{}</dc:title>", xml::escape(title)));
                }
                if let Some(language) = language {
                    text.push_str(&format!("<dc:language>{}</dc:language>", xml::escape(language)));
                }
                text.push_str("</cp:coreProperties>");
                Some(text)
            }
            "docProps/app.xml" => Some(APP_EMPTY.to_string()),
            "docProps/custom.xml" => Some(CUSTOM_EMPTY.to_string()),
            "xl/workbook.xml" => {
                let text = read_part(&mut archive, "xl/workbook.xml", &mut budget)
                    .map_err(|e| fail(&e))?
                    .unwrap_or_default();
                text.contains("absPath").then(|| without_abs_path(&text))
            }
            _ => None,
        };
        match replacement {
            Some(text) => {
                writer
                    .start_file(entry_name.as_str(), options)
                    .map_err(|e| fail(&e))?;
                writer.write_all(text.as_bytes()).map_err(|e| fail(&e))?;
            }
            None => {
                let entry = archive.by_index_raw(i).map_err(|e| fail(&e))?;
                writer
                    .raw_copy_file_touch(entry, zip::DateTime::default(), None)
                    .map_err(|e| fail(&e))?;
            }
        }
    }
    writer.finish().map_err(|e| fail(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(chunks: &[&[u8]]) -> bool {
        let mut scan = SheetScan::default();
        for chunk in chunks {
            scan.feed(chunk);
        }
        scan.locked()
    }

    #[test]
    fn sheet_protection_is_found_across_chunks() {
        let tag = br#"<sheetData><row><c><t>sheetProtection sheet="1"</t></c></row></sheetData><x:sheetProtection password="AB>" sheet="1" objects="1"/>"#;
        assert!(scan(&[tag]));
        for cut in 0..tag.len() {
            let (a, b) = tag.split_at(cut);
            assert!(scan(&[a, b]), "cut at {cut}");
        }
        let bytes: Vec<&[u8]> = tag.chunks(1).collect();
        assert!(scan(&bytes));
        assert!(!scan(&[br#"<sheetProtection sheet="0"/>"#]));
        assert!(!scan(&[
            br#"<t>sheetProtection sheet="1"</t><sheetProtectionX sheet="1"/>"#
        ]));
        assert!(!scan(&[b"<worksheet/>"]));
    }

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
