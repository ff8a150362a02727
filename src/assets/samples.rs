//! Synthetic files for tests and benchmarks: JPEG and PNG headers of exact size and weight, PDFs
//! with or without text, metadata, tags and encryption, xlsx workbooks with or without properties
//! and protection, OLE containers, and SMS campaign lists. Nothing here reads user input.

use std::io::{Cursor, Write};

use lopdf::{Dictionary, Document, Object, Stream, dictionary};
use zip::write::SimpleFileOptions;

use super::ole;

/// A minimal well-formed baseline JPEG of the given size, padded with comment segments up to
/// `weight` bytes when that is larger than the minimum (about 50 bytes). The pixel data is not a
/// decodable picture; the checks only read headers and markers.
pub fn jpeg(width: u16, height: u16, weight: usize) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    // APP0 JFIF.
    out.extend_from_slice(&[
        0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
        0x00,
    ]);
    // SOF0: precision 8, height, width, 1 component.
    out.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08]);
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    let sos = [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00];
    let scan = [0x12, 0x34, 0xFF, 0x00, 0x56];
    let minimum = out.len() + sos.len() + scan.len() + 2;
    let mut missing = weight.saturating_sub(minimum);
    while missing >= 4 {
        let payload = (missing - 4).min(65_533);
        out.extend_from_slice(&[0xFF, 0xFE]);
        out.extend_from_slice(&((payload + 2) as u16).to_be_bytes());
        out.extend(std::iter::repeat_n(b'x', payload));
        missing -= payload + 4;
    }
    out.extend_from_slice(&sos);
    out.extend_from_slice(&scan);
    out.extend(std::iter::repeat_n(0x00, missing));
    out.extend_from_slice(&[0xFF, 0xD9]);
    out
}

/// A minimal PNG (signature, `IHDR`, `IEND`) of the given size.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend_from_slice(&13u32.to_be_bytes());
    out.extend_from_slice(b"IHDR");
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(b"IEND");
    out.extend_from_slice(&[0xAE, 0x42, 0x60, 0x82]);
    out
}

/// A compound file holding the given streams (see [`ole::synthetic`]).
pub fn ole(streams: &[(&str, &[u8])]) -> Vec<u8> {
    ole::synthetic(streams)
}

/// The `Workbook` stream of a legacy `.xls`: BOF, optionally FILEPASS (encrypted), EOF.
pub fn biff_workbook(encrypted: bool) -> Vec<u8> {
    let mut w = vec![0x09, 0x08, 0x04, 0x00, 0x00, 0x06, 0x05, 0x00];
    if encrypted {
        w.extend_from_slice(&[0x2F, 0x00, 0x02, 0x00, 0x01, 0x00]);
    }
    w.extend_from_slice(&[0x0A, 0x00, 0x00, 0x00]);
    w
}

/// One page of a synthetic PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    /// A page showing this text.
    Text(String),
    /// A page that only draws an image of this many bytes (a scanned page).
    Image(usize),
    /// Text drawn inside a form XObject (searchable, though the page has no text operator).
    FormText(String),
}

/// What a synthetic PDF holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PdfSpec {
    /// Pages in order.
    pub pages: Vec<Page>,
    /// Info dictionary entries (`Title`, `Author`, `Producer`…).
    pub info: Vec<(String, String)>,
    /// An XMP packet in the catalog.
    pub xmp: bool,
    /// Catalog `/Lang`.
    pub language: Option<String>,
    /// `/MarkInfo` and a structure tree.
    pub tagged: bool,
    /// Encrypt with (owner password, user password).
    pub encrypt: Option<(String, String)>,
}

/// Deterministic pseudo-random bytes (incompressible image data).
fn noise(len: usize, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 8) as u8
        })
        .collect()
}

/// A PDF built with lopdf to the spec.
pub fn pdf(spec: &PdfSpec) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    doc.trailer.set(
        "ID",
        Object::Array(vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"fedcba9876543210".to_vec()),
        ]),
    );
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let mut kids = Vec::new();
    for (i, page) in spec.pages.iter().enumerate() {
        let mut xobjects = Dictionary::new();
        let content = match page {
            Page::Text(text) => format!("BT /F1 12 Tf 72 720 Td ({}) Tj ET", escape(text)),
            Page::Image(bytes) => {
                let side = ((*bytes as f64).sqrt() as i64).max(1);
                let data = noise((side * side) as usize, i as u32 + 1);
                let image = doc.add_object(Stream::new(
                    dictionary! {
                        "Type" => "XObject", "Subtype" => "Image", "Width" => side, "Height" => side,
                        "ColorSpace" => "DeviceGray", "BitsPerComponent" => 8,
                    },
                    data,
                ));
                xobjects.set("Im1", image);
                "q 612 0 0 792 0 0 cm /Im1 Do Q".to_string()
            }
            Page::FormText(text) => {
                let form = doc.add_object(Stream::new(
                    dictionary! {
                        "Type" => "XObject", "Subtype" => "Form", "BBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
                        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
                    },
                    format!("BT /F1 12 Tf 72 720 Td ({}) Tj ET", escape(text)).into_bytes(),
                ));
                xobjects.set("Fm1", form);
                "q /Fm1 Do Q".to_string()
            }
        };
        let contents = doc.add_object(Stream::new(dictionary! {}, content.into_bytes()));
        let page_id = doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font }, "XObject" => xobjects },
            "Contents" => contents,
        });
        kids.push(Object::Reference(page_id));
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages_id };
    if let Some(language) = &spec.language {
        catalog.set("Lang", Object::string_literal(language.as_bytes().to_vec()));
    }
    if spec.tagged {
        let root = doc.add_object(dictionary! { "Type" => "StructTreeRoot" });
        catalog.set("StructTreeRoot", root);
        catalog.set("MarkInfo", dictionary! { "Marked" => true });
    }
    if spec.xmp {
        let packet = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" xmlns:dc="http://purl.org/dc/elements/1.1/"><xmp:CreatorTool>Microsoft Word para Microsoft 365</xmp:CreatorTool><xmp:CreateDate>2025-01-15T09:30:00-05:00</xmp:CreateDate><pdf:Producer>Microsoft Word para Microsoft 365</pdf:Producer><dc:creator><rdf:Seq><rdf:li>Juan Pérez</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>"#;
        let metadata = doc.add_object(Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            packet.as_bytes().to_vec(),
        ));
        catalog.set("Metadata", metadata);
    }
    let catalog_id = doc.add_object(catalog);
    doc.trailer.set("Root", catalog_id);
    if !spec.info.is_empty() {
        let mut info = Dictionary::new();
        for (key, value) in &spec.info {
            info.set(key.as_bytes().to_vec(), lopdf::text_string(value));
        }
        let info_id = doc.add_object(info);
        doc.trailer.set("Info", info_id);
    }
    if let Some((owner, user)) = &spec.encrypt
        && let Ok(state) = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
            document: &doc,
            owner_password: owner,
            user_password: user,
            key_length: 128,
            permissions: lopdf::Permissions::PRINTABLE,
        })
    {
        let _ = doc.encrypt(&state);
    }
    let mut out = Vec::new();
    let _ = doc.save_to(&mut out);
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('(', "\\(").replace(')', "\\)")
}

/// What a synthetic xlsx holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XlsxSpec {
    /// `docProps/core.xml` children: (qualified name, text), e.g. (`dc:creator`, `Juan`).
    pub core: Vec<(String, String)>,
    /// `docProps/app.xml` children: (name, text), e.g. (`Application`, `Microsoft Excel`).
    pub app: Vec<(String, String)>,
    /// `docProps/custom.xml` properties: (name, value).
    pub custom: Vec<(String, String)>,
    /// The sheet has `<sheetProtection sheet="1">`.
    pub sheet_protected: bool,
    /// The workbook has `<workbookProtection lockStructure="1">`.
    pub workbook_protected: bool,
    /// `x15ac:absPath` url in `xl/workbook.xml`.
    pub abs_path: Option<String>,
    /// Entries carry a real modification date instead of 1980-01-01.
    pub dated: bool,
}

/// An xlsx workbook with one sheet named `Datos`, built to the spec.
pub fn xlsx(spec: &XlsxSpec) -> Vec<u8> {
    let mut parts: Vec<(String, String)> = Vec::new();
    package_parts(spec, &mut parts);
    workbook_parts(spec, &mut parts);
    property_parts(spec, &mut parts);
    zip_parts(parts, spec.dated)
}

/// The package's content types and relationships (naming the custom properties when there are).
fn package_parts(spec: &XlsxSpec, parts: &mut Vec<(String, String)>) {
    let custom_type = if spec.custom.is_empty() {
        ""
    } else {
        r#"<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>"#
    };
    parts.push((
        "[Content_Types].xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>{custom_type}</Types>"#
        ),
    ));
    let custom_rel = if spec.custom.is_empty() {
        ""
    } else {
        r#"<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/>"#
    };
    parts.push((
        "_rels/.rels".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>{custom_rel}</Relationships>"#
        ),
    ));
}

/// The workbook (with its protection and edit folder), its relationships and its one sheet.
fn workbook_parts(spec: &XlsxSpec, parts: &mut Vec<(String, String)>) {
    let protection = if spec.workbook_protected {
        r#"<workbookProtection lockStructure="1" workbookAlgorithmName="SHA-512" workbookHashValue="abc=" workbookSaltValue="def=" workbookSpinCount="100000"/>"#
    } else {
        ""
    };
    let abs = spec
        .abs_path
        .as_deref()
        .map(|p| {
            format!(
                r#"<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x15"><x15ac:absPath url="{}" xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac"/></mc:Choice></mc:AlternateContent>"#,
                super::xml::escape(p)
            )
        })
        .unwrap_or_default();
    parts.push((
        "xl/workbook.xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><fileVersion appName="xl"/>{abs}{protection}<sheets><sheet name="Datos" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        ),
    ));
    parts.push((
        "xl/_rels/workbook.xml.rels".into(),
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.into(),
    ));
    let sheet_protection = if spec.sheet_protected {
        r#"<sheetProtection algorithmName="SHA-512" hashValue="abc=" saltValue="def=" spinCount="100000" sheet="1" objects="1" scenarios="1"/>"#
    } else {
        ""
    };
    parts.push((
        "xl/worksheets/sheet1.xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Tarifa</t></is></c></row></sheetData>{sheet_protection}</worksheet>"#
        ),
    ));
}

/// The core, app and (when any) custom property parts.
fn property_parts(spec: &XlsxSpec, parts: &mut Vec<(String, String)>) {
    let core: String = spec
        .core
        .iter()
        .map(|(k, v)| format!("<{k}>{}</{k}>", super::xml::escape(v)))
        .collect();
    parts.push((
        "docProps/core.xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">{core}</cp:coreProperties>"#
        ),
    ));
    let app: String = spec
        .app
        .iter()
        .map(|(k, v)| format!("<{k}>{}</{k}>", super::xml::escape(v)))
        .collect();
    parts.push((
        "docProps/app.xml".into(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">{app}</Properties>"#
        ),
    ));
    if !spec.custom.is_empty() {
        let props: String = spec
            .custom
            .iter()
            .enumerate()
            .map(|(i, (k, v))| {
                format!(
                    r#"<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{}" name="{}"><vt:lpwstr>{}</vt:lpwstr></property>"#,
                    i + 2,
                    super::xml::escape(k),
                    super::xml::escape(v)
                )
            })
            .collect();
        parts.push((
            "docProps/custom.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">{props}</Properties>"#
            ),
        ));
    }
}

/// Zip the parts in order, every entry dated 2025-02-03 when `dated`, else 1980-01-01.
fn zip_parts(parts: Vec<(String, String)>, dated: bool) -> Vec<u8> {
    let date = if dated {
        zip::DateTime::from_date_and_time(2025, 2, 3, 16, 5, 0).unwrap_or_default()
    } else {
        zip::DateTime::default()
    };
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(date);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, text) in parts {
        if writer.start_file(name, options).is_ok() {
            let _ = writer.write_all(text.as_bytes());
        }
    }
    writer.finish().map(Cursor::into_inner).unwrap_or_default()
}

/// The header of a synthetic SMS campaign (`;`-separated).
pub const SMS_HEADER: &str = "Nombre;Apellido;Número de cédula;Mensaje\n";

/// A clean SMS campaign of `rows` rows (UTF-8, `;`), unique cédulas and GSM-7 messages of
/// 60–150 characters; every `bad_every`-th row (0: none) has a tilde in its message.
pub fn sms_campaign(rows: usize, bad_every: usize) -> Vec<u8> {
    const NAMES: [&str; 8] = [
        "Ana", "Luis", "María", "Jorge", "Nuria", "Pedro", "Sofía", "Camilo",
    ];
    const SURNAMES: [&str; 8] = ["Peña", "Gómez", "Ruiz", "Díaz", "Mora", "Rey", "Soto", "Castro"];
    let mut out = String::with_capacity(rows * 120 + 64);
    out.push_str(SMS_HEADER);
    for i in 0..rows {
        let name = NAMES.get(i % 8).copied().unwrap_or("Ana");
        let surname = SURNAMES.get((i / 8) % 8).copied().unwrap_or("Peña");
        let cedula = 10_000_000 + i as u64 * 7;
        let accent = if bad_every > 0 && i % bad_every == 0 {
            "crédito"
        } else {
            "credito"
        };
        let padding = "x".repeat(i % 90);
        out.push_str(&format!(
            "{name};{surname};{cedula};Hola, su {accent} ICETEX fue aprobado. Ref {i} {padding}\n"
        ));
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_what_they_say() {
        let info = super::super::image::inspect(&jpeg(1920, 550, 153_600));
        assert_eq!(
            (info.width, info.height, info.damage),
            (Some(1920), Some(550), None)
        );
        assert_eq!(jpeg(1920, 550, 153_600).len(), 153_600);
        assert!(
            pdf(&PdfSpec {
                pages: vec![Page::Text("hola".into())],
                ..PdfSpec::default()
            })
            .starts_with(b"%PDF-1.7")
        );
        assert!(xlsx(&XlsxSpec::default()).starts_with(b"PK\x03\x04"));
    }
}
