//! The sample as CSV, one row per case in selection order, with the machine column names of the
//! JSON form (timestamps RFC 3339, outcome as its machine value, findings `|`-separated).

use super::format::rfc3339;
use super::model::Report;

/// Columns of the sample CSV, in order (a contract: columns are only ever added at the end).
pub const COLUMNS: [&str; 17] = [
    "rank",
    "sha256",
    "case_id",
    "category",
    "exception",
    "policy_version",
    "received_at",
    "deadline",
    "solved_at",
    "outcome",
    "business_seconds_used",
    "business_days_used",
    "ans_business_days",
    "days_late",
    "findings",
    "business_seconds_available",
    "business_days_available",
];

/// Renders the sample as CSV.
pub fn render(report: &Report) -> Result<String, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    let offset = report.utc_offset_seconds;
    for case in &report.sample {
        writer.write_record([
            case.rank.map(|rank| rank.to_string()).unwrap_or_default(),
            case.sha256.clone().unwrap_or_default(),
            case.case_id.clone(),
            case.category.clone(),
            case.exception.clone().unwrap_or_default(),
            case.policy_version.to_string(),
            rfc3339(Some(case.received_at), offset),
            rfc3339(case.deadline, offset),
            rfc3339(case.solved_at, offset),
            case.outcome.value().to_owned(),
            case.business_seconds_used
                .map(|s| s.to_string())
                .unwrap_or_default(),
            case.business_days_used
                .map(|d| format!("{d:.2}"))
                .unwrap_or_default(),
            case.ans_business_days.to_string(),
            case.days_late.to_string(),
            case.finding_labels().join("|"),
            case.business_seconds_available
                .map(|s| s.to_string())
                .unwrap_or_default(),
            case.business_days_available
                .map(|d| format!("{d:.2}"))
                .unwrap_or_default(),
        ])?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
