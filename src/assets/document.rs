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

/// Check a document (and write its scrubbed copy when `out` is given).
fn run(
    name: &str,
    bytes: Vec<u8>,
    rules: &DocumentRules,
    policy: &str,
    out: Option<&Path>,
) -> DocumentReport {
    let size = bytes.len() as u64;
    let mut check = Check {
        name,
        rules,
        keep: keep(rules),
        out,
        // Everything decompressed while reading this file is charged to one budget.
        budget: Budget::for_size(size),
        findings: Vec::new(),
    };
    let (kind, format) = check.recognise(&bytes);
    if kind != Kind::Other && !allowed(rules, if kind == Kind::Pdf { "pdf" } else { "xlsx" }) {
        check.findings.push(Finding::new(
            Code::D001,
            format!(
                "`{name}`: el contenido es {format}; esta política solo admite {}.",
                rules.formats.join(", ")
            ),
            Location::file(name),
        ));
    }
    let (facts, scrub) = match kind {
        Kind::Pdf => check.pdf(bytes),
        Kind::Xlsx => check.xlsx(&bytes),
        Kind::Other => (None, check.refuse("solo se limpian PDF y xlsx.")),
    };
    finish(
        name,
        policy,
        kind,
        format,
        size,
        facts,
        rules,
        check.findings,
        scrub,
    )
}

/// One document being checked: what every step reads, and the findings they add.
struct Check<'a> {
    name: &'a str,
    rules: &'a DocumentRules,
    keep: Keep,
    /// Where the scrubbed copy goes, when asked.
    out: Option<&'a Path>,
    budget: Budget,
    findings: Vec<Finding>,
}

/// Facts learned and the scrub done (or refused), the two results of checking the content.
type Checked = (Option<PdfFacts>, Option<ScrubSummary>);

impl Check<'_> {
    /// The whole file as the place of a finding.
    fn here(&self) -> Location {
        Location::file(self.name)
    }

    /// The formats the policy admits, as messages list them.
    fn formats(&self) -> String {
        self.rules.formats.join(", ")
    }

    /// When a copy was asked for: a D016 saying why it was not written, and the summary saying so.
    fn refuse(&mut self, why: &str) -> Option<ScrubSummary> {
        let out = self.out?;
        let (finding, summary) = refuse(self.name, out, why);
        self.findings.push(finding);
        Some(summary)
    }

    /// What the bytes are (kind and words), reporting a format the policy does not admit.
    fn recognise(&mut self, bytes: &[u8]) -> (Kind, String) {
        if is_pdf(bytes) {
            (Kind::Pdf, "PDF".to_string())
        } else if bytes.starts_with(b"PK\x03\x04") {
            self.recognise_zip(bytes)
        } else if ole::is_ole(bytes) {
            (Kind::Other, self.recognise_ole(bytes))
        } else {
            (Kind::Other, self.recognise_other(bytes))
        }
    }

    /// A zip: an xlsx, a damaged one (D003), or another zip-based format (D001).
    fn recognise_zip(&mut self, bytes: &[u8]) -> (Kind, String) {
        let name = self.name;
        let k = xlsx::kind(bytes, &mut self.budget);
        if k.format == "xlsx" {
            return (Kind::Xlsx, "libro de Excel (xlsx)".to_string());
        }
        let finding = if k.format == "damaged" {
            Finding::new(
                Code::D003,
                format!(
                    "`{name}`: es {}; si es un libro de Excel, ábralo y guárdelo de nuevo como .xlsx, o vuelva a descargarlo completo.",
                    k.label
                ),
                self.here(),
            )
        } else {
            Finding::new(
                Code::D001,
                format!(
                    "`{name}`: el contenido es {}; la política solo admite {}. Guárdelo como PDF o como libro de Excel (.xlsx).",
                    k.label,
                    self.formats()
                ),
                self.here(),
            )
        };
        self.findings.push(finding);
        (Kind::Other, k.label)
    }

    /// An old Office (OLE) file: damaged (D018), encrypted (D002), not admitted (D001).
    fn recognise_ole(&mut self, bytes: &[u8]) -> String {
        let name = self.name;
        let (label, encrypted, known) = match ole::classify(bytes) {
            OleKind::EncryptedOoxml => (
                "un archivo de Office cifrado con contraseña de apertura",
                true,
                true,
            ),
            OleKind::LegacyExcel { encrypted } => ("un libro de Excel 97-2003 (.xls)", encrypted, false),
            OleKind::LegacyWord { encrypted } => ("un documento de Word 97-2003 (.doc)", encrypted, false),
            OleKind::Other => ("un archivo OLE de Office antiguo", false, false),
            OleKind::Damaged(why) => {
                self.findings.push(Finding::new(
                    Code::D018,
                    format!(
                        "`{name}`: es un archivo de Office 97-2003 (contenedor OLE) dañado: {why}. No se pudo saber qué contiene. La política solo admite {}: ábralo en el programa original y guárdelo como libro de Excel (.xlsx) o como PDF.",
                        self.formats()
                    ),
                    self.here(),
                ));
                ("un archivo OLE de Office dañado", false, true)
            }
        };
        if encrypted {
            self.findings.push(Finding::new(
                Code::D002,
                format!(
                    "`{name}`: es {label}{}. Quite la contraseña (Archivo › Información › Proteger › Cifrar con contraseña, déjela vacía) y guárdelo de nuevo.",
                    if known { "" } else { " protegido con contraseña de apertura" }
                ),
                self.here(),
            ));
        }
        if !known {
            self.findings.push(Finding::new(
                Code::D001,
                format!(
                    "`{name}`: el contenido es {label}; la política solo admite {}. Guárdelo como libro de Excel (.xlsx) o como PDF.",
                    self.formats()
                ),
                self.here(),
            ));
        }
        label.to_string()
    }

    /// Anything else (empty, text, an image, unknown): always a D001.
    fn recognise_other(&mut self, bytes: &[u8]) -> String {
        let name = self.name;
        let sniffed = super::image::sniff(bytes);
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
        self.findings.push(Finding::new(
            Code::D001,
            format!(
                "`{name}`: el contenido es {label}, no PDF ni Excel (xlsx); la política solo admite {}. Envíe el documento como PDF o .xlsx.",
                self.formats()
            ),
            self.here(),
        ));
        label
    }

    /// Load the PDF and check it; a PDF that cannot be loaded is reported, and never copied.
    fn pdf(&mut self, bytes: Vec<u8>) -> Checked {
        let name = self.name;
        match pdf::load(&bytes, self.budget.limits()) {
            Loaded::Locked => {
                self.findings.push(Finding::new(
                    Code::D002,
                    format!(
                        "`{name}`: el PDF está cifrado y pide contraseña para abrirlo; no se pudo revisar su contenido. Guárdelo sin contraseña y envíelo de nuevo."
                    ),
                    self.here().with_part("Encrypt"),
                ));
                (
                    None,
                    self.refuse("el original está cifrado; quite primero la contraseña."),
                )
            }
            Loaded::TooLarge(limit) => {
                self.findings.push(super::limits::too_large_finding(
                    name,
                    &format!(
                        "los flujos de objetos del PDF se expanden, entre todos, a más de {} al descomprimirlos",
                        size_text(limit)
                    ),
                    "ObjStm",
                ));
                self.unparsed_metadata(&bytes);
                (None, self.refuse("el original supera los límites de revisión."))
            }
            Loaded::Damaged(reason) => {
                self.findings.push(Finding::new(
                    Code::D003,
                    format!(
                        "`{name}`: el PDF no se pudo interpretar; puede estar truncado o dañado. Expórtelo de nuevo (detalle técnico: {reason})."
                    ),
                    self.here(),
                ));
                self.unparsed_metadata(&bytes);
                (None, self.refuse("el original está dañado."))
            }
            Loaded::Document(doc) => self.loaded_pdf(doc, bytes),
        }
    }

    /// The metadata of a PDF that could not be parsed, when the policy forbids metadata.
    fn unparsed_metadata(&mut self, bytes: &[u8]) {
        if self.rules.no_metadata {
            pdf::unparsed_metadata(self.name, bytes, &mut self.budget, &mut self.findings);
        }
    }

    /// Inspect a parsed PDF (a panic inside is damage, D003) and write its scrubbed copy.
    fn loaded_pdf(&mut self, mut doc: Box<lopdf::Document>, bytes: Vec<u8>) -> Checked {
        let name = self.name;
        let inspected = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut found_findings = Vec::new();
            let facts = pdf::inspect(
                name,
                &doc,
                &bytes,
                self.rules,
                &self.keep,
                &mut self.budget,
                &mut found_findings,
            );
            (facts, found_findings)
        }));
        let Ok((found, more)) = inspected else {
            self.findings.push(Finding::new(
                Code::D003,
                format!("`{name}`: el PDF tiene una estructura interna inválida; no se pudo revisar. Expórtelo de nuevo."),
                self.here(),
            ));
            return (None, self.refuse("el original está dañado."));
        };
        self.findings.extend(more);
        let mut scrub = None;
        if let Some(out) = self.out {
            if let Some(why) = unreadable(&self.findings) {
                scrub = self.refuse(why);
            } else if doc.was_encrypted() {
                scrub = self.refuse("el original está cifrado; quite primero la seguridad del documento.");
            } else {
                // The raw bytes are no longer needed: free them before writing the copy.
                drop(bytes);
                let title = found.title.clone();
                pdf::scrub(&mut doc, title.as_deref(), &self.keep);
                scrub = Some(written(out, pdf::save(&mut doc, out), name, &mut self.findings));
            }
        }
        (Some(found), scrub)
    }

    /// Inspect a workbook and write its scrubbed copy.
    fn xlsx(&mut self, bytes: &[u8]) -> Checked {
        let found = xlsx::inspect(
            self.name,
            bytes,
            self.rules,
            &self.keep,
            &mut self.budget,
            &mut self.findings,
        );
        let mut scrub = None;
        if let Some(out) = self.out {
            if let Some(why) = unreadable(&self.findings) {
                scrub = self.refuse(why);
            } else if self.findings.iter().any(|f| f.code == Code::D002) {
                scrub = self.refuse("el original está cifrado.");
            } else {
                let result = xlsx::scrub(bytes, out, &self.keep);
                scrub = Some(written(out, result, self.name, &mut self.findings));
            }
        }
        (Some(found), scrub)
    }
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
