//! Flags shared by the commands that read an Aranda export (`evaluate`, `explain`).

use std::path::PathBuf;

use pauta::cases::dates::DateReader;
use pauta::cases::run::MISSING_HISTORY_WARNING;
use pauta::cases::{HistoryReading, Mapping, RunOptions};
use pauta::policy::PolicySet;
use pauta::policy::workspace::Workspace;

/// Where the export is and how to read it.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// Archivo de casos exportado de Aranda (CSV).
    #[arg(long, value_name = "ARCHIVO")]
    pub cases: PathBuf,
    /// Archivo de historial de estados (CSV), opcional.
    #[arg(long, value_name = "ARCHIVO")]
    pub history: Option<PathBuf>,
    /// Carpeta de políticas (por defecto, la del espacio de trabajo: pauta.toml o policies/;
    /// si no hay, las incluidas en el programa).
    #[arg(long, value_name = "RUTA")]
    pub policies: Option<PathBuf>,
    /// Archivo de asignación (encabezados, fechas, codificación); vea `pauta mapping`.
    #[arg(long, value_name = "ARCHIVO")]
    pub mapping: Option<PathBuf>,
    /// Fecha de corte, hora de Bogotá ('AAAA-MM-DD HH:MM:SS'); por defecto, ahora.
    #[arg(long, value_name = "FECHA")]
    pub as_of: Option<String>,
    /// Política: `CÓDIGO` elige el procedimiento si las políticas cargadas tienen varios;
    /// `CÓDIGO@VERSIÓN` juzga además todos los casos con esa versión, sin importar su fecha de
    /// registro (para comparar versiones sobre una exportación). Por defecto, cada caso con la
    /// versión vigente en su fecha de registro.
    #[arg(long, value_name = "CÓDIGO@VERSIÓN")]
    pub policy: Option<String>,
    /// Forma anterior de --policy CÓDIGO.
    #[arg(long, value_name = "CÓDIGO", hide = true, conflicts_with = "policy")]
    pub procedure: Option<String>,
    /// Forma anterior de --policy CÓDIGO@N.
    #[arg(long, value_name = "N", hide = true, conflicts_with = "policy")]
    pub pin_version: Option<u32>,
    /// Lee el historial junto a los casos, por tandas, sin cargarlo entero: para exportaciones
    /// más grandes que la memoria. Los dos archivos deben seguir el mismo orden por número de
    /// caso (pauta lo comprueba antes). Sin esta opción, pauta lo hace solo cuando el historial
    /// no cabría en la memoria disponible.
    #[arg(long, alias = "bounded-memory")]
    pub memoria_acotada: bool,
}

/// Everything a run needs, loaded from the flags.
pub struct Loaded {
    /// The policies.
    pub set: PolicySet,
    /// The mapping.
    pub mapping: Mapping,
    /// Run options.
    pub options: RunOptions,
    /// The mapping file in use (`--mapping`, or the workspace's), if any.
    pub mapping_file: Option<PathBuf>,
    /// The policies folder in use, when not the embedded policies.
    pub policies_path: Option<PathBuf>,
}

impl ExportArgs {
    /// Loads policies and mapping (the workspace's, unless given) and resolves the as-of instant.
    pub fn load(&self) -> anyhow::Result<Loaded> {
        self.load_in(super::workspace(self.policies.as_ref())?)
    }

    /// [`ExportArgs::load`] in a workspace already found (and said).
    pub fn load_in(&self, workspace: Workspace) -> anyhow::Result<Loaded> {
        if self.history.is_none() {
            super::paint::eprint(&format!("aviso: {MISSING_HISTORY_WARNING}\n"));
        }
        // Every input is opened before any output is touched: a mistyped path stops the run here.
        for path in std::iter::once(&self.cases).chain(self.history.as_ref()) {
            std::fs::File::open(path).map_err(|error| pauta::cases::RunError::Unreadable {
                path: path.display().to_string(),
                reason: pauta::text::io_reason(&error),
            })?;
        }
        let set = workspace.policies.load()?;
        let mapping_file = self.mapping.clone().or(workspace.mapping.clone());
        let mapping = match &mapping_file {
            Some(path) => Mapping::from_file(path)?,
            None => Mapping::embedded()?,
        };
        let as_of = match &self.as_of {
            Some(text) => DateReader::new(&mapping.date_formats)
                .parse(text)
                .ok_or_else(|| {
                    super::fail(
                        "U014",
                        format!(
                            "--as-of «{text}» no es una fecha y hora; use 'AAAA-MM-DD HH:MM:SS' (hora de Bogotá)"
                        ),
                    )
                })?,
            None => set.local_now(),
        };
        let (procedure, pinned_version) = self.chosen_policy()?;
        Ok(Loaded {
            options: RunOptions {
                cases: self.cases.clone(),
                history: self.history.clone(),
                as_of,
                procedure,
                trace_case: None,
                pinned_version,
                history_reading: if self.memoria_acotada {
                    HistoryReading::Alongside
                } else {
                    HistoryReading::Automatic
                },
            },
            set,
            mapping,
            mapping_file,
            policies_path: workspace.policies.path().map(std::path::Path::to_path_buf),
        })
    }
}

impl ExportArgs {
    /// The procedure and the pinned version `--policy` (or the older flags) chose.
    fn chosen_policy(&self) -> anyhow::Result<(Option<String>, Option<u32>)> {
        let Some(policy) = &self.policy else {
            return Ok((self.procedure.clone(), self.pin_version));
        };
        match policy.split_once('@') {
            None => Ok((Some(policy.clone()), None)),
            Some((code, version)) => {
                let version = version.trim().parse::<u32>().map_err(|_| {
                    super::fail(
                        "U001",
                        format!(
                            "--policy «{policy}»: la versión «{version}» no es un número; escriba, por ejemplo, M1-3-06@11"
                        ),
                    )
                })?;
                Ok((Some(code.trim().to_owned()), Some(version)))
            }
        }
    }
}
