//! The `caso` object rules read: a cheap, shared snapshot of one case and its evaluation,
//! exposed to rhai through getters (a field is only converted when a rule reads it).

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, ImmutableString, Map};

use crate::cases::model::{Case, Evaluation};
use crate::cases::output::timestamp;
use crate::policy::Policy;

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

/// Which `caso` fields a snapshot fills: the fast path fills only those its predicates read
/// (texts left empty cost nothing); rhai and `explain` get every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CasoFields(u32);

impl CasoFields {
    /// No field.
    pub const NONE: Self = Self(0);
    /// Every field.
    pub const ALL: Self = Self(u32::MAX);
    /// `id`.
    pub const ID: Self = Self(1);
    /// `categoria`.
    pub const CATEGORIA: Self = Self(1 << 1);
    /// `estado`.
    pub const ESTADO: Self = Self(1 << 2);
    /// `excepcion` (and `es_excepcion`).
    pub const EXCEPCION: Self = Self(1 << 3);
    /// `area`.
    pub const AREA: Self = Self(1 << 4);
    /// `adjuntos`.
    pub const ADJUNTOS: Self = Self(1 << 5);
    /// `canales`.
    pub const CANALES: Self = Self(1 << 6);
    /// `registrado`.
    pub const REGISTRADO: Self = Self(1 << 7);
    /// `recibido`.
    pub const RECIBIDO: Self = Self(1 << 8);
    /// `plazo`.
    pub const PLAZO: Self = Self(1 << 9);
    /// `solucionado`.
    pub const SOLUCIONADO: Self = Self(1 << 10);
    /// `resultado`.
    pub const RESULTADO: Self = Self(1 << 11);
    /// `hallazgos`.
    pub const HALLAZGOS: Self = Self(1 << 12);

    /// Both sets.
    #[must_use]
    pub fn with(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    /// Whether every field of `other` is in the set.
    pub fn has(self, other: Self) -> bool {
        self.0 & other.0 == other.0
    }
}

impl CasoData {
    /// The snapshot of `case` with its `evaluation`, with only `fields` filled (the others empty;
    /// numbers are always filled); `columns` pairs the export's headers with the row's values
    /// (empty when no rule reads `caso.columnas`).
    pub fn with_fields(
        case: &Case,
        evaluation: &Evaluation<'_>,
        policy: &Policy,
        columns: Vec<(Arc<str>, String)>,
        fields: CasoFields,
    ) -> Self {
        let offset = evaluation.utc_offset_seconds;
        let stamp = |field: CasoFields, at: Option<i64>| {
            at.filter(|_| fields.has(field))
                .map(|at| timestamp(at, offset))
                .unwrap_or_default()
        };
        let text = |field: CasoFields, value: &str| {
            if fields.has(field) {
                value.to_owned()
            } else {
                String::new()
            }
        };
        Self {
            id: text(CasoFields::ID, &case.id),
            categoria: text(CasoFields::CATEGORIA, evaluation.category),
            estado: text(
                CasoFields::ESTADO,
                policy.states.get(case.state).map_or("", |s| s.name.as_str()),
            ),
            excepcion: text(CasoFields::EXCEPCION, evaluation.exception.unwrap_or_default()),
            area: text(CasoFields::AREA, case.area.as_deref().unwrap_or_default()),
            adjuntos: if fields.has(CasoFields::ADJUNTOS) {
                case.attachments.clone()
            } else {
                Vec::new()
            },
            canales: policy
                .categories
                .get(case.category)
                .filter(|_| fields.has(CasoFields::CANALES))
                .map(|category| category.channels.clone())
                .unwrap_or_default(),
            registrado: stamp(CasoFields::REGISTRADO, Some(evaluation.registered_at)),
            recibido: stamp(CasoFields::RECIBIDO, Some(evaluation.received_at)),
            plazo: stamp(CasoFields::PLAZO, evaluation.deadline),
            solucionado: stamp(CasoFields::SOLUCIONADO, evaluation.solved_at),
            resultado: text(CasoFields::RESULTADO, evaluation.outcome.value()),
            dias_tarde: evaluation.days_late,
            pausado_segundos: evaluation.paused_seconds,
            version: i64::from(policy.version),
            hallazgos: if fields.has(CasoFields::HALLAZGOS) {
                evaluation
                    .findings
                    .iter()
                    .map(|f| f.code.code().to_owned())
                    .collect()
            } else {
                Vec::new()
            },
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
