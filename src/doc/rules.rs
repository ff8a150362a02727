//! The `regla` blocks, twice: in the general conditions by their message and severity in plain
//! words, with what they are checked on and when (in words when [`crate::rules::words::in_words`] reads
//! the condition); and in `Anexo A` with their rhai source, verbatim, for whoever maintains them.

use super::build::Builder;
use crate::document::model::{Inline, Table, code, plain, strong, text};
use crate::policy::model::{Policy, Rule, RuleSeverity, Subject};
use crate::rules::words::in_words;

/// The heading of the annex with the rules' expressions.
pub const ANNEX: &str = "Anexo A: expresiones de las reglas";

/// `Error` or `Aviso`.
pub fn severity_word(rule: &Rule) -> &'static str {
    match rule.severity {
        RuleSeverity::Error => "Error",
        RuleSeverity::Warning => "Aviso",
    }
}

/// What the rule is checked on, in words.
fn subject(rule: &Rule) -> &'static str {
    match rule.subject {
        Subject::Case => "cada solicitud (caso del Gestor de Servicios)",
        Subject::Banner => "cada banner a publicar",
        Subject::Sms => "cada fila de la lista de una campaña SMS",
        Subject::Document => "cada documento a publicar",
    }
}

/// When the rule applies, in words; the annex when the condition is not a simple one.
fn when(rule: &Rule, policy: &Policy) -> String {
    match &rule.when {
        None => "siempre".to_owned(),
        Some(expression) => match in_words(&expression.source, rule.subject, policy) {
            Some(words) => format!("cuando {words}"),
            None => format!(
                "cuando se cumple la condición de la regla «{}» (vea el {ANNEX})",
                rule.name
            ),
        },
    }
}

/// `Verificaciones`: every rule by its message, in the general conditions.
pub fn verifications(b: &mut Builder, policy: &Policy) {
    if policy.rules.is_empty() {
        return;
    }
    b.heading(3, "Verificaciones");
    b.paragraph(plain(
        "Estas son las condiciones que pauta revisa; cuando una no se cumple, registra su mensaje. «Error» \
         quiere decir que la solicitud no cumple el procedimiento; «Aviso», que se advierte sin rechazarla.",
    ));
    let mut table = Table::new("verificaciones", &["Verificación", "Se revisa en", "Cuándo"]);
    for rule in &policy.rules {
        table.push(vec![
            vec![
                strong(format!("{}:", severity_word(rule))),
                text(format!(" {}", rule.message)),
            ],
            plain(subject(rule)),
            plain(when(rule, policy)),
        ]);
    }
    b.table(table);
}

/// `error` or `aviso`, and what a failure is.
fn severity(rule: &Rule) -> (&'static str, &'static str) {
    match rule.severity {
        RuleSeverity::Error => ("error", " (hallazgo R001: la solicitud no cumple)"),
        RuleSeverity::Warning => ("aviso", " (hallazgo R002: se advierte, no se rechaza)"),
    }
}

/// `Anexo A`: each rule with its rhai source.
pub fn annex(b: &mut Builder, policy: &Policy) {
    if policy.rules.is_empty() {
        return;
    }
    b.heading(2, ANNEX);
    b.paragraph(vec![
        text("Cada regla se evalúa sobre su objeto: si la condición "),
        code("cuando"),
        text(" se cumple (o no hay condición) y lo que "),
        code("exige"),
        text(
            " no, se registra un hallazgo con el mensaje de la regla. Las expresiones son las de la política, \
             tal como pauta las ejecuta.",
        ),
    ]);
    for rule in &policy.rules {
        b.heading(3, &format!("Regla «{}»", rule.name));
        let when: Vec<Inline> = match &rule.when {
            Some(expression) => vec![text("Se aplica cuando: "), code(expression.source.clone())],
            None => vec![
                text("Se aplica siempre (la regla no tiene "),
                code("cuando"),
                text(")."),
            ],
        };
        let (level, meaning) = severity(rule);
        b.bullets(vec![
            vec![text("Severidad: "), strong(level), text(meaning)],
            plain(format!("Se evalúa sobre: {}", subject(rule))),
            when,
            vec![text("Exige: "), code(rule.require.source.clone())],
            vec![
                text("Mensaje si no se cumple: "),
                text(format!("«{}»", rule.message)),
            ],
            plain(format!("Línea de la política: {}", rule.line)),
        ]);
    }
}
