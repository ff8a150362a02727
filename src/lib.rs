//! pauta: ICETEX procedure M1-3-06 as versioned policy files, compiled into a rules engine.

pub mod assets;
pub mod atomic;
pub mod calendar;
pub mod cases;
pub mod codes;
pub mod diff;
pub mod doc;
pub mod excel;
pub mod generate;
pub mod line_ends;
pub mod policy;
pub mod report;
pub mod rules;
pub mod text;
