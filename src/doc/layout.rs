//! Where each state of the diagram goes: states in rows by their distance (fewest transitions)
//! from the initial state, each row ordered and placed under its neighbours in the row above, and
//! the route of every edge (straight, bent, or around the side for jumps over a row).

use super::graph::StateGraph;

/// Width of a state box for its texts (an estimate: no font metrics are available offline).
const MIN_WIDTH: f64 = 120.0;
/// Height of a state box (name and clock line).
pub const NODE_HEIGHT: f64 = 44.0;
/// Vertical distance between rows (centre to centre).
const ROW_STEP: f64 = 112.0;
/// Horizontal gap between boxes of a row.
const GAP: f64 = 64.0;
/// Estimated advance of one character of a state name (13 px font).
const NAME_CHAR: f64 = 7.6;
/// Estimated advance of one character of an edge label (10 px font).
pub const LABEL_CHAR: f64 = 5.8;

/// A placed state: centre and size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Centre x.
    pub x: f64,
    /// Centre y.
    pub y: f64,
    /// Width of the state's box, in the SVG's user units.
    pub width: f64,
    /// Row (0 = the initial state's row).
    pub row: usize,
}

/// How an edge is drawn: a quadratic or cubic Bézier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    /// SVG path data.
    pub path: String,
    /// The curve's control polygon (ends and control points); the curve stays within it.
    pub hull: Vec<(f64, f64)>,
}

impl Route {
    /// The point of the curve at `t` (0 = start, 1 = end), by de Casteljau's construction.
    pub fn point_at(&self, t: f64) -> (f64, f64) {
        let mut points = self.hull.clone();
        while points.len() > 1 {
            points = points
                .windows(2)
                .map(|pair| {
                    (
                        pair[0].0 + (pair[1].0 - pair[0].0) * t,
                        pair[0].1 + (pair[1].1 - pair[0].1) * t,
                    )
                })
                .collect();
        }
        points.first().copied().unwrap_or_default()
    }
}

/// Rows by breadth-first distance from the initial state along transitions; states it cannot
/// reach (a policy with errors never gets here, but the drawing must not fail) go one row below.
pub fn rows(graph: &StateGraph) -> Vec<usize> {
    let count = graph.nodes.len();
    let mut row: Vec<Option<usize>> = vec![None; count];
    let mut queue = std::collections::VecDeque::new();
    if let Some(initial) = graph.initial() {
        row[initial] = Some(0);
        queue.push_back(initial);
    }
    while let Some(at) = queue.pop_front() {
        let next = row[at].map_or(0, |r| r + 1);
        for edge in graph.edges.iter().filter(|e| e.from == at) {
            if let Some(slot) = row.get_mut(edge.to)
                && slot.is_none()
            {
                *slot = Some(next);
                queue.push_back(edge.to);
            }
        }
    }
    let below = row.iter().flatten().max().map_or(0, |r| r + 1);
    row.into_iter().map(|r| r.unwrap_or(below)).collect()
}

/// The box width for a state name and its clock line.
pub fn node_width(name: &str, detail: &str) -> f64 {
    let name = name.chars().count() as f64 * NAME_CHAR;
    let detail = detail.chars().count() as f64 * LABEL_CHAR;
    (name.max(detail) + 28.0).max(MIN_WIDTH)
}

/// Places every state. `widths` gives each box's width. Row 0 is centred on x = 0; in each later
/// row a state wants to sit at the mean x of its neighbours in the row above (or, lacking any,
/// in all rows above), the row is ordered by that wish (declaration order on ties), boxes are
/// pushed apart to keep `GAP`, and the row is shifted so that, on average, each state is where
/// it wanted to be.
pub fn place(graph: &StateGraph, widths: &[f64]) -> Vec<Placed> {
    let row = rows(graph);
    let count = graph.nodes.len();
    let mut placed: Vec<Option<Placed>> = vec![None; count];
    let last_row = row.iter().copied().max().unwrap_or(0);
    for current in 0..=last_row {
        let members: Vec<usize> = (0..count).filter(|i| row[*i] == current).collect();
        let mut wishes: Vec<(usize, f64)> = members
            .iter()
            .map(|&i| {
                let above: Vec<Placed> = graph
                    .edges
                    .iter()
                    .filter_map(|e| match (e.from == i, e.to == i) {
                        (true, false) => Some(e.to),
                        (false, true) => Some(e.from),
                        _ => None,
                    })
                    .filter_map(|other| placed[other])
                    .collect();
                let next_row: Vec<f64> = above
                    .iter()
                    .filter(|p| p.row + 1 == current)
                    .map(|p| p.x)
                    .collect();
                let neighbours = if next_row.is_empty() {
                    above.iter().map(|p| p.x).collect()
                } else {
                    next_row
                };
                let wish = if neighbours.is_empty() {
                    0.0
                } else {
                    neighbours.iter().sum::<f64>() / neighbours.len() as f64
                };
                (i, wish)
            })
            .collect();
        wishes.sort_by(|a, b| a.1.total_cmp(&b.1));
        let width = |i: usize| widths.get(i).copied().unwrap_or(MIN_WIDTH);
        let mut xs: Vec<f64> = Vec::with_capacity(wishes.len());
        for (k, &(i, wish)) in wishes.iter().enumerate() {
            let x = match k.checked_sub(1).and_then(|p| xs.get(p).map(|x| (p, *x))) {
                Some((p, previous)) => {
                    let left = wishes[p].0;
                    let gap = gap_between(graph, left, i);
                    wish.max(previous + width(left) / 2.0 + gap + width(i) / 2.0)
                }
                None => wish,
            };
            xs.push(x);
        }
        let drift = if xs.is_empty() {
            0.0
        } else {
            wishes.iter().zip(&xs).map(|((_, wish), x)| x - wish).sum::<f64>() / xs.len() as f64
        };
        for ((i, _), x) in wishes.iter().zip(&xs) {
            placed[*i] = Some(Placed {
                x: x - drift,
                y: current as f64 * ROW_STEP,
                width: width(*i),
                row: current,
            });
        }
    }
    placed
        .into_iter()
        .map(|p| {
            p.unwrap_or(Placed {
                x: 0.0,
                y: 0.0,
                width: MIN_WIDTH,
                row: 0,
            })
        })
        .collect()
}

/// The gap between two neighbouring boxes of a row: wide enough for the label of an arrow
/// between them.
fn gap_between(graph: &StateGraph, a: usize, b: usize) -> f64 {
    graph
        .edges
        .iter()
        .filter(|e| (e.from == a && e.to == b) || (e.from == b && e.to == a))
        .map(|e| e.label.chars().count() as f64 * LABEL_CHAR + 8.0 + 24.0)
        .fold(GAP, f64::max)
}

/// The point where the ray from a box's centre towards `(tx, ty)` leaves the box.
fn border(node: &Placed, tx: f64, ty: f64) -> (f64, f64) {
    let (dx, dy) = (tx - node.x, ty - node.y);
    let half_w = node.width / 2.0;
    let half_h = NODE_HEIGHT / 2.0;
    let scale_x = if dx.abs() > f64::EPSILON {
        half_w / dx.abs()
    } else {
        f64::INFINITY
    };
    let scale_y = if dy.abs() > f64::EPSILON {
        half_h / dy.abs()
    } else {
        f64::INFINITY
    };
    let scale = scale_x.min(scale_y);
    if !scale.is_finite() {
        return (node.x, node.y + half_h);
    }
    (node.x + dx * scale, node.y + dy * scale)
}

/// Which way an arc between two states of one row bulges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulge {
    /// Into the space above the row.
    Up,
    /// Into the space below the row.
    Down,
}

/// The side of `row` crossed by fewer edges (below on ties): where its arcs bulge.
pub fn bulge(graph: &StateGraph, placed: &[Placed], row: usize) -> Bulge {
    let crossing = |upper: usize| {
        graph
            .edges
            .iter()
            .filter_map(|e| Some((placed.get(e.from)?.row, placed.get(e.to)?.row)))
            .filter(|(a, b)| a.min(b) <= &upper && a.max(b) > &upper)
            .count()
    };
    match row.checked_sub(1) {
        Some(above) if crossing(above) < crossing(row) => Bulge::Up,
        _ => Bulge::Down,
    }
}

/// The route of an edge from `a` to `b` among all the boxes `all`. `reverse` says the opposite
/// edge exists too (both are bent, each to its own side); neighbours in a row are joined by a
/// straight arrow (the row leaves room for its label), farther states of a row by an arc that
/// bulges to `bulge`.
pub fn route(a: &Placed, b: &Placed, reverse: bool, all: &[Placed], bulge: Bulge) -> Route {
    let span = a.row.abs_diff(b.row);
    if span >= 2 && !reverse {
        return around(a, b, all);
    }
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let length = (dx * dx + dy * dy).sqrt().max(f64::EPSILON);
    let (nx, ny) = (-dy / length, dx / length);
    let middle = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
    let neighbours = a.row == b.row
        && !all
            .iter()
            .any(|o| o.row == a.row && o.x > a.x.min(b.x) && o.x < a.x.max(b.x));
    let control = if reverse {
        (middle.0 + nx * 34.0, middle.1 + ny * 34.0)
    } else if neighbours {
        middle
    } else if a.row == b.row {
        // The label, at the arc's apex (half the control's offset), clears the boxes.
        let offset = NODE_HEIGHT + 36.0;
        match bulge {
            Bulge::Up => (middle.0, middle.1 - offset),
            Bulge::Down => (middle.0, middle.1 + offset),
        }
    } else if b.row < a.row {
        (middle.0 + nx * 36.0, middle.1 + ny * 36.0)
    } else {
        middle
    };
    let start = border(a, control.0, control.1);
    let end = border(b, control.0, control.1);
    Route {
        path: format!(
            "M {:.1} {:.1} Q {:.1} {:.1} {:.1} {:.1}",
            start.0, start.1, control.0, control.1, end.0, end.1
        ),
        hull: vec![start, control, end],
    }
}

/// How many boxes of `p`'s row lie between it and the left (`left`) or right side.
fn blockers(p: &Placed, all: &[Placed], left: bool) -> usize {
    all.iter()
        .filter(|o| o.row == p.row && if left { o.x < p.x } else { o.x > p.x })
        .count()
}

/// A jump over at least one row: out of the side of `a`, around the outside of the picture, into
/// the same side of `b`; the side with fewer boxes in the way of both ends, else the nearer one.
fn around(a: &Placed, b: &Placed, all: &[Placed]) -> Route {
    let (leftmost, rightmost) = all.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, r), p| {
        (l.min(p.x - p.width / 2.0), r.max(p.x + p.width / 2.0))
    });
    let cost_left = blockers(a, all, true) + blockers(b, all, true);
    let cost_right = blockers(a, all, false) + blockers(b, all, false);
    let left = match cost_left.cmp(&cost_right) {
        std::cmp::Ordering::Less => true,
        std::cmp::Ordering::Greater => false,
        std::cmp::Ordering::Equal => (a.x + b.x) / 2.0 < (leftmost + rightmost) / 2.0,
    };
    let (outside, sign) = if left {
        (leftmost - 36.0, -1.0)
    } else {
        (rightmost + 36.0, 1.0)
    };
    let start = (a.x + sign * a.width / 2.0, a.y);
    let end = (b.x + sign * b.width / 2.0, b.y);
    let c1 = (outside, a.y);
    let c2 = (outside, b.y);
    Route {
        path: format!(
            "M {:.1} {:.1} C {:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
            start.0, start.1, c1.0, c1.1, c2.0, c2.1, end.0, end.1
        ),
        hull: vec![start, c1, c2, end],
    }
}

/// A transition from a state to itself: a loop on the box's right side.
pub fn self_loop(a: &Placed) -> Route {
    let right = a.x + a.width / 2.0;
    let start = (right, a.y - 8.0);
    let end = (right, a.y + 8.0);
    let c1 = (right + 48.0, a.y - 34.0);
    let c2 = (right + 48.0, a.y + 34.0);
    Route {
        path: format!(
            "M {:.1} {:.1} C {:.1} {:.1} {:.1} {:.1} {:.1} {:.1}",
            start.0, start.1, c1.0, c1.1, c2.0, c2.1, end.0, end.1
        ),
        hull: vec![start, c1, c2, end],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::graph::{Edge, Node};
    use crate::policy::model::Clock;

    fn graph(names: &[&str], pairs: &[(usize, usize)]) -> StateGraph {
        StateGraph {
            nodes: names
                .iter()
                .enumerate()
                .map(|(i, name)| Node {
                    id: format!("s{i}"),
                    name: (*name).to_owned(),
                    clock: Clock::Runs,
                    initial: i == 0,
                    solution: false,
                    excluded: false,
                })
                .collect(),
            edges: pairs
                .iter()
                .map(|&(from, to)| Edge {
                    from,
                    to,
                    label: String::new(),
                    implicit: false,
                    automatic: false,
                })
                .collect(),
        }
    }

    #[test]
    fn rows_follow_the_distance_from_the_initial_state() {
        let g = graph(
            &["a", "b", "c", "d", "huérfano"],
            &[(0, 1), (1, 2), (2, 1), (0, 3), (3, 2)],
        );
        assert_eq!(rows(&g), vec![0, 1, 2, 1, 3]);
    }

    #[test]
    fn boxes_of_a_row_never_overlap() {
        let g = graph(&["a", "b", "c", "d"], &[(0, 1), (0, 2), (0, 3)]);
        let widths = vec![120.0, 150.0, 200.0, 120.0];
        let placed = place(&g, &widths);
        let mut row: Vec<&Placed> = placed.iter().filter(|p| p.row == 1).collect();
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
        assert_eq!(row.len(), 3);
        for pair in row.windows(2) {
            assert!(pair[0].x + pair[0].width / 2.0 + GAP <= pair[1].x - pair[1].width / 2.0 + 1e-9);
        }
    }

    #[test]
    fn straight_edges_start_and_end_on_the_box_borders() {
        let a = Placed {
            x: 0.0,
            y: 0.0,
            width: 120.0,
            row: 0,
        };
        let b = Placed {
            x: 0.0,
            y: ROW_STEP,
            width: 120.0,
            row: 1,
        };
        let r = route(&a, &b, false, &[a, b], Bulge::Down);
        assert_eq!(
            r.path,
            format!("M 0.0 22.0 Q 0.0 56.0 0.0 {:.1}", ROW_STEP - 22.0)
        );
        assert_eq!(r.point_at(0.5), (0.0, 56.0));
        assert_eq!(r.point_at(0.0), (0.0, 22.0));
    }

    #[test]
    fn arcs_within_a_row_bulge_where_fewer_edges_cross() {
        // a → b, a → c (row 1), b → c (an arc in row 1), b → d, c → d, b → e (row 2).
        let g = graph(
            &["a", "b", "c", "d", "e"],
            &[(0, 1), (0, 2), (1, 2), (1, 3), (2, 3), (1, 4)],
        );
        let placed = place(&g, &[120.0; 5]);
        assert_eq!(bulge(&g, &placed, 1), Bulge::Up);
        assert_eq!(bulge(&g, &placed, 2), Bulge::Down);
        assert_eq!(bulge(&g, &placed, 0), Bulge::Down);
        // Neighbours: a straight arrow, with room for its label.
        let r = route(&placed[1], &placed[2], false, &placed, Bulge::Up);
        assert_eq!(r.point_at(0.5).1, placed[1].y);
        // Farther apart: an arc over the row.
        let far = Placed {
            x: placed[2].x + 400.0,
            ..placed[2]
        };
        let with_far = [placed[0], placed[1], placed[2], far];
        let r = route(&placed[1], &far, false, &with_far, Bulge::Up);
        let apex = r.point_at(0.5);
        assert!(apex.1 < placed[1].y - NODE_HEIGHT / 2.0, "{apex:?}");
    }

    #[test]
    fn jumps_over_a_row_go_around_the_free_side() {
        let top = Placed {
            x: -100.0,
            y: 0.0,
            width: 120.0,
            row: 0,
        };
        let other_top = Placed {
            x: 100.0,
            y: 0.0,
            width: 120.0,
            row: 0,
        };
        let middle = Placed {
            x: 0.0,
            y: ROW_STEP,
            width: 120.0,
            row: 1,
        };
        let low = Placed {
            x: 100.0,
            y: 2.0 * ROW_STEP,
            width: 120.0,
            row: 2,
        };
        let all = [top, other_top, middle, low];
        // Nothing to the left of `top`; `low` is alone in its row: left is free.
        let r = route(&low, &top, false, &all, Bulge::Down);
        assert!(
            r.path
                .starts_with("M 40.0 224.0 C -196.0 224.0 -196.0 0.0 -160.0 0.0"),
            "{}",
            r.path
        );
    }
}
