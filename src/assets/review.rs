//! A piece reviewed against a procedure version: the limits of section 4 that the version
//! declares, then the version's own `banner`, `sms` or `documento` rules, in one report. The
//! command line and any other front end call these and only print what they return.

use std::path::Path;

use super::banner::{BannerReport, BannerRequest, check_banner};
use super::document::{DocumentReport, check_document, scrub_document};
use super::rules::{banner_findings, document_findings, merge, sms_findings};
use super::sms::{SmsReport, check_sms, fix_sms};
use super::{AssetError, read_file};
use crate::policy::PolicySet;
use crate::policy::model::{BannerLimits, DocumentRules, Policy, SmsLimits, Subject};

/// The procedure whose limits the publication checks apply.
pub const PROCEDURE: &str = "M1-3-06";

/// The version of [`PROCEDURE`] in force on `date`: the one a check applies when no version is
/// named (the command line's and the workbench's default).
pub fn policy_in_force(set: &PolicySet, date: chrono::NaiveDate) -> Option<&Policy> {
    set.in_force(PROCEDURE, date)
}

/// The banner limits of `policy`, or [`AssetError::NoLimits`] when it has no `banner` block.
pub fn banner_limits(policy: &Policy) -> Result<&BannerLimits, AssetError> {
    policy.banner.as_ref().ok_or(AssetError::NoLimits {
        policy: policy.id(),
        block: "banner",
    })
}

/// The SMS limits of `policy`, or [`AssetError::NoLimits`] when it has no `sms` block.
pub fn sms_limits(policy: &Policy) -> Result<&SmsLimits, AssetError> {
    policy.sms.as_ref().ok_or(AssetError::NoLimits {
        policy: policy.id(),
        block: "sms",
    })
}

/// The document limits of `policy`, or [`AssetError::NoLimits`] when it has no `documentos`
/// block.
pub fn document_limits(policy: &Policy) -> Result<&DocumentRules, AssetError> {
    policy.documents.as_ref().ok_or(AssetError::NoLimits {
        policy: policy.id(),
        block: "documentos",
    })
}

/// The banner image at `path`, placed and worded as `request` says, checked against the
/// version's banner limits and its `banner` rules.
pub fn review_banner(
    path: &Path,
    request: &BannerRequest,
    policy: &Policy,
) -> Result<BannerReport, AssetError> {
    let mut report = check_banner(path, request, banner_limits(policy)?, &policy.id())?;
    let extra = banner_findings(policy, &report, request);
    merge(&mut report.findings, &mut report.counts, extra);
    Ok(report)
}

/// Where `--fix` writes: the corrected list, and the rows that could not be corrected.
#[derive(Debug, Clone, Copy)]
pub struct SmsFix<'a> {
    /// The corrected campaign list.
    pub fixed: &'a Path,
    /// The rows left uncorrected, with why.
    pub errors: &'a Path,
}

/// The SMS campaign list at `path` checked against the version's SMS limits (and corrected
/// into `fix` when given), then every row against its `sms` rules.
pub fn review_sms(path: &Path, fix: Option<SmsFix<'_>>, policy: &Policy) -> Result<SmsReport, AssetError> {
    let limits = sms_limits(policy)?;
    let mut report = match fix {
        Some(fix) => fix_sms(path, fix.fixed, fix.errors, limits, &policy.id())?,
        None => check_sms(path, limits, &policy.id())?,
    };
    if policy.rules.iter().any(|rule| rule.subject == Subject::Sms) {
        let extra = sms_findings(policy, &report.file, read_file(path)?);
        merge(&mut report.findings, &mut report.counts, extra);
    }
    Ok(report)
}

/// The document at `path` checked against the version's document limits (after writing a copy
/// without metadata to `scrub` and checking that copy, when given), then its `documento` rules.
pub fn review_document(
    path: &Path,
    scrub: Option<&Path>,
    policy: &Policy,
) -> Result<DocumentReport, AssetError> {
    let limits = document_limits(policy)?;
    let mut report = match scrub {
        Some(out) => scrub_document(path, out, limits, &policy.id())?,
        None => check_document(path, limits, &policy.id())?,
    };
    let extra = document_findings(policy, &report);
    merge(&mut report.findings, &mut report.counts, extra);
    Ok(report)
}
