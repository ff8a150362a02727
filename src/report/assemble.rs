//! Putting the report together: the policy version in force on the month's first day, the
//! evaluation run (the one `pauta evaluate` uses), the population and sample (polars), every
//! table, and the inputs' SHA-256 (computed on a second thread while the export is evaluated).

use std::collections::BTreeSet;
use std::path::PathBuf;

use polars::prelude::*;

use super::error::ReportError;
use super::inputs::{self, PolicyFile};
use super::model::{InputDigest, Report};
use super::month::Month;
use super::population::{Collector, concerns, overdue, population};
use super::sample::{SampleSize, rank, sample_size};
use super::stats::{Proportion, wilson, z_for_confidence};
use super::tables;
use crate::calendar::LocalSeconds;
use crate::cases::{Mapping, Rejection, RunError, RunOptions, Summary, run};
use crate::policy::{Policy, PolicySet};
use crate::text::match_key;

/// Confidence of the Wilson intervals when the policy has no `muestreo` block and `--size` is
/// given.
pub const DEFAULT_CONFIDENCE: f64 = 0.95;

/// Cases between two progress calls.
const PROGRESS_STEP: u64 = 4096;

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The run: export files, as-of instant (the month's last second unless chosen), procedure,
    /// pinned version.
    pub options: RunOptions,
    /// The month reported on; its first day picks the version in force.
    pub month: Month,
    /// Seed; `None` derives `<procedure>:<AAAA-MM>`.
    pub seed: Option<String>,
    /// Sample size that overrides the policy's `muestreo` block.
    pub size: Option<u64>,
    /// Generation instant shown (local time).
    pub generated_at: LocalSeconds,
    /// Mapping file, when one was given (its SHA-256 is reported).
    pub mapping_file: Option<PathBuf>,
    /// Policies folder, when one was given (otherwise the embedded files are reported).
    pub policies_dir: Option<PathBuf>,
    /// How the report names the export's files; by default, by their paths as given.
    pub names: ExportNames,
}

/// The names the report gives the export's files instead of their paths (the workbench keeps
/// uploads under private names and shows the names the user gave them). `None`: the path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportNames {
    /// The cases file's name.
    pub cases: Option<String>,
    /// The history file's name.
    pub history: Option<String>,
}

impl ExportNames {
    /// The name of the cases file of `options`.
    fn cases(&self, options: &RunOptions) -> String {
        self.cases
            .clone()
            .unwrap_or_else(|| options.cases.display().to_string())
    }
}

/// The procedure the run evaluates: the one asked for, or the only one loaded.
fn procedure_code(set: &PolicySet, asked: Option<&str>) -> Result<String, ReportError> {
    if let Some(code) = asked {
        return Ok(code.to_owned());
    }
    let codes: BTreeSet<&str> = set.policies.iter().map(|p| p.code.as_str()).collect();
    match codes.len() {
        1 => Ok(codes.into_iter().next().unwrap_or_default().to_owned()),
        0 => Err(ReportError::Run(RunError::Policy(
            "no hay ninguna política de procedimiento cargada".to_owned(),
        ))),
        _ => Err(ReportError::Run(RunError::Policy(format!(
            "hay políticas de varios procedimientos ({}); indique cuál con `--procedure`",
            codes.into_iter().collect::<Vec<_>>().join(", ")
        )))),
    }
}

/// The version whose `muestreo` block sets the sample: the pinned one, or the one in force on
/// the month's first day.
fn sampling_policy<'a>(
    set: &'a PolicySet,
    code: &str,
    month: Month,
    pinned: Option<u32>,
) -> Result<&'a Policy, ReportError> {
    let key = match_key(code);
    let versions: Vec<&Policy> = set
        .policies
        .iter()
        .filter(|p| match_key(&p.code) == key)
        .collect();
    let listed = || {
        if versions.is_empty() {
            format!("no hay versiones cargadas de «{code}»")
        } else {
            let list: Vec<String> = versions
                .iter()
                .map(|p| format!("versión {} vigente desde {}", p.version, p.effective_from))
                .collect();
            format!("las versiones cargadas son: {}", list.join("; "))
        }
    };
    let found = match pinned {
        Some(version) => versions.iter().copied().find(|p| p.version == version),
        None => set.in_force(code, month.first_day()),
    };
    found.ok_or_else(|| ReportError::NoVersionInForce {
        procedure: code.to_owned(),
        month: month.key(),
        first_day: month.first_day(),
        versions: listed(),
    })
}

/// The sample size: `--size` (checked against N) or the policy's `muestreo` block.
fn size_for(
    population: u64,
    asked: Option<u64>,
    policy: &Policy,
    month: Month,
) -> Result<SampleSize, ReportError> {
    let unusable = |what: &str| {
        ReportError::Sampling(format!(
            "el bloque `muestreo` de {} {what}; corríjalo (confianza, error y proporción entre 0 y 1, sin incluirlos) o indique el tamaño con --size",
            policy.id()
        ))
    };
    match asked {
        Some(size) => {
            if size > population {
                return Err(ReportError::SizeTooLarge {
                    size,
                    population,
                    month: month.key(),
                });
            }
            let confidence = policy.sampling.map_or(DEFAULT_CONFIDENCE, |s| s.confidence);
            let z = z_for_confidence(confidence).ok_or_else(|| unusable("tiene una confianza inválida"))?;
            let mut computed = policy.sampling.as_ref().and_then(|s| sample_size(population, s));
            if let Some(computed) = computed.as_mut() {
                computed.size = size;
                computed.overridden = true;
            }
            Ok(computed.unwrap_or(SampleSize {
                population,
                confidence,
                z,
                margin: None,
                proportion: None,
                n0: None,
                size,
                overridden: true,
            }))
        }
        None => {
            let sampling = policy.sampling.as_ref().ok_or_else(|| {
                ReportError::Sampling(format!(
                    "{} no tiene bloque `muestreo` (confianza, error, proporción); agréguelo a la política o indique el tamaño de la muestra con --size",
                    policy.id()
                ))
            })?;
            sample_size(population, sampling).ok_or_else(|| unusable("no sirve para calcular el tamaño"))
        }
    }
}

/// The "size" of a month without solved cases: N = n = 0, the policy's confidence (for the
/// labels), nothing computed.
fn empty_size(policy: &Policy) -> SampleSize {
    let confidence = policy.sampling.map_or(DEFAULT_CONFIDENCE, |s| s.confidence);
    SampleSize {
        population: 0,
        confidence,
        z: z_for_confidence(confidence)
            .or_else(|| z_for_confidence(DEFAULT_CONFIDENCE))
            .unwrap_or(1.96),
        margin: None,
        proportion: None,
        n0: None,
        size: 0,
        overridden: false,
    }
}

/// Evaluates the export and builds the month's report. Rejected rows go to `on_reject`;
/// `progress` receives the number of cases evaluated so far, now and then.
pub fn build_report<R>(
    set: &PolicySet,
    mapping: &Mapping,
    request: &ReportRequest,
    on_reject: R,
    progress: &mut dyn FnMut(u64),
) -> Result<(Report, Summary), ReportError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let month = request.month;
    let options = &request.options;
    let code = procedure_code(set, options.procedure.as_deref())?;
    let policy = sampling_policy(set, &code, month, options.pinned_version)?;
    let seed_given = request.seed.is_some();
    let seed = request
        .seed
        .clone()
        .unwrap_or_else(|| month.default_seed(&policy.code));
    let utc_offset_seconds = set
        .calendar(&policy.calendar)
        .map_or(-18_000, |calendar| calendar.utc_offset_seconds);

    let Evaluated {
        summary,
        collector,
        mut inputs,
        policy_files,
    } = evaluate_export(set, mapping, request, on_reject, progress)?;

    let day_length = collector.day_length();
    let (frame, names) = collector.into_frame()?;
    let (population, overdue) = month_cases(frame, month, &request.names.cases(options))?;
    let big_n = population.height() as u64;
    // No case solved but some overdue: the report lists them, with no sample and no rate.
    let size = if big_n == 0 {
        empty_size(policy)
    } else {
        size_for(big_n, request.size, policy, month)?
    };
    let ranked = rank(population, &seed, size.size)?;

    let (population_compliance, sample_compliance) = compliance(&ranked, big_n, size.z)?;

    let versions = judging_versions(&ranked, &overdue)?;
    // The files of the versions that judged the cases, and of the one whose `muestreo` was used.
    let mut file_versions = versions.clone();
    file_versions.insert(policy.version);
    inputs.extend(policy_inputs(set, &code, &file_versions, &policy_files));

    let report = Report {
        month,
        procedure: policy.code.clone(),
        procedure_name: policy.name.clone(),
        sampling_version: policy.version,
        policy_versions: versions.into_iter().collect(),
        generated_at: request.generated_at,
        as_of: options.as_of,
        utc_offset_seconds,
        seed,
        seed_given,
        inputs,
        rows: summary.rows,
        sample: tables::cases_of(&tables::sample(&ranked)?, &names, day_length)?,
        sample_compliance,
        population_compliance,
        by_category: tables::by_category(&ranked, &names)?,
        breached: tables::cases_of(&tables::breached(&ranked)?, &names, day_length)?,
        overdue: tables::cases_of(&overdue, &names, day_length)?,
        findings: tables::findings(&ranked, &overdue)?,
        weeks: tables::by_week(&ranked, month)?,
        usage: tables::usage(&ranked)?,
        size,
    };
    Ok((report, summary))
}

/// What evaluating the export gives the report: the run's summary, the collected cases and the
/// digests of the input files.
struct Evaluated {
    summary: Summary,
    collector: Collector,
    inputs: Vec<InputDigest>,
    policy_files: Vec<PolicyFile>,
}

/// Evaluates the export into a [`Collector`] while another thread hashes the input files.
fn evaluate_export<R>(
    set: &PolicySet,
    mapping: &Mapping,
    request: &ReportRequest,
    on_reject: R,
    progress: &mut dyn FnMut(u64),
) -> Result<Evaluated, ReportError>
where
    R: FnMut(&Rejection) -> std::io::Result<()>,
{
    let options = &request.options;
    let (evaluated, digests) = std::thread::scope(|scope| {
        let digests = scope.spawn(|| digest_inputs(set, request));
        let mut collector = Collector::default();
        let mut seen = 0u64;
        let summary = run(
            set,
            mapping,
            options,
            |case, evaluation, context, _| {
                if concerns(evaluation, request.month) {
                    collector.push(case, evaluation, context, options.as_of);
                } else {
                    collector.skip(context);
                }
                seen += 1;
                if seen.is_multiple_of(PROGRESS_STEP) {
                    progress(seen);
                }
                Ok(())
            },
            on_reject,
        );
        let digests = digests.join().unwrap_or_else(|_| {
            Err(ReportError::Tables(
                "el cálculo de los SHA-256 se interrumpió".to_owned(),
            ))
        });
        (summary.map(|summary| (summary, collector)), digests)
    });
    let (summary, collector) = evaluated?;
    let (inputs, policy_files) = digests?;
    progress(summary.rows.cases_evaluated);

    Ok(Evaluated {
        summary,
        collector,
        inputs,
        policy_files,
    })
}

/// The month's population (cases solved in it) and the cases overdue at its close; an error
/// when there are neither.
fn month_cases(
    frame: DataFrame,
    month: Month,
    cases_name: &str,
) -> Result<(DataFrame, DataFrame), ReportError> {
    let population = population(frame.clone().lazy(), month).collect()?;
    let overdue = tables::overdue_sorted(overdue(frame.lazy()))?;
    if population.height() == 0 && overdue.height() == 0 {
        return Err(ReportError::EmptyPopulation {
            month: month.key(),
            path: cases_name.to_owned(),
        });
    }
    Ok((population, overdue))
}

/// The Wilson intervals of the population and of the sample, in that order; none when no case
/// was solved in the month.
fn compliance(
    ranked: &DataFrame,
    big_n: u64,
    z: f64,
) -> Result<(Option<Proportion>, Option<Proportion>), ReportError> {
    let (met, breached) = tables::met_breached(ranked.clone().lazy())?;
    let (sample_met, sample_breached) = tables::met_breached(ranked.clone().lazy().filter(col("in_sample")))?;
    let no_rate = || ReportError::Tables("tasa sobre cero casos".to_owned());
    Ok(if big_n == 0 {
        (None, None)
    } else {
        (
            Some(wilson(met, breached, z).ok_or_else(no_rate)?),
            Some(wilson(sample_met, sample_breached, z).ok_or_else(no_rate)?),
        )
    })
}

/// The policy versions that judged the ranked (population) and the overdue cases.
fn judging_versions(ranked: &DataFrame, overdue: &DataFrame) -> Result<BTreeSet<u32>, ReportError> {
    Ok(versions_of(ranked)?
        .into_iter()
        .chain(versions_of(overdue)?)
        .collect::<BTreeSet<u32>>())
}

/// Distinct policy versions of a frame.
fn versions_of(frame: &DataFrame) -> PolarsResult<BTreeSet<u32>> {
    Ok(frame.column("policy_version")?.u32()?.iter().flatten().collect())
}

/// What Entradas says in place of a history file that was not given.
pub const NO_HISTORY: &str =
    "no indicado (--sin-historial): no se descuentan pausas ni se revisan transiciones";

/// SHA-256 of the export files and the mapping, and the policy files in use.
fn digest_inputs(
    set: &PolicySet,
    request: &ReportRequest,
) -> Result<(Vec<InputDigest>, Vec<PolicyFile>), ReportError> {
    let names = &request.names;
    let mut digests = vec![inputs::named(
        "casos",
        &request.options.cases,
        names.cases.as_deref(),
    )?];
    match &request.options.history {
        Some(history) => digests.push(inputs::named("historial", history, names.history.as_deref())?),
        // Said in Entradas (and in Método), never just a missing row.
        None => digests.push(InputDigest {
            role: "historial".to_owned(),
            name: NO_HISTORY.to_owned(),
            sha256: String::new(),
            embedded: false,
        }),
    }
    if let Some(mapping) = &request.mapping_file {
        digests.push(inputs::input("asignación", mapping)?);
    }
    let files = inputs::policy_files(request.policies_dir.as_deref(), &set.calendars)?;
    Ok((digests, files))
}

/// The policy files of the versions that judged the report's cases, and their calendars' files.
fn policy_inputs(
    set: &PolicySet,
    code: &str,
    versions: &BTreeSet<u32>,
    files: &[PolicyFile],
) -> Vec<InputDigest> {
    let key = match_key(code);
    let mut digests = Vec::new();
    let mut calendars = BTreeSet::new();
    for version in versions {
        if let Some(policy) = set
            .policies
            .iter()
            .find(|p| match_key(&p.code) == key && p.version == *version)
        {
            calendars.insert(match_key(&policy.calendar));
        }
        for file in files {
            if file
                .versions
                .iter()
                .any(|(c, v)| match_key(c) == key && v == version)
            {
                digests.push(InputDigest {
                    role: format!("política (versión {version})"),
                    name: file.name.clone(),
                    sha256: file.sha256.clone(),
                    embedded: file.embedded,
                });
            }
        }
    }
    for file in files {
        if file
            .calendars
            .iter()
            .any(|name| calendars.contains(&match_key(name)))
        {
            digests.push(InputDigest {
                role: "calendario".to_owned(),
                name: file.name.clone(),
                sha256: file.sha256.clone(),
                embedded: file.embedded,
            });
        }
    }
    digests
}
