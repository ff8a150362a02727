//! `pauta web`: the workbench in a browser. A local server, in the same binary and over the same
//! library as the command line, with one page per workflow: the policies in use, the
//! procedure's document and the differences between versions, evaluating an export, the
//! monthly report, editing a policy, and reviewing publication pieces. Spanish throughout.
//!
//! Security: it listens on loopback unless given an access token; every state-changing request
//! must come from its own pages (Origin or `Sec-Fetch-Site`); every page carries a strict
//! Content-Security-Policy; uploads live in a private folder removed at exit and are addressed
//! only by ids the server gives.

mod attachment;
mod edit;
mod error;
mod evaluate;
mod files;
mod guard;
mod home;
mod layout;
mod leftovers;
mod pieces;
mod procedure;
mod report;
mod routes;
mod state;
mod upload;

use std::net::SocketAddr;
use std::sync::Arc;

pub use error::{ApiError, PageError, REQUEST_CODES, WebError};
pub use state::Settings;

use crate::policy::workspace::Workspace;

/// Starts the workbench on `settings.listen` and serves until the process is interrupted
/// (Ctrl-C or SIGTERM). `ready` is called once the socket is bound, with the address the
/// browser should open (the token included when there is one). The upload folder is removed
/// before returning.
pub fn serve(settings: Settings, ready: impl FnOnce(&str)) -> Result<(), WebError> {
    settings.check_exposure()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|source| WebError::Runtime { source })?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(settings.listen)
            .await
            .map_err(|source| WebError::Bind {
                address: settings.listen.to_string(),
                source,
            })?;
        let bound = listener.local_addr().map_err(|source| WebError::Bind {
            address: settings.listen.to_string(),
            source,
        })?;
        let workbench = Arc::new(state::Workbench::new(settings, bound)?);
        let stop = interrupted();
        ready(&workbench.entry_url());
        let app = routes::router(workbench.clone());
        let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(stop)
            .await;
        workbench.remove_uploads();
        served.map_err(|source| WebError::Serve { source })
    })
}

/// Resolves when the process is asked to stop: Ctrl-C (SIGINT) or SIGTERM on Unix; Ctrl-C, the
/// console window closed, logoff or shutdown on Windows. The handlers are installed when this
/// is called, before the address is announced, so that a stop asked for at once still removes
/// the uploads.
fn interrupted() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {},
                        _ = terminate.recv() => {},
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    // On Windows, closing the console window (or logging off, or shutting down) also stops the
    // server cleanly: the system waits a few seconds for the handler, enough to remove the
    // uploads.
    #[cfg(windows)]
    {
        use tokio::signal::windows::{ctrl_c, ctrl_close, ctrl_logoff, ctrl_shutdown};
        let (interrupt, close, logoff, shutdown) = (ctrl_c(), ctrl_close(), ctrl_logoff(), ctrl_shutdown());
        async move {
            match (interrupt, close, logoff, shutdown) {
                (Ok(mut interrupt), Ok(mut close), Ok(mut logoff), Ok(mut shutdown)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {},
                        _ = close.recv() => {},
                        _ = logoff.recv() => {},
                        _ = shutdown.recv() => {},
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(any(unix, windows)))]
    {
        async {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The workspace the workbench serves, shown on its first page: the same rule as the command
/// line (`--policies`, else `pauta.toml` or `policies/` from the working directory, else the
/// embedded policies).
pub fn describe_workspace(workspace: &Workspace) -> String {
    workspace.policies.describe()
}
