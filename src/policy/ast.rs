//! The syntax tree of a policy file: what was written, where, and the comment attached to it.
//! Produced by `parse`, consumed by `compile`; no checks happen here.

use chrono::{NaiveDate, NaiveTime, Weekday};

use super::source::{Span, Spanned};
use crate::calendar::{DateRule, DayKind};

/// A parsed file: a procedure version or a calendar.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// `procedimiento …` file.
    Procedure(ProcedureDoc),
    /// `calendario … zona …` file.
    Calendar(CalendarDoc),
}

/// A statement with its span, its `implícita` mark and its attached comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<T> {
    /// The statement's own syntax; `T` is the statement type of the enclosing block.
    pub node: T,
    /// Where the statement is.
    pub span: Span,
    /// Marked `implícita`: not written in the procedure, added by interpretation.
    pub implicit: bool,
    /// The `#` comment above it or at the end of its line.
    pub comment: Option<String>,
}

/// A procedure version file.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcedureDoc {
    /// Code of the procedure (`"M1-3-06"`).
    pub code: Spanned<String>,
    /// The procedure's title as quoted in the header (second string).
    pub name: Spanned<String>,
    /// The `procedimiento "…" "…"` line, for diagnostics that point at the header.
    pub header_span: Span,
    /// Everything after the header, in order.
    pub items: Vec<Item<ProcedureItem>>,
}

/// A top-level statement of a procedure file.
#[derive(Debug, Clone, PartialEq)]
pub enum ProcedureItem {
    /// `versión N vigente desde AAAA-MM-DD`.
    Version {
        /// The number as written; `compile` checks it is positive.
        number: Spanned<i64>,
        /// `None` when the date is missing or not a real day; the span then covers the statement.
        effective_from: Spanned<Option<NaiveDate>>,
    },
    /// `calendario "nombre"`.
    Calendar(Spanned<String>),
    /// `horario lunes a viernes 08:00 a 17:00`.
    Hours {
        /// First working weekday; `None` when missing or not a Spanish weekday name.
        first_day: Spanned<Option<Weekday>>,
        /// Last working weekday, inclusive; `None` as for `first_day`.
        last_day: Spanned<Option<Weekday>>,
        /// Local opening time (`HH:MM`); `None` when missing or invalid.
        opens: Spanned<Option<NaiveTime>>,
        /// Local closing time; `None` when missing or invalid.
        closes: Spanned<Option<NaiveTime>>,
    },
    /// `fuera de horario: siguiente día hábil`.
    AfterHoursNextBusinessDay,
    /// `estados { … }`.
    States(Vec<Item<StateDecl>>),
    /// `canal clave "Nombre"`.
    Channel {
        /// The word other statements use (`canales web, sms`).
        key: Spanned<String>,
        /// The name printed in documents and messages.
        label: Spanned<String>,
    },
    /// `transición "A" -> "B" …`.
    Transition(TransitionDecl),
    /// `cierre automático "A" -> "B" tras N días hábiles razón "…"`.
    AutoClose(AutoCloseDecl),
    /// `categoría "…" { … }`.
    Category {
        /// The category as the cases export spells it.
        name: Spanned<String>,
        /// The block's statements, in written order.
        items: Vec<Item<CategoryItem>>,
    },
    /// `excepciones { … }`.
    Exceptions(Vec<Item<ExceptionItem>>),
    /// `banner { … }`.
    Banner(Vec<Item<BannerItem>>),
    /// `sms { … }`.
    Sms(Vec<Item<SmsItem>>),
    /// `documentos { … }`.
    Documents(Vec<Item<DocumentItem>>),
    /// `muestreo mensual { … }`.
    Sampling(Vec<Item<SamplingItem>>),
    /// `regla "…" error|aviso [sobre sujeto] { … }`.
    Rule(RuleDecl),
    /// `objetivo "…"`: numeral 1 of the procedure's document.
    Objective(Spanned<String>),
    /// `alcance "…"`: numeral 2.
    Scope(Spanned<String>),
    /// `definición "Término" "…"`: one entry of numeral 3.
    Definition {
        /// The defined word, as quoted.
        term: Spanned<String>,
        /// Its definition, quoted from the procedure.
        text: Spanned<String>,
    },
    /// `condición "…"`: a general condition of numeral 4 quoted as text.
    Condition(Spanned<String>),
    /// `responsable "Cargo / Dependencia" [numeral "…"] "…"`: who does what.
    Responsible {
        /// Position or office (`"Cargo / Dependencia"`).
        role: Spanned<String>,
        /// The procedure's numeral it cites, when written.
        section: Option<Spanned<String>>,
        /// What that role does, quoted from the procedure.
        text: Spanned<String>,
    },
    /// A statement that starts with an unknown word.
    Unknown(Spanned<String>),
}

/// One line of `estados { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct StateDecl {
    /// The state as Aranda writes it in the `Estado` column.
    pub name: Spanned<String>,
    /// Flags in written order.
    pub flags: Vec<Spanned<StateFlag>>,
    /// Other spellings accepted in exports (`alias "…"`).
    pub aliases: Vec<Spanned<String>>,
}

/// What a word after a state's name says about it: its clock mode or its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateFlag {
    /// `inicial`.
    Initial,
    /// `corre`.
    Runs,
    /// `pausa`.
    Paused,
    /// `solución`.
    Solution,
    /// `final`.
    Final,
    /// `excluido`.
    Excluded,
}

/// Reasons of a transition.
#[derive(Debug, Clone, PartialEq)]
pub enum ReasonsDecl {
    /// `razón cualquiera` or no clause: any reason is accepted.
    Any,
    /// `razón "…"` / `razones "…", "…"`.
    List(Vec<Spanned<String>>),
}

/// `transición "A" -> "B" [numeral "…"] [razón …]`.
#[derive(Debug, Clone, PartialEq)]
pub struct TransitionDecl {
    /// The origin state's name, as written (resolved against `estados` by `compile`).
    pub from: Spanned<String>,
    /// The destination state's name, as written.
    pub to: Spanned<String>,
    /// Section of the procedure that writes it.
    pub section: Option<Spanned<String>>,
    /// `Any` when there is no `razón` clause.
    pub reasons: ReasonsDecl,
}

/// `cierre automático …`.
#[derive(Debug, Clone, PartialEq)]
pub struct AutoCloseDecl {
    /// The state a case waits in (usually the solution state), as written.
    pub from: Spanned<String>,
    /// The state the close moves it to, as written.
    pub to: Spanned<String>,
    /// Waiting time in `business_days` or calendar days; 0 when the number is missing.
    pub days: Spanned<i64>,
    /// Business days (true) or calendar days.
    pub business_days: bool,
    /// Section of the procedure.
    pub section: Option<Spanned<String>>,
    /// Reason recorded by the automatic close.
    pub reasons: ReasonsDecl,
    /// Span of the reason clause.
    pub reasons_span: Span,
}

/// A statement inside `categoría { … }`.
#[derive(Debug, Clone, PartialEq)]
pub enum CategoryItem {
    /// `descripción "…"`.
    Description(Spanned<String>),
    /// `ans N días hábiles [cuenta el día de recepción]`.
    Ans(AnsDecl),
    /// `canales a, b`.
    Channels(Vec<Spanned<String>>),
    /// `alias "…", "…"`.
    Aliases(Vec<Spanned<String>>),
    /// A statement that starts with an unknown word: the word, for a "¿quiso decir…?" diagnostic.
    Unknown(Spanned<String>),
}

/// `ans N días hábiles [cuenta el día de recepción]`.
#[derive(Debug, Clone, PartialEq)]
pub struct AnsDecl {
    /// The ANS length in business days, as written; `compile` checks it is positive.
    pub days: Spanned<i64>,
    /// The reception day is day 1.
    pub counts_reception_day: bool,
}

/// A statement inside `excepciones { … }`.
#[derive(Debug, Clone, PartialEq)]
pub enum ExceptionItem {
    /// `ans …`.
    Ans(AnsDecl),
    /// `recibidas antes de HH:MM`.
    Cutoff(Spanned<Option<NaiveTime>>),
    /// `tipo "…" [alias …]`.
    Type {
        /// The exception type as the procedure writes it.
        name: Spanned<String>,
        /// Other spellings accepted in the cases export.
        aliases: Vec<Spanned<String>>,
    },
    /// A statement that starts with an unknown word: the word, for a "¿quiso decir…?" diagnostic.
    Unknown(Spanned<String>),
}

/// Units a weight may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SizeUnit {
    /// Plain bytes (`B`, or no unit).
    Bytes,
    /// 1 000 bytes.
    Kb,
    /// 1 024 bytes.
    Kib,
    /// 1 000 000 bytes.
    Mb,
    /// 1 048 576 bytes.
    Mib,
}

/// A statement inside `banner { … }`.
#[derive(Debug, Clone, PartialEq)]
pub enum BannerItem {
    /// `formatos jpg, jpeg`.
    Formats(Vec<Spanned<String>>),
    /// `peso máximo N unidad`.
    Weight {
        /// The number written, in `unit`s.
        amount: Spanned<i64>,
        /// Bytes when no unit is written.
        unit: SizeUnit,
    },
    /// `ubicación "…" [alias …] WxH [máximo N vigentes]`.
    Placement {
        /// The placement as the banner inventory spells it.
        name: Spanned<String>,
        /// Other spellings accepted in the inventory.
        aliases: Vec<Spanned<String>>,
        /// Required image size in pixels, (width, height); 0 for a missing number.
        size: Spanned<(u32, u32)>,
        /// Banners live at once on this placement; `None` means no limit.
        max_active: Option<Spanned<i64>>,
    },
    /// `permanencia máxima N meses`.
    Permanence(Spanned<i64>),
    /// `palabras título N descripción N llamado N`.
    Words(Vec<(Spanned<WordField>, Spanned<i64>)>),
    /// A statement that starts with an unknown word: the word, for a "¿quiso decir…?" diagnostic.
    Unknown(Spanned<String>),
}

/// Banner text fields with word limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WordField {
    /// `título`.
    Title,
    /// `descripción`.
    Description,
    /// `llamado` (the call to action's text).
    CallToAction,
}

/// A statement inside `sms { … }`.
#[derive(Debug, Clone, PartialEq)]
pub enum SmsItem {
    /// `columna rol "Nombre" [alias …]`.
    Column {
        /// What the column holds (`nombre`, `apellido`, `cedula`, `mensaje`).
        role: Spanned<String>,
        /// The header as the procedure writes it.
        name: Spanned<String>,
        /// Other headers accepted in a campaign file.
        aliases: Vec<Spanned<String>>,
    },
    /// `longitud máxima N caracteres`.
    MaxLength(Spanned<i64>),
    /// `sin tildes [permite "…"]`.
    NoAccents {
        /// Characters exempt from the rule (`permite "ñÑ"`), each one allowed on its own.
        allowed: Option<Spanned<String>>,
    },
    /// `cédula de N a M dígitos [sin cero inicial]`.
    IdDigits {
        /// Fewest digits, inclusive; 0 when the number is missing.
        min: Spanned<i64>,
        /// Most digits, inclusive; 0 when the number is missing.
        max: Spanned<i64>,
        /// `sin cero inicial` was written: the first digit may not be 0.
        no_leading_zero: bool,
    },
    /// A statement that starts with an unknown word: the word, for a "¿quiso decir…?" diagnostic.
    Unknown(Spanned<String>),
}

/// A statement inside `documentos { … }`.
#[derive(Debug, Clone, PartialEq)]
pub enum DocumentItem {
    /// `formatos pdf, xlsx`.
    Formats(Vec<Spanned<String>>),
    /// `sin contraseña`.
    NoPassword,
    /// `texto buscable`.
    Searchable,
    /// `sin metadatos [conserva a, b]`.
    NoMetadata {
        /// Metadata entries exempt from the scrub (`título`, `idioma`); empty without `conserva`.
        keep: Vec<Spanned<String>>,
    },
    /// `accesibilidad a, b`.
    Accessibility(Vec<Spanned<String>>),
    /// A statement that starts with an unknown word: the word, for a "¿quiso decir…?" diagnostic.
    Unknown(Spanned<String>),
}

/// A statement inside `muestreo mensual { … }`.
#[derive(Debug, Clone, PartialEq)]
pub enum SamplingItem {
    /// `confianza N %`.
    Confidence(Spanned<f64>),
    /// `error N %`.
    Margin(Spanned<f64>),
    /// `proporción X`.
    Proportion(Spanned<f64>),
    /// `población solucionados en el mes`.
    PopulationSolvedInMonth,
    /// A statement that starts with an unknown word: the word, for a "¿quiso decir…?" diagnostic.
    Unknown(Spanned<String>),
}

/// `regla "…" error|aviso [sobre sujeto] { … }`.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleDecl {
    /// The quoted name; findings and `explain` show it.
    pub name: Spanned<String>,
    /// `error` (true) or `aviso`.
    pub is_error: bool,
    /// `sobre …`, if written.
    pub subject: Option<Spanned<String>>,
    /// Statements of the block.
    pub items: Vec<Item<RuleItem>>,
}

/// A statement inside a `regla` block.
#[derive(Debug, Clone, PartialEq)]
pub enum RuleItem {
    /// `cuando \`…\``: the rhai source, span of the code between the backticks.
    When(Spanned<String>),
    /// `exige \`…\``.
    Require(Spanned<String>),
    /// `mensaje "…"`.
    Message(Spanned<String>),
    /// A statement that starts with an unknown word: the word, for a "¿quiso decir…?" diagnostic.
    Unknown(Spanned<String>),
}

/// A calendar file: `calendario "nombre" zona "America/Bogota"` and its day rules.
#[derive(Debug, Clone, PartialEq)]
pub struct CalendarDoc {
    /// The name procedures refer to (`calendario "colombia"`).
    pub name: Spanned<String>,
    /// IANA time zone name as written (`America/Bogota`), copied to the compiled calendar.
    pub zone: Spanned<String>,
    /// The calendar's UTC offset, in seconds east of Greenwich (Colombia: −18000).
    pub utc_offset_seconds: Spanned<i32>,
    /// `desde` year.
    pub first_year: Option<Spanned<i64>>,
    /// `hasta` year.
    pub last_year: Option<Spanned<i64>>,
    /// The `calendario … zona …` line, for diagnostics that point at the header.
    pub header_span: Span,
    /// Holiday and closure lines, in written order.
    pub items: Vec<Item<CalendarItem>>,
}

/// A statement of a calendar file.
#[derive(Debug, Clone, PartialEq)]
pub enum CalendarItem {
    /// `festivo|cierre "…" fecha [trasladable] [desde A] [hasta A] [norma "…"]`.
    Rule(DayRuleDecl),
    /// A statement that starts with an unknown word: the word, for a "¿quiso decir…?" diagnostic.
    Unknown(Spanned<String>),
}

/// One holiday or closure line.
#[derive(Debug, Clone, PartialEq)]
pub struct DayRuleDecl {
    /// `festivo` or `cierre`.
    pub kind: DayKind,
    /// The day's name (`"Día de la Independencia"`), shown in documents and diffs.
    pub name: Spanned<String>,
    /// Date rule; `None` when the written date is impossible (reported by compile).
    pub date: Spanned<Option<DateRule>>,
    /// `trasladable`.
    pub moved_to_monday: bool,
    /// `desde`.
    pub from_year: Option<Spanned<i64>>,
    /// `hasta`.
    pub until_year: Option<Spanned<i64>>,
    /// `norma "…"`.
    pub legal_basis: Option<Spanned<String>>,
}
