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

/// The procedure's page: `es`, laid out for A4, each heading kept on one page with what it
/// introduces (the `junto` sections the writer opens).
pub const PAGE: html::Page = html::Page {
    language: "es",
    style: STYLE,
};

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; color: #212121; margin: 0; }
main { max-width: 200mm; margin: 0 auto; padding: 8mm 4mm; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 13pt; margin: 18pt 0 6pt; border-bottom: 1px solid #bdbdbd; padding-bottom: 2pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 10pt 0 4pt; break-after: avoid; }
p, li { line-height: 1.45; }
.nota { background: #e3f2fd; border-left: 4pt solid #1565c0; padding: 6pt 9pt; margin: 8pt 0; }
nav ul { columns: 2; font-size: 9.5pt; list-style: none; padding-left: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4pt 0 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #e0e0e0; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eeeeee; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: 8.5pt; background: #f5f5f5; padding: 0 2pt; overflow-wrap: anywhere; }
figure { margin: 6pt 0 10pt; break-inside: avoid; }
section.junto { break-inside: avoid; }
section.junto.largo { break-inside: auto; }
section.junto > h2, section.junto > h3, section.junto > h4, section.junto > p { break-after: avoid; }
section.junto > table, section.junto > figure, section.junto > ul, section.junto > ol { break-before: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #616161; }
@media print { main { padding: 0; } a { color: inherit; text-decoration: none; } }
"#;

/// The document of `policy` in `format`; `set` is the policy set it comes from (the calendar
/// the policy names adds its holiday rules, the other versions of its procedure the change
/// control).
pub fn render(policy: &Policy, set: &PolicySet, format: Format) -> String {
    let document = build::document(policy, set);
    match format {
        Format::Markdown => markdown::render(&document, Flavour::Procedure),
        Format::Html => html::render(&document, &PAGE),
    }
}
