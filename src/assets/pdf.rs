//! PDF documents: encryption, extractable text per page, revealing metadata (Info dictionary and
//! XMP), accessibility basics (title, language, tags), and the scrub that removes the metadata
//! while keeping title and language.

use std::collections::HashMap;
use std::path::Path;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};
use serde::Serialize;

use super::bounded::ReadError;
use super::limits::{Budget, Limits, too_large_finding};
use super::pdf_raw::{self, RawMetadata};
use super::pdf_text::TextScanner;
use super::{AssetError, Code, Finding, Location, pdf_streams, pdf_structure, xml};

/// How deep text is searched inside nested form XObjects.
const FORM_DEPTH: usize = 4;

/// How many damaged pages a finding lists.
const NAMED_PAGES: usize = 20;

/// What was learned about a PDF.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PdfFacts {
    /// Number of pages.
    pub pages: u32,
    /// Pages (1-based) with no text operator showing text.
    pub pages_without_text: Vec<u32>,
    /// Document title (Info `/Title`, else XMP `dc:title`).
    pub title: Option<String>,
    /// Catalog `/Lang`.
    pub language: Option<String>,
    /// Tagged (`/MarkInfo /Marked true` with a structure tree).
    pub tagged: bool,
}

/// The outcome of loading a PDF.
pub(crate) enum Loaded {
    /// Parsed (decrypted when the user password is empty; then `was_encrypted` is true).
    Document(Box<Document>),
    /// Needs a password to open.
    Locked,
    /// The object or cross-reference streams expand past the limit (in bytes) of them all.
    TooLarge(u64),
    /// Could not be parsed.
    Damaged(String),
}

/// Parse the bytes once. The streams decoded while loading (object and cross-reference streams)
/// share [`Limits::objects`]: each may take its share, so together they never pass it. A panic
/// inside the PDF library (on a malformed file) is caught and reported as damage, never a crash.
pub(crate) fn load(bytes: &[u8], limits: Limits) -> Loaded {
    let streams = pdf_raw::load_time_streams(bytes).max(1) as u64;
    let options = LoadOptions {
        max_decompressed_size: Some(usize::try_from(limits.objects / streams).unwrap_or(usize::MAX)),
        ..LoadOptions::default()
    };
    let parsed = std::panic::catch_unwind(|| Document::load_mem_with_options(bytes, options));
    let Ok(parsed) = parsed else {
        return Loaded::Damaged("la estructura interna del PDF es inválida".into());
    };
    match parsed {
        Ok(doc) if doc.is_encrypted() => Loaded::Locked,
        Ok(doc) => Loaded::Document(Box::new(doc)),
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. })) => {
            Loaded::TooLarge(limits.objects)
        }
        Err(_) if contains(bytes, b"/Encrypt") => Loaded::Locked,
        Err(e) => Loaded::Damaged(e.to_string()),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding ≈ Latin-1).
fn text_of(object: &Object) -> Option<String> {
    match object {
        Object::String(bytes, _) | Object::Name(bytes) => Some(decode_text(bytes)),
        _ => None,
    }
}

/// The bytes of a PDF text string as text, trimmed.
fn decode_text(bytes: &[u8]) -> String {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .filter_map(|c| Some(u16::from_be_bytes(c.try_into().ok()?)))
            .collect();
        String::from_utf16_lossy(&units)
    } else if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).to_string()
    } else {
        bytes.iter().map(|b| char::from(*b)).collect()
    };
    text.trim().to_string()
}

fn resolve<'a>(doc: &'a Document, object: &'a Object) -> Option<&'a Object> {
    doc.dereference(object).ok().map(|(_, o)| o)
}

/// The Info dictionary and its object id (if indirect).
fn info(doc: &Document) -> Option<&Dictionary> {
    let object = doc.trailer.get(b"Info").ok()?;
    resolve(doc, object)?.as_dict().ok()
}

fn short(text: &str) -> String {
    let mut out: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The XMP packet of the catalog, as text (its raw bytes when they do not decode), or why it
/// could not be read within the limits.
fn catalog_xmp(doc: &Document, budget: &mut Budget) -> Option<Result<String, ReadError>> {
    let catalog = doc.catalog().ok()?;
    let stream = resolve(doc, catalog.get(b"Metadata").ok()?)?.as_stream().ok()?;
    Some(match pdf_streams::hold(stream, budget) {
        Ok(content) => Ok(String::from_utf8_lossy(&content).into_owned()),
        Err(ReadError::Damaged(_)) => Ok(String::from_utf8_lossy(&stream.content).into_owned()),
        Err(e) => Err(e),
    })
}

/// Streams of `/Type /Metadata` anywhere in the file (the catalog's included).
fn metadata_streams(doc: &Document) -> usize {
    doc.objects
        .values()
        .filter(|o| {
            o.as_stream()
                .ok()
                .and_then(|s| s.dict.get(b"Type").ok())
                .and_then(|t| t.as_name().ok())
                == Some(b"Metadata".as_slice())
        })
        .count()
}

/// What reading a page's content (and its forms) told.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PageText {
    /// It shows text.
    Text,
    /// It shows none.
    NoText,
    /// A stream could not be read.
    Damaged(String),
    /// A stream went past the limits.
    TooLarge(ReadError),
}

/// Reads page contents and forms for text, each form once, within the document's budget.
struct TextSearch<'a> {
    doc: &'a Document,
    budget: &'a mut Budget,
    /// Forms already read, and whether they show text.
    forms: HashMap<ObjectId, bool>,
}

impl TextSearch<'_> {
    /// Scan streams in order as one content (a token may continue in the next stream).
    fn scan(&mut self, streams: &[&lopdf::Stream]) -> Result<bool, ReadError> {
        let mut scanner = TextScanner::default();
        for stream in streams {
            pdf_streams::visit(stream, self.budget, |chunk| !scanner.feed(chunk))?;
            if scanner.found() {
                return Ok(true);
            }
            scanner.feed(b"\n");
        }
        Ok(scanner.finish())
    }

    /// Text in the form XObjects of a resource dictionary, recursively.
    fn forms(&mut self, resources: &Dictionary, depth: usize) -> Result<bool, ReadError> {
        if depth == 0 {
            return Ok(false);
        }
        let doc = self.doc;
        let Some(xobjects) = resources
            .get(b"XObject")
            .ok()
            .and_then(|o| resolve(doc, o))
            .and_then(|o| o.as_dict().ok())
        else {
            return Ok(false);
        };
        for (_, object) in xobjects.iter() {
            let id = object.as_reference().ok();
            if let Some(known) = id.and_then(|id| self.forms.get(&id)) {
                if *known {
                    return Ok(true);
                }
                continue;
            }
            let Some(stream) = resolve(doc, object).and_then(|o| o.as_stream().ok()) else {
                continue;
            };
            let is_form =
                stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Form".as_slice());
            if !is_form {
                continue;
            }
            // Marked before reading, so that a form that draws itself is read once.
            if let Some(id) = id {
                self.forms.insert(id, false);
            }
            let mut text = self.scan(&[stream])?;
            if !text
                && let Some(inner) = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .and_then(|r| resolve(doc, r))
                    .and_then(|r| r.as_dict().ok())
            {
                text = self.forms(inner, depth - 1)?;
            }
            if let Some(id) = id {
                self.forms.insert(id, text);
            }
            if text {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn page(&mut self, page: ObjectId) -> PageText {
        let doc = self.doc;
        let streams: Vec<&lopdf::Stream> = doc
            .get_page_contents(page)
            .into_iter()
            .filter_map(|id| doc.get_object(id).and_then(Object::as_stream).ok())
            .collect();
        let outcome = self.scan(&streams).and_then(|text| {
            if text {
                return Ok(true);
            }
            let (direct, inherited) = doc.get_page_resources(page).unwrap_or((None, Vec::new()));
            let mut dictionaries: Vec<&Dictionary> = direct.into_iter().collect();
            dictionaries.extend(inherited.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
            for resources in dictionaries {
                if self.forms(resources, FORM_DEPTH)? {
                    return Ok(true);
                }
            }
            Ok(false)
        });
        match outcome {
            Ok(true) => PageText::Text,
            Ok(false) => PageText::NoText,
            Err(ReadError::Damaged(why)) => PageText::Damaged(why),
            Err(e) => PageText::TooLarge(e),
        }
    }
}

/// Check a loaded PDF (and its raw bytes), appending findings; `was_encrypted` documents get a
/// D002, a structure that cannot be trusted a D018, anything past the limits a D019.
pub(crate) fn inspect(
    name: &str,
    doc: &Document,
    bytes: &[u8],
    rules: &crate::policy::model::DocumentRules,
    keep: &Keep,
    budget: &mut Budget,
    findings: &mut Vec<Finding>,
) -> PdfFacts {
    if rules.no_password && doc.was_encrypted() {
        findings.push(Finding::new(
            Code::D002,
            format!(
                "`{name}`: el PDF está cifrado con contraseña de propietario (restringe copiar, imprimir o editar). Guárdelo de nuevo sin seguridad de documento («Sin seguridad») y envíelo otra vez."
            ),
            Location::file(name).with_part("Encrypt"),
        ));
    }
    let structure = pdf_structure::check(doc, bytes);
    let pages = &structure.pages;
    let mut facts = PdfFacts {
        pages: u32::try_from(pages.len()).unwrap_or(u32::MAX),
        ..PdfFacts::default()
    };
    let mut read = PagesRead::default();
    if rules.searchable {
        read = search_pages(doc, pages, budget);
        facts.pages_without_text = std::mem::take(&mut read.without_text);
        no_text_finding(name, &facts.pages_without_text, pages.len(), findings);
    }
    let mut too_large = read.too_large;
    let info = info(doc);
    let xmp = match catalog_xmp(doc, budget) {
        Some(Err(e)) => {
            too_large.get_or_insert_with(|| (format!("el flujo de metadatos XMP {e}"), "XMP".to_string()));
            Some(String::new())
        }
        Some(Ok(text)) => Some(text),
        None => None,
    };
    let xmp_elements = xmp
        .as_deref()
        .map(|text| xml::elements(text).unwrap_or_default())
        .unwrap_or_default();
    read_accessibility_facts(doc, info, &xmp_elements, &mut facts);
    let damaged = !structure.problems.is_empty() || !read.damaged.is_empty();
    if rules.no_metadata {
        let reported = info_findings(name, doc, info, keep, findings);
        let streams = metadata_streams(doc);
        let xmp_reported = streams > 0 || xmp.is_some();
        if xmp_reported {
            xmp_finding(name, streams, &xmp_elements, findings);
        }
        let raw = if damaged {
            pdf_raw::in_bytes_and_streams(bytes, budget)
        } else {
            pdf_raw::in_bytes(bytes)
        };
        raw_findings(name, &raw, &reported, xmp_reported, damaged, findings);
    }
    if damaged {
        findings.push(damage_finding(name, &structure.problems, &read.damaged));
    }
    if let Some((what, part)) = too_large {
        findings.push(too_large_finding(name, &what, &part));
    }
    accessibility(name, rules, &facts, findings, true);
    facts
}

/// What searching the pages for text found.
#[derive(Debug, Default)]
struct PagesRead {
    /// Pages (1-based) that show no text.
    without_text: Vec<u32>,
    /// Pages whose content could not be read, and why.
    damaged: Vec<(u32, String)>,
    /// What went past the limits, and where (the search stops there).
    too_large: Option<(String, String)>,
}

/// Read every page's content (and forms) for text, within the budget.
fn search_pages(doc: &Document, pages: &[ObjectId], budget: &mut Budget) -> PagesRead {
    let mut read = PagesRead::default();
    let mut search = TextSearch {
        doc,
        budget,
        forms: HashMap::new(),
    };
    for (number, page) in (1u32..).zip(pages.iter()) {
        match search.page(*page) {
            PageText::Text => {}
            PageText::NoText => read.without_text.push(number),
            PageText::Damaged(why) => read.damaged.push((number, why)),
            PageText::TooLarge(e) => {
                read.too_large = Some((
                    format!("el contenido de la página {number} (con sus formularios) {e}"),
                    format!("página {number}"),
                ));
                break;
            }
        }
    }
    read
}

/// The D004 for pages that cannot be searched (none when every page shows text).
fn no_text_finding(name: &str, without_text: &[u32], pages: usize, findings: &mut Vec<Finding>) {
    if without_text.is_empty() {
        return;
    }
    let list = super::page_list(without_text);
    let what = if without_text.len() == pages {
        format!("ninguna de sus {pages} página(s) tiene texto extraíble")
    } else {
        format!(
            "{} de {pages} página(s) no tienen texto extraíble (página(s) {list})",
            without_text.len(),
        )
    };
    findings.push(Finding::new(
        Code::D004,
        format!(
            "`{name}`: {what}; parecen imágenes escaneadas y no se puede buscar en ellas. Exporte el PDF desde el documento original o aplíquele reconocimiento de texto (OCR)."
        ),
        Location::file(name).with_pages(without_text.to_vec()),
    ));
}

/// Fill in the title (Info, else XMP `dc:title`), the language and whether the PDF is tagged.
fn read_accessibility_facts(
    doc: &Document,
    info: Option<&Dictionary>,
    xmp_elements: &[xml::Element],
    facts: &mut PdfFacts,
) {
    facts.title = info
        .and_then(|i| i.get(b"Title").ok())
        .and_then(|t| resolve(doc, t))
        .and_then(text_of)
        .filter(|t| !t.is_empty())
        .or_else(|| {
            xmp_elements
                .iter()
                .skip_while(|e| e.name != "dc:title")
                .skip(1)
                .find(|e| e.local() == "li" && !e.text.trim().is_empty())
                .map(|e| e.text.trim().to_string())
        });
    let catalog = doc.catalog().ok();
    facts.language = catalog
        .and_then(|c| c.get(b"Lang").ok())
        .and_then(|l| resolve(doc, l))
        .and_then(text_of)
        .filter(|l| !l.is_empty());
    let marked = catalog
        .and_then(|c| c.get(b"MarkInfo").ok())
        .and_then(|m| resolve(doc, m))
        .and_then(|m| m.as_dict().ok())
        .and_then(|m| m.get(b"Marked").ok())
        .and_then(|m| m.as_bool().ok())
        .unwrap_or(false);
    facts.tagged = marked && catalog.is_some_and(|c| c.has(b"StructTreeRoot"));
}

/// A finding for each revealing key of the Info dictionary; returns the keys reported.
fn info_findings(
    name: &str,
    doc: &Document,
    info: Option<&Dictionary>,
    keep: &Keep,
    findings: &mut Vec<Finding>,
) -> Vec<String> {
    let mut reported: Vec<String> = Vec::new();
    let Some(info) = info else {
        return reported;
    };
    for (key, value) in info.iter() {
        let key_text = String::from_utf8_lossy(key).to_string();
        let value = resolve(doc, value).and_then(text_of).unwrap_or_default();
        // `Trapped` is a prepress flag that reveals nothing.
        if value.is_empty() || key.as_slice() == b"Trapped" || (key.as_slice() == b"Title" && keep.title) {
            continue;
        }
        let (code, what) = info_key_meaning(&key_text);
        reported.push(key_text.clone());
        findings.push(Finding::new(
            code,
            format!(
                "`{name}`: el diccionario Info guarda {what}: {key_text} = «{}». Quite los metadatos (pauta document check --scrub SALIDA.pdf) antes de publicar.",
                short(&value)
            ),
            Location::file(name).with_part("Info").with_field(&key_text),
        ));
    }
    reported
}

/// The D010 for the XMP streams, naming the revealing properties they hold.
fn xmp_finding(name: &str, streams: usize, xmp_elements: &[xml::Element], findings: &mut Vec<Finding>) {
    const REVEALING: [&str; 9] = [
        "CreatorTool",
        "Producer",
        "creator",
        "CreateDate",
        "ModifyDate",
        "MetadataDate",
        "DocumentID",
        "InstanceID",
        "History",
    ];
    let mut found: Vec<&str> = Vec::new();
    for e in xmp_elements {
        let local = e.local();
        if let Some(tag) = REVEALING.iter().find(|t| **t == local)
            && !found.contains(tag)
        {
            found.push(tag);
        }
        // Attribute form: <rdf:Description xmp:CreatorTool="…">.
        for (k, _) in &e.attrs {
            let local = k.rsplit(':').next().unwrap_or(k);
            if let Some(tag) = REVEALING.iter().find(|t| **t == local)
                && !found.contains(tag)
            {
                found.push(tag);
            }
        }
    }
    let detail = if found.is_empty() {
        String::new()
    } else {
        format!(" con {}", found.join(", "))
    };
    findings.push(Finding::new(
        Code::D010,
        format!(
            "`{name}`: el PDF tiene {streams} flujo(s) de metadatos XMP{detail}. Quítelos (pauta document check --scrub SALIDA.pdf) antes de publicar."
        ),
        Location::file(name).with_part("XMP"),
    ));
}

/// The D018 for a damaged PDF: the structure's problems and the pages that could not be read.
fn damage_finding(name: &str, problems: &[String], damaged_pages: &[(u32, String)]) -> Finding {
    let mut reasons = problems.to_vec();
    if let Some((_, why)) = damaged_pages.first() {
        let numbers: Vec<u32> = damaged_pages.iter().map(|(n, _)| *n).take(NAMED_PAGES).collect();
        reasons.push(format!(
            "el contenido de la(s) página(s) {} no se pudo leer ({why})",
            super::page_list(&numbers)
        ));
    }
    Finding::new(
        Code::D018,
        format!(
            "`{name}`: el PDF está dañado: {}. La revisión no pudo leerlo completo, así que no puede darlo por conforme. Ábralo en el programa original y expórtelo de nuevo como PDF (o vuelva a descargarlo completo).",
            reasons.join("; ")
        ),
        Location::file(name).with_pages(damaged_pages.iter().map(|(n, _)| *n).collect()),
    )
}

/// What an Info key reveals: its code and words.
fn info_key_meaning(key: &str) -> (Code, &'static str) {
    match key {
        "Author" => (Code::D005, "el autor"),
        "Creator" => (Code::D006, "la aplicación que creó el documento"),
        "Producer" => (Code::D006, "el software que produjo el PDF"),
        "CreationDate" => (Code::D007, "la fecha de creación"),
        "ModDate" => (Code::D007, "la fecha de modificación"),
        "Subject" | "Keywords" | "Title" => (Code::D009, "un dato descriptivo"),
        _ => (Code::D008, "una propiedad personalizada"),
    }
}

/// Findings for the metadata found in the raw bytes and not already reported from the structure:
/// keys an older revision or an unreferenced object keeps, or — in a damaged file — whatever its
/// bytes hold.
fn raw_findings(
    name: &str,
    raw: &RawMetadata,
    reported: &[String],
    xmp_reported: bool,
    damaged: bool,
    findings: &mut Vec<Finding>,
) {
    let place = Location::file(name).with_part("bytes del archivo");
    for found in raw.keys.iter().filter(|k| !reported.iter().any(|r| r == k.key)) {
        let (code, what) = info_key_meaning(found.key);
        let value = short(&decode_text(&found.value));
        let message = if damaged {
            format!(
                "`{name}`: el archivo guarda {what}: {} = «{value}» (se encontró en los bytes del archivo, porque su estructura no se pudo leer completa). Exporte de nuevo el PDF sin metadatos antes de publicar.",
                found.key
            )
        } else {
            format!(
                "`{name}`: el archivo guarda {what} fuera del diccionario Info en uso (en una versión anterior del documento o en un objeto sin referencia), y cualquiera puede leerlo: {} = «{value}». Quite los metadatos (pauta document check --scrub SALIDA.pdf) antes de publicar.",
                found.key
            )
        };
        findings.push(Finding::new(code, message, place.clone().with_field(found.key)));
    }
    if damaged && raw.xmp && !xmp_reported {
        findings.push(Finding::new(
            Code::D010,
            format!(
                "`{name}`: el archivo guarda un paquete de metadatos XMP (se encontró en los bytes del archivo, porque su estructura no se pudo leer completa). Exporte de nuevo el PDF sin metadatos antes de publicar."
            ),
            place.with_field("XMP"),
        ));
    }
}

/// Metadata of a PDF that could not be parsed at all, from its raw bytes (within the budget).
pub(crate) fn unparsed_metadata(name: &str, bytes: &[u8], budget: &mut Budget, findings: &mut Vec<Finding>) {
    let raw = pdf_raw::in_bytes_and_streams(bytes, budget);
    raw_findings(name, &raw, &[], false, true, findings);
}

/// The accessibility warnings shared by PDF and xlsx.
pub(crate) fn accessibility(
    name: &str,
    rules: &crate::policy::model::DocumentRules,
    facts: &PdfFacts,
    findings: &mut Vec<Finding>,
    pdf: bool,
) {
    let wants = |what: &str| {
        rules
            .accessibility
            .iter()
            .any(|a| crate::text::match_key(a) == what)
    };
    if wants("titulo") && facts.title.is_none() {
        let how = if pdf {
            "Escriba el título en las propiedades del documento antes de exportar a PDF."
        } else {
            "Escriba el título en Archivo › Información › Propiedades."
        };
        findings.push(Finding::new(
            Code::D013,
            format!("`{name}`: el documento no tiene título (Resolución 1519 de 2020, Anexo 1). {how}"),
            Location::file(name).with_field("título"),
        ));
    }
    if wants("idioma") && facts.language.is_none() {
        findings.push(Finding::new(
            Code::D014,
            format!(
                "`{name}`: el documento no declara su idioma (p. ej. es-CO), que los lectores de pantalla necesitan. Defina el idioma del documento antes de exportarlo."
            ),
            Location::file(name).with_field("idioma"),
        ));
    }
    if pdf && wants("etiquetado") && !facts.tagged {
        findings.push(Finding::new(
            Code::D015,
            format!(
                "`{name}`: el PDF no está etiquetado (sin estructura para lectores de pantalla). Expórtelo con la opción «PDF etiquetado» o «Etiquetas de estructura del documento»."
            ),
            Location::file(name).with_field("etiquetado"),
        ));
    }
}

/// What the scrub keeps (from the policy's `conserva`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Keep {
    /// Keep the title.
    pub title: bool,
    /// Keep the language.
    pub language: bool,
}

/// Remove the Info dictionary (keeping only the title), every XMP stream and every `/PieceInfo`
/// (application private data), then drop the objects nothing refers to any more.
pub(crate) fn scrub(doc: &mut Document, title: Option<&str>, keep: &Keep) {
    doc.trailer.remove(b"Info");
    for object in doc.objects.values_mut() {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &mut s.dict,
            _ => continue,
        };
        dict.remove(b"Metadata");
        dict.remove(b"PieceInfo");
        if !keep.language && dict.get(b"Type").and_then(|t| t.as_name()).ok() == Some(b"Catalog".as_slice()) {
            dict.remove(b"Lang");
        }
    }
    doc.prune_objects();
    if keep.title
        && let Some(title) = title
    {
        let mut info = Dictionary::new();
        info.set("Title", lopdf::text_string(title));
        let id = doc.add_object(Object::Dictionary(info));
        doc.trailer.set("Info", Object::Reference(id));
    }
}

/// Write a document to a file.
pub(crate) fn save(doc: &mut Document, out: &Path) -> Result<(), AssetError> {
    let unwritable = |reason: String| AssetError::Unwritable {
        path: out.display().to_string(),
        reason,
    };
    // Written beside `out` and put in place only when complete.
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).map_err(|e| unwritable(e.to_string()))?;
    crate::atomic::write(out, &bytes).map_err(|e| unwritable(e.to_string()))
}
