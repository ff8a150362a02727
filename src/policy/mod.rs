//! Policy files: the language (grammar, syntax tree), compilation into a typed `Policy`, and checks.

pub mod ast;
pub mod compile;
pub mod diagnostics;
pub mod embedded;
pub mod format;
pub mod model;
pub mod parse;
pub mod rule_terms;
pub mod set;
pub mod source;
pub mod syntax;
pub mod versioning;
pub mod workspace;

pub use diagnostics::{CATALOGUE, Code, Located, Severity};
pub use model::Policy;
pub use set::{CheckReport, LoadError, PolicySet, check_sources, embedded_sources, read_paths};
pub use source::SourceFile;
