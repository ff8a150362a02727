//! `regla` blocks: rhai predicates written in the policy, compiled once in a hard sandbox and
//! run against typed subjects (`caso`, `banner`, `sms`, `documento`).

pub mod assets;
pub mod caso;
pub mod compiled;
pub mod fast;
pub mod fields;
pub mod sandbox;
pub mod vocabulary;
pub mod words;

use rhai::Engine;

pub use compiled::{CompiledRule, RuleProblem, RuleResult, compile_rules, run_rule};

/// The sandboxed engine with every subject type registered.
pub fn engine() -> Engine {
    let mut engine = sandbox::engine();
    caso::register(&mut engine);
    engine
}
