//! «Informe mensual»: the report of `pauta report` for an export uploaded in this run. The export
//! is chosen or uploaded (`/informe`), its months listed as `pauta report --meses` lists them
//! (`/informe/{id}`), and one month's report shown (`/informe/{id}/{AAAA-MM}`) with its key
//! figures, its warnings, the document rendered by the library inside a frame (`…/ver`) and
//! every format to download (`…/descargar/{formato}`), byte for byte what the command line
//! writes for the same files, month, seed, size and generation date.
//!
//! Reports are built off the request threads and kept ([`cache::ReportCache`]) for the same
//! export, policies, month, seed, size and date, so the page, its frame and its downloads build
//! each report once.

pub mod cache;
mod choose;
mod download;
mod inputs;
mod months;
mod params;
mod view;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;

pub use cache::ReportCache;

use super::state::Workbench;

/// The report page's routes.
pub fn routes() -> Router<Arc<Workbench>> {
    Router::new()
        .route("/informe", get(choose::page).post(choose::submit))
        .route("/informe/{export}", get(months::page))
        .route("/informe/{export}/{month}", get(view::page))
        .route("/informe/{export}/{month}/ver", get(download::document))
        .route(
            "/informe/{export}/{month}/descargar/{format}",
            get(download::file),
        )
        .route("/informe/{export}/{month}/rechazadas", get(download::rejected))
}
