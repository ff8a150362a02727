//! Rule books and their findings: the policies' case rules compiled once per run, run on each
//! evaluated case (the native fast path when it can, rhai otherwise), and each failed or broken
//! rule turned into a finding, with its inputs for `explain`.

use std::sync::Arc;

use rhai::Scope;

use super::codes::{Finding, FindingCode};
use super::error::RunError;
use super::evaluate::RuleTrace;
use super::judge::JudgeContext;
use super::model::{Case, Evaluation};
use super::versions::Contexts;
use crate::cases::subject::{CaseInPlace, CaseSnapshot, SharedCase};
use crate::policy::model::{RuleSeverity, Subject};
use crate::rules::compiled::RuleBook;
use crate::rules::fields::fields_read;
use crate::rules::{RuleResult, compile_rules};

/// The case rules of each context's policy, compiled; the first rule that does not compile
/// stops the run.
pub(super) fn rule_books(engine: &rhai::Engine, contexts: &Contexts<'_>) -> Result<Vec<RuleBook>, RunError> {
    let mut rule_sets: Vec<RuleBook> = Vec::with_capacity(contexts.len());
    for (_, context) in contexts {
        let (compiled, problems) = compile_rules(engine, &context.policy.rules, Some(Subject::Case));
        if let Some(problem) = problems.first() {
            return Err(RunError::Policy(format!(
                "la regla «{}» de {} no compila (línea {}, columna {}): {}; revísela con `pauta check`",
                problem.rule,
                context.policy.id(),
                problem.line,
                problem.column,
                problem.message
            )));
        }
        rule_sets.push(RuleBook::new(engine, compiled, "caso"));
    }
    Ok(rule_sets)
}

/// Runs the case rules of the case's policy and adds their findings to `evaluation`; returns
/// each rule's trace when `trace`. Rules of the native fast path read the case where it is;
/// rhai, and `explain`, get a snapshot of every field.
pub(super) fn apply_rules(
    case: &Case,
    evaluation: &mut Evaluation<'_>,
    context: &JudgeContext<'_, '_>,
    trace: bool,
) -> Vec<RuleTrace> {
    let job = context
        .rule_sets
        .get(case.policy)
        .filter(|rules| !rules.is_empty())
        .zip(context.contexts.get(case.policy));
    let Some((rules, (_, policy_context))) = job else {
        return Vec::new();
    };
    let policy = policy_context.policy;
    let fast = (!trace)
        .then(|| {
            rules.run_fast(&CaseInPlace {
                case,
                evaluation,
                policy,
            })
        })
        .flatten();
    match fast {
        Some(results) => rule_findings(rules, results, None, &mut evaluation.findings),
        None => {
            let columns = if context.keep_columns {
                context
                    .headers
                    .iter()
                    .cloned()
                    .zip(case.columns.iter().cloned())
                    .collect()
            } else {
                Vec::new()
            };
            let caso = Arc::new(CaseSnapshot::new(case, evaluation, policy, columns));
            let results = rules.run_fast(&*caso).unwrap_or_else(|| {
                let mut scope = Scope::new();
                scope.push_constant("caso", SharedCase(Arc::clone(&caso)));
                rules.run_all(context.engine, &mut scope)
            });
            rule_findings(rules, results, trace.then_some(&*caso), &mut evaluation.findings)
        }
    }
}

/// Adds to `findings` those of the rules' `results` on one case: one for each failed or broken
/// rule; with the case's snapshot (`explain`), returns each rule's inputs and result too.
fn rule_findings(
    book: &RuleBook,
    results: Vec<RuleResult>,
    trace: Option<&CaseSnapshot>,
    findings: &mut Vec<Finding>,
) -> Vec<RuleTrace> {
    let mut traces = Vec::new();
    for (compiled, result) in book.rules.iter().zip(results) {
        let rule = &compiled.rule;
        match &result {
            RuleResult::Failed => {
                let code = match rule.severity {
                    RuleSeverity::Error => FindingCode::RuleFailed,
                    RuleSeverity::Warning => FindingCode::RuleWarning,
                };
                findings.push(Finding::of_rule(code, &rule.name, compiled.failure.clone()));
            }
            RuleResult::Broken(message) => findings.push(Finding::of_rule(
                FindingCode::RuleBroken,
                &rule.name,
                format!(
                    "regla «{}» (línea {} de la política): {message}",
                    rule.name, rule.line
                ),
            )),
            RuleResult::NotApplicable | RuleResult::Passed => {}
        }
        if let Some(caso) = trace {
            let mut inputs: Vec<(String, String)> = Vec::new();
            let sources = rule.when.iter().chain(std::iter::once(&rule.require));
            for expression in sources {
                for (_, field) in fields_read(&expression.source, "caso") {
                    let name = format!("caso.{field}");
                    if !inputs.iter().any(|(known, _)| *known == name) {
                        let value = caso.field_text(&field).unwrap_or_default();
                        inputs.push((name, value));
                    }
                }
            }
            traces.push(RuleTrace {
                name: rule.name.clone(),
                severity: rule.severity,
                line: rule.line,
                when: rule.when.as_ref().map(|w| w.source.clone()),
                require: rule.require.source.clone(),
                inputs,
                result,
            });
        }
    }
    traces
}
