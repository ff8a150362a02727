//! The procedure's own texts: `objetivo`, `alcance`, `definición`, `condición` and
//! `responsable`, quoted from the procedure with their runs of spaces made one.

use super::{Names, Sections};
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::model::{Definition, Responsibility};
use crate::policy::source::Spanned;

/// The compiled texts; an empty text is left out (and reported).
pub(super) struct Texts {
    /// `objetivo`.
    pub(super) objective: Option<String>,
    /// `alcance`.
    pub(super) scope: Option<String>,
    /// The definitions, without the repeated terms.
    pub(super) definitions: Vec<Definition>,
    /// The general conditions.
    pub(super) conditions: Vec<String>,
    /// Who does what.
    pub(super) responsibilities: Vec<Responsibility>,
}

/// Compiles the objective, the scope, the definitions, the conditions and the
/// responsibilities, in that order.
pub(super) fn compile(sections: &Sections, out: &mut Vec<Diagnostic>) -> Texts {
    let objective = sections
        .objective
        .and_then(|(text, _)| prose(text, "objetivo", out));
    let scope = sections.scope.and_then(|(text, _)| prose(text, "alcance", out));
    let mut terms = Names::new(Code::DuplicateDefinition, "término");
    let mut definitions = Vec::new();
    for (term, text) in &sections.definitions {
        let unique = terms.add(term, out);
        let name = prose(term, "definición", out);
        let meaning = prose(text, "definición", out);
        if let (true, Some(term), Some(text)) = (unique, name, meaning) {
            definitions.push(Definition { term, text });
        }
    }
    let conditions = sections
        .conditions
        .iter()
        .filter_map(|text| prose(text, "condición", out))
        .collect();
    let mut responsibilities = Vec::new();
    for (role, section, text) in &sections.responsibilities {
        let role = prose(role, "responsable", out);
        let section = match section {
            Some(numeral) => prose(numeral, "numeral", out).map(Some),
            None => Some(None),
        };
        let text = prose(text, "responsable", out);
        if let (Some(role), Some(section), Some(text)) = (role, section, text) {
            responsibilities.push(Responsibility { role, section, text });
        }
    }
    Texts {
        objective,
        scope,
        definitions,
        conditions,
        responsibilities,
    }
}

/// A text of the procedure with its runs of spaces made one; an empty one is reported.
fn prose(text: &Spanned<String>, statement: &str, out: &mut Vec<Diagnostic>) -> Option<String> {
    let value = text.value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        out.push(
            Diagnostic::new(
                Code::InvalidValue,
                text.span,
                format!("un texto de `{statement}` está vacío"),
            )
            .with_help(
                "escriba el texto entre comillas tal como lo dice el procedimiento, o borre la declaración",
            ),
        );
        return None;
    }
    Some(value)
}
