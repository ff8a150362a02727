//! `pauta doc`: a compiled policy rendered back into the procedure's own document, in Spanish and
//! in the order of the ICETEX format — objetivo, alcance, definiciones (the texts the policy
//! quotes), general conditions (ANS table, exceptions, reception hours and business days,
//! publication requirements, the rules by their message), activities with the state flow tables
//! and diagram, monitoring and control, the change control of every version in the policy set,
//! and annexes for the rules' expressions, the service desk's commands and the gaps of the
//! written procedure. Generated from the compiled [`Policy`], so the published document cannot
//! disagree with what the engine enforces; deterministic (no dates of generation), so it can be
//! snapshotted.
//!
//! Flow: [`build::document`] turns the policy into a [`crate::document::Document`] (headings,
//! paragraphs, lists, tables, and the [`graph::StateGraph`] drawn as a figure through [`layout`]
//! and [`svg`], with its [`mermaid`] source for Markdown); the shared writers of
//! [`crate::document`] write it.

pub mod build;
pub mod conditions;
pub mod control;
pub mod desk;
pub mod flow;
pub mod graph;
pub mod history;
pub mod layout;
pub mod mermaid;
pub mod policy_words;
pub mod publication;
pub mod rules;
pub mod svg;
pub mod texts;

pub use crate::document::Document;
pub use build::document;

use crate::document::html;
use crate::document::markdown::{self, Flavour};
use crate::policy::PolicySet;
use crate::policy::model::Policy;

/// Output format of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown with a Mermaid diagram.
    Markdown,
    /// Self-contained HTML with an SVG diagram.
    Html,
}

impl Format {
    /// The format a file extension names (`md`, `markdown`, `html`, `htm`), any case.
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }
}

/// The document of `policy` in `format`; `set` is the policy set it comes from (the calendar
/// the policy names adds its holiday rules, the other versions of its procedure the change
/// control).
pub fn render(policy: &Policy, set: &PolicySet, format: Format) -> String {
    let document = build::document(policy, set);
    match format {
        Format::Markdown => markdown::render(&document, Flavour::Procedure),
        Format::Html => html::render(&document, &html::PROCEDURE),
    }
}
