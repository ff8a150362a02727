//! The state diagram as Mermaid `stateDiagram-v2` text, for the Markdown document.

use super::graph::StateGraph;
use crate::policy::model::Clock;

/// A label Mermaid shows verbatim: no characters that end a statement, open a block or start an
/// entity, no quotes, no line breaks.
pub fn label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            ';' | ':' => out.push(','),
            '#' => out.push_str("nº "),
            '"' | '`' => out.push('\''),
            '{' | '[' | '<' => out.push('('),
            '}' | ']' | '>' => out.push(')'),
            '\n' | '\r' | '\t' => out.push(' '),
            _ => out.push(ch),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn class_of(clock: Clock) -> &'static str {
    match clock {
        Clock::Runs => "reloj_corre",
        Clock::Paused => "reloj_pausa",
        Clock::Final => "reloj_final",
    }
}

/// The `stateDiagram-v2` source: one `state "Name" as id` per state, `[*] --> initial`, one
/// arrow per distinct transition pair labelled with its numerals, `final --> [*]`, and a class
/// per clock mode (runs, paused, final).
pub fn render(graph: &StateGraph) -> String {
    let mut out = String::from("stateDiagram-v2\n");
    for node in &graph.nodes {
        out.push_str(&format!("    state \"{}\" as {}\n", label(&node.name), node.id));
    }
    if let Some(initial) = graph.initial() {
        out.push_str(&format!("    [*] --> {}\n", graph.nodes[initial].id));
    }
    for edge in &graph.edges {
        let (Some(from), Some(to)) = (graph.nodes.get(edge.from), graph.nodes.get(edge.to)) else {
            continue;
        };
        out.push_str(&format!(
            "    {} --> {} : {}\n",
            from.id,
            to.id,
            label(&edge.label)
        ));
    }
    for node in graph.nodes.iter().filter(|n| n.clock == Clock::Final) {
        out.push_str(&format!("    {} --> [*]\n", node.id));
    }
    out.push_str("    classDef reloj_corre fill:#e8f5e9,stroke:#2e7d32\n");
    out.push_str("    classDef reloj_pausa fill:#fff8e1,stroke:#f9a825\n");
    out.push_str("    classDef reloj_final fill:#eeeeee,stroke:#616161\n");
    for clock in [Clock::Runs, Clock::Paused, Clock::Final] {
        let ids: Vec<&str> = graph
            .nodes
            .iter()
            .filter(|n| n.clock == clock)
            .map(|n| n.id.as_str())
            .collect();
        if !ids.is_empty() {
            out.push_str(&format!("    class {} {}\n", ids.join(","), class_of(clock)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::graph::test_support::{edge, node};

    #[test]
    fn labels_lose_the_characters_mermaid_would_read() {
        assert_eq!(label("a; b: c #1 \"d\" {e} <f>\nx"), "a, b, c nº 1 'd' (e) (f) x");
    }

    #[test]
    fn diagram_has_start_arrows_finals_and_classes() {
        let graph = StateGraph {
            nodes: vec![
                node("registrado", "Registrado", Clock::Runs, true),
                node("en_espera", "En \"espera\"", Clock::Paused, false),
                node("cerrado", "Cerrado", Clock::Final, false),
            ],
            edges: vec![edge(0, 1, "5.2.6; x", false), edge(1, 2, "implícita", true)],
        };
        let text = render(&graph);
        assert!(text.starts_with("stateDiagram-v2\n"));
        assert!(text.contains("    state \"En 'espera'\" as en_espera\n"));
        assert!(text.contains("    [*] --> registrado\n"));
        assert!(text.contains("    registrado --> en_espera : 5.2.6, x\n"));
        assert!(text.contains("    en_espera --> cerrado : implícita\n"));
        assert!(text.contains("    cerrado --> [*]\n"));
        assert!(text.contains("    class en_espera reloj_pausa\n"));
        assert!(!text.contains("registrado --> [*]"));
    }
}
