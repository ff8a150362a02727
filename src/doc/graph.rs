//! The state flow as a graph: one node per state, one edge per distinct (from, to) pair of
//! transitions, with a short label naming the procedure's numerals. Both diagrams (Mermaid and
//! SVG) are drawn from it.

use crate::policy::model::{Clock, Policy, Transition};
use crate::text::match_key;

/// The states and the distinct transition pairs of a policy.
#[derive(Debug, Clone, PartialEq)]
pub struct StateGraph {
    /// One node per state, in declaration order.
    pub nodes: Vec<Node>,
    /// One edge per distinct (from, to) pair, in order of first declaration.
    pub edges: Vec<Edge>,
}

/// A state of the diagram, with its identifier and label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Identifier safe for Mermaid and XML: ASCII lowercase, digits and `_`, unique.
    pub id: String,
    /// The state's name as the policy writes it.
    pub name: String,
    /// Its clock mode.
    pub clock: Clock,
    /// Cases start here.
    pub initial: bool,
    /// Entering it solves the case.
    pub solution: bool,
    /// Cases here are excluded from compliance.
    pub excluded: bool,
}

/// All transitions between one ordered pair of states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edge {
    /// Index of the from state in `nodes`.
    pub from: usize,
    /// Index of the to state in `nodes`.
    pub to: usize,
    /// Short label: the numerals of its transitions, `implícita`, `cierre automático`.
    pub label: String,
    /// Every transition of the pair is implicit (none is written in the procedure's tables).
    pub implicit: bool,
    /// Every transition of the pair is performed by the system.
    pub automatic: bool,
}

/// Words Mermaid reads as keywords; a state id equal to one gets a suffix.
const RESERVED: [&str; 16] = [
    "as",
    "class",
    "classdef",
    "click",
    "choice",
    "default",
    "direction",
    "end",
    "fork",
    "join",
    "left",
    "note",
    "of",
    "right",
    "state",
    "style",
];

/// An identifier for `name`: its match key with every run of other characters turned into `_`;
/// `estado` when nothing is left, a leading `e_` before a digit, `_estado` after a keyword.
pub fn sanitize_id(name: &str) -> String {
    let mut id = String::new();
    for ch in match_key(name).chars() {
        if ch.is_ascii_alphanumeric() {
            id.push(ch);
        } else if !id.is_empty() && !id.ends_with('_') {
            id.push('_');
        }
    }
    let mut id = id.trim_end_matches('_').to_owned();
    if id.is_empty() {
        id = "estado".to_owned();
    } else if id.starts_with(|c: char| c.is_ascii_digit()) {
        id.insert_str(0, "e_");
    } else if RESERVED.contains(&id.as_str()) {
        id.push_str("_estado");
    }
    id
}

/// Unique identifiers for `names`: a repeated one gets `_2`, `_3`… (skipping taken ones).
pub fn unique_ids<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for name in names {
        let base = sanitize_id(name);
        let mut candidate = base.clone();
        let mut counter = 2;
        while taken.contains(&candidate) {
            candidate = format!("{base}_{counter}");
            counter += 1;
        }
        taken.push(candidate);
    }
    taken
}

/// The label part of one transition.
fn tag(transition: &Transition) -> String {
    if transition.automatic {
        return "cierre automático".to_owned();
    }
    match (&transition.section, transition.implicit) {
        (Some(section), false) => section.clone(),
        (Some(section), true) => format!("{section} (implícita)"),
        (None, _) => "implícita".to_owned(),
    }
}

impl StateGraph {
    /// The graph of a policy's states and transitions.
    pub fn of(policy: &Policy) -> Self {
        let ids = unique_ids(policy.states.iter().map(|s| s.name.as_str()));
        let nodes: Vec<Node> = policy
            .states
            .iter()
            .zip(ids)
            .map(|(state, id)| Node {
                id,
                name: state.name.clone(),
                clock: state.clock,
                initial: state.initial,
                solution: state.solution,
                excluded: state.excluded,
            })
            .collect();
        let index = |name: &str| {
            let key = match_key(name);
            nodes.iter().position(|n| match_key(&n.name) == key)
        };
        let mut edges: Vec<Edge> = Vec::new();
        let mut tags: Vec<Vec<String>> = Vec::new();
        for transition in &policy.transitions {
            let (Some(from), Some(to)) = (index(&transition.from), index(&transition.to)) else {
                continue;
            };
            let tag = tag(transition);
            match edges.iter().position(|e| e.from == from && e.to == to) {
                Some(at) => {
                    let edge = &mut edges[at];
                    edge.implicit &= transition.implicit;
                    edge.automatic &= transition.automatic;
                    if !tags[at].contains(&tag) {
                        tags[at].push(tag);
                    }
                }
                None => {
                    edges.push(Edge {
                        from,
                        to,
                        label: String::new(),
                        implicit: transition.implicit,
                        automatic: transition.automatic,
                    });
                    tags.push(vec![tag]);
                }
            }
        }
        for (edge, tags) in edges.iter_mut().zip(tags) {
            edge.label = tags.join(" / ");
        }
        Self { nodes, edges }
    }

    /// Index of the initial state, if any.
    pub fn initial(&self) -> Option<usize> {
        self.nodes.iter().position(|n| n.initial)
    }
}

/// Builders of graph pieces for the renderers' tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::{Edge, Node};
    use crate::policy::model::Clock;

    /// A state that is neither a solution nor excluded.
    pub(crate) fn node(id: &str, name: &str, clock: Clock, initial: bool) -> Node {
        Node {
            id: id.to_owned(),
            name: name.to_owned(),
            clock,
            initial,
            solution: false,
            excluded: false,
        }
    }

    /// A transition that is not the automatic close.
    pub(crate) fn edge(from: usize, to: usize, label: &str, implicit: bool) -> Edge {
        Edge {
            from,
            to,
            label: label.to_owned(),
            implicit,
            automatic: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_sanitised() {
        assert_eq!(sanitize_id("En proceso"), "en_proceso");
        assert_eq!(sanitize_id("  Solución / entregada  "), "solucion_entregada");
        assert_eq!(sanitize_id("3 días"), "e_3_dias");
        assert_eq!(sanitize_id("¿?"), "estado");
        assert_eq!(sanitize_id("End"), "end_estado");
        assert_eq!(sanitize_id("Año \"nuevo\" <x>"), "ano_nuevo_x");
    }

    #[test]
    fn ids_are_unique_even_when_names_collide() {
        let ids = unique_ids(["En proceso", "En-proceso", "en proceso", "En proceso 2", "¿", "!"]);
        assert_eq!(
            ids,
            [
                "en_proceso",
                "en_proceso_2",
                "en_proceso_3",
                "en_proceso_2_2",
                "estado",
                "estado_2"
            ]
        );
    }
}
