//! Aranda exports: reading them (mapping, encoding, dates), the typed cases and histories, and
//! their evaluation against the ANS clock with findings and rejected rows.

mod case_order;
mod case_row;
mod case_rules;
pub mod codes;
mod columns;
pub mod context;
pub mod dates;
pub mod error;
pub mod evaluate;
pub mod explain;
pub mod explain_case;
mod hand_out;
mod history;
mod history_stream;
pub mod ids;
mod judge;
pub mod mapping;
mod memory;
pub mod model;
pub mod output;
pub mod output_excel;
mod pipeline;
pub mod row;
pub mod run;
pub mod sink;
pub mod source;
pub mod subject;
mod summary;
mod versions;

pub use codes::{Finding, FindingCode, RejectCode, Rejection};
pub use error::RunError;
pub use mapping::Mapping;
pub use model::{Case, Evaluation, HistoryEvent, Outcome};
pub use run::{HistoryReading, ReadHistory, RunOptions, Summary, run, run_with_history};
