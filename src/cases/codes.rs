//! Stable codes of what an evaluation reports: findings on evaluated cases (`H…`) and reasons
//! for rejected rows (`I…`), each with its meaning in Spanish. Codes never change meaning.

use serde::Serialize;

crate::codes::catalogue! {
    /// A finding on an evaluated case: the case is judged, but something in its data is wrong.
    #[derive(Serialize)]
    pub enum FindingCode {
        IllegalTransition = "H001", "transición que la política no permite";
        ReasonNotAllowed = "H002", "razón no permitida para la transición";
        BrokenChain = "H003", "cadena rota: el estado anterior de una fila no es el estado en que estaba el caso";
        BadFirstState = "H004", "el historial no empieza en el estado inicial";
        OutOfOrder = "H005", "fechas del historial fuera de orden";
        AutoClosePending = "H006", "cierre automático vencido y no realizado";
        AutoCloseEarly = "H007", "cierre automático antes de tiempo";
        StateMismatch = "H008", "el estado del archivo de casos no coincide con el historial";
        SolutionMismatch = "H009", "la fecha de solución del archivo de casos no coincide con el historial";
        StateWithoutSolution = "H010", "el estado del archivo de casos no concuerda con su fecha de solución";
        RegisteredAfterCut = "H011", "caso registrado después de la fecha de corte";
        EventAfterCut = "H012", "evento posterior a la fecha de corte";
        EventBeforeRegistration = "H013", "evento anterior al registro del caso";
        HistoryRowsRejected = "H014", "filas del historial del caso rechazadas";
        DeadlineBeyondCalendar = "H015", "el plazo cae fuera del calendario";
        RuleFailed = "R001", "regla de la política incumplida (error)";
        RuleWarning = "R002", "regla de la política incumplida (aviso)";
        RuleBroken = "R003", "una regla de la política no se pudo evaluar";
    }
}

crate::codes::catalogue! {
    /// Why an input row was not used (written to the rejected-rows file).
    #[derive(Serialize)]
    pub enum RejectCode {
        UnknownCategory = "I001", "categoría desconocida";
        NoVersionInForce = "I002", "ninguna versión de la política estaba vigente en la fecha de registro";
        BadDate = "I003", "fecha ilegible";
        MissingField = "I004", "falta un dato obligatorio";
        DuplicateCase = "I005", "caso repetido";
        UnknownException = "I006", "tipo de excepción desconocido";
        OrphanHistory = "I007", "historial de un caso que no está en el archivo de casos";
        UnknownState = "I008", "estado desconocido";
        FieldCount = "I009", "número de campos distinto del de los encabezados";
        CaseRejected = "I010", "fila del historial de un caso rechazado";
        OutsideCalendar = "I011", "fecha fuera del rango del calendario";
    }
}

/// A finding on a case, with its detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// `H…` or `I…` code; stable, listed by `pauta codes`.
    pub code: FindingCode,
    /// What exactly, in Spanish (names the history line when there is one).
    pub message: String,
    /// The rule, for `R…` findings.
    pub rule: Option<String>,
}

impl Finding {
    /// A finding with its message.
    pub fn new(code: FindingCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            rule: None,
        }
    }

    /// A finding of rule `rule`.
    pub fn of_rule(code: FindingCode, rule: &str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            rule: Some(rule.to_owned()),
        }
    }

    /// The code as the `findings` column shows it: `H001`, or `R001:<rule>` for rules.
    pub fn label(&self) -> String {
        match &self.rule {
            Some(rule) => format!("{}:{rule}", self.code.code()),
            None => self.code.code().to_owned(),
        }
    }
}

/// Which input file a rejected row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum InputFile {
    /// The cases export (`--cases`).
    Cases,
    /// The state-history export (`--history`).
    History,
}

impl InputFile {
    /// Spanish label.
    pub fn label(self) -> &'static str {
        match self {
            InputFile::Cases => "casos",
            InputFile::History => "historial",
        }
    }
}

/// A row that was not used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    /// Which export the row comes from.
    pub file: InputFile,
    /// Line in that file (1 is the header).
    pub line: u64,
    /// Case id, when the row has one.
    pub case_id: String,
    /// `R…` code; stable, listed by `pauta codes`.
    pub code: RejectCode,
    /// Spanish reason with the text found and how to fix it.
    pub reason: String,
    /// The raw row as read, for the rejected-rows file.
    pub row: String,
}
