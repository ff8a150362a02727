//! What every stable code is built on: the [`Coded`] trait each stopping error implements. The
//! registry of all codes is [`crate::catalogue`], at the top of the crate, since it lists every
//! module's codes.

/// An error that carries its stable code.
pub trait Coded {
    /// The code, e.g. `E001`.
    fn code(&self) -> &'static str;
}
