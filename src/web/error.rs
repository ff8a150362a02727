//! The workbench's errors: those that stop `pauta web` from starting ([`WebError`]) and those
//! a request answers with a Spanish page or JSON message ([`PageError`]), each with its code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why the workbench could not start or went down.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// A non-loopback address without an access token.
    #[error(
        "pauta web escucha solo en esta máquina (127.0.0.1) salvo que se indique una clave de acceso: \
         {address} la expondría a la red, y el banco de trabajo maneja datos de ciudadanos (listas SMS \
         con nombres y cédulas). Use --escuchar 127.0.0.1:PUERTO, o agregue --clave CLAVE (al menos 16 \
         caracteres) y comparta el enlace solo con quien deba usarlo"
    )]
    TokenRequired {
        /// The address asked for.
        address: String,
    },
    /// An access token too short to protect anything.
    #[error(
        "la clave de acceso tiene {length} caracteres; use al menos 16 (por ejemplo, una frase sin espacios \
         o una cadena aleatoria)"
    )]
    WeakToken {
        /// How many characters it has.
        length: usize,
    },
    /// The address could not be bound.
    #[error(
        "no se pudo escuchar en {address}: {}; elija otro puerto con --escuchar 127.0.0.1:PUERTO",
        crate::text::io_reason(source)
    )]
    Bind {
        /// The address asked for.
        address: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The private upload folder could not be created.
    #[error(
        "no se pudo crear la carpeta privada de archivos subidos: {}; revise el espacio y los permisos de la carpeta temporal",
        crate::text::io_reason(source)
    )]
    UploadFolder {
        /// What the system said.
        source: std::io::Error,
    },
    /// The asynchronous runtime could not start.
    #[error("no se pudo iniciar el servidor: {}", crate::text::io_reason(source))]
    Runtime {
        /// What the system said.
        source: std::io::Error,
    },
    /// The server stopped on an error.
    #[error("el servidor se detuvo: {}", crate::text::io_reason(source))]
    Serve {
        /// What the system said.
        source: std::io::Error,
    },
}

impl WebError {
    /// Every code of this family with its meaning, for the registry.
    pub const CODES: &'static [(&'static str, &'static str)] = &[
        (
            "W001",
            "pauta web no se expone a la red sin una clave de acceso (--clave).",
        ),
        ("W002", "La clave de acceso es demasiado corta."),
        (
            "W003",
            "El servidor no pudo iniciar (dirección ocupada, carpeta temporal o sistema).",
        ),
    ];
}

impl crate::codes::Coded for WebError {
    fn code(&self) -> &'static str {
        match self {
            WebError::TokenRequired { .. } => "W001",
            WebError::WeakToken { .. } => "W002",
            WebError::Bind { .. }
            | WebError::UploadFolder { .. }
            | WebError::Runtime { .. }
            | WebError::Serve { .. } => "W003",
        }
    }
}

/// A request the workbench refuses or cannot serve: a status, a stable code and a Spanish
/// message that says what happened and how to fix it. Pages show it as HTML; `/api/` routes
/// and requests that ask for JSON get `{"codigo", "mensaje"}`.
#[derive(Debug, Clone)]
pub struct PageError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code (`W…`, or the library's own code of the error behind it).
    pub code: &'static str,
    /// What happened and how to fix it, in Spanish.
    pub message: String,
}

/// The codes of the requests the workbench refuses, with their meaning, for the registry.
pub const REQUEST_CODES: &[(&str, &str)] = &[
    (
        "W010",
        "La petición no viene de una página del banco de trabajo (Origin o Host ajenos).",
    ),
    ("W011", "Falta la clave de acceso, o no es la correcta."),
    ("W012", "El archivo subido supera el límite (--limite-subida)."),
    (
        "W013",
        "La subida no se pudo leer o guardar (formulario incompleto, disco lleno).",
    ),
    ("W014", "No hay nada con ese identificador o esa ruta."),
    (
        "W015",
        "Una ruta de política no es válida: debe ser relativa a la carpeta de políticas, sin `..`.",
    ),
    ("W016", "La operación no se puede hacer en el estado actual."),
    (
        "W017",
        "Un dato del formulario no es válido (una fecha de corte o de vigencia mal escrita).",
    ),
];

impl PageError {
    /// An error with `status`, `code` and `message`.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
        }
    }

    /// Nothing under that id or path (`W014`).
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "W014", message)
    }

    /// A request that does not fit the current state (`W016`).
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "W016", message)
    }

    /// A library error that stopped the work asked for: its own code and message.
    pub fn from_library(error: &(dyn std::error::Error + 'static), code: &'static str) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, error.to_string())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = super::layout::error_page(&self);
        (self.status, page).into_response()
    }
}

/// A [`PageError`] answered as JSON (`{"codigo", "mensaje"}`), for the `/api/` routes the
/// pages call from script.
#[derive(Debug, Clone)]
pub struct ApiError(pub PageError);

impl From<PageError> for ApiError {
    fn from(error: PageError) -> Self {
        Self(error)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "codigo": self.0.code, "mensaje": self.0.message });
        (self.0.status, axum::Json(body)).into_response()
    }
}
