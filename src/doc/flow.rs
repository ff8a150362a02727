//! `5. Descripción de actividades`: the diagram and the states with their effect on the ANS
//! clock (5.1), then numeral by numeral (5.2) each activity the policy quotes with its
//! responsible and the flow table of its transitions (Estado inicial | Estado final | Razón), the
//! transitions no table writes, and the automatic close.

use super::build::Builder;
use super::graph::StateGraph;
use super::policy_words::clock;
use super::texts::{self, Place};
use crate::document::html::escape;
use crate::document::model::{Block, Table, plain, text};
use crate::policy::model::{Policy, Reasons, Responsibility, State, Transition};
use crate::wording::{days, quoted};

/// The role of a state in the flow.
fn role(state: &State) -> String {
    let mut roles = Vec::new();
    if state.initial {
        roles.push("inicial: todo caso empieza aquí".to_owned());
    }
    if state.solution {
        roles.push("solución: el ANS se mide hasta la última entrada en este estado".to_owned());
    }
    if state.excluded {
        roles.push("excluido: el caso no se juzga contra el ANS".to_owned());
    }
    if roles.is_empty() {
        "—".to_owned()
    } else {
        roles.join("; ")
    }
}

/// Where a transition comes from, for the flow tables.
fn origin(transition: &Transition) -> String {
    match (transition.automatic, transition.implicit) {
        (true, true) => "automática; implícita".to_owned(),
        (true, false) => "automática".to_owned(),
        (false, true) => "implícita".to_owned(),
        (false, false) => "tabla del procedimiento".to_owned(),
    }
}

/// A numeral as numbers, so `5.2.10` sorts after `5.2.9`.
fn numeral_key(section: &str) -> Vec<(u64, String)> {
    section
        .split('.')
        .map(|part| (part.trim().parse::<u64>().unwrap_or(u64::MAX), part.to_owned()))
        .collect()
}

/// The transitions grouped by numeral, numerals in order, those without one last.
fn groups(policy: &Policy) -> Vec<(Option<String>, Vec<&Transition>)> {
    let mut groups: Vec<(Option<String>, Vec<&Transition>)> = Vec::new();
    for transition in &policy.transitions {
        match groups.iter_mut().find(|(s, _)| *s == transition.section) {
            Some((_, list)) => list.push(transition),
            None => groups.push((transition.section.clone(), vec![transition])),
        }
    }
    groups.sort_by(|(a, _), (b, _)| match (a, b) {
        (Some(a), Some(b)) => numeral_key(a).cmp(&numeral_key(b)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    groups
}

/// The flow table of some transitions: one row per reason, as the procedure writes them.
pub fn flow_table(id: &str, transitions: &[&Transition]) -> Table {
    let mut table = Table::new(id, &["Estado inicial", "Estado final", "Razón", "Origen"]);
    for transition in transitions {
        let reasons = match &transition.reasons {
            Reasons::Any => vec!["cualquier razón (el procedimiento no la escribe)".to_owned()],
            Reasons::List(list) => list.clone(),
        };
        for reason in reasons {
            table.row(&[
                transition.from.clone(),
                transition.to.clone(),
                reason,
                origin(transition),
            ]);
        }
    }
    table
}

/// The numerals of the activities and of the flow tables, in order (numbers compared as
/// numbers), each with its activities and its transitions.
type Numeral<'p> = (String, Vec<&'p Responsibility>, Vec<&'p Transition>);

fn numerals(policy: &Policy) -> Vec<Numeral<'_>> {
    let mut numerals: Vec<Numeral<'_>> = Vec::new();
    let activities = texts::responsibilities(policy, Place::Activity);
    for activity in activities {
        let section = activity.section.clone().unwrap_or_default();
        match numerals.iter_mut().find(|(s, _, _)| *s == section) {
            Some((_, list, _)) => list.push(activity),
            None => numerals.push((section, vec![activity], Vec::new())),
        }
    }
    for (section, transitions) in groups(policy) {
        let Some(section) = section else { continue };
        match numerals.iter_mut().find(|(s, _, _)| *s == section) {
            Some((_, _, list)) => list.extend(transitions),
            None => numerals.push((section, Vec::new(), transitions)),
        }
    }
    numerals.sort_by_key(|(section, _, _)| numeral_key(section));
    numerals
}

/// The whole section.
pub fn section(b: &mut Builder, policy: &Policy) {
    b.heading(2, "5. Descripción de actividades");
    b.heading(3, "5.1 Diagrama de flujo de estados");
    b.paragraph(plain(
        "Una flecha por cada par de estados con transiciones permitidas; su etiqueta da los numerales de las \
         actividades que las escriben. Una flecha discontinua es una transición que ninguna tabla del \
         procedimiento escribe (implícita).",
    ));
    let graph = StateGraph::of(policy);
    let caption = format!("Diagrama de estados — {}", super::build::title(policy));
    b.block(Block::Figure {
        svg: super::svg::render(&graph, &caption),
        caption: escape(&caption),
        fallback: vec![Block::Code {
            language: "mermaid",
            text: super::mermaid::render(&graph),
        }],
    });
    b.heading(4, "Estados");
    b.paragraph(plain(
        "Estados del Gestor de Servicios y su efecto en el reloj del ANS: mientras el caso está en un estado que \
         corre, el tiempo hábil cuenta contra el ANS; en uno que se detiene, no cuenta.",
    ));
    let mut table = Table::new("estados", &["Estado", "Reloj del ANS", "Papel"]);
    for state in &policy.states {
        table.row(&[state.name.clone(), clock(state.clock).to_owned(), role(state)]);
    }
    b.table(table);

    b.heading(3, "5.2 Actividades");
    let activities = texts::responsibilities(policy, Place::Activity);
    if activities.is_empty() {
        b.paragraph(plain(
            "Las transiciones que pauta acepta, agrupadas por el numeral del procedimiento que las escribe, con \
             una fila por razón como en las tablas «Flujo de estados» del procedimiento. Una transición del \
             historial que no está aquí, o con una razón que no está aquí, es un hallazgo.",
        ));
    } else {
        b.paragraph(plain(
            "Cada actividad del procedimiento con su responsable y, cuando cambia el estado del caso, la tabla \
             «Flujo de estados» que la acompaña: una fila por razón. Una transición del historial que no está \
             en estas tablas, o con una razón que no está en ellas, es un hallazgo.",
        ));
        let mut who = Table::new("actividades", &["Actividad", "Responsable"]);
        for (section, list, _) in numerals(policy) {
            for (role, _) in texts::by_role(&list) {
                who.row(&[section.clone(), role.to_owned()]);
            }
        }
        b.table(who);
    }
    for (section, activities, transitions) in numerals(policy) {
        let title = if activities.is_empty() {
            format!("Numeral {section}")
        } else {
            format!("Actividad {section}")
        };
        b.heading(4, &title);
        for (role, said) in texts::by_role(&activities) {
            texts::role_texts(b, role, &said);
        }
        if !transitions.is_empty() {
            b.table(flow_table(
                &format!("flujo-{}", crate::document::model::anchor(&section)),
                &transitions,
            ));
        }
    }
    let unnumbered: Vec<&Transition> = policy
        .transitions
        .iter()
        .filter(|t| t.section.is_none())
        .collect();
    if !unnumbered.is_empty() {
        b.heading(4, "Transiciones que ninguna tabla escribe");
        b.paragraph(plain(
            "El proceso las usa pero ninguna tabla del procedimiento las escribe; la política las agrega como \
             implícitas (vea el Anexo C: Vacíos del procedimiento).",
        ));
        b.table(flow_table("flujo-sin-numeral", &unnumbered));
    }

    if let Some(close) = &policy.auto_close {
        b.heading(3, "Cierre automático");
        let numeral = policy
            .transitions
            .iter()
            .find(|t| t.automatic)
            .and_then(|t| t.section.clone())
            .map_or_else(String::new, |s| format!(" (numeral {s})"));
        b.paragraph(vec![
            text(format!(
                "Un caso que permanece {} en {} pasa solo a {}{numeral}, con la razón {}. Los días se cuentan \
                 desde su última entrada en {}; ",
                days(close.after_days, close.business_days),
                quoted(&close.from),
                quoted(&close.to),
                quoted(&close.reason),
                quoted(&close.from),
            )),
            text(if close.business_days {
                "son días hábiles, como todo plazo del procedimiento."
            } else {
                "son días calendario."
            }),
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_sort_as_numbers() {
        let mut sections = vec!["5.2.10", "5.2.9", "5.2.4"];
        sections.sort_by_key(|s| numeral_key(s));
        assert_eq!(sections, ["5.2.4", "5.2.9", "5.2.10"]);
    }
}
