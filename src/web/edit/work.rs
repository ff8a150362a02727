//! What the editor does with a policy text, the same for the script's JSON calls and the
//! page's own form: check it among the workspace's other files, format it, compare it with the
//! file on disk (and evaluate an uploaded export under both), save it, start the next version.
//! Each is a call to the library function the command line uses; these run in a blocking task.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use axum::http::StatusCode;
use chrono::NaiveDate;

use super::paths::Target;
use crate::codes::Coded;
use crate::diff::{Diff, Loader, Version, compare, impact};
use crate::policy::format::{format_source, same_meaning};
use crate::policy::workspace::{PolicySource, procedure_code};
use crate::policy::{Located, PolicySet, Severity, SourceFile, check_sources, versioning};
use crate::web::PageError;
use crate::web::state::Export;

/// One save at a time: the check of the file's hash and the write are not interleaved.
static SAVING: Mutex<()> = Mutex::new(());

/// A refusal that carries the diagnostics behind it (a text with errors).
#[derive(Debug, Clone)]
pub struct Refusal {
    /// Status, code and Spanish message.
    pub error: PageError,
    /// The diagnostics of the edited text, when they are the reason.
    pub diagnostics: Vec<Located>,
}

impl From<PageError> for Refusal {
    fn from(error: PageError) -> Self {
        Self {
            error,
            diagnostics: Vec::new(),
        }
    }
}

/// The workspace's sources, as `pauta check` reads them, less any file a link leads to outside
/// the policies folder (its text is never shown nor sent back).
pub fn sources(source: &PolicySource) -> Result<Vec<SourceFile>, PageError> {
    let mut sources = source
        .sources()
        .map_err(|error| PageError::from_library(&error, error.code()))?;
    if source.path().is_some() {
        sources.retain(|file| super::paths::relative_of(source, &file.name).is_some());
    }
    Ok(sources)
}

/// The names of `sources`.
pub fn names(sources: &[SourceFile]) -> Vec<String> {
    sources.iter().map(|s| s.name.clone()).collect()
}

/// The text of a file as saved and its SHA-256 (hex); an embedded file has no hash: it cannot
/// be saved.
pub fn saved(target: &Target, sources: &[SourceFile]) -> Result<(String, Option<String>), PageError> {
    match target {
        Target::Disk { path, relative, .. } => {
            let bytes = std::fs::read(path).map_err(|error| {
                PageError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "P090",
                    format!(
                        "no se pudo leer «{relative}»: {}; revise los permisos del archivo",
                        crate::text::io_reason(&error)
                    ),
                )
            })?;
            let digest = crate::report::inputs::digest_bytes(&bytes);
            let text = String::from_utf8(bytes).map_err(|_| {
                PageError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "P090",
                    format!("«{relative}» no está guardado en UTF-8; ábralo en el Bloc de notas y guárdelo con Codificación: UTF-8"),
                )
            })?;
            Ok((text, Some(digest)))
        }
        Target::Embedded { name, .. } => {
            let text = sources
                .iter()
                .find(|s| s.name == *name)
                .map(|s| s.text.clone())
                .unwrap_or_default();
            Ok((text, None))
        }
    }
}

/// The diagnostics of a text checked among the workspace's files.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// The edited file's diagnostics, in order of position.
    pub file: Vec<Located>,
    /// The other files' diagnostics (cross-file checks may put them there).
    pub others: Vec<Located>,
}

impl Review {
    /// The edited file's diagnostics of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.file.iter().filter(|d| d.severity == severity).count()
    }

    /// The other files' errors.
    pub fn other_errors(&self) -> usize {
        self.others
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// As JSON, each diagnostic as `pauta check --format json` writes it.
    pub fn json(&self, archivo: &str) -> serde_json::Value {
        serde_json::json!({
            "archivo": archivo,
            "diagnosticos": self.file,
            "otros": self.others,
            "errores": self.count(Severity::Error),
            "avisos": self.count(Severity::Warning),
        })
    }
}

/// `sources` with the text of `name` replaced by `text`.
fn with_text(sources: &[SourceFile], name: &str, text: &str) -> Vec<SourceFile> {
    sources
        .iter()
        .map(|s| {
            if s.name == name {
                SourceFile::new(name, text)
            } else {
                s.clone()
            }
        })
        .collect()
}

/// The calendars `pauta check` falls back on (the embedded ones).
fn embedded_calendars() -> Vec<crate::calendar::Calendar> {
    PolicySet::embedded().map(|s| s.calendars).unwrap_or_default()
}

/// `pauta check` of the workspace with `text` in place of the file `name`.
pub fn review(sources: &[SourceFile], name: &str, text: &str) -> Review {
    let report = check_sources(&with_text(sources, name, text), &embedded_calendars());
    let mut review = Review::default();
    for file in report.files {
        if file.file == name {
            review.file = file.diagnostics;
        } else {
            review.others.extend(file.diagnostics);
        }
    }
    review
}

/// The refusal of a text with errors: 422, the first error's code, and every diagnostic.
fn with_errors(review: Review, what: &str) -> Refusal {
    let first = review
        .file
        .iter()
        .chain(&review.others)
        .find(|d| d.severity == Severity::Error)
        .map_or("P001", |d| d.code);
    let count = review.count(Severity::Error) + review.other_errors();
    Refusal {
        error: PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            first,
            format!(
                "{what}: el texto tiene {count} error(es); corríjalos (vea la lista de problemas) y vuelva a intentarlo"
            ),
        ),
        diagnostics: review.file,
    }
}

/// An embedded file: shown, never changed.
fn read_only() -> Refusal {
    PageError::conflict(
        "las políticas incluidas en pauta se muestran pero no se editan; para editar, trabaje con \
         una carpeta policies/ (vea «Editar una política»)",
    )
    .into()
}

/// `pauta fmt` of the text: its canonical layout, refused when it does not parse or would not
/// mean the same.
pub fn format(sources: &[SourceFile], target: &Target, text: &str) -> Result<String, Refusal> {
    if matches!(target, Target::Embedded { .. }) {
        return Err(read_only());
    }
    let edited = with_text(sources, target.name(), text);
    let source = SourceFile::new(target.name(), text);
    let mut calendars = check_sources(&edited, &[]).calendars;
    calendars.extend(embedded_calendars());
    let formatted = format_source(&source)
        .and_then(|formatted| same_meaning(&source, &formatted, &calendars).map(|()| formatted));
    formatted.map_err(|diagnostic| {
        let located = diagnostic.locate(&source);
        Refusal {
            error: PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                located.code,
                format!(
                    "no se pudo dar formato: {} (línea {}, columna {}); corríjalo y vuelva a intentarlo",
                    located.message, located.line, located.column
                ),
            ),
            diagnostics: vec![located],
        }
    })
}

/// The export to evaluate under both versions, and the as-of instant asked for.
pub struct ImpactInput {
    /// The uploaded export.
    pub export: std::sync::Arc<Export>,
    /// `AAAA-MM-DD HH:MM:SS` (Bogotá), or empty for now.
    pub as_of: String,
    /// The workspace's mapping file, if any.
    pub mapping: Option<PathBuf>,
}

/// `pauta diff` of the file on disk (the version in force) and the edited text, with the
/// impact on an export when one is given (`pauta diff … --cases`).
pub fn compare_text(
    source: &PolicySource,
    target: &Target,
    text: &str,
    impact_input: Option<ImpactInput>,
) -> Result<Diff, Refusal> {
    let Target::Disk { path, relative, .. } = target else {
        return Err(read_only());
    };
    let (saved_text, _) = saved(target, &[])?;
    let mut loader = Loader::new(source.path().map(Path::to_path_buf));
    let old = loader
        .load_source(
            SourceFile::new(format!("{relative}, en disco"), &saved_text),
            path,
        )
        .map_err(|error| diff_refusal(&error, "la versión en disco"))?;
    let new = loader
        .load_source(SourceFile::new(format!("{relative}, editado"), text), path)
        .map_err(|error| diff_refusal(&error, "el texto editado"))?;
    let mut result = compare(&old, &new).map_err(|error| diff_refusal(&error, "la comparación"))?;
    if let Some(input) = impact_input {
        let (Version::Procedure(old), Version::Procedure(new)) = (&old, &new) else {
            let error = crate::diff::DiffError::ImpactNeedsProcedures;
            return Err(PageError::from_library(&error, error.code()).into());
        };
        let (mapping, options) = run_options(&input, &old.set)?;
        let evaluated = impact::evaluate_with_progress(old, new, &mapping, &options, &mut |_| {});
        let mut evaluated = evaluated.map_err(|error| diff_refusal(&error, "el impacto"))?;
        // The files are named as they were uploaded, never by their private path.
        evaluated.cases_file = input.export.cases.shown_name.clone();
        evaluated.history_file = input
            .export
            .history
            .as_ref()
            .map(|history| history.shown_name.clone());
        result.impact = Some(evaluated);
    }
    Ok(result)
}

/// The mapping and run options of an impact: the export's files, the as-of instant (now when
/// not given), no pinned version (each side pins its own).
fn run_options(
    input: &ImpactInput,
    set: &PolicySet,
) -> Result<(crate::cases::Mapping, crate::cases::RunOptions), PageError> {
    let mapping = match &input.mapping {
        Some(path) => crate::cases::Mapping::from_file(path),
        None => crate::cases::Mapping::embedded(),
    }
    .map_err(|error| PageError::from_library(&error, error.code()))?;
    let as_of = if input.as_of.trim().is_empty() {
        set.local_now()
    } else {
        crate::cases::dates::DateReader::new(&mapping.date_formats)
            .parse(input.as_of.trim())
            .ok_or_else(|| {
                PageError::new(
                    StatusCode::BAD_REQUEST,
                    "W017",
                    format!(
                        "la fecha de corte «{}» no es una fecha y hora; escríbala como AAAA-MM-DD HH:MM:SS (hora de Bogotá) o déjela vacía para usar la hora actual",
                        input.as_of.trim()
                    ),
                )
            })?
    };
    let options = crate::cases::RunOptions {
        cases: input.export.cases.path.clone(),
        history: input.export.history.as_ref().map(|h| h.path.clone()),
        as_of,
        procedure: None,
        trace_case: None,
        pinned_version: None,
        history_reading: Default::default(),
    };
    Ok((mapping, options))
}

/// A diff error as a refusal; a side with errors carries its diagnostics.
fn diff_refusal(error: &crate::diff::DiffError, side: &str) -> Refusal {
    let diagnostics = error
        .report()
        .map(|report| {
            report
                .files
                .iter()
                .flat_map(|f| f.diagnostics.iter().cloned())
                .collect()
        })
        .unwrap_or_default();
    Refusal {
        error: PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            error.code(),
            format!("no se pudo comparar ({side}): {error}"),
        ),
        diagnostics,
    }
}

/// Saves `text` over the file, atomically, when the file on disk still has the hash `huella`
/// the page was opened with and the text has no error (nor adds one to another file). Returns
/// the new hash.
pub fn save(sources: &[SourceFile], target: &Target, text: &str, huella: &str) -> Result<String, Refusal> {
    let Target::Disk { path, relative, .. } = target else {
        return Err(read_only());
    };
    let _one_at_a_time = SAVING.lock().unwrap_or_else(PoisonError::into_inner);
    let on_disk = std::fs::read(path).map_err(|error| {
        PageError::conflict(format!(
            "no se pudo leer «{relative}» antes de guardar: {}; vuelva a cargar la página",
            crate::text::io_reason(&error)
        ))
    })?;
    if crate::report::inputs::digest_bytes(&on_disk) != huella.trim() {
        return Err(PageError::conflict(format!(
            "«{relative}» cambió en el disco desde que lo abrió (otra persona u otro programa lo guardó); \
             no se guardó nada. Copie sus cambios, vuelva a cargar la página y aplíquelos de nuevo"
        ))
        .into());
    }
    let after = review(sources, target.name(), text);
    let before = review(sources, target.name(), &String::from_utf8_lossy(&on_disk));
    if after.count(Severity::Error) > 0 || after.other_errors() > before.other_errors() {
        return Err(with_errors(after, "no se guardó"));
    }
    let bytes = with_line_ends(text, &on_disk);
    crate::atomic::write(path, &bytes).map_err(|error| {
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "W016",
            format!(
                "no se pudo guardar «{relative}»: {}; el archivo queda como estaba",
                crate::text::io_reason(&error)
            ),
        )
    })?;
    Ok(crate::report::inputs::digest_bytes(&bytes))
}

/// `text` (whose line ends a browser may have turned into CRLF) with the line ends of the file
/// as it was on disk.
fn with_line_ends(text: &str, on_disk: &[u8]) -> Vec<u8> {
    let lf = text.replace("\r\n", "\n");
    match crate::line_ends::LineEnd::of(on_disk) {
        crate::line_ends::LineEnd::Crlf => lf.replace('\n', "\r\n").into_bytes(),
        _ => lf.into_bytes(),
    }
}

/// `pauta new-version` for the procedure of the file `target`, in force from `from`: the new
/// file's path.
pub fn new_version(
    source: &PolicySource,
    sources: &[SourceFile],
    target: &Target,
    from: NaiveDate,
) -> Result<PathBuf, PageError> {
    let (Target::Disk { .. }, Some(folder)) = (target, source.path()) else {
        return Err(read_only().error);
    };
    let code = sources
        .iter()
        .find(|s| s.name == target.name())
        .and_then(procedure_code)
        .ok_or_else(|| {
            PageError::conflict(format!(
                "«{}» no es la versión de un procedimiento que se pueda leer (¿un calendario, o un archivo con errores de sintaxis?); elija una versión del procedimiento",
                target.relative()
            ))
        })?;
    let new = versioning::prepare(folder, &code, from)
        .and_then(|new| versioning::write(&new).map(|()| new))
        .map_err(|error| PageError::from_library(&error, error.code()))?;
    Ok(new.path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::workspace::Origin;
    use crate::web::upload::Received;

    fn fixture(path: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
    }

    /// A policies folder holding a copy of the pinned policies, and the workspace over it.
    fn pinned_copy() -> (tempfile::TempDir, PolicySource) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        for file in ["M1-3-06/v11.pauta", "calendarios/colombia.pauta"] {
            let target = dir.path().join("policies").join(file);
            let _ = std::fs::create_dir_all(target.parent().unwrap_or(dir.path()));
            let copied = std::fs::copy(fixture(&format!("tests/fixtures/policies-v11/{file}")), &target);
            assert!(copied.is_ok(), "{copied:?}");
        }
        let source = PolicySource::Path {
            path: dir.path().join("policies"),
            origin: Origin::Flag,
        };
        (dir, source)
    }

    fn received(path: &str) -> Received {
        Received {
            path: fixture(path),
            // As an upload names it: the file's name, without a folder.
            shown_name: path.rsplit('/').next().unwrap_or(path).to_owned(),
            bytes: 0,
        }
    }

    #[test]
    fn line_ends_follow_the_file_on_disk() {
        assert_eq!(with_line_ends("a\r\nb\n", b"x\ny\n"), b"a\nb\n");
        assert_eq!(with_line_ends("a\nb\r\n", b"x\r\ny\r\n"), b"a\r\nb\r\n");
    }

    #[test]
    fn the_comparison_evaluates_the_chosen_export_with_its_history_and_cut() {
        let (dir, source) = pinned_copy();
        let all = sources(&source).unwrap_or_else(|e| panic!("{e:?}"));
        let located =
            super::super::paths::locate(&source, "M1-3-06/v11.pauta").unwrap_or_else(|e| panic!("{e:?}"));
        let target = super::super::paths::resolve("M1-3-06/v11.pauta", located, &names(&all))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let saved_path = dir.path().join("policies/M1-3-06/v11.pauta");
        let saved_text = std::fs::read_to_string(&saved_path).unwrap_or_default();
        let edited = saved_text.replacen("  ans 12 días hábiles", "  ans 3 días hábiles", 1);
        let export = std::sync::Arc::new(Export {
            id: 7,
            cases: received("examples/aranda-2024/casos.csv"),
            history: Some(received("examples/aranda-2024/historial.csv")),
            uploaded_at: String::new(),
        });
        let input = |as_of: &str| ImpactInput {
            export: export.clone(),
            as_of: as_of.to_owned(),
            mapping: None,
        };
        let diff = compare_text(&source, &target, &edited, Some(input("2024-12-31 23:59:59")))
            .unwrap_or_else(|e| panic!("{e:?}"));
        // The same, called directly as `pauta diff --cases --history --as-of` calls it.
        let mut loader = Loader::new(source.path().map(Path::to_path_buf));
        let old = loader.load_source(
            SourceFile::new("M1-3-06/v11.pauta, en disco", &saved_text),
            &saved_path,
        );
        let new = loader.load_source(
            SourceFile::new("M1-3-06/v11.pauta, editado", &edited),
            &saved_path,
        );
        let (Ok(Version::Procedure(old)), Ok(Version::Procedure(new))) = (old, new) else {
            panic!("two procedure versions")
        };
        let mapping = crate::cases::Mapping::embedded().unwrap_or_else(|e| panic!("{e}"));
        let options = crate::cases::RunOptions {
            cases: fixture("examples/aranda-2024/casos.csv"),
            history: Some(fixture("examples/aranda-2024/historial.csv")),
            as_of: crate::cases::dates::DateReader::new(&mapping.date_formats)
                .parse("2024-12-31 23:59:59")
                .unwrap_or_default(),
            procedure: None,
            trace_case: None,
            pinned_version: None,
            history_reading: Default::default(),
        };
        let mut expected = compare(&Version::Procedure(old.clone()), &Version::Procedure(new.clone()))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut impact = impact::evaluate(&old, &new, &mapping, &options).unwrap_or_else(|e| panic!("{e}"));
        // The page names the files as uploaded, not by their path.
        impact.cases_file = export.cases.shown_name.clone();
        impact.history_file = export.history.as_ref().map(|h| h.shown_name.clone());
        expected.impact = Some(impact);
        assert!(expected.impact.as_ref().is_some_and(|i| !i.shifts.is_empty()));
        assert_eq!(
            crate::diff::render::text(&diff),
            crate::diff::render::text(&expected)
        );
        let refused = compare_text(&source, &target, &edited, Some(input("ayer")));
        assert_eq!(refused.err().map(|r| r.error.code), Some("W017"));
    }
}
