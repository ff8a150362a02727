//! The one model of every human-readable document pauta writes — the procedure's document
//! (`pauta doc`) and the monthly report (`pauta report`) — and its two writers: a document is
//! built once as blocks ([`model`]) and written as Markdown ([`markdown`]) or as one
//! self-contained HTML page ([`html`]), with one escaping per format.
//!
//! Bottom of the crate: it knows nothing of policies or reports, so both `doc/` and `report/`
//! build on it. What only one of them draws (the state diagram, the report's charts) comes in as
//! a [`model::Block::Figure`] already drawn, with what Markdown shows instead.

pub mod html;
pub mod markdown;
pub mod model;

pub use model::{Block, Cell, Document, Inline, Table};
