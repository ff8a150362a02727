//! `regla` blocks: rhai predicates written in the policy, compiled once in a hard sandbox and
//! run against typed subjects (`caso`, `banner`, `sms`, `documento`).

pub mod compiled;
pub mod fast;
pub mod fields;
pub mod model;
pub mod sandbox;
pub mod vocabulary;
pub mod words;

use rhai::Engine;

pub use compiled::{CompiledRule, RuleProblem, RuleResult, compile_rules, run_rule};

/// The sandboxed engine rules compile and run in; the cases module adds the `caso` type.
pub fn engine() -> Engine {
    sandbox::engine()
}
