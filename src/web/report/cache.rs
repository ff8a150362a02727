//! Building what the report page shows — the months of an export and one month's report — with
//! the library's own calls (`report::months::list_months`, `report::build_report`), off the
//! request threads, and keeping the last few for the same export, policies and choices: a
//! report of a million cases takes seconds, and its page, its frame and each download ask for
//! it again. Errors are kept too (a month with nothing to report is as slow to find out).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::calendar::LocalSeconds;
use crate::cases::output::RejectedFile;
use crate::report::months::{MonthRow, list_months};
use crate::report::{ExportNames, Month, Report, ReportError, ReportRequest, build_report, defaults};
use crate::web::PageError;
use crate::web::state::{Export, Workbench};

use super::inputs::{self, Loaded};
use super::params::{Choices, bad_date};

/// What was built, or why it could not be.
pub type Outcome<T> = Result<Arc<T>, PageError>;

/// The last few items built, by key, oldest dropped first. Each is built once: a request for
/// an item being built waits for it (on a blocking thread) instead of building it again.
struct Keyed<K, V> {
    items: Mutex<Vec<(K, Cell<V>)>>,
    capacity: usize,
}

/// One item, built or being built.
type Cell<V> = Arc<OnceLock<Outcome<V>>>;

impl<K: PartialEq, V> Keyed<K, V> {
    fn new(capacity: usize) -> Self {
        Self {
            items: Mutex::new(Vec::new()),
            capacity,
        }
    }

    /// The item under `key`, built by `build` unless it is kept or being built.
    fn get_or_build(&self, key: K, build: impl FnOnce() -> Outcome<V>) -> Outcome<V> {
        let cell = {
            let mut items = self.items.lock().unwrap_or_else(PoisonError::into_inner);
            match items.iter().position(|(kept, _)| *kept == key) {
                Some(found) => {
                    // The newest used goes last, so it is dropped last.
                    let item = items.remove(found);
                    let cell = item.1.clone();
                    items.push(item);
                    cell
                }
                None => {
                    let cell: Cell<V> = Arc::new(OnceLock::new());
                    items.push((key, cell.clone()));
                    let excess = items.len().saturating_sub(self.capacity);
                    items.drain(..excess);
                    cell
                }
            }
        };
        cell.get_or_init(build).clone()
    }
}

/// The months and reports built in this run (the workbench holds one).
pub struct ReportCache {
    months: Keyed<(u64, String), Listed>,
    reports: Keyed<ReportKey, Built>,
}

impl Default for ReportCache {
    fn default() -> Self {
        Self {
            months: Keyed::new(10),
            reports: Keyed::new(8),
        }
    }
}

/// What makes two reports the same.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ReportKey {
    export: u64,
    fingerprint: String,
    month: Month,
    seed: Option<String>,
    size: Option<u64>,
    generated_at: LocalSeconds,
}

/// The months of an export, as `pauta report --meses` lists them.
#[derive(Debug)]
pub struct Listed {
    /// Month by month, oldest first.
    pub rows: Vec<MonthRow>,
    /// The rows read, in words (as `pauta report --meses` says them on stderr).
    pub cases_in_words: String,
    /// The procedure codes of the policies loaded, for the default seed's example.
    pub procedures: Vec<String>,
    /// The month `pauta report` reports on without `--month` (the one before today).
    pub default_month: Option<Month>,
}

/// One month's report, and what goes beside it.
#[derive(Debug)]
pub struct Built {
    /// The report.
    pub report: Report,
    /// The warnings `pauta report` prints (without their `aviso:` prefix).
    pub warnings: Vec<String>,
    /// The rejected rows' CSV (`RejectedFile`), when some row was rejected.
    pub rejected: Option<PathBuf>,
    /// How many rows were rejected.
    pub rejected_rows: u64,
}

impl Drop for Built {
    /// The rejected rows' file goes with the report that wrote it.
    fn drop(&mut self) {
        if let Some(path) = &self.rejected {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The months of `export` (kept per export and policies).
pub async fn months(workbench: Arc<Workbench>, export: Arc<Export>) -> Outcome<Listed> {
    inputs::blocking(move || {
        let loaded = inputs::load(&workbench)?;
        let key = (export.id, loaded.fingerprint.clone());
        workbench.reports.months.get_or_build(key, || {
            list(&loaded, &export)
                .map(Arc::new)
                .map_err(|error| named(error, &export))
        })
    })
    .await
}

/// `list_months` as `pauta report --meses` calls it: each month judged at its own last second.
fn list(loaded: &Loaded, export: &Export) -> Result<Listed, PageError> {
    let now = loaded.set.local_now();
    let options = inputs::run_options(export, now);
    let (rows, summary) = list_months(&loaded.set, &loaded.mapping, &options, false, |_| Ok(()))
        .map_err(|error| refused(&error))?;
    let mut procedures: Vec<String> = loaded.set.policies.iter().map(|p| p.code.clone()).collect();
    procedures.dedup();
    Ok(Listed {
        rows,
        cases_in_words: summary.rows.cases_in_words(),
        procedures,
        default_month: defaults::default_month(now),
    })
}

/// The report of `month` of `export` with `choices` (kept per export, policies and choices).
/// `choices.generated` must be filled in.
pub async fn report(
    workbench: Arc<Workbench>,
    export: Arc<Export>,
    month: Month,
    choices: Choices,
) -> Outcome<Built> {
    inputs::blocking(move || {
        let loaded = inputs::load(&workbench)?;
        let typed = choices.generated.clone().unwrap_or_default();
        let generated_at =
            defaults::parse_instant(&loaded.mapping, &typed).ok_or_else(|| bad_date(&typed))?;
        let key = ReportKey {
            export: export.id,
            fingerprint: loaded.fingerprint.clone(),
            month,
            seed: choices.seed.clone(),
            size: choices.size,
            generated_at,
        };
        let built = || {
            build(&workbench, &loaded, &export, &key)
                .map(Arc::new)
                .map_err(|error| named(error, &export))
        };
        workbench.reports.reports.get_or_build(key.clone(), built)
    })
    .await
}

/// `build_report` as `pauta report --month M --seed S --size N --generated-at G` calls it, the
/// export's files named as the user uploaded them; rejected rows to a CSV of the upload.
fn build(
    workbench: &Workbench,
    loaded: &Loaded,
    export: &Export,
    key: &ReportKey,
) -> Result<Built, PageError> {
    let request = ReportRequest {
        options: inputs::run_options(export, defaults::as_of_for(key.month, None)),
        month: key.month,
        seed: key.seed.clone(),
        size: key.size,
        generated_at: key.generated_at,
        mapping_file: loaded.mapping_file.clone(),
        policies_dir: loaded.policies_dir.clone(),
        names: ExportNames {
            cases: Some(export.cases.shown_name.clone()),
            history: export.history.as_ref().map(|history| history.shown_name.clone()),
        },
    };
    let folder = export.cases.path.parent().map_or_else(
        || workbench.uploads_path().to_path_buf(),
        std::path::Path::to_path_buf,
    );
    let mut rejected =
        RejectedFile::new(folder.join(format!("rechazadas-informe-{}.csv", workbench.fresh_id())));
    let built = build_report(
        &loaded.set,
        &loaded.mapping,
        &request,
        |rejection| rejected.write(rejection),
        &mut |_| {},
    );
    let path = rejected.path().to_path_buf();
    let written = rejected.finish();
    let (report, summary) = match built {
        Ok(built) => built,
        Err(error) => {
            let _ = std::fs::remove_file(&path);
            return Err(refused(&error));
        }
    };
    let rejected = written.map_err(|error| {
        PageError::new(
            axum::http::StatusCode::INSUFFICIENT_STORAGE,
            "W013",
            format!(
                "no se pudo guardar el archivo de filas rechazadas: {}; revise el espacio libre de la carpeta temporal",
                crate::text::io_reason(&error)
            ),
        )
    })?;
    Ok(Built {
        warnings: defaults::warnings(&report, &summary, key.size.is_some())
            .into_iter()
            .map(|warning| export.shown(warning))
            .collect(),
        rejected_rows: summary.rows.rejected(),
        rejected,
        report,
    })
}

/// A report error as the page shows it: the command line's code and words, and where the
/// command line names a flag, the field of this page that sets it.
fn refused(error: &ReportError) -> PageError {
    let mut refused = PageError::from_library(error, error.code());
    let hint = match error {
        ReportError::SizeTooLarge { .. } => {
            " (en esta página, --size es el campo «Tamaño de la muestra»; déjelo vacío para usar el del bloque `muestreo`)"
        }
        ReportError::EmptyPopulation { .. } => {
            " (la lista de meses de esta exportación muestra los casos de cada mes: elija uno con casos)"
        }
        _ => "",
    };
    refused.message.push_str(hint);
    refused
}

/// `error` with the private paths of the export's files replaced by the names they were
/// uploaded with (a run error names the file it could not read).
fn named(mut error: PageError, export: &Export) -> PageError {
    let files = std::iter::once(&export.cases).chain(export.history.as_ref());
    for file in files {
        let private = file.path.display().to_string();
        error.message = error.message.replace(&private, &file.shown_name);
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_builds_once_and_drops_the_least_recently_used() {
        let kept: Keyed<u32, u32> = Keyed::new(2);
        let built = std::cell::Cell::new(0);
        let build = |value: u32| {
            built.set(built.get() + 1);
            Ok(Arc::new(value))
        };
        assert_eq!(*kept.get_or_build(1, || build(10)).unwrap_or_default(), 10);
        assert_eq!(*kept.get_or_build(2, || build(20)).unwrap_or_default(), 20);
        assert_eq!(
            *kept.get_or_build(1, || build(11)).unwrap_or_default(),
            10,
            "kept, not rebuilt"
        );
        assert_eq!(built.get(), 2);
        kept.get_or_build(3, || build(30)).unwrap_or_default();
        assert_eq!(
            *kept.get_or_build(2, || build(21)).unwrap_or_default(),
            21,
            "2 was dropped"
        );
        assert_eq!(built.get(), 4);
    }

    #[test]
    fn an_error_is_kept_like_a_report() {
        let kept: Keyed<u32, u32> = Keyed::new(2);
        let refused = || Err(PageError::conflict("nada que informar"));
        assert!(kept.get_or_build(1, refused).is_err());
        assert!(kept.get_or_build(1, || Ok(Arc::new(1))).is_err());
    }
}
