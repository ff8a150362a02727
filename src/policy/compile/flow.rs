//! The flow: `estados { … }`, the `canal` statements, the `transición` statements and the
//! `cierre automático`, then whether every state can be reached and left.

use std::collections::HashSet;

use super::{Names, Sections, missing, positive_u32};
use crate::policy::ast::{self, Item, ProcedureItem, ReasonsDecl, StateFlag};
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::model::{AutoClose, Channel, Clock, Gap, Reasons, State, Transition};
use crate::policy::source::{SourceFile, Span, Spanned};
use crate::text::{match_key, suggest};

/// The compiled flow.
pub(super) struct Flow {
    /// The declared states, without the repeated ones.
    pub(super) states: Vec<State>,
    /// The declared channels.
    pub(super) channels: Vec<Channel>,
    /// The transitions, the automatic close last.
    pub(super) transitions: Vec<Transition>,
    /// The automatic close, when declared and right.
    pub(super) auto_close: Option<AutoClose>,
}

/// Compiles the states (a gap for each `implícita` one), the channels, the transitions and the
/// automatic close; the reachability check runs only when no state or transition was reported,
/// here or before.
pub(super) fn compile(
    sections: &Sections,
    doc: &ast::ProcedureDoc,
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Flow {
    // estados
    let states = match sections.states {
        Some((items, _)) => compile_states(items, out),
        None => {
            out.push(missing(doc.header_span, "estados { … }"));
            Vec::new()
        }
    };
    for item in sections.states.map_or(&[][..], |(items, _)| items.as_slice()) {
        if item.implicit {
            gaps.push(Gap {
                item: format!("estado \"{}\"", item.node.name.value),
                note: item.comment.clone(),
                line: source.position(item.span.start).line,
            });
        }
    }

    // canales
    let mut channel_names = Names::new(Code::DuplicateChannel, "canal");
    let mut channels = Vec::new();
    for (key, label) in &sections.channels {
        channel_names.add(key, out);
        channels.push(Channel {
            key: key.value.clone(),
            label: label.value.clone(),
        });
    }

    // transiciones
    let mut reasons_seen = SeenReasons::default();
    let mut transitions = Vec::new();
    for (decl, item) in &sections.transitions {
        if let Some(transition) = compile_transition(decl, item, &states, &mut reasons_seen, out) {
            transitions.push(transition);
        }
    }
    let mut auto_close = None;
    if let Some((decl, span)) = sections.auto_close
        && let Some((transition, close)) =
            compile_auto_close(decl, span, doc, &states, &mut reasons_seen, out)
    {
        transitions.push(transition);
        auto_close = Some(close);
    }
    let flow_codes = [
        Code::UnknownState,
        Code::DuplicateState,
        Code::InitialState,
        Code::SolutionState,
        Code::StateFlags,
    ];
    let flow_is_clean = !out.iter().any(|d| flow_codes.contains(&d.code));
    if let Some((items, _)) = sections.states.filter(|_| flow_is_clean) {
        check_reachability(items, &states, &transitions, out);
    }

    Flow {
        states,
        channels,
        transitions,
        auto_close,
    }
}

/// The state a transition names (by name or alias, as its declared name); an unknown one is
/// reported when there are states to compare with.
fn resolve(states: &[State], name: &Spanned<String>, out: &mut Vec<Diagnostic>) -> Option<String> {
    let key = match_key(&name.value);
    let found = states
        .iter()
        .find(|s| match_key(&s.name) == key || s.aliases.iter().any(|a| match_key(a) == key));
    if found.is_none() && !states.is_empty() {
        out.push(
            Diagnostic::new(
                Code::UnknownState,
                name.span,
                format!("el estado `{}` no está declarado en `estados`", name.value),
            )
            .with_suggestion(suggest(&name.value, states.iter().map(|s| s.name.as_str()))),
        );
    }
    found.map(|s| s.name.clone())
}

/// The reasons already declared, as `(from, to, reason by match key)`; one declared twice for the
/// same two states is reported.
#[derive(Default)]
struct SeenReasons(HashSet<(String, String, String)>);

impl SeenReasons {
    fn check(&mut self, from: &str, to: &str, reasons: &ReasonsDecl, out: &mut Vec<Diagnostic>) {
        if let ReasonsDecl::List(list) = reasons {
            for reason in list {
                let key = (from.to_string(), to.to_string(), match_key(&reason.value));
                if !self.0.insert(key) {
                    out.push(
                        Diagnostic::new(
                            Code::DuplicateReason,
                            reason.span,
                            format!(
                                "la razón `{}` ya está declarada para `{from}` -> `{to}`",
                                reason.value
                            ),
                        )
                        .with_help("borre la repetida"),
                    );
                }
            }
        }
    }
}

/// One `transición`, when both its states are declared.
fn compile_transition(
    decl: &ast::TransitionDecl,
    item: &Item<ProcedureItem>,
    states: &[State],
    reasons_seen: &mut SeenReasons,
    out: &mut Vec<Diagnostic>,
) -> Option<Transition> {
    let from = resolve(states, &decl.from, out);
    let to = resolve(states, &decl.to, out);
    let (Some(from), Some(to)) = (from, to) else {
        return None;
    };
    reasons_seen.check(&from, &to, &decl.reasons, out);
    Some(Transition {
        from,
        to,
        reasons: reasons_model(&decl.reasons),
        section: decl.section.as_ref().map(|s| s.value.clone()),
        implicit: item.implicit,
        automatic: false,
        note: item.comment.clone(),
    })
}

/// The `cierre automático`, as its transition and its rule, when everything in it is right.
fn compile_auto_close(
    decl: &ast::AutoCloseDecl,
    span: Span,
    doc: &ast::ProcedureDoc,
    states: &[State],
    reasons_seen: &mut SeenReasons,
    out: &mut Vec<Diagnostic>,
) -> Option<(Transition, AutoClose)> {
    let from = resolve(states, &decl.from, out);
    let to = resolve(states, &decl.to, out);
    let days = positive_u32(&decl.days, "el plazo del cierre automático", Code::AutoClose, out);
    let reason = match &decl.reasons {
        ReasonsDecl::List(list) if list.len() == 1 => list.first().map(|r| r.value.clone()),
        _ => {
            out.push(
                Diagnostic::new(
                    Code::AutoClose,
                    decl.reasons_span,
                    "el cierre automático registra exactamente una razón",
                )
                .with_help("escriba `razón \"…\"` con el texto que registra el sistema"),
            );
            None
        }
    };
    if let Some(from_name) = &from
        && states.iter().any(|s| s.solution)
        && !states.iter().any(|s| s.solution && &s.name == from_name)
    {
        out.push(Diagnostic::new(
            Code::AutoClose,
            decl.from.span,
            format!("el cierre automático sale de `{from_name}`, que no es el estado `solución`"),
        ));
    }
    let (Some(from), Some(to), Some(after_days), Some(reason)) = (from, to, days, reason) else {
        return None;
    };
    reasons_seen.check(&from, &to, &decl.reasons, out);
    let item = doc.items.iter().find(|i| i.span == span);
    let transition = Transition {
        from: from.clone(),
        to: to.clone(),
        reasons: Reasons::List(vec![reason.clone()]),
        section: decl.section.as_ref().map(|s| s.value.clone()),
        implicit: item.is_some_and(|i| i.implicit),
        automatic: true,
        note: item.and_then(|i| i.comment.clone()),
    };
    let close = AutoClose {
        from,
        to,
        after_days,
        business_days: decl.business_days,
        reason,
    };
    Some((transition, close))
}

fn reasons_model(reasons: &ReasonsDecl) -> Reasons {
    match reasons {
        ReasonsDecl::Any => Reasons::Any,
        ReasonsDecl::List(list) => Reasons::List(list.iter().map(|r| r.value.clone()).collect()),
    }
}

fn compile_states(items: &[Item<ast::StateDecl>], out: &mut Vec<Diagnostic>) -> Vec<State> {
    let mut names = Names::new(Code::DuplicateState, "estado o alias");
    let mut states = Vec::new();
    for item in items {
        let decl = &item.node;
        let mut unique = names.add(&decl.name, out);
        for alias in &decl.aliases {
            unique &= names.add(alias, out);
        }
        if !unique {
            continue;
        }
        let has = |flag: StateFlag| decl.flags.iter().any(|f| f.value == flag);
        let clocks: Vec<Clock> = decl
            .flags
            .iter()
            .filter_map(|f| match f.value {
                StateFlag::Runs => Some(Clock::Runs),
                StateFlag::Paused => Some(Clock::Paused),
                StateFlag::Final => Some(Clock::Final),
                _ => None,
            })
            .collect();
        let clock = match clocks.as_slice() {
            [one] => *one,
            // The state stays declared (so transitions still resolve); the policy is rejected anyway.
            [] => {
                out.push(
                    Diagnostic::new(
                        Code::StateFlags,
                        decl.name.span,
                        format!("al estado `{}` le falta el modo de reloj", decl.name.value),
                    )
                    .with_help("agregue `corre`, `pausa` o `final`"),
                );
                Clock::Runs
            }
            _ => {
                out.push(
                    Diagnostic::new(
                        Code::StateFlags,
                        decl.name.span,
                        format!("el estado `{}` tiene más de un modo de reloj", decl.name.value),
                    )
                    .with_help("deje solo uno de `corre`, `pausa`, `final`"),
                );
                Clock::Runs
            }
        };
        if has(StateFlag::Initial) && clock == Clock::Final {
            out.push(Diagnostic::new(
                Code::StateFlags,
                decl.name.span,
                format!(
                    "el estado `{}` no puede ser `inicial` y `final` a la vez",
                    decl.name.value
                ),
            ));
        }
        states.push(State {
            name: decl.name.value.clone(),
            aliases: decl.aliases.iter().map(|a| a.value.clone()).collect(),
            clock,
            initial: has(StateFlag::Initial),
            solution: has(StateFlag::Solution),
            excluded: has(StateFlag::Excluded),
        });
    }
    let span = items.first().map_or_else(Span::default, |i| i.span);
    let initial: Vec<&Item<ast::StateDecl>> = items
        .iter()
        .filter(|i| i.node.flags.iter().any(|f| f.value == StateFlag::Initial))
        .collect();
    if initial.len() != 1 {
        let at = initial.get(1).map_or(span, |i| i.node.name.span);
        out.push(Diagnostic::new(
            Code::InitialState,
            at,
            format!(
                "hay {} estados `inicial`; debe haber exactamente uno",
                initial.len()
            ),
        ));
    }
    let solution: Vec<&Item<ast::StateDecl>> = items
        .iter()
        .filter(|i| i.node.flags.iter().any(|f| f.value == StateFlag::Solution))
        .collect();
    if solution.len() != 1 {
        let at = solution.get(1).map_or(span, |i| i.node.name.span);
        out.push(Diagnostic::new(
            Code::SolutionState,
            at,
            format!(
                "hay {} estados `solución`; debe haber exactamente uno",
                solution.len()
            ),
        ));
    }
    states
}

fn check_reachability(
    items: &[Item<ast::StateDecl>],
    states: &[State],
    transitions: &[Transition],
    out: &mut Vec<Diagnostic>,
) {
    for state in states {
        let span = items
            .iter()
            .find(|i| i.node.name.value == state.name)
            .map_or_else(Span::default, |i| i.node.name.span);
        if !state.initial && !transitions.iter().any(|t| t.to == state.name) {
            out.push(Diagnostic::new(Code::Unreachable, span, format!("ninguna transición lleva al estado `{}`", state.name)).with_help("agregue la transición de entrada (márquela `implícita` si el procedimiento no la escribe)"));
        }
        if state.clock != Clock::Final && !transitions.iter().any(|t| t.from == state.name) {
            out.push(
                Diagnostic::new(
                    Code::NoWayOut,
                    span,
                    format!(
                        "ninguna transición sale del estado `{}`, que no es `final`",
                        state.name
                    ),
                )
                .with_help("agregue la transición de salida o marque el estado `final`"),
            );
        }
    }
}
