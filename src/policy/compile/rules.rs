//! The `regla "…" error|aviso [sobre sujeto] { … }` blocks: their subject, rhai expressions and
//! message; rule names are unique.

use super::{Names, unknown};
use crate::policy::ast;
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::model::{Expression, Rule, RuleSeverity, Subject};
use crate::policy::source::{SourceFile, Span, Spanned};
use crate::text::{match_key, suggest};

const RULE_KEYWORDS: &[&str] = &["cuando", "exige", "mensaje"];

/// The rules, in written order; a rule with a repeated name is still compiled (the policy is
/// rejected anyway).
pub(super) fn compile(rules: &[&ast::RuleDecl], source: &SourceFile, out: &mut Vec<Diagnostic>) -> Vec<Rule> {
    let mut rule_names = Names::new(Code::DuplicateRule, "nombre de regla");
    let mut compiled_rules = Vec::new();
    for decl in rules {
        rule_names.add(&decl.name, out);
        if let Some(rule) = compile_rule(decl, source, out) {
            compiled_rules.push(rule);
        }
    }
    compiled_rules
}

fn compile_rule(decl: &ast::RuleDecl, source: &SourceFile, out: &mut Vec<Diagnostic>) -> Option<Rule> {
    let subject = match decl.subject.as_ref().map(|s| match_key(&s.value)) {
        None => Some(Subject::Case),
        Some(s) if s == "caso" => Some(Subject::Case),
        Some(s) if s == "banner" => Some(Subject::Banner),
        Some(s) if s == "sms" => Some(Subject::Sms),
        Some(s) if s == "documento" => Some(Subject::Document),
        Some(_) => {
            let word = decl.subject.as_ref().map_or_else(Span::default, |s| s.span);
            out.push(
                Diagnostic::new(
                    Code::RuleIncomplete,
                    word,
                    format!(
                        "sujeto de regla desconocido `{}`",
                        decl.subject.as_ref().map_or("", |s| s.value.as_str())
                    ),
                )
                .with_suggestion(suggest(
                    decl.subject.as_ref().map_or("", |s| s.value.as_str()),
                    ["caso", "banner", "sms", "documento"],
                )),
            );
            None
        }
    };
    let expression = |code: &Spanned<String>, out: &mut Vec<Diagnostic>| {
        if code.value.trim().is_empty() {
            out.push(
                Diagnostic::new(Code::RuleIncomplete, code.span, "la expresión está vacía")
                    .with_help("escriba una condición rhai entre las comillas invertidas"),
            );
        }
        let at = source.position(code.span.start);
        Expression {
            source: code.value.clone(),
            line: at.line,
            column: at.column,
        }
    };
    let mut when = None;
    let mut require = None;
    let mut message = None;
    for item in &decl.items {
        let duplicate = |what: &str, out: &mut Vec<Diagnostic>| {
            out.push(Diagnostic::new(
                Code::RuleIncomplete,
                item.span,
                format!("la regla `{}` repite `{what}`", decl.name.value),
            ))
        };
        match &item.node {
            ast::RuleItem::When(code) if when.is_some() => duplicate("cuando", out),
            ast::RuleItem::When(code) => when = Some(expression(code, out)),
            ast::RuleItem::Require(_) if require.is_some() => duplicate("exige", out),
            ast::RuleItem::Require(code) => require = Some(expression(code, out)),
            ast::RuleItem::Message(_) if message.is_some() => duplicate("mensaje", out),
            ast::RuleItem::Message(text) => message = Some(text.value.clone()),
            ast::RuleItem::Unknown(word) => out.push(unknown(word, RULE_KEYWORDS)),
        }
    }
    for (present, what) in [(require.is_some(), "exige"), (message.is_some(), "mensaje")] {
        if !present {
            out.push(Diagnostic::new(
                Code::RuleIncomplete,
                decl.name.span,
                format!("a la regla `{}` le falta `{what}`", decl.name.value),
            ));
        }
    }
    Some(Rule {
        name: decl.name.value.clone(),
        severity: if decl.is_error {
            RuleSeverity::Error
        } else {
            RuleSeverity::Warning
        },
        subject: subject?,
        when,
        require: require?,
        message: message?,
        line: source.position(decl.name.span.start).line,
    })
}
