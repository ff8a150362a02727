//! What a `regla` block is once compiled from a policy file: its severity, the subject it reads
//! and its rhai expressions with their place in the file. The policy model holds these; the
//! rules engine compiles and runs them.

use serde::{Deserialize, Serialize};

/// Severity of a rule's finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSeverity {
    /// `error`.
    Error,
    /// `aviso`.
    Warning,
}

/// What a rule is evaluated against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// A service-desk case (`sobre caso`, or no `sobre`).
    #[serde(rename = "caso")]
    Case,
    /// A banner image with its inventory entry (`sobre banner`).
    Banner,
    /// One row of an SMS campaign file (`sobre sms`).
    Sms,
    /// A document to publish (`sobre documento`).
    #[serde(rename = "documento")]
    Document,
}

/// A `regla` block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// The quoted name; findings and `explain` show it.
    pub name: String,
    /// Error (the subject fails) or warning.
    pub severity: RuleSeverity,
    /// What the rule reads; `caso` when the rule says nothing.
    pub subject: Subject,
    /// `cuando` predicate, if any.
    pub when: Option<Expression>,
    /// `exige` predicate.
    pub require: Expression,
    /// Message when `exige` is false.
    pub message: String,
    /// Line of the rule in the policy file.
    pub line: usize,
}

/// A rhai expression with its position in the policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expression {
    /// The source between the backticks.
    pub source: String,
    /// Line of its first character.
    pub line: usize,
    /// Column of its first character.
    pub column: usize,
}
