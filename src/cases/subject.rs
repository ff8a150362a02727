//! The `caso` object rules read: a shared snapshot of one case and its evaluation, exposed to
//! rhai through getters (a field is only converted when a rule reads it), and the same case
//! read in place by the native fast path.

use std::borrow::Cow;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, ImmutableString, Map};

use super::model::{Case, Evaluation};
use super::output::timestamp;
use crate::policy::Policy;
use crate::rules::fast::{CaseFields, ListField, ListFieldRef, TextField, TextFieldRef};

/// One case as rules see it: what rhai's `caso` reads, copied out of the case and its
/// evaluation. Each field's rhai name is the Spanish one a policy author types (see
/// [`register`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseSnapshot {
    /// `caso.id`: the id as the export writes it.
    pub id: String,
    /// `caso.categoria`: the category's name as the policy writes it.
    pub category: String,
    /// `caso.estado`: the current state's name in the policy (the cases file's state column).
    pub state: String,
    /// `caso.excepcion`: the exception type, empty when the case is not an exception.
    pub exception: String,
    /// `caso.area`: the requesting area, empty when not given.
    pub area: String,
    /// `caso.adjuntos`: the evidence kinds the case lists.
    pub attachments: Vec<String>,
    /// `caso.canales`: the channel keys of the case's category.
    pub channels: Vec<String>,
    /// `caso.registrado`: registration instant, RFC 3339 with the calendar's offset.
    pub registered: String,
    /// `caso.recibido`: reception instant, RFC 3339.
    pub received: String,
    /// `caso.plazo`: the deadline, RFC 3339, empty when it falls outside the calendar.
    pub deadline: String,
    /// `caso.solucionado`: the solution instant, RFC 3339, empty when unsolved.
    pub solved: String,
    /// `caso.resultado`: the outcome's Spanish label (`cumple`, `incumple`, …).
    pub outcome: String,
    /// `caso.dias_tarde`: business days past the deadline, 0 when on time.
    pub days_late: i64,
    /// `caso.pausado_segundos`: business seconds spent in paused states.
    pub paused_seconds: i64,
    /// `caso.version`: the number of the version that judged the case.
    pub version: i64,
    /// `caso.hallazgos`: the finding codes the evaluation gave, before rules.
    pub findings: Vec<String>,
    /// `caso.columnas`: every column of the export as (header, value); empty unless a rule
    /// reads it.
    pub columns: Vec<(Arc<str>, String)>,
}

/// One evaluated case as the native fast path reads it: borrowed, nothing copied. Reads the
/// same values as the [`CaseSnapshot`] of the same case.
#[derive(Debug, Clone, Copy)]
pub struct CaseInPlace<'a, 'p> {
    /// The case as the export gave it.
    pub case: &'a Case,
    /// What the clock and the history made of it, before rules.
    pub evaluation: &'a Evaluation<'p>,
    /// The policy version that judged it.
    pub policy: &'a Policy,
}

impl CaseFields for CaseInPlace<'_, '_> {
    fn text(&self, field: TextFieldRef) -> Cow<'_, str> {
        let (case, evaluation) = (self.case, self.evaluation);
        let offset = evaluation.utc_offset_seconds;
        let stamp = |at: Option<i64>| Cow::Owned(at.map(|at| timestamp(at, offset)).unwrap_or_default());
        match field.0 {
            TextField::Id => Cow::Borrowed(case.id.as_str()),
            TextField::Category => Cow::Borrowed(evaluation.category),
            TextField::State => {
                Cow::Borrowed(self.policy.states.get(case.state).map_or("", |s| s.name.as_str()))
            }
            TextField::Exception => Cow::Borrowed(evaluation.exception.unwrap_or_default()),
            TextField::Area => Cow::Borrowed(case.area.as_deref().unwrap_or_default()),
            TextField::Registered => stamp(Some(evaluation.registered_at)),
            TextField::Received => stamp(Some(evaluation.received_at)),
            TextField::Deadline => stamp(evaluation.deadline),
            TextField::Solved => stamp(evaluation.solved_at),
            TextField::Outcome => Cow::Borrowed(evaluation.outcome.label()),
        }
    }

    fn list_contains(&self, field: ListFieldRef, literal: &str) -> bool {
        match field.0 {
            ListField::Attachments => self.case.attachments.iter().any(|item| item == literal),
            ListField::Channels => self
                .policy
                .categories
                .get(self.case.category)
                .is_some_and(|category| category.channels.iter().any(|item| item == literal)),
            ListField::Findings => self.evaluation.findings.iter().any(|f| f.code.code() == literal),
        }
    }
}

impl CaseSnapshot {
    /// The snapshot of `case` with its `evaluation`; `columns` pairs the export's headers with
    /// the row's values (empty when no rule reads `caso.columnas`).
    pub fn new(
        case: &Case,
        evaluation: &Evaluation<'_>,
        policy: &Policy,
        columns: Vec<(Arc<str>, String)>,
    ) -> Self {
        let offset = evaluation.utc_offset_seconds;
        let stamp = |at: Option<i64>| at.map(|at| timestamp(at, offset)).unwrap_or_default();
        Self {
            id: case.id.clone(),
            category: evaluation.category.to_owned(),
            state: policy
                .states
                .get(case.state)
                .map_or("", |s| s.name.as_str())
                .to_owned(),
            exception: evaluation.exception.unwrap_or_default().to_owned(),
            area: case.area.clone().unwrap_or_default(),
            attachments: case.attachments.clone(),
            channels: policy
                .categories
                .get(case.category)
                .map(|category| category.channels.clone())
                .unwrap_or_default(),
            registered: stamp(Some(evaluation.registered_at)),
            received: stamp(Some(evaluation.received_at)),
            deadline: stamp(evaluation.deadline),
            solved: stamp(evaluation.solved_at),
            outcome: evaluation.outcome.label().to_owned(),
            days_late: evaluation.days_late,
            paused_seconds: evaluation.paused_seconds,
            version: i64::from(policy.version),
            findings: evaluation
                .findings
                .iter()
                .map(|f| f.code.code().to_owned())
                .collect(),
            columns,
        }
    }

    /// A field's value as text, for `explain` (`None` for an unknown field).
    pub fn field_text(&self, name: &str) -> Option<String> {
        let list = |items: &[String]| {
            format!(
                "[{}]",
                items
                    .iter()
                    .map(|i| format!("\"{i}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        Some(match name {
            "id" => format!("\"{}\"", self.id),
            "categoria" => format!("\"{}\"", self.category),
            "estado" => format!("\"{}\"", self.state),
            "excepcion" => format!("\"{}\"", self.exception),
            "es_excepcion" => (!self.exception.is_empty()).to_string(),
            "area" => format!("\"{}\"", self.area),
            "adjuntos" => list(&self.attachments),
            "canales" => list(&self.channels),
            "registrado" => format!("\"{}\"", self.registered),
            "recibido" => format!("\"{}\"", self.received),
            "plazo" => format!("\"{}\"", self.deadline),
            "solucionado" => format!("\"{}\"", self.solved),
            "resultado" => format!("\"{}\"", self.outcome),
            "dias_tarde" => self.days_late.to_string(),
            "pausado_segundos" => self.paused_seconds.to_string(),
            "version" => self.version.to_string(),
            "hallazgos" => list(&self.findings),
            "columnas" => format!(
                "#{{{}}}",
                self.columns
                    .iter()
                    .map(|(h, v)| format!("\"{h}\": \"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => return None,
        })
    }
}

/// The rhai value of `caso`: shared, so handing it to each rule costs a reference count.
#[derive(Debug, Clone)]
pub struct SharedCase(pub Arc<CaseSnapshot>);

fn text_array(items: &[String]) -> Array {
    items
        .iter()
        .map(|item| Dynamic::from(ImmutableString::from(item.as_str())))
        .collect()
}

/// Registers the `caso` type and its getters, under the names a policy author types, on
/// `engine`.
pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<SharedCase>("caso");
    macro_rules! text {
        ($($name:literal => $field:ident),*) => {
            $(engine.register_get($name, |c: &mut SharedCase| -> ImmutableString { c.0.$field.as_str().into() });)*
        };
    }
    text!(
        "id" => id,
        "categoria" => category,
        "estado" => state,
        "excepcion" => exception,
        "area" => area,
        "registrado" => registered,
        "recibido" => received,
        "plazo" => deadline,
        "solucionado" => solved,
        "resultado" => outcome
    );
    engine.register_get("es_excepcion", |c: &mut SharedCase| -> bool {
        !c.0.exception.is_empty()
    });
    engine.register_get("adjuntos", |c: &mut SharedCase| -> Array {
        text_array(&c.0.attachments)
    });
    engine.register_get("canales", |c: &mut SharedCase| -> Array {
        text_array(&c.0.channels)
    });
    engine.register_get("hallazgos", |c: &mut SharedCase| -> Array {
        text_array(&c.0.findings)
    });
    engine.register_get("dias_tarde", |c: &mut SharedCase| -> i64 { c.0.days_late });
    engine.register_get("pausado_segundos", |c: &mut SharedCase| -> i64 {
        c.0.paused_seconds
    });
    engine.register_get("version", |c: &mut SharedCase| -> i64 { c.0.version });
    engine.register_get("columnas", |c: &mut SharedCase| -> Map {
        c.0.columns
            .iter()
            .map(|(header, value)| {
                (
                    header.as_ref().into(),
                    Dynamic::from(ImmutableString::from(value.as_str())),
                )
            })
            .collect()
    });
}

impl CaseFields for CaseSnapshot {
    fn text(&self, field: TextFieldRef) -> Cow<'_, str> {
        Cow::Borrowed(snapshot_text(self, field.0))
    }

    fn list_contains(&self, field: ListFieldRef, literal: &str) -> bool {
        snapshot_list(self, field.0).iter().any(|item| item == literal)
    }
}

fn snapshot_text(caso: &CaseSnapshot, field: TextField) -> &str {
    match field {
        TextField::Id => &caso.id,
        TextField::Category => &caso.category,
        TextField::State => &caso.state,
        TextField::Exception => &caso.exception,
        TextField::Area => &caso.area,
        TextField::Registered => &caso.registered,
        TextField::Received => &caso.received,
        TextField::Deadline => &caso.deadline,
        TextField::Solved => &caso.solved,
        TextField::Outcome => &caso.outcome,
    }
}

fn snapshot_list(caso: &CaseSnapshot, field: ListField) -> &[String] {
    match field {
        ListField::Attachments => &caso.attachments,
        ListField::Channels => &caso.channels,
        ListField::Findings => &caso.findings,
    }
}

/// The rules sandbox with the `caso` type registered: the engine case rules run in.
pub fn engine() -> Engine {
    let mut engine = crate::rules::engine();
    register(&mut engine);
    engine
}
