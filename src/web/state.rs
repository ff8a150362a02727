//! What the workbench holds while it runs: its settings, the workspace it serves, the private
//! folder of uploads, and the exports evaluated in this run.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::policy::workspace::Workspace;

use super::WebError;

/// How `pauta web` was started.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Where to listen (`127.0.0.1:8080` by default; port 0 picks a free one).
    pub listen: SocketAddr,
    /// The access token, required when `listen` is not a loopback address.
    pub token: Option<String>,
    /// The largest upload accepted, in bytes (one request: all its files together).
    pub upload_limit: u64,
    /// The workspace: the policies and mapping the command line would use here.
    pub workspace: Workspace,
}

/// The shortest access token accepted.
pub const MIN_TOKEN_LENGTH: usize = 16;

impl Settings {
    /// Refuses a non-loopback address without a token, or with a token too short to protect it.
    pub fn check_exposure(&self) -> Result<(), WebError> {
        match &self.token {
            None if !self.listen.ip().is_loopback() => Err(WebError::TokenRequired {
                address: self.listen.to_string(),
            }),
            Some(token) if token.chars().count() < MIN_TOKEN_LENGTH => Err(WebError::WeakToken {
                length: token.chars().count(),
            }),
            _ => Ok(()),
        }
    }
}

/// The running workbench, shared by every request.
pub struct Workbench {
    /// How it was started.
    pub settings: Settings,
    /// The address actually bound (the port chosen when port 0 was asked).
    pub bound: SocketAddr,
    /// The private folder of this run's uploads, `pauta-web-<process id>-…` in the system's
    /// temporary folder (mode 0700 on Unix), removed at exit.
    uploads: tempfile::TempDir,
    /// The next id handed out for an upload or a job.
    next_id: AtomicU64,
    /// The exports uploaded in this run, the last 20 kept.
    pub exports: Recent<Export>,
    /// The pieces reviewed in this run (banners, SMS lists, documents), the last 20 kept.
    pub pieces: Recent<super::pieces::Piece>,
    /// The months and monthly reports built in this run, the last few kept.
    pub reports: super::report::ReportCache,
    /// The evaluations of the exports uploaded to «Evaluar una exportación», the last 20 kept.
    pub evaluations: Recent<super::evaluate::Job>,
}

impl Workbench {
    /// The workbench for `settings`, bound at `bound`, with a fresh private upload folder (the
    /// folders of earlier workbenches that did not stop cleanly are removed first).
    pub fn new(settings: Settings, bound: SocketAddr) -> Result<Self, WebError> {
        super::leftovers::remove_abandoned(&std::env::temp_dir());
        let uploads = tempfile::Builder::new()
            .prefix(&format!("pauta-web-{}-", std::process::id()))
            .tempdir()
            .map_err(|source| WebError::UploadFolder { source })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(uploads.path(), std::fs::Permissions::from_mode(0o700))
                .map_err(|source| WebError::UploadFolder { source })?;
        }
        Ok(Self {
            settings,
            bound,
            uploads,
            next_id: AtomicU64::new(1),
            exports: Recent::new(20),
            pieces: Recent::new(20),
            reports: super::report::ReportCache::default(),
            evaluations: Recent::new(20),
        })
    }

    /// The address to open in the browser: the bound address (as `localhost`'s numeric form on
    /// loopback), with `?clave=` when a token protects it.
    pub fn entry_url(&self) -> String {
        let base = format!("http://{}/", self.bound);
        match &self.settings.token {
            Some(token) => format!("{base}?clave={}", super::guard::query_escape(token)),
            None => base,
        }
    }

    /// A fresh id for an upload or a job; never reused in this run.
    pub fn fresh_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    /// A new private folder for one upload, named after `id` inside the upload folder.
    pub fn upload_folder(&self, id: u64) -> std::io::Result<PathBuf> {
        let folder = self.uploads.path().join(format!("subida-{id}"));
        std::fs::create_dir(&folder)?;
        Ok(folder)
    }

    /// The private upload folder.
    pub fn uploads_path(&self) -> &Path {
        self.uploads.path()
    }

    /// Removes every upload (called when the server stops, whatever still holds the state).
    pub fn remove_uploads(&self) {
        let _ = std::fs::remove_dir_all(self.uploads.path());
    }
}

/// Keeps the last few items of a kind (exports evaluated, reports) in the order they came,
/// dropping the oldest beyond `capacity`.
pub struct Recent<T> {
    items: Mutex<Vec<(u64, std::sync::Arc<T>)>>,
    capacity: usize,
}

impl<T> Recent<T> {
    /// An empty list that keeps at most `capacity` items.
    pub fn new(capacity: usize) -> Self {
        Self {
            items: Mutex::new(Vec::new()),
            capacity,
        }
    }

    /// Adds `item` under `id`; returns what was dropped to make room (its files can go).
    pub fn push(&self, id: u64, item: std::sync::Arc<T>) -> Vec<std::sync::Arc<T>> {
        let mut items = self
            .items
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        items.push((id, item));
        let excess = items.len().saturating_sub(self.capacity);
        items.drain(..excess).map(|(_, item)| item).collect()
    }

    /// The item under `id`, if still kept.
    pub fn get(&self, id: u64) -> Option<std::sync::Arc<T>> {
        let items = self
            .items
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        items
            .iter()
            .find(|(key, _)| *key == id)
            .map(|(_, item)| item.clone())
    }

    /// Every item kept, newest first.
    pub fn newest_first(&self) -> Vec<(u64, std::sync::Arc<T>)> {
        let items = self
            .items
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        items.iter().rev().cloned().collect()
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;

    fn settings(listen: [u8; 4], token: Option<&str>) -> Settings {
        Settings {
            listen: SocketAddr::from((listen, 8080)),
            token: token.map(str::to_owned),
            upload_limit: 1 << 20,
            workspace: Workspace {
                policies: crate::policy::workspace::PolicySource::Embedded,
                mapping: None,
            },
        }
    }

    #[test]
    fn loopback_needs_no_token_and_the_network_needs_a_long_one() {
        assert!(settings([127, 0, 0, 1], None).check_exposure().is_ok());
        assert!(matches!(
            settings([0, 0, 0, 0], None).check_exposure(),
            Err(WebError::TokenRequired { .. })
        ));
        assert!(matches!(
            settings([192, 168, 1, 10], Some("corta")).check_exposure(),
            Err(WebError::WeakToken { length: 5 })
        ));
        assert!(
            settings([0, 0, 0, 0], Some("una-clave-bastante-larga"))
                .check_exposure()
                .is_ok()
        );
    }

    #[test]
    fn recent_keeps_the_newest() {
        let recent = Recent::new(2);
        assert!(recent.push(1, std::sync::Arc::new("a")).is_empty());
        recent.push(2, std::sync::Arc::new("b"));
        let dropped = recent.push(3, std::sync::Arc::new("c"));
        assert_eq!(dropped.len(), 1);
        assert!(recent.get(1).is_none());
        let ids: Vec<u64> = recent.newest_first().iter().map(|(id, _)| *id).collect();
        assert_eq!(ids, [3, 2]);
    }
}

/// An export uploaded in this run (its cases file and, when given, its history), kept so that
/// every page can use it again: the evaluation page adds it, the report and the policy editor's
/// impact offer it.
#[derive(Debug, Clone)]
pub struct Export {
    /// Its id (also its upload's id).
    pub id: u64,
    /// The cases file.
    pub cases: super::upload::Received,
    /// The history file, when one was given.
    pub history: Option<super::upload::Received>,
    /// When it was uploaded (local time of the machine, for display).
    pub uploaded_at: String,
}

impl Export {
    /// How pages name it: «casos.csv + historial.csv (subida 3)».
    pub fn label(&self) -> String {
        match &self.history {
            Some(history) => format!(
                "{} + {} (subida {})",
                self.cases.shown_name, history.shown_name, self.id
            ),
            None => format!("{} sin historial (subida {})", self.cases.shown_name, self.id),
        }
    }

    /// `text` with the upload's private paths replaced by «the names the files were uploaded
    /// under».
    pub fn shown(&self, mut text: String) -> String {
        for file in std::iter::once(&self.cases).chain(self.history.as_ref()) {
            let path = file.path.display().to_string();
            text = text.replace(&path, &format!("«{}»", file.shown_name));
        }
        text
    }
}
