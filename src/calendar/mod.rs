//! Calendars: holiday and closure rules, the days they produce, and business-day arithmetic.

pub mod business;
pub mod clock;
pub mod error;
pub mod holidays;
pub mod model;

pub use business::BusinessDays;
pub use clock::{BusinessClock, LocalSeconds, Reception};
pub use error::CalendarError;
pub use model::{Calendar, DateRule, DayKind, DayRule, Nth, ObservedDay};
