//! The `caso` object rules read: a shared snapshot of one case and its evaluation, exposed to
//! rhai through getters (a field is only converted when a rule reads it), and the same case
//! read in place by the native fast path.

use std::borrow::Cow;
use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, ImmutableString, Map};

use crate::cases::model::{Case, Evaluation};
use crate::cases::output::timestamp;
use crate::policy::Policy;

use super::fast::{CasoView, ListField, ListFieldRef, TextField, TextFieldRef};

/// One case as rules see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CasoData {
    /// Case id.
    pub id: String,
    /// Category name.
    pub categoria: String,
    /// Current state (cases file).
    pub estado: String,
    /// Exception type or empty.
    pub excepcion: String,
    /// Requesting area or empty.
    pub area: String,
    /// Evidence kinds.
    pub adjuntos: Vec<String>,
    /// Channels of the category.
    pub canales: Vec<String>,
    /// Registration instant, RFC 3339.
    pub registrado: String,
    /// Reception instant, RFC 3339.
    pub recibido: String,
    /// Deadline, RFC 3339 or empty.
    pub plazo: String,
    /// Solution instant, RFC 3339 or empty.
    pub solucionado: String,
    /// Outcome value.
    pub resultado: String,
    /// Business days late.
    pub dias_tarde: i64,
    /// Business seconds paused.
    pub pausado_segundos: i64,
    /// Policy version.
    pub version: i64,
    /// Finding codes so far.
    pub hallazgos: Vec<String>,
    /// Every column of the export: (header, value).
    pub columnas: Vec<(Arc<str>, String)>,
}

/// One evaluated case as the native fast path reads it: borrowed, nothing copied. Reads the
/// same values as the [`CasoData`] snapshot of the same case.
#[derive(Debug, Clone, Copy)]
pub struct CasoRef<'a, 'p> {
    /// The case.
    pub case: &'a Case,
    /// Its evaluation.
    pub evaluation: &'a Evaluation<'p>,
    /// The policy version that judged it.
    pub policy: &'a Policy,
}

impl CasoView for CasoRef<'_, '_> {
    fn text(&self, field: TextFieldRef) -> Cow<'_, str> {
        let (case, evaluation) = (self.case, self.evaluation);
        let offset = evaluation.utc_offset_seconds;
        let stamp = |at: Option<i64>| Cow::Owned(at.map(|at| timestamp(at, offset)).unwrap_or_default());
        match field.0 {
            TextField::Id => Cow::Borrowed(case.id.as_str()),
            TextField::Categoria => Cow::Borrowed(evaluation.category),
            TextField::Estado => {
                Cow::Borrowed(self.policy.states.get(case.state).map_or("", |s| s.name.as_str()))
            }
            TextField::Excepcion => Cow::Borrowed(evaluation.exception.unwrap_or_default()),
            TextField::Area => Cow::Borrowed(case.area.as_deref().unwrap_or_default()),
            TextField::Registrado => stamp(Some(evaluation.registered_at)),
            TextField::Recibido => stamp(Some(evaluation.received_at)),
            TextField::Plazo => stamp(evaluation.deadline),
            TextField::Solucionado => stamp(evaluation.solved_at),
            TextField::Resultado => Cow::Borrowed(evaluation.outcome.label()),
        }
    }

    fn list_contains(&self, field: ListFieldRef, literal: &str) -> bool {
        match field.0 {
            ListField::Adjuntos => self.case.attachments.iter().any(|item| item == literal),
            ListField::Canales => self
                .policy
                .categories
                .get(self.case.category)
                .is_some_and(|category| category.channels.iter().any(|item| item == literal)),
            ListField::Hallazgos => self.evaluation.findings.iter().any(|f| f.code.code() == literal),
        }
    }
}

impl CasoData {
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
            categoria: evaluation.category.to_owned(),
            estado: policy
                .states
                .get(case.state)
                .map_or("", |s| s.name.as_str())
                .to_owned(),
            excepcion: evaluation.exception.unwrap_or_default().to_owned(),
            area: case.area.clone().unwrap_or_default(),
            adjuntos: case.attachments.clone(),
            canales: policy
                .categories
                .get(case.category)
                .map(|category| category.channels.clone())
                .unwrap_or_default(),
            registrado: stamp(Some(evaluation.registered_at)),
            recibido: stamp(Some(evaluation.received_at)),
            plazo: stamp(evaluation.deadline),
            solucionado: stamp(evaluation.solved_at),
            resultado: evaluation.outcome.label().to_owned(),
            dias_tarde: evaluation.days_late,
            pausado_segundos: evaluation.paused_seconds,
            version: i64::from(policy.version),
            hallazgos: evaluation
                .findings
                .iter()
                .map(|f| f.code.code().to_owned())
                .collect(),
            columnas: columns,
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
            "categoria" => format!("\"{}\"", self.categoria),
            "estado" => format!("\"{}\"", self.estado),
            "excepcion" => format!("\"{}\"", self.excepcion),
            "es_excepcion" => (!self.excepcion.is_empty()).to_string(),
            "area" => format!("\"{}\"", self.area),
            "adjuntos" => list(&self.adjuntos),
            "canales" => list(&self.canales),
            "registrado" => format!("\"{}\"", self.registrado),
            "recibido" => format!("\"{}\"", self.recibido),
            "plazo" => format!("\"{}\"", self.plazo),
            "solucionado" => format!("\"{}\"", self.solucionado),
            "resultado" => format!("\"{}\"", self.resultado),
            "dias_tarde" => self.dias_tarde.to_string(),
            "pausado_segundos" => self.pausado_segundos.to_string(),
            "version" => self.version.to_string(),
            "hallazgos" => list(&self.hallazgos),
            "columnas" => format!(
                "#{{{}}}",
                self.columnas
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
pub struct Caso(pub Arc<CasoData>);

fn text_array(items: &[String]) -> Array {
    items
        .iter()
        .map(|item| Dynamic::from(ImmutableString::from(item.as_str())))
        .collect()
}

/// Registers the `caso` type and its getters on `engine`.
pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<Caso>("caso");
    macro_rules! text {
        ($($name:ident),*) => {
            $(engine.register_get(stringify!($name), |c: &mut Caso| -> ImmutableString { c.0.$name.as_str().into() });)*
        };
    }
    text!(
        id,
        categoria,
        estado,
        excepcion,
        area,
        registrado,
        recibido,
        plazo,
        solucionado,
        resultado
    );
    engine.register_get("es_excepcion", |c: &mut Caso| -> bool {
        !c.0.excepcion.is_empty()
    });
    engine.register_get("adjuntos", |c: &mut Caso| -> Array { text_array(&c.0.adjuntos) });
    engine.register_get("canales", |c: &mut Caso| -> Array { text_array(&c.0.canales) });
    engine.register_get("hallazgos", |c: &mut Caso| -> Array {
        text_array(&c.0.hallazgos)
    });
    engine.register_get("dias_tarde", |c: &mut Caso| -> i64 { c.0.dias_tarde });
    engine.register_get("pausado_segundos", |c: &mut Caso| -> i64 { c.0.pausado_segundos });
    engine.register_get("version", |c: &mut Caso| -> i64 { c.0.version });
    engine.register_get("columnas", |c: &mut Caso| -> Map {
        c.0.columnas
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
