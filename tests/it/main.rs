//! The integration tests, as one test binary: polars and the rest are linked once, not once per
//! file. Each module is one concern and runs the real `pauta` binary on real files; `common`
//! holds what they share (the pinned policies, scratch folders, snapshots, hostile inputs).

mod architecture;
mod assets_banner;
mod assets_document;
mod assets_hostile;
mod assets_sms;
mod calendar_properties;
mod calendar_reference;
mod cli;
mod cli_spanish;
mod clock_boundaries;
mod clock_properties;
mod common;
mod diff;
mod doc;
mod editor_grammar;
mod errors;
mod evaluate;
mod excel_outputs;
mod explain_words;
mod fmt;
mod fuzz;
mod generate;
mod guide;
mod history_alongside;
mod new_version;
mod policy_robustness;
mod policy_snapshots;
mod readme;
mod report;
mod rules;
mod rules_fast_path;
mod web;
mod web_browser;
mod web_edit;
mod web_evaluate;
mod web_pieces;
mod web_report;
mod workspace;
