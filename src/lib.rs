//! pauta: ICETEX procedure M1-3-06 as versioned policy files, compiled into a rules engine.
//!
//! `src/README.md` maps the modules, the direction their dependencies run and the naming rule.

#![warn(missing_docs)]

pub mod assets;
pub mod atomic;
pub mod calendar;
pub mod cases;
pub mod catalogue;
pub mod codes;
pub mod delimiter;
pub mod diff;
pub mod doc;
pub mod document;
pub mod excel;
pub mod generate;
pub mod line_ends;
pub mod policy;
pub mod report;
pub mod rules;
pub mod text;
pub mod web;
pub mod wording;
