//! The monthly ANS control report of section 6 of the procedure (DESIGN.md §5): the month's
//! population of solved cases, a reproducible random sample (SHA-256 order of `<seed>:<case_id>`),
//! compliance with Wilson intervals, the census beside it, and the tables an auditor files, in
//! Markdown, HTML, XLSX, CSV or JSON.
//!
//! Flow: [`assemble::build_report`] evaluates the export with [`crate::cases::run()`] (the code
//! path of `pauta evaluate`), gathers every evaluation into a polars frame
//! ([`population`]), filters the population and overdue cases, ranks and samples
//! ([`sample`]), aggregates ([`tables`]) and returns a [`Report`]; [`render`] writes it: the
//! human-readable formats through one [`document::build`] and the shared writers of
//! [`crate::document`], the machine ones ([`render_csv`], [`render_json`]) and the workbook
//! ([`render_xlsx`]) from the report itself.

pub mod assemble;
pub mod charts;
pub mod defaults;
pub mod document;
pub mod error;
pub mod format;
pub mod inputs;
pub mod model;
pub mod month;
pub mod months;
pub mod population;
pub mod render_csv;
pub mod render_json;
pub mod render_xlsx;
pub mod sample;
pub mod stats;
pub mod tables;

pub use assemble::{ExportNames, ReportRequest, build_report};
pub use error::ReportError;
pub use model::Report;
pub use month::Month;

use crate::document::html;
use crate::document::markdown::{self, Flavour};

/// Output format of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Markdown, for a repository or a wiki.
    Markdown,
    /// Self-contained HTML.
    Html,
    /// XLSX workbook.
    Xlsx,
    /// CSV of the sample.
    Csv,
    /// JSON document.
    Json,
}

impl Format {
    /// The format a file extension names (`md`, `html`/`htm`, `xlsx`, `csv`, `json`).
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "md" | "markdown" => Some(Self::Markdown),
            "html" | "htm" => Some(Self::Html),
            "xlsx" => Some(Self::Xlsx),
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            _ => None,
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Markdown => "md",
            Self::Html => "html",
            Self::Xlsx => "xlsx",
            Self::Csv => "csv",
            Self::Json => "json",
        }
    }
}

/// The report in `format`, as bytes.
pub fn render(report: &Report, format: Format) -> Result<Vec<u8>, ReportError> {
    let internal = |error: String| ReportError::Tables(error);
    Ok(match format {
        Format::Markdown => markdown::render(&document::build(report), Flavour::Report).into_bytes(),
        Format::Html => html::render(&document::build(report), &document::PAGE).into_bytes(),
        Format::Json => render_json::render(report).into_bytes(),
        Format::Csv => render_csv::render(report)
            .map_err(|error| internal(error.to_string()))?
            .into_bytes(),
        Format::Xlsx => render_xlsx::render(report).map_err(internal)?,
    })
}
