//! Which policy versions judge the export: the procedure's versions (or the one pinned with
//! `--version`), each prepared as a [`PolicyContext`] whose clock covers the years its cases
//! can fall in.

use chrono::Datelike;

use super::context::PolicyContext;
use super::error::RunError;
use super::run::RunOptions;
use crate::calendar::clock::date_of;
use crate::policy::PolicySet;
use crate::text::match_key;

/// The policy contexts of the run, each with the date its version comes into force.
pub(super) type Contexts<'p> = Vec<(chrono::NaiveDate, PolicyContext<'p>)>;

/// The contexts of the versions to evaluate against: the procedure's, or only the pinned one.
pub(super) fn policy_contexts<'p>(
    set: &'p PolicySet,
    options: &RunOptions,
) -> Result<Contexts<'p>, RunError> {
    let mut versions = versions_of(set, options.procedure.as_deref())?;
    if let Some(pinned) = options.pinned_version {
        let available: Vec<String> = versions
            .iter()
            .filter_map(|index| set.policies.get(*index))
            .map(|policy| policy.version.to_string())
            .collect();
        versions.retain(|index| {
            set.policies
                .get(*index)
                .is_some_and(|policy| policy.version == pinned)
        });
        if versions.is_empty() {
            return Err(RunError::Policy(format!(
                "no hay versión {pinned} del procedimiento; las versiones cargadas son: {}",
                available.join(", ")
            )));
        }
    }
    let as_of_year = date_of(options.as_of).year();
    let mut contexts = Vec::with_capacity(versions.len());
    for index in &versions {
        let Some(policy) = set.policies.get(*index) else {
            continue;
        };
        let calendar = set.calendar(&policy.calendar).ok_or_else(|| {
            RunError::Policy(format!(
                "la política {} usa el calendario «{}», que no está cargado",
                policy.id(),
                policy.calendar
            ))
        })?;
        // A pinned version judges cases of any date, even before it was in force: its clock
        // must cover every year of the calendar.
        let first_year = if options.pinned_version.is_some() {
            calendar.first_year
        } else {
            versions
                .iter()
                .filter_map(|i| set.policies.get(*i))
                .map(|p| p.effective_from.year())
                .min()
                .unwrap_or(as_of_year)
                .saturating_sub(1)
                .max(calendar.first_year)
        };
        let last_year = as_of_year.saturating_add(1).max(2100);
        let last_year = calendar.last_year.map_or(last_year, |last| last.min(last_year));
        // A version in force after the calendar's (or the clock's) last year still loads: its
        // cases, if any, are rejected one by one as out of the calendar's range (I011).
        let first_year = first_year.min(last_year);
        contexts.push((
            policy.effective_from,
            PolicyContext::new(policy, calendar, first_year, last_year)?,
        ));
    }
    Ok(contexts)
}

/// Indices of the versions of the procedure to evaluate against.
fn versions_of(set: &PolicySet, procedure: Option<&str>) -> Result<Vec<usize>, RunError> {
    let mut codes: Vec<&str> = set.policies.iter().map(|p| p.code.as_str()).collect();
    codes.dedup();
    let code = match procedure {
        Some(code) => code.to_owned(),
        None => match codes.as_slice() {
            [only] => (*only).to_owned(),
            [] => {
                return Err(RunError::Policy(
                    "no hay ninguna política de procedimiento cargada".to_owned(),
                ));
            }
            several => {
                return Err(RunError::Policy(format!(
                    "hay políticas de varios procedimientos ({}); indique cuál con `--procedure`",
                    several.join(", ")
                )));
            }
        },
    };
    let key = match_key(&code);
    let versions: Vec<usize> = set
        .policies
        .iter()
        .enumerate()
        .filter(|(_, p)| match_key(&p.code) == key)
        .map(|(index, _)| index)
        .collect();
    if versions.is_empty() {
        return Err(RunError::Policy(format!(
            "no hay políticas del procedimiento «{code}»; los cargados son: {}",
            codes.join(", ")
        )));
    }
    Ok(versions)
}
