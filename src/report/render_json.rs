//! The report as one JSON document (keys sorted): every number as a number, timestamps RFC 3339
//! with the calendar's offset, outcomes as machine values with their Spanish labels.

use serde_json::{Value, json};

use super::format::rfc3339;
use super::model::{Report, ReportCase};
use super::stats::Proportion;

fn case(report: &Report, case: &ReportCase) -> Value {
    let offset = report.utc_offset_seconds;
    let optional = |at| {
        let text = rfc3339(at, offset);
        if text.is_empty() {
            Value::Null
        } else {
            Value::String(text)
        }
    };
    json!({
        "rank": case.rank,
        "sha256": case.sha256,
        "case_id": case.case_id,
        "category": case.category,
        "exception": case.exception,
        "policy_version": case.policy_version,
        "received_at": rfc3339(Some(case.received_at), offset),
        "deadline": optional(case.deadline),
        "solved_at": optional(case.solved_at),
        "outcome": case.outcome.value(),
        "outcome_label": case.outcome.label(),
        "business_seconds_used": case.business_seconds_used,
        "business_days_used": case.business_days_used.map(|days| (days * 100.0).round() / 100.0),
        "ans_business_days": case.ans_business_days,
        "days_late": case.days_late,
        "findings": case.finding_labels(),
        "business_seconds_available": case.business_seconds_available,
        "business_days_available": case.business_days_available.map(|days| (days * 100.0).round() / 100.0),
    })
}

fn proportion(value: &Proportion) -> Value {
    json!({
        "cases": value.met + value.breached,
        "met": value.met,
        "breached": value.breached,
        "rate": value.rate,
        "ci_low": value.ci_low,
        "ci_high": value.ci_high,
    })
}

/// Renders the report as pretty-printed JSON.
pub fn render(report: &Report) -> String {
    let size = &report.size;
    let value = json!({
        "month": report.month.key(),
        "procedure": report.procedure,
        "generated_at": rfc3339(Some(report.generated_at), report.utc_offset_seconds),
        "as_of": rfc3339(Some(report.as_of), report.utc_offset_seconds),
        "seed": report.seed,
        "seed_given": report.seed_given,
        "policy_versions": report.policy_versions,
        "sampling_version": report.sampling_version,
        "inputs": report.inputs.iter().map(|input| json!({
            "role": input.role,
            "name": input.name,
            "sha256": input.sha256,
            "embedded": input.embedded,
        })).collect::<Vec<_>>(),
        "rows": {
            "cases_read": report.rows.cases_read,
            "cases_evaluated": report.rows.cases_evaluated,
            "cases_rejected": report.rows.cases_rejected,
            "history_read": report.rows.history_read,
            "history_used": report.rows.history_used,
            "history_rejected": report.rows.history_rejected,
        },
        "population": size.population,
        "sample_size": size.size,
        "method": {
            "confidence": size.confidence,
            "z": size.z,
            "margin": size.margin,
            "proportion": size.proportion,
            "n0": size.n0,
            "size_overridden": size.overridden,
            "selection": "ascending lowercase hex SHA-256 of '<seed>:<case_id>', first sample_size",
        },
        "sample": report.sample.iter().map(|c| case(report, c)).collect::<Vec<_>>(),
        // null when no case was solved in the month: there is no rate.
        "sample_compliance": report.sample_compliance.as_ref().map(proportion),
        "population_compliance": report.population_compliance.as_ref().map(proportion),
        "by_category": report.by_category.iter().map(|row| json!({
            "category": row.category,
            "cases": row.cases,
            "met": row.met,
            "breached": row.breached,
            "rate": row.rate,
            "in_sample": row.in_sample,
            "sample_met": row.sample_met,
        })).collect::<Vec<_>>(),
        "breached": report.breached.iter().map(|c| case(report, c)).collect::<Vec<_>>(),
        "overdue": report.overdue.iter().map(|c| case(report, c)).collect::<Vec<_>>(),
        "findings": report.findings.iter().map(|row| json!({
            "code": row.code.code(),
            "rule": row.rule,
            "title": row.title(),
            "population": row.population,
            "sample": row.sample,
            "overdue": row.overdue,
        })).collect::<Vec<_>>(),
        "weeks": report.weeks.iter().map(|week| json!({
            "week": week.week,
            "first_day": week.first_day.to_string(),
            "last_day": week.last_day.to_string(),
            "met": week.met,
            "breached": week.breached,
        })).collect::<Vec<_>>(),
        "usage": report.usage.iter().map(|bar| json!({
            "from_percent": bar.from_percent,
            "to_percent": bar.to_percent,
            "cases": bar.cases,
        })).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
