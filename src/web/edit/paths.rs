//! Policy files addressed by their path relative to the policies folder
//! (`?archivo=M1-3-06/v11.pauta`), never by a path from the client: the text is checked word by
//! word, then the file is resolved by canonicalising it and checking that it stays inside the
//! folder — nothing is read or written before both checks pass.

use std::path::{Component, Path, PathBuf};

use axum::http::StatusCode;

use crate::policy::workspace::PolicySource;
use crate::web::PageError;

/// The prefix of the embedded files' names (`policies/M1-3-06/v11.pauta`).
const EMBEDDED_PREFIX: &str = "policies/";

/// A policy file of the workspace.
#[derive(Debug, Clone)]
pub enum Target {
    /// A file under the policies folder.
    Disk {
        /// Its path relative to the policies folder, with `/` (as the address gives it).
        relative: String,
        /// Its canonical path (inside the canonical policies folder).
        path: PathBuf,
        /// Its name among the workspace's sources (as `pauta check` shows it).
        name: String,
    },
    /// One of the policies embedded in pauta: shown, never written.
    Embedded {
        /// Its path relative to the policies folder.
        relative: String,
        /// Its name among the embedded sources.
        name: String,
    },
}

impl Target {
    /// Its path relative to the policies folder.
    pub fn relative(&self) -> &str {
        match self {
            Target::Disk { relative, .. } | Target::Embedded { relative, .. } => relative,
        }
    }

    /// Its name among the workspace's sources.
    pub fn name(&self) -> &str {
        match self {
            Target::Disk { name, .. } | Target::Embedded { name, .. } => name,
        }
    }
}

/// A refused address (`W015`, 400), saying what a valid one looks like.
fn refused(archivo: &str, why: &str) -> PageError {
    PageError::new(
        StatusCode::BAD_REQUEST,
        "W015",
        format!(
            "la ruta «{archivo}» no es válida: {why}. Indique el archivo por su ruta dentro de la \
             carpeta de políticas, como aparece en «Editar una política» (p. ej. M1-3-06/v11.pauta)"
        ),
    )
}

/// Checks the text of an address alone: relative, `/`-separated, plain names, ending in
/// `.pauta`. Returns its components.
pub fn check_text(archivo: &str) -> Result<Vec<&str>, PageError> {
    if archivo.is_empty() {
        return Err(refused(archivo, "está vacía"));
    }
    if archivo.contains(['\\', ':', '%', '\0']) || archivo.chars().any(char::is_control) {
        return Err(refused(
            archivo,
            "lleva una barra invertida, dos puntos, un % o un carácter de control",
        ));
    }
    if archivo.starts_with('/') {
        return Err(refused(archivo, "es una ruta absoluta"));
    }
    let parts: Vec<&str> = archivo.split('/').collect();
    if parts
        .iter()
        .any(|part| part.is_empty() || *part == "." || *part == "..")
    {
        return Err(refused(archivo, "tiene `..`, `.` o partes vacías"));
    }
    if !archivo.to_ascii_lowercase().ends_with(".pauta") {
        return Err(refused(archivo, "no es un archivo .pauta"));
    }
    let plain = Path::new(archivo)
        .components()
        .all(|component| matches!(component, Component::Normal(_)));
    if !plain {
        return Err(refused(archivo, "no es una ruta relativa simple"));
    }
    Ok(parts)
}

/// The folder the addresses are relative to: the policies folder, or the folder of a single
/// policy file given with `--policies`.
pub fn root(path: &Path) -> PathBuf {
    if path.is_file() {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    } else {
        path.to_path_buf()
    }
}

/// Where the file `archivo` is on disk, canonical and checked to stay inside the policies
/// folder, before anything is read; `None` for the embedded policies (no folder).
pub fn locate(source: &PolicySource, archivo: &str) -> Result<Option<PathBuf>, PageError> {
    check_text(archivo)?;
    let Some(folder) = source.path() else {
        return Ok(None);
    };
    let root = root(folder).canonicalize().map_err(|_| missing(archivo))?;
    let path = root.join(archivo).canonicalize().map_err(|_| missing(archivo))?;
    if !path.starts_with(&root) {
        return Err(refused(
            archivo,
            "lleva fuera de la carpeta de políticas (un enlace)",
        ));
    }
    if path.extension().is_none_or(|ext| ext != "pauta") {
        return Err(refused(archivo, "no es un archivo .pauta"));
    }
    Ok(Some(path))
}

/// No such file (`W014`).
fn missing(archivo: &str) -> PageError {
    PageError::not_found(format!(
        "no hay un archivo de política «{archivo}» en la carpeta de políticas; elija uno de la lista de «Editar una política»"
    ))
}

/// The file `archivo` names in the workspace `source`, once [`locate`]d at `located`; `names`
/// are the names of the workspace's sources (as read for `pauta check`): it must be one of them.
pub fn resolve(archivo: &str, located: Option<PathBuf>, names: &[String]) -> Result<Target, PageError> {
    let Some(path) = located else {
        let name = format!("{EMBEDDED_PREFIX}{archivo}");
        return names
            .iter()
            .find(|n| **n == name)
            .map(|name| Target::Embedded {
                relative: archivo.to_owned(),
                name: name.clone(),
            })
            .ok_or_else(|| missing(archivo));
    };
    let name = names
        .iter()
        .find(|name| Path::new(name).canonicalize().is_ok_and(|c| c == path))
        .ok_or_else(|| missing(archivo))?;
    Ok(Target::Disk {
        relative: archivo.to_owned(),
        path,
        name: name.clone(),
    })
}

/// The address of a source `name` of the workspace (relative to the policies folder, with
/// `/`), or `None` when it lies outside the folder (a link leading out).
pub fn relative_of(source: &PolicySource, name: &str) -> Option<String> {
    let Some(folder) = source.path() else {
        return name.strip_prefix(EMBEDDED_PREFIX).map(str::to_owned);
    };
    let root = root(folder).canonicalize().ok()?;
    let path = Path::new(name).canonicalize().ok()?;
    path.strip_prefix(&root).ok()?;
    // The address is the name as found under the folder, not where a link inside it leads.
    let shown = Path::new(name).strip_prefix(self::root(folder)).ok()?;
    let parts: Vec<String> = shown
        .components()
        .map(|c| match c {
            Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_relative_pauta_paths_pass_the_text_check() {
        assert!(check_text("M1-3-06/v11.pauta").is_ok());
        for bad in [
            "",
            "../Cargo.toml",
            "/etc/passwd",
            "..%2F..%2Fetc%2Fpasswd",
            "M1-3-06\\..\\..\\x.pauta",
            "C:\\x.pauta",
            "C:x.pauta",
            "M1-3-06/../../x.pauta",
            "./x.pauta",
            "a//b.pauta",
            "M1-3-06/v11.txt",
            "x.pauta\0",
        ] {
            let refused = check_text(bad).err().map(|e| e.code);
            assert_eq!(refused, Some("W015"), "{bad:?}");
        }
    }
}
