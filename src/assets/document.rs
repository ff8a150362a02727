//! `document check`: a document to publish against the policy's `documentos` block — PDF or xlsx
//! by content, no password or encryption, searchable text, no revealing metadata, accessibility
//! basics — and `--scrub`: a cleaned copy, checked again before it is reported as clean.

use std::path::Path;

use serde::Serialize;

use super::limits::{Budget, size_text};
use super::ole::{self, OleKind};
use super::pdf::{self, Keep, Loaded, PdfFacts};
use super::{AssetError, Code, Counts, Finding, Location, Severity, read_file, xlsx};
use crate::policy::model::DocumentRules;
use crate::text::match_key;

/// The codes a scrub removes: once scrubbed, none of them may remain.
pub const METADATA_CODES: [Code; 8] = [
    Code::D005,
    Code::D006,
    Code::D007,
    Code::D008,
    Code::D009,
    Code::D010,
    Code::D012,
    Code::D017,
];

/// What the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A PDF (`%PDF-` signature).
    Pdf,
    /// An Excel workbook (xlsx).
    Xlsx,
    /// Anything else (the finding says what).
    Other,
}

/// What `--scrub` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScrubSummary {
    /// The cleaned copy.
    pub output: String,
    /// Whether a copy was written.
    pub written: bool,
    /// Findings of the second check, on the copy.
    pub recheck: Vec<Finding>,
    /// Their counts.
    pub recheck_counts: Counts,
}

/// The result of checking (and maybe scrubbing) a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentReport {
    /// The file as given.
    pub file: String,
    /// `CODE@VERSION` of the policy applied.
    pub policy: String,
    /// PDF, xlsx or other.
    pub kind: Kind,
    /// The real format in words.
    pub format: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Pages, title, language, tags (PDF); title and language (xlsx).
    pub facts: Option<PdfFacts>,
    /// The rules applied, in Spanish.
    pub rules: Vec<String>,
    /// Every problem found in the original.
    pub findings: Vec<Finding>,
    /// Their counts.
    pub counts: Counts,
    /// The scrub, when asked.
    pub scrub: Option<ScrubSummary>,
}

impl DocumentReport {
    /// Whether the command fails: errors in the original, or — when scrubbing — errors left in
    /// the cleaned copy (the copy is what gets published).
    pub fn failed(&self) -> bool {
        match &self.scrub {
            Some(scrub) => !scrub.written || scrub.recheck_counts.errors > 0,
            None => self.counts.errors > 0,
        }
    }
}

fn keep(rules: &DocumentRules) -> Keep {
    let has = |what: &str| rules.keep_metadata.iter().any(|k| match_key(k) == what);
    Keep {
        title: has("titulo"),
        language: has("idioma"),
    }
}

fn rules_text(rules: &DocumentRules) -> Vec<String> {
    let mut out = vec![format!(
        "El formato se reconoce por el contenido del archivo, no por su extensión; se admiten: {}.",
        rules.formats.join(", ")
    )];
    if rules.searchable {
        out.push("Una página de PDF tiene texto cuando su contenido (o un formulario que dibuja) muestra texto; una página que solo es imagen no se puede buscar.".into());
    }
    if rules.no_metadata {
        let kept: Vec<&str> = rules
            .keep_metadata
            .iter()
            .map(|k| match match_key(k).as_str() {
                "titulo" => "el título",
                "idioma" => "el idioma",
                _ => k.as_str(),
            })
            .collect();
        let kept = match kept.len() {
            0 => "no se conserva nada".to_string(),
            1 => format!("se conserva {}", kept.join("")),
            _ => format!("se conservan {}", kept.join(" y ")),
        };
        out.push(format!(
            "Metadatos: no pueden quedar autores, software, fechas ni propiedades personalizadas (Info y XMP del PDF; docProps del xlsx); al limpiar {kept}."
        ));
    }
    out
}

fn allowed(rules: &DocumentRules, format: &str) -> bool {
    rules.formats.iter().any(|f| f.eq_ignore_ascii_case(format))
}

/// Where the PDF header is, if within the first kilobyte.
fn is_pdf(bytes: &[u8]) -> bool {
    bytes
        .get(..bytes.len().min(1024))
        .is_some_and(|head| head.windows(5).any(|w| w == b"%PDF-"))
}

/// Check a document on disk.
pub fn check_document(
    path: &Path,
    rules: &DocumentRules,
    policy: &str,
) -> Result<DocumentReport, AssetError> {
    let bytes = read_file(path)?;
    Ok(run(&path.display().to_string(), bytes, rules, policy, None))
}

/// Check a document given its bytes.
pub fn check_document_bytes(
    name: &str,
    bytes: Vec<u8>,
    rules: &DocumentRules,
    policy: &str,
) -> DocumentReport {
    run(name, bytes, rules, policy, None)
}

/// Check a document and write a scrubbed copy to `out`, then check the copy. The original is
/// never modified, and a PDF is parsed once (the copy is written from that parse).
pub fn scrub_document(
    path: &Path,
    out: &Path,
    rules: &DocumentRules,
    policy: &str,
) -> Result<DocumentReport, AssetError> {
    super::ensure_not_input(path, out)?;
    let bytes = read_file(path)?;
    let mut report = run(&path.display().to_string(), bytes, rules, policy, Some(out));
    if let Some(scrub) = &mut report.scrub
        && scrub.written
    {
        let copy = check_document(out, rules, policy)?;
        let mut recheck = copy.findings;
        let left: Vec<&str> = recheck
            .iter()
            .filter(|f| METADATA_CODES.contains(&f.code))
            .map(|f| f.code.code())
            .collect();
        if !left.is_empty() {
            recheck.push(Finding::new(
                Code::D016,
                format!(
                    "`{}`: la copia limpia todavía tiene metadatos ({}); no la publique. Informe este caso.",
                    out.display(),
                    left.join(", ")
                ),
                Location::file(&out.display().to_string()),
            ));
        }
        scrub.recheck_counts = Counts::of(&recheck);
        scrub.recheck = recheck;
    }
    Ok(report)
}

fn refuse(name: &str, out: &Path, why: &str) -> (Finding, ScrubSummary) {
    (
        Finding::new(
            Code::D016,
            format!(
                "`{name}`: no se escribió la copia limpia {}: {why}",
                out.display()
            ),
            Location::file(name),
        ),
        ScrubSummary {
            output: out.display().to_string(),
            written: false,
            recheck: Vec::new(),
            recheck_counts: Counts::default(),
        },
    )
}

fn run(
    name: &str,
    bytes: Vec<u8>,
    rules: &DocumentRules,
    policy: &str,
    out: Option<&Path>,
) -> DocumentReport {
    let size = bytes.len() as u64;
    // Everything decompressed while reading this file is charged to one budget.
    let mut budget = Budget::for_size(size);
    let keep = keep(rules);
    let mut findings = Vec::new();
    let mut facts = None;
    let mut scrub = None;
    let here = || Location::file(name);
    let (kind, format) = if is_pdf(&bytes) {
        (Kind::Pdf, "PDF".to_string())
    } else if bytes.starts_with(b"PK\x03\x04") {
        let k = xlsx::kind(&bytes, &mut budget);
        if k.format == "xlsx" {
            (Kind::Xlsx, "libro de Excel (xlsx)".to_string())
        } else if k.format == "damaged" {
            findings.push(Finding::new(
                Code::D003,
                format!(
                    "`{name}`: es {}; si es un libro de Excel, ábralo y guárdelo de nuevo como .xlsx, o vuelva a descargarlo completo.",
                    k.label
                ),
                here(),
            ));
            (Kind::Other, k.label)
        } else {
            findings.push(Finding::new(
                Code::D001,
                format!(
                    "`{name}`: el contenido es {}; la política solo admite {}. Guárdelo como PDF o como libro de Excel (.xlsx).",
                    k.label,
                    rules.formats.join(", ")
                ),
                here(),
            ));
            (Kind::Other, k.label)
        }
    } else if ole::is_ole(&bytes) {
        let (label, encrypted, known) = match ole::classify(&bytes) {
            OleKind::EncryptedOoxml => (
                "un archivo de Office cifrado con contraseña de apertura",
                true,
                true,
            ),
            OleKind::LegacyExcel { encrypted } => ("un libro de Excel 97-2003 (.xls)", encrypted, false),
            OleKind::LegacyWord { encrypted } => ("un documento de Word 97-2003 (.doc)", encrypted, false),
            OleKind::Other => ("un archivo OLE de Office antiguo", false, false),
            OleKind::Damaged(why) => {
                findings.push(Finding::new(
                    Code::D018,
                    format!(
                        "`{name}`: es un archivo de Office 97-2003 (contenedor OLE) dañado: {why}. No se pudo saber qué contiene. La política solo admite {}: ábralo en el programa original y guárdelo como libro de Excel (.xlsx) o como PDF.",
                        rules.formats.join(", ")
                    ),
                    here(),
                ));
                ("un archivo OLE de Office dañado", false, true)
            }
        };
        if encrypted {
            findings.push(Finding::new(
                Code::D002,
                format!(
                    "`{name}`: es {label}{}. Quite la contraseña (Archivo › Información › Proteger › Cifrar con contraseña, déjela vacía) y guárdelo de nuevo.",
                    if known { "" } else { " protegido con contraseña de apertura" }
                ),
                here(),
            ));
        }
        if !known {
            findings.push(Finding::new(
                Code::D001,
                format!(
                    "`{name}`: el contenido es {label}; la política solo admite {}. Guárdelo como libro de Excel (.xlsx) o como PDF.",
                    rules.formats.join(", ")
                ),
                here(),
            ));
        }
        (Kind::Other, label.to_string())
    } else {
        let sniffed = super::image::sniff(&bytes);
        let label = match sniffed {
            _ if bytes.is_empty() => "un archivo vacío (0 bytes)".to_string(),
            super::image::ImageFormat::Unknown => {
                if std::str::from_utf8(bytes.get(..bytes.len().min(4096)).unwrap_or_default()).is_ok() {
                    "texto".to_string()
                } else {
                    "un formato desconocido".to_string()
                }
            }
            other => format!("una imagen {}", other.label()),
        };
        findings.push(Finding::new(
            Code::D001,
            format!(
                "`{name}`: el contenido es {label}, no PDF ni Excel (xlsx); la política solo admite {}. Envíe el documento como PDF o .xlsx.",
                rules.formats.join(", ")
            ),
            here(),
        ));
        (Kind::Other, label)
    };
    if kind != Kind::Other && !allowed(rules, if kind == Kind::Pdf { "pdf" } else { "xlsx" }) {
        findings.push(Finding::new(
            Code::D001,
            format!(
                "`{name}`: el contenido es {format}; esta política solo admite {}.",
                rules.formats.join(", ")
            ),
            here(),
        ));
    }

    match kind {
        Kind::Pdf => match pdf::load(&bytes, budget.limits()) {
            Loaded::Locked => {
                findings.push(Finding::new(
                    Code::D002,
                    format!(
                        "`{name}`: el PDF está cifrado y pide contraseña para abrirlo; no se pudo revisar su contenido. Guárdelo sin contraseña y envíelo de nuevo."
                    ),
                    here().with_part("Encrypt"),
                ));
                if let Some(out) = out {
                    let (f, s) = refuse(
                        name,
                        out,
                        "el original está cifrado; quite primero la contraseña.",
                    );
                    findings.push(f);
                    scrub = Some(s);
                }
            }
            Loaded::TooLarge(limit) => {
                findings.push(super::limits::too_large_finding(
                    name,
                    &format!(
                        "los flujos de objetos del PDF se expanden, entre todos, a más de {} al descomprimirlos",
                        size_text(limit)
                    ),
                    "ObjStm",
                ));
                if rules.no_metadata {
                    pdf::unparsed_metadata(name, &bytes, &mut budget, &mut findings);
                }
                if let Some(out) = out {
                    let (f, s) = refuse(name, out, "el original supera los límites de revisión.");
                    findings.push(f);
                    scrub = Some(s);
                }
            }
            Loaded::Damaged(reason) => {
                findings.push(Finding::new(
                    Code::D003,
                    format!(
                        "`{name}`: el PDF no se pudo interpretar; puede estar truncado o dañado. Expórtelo de nuevo (detalle técnico: {reason})."
                    ),
                    here(),
                ));
                if rules.no_metadata {
                    pdf::unparsed_metadata(name, &bytes, &mut budget, &mut findings);
                }
                if let Some(out) = out {
                    let (f, s) = refuse(name, out, "el original está dañado.");
                    findings.push(f);
                    scrub = Some(s);
                }
            }
            Loaded::Document(mut doc) => {
                let inspected = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let mut found_findings = Vec::new();
                    let facts =
                        pdf::inspect(name, &doc, &bytes, rules, &keep, &mut budget, &mut found_findings);
                    (facts, found_findings)
                }));
                let Ok((found, more)) = inspected else {
                    findings.push(Finding::new(
                        Code::D003,
                        format!("`{name}`: el PDF tiene una estructura interna inválida; no se pudo revisar. Expórtelo de nuevo."),
                        here(),
                    ));
                    if let Some(out) = out {
                        let (f, s) = refuse(name, out, "el original está dañado.");
                        findings.push(f);
                        scrub = Some(s);
                    }
                    return finish(name, policy, kind, format, size, None, rules, findings, scrub);
                };
                findings.extend(more);
                if let Some(out) = out {
                    if let Some(why) = unreadable(&findings) {
                        let (f, s) = refuse(name, out, why);
                        findings.push(f);
                        scrub = Some(s);
                    } else if doc.was_encrypted() {
                        let (f, s) = refuse(
                            name,
                            out,
                            "el original está cifrado; quite primero la seguridad del documento.",
                        );
                        findings.push(f);
                        scrub = Some(s);
                    } else {
                        // The raw bytes are no longer needed: free them before writing the copy.
                        drop(bytes);
                        let title = found.title.clone();
                        pdf::scrub(&mut doc, title.as_deref(), &keep);
                        scrub = Some(written(out, pdf::save(&mut doc, out), name, &mut findings));
                    }
                }
                facts = Some(found);
            }
        },
        Kind::Xlsx => {
            let found = xlsx::inspect(name, &bytes, rules, &keep, &mut budget, &mut findings);
            if let Some(out) = out {
                if let Some(why) = unreadable(&findings) {
                    let (f, s) = refuse(name, out, why);
                    findings.push(f);
                    scrub = Some(s);
                } else if findings.iter().any(|f| f.code == Code::D002) {
                    let (f, s) = refuse(name, out, "el original está cifrado.");
                    findings.push(f);
                    scrub = Some(s);
                } else {
                    scrub = Some(written(out, xlsx::scrub(&bytes, out, &keep), name, &mut findings));
                }
            }
            facts = Some(found);
        }
        Kind::Other => {
            if let Some(out) = out {
                let (f, s) = refuse(name, out, "solo se limpian PDF y xlsx.");
                findings.push(f);
                scrub = Some(s);
            }
        }
    }
    finish(name, policy, kind, format, size, facts, rules, findings, scrub)
}

/// Why a copy cannot be written from what was read: the original is damaged or went past the
/// limits, so a copy could lose content or carry what the check did not see.
fn unreadable(findings: &[Finding]) -> Option<&'static str> {
    if findings.iter().any(|f| f.code == Code::D019) {
        Some("el original supera los límites de revisión.")
    } else if findings.iter().any(|f| matches!(f.code, Code::D003 | Code::D018)) {
        Some("el original está dañado.")
    } else {
        None
    }
}

/// Sort the findings (errors first, by code) and assemble the report.
#[expect(
    clippy::too_many_arguments,
    reason = "the facts gathered along one check, assembled once here; a struct would serve this one call"
)]
fn finish(
    name: &str,
    policy: &str,
    kind: Kind,
    format: String,
    size: u64,
    facts: Option<PdfFacts>,
    rules: &DocumentRules,
    mut findings: Vec<Finding>,
    scrub: Option<ScrubSummary>,
) -> DocumentReport {
    findings.sort_by_key(|f| (f.severity != Severity::Error, f.code));
    let counts = Counts::of(&findings);
    DocumentReport {
        file: name.to_string(),
        policy: policy.to_string(),
        kind,
        format,
        bytes: size,
        facts,
        rules: rules_text(rules),
        findings,
        counts,
        scrub,
    }
}

fn written(
    out: &Path,
    result: Result<(), AssetError>,
    name: &str,
    findings: &mut Vec<Finding>,
) -> ScrubSummary {
    match result {
        Ok(()) => ScrubSummary {
            output: out.display().to_string(),
            written: true,
            recheck: Vec::new(),
            recheck_counts: Counts::default(),
        },
        Err(e) => {
            let (f, s) = refuse(name, out, &e.to_string());
            findings.push(f);
            s
        }
    }
}
