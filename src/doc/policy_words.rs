//! The procedure's own values in words for the document: an ANS as its table writes it, and
//! what a state does to the ANS clock. The general Spanish forms are in [`crate::wording`].

use crate::policy::model::{Ans, Clock};
use crate::wording::days;

/// An ANS as the procedure's table writes it, noting when the reception day counts.
pub fn ans(ans: &Ans) -> String {
    let base = days(ans.business_days, true);
    if ans.counts_reception_day {
        format!("{base} (cuenta el día de recepción)")
    } else {
        base
    }
}

/// The effect of a state on the ANS clock.
pub fn clock(clock: Clock) -> &'static str {
    match clock {
        Clock::Runs => "corre",
        Clock::Paused => "se detiene (pausa)",
        Clock::Final => "termina (estado final)",
    }
}
