//! The diff as data: what was compared, every change grouped as a process owner reads the
//! procedure, the effect of calendar changes on business days, and the impact on an export.
//! Everything serialises to the documented JSON of `pauta diff --format json`.

use chrono::NaiveDate;
use serde::Serialize;

use super::impact::Impact;

/// The groups of a diff, in the order they are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Code, name, effective date, calendar used.
    Procedure,
    /// The procedure's texts: objective, scope, definitions, general conditions, responsibilities.
    Texts,
    /// Categories: added, removed, renamed, aliases, description, channels.
    Categories,
    /// ANS days of categories and of exceptions.
    Ans,
    /// Exception types.
    Exceptions,
    /// Reception hours, workdays, after-hours rule, exception cutoff.
    Hours,
    /// States: clock mode, flags, aliases.
    States,
    /// Publication channels.
    Channels,
    /// Transitions and their reasons.
    Transitions,
    /// The automatic close.
    AutoClose,
    /// Banner limits.
    Banner,
    /// SMS limits.
    Sms,
    /// Document rules.
    Documents,
    /// Monthly sampling.
    Sampling,
    /// `regla` blocks.
    Rules,
    /// Holiday and closure rules of the calendar.
    Calendar,
    /// Items marked `implícita`.
    Gaps,
}

impl Group {
    /// Every group, in print order.
    pub const ALL: [Group; 17] = [
        Group::Procedure,
        Group::Texts,
        Group::Categories,
        Group::Ans,
        Group::Exceptions,
        Group::Hours,
        Group::States,
        Group::Channels,
        Group::Transitions,
        Group::AutoClose,
        Group::Banner,
        Group::Sms,
        Group::Documents,
        Group::Sampling,
        Group::Rules,
        Group::Calendar,
        Group::Gaps,
    ];

    /// Spanish heading.
    pub fn heading(self) -> &'static str {
        match self {
            Group::Procedure => "Procedimiento",
            Group::Texts => "Textos del procedimiento",
            Group::Categories => "Categorías",
            Group::Ans => "ANS",
            Group::Exceptions => "Excepciones",
            Group::Hours => "Horario",
            Group::States => "Estados",
            Group::Channels => "Canales",
            Group::Transitions => "Transiciones y razones",
            Group::AutoClose => "Cierre automático",
            Group::Banner => "Banners",
            Group::Sms => "SMS",
            Group::Documents => "Documentos",
            Group::Sampling => "Muestreo",
            Group::Rules => "Reglas",
            Group::Calendar => "Calendario",
            Group::Gaps => "Vacíos del procedimiento (ítems `implícita`)",
        }
    }
}

/// What happened to an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with a different value.
    Changed,
    /// In both under another name (matched through an alias or an identical definition).
    Renamed,
}

/// One change, as data and as the Spanish line `pauta diff` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Group it is printed under.
    pub group: Group,
    /// Added, removed, changed or renamed.
    pub kind: ChangeKind,
    /// Stable machine key of what changed (`category`, `category.ans`, `transition.reason`…).
    pub key: &'static str,
    /// The element in Spanish (`categoría "X"`, `ANS de "X"`).
    pub subject: String,
    /// Old value as shown (changed, renamed).
    pub old: Option<String>,
    /// New value as shown (changed, renamed).
    pub new: Option<String>,
    /// Unit printed after the new value (`días hábiles`).
    pub unit: Option<String>,
    /// Extra detail: the attributes of an added or removed element, why a rename was detected.
    pub detail: Option<String>,
    /// The whole line as `pauta diff` prints it, built from the fields above.
    pub text: String,
}

/// What a diff compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// Two versions of a procedure.
    Procedure,
    /// Two calendar files.
    Calendar,
}

/// One side of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// `CODE@VERSION` for a procedure, the calendar name for a calendar.
    pub id: String,
    /// The file it was read from, when given as a path.
    pub file: Option<String>,
}

impl Side {
    /// `M1-3-06@11` or `M1-3-06@11 (path/v11.pauta)`.
    pub fn label(&self) -> String {
        match &self.file {
            Some(file) => format!("{} ({file})", self.id),
            None => self.id.clone(),
        }
    }
}

/// Whether a date gains or loses its business-day status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DayShift {
    /// A working day that becomes a holiday or closure.
    StopsBeingBusiness,
    /// A holiday or closure that becomes a working day.
    BecomesBusiness,
}

/// A workday whose status changes with the new calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DayEffect {
    /// The workday that changes status.
    pub date: NaiveDate,
    /// Its Spanish weekday name (`lunes`).
    pub weekday: &'static str,
    /// Whether it becomes or stops being a non-business day.
    pub shift: DayShift,
    /// The rules that make it a non-business day (new rules when it stops being one, old ones
    /// when it becomes one).
    pub names: Vec<String>,
}

/// The effect of calendar changes on business days over a bounded range of years.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarEffect {
    /// First year examined, inclusive.
    pub from_year: i32,
    /// Last year examined, inclusive.
    pub to_year: i32,
    /// The workweek the days are counted in (Spanish weekday names).
    pub workdays: Vec<&'static str>,
    /// The workweek as text (`lunes a viernes`).
    pub workweek: String,
    /// Every workday that changes status, by date.
    pub days: Vec<DayEffect>,
}

/// A semantic diff of two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Two procedure versions or two calendars.
    pub subject: Subject,
    /// The version compared from.
    pub old: Side,
    /// The version compared to.
    pub new: Side,
    /// Every change, grouped in [`Group::ALL`] order.
    pub changes: Vec<Change>,
    /// The effect of the calendar changes on business days, when any workday changes.
    pub calendar_effect: Option<CalendarEffect>,
    /// The impact on an export, when one was given.
    pub impact: Option<Impact>,
}

impl Diff {
    /// No change of substance (formatting, comments and order never count).
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }
}
