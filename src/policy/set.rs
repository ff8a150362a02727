//! A set of policy files checked together: procedures, their versions and their calendars.
//! Cross-file checks (unknown calendar, two versions on one date) live here.

use chrono::Datelike as _;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ast::Document;
use super::compile::{compile_calendar, compile_procedure};
use super::diagnostics::{Code, Diagnostic, Located, Severity};
use super::embedded;
use super::model::Policy;
use super::parse::parse;
use super::source::{SourceFile, Span};
use crate::calendar::Calendar;
use crate::text::{match_key, suggest};

/// Why policy files could not even be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A path does not exist or cannot be read.
    #[error("no se pudo leer `{path}`: {reason}. Verifique la ruta y los permisos.")]
    Unreadable {
        /// As given on the command line or found in the folder.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// A file is not UTF-8 text.
    #[error(
        "`{path}` no está guardado en UTF-8 (línea {line}; parece {seems}). Ábralo en el Bloc de notas y use Archivo > Guardar como > Codificación: UTF-8"
    )]
    NotUtf8 {
        /// As given on the command line or found in the folder.
        path: String,
        /// The first line with a byte that is not UTF-8.
        line: usize,
        /// What encoding it seems to be in.
        seems: &'static str,
    },
    /// A folder holds no `.pauta` file.
    #[error(
        "`{path}` no contiene archivos `.pauta`. Indique un archivo de política o una carpeta que los contenga."
    )]
    Empty {
        /// The folder as given.
        path: String,
    },
    /// The policy set has errors (returned by `PolicySet::load_*` when a usable set is required).
    #[error("las políticas tienen {count} error(es); ejecute `pauta check` para verlos")]
    Invalid {
        /// Errors across all files (warnings not counted).
        count: usize,
        /// Every diagnostic of every file, for `pauta check`-style printing.
        report: Box<CheckReport>,
    },
}

impl crate::codes::Coded for LoadError {
    fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } | Self::NotUtf8 { .. } | Self::Empty { .. } => "P090",
            // The first error of the set names the family of the problem.
            Self::Invalid { report, .. } => report
                .files
                .iter()
                .flat_map(|file| &file.diagnostics)
                .find(|d| d.severity == super::Severity::Error)
                .map_or("P001", |d| d.code),
        }
    }
}

/// The diagnostics of one file.
#[derive(Debug, Clone, Serialize)]
pub struct FileReport {
    /// As given on the command line or found in the folder.
    pub file: String,
    /// Its diagnostics, in order of position.
    pub diagnostics: Vec<Located>,
}

/// The result of checking a set of files: every diagnostic, and the usable policies.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// One entry per file, in the order given.
    pub files: Vec<FileReport>,
    /// Compiled procedures without errors, sorted by code and effective date.
    #[serde(skip)]
    pub policies: Vec<Policy>,
    /// Calendars that compiled without errors, for the procedures to use.
    #[serde(skip)]
    pub calendars: Vec<Calendar>,
}

impl CheckReport {
    /// Number of diagnostics of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// The embedded policy files as sources.
pub fn embedded_sources() -> Vec<SourceFile> {
    embedded::FILES
        .iter()
        .map(|(name, text)| SourceFile::new(*name, text))
        .collect()
}

/// Read policy files from paths (files, or folders searched recursively for `*.pauta`).
pub fn read_paths(paths: &[PathBuf]) -> Result<Vec<SourceFile>, LoadError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| LoadError::Unreadable {
            path: path.display().to_string(),
            reason: crate::text::io_reason(&e),
        })?;
        if meta.is_dir() {
            let before = files.len();
            collect(path, &mut files)?;
            if files.len() == before {
                return Err(LoadError::Empty {
                    path: path.display().to_string(),
                });
            }
        } else {
            files.push(path.clone());
        }
    }
    files
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).map_err(|e| LoadError::Unreadable {
                path: path.display().to_string(),
                reason: crate::text::io_reason(&e),
            })?;
            let text = String::from_utf8(bytes).map_err(|error| LoadError::NotUtf8 {
                path: path.display().to_string(),
                line: error.as_bytes()[..error.utf8_error().valid_up_to()]
                    .iter()
                    .filter(|b| **b == b'\n')
                    .count()
                    + 1,
                seems: seems(error.as_bytes()),
            })?;
            Ok(SourceFile::new(path.display().to_string(), &text))
        })
        .collect()
}

/// What a text that is not UTF-8 seems to be encoded in.
fn seems(bytes: &[u8]) -> &'static str {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        "UTF-16"
    } else if bytes.contains(&0) {
        "un archivo binario o UTF-16"
    } else {
        "Windows-1252, la codificación antigua de Windows"
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError::Unreadable {
        path: dir.display().to_string(),
        reason: crate::text::io_reason(&e),
    })?;
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "pauta") {
            out.push(path);
        }
    }
    Ok(())
}

/// What the cross-file checks need from one compiled procedure file.
struct Compiled {
    policy: Option<Policy>,
    calendar_span: Span,
    version_span: Span,
    calendar_ref: Option<String>,
    version: Option<(String, u32, chrono::NaiveDate)>,
}

/// Compiles the policy's `regla` expressions in the rules sandbox; each problem becomes a `P072`
/// diagnostic at its line and column in the policy file.
fn rule_diagnostics(policy: &Policy, source: &SourceFile) -> Vec<Diagnostic> {
    let engine = crate::rules::engine();
    let (_, problems) = crate::rules::compile_rules(&engine, &policy.rules, None);
    let script = problems.into_iter().map(|problem| (Code::RuleScript, problem));
    let vocabulary = crate::rules::vocabulary::check(policy)
        .into_iter()
        .map(|problem| (Code::RuleValue, problem));
    script
        .chain(vocabulary)
        .map(|(code, problem)| {
            let start = crate::text::byte_offset(&source.text, problem.line, problem.column);
            let first = source
                .text
                .get(start..)
                .and_then(|rest| rest.chars().next())
                .map_or(start, |c| start + c.len_utf8());
            let end = (start + problem.width).min(source.text.len()).max(first);
            let end = if source.text.is_char_boundary(end) {
                end
            } else {
                first
            };
            let diagnostic = Diagnostic::new(
                code,
                Span::new(start, end),
                format!(
                    "regla `{}`, `{}`: {}",
                    problem.rule, problem.clause, problem.message
                ),
            );
            match problem.help {
                Some(help) => diagnostic.with_help(help),
                None => diagnostic,
            }
        })
        .collect()
}

/// Codes a statement pauta could not read (an unknown keyword) can cause further down: a state
/// whose transition was misspelled has no way in, a block left unread is "missing".
const KNOCK_ON: &[Code] = &[
    Code::Missing,
    Code::InitialState,
    Code::SolutionState,
    Code::Unreachable,
    Code::NoWayOut,
    Code::CategoryIncomplete,
    Code::ExceptionsIncomplete,
];

/// When a file has statements pauta could not read (`P002`), the problems they may cause are
/// told after them, each saying which line to fix first: the cause before what it causes.
fn causes_first(located: &mut [Located]) {
    let Some(cause) = located
        .iter()
        .find(|d| d.code == Code::UnknownKeyword.code())
        .map(|d| d.line)
    else {
        return;
    };
    let is_knock_on = |d: &Located| KNOCK_ON.iter().any(|code| code.code() == d.code);
    for diagnostic in located.iter_mut().filter(|d| is_knock_on(d)) {
        let note = format!("puede ser consecuencia del error de la línea {cause}: corríjalo primero");
        diagnostic.help = Some(match diagnostic.help.take() {
            Some(help) => format!("{help}; {note}"),
            None => note,
        });
    }
    located.sort_by_key(|d| is_knock_on(d));
}

/// Check a set of sources together. Calendars referenced but not among them are looked up in
/// `fallback_calendars` (the embedded ones, for a single procedure file checked on its own).
pub fn check_sources(sources: &[SourceFile], fallback_calendars: &[Calendar]) -> CheckReport {
    let mut checked = Checked::compile(sources);
    checked.duplicate_calendars();
    checked.unknown_calendars(fallback_calendars);
    checked.calendars_too_short(fallback_calendars);
    checked.clashing_versions(sources);
    checked.into_report(sources, fallback_calendars)
}

/// The files of a set compiled one by one, gathering the diagnostics the cross-file checks add.
struct Checked {
    /// Per source, in order: its diagnostics so far.
    diagnostics: Vec<Vec<Diagnostic>>,
    /// Per source, in order: what a procedure file declares (`None` for a calendar or a file
    /// that did not parse).
    compiled: Vec<Option<Compiled>>,
    /// The calendars that compiled: the index of their source, the calendar, its name's span.
    calendars: Vec<(usize, Calendar, Span)>,
}

impl Checked {
    /// Parses and compiles each source on its own, with the diagnostics of that file alone.
    fn compile(sources: &[SourceFile]) -> Self {
        let mut diagnostics: Vec<Vec<Diagnostic>> = vec![Vec::new(); sources.len()];
        let mut compiled: Vec<Option<Compiled>> = Vec::with_capacity(sources.len());
        let mut calendars: Vec<(usize, Calendar, Span)> = Vec::new();
        for (index, source) in sources.iter().enumerate() {
            let slot = &mut diagnostics[index];
            match parse(source) {
                Err(d) => {
                    slot.push(d);
                    compiled.push(None);
                }
                Ok(Document::Calendar(doc)) => {
                    let (calendar, mut found) = compile_calendar(&doc, source);
                    slot.append(&mut found);
                    if let Some(calendar) = calendar {
                        calendars.push((index, calendar, doc.name.span));
                    }
                    compiled.push(None);
                }
                Ok(Document::Procedure(doc)) => {
                    compiled.push(Some(compile_procedure_file(&doc, source, slot)));
                }
            }
        }
        Self {
            diagnostics,
            compiled,
            calendars,
        }
    }

    /// A calendar name declared by a second file.
    fn duplicate_calendars(&mut self) {
        let mut calendar_names: BTreeMap<String, usize> = BTreeMap::new();
        for (index, calendar, span) in &self.calendars {
            if calendar_names.insert(match_key(&calendar.name), *index).is_some() {
                self.diagnostics[*index].push(Diagnostic::new(
                    Code::DuplicateCalendar,
                    *span,
                    format!(
                        "el calendario `{}` ya está declarado en otro archivo",
                        calendar.name
                    ),
                ));
            }
        }
    }

    /// A procedure naming a calendar that is neither in the set nor among the fallbacks.
    fn unknown_calendars(&mut self, fallback_calendars: &[Calendar]) {
        let known: Vec<&str> = self
            .calendars
            .iter()
            .map(|(_, c, _)| c.name.as_str())
            .chain(fallback_calendars.iter().map(|c| c.name.as_str()))
            .collect();
        for (index, entry) in self.compiled.iter().enumerate() {
            let Some(entry) = entry else { continue };
            if let Some(name) = &entry.calendar_ref
                && !known.iter().any(|k| match_key(k) == match_key(name))
            {
                self.diagnostics[index].push(
                    Diagnostic::new(
                        Code::UnknownCalendar,
                        entry.calendar_span,
                        format!("el calendario `{name}` no existe"),
                    )
                    .with_suggestion(suggest(name, known.iter().copied())),
                );
            }
        }
    }

    /// Calendars that end before the version they serve comes into force: no case could be
    /// judged.
    fn calendars_too_short(&mut self, fallback_calendars: &[Calendar]) {
        for (index, entry) in self.compiled.iter().enumerate() {
            let Some(Compiled {
                calendar_ref: Some(name),
                version: Some((_, _, from)),
                calendar_span,
                ..
            }) = entry
            else {
                continue;
            };
            let calendar = self
                .calendars
                .iter()
                .map(|(_, c, _)| c)
                .chain(fallback_calendars)
                .find(|c| match_key(&c.name) == match_key(name));
            if let Some(last) = calendar.and_then(|c| c.last_year)
                && from.year() > last
            {
                self.diagnostics[index].push(
                    Diagnostic::new(
                        Code::CalendarTooShort,
                        *calendar_span,
                        format!(
                            "el calendario `{name}` termina en {last}, antes de que esta versión entre en vigencia ({from}): ningún caso se podría evaluar"
                        ),
                    )
                    .with_help("amplíe el `hasta` del calendario (o quítelo) o corrija la fecha `vigente desde`"),
                );
            }
        }
    }

    /// Versions: same number or same effective date within one procedure.
    fn clashing_versions(&mut self, sources: &[SourceFile]) {
        let mut by_code: BTreeMap<String, Vec<(usize, u32, chrono::NaiveDate)>> = BTreeMap::new();
        for (index, entry) in self.compiled.iter().enumerate() {
            if let Some(Compiled {
                version: Some((code, number, date)),
                ..
            }) = entry
            {
                by_code
                    .entry(match_key(code))
                    .or_default()
                    .push((index, *number, *date));
            }
        }
        for versions in by_code.values() {
            for (i, (index, number, date)) in versions.iter().enumerate() {
                let span = self.compiled[*index]
                    .as_ref()
                    .map_or_else(Span::default, |c| c.version_span);
                if let Some((other, _, _)) = versions[..i].iter().find(|(_, n, _)| n == number) {
                    self.diagnostics[*index].push(Diagnostic::new(
                        Code::DuplicateVersion,
                        span,
                        format!(
                            "la versión {number} ya está declarada en `{}`",
                            sources[*other].name
                        ),
                    ));
                } else if let Some((other, n, _)) = versions[..i].iter().find(|(_, _, d)| d == date) {
                    self.diagnostics[*index].push(Diagnostic::new(Code::SameEffectiveDate, span, format!("la versión {number} y la versión {n} (`{}`) entran en vigencia el mismo día {date}", sources[*other].name)).with_help("cada versión debe tener su propia fecha `vigente desde`"));
                }
            }
        }
    }

    /// The report: each file's diagnostics located and ordered, the policies of the files
    /// without errors, and the calendars (the set's, then the fallbacks it does not replace).
    fn into_report(self, sources: &[SourceFile], fallback_calendars: &[Calendar]) -> CheckReport {
        let mut files = Vec::with_capacity(sources.len());
        let mut policies = Vec::new();
        for (index, source) in sources.iter().enumerate() {
            let mut located: Vec<Located> =
                self.diagnostics[index].iter().map(|d| d.locate(source)).collect();
            located.sort_by(|a, b| (a.line, a.column, a.code).cmp(&(b.line, b.column, b.code)));
            causes_first(&mut located);
            let clean = !located.iter().any(|d| d.severity == Severity::Error);
            if clean
                && let Some(Some(Compiled {
                    policy: Some(policy), ..
                })) = self.compiled.get(index)
            {
                policies.push(policy.clone());
            }
            files.push(FileReport {
                file: source.name.clone(),
                diagnostics: located,
            });
        }
        policies.sort_by(|a, b| (&a.code, a.effective_from).cmp(&(&b.code, b.effective_from)));
        let mut calendars: Vec<Calendar> = self.calendars.into_iter().map(|(_, c, _)| c).collect();
        for fallback in fallback_calendars {
            if !calendars
                .iter()
                .any(|c| match_key(&c.name) == match_key(&fallback.name))
            {
                calendars.push(fallback.clone());
            }
        }
        CheckReport {
            files,
            policies,
            calendars,
        }
    }
}

/// Compiles one procedure file, adding its own diagnostics (and its rules' and file name's) to
/// `slot`, and keeps what the cross-file checks need.
fn compile_procedure_file(
    doc: &super::ast::ProcedureDoc,
    source: &SourceFile,
    slot: &mut Vec<Diagnostic>,
) -> Compiled {
    let result = compile_procedure(doc, source);
    slot.extend(result.diagnostics);
    if let Some(policy) = &result.policy {
        slot.extend(rule_diagnostics(policy, source));
    }
    let calendar_ref = doc.items.iter().find_map(|i| match &i.node {
        super::ast::ProcedureItem::Calendar(name) => Some(name.value.clone()),
        _ => None,
    });
    let version = doc.items.iter().find_map(|i| match &i.node {
        super::ast::ProcedureItem::Version {
            number,
            effective_from,
        } => Some((
            doc.code.value.clone(),
            u32::try_from(number.value).ok()?,
            effective_from.value?,
        )),
        _ => None,
    });
    if let Some((code, number, _)) = &version {
        check_file_name(&source.name, code, *number, result.spans.version, slot);
    }
    Compiled {
        policy: result.policy,
        calendar_span: result.spans.calendar,
        version_span: result.spans.version,
        calendar_ref,
        version,
    }
}

/// Inside a `<code>/` folder, a version file must be named `v<N>.pauta`.
fn check_file_name(name: &str, code: &str, version: u32, span: Span, out: &mut Vec<Diagnostic>) {
    let path = Path::new(name);
    let in_code_folder = path
        .parent()
        .and_then(|p| p.file_name())
        .is_some_and(|d| match_key(&d.to_string_lossy()) == match_key(code));
    if !in_code_folder {
        return;
    }
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    if stem != format!("v{version}") {
        out.push(
            Diagnostic::new(
                Code::FileName,
                span,
                format!("el archivo se llama `{stem}.pauta` pero declara la versión {version}"),
            )
            .with_help(format!("renómbrelo `v{version}.pauta`")),
        );
    }
}

/// The usable policies and calendars of a source set.
#[derive(Debug, Clone)]
pub struct PolicySet {
    /// Procedure versions, sorted by code and effective date.
    pub policies: Vec<Policy>,
    /// Every calendar of the set; procedures name theirs with `calendario "…"`.
    pub calendars: Vec<Calendar>,
}

impl PolicySet {
    /// The embedded policies (always valid: the test suite checks them).
    pub fn embedded() -> Result<Self, LoadError> {
        Self::from_sources(&embedded_sources(), &[])
    }

    /// The pinned copy of the policies the unit tests were written against
    /// (`tests/fixtures/policies-v11/`: M1-3-06 v11 and the Colombian calendar), so that a
    /// version or holiday published under `policies/` changes no test that is not about it.
    #[cfg(test)]
    pub(crate) fn pinned() -> Self {
        let sources = [
            SourceFile::new(
                "M1-3-06/v11.pauta",
                include_str!("../../tests/fixtures/policies-v11/M1-3-06/v11.pauta"),
            ),
            SourceFile::new(
                "calendarios/colombia.pauta",
                include_str!("../../tests/fixtures/policies-v11/calendarios/colombia.pauta"),
            ),
        ];
        Self::from_sources(&sources, &[]).unwrap_or_else(|e| panic!("the pinned policies: {e}"))
    }

    /// Load a folder or files given with `--policies`; calendars fall back to the embedded ones.
    pub fn from_paths(paths: &[PathBuf]) -> Result<Self, LoadError> {
        let fallback = Self::embedded().map(|s| s.calendars).unwrap_or_default();
        Self::from_sources(&read_paths(paths)?, &fallback)
    }

    /// Check and keep a set; any error makes it unusable.
    pub fn from_sources(sources: &[SourceFile], fallback_calendars: &[Calendar]) -> Result<Self, LoadError> {
        let report = check_sources(sources, fallback_calendars);
        let count = report.count(Severity::Error);
        if count > 0 {
            return Err(LoadError::Invalid {
                count,
                report: Box::new(report),
            });
        }
        Ok(PolicySet {
            policies: report.policies,
            calendars: report.calendars,
        })
    }

    /// The version of `code` in force on `date` (latest `vigente desde` ≤ date).
    pub fn in_force(&self, code: &str, date: chrono::NaiveDate) -> Option<&Policy> {
        let key = match_key(code);
        self.policies
            .iter()
            .filter(|p| match_key(&p.code) == key && p.effective_from <= date)
            .max_by_key(|p| p.effective_from)
    }

    /// A policy by `CODE@VERSION`, or `CODE` for its latest version.
    pub fn find(&self, id: &str) -> Option<&Policy> {
        let (code, version) = match id.split_once('@') {
            Some((code, version)) => (
                code,
                Some(
                    version
                        .trim()
                        .trim_start_matches(['v', 'V'])
                        .parse::<u32>()
                        .ok()?,
                ),
            ),
            None => (id, None),
        };
        let key = match_key(code);
        let matching = self.policies.iter().filter(|p| match_key(&p.code) == key);
        match version {
            Some(v) => matching.into_iter().find(|p| p.version == v),
            None => matching.max_by_key(|p| p.version),
        }
    }

    /// Now, in the local time of the latest policy's calendar (Bogotá, UTC−5, when the set has
    /// none): the default as-of instant of an evaluation.
    pub fn local_now(&self) -> crate::calendar::LocalSeconds {
        chrono::Utc::now().timestamp() + i64::from(self.utc_offset_seconds())
    }

    /// The UTC offset of the calendar of the latest policy loaded (Bogotá's, −5 h, when none).
    pub fn utc_offset_seconds(&self) -> i32 {
        self.policies
            .iter()
            .max_by_key(|policy| policy.effective_from)
            .and_then(|policy| self.calendar(&policy.calendar))
            .map_or(-18_000, |calendar| calendar.utc_offset_seconds)
    }

    /// A calendar by name.
    pub fn calendar(&self, name: &str) -> Option<&Calendar> {
        self.calendars
            .iter()
            .find(|c| match_key(&c.name) == match_key(name))
    }
}
