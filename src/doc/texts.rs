//! The procedure's own texts, as the policy quotes them: numeral 1 (objetivo), the scope of
//! numeral 2, the definitions of numeral 3, the general conditions and general responsibilities
//! of numeral 4, and where each `responsable` goes (an activity of numeral 5, the control of
//! numeral 6, or a general responsibility). A text the policy does not write is not printed:
//! the document never invents the procedure's words.

use super::build::Builder;
use crate::document::model::{Inline, Table, plain, strong, text};
use crate::policy::model::{Policy, Responsibility};

/// Which part of the document a responsibility belongs to, by the first number of its numeral.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Numeral 4 or none: a general responsibility.
    General,
    /// Numeral 5: an activity of the procedure's description.
    Activity,
    /// Numeral 6: the monitoring and control.
    Control,
}

/// Where `responsibility` is printed.
pub fn place(responsibility: &Responsibility) -> Place {
    let chapter = responsibility
        .section
        .as_deref()
        .and_then(|s| s.split('.').next())
        .map(str::trim);
    match chapter {
        Some("5") => Place::Activity,
        Some("6") => Place::Control,
        _ => Place::General,
    }
}

/// The responsibilities printed in `place`, in declaration order.
pub fn responsibilities(policy: &Policy, at: Place) -> Vec<&Responsibility> {
    policy
        .responsibilities
        .iter()
        .filter(|r| place(r) == at)
        .collect()
}

/// `1. Objetivo`.
pub fn objective(b: &mut Builder, policy: &Policy) {
    if let Some(objective) = &policy.objective {
        b.heading(2, "1. Objetivo");
        b.paragraph(plain(objective.clone()));
    }
}

/// `3. Definiciones`: one item per term, as the procedure lists them.
pub fn definitions(b: &mut Builder, policy: &Policy) {
    if policy.definitions.is_empty() {
        return;
    }
    b.heading(2, "3. Definiciones");
    b.bullets(
        policy
            .definitions
            .iter()
            .map(|d| vec![strong(format!("{}:", d.term)), text(format!(" {}", d.text))])
            .collect(),
    );
}

/// The general conditions quoted as text (`condición`), right under the heading of numeral 4.
pub fn conditions(b: &mut Builder, policy: &Policy) {
    if !policy.conditions.is_empty() {
        b.bullets(policy.conditions.iter().map(|c| plain(c.clone())).collect());
    }
}

/// `Responsables`: the general responsibilities of numeral 4.
pub fn general_responsibilities(b: &mut Builder, policy: &Policy) {
    let general = responsibilities(policy, Place::General);
    if general.is_empty() {
        return;
    }
    b.heading(3, "Responsables");
    let mut table = Table::new("responsables", &["Responsable", "Responsabilidad"]);
    for responsibility in general {
        table.row(&[responsibility.role.clone(), responsibility.text.clone()]);
    }
    b.table(table);
}

/// The paragraphs of one role's texts for one numeral: who, then the first text, the others as
/// a list (the branches the procedure writes as bullets under an activity).
pub fn role_texts(b: &mut Builder, role: &str, texts: &[&str]) {
    b.paragraph(vec![text("Responsable: "), strong(role)]);
    let mut rest = texts.iter();
    if let Some(first) = rest.next() {
        b.paragraph(plain(*first));
    }
    let items: Vec<Vec<Inline>> = rest.map(|t| plain(*t)).collect();
    if !items.is_empty() {
        b.bullets(items);
    }
}

/// The responsibilities of `list` grouped by role, roles in order of first appearance.
pub fn by_role<'p>(list: &[&'p Responsibility]) -> Vec<(&'p str, Vec<&'p str>)> {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for responsibility in list {
        let key = crate::text::match_key(&responsibility.role);
        match groups
            .iter_mut()
            .find(|(role, _)| crate::text::match_key(role) == key)
        {
            Some((_, texts)) => texts.push(&responsibility.text),
            None => groups.push((&responsibility.role, vec![&responsibility.text])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(section: Option<&str>) -> Place {
        place(&Responsibility {
            role: "R".to_owned(),
            section: section.map(str::to_owned),
            text: "T".to_owned(),
        })
    }

    #[test]
    fn the_numeral_says_where_a_responsibility_goes() {
        assert_eq!(at(Some("5.2.1")), Place::Activity);
        assert_eq!(at(Some(" 5")), Place::Activity);
        assert_eq!(at(Some("6")), Place::Control);
        assert_eq!(at(Some("4")), Place::General);
        assert_eq!(at(Some("50.1")), Place::General);
        assert_eq!(at(None), Place::General);
    }
}
