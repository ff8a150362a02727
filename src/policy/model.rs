//! The compiled, immutable form of a procedure version: what every later stage reads.

use chrono::{NaiveDate, NaiveTime, Weekday};
use serde::{Deserialize, Serialize};

pub use crate::rules::model::{Expression, Rule, RuleSeverity, Subject};

/// One version of a procedure, compiled from `policies/<code>/v<N>.pauta`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Policy {
    /// Procedure code, e.g. `M1-3-06`.
    pub code: String,
    /// Procedure title, from the header (`procedimiento "M1-3-06" "…"`).
    pub name: String,
    /// Version number from `versión N`; positive, unique per code.
    pub version: u32,
    /// First day the version is in force.
    pub effective_from: NaiveDate,
    /// Name of the calendar used for business days.
    pub calendar: String,
    /// Numeral 1 of the procedure's document, quoted (`objetivo`); `None` when not written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    /// Numeral 2, quoted (`alcance`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Numeral 3: the terms it defines (`definición`), in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub definitions: Vec<Definition>,
    /// Numeral 4: general conditions quoted as text (`condición`), in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Who does what (`responsable`), in declaration order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub responsibilities: Vec<Responsibility>,
    /// Reception hours and the after-hours rule.
    pub hours: BusinessHours,
    /// The case states, in declaration order.
    pub states: Vec<State>,
    /// Publication channels (`canal`).
    pub channels: Vec<Channel>,
    /// Allowed transitions, in declaration order (the automatic close included).
    pub transitions: Vec<Transition>,
    /// The automatic close, if any.
    pub auto_close: Option<AutoClose>,
    /// Request categories with their ANS.
    pub categories: Vec<Category>,
    /// Exception types and their ANS (`excepciones`), if the version has them.
    pub exceptions: Option<ExceptionRegime>,
    /// Limits of the banner check (`banner`); `None`: banners are not checked.
    pub banner: Option<BannerLimits>,
    /// Limits of the SMS list check (`sms`); `None`: SMS lists are not checked.
    pub sms: Option<SmsLimits>,
    /// Rules for documents to publish.
    pub documents: Option<DocumentRules>,
    /// Monthly sampling parameters.
    pub sampling: Option<Sampling>,
    /// `regla` blocks (rhai source kept for the rules engine).
    pub rules: Vec<Rule>,
    /// Every item marked `implícita`: the gaps of the written procedure and how they were filled.
    pub gaps: Vec<Gap>,
}

/// A term of the procedure's definitions (numeral 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Definition {
    /// The term (`ANS`).
    pub term: String,
    /// What it means, as the procedure writes it.
    pub text: String,
}

/// What a role does: an activity of numeral 5, the control of numeral 6, or a general
/// responsibility of numeral 4.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Responsibility {
    /// Cargo / dependencia, as the procedure writes it (`Profesional / Oficina Comercial y de Mercadeo`).
    pub role: String,
    /// Numeral of the procedure that states it (`5.2.1`), if written.
    pub section: Option<String>,
    /// What the role does, as the procedure writes it.
    pub text: String,
}

/// Reception hours: workdays, opening and closing times (closing inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BusinessHours {
    /// Working weekdays (`lunes a viernes`).
    #[serde(with = "weekdays_serde")]
    pub workdays: Vec<Weekday>,
    /// Local opening time; business time starts here on each working day.
    pub opens: NaiveTime,
    /// Closing time (a request at exactly this time is still received that day).
    pub closes: NaiveTime,
    /// What happens to requests outside hours.
    pub after_hours: AfterHours,
}

/// The after-hours rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterHours {
    /// Received the next business day.
    NextBusinessDay,
}

/// Clock mode of a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// Time counts against the ANS.
    Runs,
    /// Time in the state does not count against the ANS (`pausa`).
    Paused,
    /// The case is over (`final`): no time counts any more.
    Final,
}

/// A case state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// Name as Aranda writes it.
    pub name: String,
    /// Other spellings accepted in exports, matched ignoring case, tildes and spaces.
    pub aliases: Vec<String>,
    /// Whether time in the state counts against the ANS.
    pub clock: Clock,
    /// Cases start in this state; exactly one state has it.
    pub initial: bool,
    /// Entering it solves the case.
    pub solution: bool,
    /// Cases in it are excluded from compliance (annulled).
    pub excluded: bool,
}

/// A publication channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Channel {
    /// Key used in categories and rules (`web`).
    pub key: String,
    /// Name shown in documents (`"Portal Web de la Entidad"`).
    pub label: String,
}

/// Which reasons a transition accepts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reasons {
    /// Any reason (implicit transitions whose reason the procedure does not give).
    Any,
    /// Exactly these texts (compared ignoring case, tildes and repeated spaces).
    List(Vec<String>),
}

/// An allowed state change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transition {
    /// From state (canonical name).
    pub from: String,
    /// To state (canonical name).
    pub to: String,
    /// The reasons accepted when recording this change.
    pub reasons: Reasons,
    /// Section of the procedure that writes it.
    pub section: Option<String>,
    /// Not written in the procedure's tables; added by interpretation.
    pub implicit: bool,
    /// Performed by the system (the automatic close).
    pub automatic: bool,
    /// The comment that explains it.
    pub note: Option<String>,
}

/// The automatic close of solved cases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoClose {
    /// The waiting state (canonical name).
    pub from: String,
    /// The state the close moves the case to (canonical name).
    pub to: String,
    /// Days after entering `from`.
    pub after_days: u32,
    /// Business days (true) or calendar days.
    pub business_days: bool,
    /// Reason the close records.
    pub reason: String,
}

/// ANS of a category or of the exception regime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ans {
    /// Maximum solution time in business days; positive.
    pub business_days: u32,
    /// The reception day counts as day 1.
    pub counts_reception_day: bool,
}

/// A request category of the ANS table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    /// Name exactly as the procedure's table writes it.
    pub name: String,
    /// Description from the table.
    pub description: String,
    /// Maximum solution time.
    pub ans: Ans,
    /// Channel keys involved.
    pub channels: Vec<String>,
    /// Other spellings (corrected names, service-desk variants).
    pub aliases: Vec<String>,
}

/// The `excepciones` block: the ANS, cut-off time and types of exceptional requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionRegime {
    /// The ANS every exception type shares.
    pub ans: Ans,
    /// Requests must arrive before this time to be received that day.
    pub received_before: NaiveTime,
    /// The exception types, in declaration order.
    pub types: Vec<ExceptionType>,
}

/// One `tipo` of exception, with the spellings that name it in an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExceptionType {
    /// Name as the procedure writes it.
    pub name: String,
    /// Other spellings accepted in exports.
    pub aliases: Vec<String>,
}

/// The `banner` block: formats, weight, placements, permanence and word limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BannerLimits {
    /// Allowed formats (lowercase).
    pub formats: Vec<String>,
    /// Maximum weight in bytes.
    pub max_bytes: Option<u64>,
    /// The weight as written (`150 KiB`).
    pub max_weight_text: Option<String>,
    /// Placements and their sizes.
    pub placements: Vec<Placement>,
    /// Maximum permanence in months.
    pub max_months: Option<u32>,
    /// Words allowed per banner text field.
    pub words: WordLimits,
}

/// A banner placement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    /// Name as the procedure writes it.
    pub name: String,
    /// Other names (`home`).
    pub aliases: Vec<String>,
    /// Exact width in pixels.
    pub width: u32,
    /// Exact height in pixels.
    pub height: u32,
    /// Maximum banners in force at once, if limited.
    pub max_active: Option<u32>,
}

/// Word limits of banner texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WordLimits {
    /// Maximum words of the title; `None`: unlimited.
    pub title: Option<u32>,
    /// Maximum words of the description; `None`: unlimited.
    pub description: Option<u32>,
    /// Maximum words of the call to action; `None`: unlimited.
    pub call_to_action: Option<u32>,
}

/// SMS campaign limits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsLimits {
    /// Columns a campaign file must have, by role.
    pub columns: Vec<SmsColumn>,
    /// Maximum message length (GSM-7 characters).
    pub max_length: Option<u32>,
    /// Messages may not carry diacritics, except `accents_allowed`.
    pub no_accents: bool,
    /// Characters allowed although they carry a diacritic (`ñÑ`).
    pub accents_allowed: String,
    /// Cédula digits: minimum and maximum.
    pub id_digits: Option<(u32, u32)>,
    /// Cédula may not start with 0.
    pub id_no_leading_zero: bool,
}

/// A required SMS column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsColumn {
    /// Role (`nombre`, `apellido`, `cedula`, `mensaje`).
    pub role: String,
    /// Header as the procedure writes it.
    pub name: String,
    /// Other accepted headers.
    pub aliases: Vec<String>,
}

/// Rules for documents to publish.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRules {
    /// Allowed formats (lowercase).
    pub formats: Vec<String>,
    /// No password or encryption.
    pub no_password: bool,
    /// Text must be extractable.
    pub searchable: bool,
    /// No revealing metadata.
    pub no_metadata: bool,
    /// Metadata kept when scrubbing (`título`, `idioma`).
    pub keep_metadata: Vec<String>,
    /// Accessibility basics reported as warnings.
    pub accessibility: Vec<String>,
}

/// Monthly sampling parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Sampling {
    /// Confidence level, 0–1.
    pub confidence: f64,
    /// Margin of error, 0–1.
    pub margin: f64,
    /// Expected proportion, 0–1.
    pub proportion: f64,
}

/// An `implícita` item: where the written procedure is silent or inconsistent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Gap {
    /// What the item is, in Spanish (`transición "Registrado" -> "En proceso"`).
    pub item: String,
    /// The comment that justifies it.
    pub note: Option<String>,
    /// Line in the policy file.
    pub line: usize,
}

/// Serde for a list of weekdays as Spanish names.
mod weekdays_serde {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    use crate::wording::weekday;

    pub fn serialize<S: Serializer>(days: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
        days.iter().map(|d| weekday(*d)).collect::<Vec<_>>().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Weekday>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|name| {
                crate::policy::parse::weekday_from_spanish(name)
                    .ok_or_else(|| D::Error::custom(format!("día desconocido: {name}")))
            })
            .collect()
    }
}

impl Policy {
    /// The state with this name or alias (ignoring case, tildes and spaces).
    pub fn state(&self, name: &str) -> Option<&State> {
        let key = crate::text::match_key(name);
        self.states.iter().find(|s| {
            crate::text::match_key(&s.name) == key
                || s.aliases.iter().any(|a| crate::text::match_key(a) == key)
        })
    }

    /// The category with this name or alias (ignoring case, tildes and spaces).
    pub fn category(&self, name: &str) -> Option<&Category> {
        let key = crate::text::match_key(name);
        self.categories.iter().find(|c| {
            crate::text::match_key(&c.name) == key
                || c.aliases.iter().any(|a| crate::text::match_key(a) == key)
        })
    }

    /// `CODE@VERSION`, how versions are named on the command line.
    pub fn id(&self) -> String {
        format!("{}@{}", self.code, self.version)
    }
}
