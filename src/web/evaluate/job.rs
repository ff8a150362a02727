//! One evaluation in the workbench: the inputs loaded as the command line loads them (policies
//! fresh from the workspace, its mapping or the embedded one, the as-of instant), the run in the
//! background with its progress, and its outcome.

use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::StatusCode;

use super::table::{Table, TableBuilder};
use crate::calendar::LocalSeconds;
use crate::cases::dates::DateReader;
use crate::cases::{Mapping, RunOptions, Summary, run};
use crate::codes::Coded;
use crate::policy::PolicySet;
use crate::policy::workspace::Workspace;
use crate::web::PageError;
use crate::web::state::Export;

/// What a run needs, loaded for one request.
pub struct Inputs {
    /// The policies, loaded fresh.
    pub set: PolicySet,
    /// The mapping.
    pub mapping: Mapping,
    /// The run's options (files, as-of).
    pub options: RunOptions,
}

/// The as-of instant asked for: a text to read, none (now), or an instant already read.
#[derive(Debug, Clone, Copy)]
pub enum AsOf<'a> {
    /// The form's «Fecha de corte».
    Text(&'a str),
    /// Now, as the command line without `--as-of`.
    Now,
    /// The instant of an evaluation already run.
    At(LocalSeconds),
}

/// Loads the policies (fresh), the mapping and the as-of instant for `export`, as `pauta
/// evaluate` does for `--cases`, `--history` and `--as-of`.
pub fn load(workspace: &Workspace, export: &Export, as_of: AsOf<'_>) -> Result<Inputs, PageError> {
    let set = workspace
        .policies
        .load()
        .map_err(|error| library(&error, error.code(), export))?;
    let mapping = match &workspace.mapping {
        Some(path) => Mapping::from_file(path),
        None => Mapping::embedded(),
    }
    .map_err(|error| library(&error, error.code(), export))?;
    let as_of = match as_of {
        AsOf::At(at) => at,
        AsOf::Now => set.local_now(),
        AsOf::Text(text) => DateReader::new(&mapping.date_formats)
            .parse(text)
            .ok_or_else(|| {
                PageError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "U014",
                    format!(
                        "la fecha de corte «{text}» no es una fecha y hora; escríbala como \
                         'AAAA-MM-DD HH:MM:SS' (hora de Bogotá), por ejemplo 2024-06-30 23:59:59, \
                         o déjela vacía para evaluar a la fecha de hoy"
                    ),
                )
            })?,
    };
    let options = RunOptions {
        cases: export.cases.path.clone(),
        history: export.history.as_ref().map(|h| h.path.clone()),
        as_of,
        procedure: None,
        trace_case: None,
        pinned_version: None,
        history_reading: Default::default(),
    };
    Ok(Inputs {
        set,
        mapping,
        options,
    })
}

/// A library error as a page error with its own code; the upload's private paths in its
/// message are replaced by the names of the files as they were uploaded.
pub fn library(error: &(dyn std::error::Error + 'static), code: &'static str, export: &Export) -> PageError {
    let mut page = PageError::from_library(error, code);
    page.message = export.shown(page.message);
    page
}

/// Where an evaluation is.
#[derive(Clone)]
pub enum State {
    /// Still running.
    Running,
    /// Finished: its summary and table.
    Done(Arc<Evaluated>),
    /// Stopped on an error (the library's code and message).
    Failed(PageError),
}

/// A finished evaluation.
pub struct Evaluated {
    /// The counts, as `pauta evaluate` prints them.
    pub summary: Summary,
    /// The cases and rejected rows; emptied when newer evaluations need the memory.
    pub table: Table,
    /// Whether the table was released.
    pub released: bool,
}

/// An evaluation of an export, running or done.
pub struct Job {
    /// The export evaluated.
    pub export: Arc<Export>,
    /// The as-of instant, local time.
    pub as_of: LocalSeconds,
    /// Cases evaluated so far.
    pub done: AtomicU64,
    /// An estimate of the cases to evaluate (the cases file's lines but its header).
    pub total: u64,
    state: Mutex<State>,
}

impl Job {
    /// A job about to run on `export` at `as_of`, of about `total` cases.
    pub fn new(export: Arc<Export>, as_of: LocalSeconds, total: u64) -> Self {
        Self {
            export,
            as_of,
            done: AtomicU64::new(0),
            total,
            state: Mutex::new(State::Running),
        }
    }

    /// Where it is.
    pub fn state(&self) -> State {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    fn set(&self, state: State) {
        *self.state.lock().unwrap_or_else(PoisonError::into_inner) = state;
    }

    /// Runs the evaluation of `inputs` (in a blocking thread) and records its outcome.
    pub fn run(&self, inputs: &Inputs) {
        // Both callbacks of the run add to the table.
        let builder = std::cell::RefCell::new(TableBuilder::default());
        let summary = run(
            &inputs.set,
            &inputs.mapping,
            &inputs.options,
            |_, evaluation, _, _| {
                builder.borrow_mut().add(evaluation);
                self.done.fetch_add(1, Ordering::Relaxed);
                Ok(())
            },
            |rejection| {
                builder.borrow_mut().reject(rejection);
                Ok(())
            },
        );
        match summary {
            Ok(mut summary) => self.set(State::Done(Arc::new(Evaluated {
                summary: {
                    summary.history_note = summary.history_note.take().map(|note| self.export.shown(note));
                    summary
                },
                table: builder.into_inner().finish(),
                released: false,
            }))),
            Err(error) => self.set(State::Failed(library(&error, error.code(), &self.export))),
        }
    }

    /// Drops the table of a finished evaluation (its summary stays).
    pub fn release(&self) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if let State::Done(evaluated) = &*state
            && !evaluated.released
        {
            *state = State::Done(Arc::new(Evaluated {
                summary: evaluated.summary.clone(),
                table: Table::default(),
                released: true,
            }));
        }
    }
}

/// The data rows of a cases file, estimated by its line ends (a quoted line end counts too).
pub fn estimate_rows(path: &Path) -> u64 {
    let Ok(mut file) = std::fs::File::open(path) else {
        return 0;
    };
    let mut buffer = vec![0u8; 1 << 20];
    let mut lines: u64 = 0;
    let mut last = b'\n';
    loop {
        match file.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                lines += memchr::memchr_iter(b'\n', &buffer[..n]).count() as u64;
                last = buffer[n - 1];
            }
        }
    }
    if last != b'\n' {
        lines += 1;
    }
    lines.saturating_sub(1)
}
