//! The state diagram as inline SVG, for the HTML document: one box per state coloured by its
//! clock, one arrow per distinct transition pair with its numerals, dashed when the procedure
//! writes none of its transitions, and a legend. Well-formed XML; no script, no external asset.

use super::graph::{Node, StateGraph};
use super::layout::{LABEL_CHAR, NODE_HEIGHT, Placed, Route, bulge, node_width, place, route, self_loop};
use crate::document::html::escape;
use crate::policy::model::Clock;

const INK: &str = "#424242";
const FONT: &str = "Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif";
/// Space around the drawing.
const MARGIN: f64 = 16.0;

/// Fill and stroke of a clock mode.
fn colours(clock: Clock) -> (&'static str, &'static str) {
    match clock {
        Clock::Runs => ("#e8f5e9", "#2e7d32"),
        Clock::Paused => ("#fff8e1", "#f9a825"),
        Clock::Final => ("#eeeeee", "#616161"),
    }
}

/// The second line of a state box: its clock, and whether it solves or is excluded.
pub fn detail(node: &Node) -> String {
    let mut parts = vec![match node.clock {
        Clock::Runs => "el reloj corre",
        Clock::Paused => "el reloj se detiene",
        Clock::Final => "final",
    }];
    if node.solution {
        parts.push("solución");
    }
    if node.excluded {
        parts.push("excluido");
    }
    parts.join(" · ")
}

/// The smallest box holding every point drawn.
struct Bounds {
    min_x: f64,
    min_y: f64,
    max_x: f64,
    max_y: f64,
}

impl Bounds {
    fn new() -> Self {
        Self {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        }
    }

    fn add(&mut self, x: f64, y: f64) {
        if x.is_finite() && y.is_finite() {
            self.min_x = self.min_x.min(x);
            self.min_y = self.min_y.min(y);
            self.max_x = self.max_x.max(x);
            self.max_y = self.max_y.max(y);
        }
    }

    fn add_box(&mut self, cx: f64, cy: f64, width: f64, height: f64) {
        self.add(cx - width / 2.0, cy - height / 2.0);
        self.add(cx + width / 2.0, cy + height / 2.0);
    }
}

/// Height of an edge label's background.
const LABEL_HEIGHT: f64 = 14.0;

/// The width of an edge label's background.
fn label_width(label: &str) -> f64 {
    label.chars().count() as f64 * LABEL_CHAR + 8.0
}

/// Where along its curve each label goes: the middle if it is free, else the first point (going
/// outwards from the middle) whose label covers no state box and no label already placed.
fn place_labels(graph: &StateGraph, routes: &[Option<Route>], placed: &[Placed]) -> Vec<Option<(f64, f64)>> {
    let overlaps = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
        (a.0 - b.0).abs() * 2.0 < a.2 + b.2 && (a.1 - b.1).abs() * 2.0 < a.3 + b.3
    };
    let mut taken: Vec<(f64, f64, f64, f64)> = placed
        .iter()
        .map(|p| (p.x, p.y, p.width + 4.0, NODE_HEIGHT + 4.0))
        .collect();
    let mut out = Vec::with_capacity(graph.edges.len());
    for (edge, route) in graph.edges.iter().zip(routes) {
        let Some(route) = route else {
            out.push(None);
            continue;
        };
        if edge.label.is_empty() {
            out.push(None);
            continue;
        }
        let width = label_width(&edge.label);
        let middle = route.point_at(0.5);
        let at = [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8]
            .iter()
            .map(|t| route.point_at(*t))
            .find(|(x, y)| !taken.iter().any(|r| overlaps(*r, (*x, *y, width, LABEL_HEIGHT))))
            .unwrap_or(middle);
        taken.push((at.0, at.1, width, LABEL_HEIGHT));
        out.push(Some(at));
    }
    out
}

fn node_svg(out: &mut String, node: &Node, at: &Placed) {
    let (fill, stroke) = colours(node.clock);
    let (x, y) = (at.x - at.width / 2.0, at.y - NODE_HEIGHT / 2.0);
    out.push_str(&format!(
        "<g class=\"estado\" data-estado=\"{}\">\n<title>{}: {}</title>\n",
        escape(&node.id),
        escape(&node.name),
        escape(&detail(node))
    ));
    out.push_str(&format!(
        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{NODE_HEIGHT:.1}\" rx=\"8\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{}\"/>\n",
        at.width,
        if node.solution { "2.5" } else { "1.5" }
    ));
    if node.clock == Clock::Final {
        out.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"1\"/>\n",
            x + 3.0,
            y + 3.0,
            at.width - 6.0,
            NODE_HEIGHT - 6.0
        ));
    }
    out.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"13\" font-weight=\"600\" fill=\"#212121\">{}</text>\n",
        at.x,
        at.y - 2.0,
        escape(&node.name)
    ));
    out.push_str(&format!(
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#616161\">{}</text>\n</g>\n",
        at.x,
        at.y + 13.0,
        escape(&detail(node))
    ));
}

/// The legend under the drawing, starting at `(x, y)`; returns its markup and right end.
fn legend(x: f64, y: f64) -> (String, f64) {
    let mut out = String::from("<g class=\"leyenda\" font-size=\"10\" fill=\"#212121\">\n");
    let mut at = x;
    out.push_str(&format!(
        "<circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{INK}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">estado inicial</text>\n",
        at + 5.0,
        at + 14.0,
        y + 3.5
    ));
    at += 14.0 + label_width("estado inicial") + 10.0;
    for (clock, name) in [
        (Clock::Runs, "el reloj del ANS corre"),
        (Clock::Paused, "el reloj se detiene"),
        (Clock::Final, "estado final"),
    ] {
        let (fill, stroke) = colours(clock);
        out.push_str(&format!(
            "<rect x=\"{at:.1}\" y=\"{:.1}\" width=\"16\" height=\"10\" rx=\"2\" fill=\"{fill}\" stroke=\"{stroke}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">{name}</text>\n",
            y - 5.0,
            at + 20.0,
            y + 3.5
        ));
        at += 20.0 + label_width(name) + 10.0;
    }
    out.push_str(&format!(
        "<line x1=\"{at:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{INK}\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">implícita (ninguna tabla la escribe)</text>\n</g>\n",
        at + 24.0,
        at + 28.0,
        y + 3.5
    ));
    at += 28.0 + label_width("implícita (ninguna tabla la escribe)");
    (out, at)
}

/// The diagram as an `<svg>` element titled `title`.
pub fn render(graph: &StateGraph, title: &str) -> String {
    let drawing = Drawing::lay_out(graph);
    let mut bounds = drawing.bounds();
    let legend_y = bounds.max_y + 26.0;
    let (legend, legend_end) = legend(bounds.min_x, legend_y);
    bounds.add(legend_end, legend_y + 8.0);

    let mut out = svg_start(&bounds, title);
    drawing.write_transitions(&mut out);
    out.push_str("</g>\n<g class=\"estados\">\n");
    for (node, at) in graph.nodes.iter().zip(&drawing.placed) {
        node_svg(&mut out, node, at);
    }
    out.push_str("</g>\n<g class=\"etiquetas\" font-size=\"10\">\n");
    drawing.write_labels(&mut out);
    out.push_str("</g>\n");
    out.push_str(&legend);
    out.push_str("</svg>\n");
    out
}

/// The `<svg>` start tag sized to `bounds` plus the margin, its title, the arrowhead marker and
/// the opening of the transitions group.
fn svg_start(bounds: &Bounds, title: &str) -> String {
    let (x0, y0) = (bounds.min_x - MARGIN, bounds.min_y - MARGIN);
    let width = bounds.max_x - bounds.min_x + 2.0 * MARGIN;
    let height = bounds.max_y - bounds.min_y + 2.0 * MARGIN;
    let mut out = format!(
        "<svg id=\"diagrama-estados\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{x0:.1} {y0:.1} {width:.1} {height:.1}\" width=\"{width:.1}\" height=\"{height:.1}\" role=\"img\" aria-labelledby=\"diagrama-estados-titulo\" font-family=\"{FONT}\">\n<title id=\"diagrama-estados-titulo\">{}</title>\n",
        escape(title)
    );
    out.push_str(&format!(
        "<defs>\n<marker id=\"diagrama-flecha\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">\n<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"{INK}\"/>\n</marker>\n</defs>\n"
    ));
    out.push_str("<g class=\"transiciones\" fill=\"none\">\n");
    out
}

/// Where everything of the diagram sits: the state boxes, the start marker, the arrows and
/// their labels.
struct Drawing<'g> {
    graph: &'g StateGraph,
    placed: Vec<Placed>,
    /// The start dot's centre and the top of the initial state's box it points at.
    start_marker: Option<(f64, f64, f64)>,
    /// Per edge, its arrow (none when a state is missing).
    routes: Vec<Option<Route>>,
    /// Per edge, the centre of its label (none when it has no label).
    labels: Vec<Option<(f64, f64)>>,
}

impl<'g> Drawing<'g> {
    /// Places the boxes, routes one arrow per edge and places the labels clear of them.
    fn lay_out(graph: &'g StateGraph) -> Self {
        let widths: Vec<f64> = graph
            .nodes
            .iter()
            .map(|n| node_width(&n.name, &detail(n)))
            .collect();
        let placed = place(graph, &widths);
        let start_marker = graph
            .initial()
            .and_then(|i| placed.get(i))
            .map(|p| (p.x, p.y - NODE_HEIGHT / 2.0 - 30.0, p.y - NODE_HEIGHT / 2.0));
        let routes: Vec<Option<Route>> = graph
            .edges
            .iter()
            .map(|edge| {
                let a = placed.get(edge.from)?;
                let b = placed.get(edge.to)?;
                if edge.from == edge.to {
                    return Some(self_loop(a));
                }
                let reverse = graph
                    .edges
                    .iter()
                    .any(|other| other.from == edge.to && other.to == edge.from);
                Some(route(a, b, reverse, &placed, bulge(graph, &placed, a.row)))
            })
            .collect();
        let labels = place_labels(graph, &routes, &placed);
        Self {
            graph,
            placed,
            start_marker,
            routes,
            labels,
        }
    }

    /// The smallest box holding the boxes, the start marker, the arrows and the labels (the
    /// origin alone for an empty graph).
    fn bounds(&self) -> Bounds {
        let mut bounds = Bounds::new();
        for p in &self.placed {
            bounds.add_box(p.x, p.y, p.width, NODE_HEIGHT);
        }
        if let Some((x, y, _)) = self.start_marker {
            bounds.add_box(x, y, 14.0, 14.0);
        }
        for route in self.routes.iter().flatten() {
            for (x, y) in &route.hull {
                bounds.add(*x, *y);
            }
        }
        for (edge, at) in self.graph.edges.iter().zip(&self.labels) {
            if let Some((x, y)) = at {
                bounds.add_box(*x, *y, label_width(&edge.label), LABEL_HEIGHT);
            }
        }
        if !bounds.min_x.is_finite() {
            bounds.add(0.0, 0.0);
        }
        bounds
    }

    /// The start marker and one `<path>` per arrow, dashed when implicit, with its tooltip.
    fn write_transitions(&self, out: &mut String) {
        if let Some((x, y, top)) = self.start_marker {
            out.push_str(&format!(
                "<circle class=\"inicio\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"7\" fill=\"{INK}\"/>\n<path class=\"inicio\" d=\"M {x:.1} {:.1} L {x:.1} {top:.1}\" stroke=\"{INK}\" stroke-width=\"1.5\" marker-end=\"url(#diagrama-flecha)\"/>\n",
                y + 7.0
            ));
        }
        let graph = self.graph;
        for (edge, route) in graph.edges.iter().zip(&self.routes) {
            let (Some(route), Some(from), Some(to)) =
                (route, graph.nodes.get(edge.from), graph.nodes.get(edge.to))
            else {
                continue;
            };
            let dash = if edge.implicit {
                " stroke-dasharray=\"6,4\""
            } else {
                ""
            };
            let class = if edge.implicit {
                "transicion implicita"
            } else {
                "transicion"
            };
            out.push_str(&format!(
                "<path class=\"{class}\" data-de=\"{}\" data-a=\"{}\" d=\"{}\" stroke=\"{INK}\" stroke-width=\"1.5\"{dash} marker-end=\"url(#diagrama-flecha)\"><title>{} → {}: {}</title></path>\n",
                escape(&from.id),
                escape(&to.id),
                route.path,
                escape(&from.name),
                escape(&to.name),
                escape(&edge.label)
            ));
        }
    }

    /// Each placed label on a white, slightly transparent plate.
    fn write_labels(&self, out: &mut String) {
        for (edge, at) in self.graph.edges.iter().zip(&self.labels) {
            let Some((x, y)) = *at else { continue };
            let w = label_width(&edge.label);
            out.push_str(&format!(
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"{LABEL_HEIGHT}\" rx=\"3\" fill=\"#ffffff\" fill-opacity=\"0.9\"/>\n<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"#212121\">{}</text>\n",
                x - w / 2.0,
                y - LABEL_HEIGHT / 2.0,
                y + 3.5,
                escape(&edge.label)
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::graph::test_support::{edge, node};

    #[test]
    fn one_box_per_state_and_one_arrow_per_pair_all_escaped() {
        let graph = StateGraph {
            nodes: vec![
                node("a", "A <&> \"b\"", Clock::Runs, true),
                node("b", "B", Clock::Paused, false),
                node("c", "C", Clock::Final, false),
                node("d", "D", Clock::Final, false),
            ],
            edges: vec![
                edge(0, 1, "5.2.4 <x>", false),
                edge(1, 0, "5.2.7", false),
                edge(1, 1, "bucle", false),
                edge(0, 2, "implícita", true),
                edge(2, 0, "", false),
                edge(1, 3, "5.2.6", false),
            ],
        };
        let svg = render(&graph, "Estados de X & Y");
        assert_eq!(svg.matches("<g class=\"estado\"").count(), 4);
        assert_eq!(svg.matches("<path class=\"transicion").count(), 6);
        assert_eq!(svg.matches("class=\"transicion implicita\"").count(), 1);
        assert!(svg.contains("A &lt;&amp;&gt; &quot;b&quot;"));
        assert!(svg.contains("5.2.4 &lt;x&gt;"));
        assert!(svg.contains("Estados de X &amp; Y"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert_eq!(svg.matches("<svg").count(), svg.matches("</svg>").count());
    }

    #[test]
    fn an_empty_graph_still_draws() {
        let svg = render(
            &StateGraph {
                nodes: vec![],
                edges: vec![],
            },
            "vacío",
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}
