//! `pauta diff`: a semantic diff of two procedure versions (or two calendars), grouped as a
//! process owner reads the procedure, and the impact of the change on an export before it is
//! adopted.
//!
//! Elements are matched by identity — names ignoring case, tildes and spaces, renames through
//! aliases — never by position, so reordering, reformatting and comments give an empty diff.
//! The flow: [`load`] reads each side, [`policy`] and [`calendar`] compare them into a [`Diff`]
//! ([`compare()`] does both), [`impact`] evaluates an export under both, [`render`] writes the
//! Spanish text (the JSON is the serialised [`Diff`]).

pub mod calendar;
mod compare;
pub mod error;
pub mod impact;
pub mod load;
pub mod model;
pub mod policy;
pub mod render;

pub use error::DiffError;
pub use impact::Impact;
pub use load::{Loader, Version};
pub use model::{Change, ChangeKind, Diff, Group, Side, Subject};

use crate::calendar::model::MONDAY_TO_FRIDAY;

/// Compares two loaded versions: two procedure versions (with the calendars they use, when the
/// two sides carry different ones) or two calendars. The effect of calendar changes on business
/// days is computed over [`calendar::EFFECT_YEARS`].
pub fn compare(old: &Version, new: &Version) -> Result<Diff, DiffError> {
    let mut changes = compare::Changes::default();
    let (subject, sides, calendars, workdays) = match (old, new) {
        (Version::Procedure(a), Version::Procedure(b)) => {
            policy::compare(&a.policy, &b.policy, &mut changes);
            let calendars = match (&a.calendar, &b.calendar) {
                (Some(x), Some(y)) => Some((x, y)),
                _ => None,
            };
            (
                Subject::Procedure,
                (a.side.clone(), b.side.clone()),
                calendars,
                b.policy.hours.workdays.clone(),
            )
        }
        (Version::Calendar(a), Version::Calendar(b)) => (
            Subject::Calendar,
            (a.side.clone(), b.side.clone()),
            Some((&a.calendar, &b.calendar)),
            MONDAY_TO_FRIDAY.to_vec(),
        ),
        _ => {
            return Err(DiffError::KindMismatch {
                old: old.describe(),
                new: new.describe(),
            });
        }
    };
    let mut calendar_effect = None;
    if let Some((x, y)) = calendars {
        let before = changes.len();
        calendar::compare(x, y, &mut changes);
        if changes.len() > before {
            calendar_effect = calendar::effect(x, y, &workdays, calendar::EFFECT_YEARS)?;
        }
    }
    Ok(Diff {
        subject,
        old: sides.0,
        new: sides.1,
        changes: changes.into_sorted(),
        calendar_effect,
        impact: None,
    })
}
