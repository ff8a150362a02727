//! `pauta doc`: a compiled policy rendered back into the procedure's own structure, in Spanish —
//! ANS table, exceptions, reception hours and business days, state flow tables and diagram,
//! publication requirements, sampling, rules and the gaps of the written procedure. Generated
//! from the compiled [`Policy`], so the published document cannot disagree with what the engine
//! enforces; deterministic (no dates of generation), so it can be snapshotted.
//!
//! Flow: [`build::document`] turns the policy into a small [`model::Document`] (headings,
//! paragraphs, lists, tables, the [`graph::StateGraph`]); [`markdown`] and [`html`] write it,
//! the diagram through [`mermaid`] or [`layout`] + [`svg`].

pub mod build;
pub mod conditions;
pub mod control;
pub mod flow;
pub mod graph;
pub mod html;
pub mod layout;
pub mod markdown;
pub mod mermaid;
pub mod model;
pub mod publication;
pub mod rules;
pub mod svg;
pub mod wording;

pub use build::document;
pub use model::Document;

use crate::calendar::Calendar;
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

/// The document of `policy` in `format`; `calendar` (the one the policy names) adds its
/// holiday rules.
pub fn render(policy: &Policy, calendar: Option<&Calendar>, format: Format) -> String {
    let document = build::document(policy, calendar);
    match format {
        Format::Markdown => markdown::render(&document),
        Format::Html => html::render(&document),
    }
}
