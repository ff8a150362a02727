//! PDF documents: encryption, extractable text per page, revealing metadata (Info dictionary and
//! XMP), accessibility basics (title, language, tags), and the scrub that removes the metadata
//! while keeping title and language.

use std::path::Path;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};
use serde::Serialize;

use super::{AssetError, Code, Finding, Location, xml};

/// How deep text is searched inside nested form XObjects.
const FORM_DEPTH: usize = 4;

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
    /// Could not be parsed.
    Damaged(String),
}

/// Parse the bytes once. A panic inside the PDF library (on a malformed file) is caught and
/// reported as damage, never a crash.
pub(crate) fn load(bytes: &[u8]) -> Loaded {
    let parsed = std::panic::catch_unwind(|| Document::load_mem(bytes));
    let Ok(parsed) = parsed else {
        return Loaded::Damaged("la estructura interna del PDF es inválida".into());
    };
    match parsed {
        Ok(doc) if doc.is_encrypted() => Loaded::Locked,
        Ok(doc) => Loaded::Document(Box::new(doc)),
        Err(_) if contains(bytes, b"/Encrypt") => Loaded::Locked,
        Err(e) => Loaded::Damaged(e.to_string()),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A PDF text string (UTF-16BE with BOM, UTF-8 with BOM, or PDFDocEncoding ≈ Latin-1).
fn text_of(object: &Object) -> Option<String> {
    let bytes = match object {
        Object::String(bytes, _) => bytes,
        Object::Name(bytes) => bytes,
        _ => return None,
    };
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
    Some(text.trim().to_string())
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

/// The XMP packet of the catalog, as text.
fn catalog_xmp(doc: &Document) -> Option<String> {
    let catalog = doc.catalog().ok()?;
    let stream = resolve(doc, catalog.get(b"Metadata").ok()?)?.as_stream().ok()?;
    let content = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    Some(String::from_utf8_lossy(&content).to_string())
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

/// Whether content bytes show any non-empty text.
fn shows_text(content: &[u8]) -> Option<bool> {
    let operations = Content::decode(content).ok()?.operations;
    Some(operations.iter().any(|op| {
        match op.operator.as_str() {
            "Tj" | "'" | "\"" => op
                .operands
                .last()
                .is_some_and(|o| matches!(o, Object::String(s, _) if !s.is_empty())),
            "TJ" => op.operands.first().is_some_and(|o| match o {
                Object::Array(items) => items
                    .iter()
                    .any(|i| matches!(i, Object::String(s, _) if !s.is_empty())),
                _ => false,
            }),
            _ => false,
        }
    }))
}

/// Text in the form XObjects of a resource dictionary, recursively.
fn forms_show_text(doc: &Document, resources: &Dictionary, depth: usize) -> bool {
    if depth == 0 {
        return false;
    }
    let Some(xobjects) = resources
        .get(b"XObject")
        .ok()
        .and_then(|o| resolve(doc, o))
        .and_then(|o| o.as_dict().ok())
    else {
        return false;
    };
    xobjects.iter().any(|(_, object)| {
        let Some(stream) = resolve(doc, object).and_then(|o| o.as_stream().ok()) else {
            return false;
        };
        let is_form = stream.dict.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Form".as_slice());
        if !is_form {
            return false;
        }
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        shows_text(&content).unwrap_or(false)
            || stream
                .dict
                .get(b"Resources")
                .ok()
                .and_then(|r| resolve(doc, r))
                .and_then(|r| r.as_dict().ok())
                .is_some_and(|r| forms_show_text(doc, r, depth - 1))
    })
}

fn page_has_text(doc: &Document, page: ObjectId) -> bool {
    let content = doc.get_page_content(page);
    match shows_text(&content) {
        Some(true) => return true,
        // Undecodable content: fall back to looking for the text operators.
        None if contains(&content, b"Tj") || contains(&content, b"TJ") => return true,
        _ => {}
    }
    let (direct, inherited) = doc.get_page_resources(page).unwrap_or((None, Vec::new()));
    let mut dictionaries: Vec<&Dictionary> = direct.into_iter().collect();
    dictionaries.extend(inherited.iter().filter_map(|id| doc.get_dictionary(*id).ok()));
    dictionaries.iter().any(|r| forms_show_text(doc, r, FORM_DEPTH))
}

/// Check a loaded PDF, appending findings; `was_encrypted` documents get a D002.
pub(crate) fn inspect(
    name: &str,
    doc: &Document,
    rules: &crate::policy::model::DocumentRules,
    keep: &Keep,
    findings: &mut Vec<Finding>,
) -> PdfFacts {
    let here = || Location::file(name);
    if rules.no_password && doc.was_encrypted() {
        findings.push(Finding::new(
            Code::D002,
            format!(
                "`{name}`: el PDF está cifrado con contraseña de propietario (restringe copiar, imprimir o editar). Guárdelo de nuevo sin seguridad de documento («Sin seguridad») y envíelo otra vez."
            ),
            here().with_part("Encrypt"),
        ));
    }
    let pages = doc.get_pages();
    let mut facts = PdfFacts {
        pages: pages.len() as u32,
        ..PdfFacts::default()
    };
    if rules.searchable {
        facts.pages_without_text = pages
            .iter()
            .filter(|(_, id)| !page_has_text(doc, **id))
            .map(|(n, _)| *n)
            .collect();
        if !facts.pages_without_text.is_empty() {
            let list = super::page_list(&facts.pages_without_text);
            let all = facts.pages_without_text.len() == pages.len();
            let what = if all {
                format!("ninguna de sus {} página(s) tiene texto extraíble", pages.len())
            } else {
                format!(
                    "{} de {} página(s) no tienen texto extraíble (página(s) {list})",
                    facts.pages_without_text.len(),
                    pages.len()
                )
            };
            findings.push(Finding::new(
                Code::D004,
                format!(
                    "`{name}`: {what}; parecen imágenes escaneadas y no se puede buscar en ellas. Exporte el PDF desde el documento original o aplíquele reconocimiento de texto (OCR)."
                ),
                here().with_pages(facts.pages_without_text.clone()),
            ));
        }
    }
    let info = info(doc);
    let xmp = catalog_xmp(doc);
    let xmp_elements = xmp.as_deref().map(xml::elements).unwrap_or_default();
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

    if rules.no_metadata {
        if let Some(info) = info {
            for (key, value) in info.iter() {
                let key_text = String::from_utf8_lossy(key).to_string();
                let value = resolve(doc, value).and_then(text_of).unwrap_or_default();
                // `Trapped` is a prepress flag that reveals nothing.
                if value.is_empty()
                    || key.as_slice() == b"Trapped"
                    || (key.as_slice() == b"Title" && keep.title)
                {
                    continue;
                }
                let (code, what) = match key.as_slice() {
                    b"Author" => (Code::D005, "el autor"),
                    b"Creator" => (Code::D006, "la aplicación que creó el documento"),
                    b"Producer" => (Code::D006, "el software que produjo el PDF"),
                    b"CreationDate" => (Code::D007, "la fecha de creación"),
                    b"ModDate" => (Code::D007, "la fecha de modificación"),
                    b"Subject" | b"Keywords" | b"Title" => (Code::D009, "un dato descriptivo"),
                    _ => (Code::D008, "una propiedad personalizada"),
                };
                findings.push(Finding::new(
                    code,
                    format!(
                        "`{name}`: el diccionario Info guarda {what}: {key_text} = «{}». Quite los metadatos (pauta document check --scrub SALIDA.pdf) antes de publicar.",
                        short(&value)
                    ),
                    here().with_part("Info").with_field(&key_text),
                ));
            }
        }
        let streams = metadata_streams(doc);
        if streams > 0 || xmp.is_some() {
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
            for e in &xmp_elements {
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
                here().with_part("XMP"),
            ));
        }
    }
    accessibility(name, rules, &facts, findings, true);
    facts
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
    let file = std::fs::File::create(out).map_err(|e| unwritable(e.to_string()))?;
    let mut writer = std::io::BufWriter::new(file);
    doc.save_to(&mut writer).map_err(|e| unwritable(e.to_string()))?;
    use std::io::Write as _;
    writer.flush().map_err(|e| unwritable(e.to_string()))
}
