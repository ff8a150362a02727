//! Every aggregate of the report, computed with polars over the ranked population and the
//! overdue frame: compliance counts, the per-category table (`group_by` category), outcomes by
//! week of the month, the distribution of business days used against the ANS, findings by code,
//! and the case lists. Every table is sorted explicitly; nothing depends on hashing order.

use chrono::Days;
use polars::prelude::*;

use super::model::{CategoryRow, FindingRow, ReportCase, UsageBucket, WeekRow};
use super::month::Month;
use super::population::{CUT_FINDINGS, finding_column, findings_of, outcome_code, outcome_of};
use crate::calendar::clock::SECONDS_PER_DAY;
use crate::cases::{FindingCode, Outcome};

/// Number of usage bars: 0–25 %, …, 175–200 %, > 200 %.
const USAGE_BARS: u32 = 9;

fn is(outcome: Outcome) -> Expr {
    col("outcome").eq(lit(outcome_code(outcome)))
}

fn count(expr: Expr) -> Expr {
    expr.cast(DataType::UInt64).sum()
}

fn value_u64(frame: &DataFrame, name: &str, row: usize) -> PolarsResult<u64> {
    Ok(frame
        .column(name)?
        .cast(&DataType::UInt64)?
        .u64()?
        .get(row)
        .unwrap_or(0))
}

/// (met, breached) among the rows of `frame`.
pub fn met_breached(frame: LazyFrame) -> PolarsResult<(u64, u64)> {
    let counts = frame
        .select([
            count(is(Outcome::Met)).alias("met"),
            count(is(Outcome::Breached)).alias("breached"),
        ])
        .collect()?;
    Ok((value_u64(&counts, "met", 0)?, value_u64(&counts, "breached", 0)?))
}

/// The per-category table of the population, by category name.
pub fn by_category(ranked: &DataFrame, names: &[String]) -> PolarsResult<Vec<CategoryRow>> {
    let indices: Vec<u32> = (0..names.len())
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    let lookup = DataFrame::new_infer_height(vec![
        Column::new("category".into(), indices),
        Column::new("name".into(), names.to_vec()),
    ])?;
    let table = ranked
        .clone()
        .lazy()
        .group_by([col("category")])
        .agg([
            len().cast(DataType::UInt64).alias("cases"),
            count(is(Outcome::Met)).alias("met"),
            count(is(Outcome::Breached)).alias("breached"),
            count(col("in_sample")).alias("in_sample"),
            count(col("in_sample").and(is(Outcome::Met))).alias("sample_met"),
        ])
        .join(
            lookup.lazy(),
            [col("category")],
            [col("category")],
            JoinArgs::new(JoinType::Left),
        )
        .sort(["name"], SortMultipleOptions::default().with_maintain_order(true))
        .collect()?;
    let names_column = table.column("name")?.str()?;
    let mut rows = Vec::with_capacity(table.height());
    for row in 0..table.height() {
        let cases = value_u64(&table, "cases", row)?;
        let met = value_u64(&table, "met", row)?;
        rows.push(CategoryRow {
            category: names_column.get(row).unwrap_or_default().to_owned(),
            cases,
            met,
            breached: value_u64(&table, "breached", row)?,
            rate: if cases == 0 {
                0.0
            } else {
                met as f64 / cases as f64
            },
            in_sample: value_u64(&table, "in_sample", row)?,
            sample_met: value_u64(&table, "sample_met", row)?,
        });
    }
    Ok(rows)
}

/// Met and breached of the population by week of the month of the solution date (week k holds
/// days 7k−6 … 7k; the fifth week is the month's last 1–3 days). Every week is listed.
pub fn by_week(ranked: &DataFrame, month: Month) -> PolarsResult<Vec<WeekRow>> {
    let table = ranked
        .clone()
        .lazy()
        .with_column(
            // Non-negative: true division then truncation is the floor (`floor_div` needs
            // polars' `round_series` feature).
            ((col("solved_at") - lit(month.first_instant())) / lit(SECONDS_PER_DAY * 7))
                .cast(DataType::Int64)
                .alias("week"),
        )
        .group_by([col("week")])
        .agg([
            count(is(Outcome::Met)).alias("met"),
            count(is(Outcome::Breached)).alias("breached"),
        ])
        .sort(["week"], SortMultipleOptions::default())
        .collect()?;
    let weeks = table.column("week")?.i64()?;
    let found: Vec<(i64, u64, u64)> = (0..table.height())
        .map(|row| {
            Ok((
                weeks.get(row).unwrap_or(-1),
                value_u64(&table, "met", row)?,
                value_u64(&table, "breached", row)?,
            ))
        })
        .collect::<PolarsResult<_>>()?;
    let total_weeks = month.days().div_ceil(7);
    let mut rows = Vec::new();
    for week in 0..total_weeks {
        let first_day = month.first_day() + Days::new(u64::from(week) * 7);
        let last_day = (first_day + Days::new(6)).min(month.last_day());
        let (met, breached) = found
            .iter()
            .find(|(w, _, _)| *w == i64::from(week))
            .map_or((0, 0), |(_, met, breached)| (*met, *breached));
        rows.push(WeekRow {
            week: week + 1,
            first_day,
            last_day,
            met,
            breached,
        });
    }
    Ok(rows)
}

/// Population cases by share of the allowed business time used, in steps of 25 %: bar k holds
/// (25k %, 25(k+1) %] (bar 0 includes 0), the last bar more than 200 %. Bars up to 100 % are
/// exactly the met cases. Cases without a deadline in the calendar are left out.
pub fn usage(ranked: &DataFrame) -> PolarsResult<Vec<UsageBucket>> {
    let table = ranked
        .clone()
        .lazy()
        .filter(
            col("allowed_seconds")
                .gt(lit(0i64))
                .and(col("used_seconds").is_not_null()),
        )
        .with_column(
            // (4·used − 1) / allowed ≥ −1/allowed > −1: truncation is the floor, except that
            // used = 0 gives 0 instead of −1, which the clamp below does anyway.
            ((col("used_seconds") * lit(4i64) - lit(1i64)) / col("allowed_seconds"))
                .cast(DataType::Int64)
                .alias("bar"),
        )
        .with_column(
            when(col("bar").lt(lit(0i64)))
                .then(lit(0i64))
                .when(col("bar").gt(lit(i64::from(USAGE_BARS) - 1)))
                .then(lit(i64::from(USAGE_BARS) - 1))
                .otherwise(col("bar"))
                .alias("bar"),
        )
        .group_by([col("bar")])
        .agg([len().cast(DataType::UInt64).alias("cases")])
        .sort(["bar"], SortMultipleOptions::default())
        .collect()?;
    let bars = table.column("bar")?.i64()?;
    let mut rows: Vec<UsageBucket> = (0..USAGE_BARS)
        .map(|bar| UsageBucket {
            from_percent: bar * 25,
            to_percent: (bar + 1 < USAGE_BARS).then_some((bar + 1) * 25),
            cases: 0,
        })
        .collect();
    for row in 0..table.height() {
        let bar = bars.get(row).and_then(|bar| usize::try_from(bar).ok());
        if let Some(slot) = bar.and_then(|bar| rows.get_mut(bar)) {
            slot.cases = value_u64(&table, "cases", row)?;
        }
    }
    Ok(rows)
}

/// Cases with each finding code in the population, the sample and the overdue list; only codes
/// that occur, in code order. The cut findings (H011, H012) are left out.
pub fn findings(ranked: &DataFrame, overdue: &DataFrame) -> PolarsResult<Vec<FindingRow>> {
    let rules_by_label = (
        rule_counts(ranked, false)?,
        rule_counts(ranked, true)?,
        rule_counts(overdue, false)?,
    );
    let codes: Vec<FindingCode> = FindingCode::ALL
        .iter()
        .copied()
        .filter(|code| !CUT_FINDINGS.contains(code))
        .collect();
    let sums = |frame: LazyFrame| -> PolarsResult<DataFrame> {
        frame
            .select(
                codes
                    .iter()
                    .map(|code| count(col(finding_column(*code))).alias(finding_column(*code)))
                    .collect::<Vec<_>>(),
            )
            .collect()
    };
    let population = sums(ranked.clone().lazy())?;
    let sample = sums(ranked.clone().lazy().filter(col("in_sample")))?;
    let overdue = sums(overdue.clone().lazy())?;
    let mut rows = Vec::new();
    for code in codes {
        let name = finding_column(code);
        let row = FindingRow {
            code,
            rule: None,
            population: value_u64(&population, name, 0)?,
            sample: value_u64(&sample, name, 0)?,
            overdue: value_u64(&overdue, name, 0)?,
        };
        if row.population + row.sample + row.overdue > 0 {
            rows.push(row);
        }
    }
    rows.sort_by_key(|row| row.code.code());
    // One row per rule under its code's row, so the report names the rules that fail.
    let (population, sample, overdue) = rules_by_label;
    let mut labels: Vec<&String> = population
        .keys()
        .chain(sample.keys())
        .chain(overdue.keys())
        .collect();
    labels.sort();
    labels.dedup();
    for label in labels {
        let Some((code, rule)) = label.split_once(':') else {
            continue;
        };
        let Some(code) = FindingCode::ALL.iter().copied().find(|c| c.code() == code) else {
            continue;
        };
        rows.push(FindingRow {
            code,
            rule: Some(rule.to_owned()),
            population: population.get(label).copied().unwrap_or(0),
            sample: sample.get(label).copied().unwrap_or(0),
            overdue: overdue.get(label).copied().unwrap_or(0),
        });
    }
    rows.sort_by(|a, b| (a.code.code(), &a.rule).cmp(&(b.code.code(), &b.rule)));
    Ok(rows)
}

/// Cases per rule label (`R001:<rule>`) in `frame`, only those in the sample when `sample_only`.
fn rule_counts(
    frame: &DataFrame,
    sample_only: bool,
) -> PolarsResult<std::collections::BTreeMap<String, u64>> {
    let rules = frame.column("rules")?.str()?;
    let in_sample = if sample_only {
        Some(frame.column("in_sample")?.bool()?)
    } else {
        None
    };
    let mut counts = std::collections::BTreeMap::new();
    for row in 0..frame.height() {
        if in_sample.is_some_and(|flags| flags.get(row) != Some(true)) {
            continue;
        }
        for label in rules
            .get(row)
            .unwrap_or_default()
            .split('|')
            .filter(|l| !l.is_empty())
        {
            *counts.entry(label.to_owned()).or_insert(0) += 1;
        }
    }
    Ok(counts)
}

/// The sample, in selection order.
pub fn sample(ranked: &DataFrame) -> PolarsResult<DataFrame> {
    ranked
        .clone()
        .lazy()
        .filter(col("in_sample"))
        .sort(["rank"], SortMultipleOptions::default())
        .collect()
}

/// Breached cases of the population: most days late first, then by case id.
pub fn breached(ranked: &DataFrame) -> PolarsResult<DataFrame> {
    ranked
        .clone()
        .lazy()
        .filter(is(Outcome::Breached))
        .sort(
            ["days_late", "case_id"],
            SortMultipleOptions::default().with_order_descending_multi([true, false]),
        )
        .collect()
}

/// Overdue cases: earliest deadline first (no deadline last), then by case id.
pub fn overdue_sorted(overdue: LazyFrame) -> PolarsResult<DataFrame> {
    overdue
        .sort(
            ["deadline", "case_id"],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .collect()
}

/// The rows of a frame as report cases.
pub fn cases_of(frame: &DataFrame, names: &[String], day_length: i64) -> PolarsResult<Vec<ReportCase>> {
    let ids = frame.column("case_id")?.str()?;
    let category = frame.column("category")?.u32()?;
    let exception = frame.column("exception")?.u32()?;
    let version = frame.column("policy_version")?.u32()?;
    let received = frame.column("received_at")?.i64()?;
    let deadline = frame.column("deadline")?.i64()?;
    let solved = frame.column("solved_at")?.i64()?;
    let outcome = frame.column("outcome")?.u32()?;
    let used = frame.column("used_seconds")?.i64()?;
    let allowed = frame.column("allowed_seconds")?.i64()?;
    let ans = frame.column("ans_days")?.u32()?;
    let days_late = frame.column("days_late")?.i64()?;
    let findings = frame.column("findings")?.u32()?;
    let rules = frame.column("rules")?.str()?;
    let rank = match frame.column("rank") {
        Ok(column) => Some(column.u64()?.clone()),
        Err(_) => None,
    };
    let keys = match frame.column("sha256") {
        Ok(column) => Some(column.str()?.clone()),
        Err(_) => None,
    };
    let name = |index: Option<u32>| index.and_then(|i| names.get(i as usize)).cloned();
    let mut cases = Vec::with_capacity(frame.height());
    for row in 0..frame.height() {
        let Some(outcome) = outcome.get(row).and_then(outcome_of) else {
            continue;
        };
        cases.push(ReportCase {
            rank: rank.as_ref().and_then(|rank| rank.get(row)),
            sha256: keys.as_ref().and_then(|keys| keys.get(row)).map(str::to_owned),
            case_id: ids.get(row).unwrap_or_default().to_owned(),
            category: name(category.get(row)).unwrap_or_default(),
            exception: name(exception.get(row)),
            policy_version: version.get(row).unwrap_or_default(),
            received_at: received.get(row).unwrap_or_default(),
            deadline: deadline.get(row),
            solved_at: solved.get(row),
            outcome,
            business_seconds_used: used.get(row),
            business_days_used: used
                .get(row)
                .map(|seconds| seconds as f64 / day_length.max(1) as f64),
            business_seconds_available: allowed.get(row),
            business_days_available: allowed
                .get(row)
                .map(|seconds| seconds as f64 / day_length.max(1) as f64),
            ans_business_days: ans.get(row).unwrap_or_default(),
            days_late: days_late.get(row).unwrap_or_default(),
            findings: findings.get(row).map(findings_of).unwrap_or_default(),
            rules: rules
                .get(row)
                .map(|text| {
                    text.split('|')
                        .filter(|label| !label.is_empty())
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default(),
        });
    }
    Ok(cases)
}
