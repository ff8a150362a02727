//! `Reglas de verificación`: each `regla` with its severity, what it is evaluated on, its
//! condition and requirement (the rhai source, verbatim) and the message a failure shows.

use super::build::Builder;
use super::model::{Inline, code, plain, strong, text};
use crate::policy::model::{Policy, Rule, RuleSeverity, Subject};

/// `error` or `aviso`, and what a failure is.
fn severity(rule: &Rule) -> (&'static str, &'static str) {
    match rule.severity {
        RuleSeverity::Error => ("error", " (hallazgo R001: la solicitud no cumple)"),
        RuleSeverity::Warning => ("aviso", " (hallazgo R002: se advierte, no se rechaza)"),
    }
}

/// What the rule is evaluated on, and by which command.
fn subject(rule: &Rule) -> Vec<Inline> {
    let (what, command) = match rule.subject {
        Subject::Caso => (
            "cada caso de la exportación del Gestor de Servicios",
            "pauta evaluate",
        ),
        Subject::Banner => ("cada banner", "pauta banner check"),
        Subject::Sms => ("cada fila de una lista de campaña SMS", "pauta sms check"),
        Subject::Documento => ("cada documento a publicar", "pauta document check"),
    };
    vec![text(format!("{what} (")), code(command), text(")")]
}

/// The whole section.
pub fn section(b: &mut Builder, policy: &Policy) {
    b.heading(2, "Reglas de verificación");
    if policy.rules.is_empty() {
        b.paragraph(vec![
            text("La política no tiene bloques "),
            code("regla"),
            text("."),
        ]);
        return;
    }
    b.paragraph(vec![
        text("Cada regla se evalúa sobre su objeto: si la condición "),
        code("cuando"),
        text(" se cumple (o no hay condición) y lo que "),
        code("exige"),
        text(
            " no, se registra un hallazgo con el mensaje de la regla. Las expresiones son las de la política, \
             tal como el motor las ejecuta.",
        ),
    ]);
    for rule in &policy.rules {
        b.heading(3, &format!("Regla «{}»", rule.name));
        let when = match &rule.when {
            Some(expression) => vec![text("Se aplica cuando: "), code(expression.source.clone())],
            None => vec![
                text("Se aplica siempre (la regla no tiene "),
                code("cuando"),
                text(")."),
            ],
        };
        let mut on = vec![text("Se evalúa sobre: ")];
        on.extend(subject(rule));
        let (level, meaning) = severity(rule);
        b.bullets(vec![
            vec![text("Severidad: "), strong(level), text(meaning)],
            on,
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
