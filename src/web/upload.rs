//! Receiving a form with files: each file is streamed to disk, chunk by chunk, inside a fresh
//! private folder of the upload folder, under a name the server chooses (the field's name and
//! the file's extension); the name the browser gave is kept only to be shown.

use std::collections::HashMap;
use std::path::PathBuf;

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use axum::http::StatusCode;
use tokio::io::AsyncWriteExt;

use super::PageError;
use super::state::Workbench;

/// One file received.
#[derive(Debug, Clone)]
pub struct Received {
    /// Where it is stored (inside the private upload folder).
    pub path: PathBuf,
    /// Its name as the browser gave it, for display only (never used as a path).
    pub shown_name: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// A whole form: its files and its text fields, by field name.
#[derive(Debug, Default)]
pub struct Form {
    /// The id of the upload (its folder is `subida-<id>`).
    pub id: u64,
    /// The folder that holds the files.
    pub folder: PathBuf,
    /// Files by field name; a file input left empty is absent.
    pub files: HashMap<String, Received>,
    /// Text fields by name.
    pub fields: HashMap<String, String>,
}

impl Form {
    /// The text field `name`, trimmed, when given and not empty.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .get(name)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
    }
}

/// The largest text field accepted (a policy's text is the largest the pages send).
const MAX_TEXT_FIELD: usize = 4 << 20;

/// Receives `multipart` into a fresh folder; refuses a form over the upload limit, a field name
/// the pages never use, or a text field over 4 MiB.
pub async fn receive(workbench: &Workbench, mut multipart: Multipart) -> Result<Form, PageError> {
    let id = workbench.fresh_id();
    let folder = workbench.upload_folder(id).map_err(|error| unsaved(&error))?;
    let mut form = Form {
        id,
        folder: folder.clone(),
        ..Form::default()
    };
    let limit = workbench.settings.upload_limit;
    let mut total: u64 = 0;
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|error| unreadable(&error, limit))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name.is_empty()
            || name.len() > 40
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
        {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                "W013",
                "el formulario trae un campo que ninguna página envía; recargue la página y vuelva a intentarlo",
            ));
        }
        match field.file_name().map(str::to_owned) {
            Some(shown_name) => {
                let path = folder.join(stored_name(&name, &shown_name));
                let mut file = tokio::fs::File::create(&path)
                    .await
                    .map_err(|error| unsaved(&error))?;
                let mut bytes: u64 = 0;
                while let Some(chunk) = field.chunk().await.map_err(|error| unreadable(&error, limit))? {
                    bytes += chunk.len() as u64;
                    total += chunk.len() as u64;
                    if total > limit {
                        return Err(too_large(limit));
                    }
                    file.write_all(&chunk).await.map_err(|error| unsaved(&error))?;
                }
                file.flush().await.map_err(|error| unsaved(&error))?;
                if shown_name.is_empty() && bytes == 0 {
                    let _ = tokio::fs::remove_file(&path).await;
                    continue;
                }
                form.files.insert(
                    name,
                    Received {
                        path,
                        shown_name: displayable(&shown_name),
                        bytes,
                    },
                );
            }
            None => {
                let mut value = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(|error| unreadable(&error, limit))? {
                    value.extend_from_slice(&chunk);
                    if value.len() > MAX_TEXT_FIELD {
                        return Err(PageError::new(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "W012",
                            "un campo de texto del formulario supera 4 MiB",
                        ));
                    }
                }
                form.fields
                    .insert(name, String::from_utf8_lossy(&value).into_owned());
            }
        }
    }
    Ok(form)
}

/// The name a file is stored under: the field's name and, when it has a short plain one, the
/// extension of the name the browser gave (the checks of documents and banners read it).
fn stored_name(field: &str, shown_name: &str) -> String {
    let extension = std::path::Path::new(shown_name)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| !e.is_empty() && e.len() <= 5 && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .map(str::to_ascii_lowercase);
    match extension {
        Some(extension) => format!("{field}.{extension}"),
        None => field.to_owned(),
    }
}

/// The browser's file name without any folder part and without control characters.
fn displayable(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    last.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// The error for a form over the limit.
pub fn too_large(limit: u64) -> PageError {
    PageError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "W012",
        format!(
            "los archivos superan el límite de subida de {}; súbalos por partes o inicie pauta web con \
             --limite-subida MAYOR (en MB)",
            megabytes(limit)
        ),
    )
}

/// `limit` in whole megabytes, in words.
fn megabytes(limit: u64) -> String {
    format!("{} MB", limit.div_ceil(1_000_000))
}

fn unreadable(error: &MultipartError, limit: u64) -> PageError {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large(limit);
    }
    PageError::new(
        StatusCode::BAD_REQUEST,
        "W013",
        format!("la subida no se pudo leer ({error}); vuelva a intentarlo"),
    )
}

fn unsaved(error: &std::io::Error) -> PageError {
    PageError::new(
        StatusCode::INSUFFICIENT_STORAGE,
        "W013",
        format!(
            "la subida no se pudo guardar: {}; revise el espacio libre de la carpeta temporal",
            crate::text::io_reason(error)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_names_come_from_the_field() {
        assert_eq!(stored_name("casos", "../../etc/passwd"), "casos");
        assert_eq!(stored_name("casos", "Export Junio.CSV"), "casos.csv");
        assert_eq!(stored_name("documento", "archivo.p df"), "documento");
        assert_eq!(displayable("C:\\Users\\ana\\casos.csv"), "casos.csv");
        assert_eq!(displayable("a\u{7}b/c\nd"), "cd");
    }
}
