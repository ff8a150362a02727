//! The `banner`, `sms` and `documento` rules of a policy, run on what the publication checks
//! read: each subject becomes a rhai map of the fields in [`crate::rules::fields`], and each failed or
//! broken rule becomes a publication finding (`R001`–`R003`) located like the others.

use rhai::{Dynamic, Engine, Map, Scope};

use super::banner::{BannerReport, BannerRequest};
use super::document::DocumentReport;
use super::input::{decode, find_column, reader};
use super::{Code, Counts, Finding, Location};
use crate::policy::model::Policy;
use crate::rules::model::{RuleSeverity, Subject};
use crate::rules::{CompiledRule, RuleResult, compile_rules, run_rule};

fn text(value: &str) -> Dynamic {
    Dynamic::from(rhai::ImmutableString::from(value))
}

fn number(value: u64) -> Dynamic {
    Dynamic::from(i64::try_from(value).unwrap_or(i64::MAX))
}

/// The rules of `subject` in `policy`, compiled (rules that do not compile were already
/// refused by `check` when the policy loaded, and are skipped here).
fn rules_of(engine: &Engine, policy: &Policy, subject: Subject) -> Vec<CompiledRule> {
    compile_rules(engine, &policy.rules, Some(subject)).0
}

/// Runs `rules` on the subject `map` (named `variable`) and returns their findings at `location`.
fn run_on(
    engine: &Engine,
    rules: &[CompiledRule],
    variable: &str,
    map: Map,
    location: &Location,
) -> Vec<Finding> {
    let mut scope = Scope::new();
    scope.push_constant(variable, map);
    let mut findings = Vec::new();
    for compiled in rules {
        let rule = &compiled.rule;
        let finding = match run_rule(engine, compiled, &mut scope) {
            RuleResult::NotApplicable | RuleResult::Passed => continue,
            RuleResult::Failed => Finding::new(
                match rule.severity {
                    RuleSeverity::Error => Code::R001,
                    RuleSeverity::Warning => Code::R002,
                },
                compiled.failure.clone(),
                location.clone(),
            ),
            RuleResult::Broken(message) => Finding::new(
                Code::R003,
                format!(
                    "regla «{}» (línea {} de la política): {message}",
                    rule.name, rule.line
                ),
                location.clone(),
            ),
        };
        findings.push(finding);
    }
    findings
}

/// Adds `extra` findings to a report's list and recounts.
pub(crate) fn merge(findings: &mut Vec<Finding>, counts: &mut Counts, extra: Vec<Finding>) {
    findings.extend(extra);
    *counts = Counts::of(findings);
}

/// The `banner` rules of `policy` on a checked banner.
pub fn banner_findings(policy: &Policy, report: &BannerReport, request: &BannerRequest) -> Vec<Finding> {
    let engine = crate::rules::engine();
    let rules = rules_of(&engine, policy, Subject::Banner);
    if rules.is_empty() {
        return Vec::new();
    }
    let mut map = Map::new();
    map.insert("archivo".into(), text(&report.file));
    map.insert("formato".into(), text(report.image.format.label()));
    map.insert("bytes".into(), number(report.bytes));
    map.insert("ancho".into(), number(u64::from(report.image.width.unwrap_or(0))));
    map.insert("alto".into(), number(u64::from(report.image.height.unwrap_or(0))));
    map.insert("ubicacion".into(), text(&report.placement));
    map.insert(
        "titulo".into(),
        text(request.title.as_deref().unwrap_or_default()),
    );
    map.insert(
        "descripcion".into(),
        text(request.description.as_deref().unwrap_or_default()),
    );
    map.insert(
        "llamado".into(),
        text(request.call_to_action.as_deref().unwrap_or_default()),
    );
    map.insert("desde".into(), text(&request.from.to_string()));
    map.insert("hasta".into(), text(&request.until.to_string()));
    run_on(&engine, &rules, "banner", map, &Location::file(&report.file))
}

/// The `documento` rules of `policy` on a checked document.
pub fn document_findings(policy: &Policy, report: &DocumentReport) -> Vec<Finding> {
    let engine = crate::rules::engine();
    let rules = rules_of(&engine, policy, Subject::Document);
    if rules.is_empty() {
        return Vec::new();
    }
    let facts = report.facts.as_ref();
    let mut map = Map::new();
    map.insert("archivo".into(), text(&report.file));
    map.insert("formato".into(), text(&report.format));
    map.insert("bytes".into(), number(report.bytes));
    map.insert("paginas".into(), number(u64::from(facts.map_or(0, |f| f.pages))));
    map.insert(
        "titulo".into(),
        text(facts.and_then(|f| f.title.as_deref()).unwrap_or_default()),
    );
    map.insert(
        "idioma".into(),
        text(facts.and_then(|f| f.language.as_deref()).unwrap_or_default()),
    );
    run_on(&engine, &rules, "documento", map, &Location::file(&report.file))
}

/// The `sms` rules of `policy` on every row of the campaign file `bytes` (named `file`); rows
/// that cannot be read are the SMS check's own findings, not the rules'.
pub fn sms_findings(policy: &Policy, file: &str, bytes: Vec<u8>) -> Vec<Finding> {
    let engine = crate::rules::engine();
    let rules = rules_of(&engine, policy, Subject::Sms);
    let Some(limits) = policy.sms.as_ref() else {
        return Vec::new();
    };
    if rules.is_empty() {
        return Vec::new();
    }
    let csv = decode(bytes);
    let mut rows = reader(&csv);
    let Ok(headers) = rows.headers().cloned() else {
        return Vec::new();
    };
    let column_of = |role: &str| {
        limits.columns.iter().find(|c| c.role == role).and_then(|column| {
            find_column(
                &headers,
                std::iter::once(column.name.as_str()).chain(column.aliases.iter().map(String::as_str)),
            )
        })
    };
    let roles = [
        ("nombre", column_of("nombre")),
        ("apellido", column_of("apellido")),
        ("cedula", column_of("cedula")),
        ("mensaje", column_of("mensaje")),
    ];
    let mut findings = Vec::new();
    let mut line_counter = super::input::LineCounter::new(&csv);
    for record in rows.records() {
        let Ok(record) = record else {
            continue;
        };
        let line = line_counter.of(record.position());
        let mut map = Map::new();
        map.insert("fila".into(), number(line));
        for (role, column) in roles {
            let value = column.and_then(|c| record.get(c)).unwrap_or_default();
            map.insert(role.into(), text(value));
        }
        let columns: Map = headers
            .iter()
            .zip(record.iter())
            .map(|(header, value)| (header.into(), text(value)))
            .collect();
        map.insert("columnas".into(), Dynamic::from(columns));
        findings.extend(run_on(&engine, &rules, "sms", map, &Location::line(file, line)));
    }
    findings
}
