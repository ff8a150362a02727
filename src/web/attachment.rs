//! A download: the answer's media type and the name the browser saves it under, the same for
//! every page that offers files.

use axum::http::{HeaderValue, header};
use axum::response::Response;

/// `response` as a file to save: its media type and `attachment; filename="name"` (a name the
/// caller keeps to characters safe in a header; one that is not is left out, not sent broken).
pub fn attachment(mut response: Response, media_type: &'static str, name: &str) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
