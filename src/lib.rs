//! pauta: ICETEX procedure M1-3-06 as versioned policy files, compiled into a rules engine.

pub mod calendar;
pub mod cases;
pub mod policy;
pub mod report;
pub mod text;
