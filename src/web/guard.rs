//! The checks every request passes before any page runs, and the headers every answer gets.
//!
//! - **Host** (on loopback): only the bound address, `localhost` or `127.0.0.1`/`[::1]` at its
//!   port; another name is a DNS-rebinding page trying to reach the workbench.
//! - **Access token** (when `--clave` is given): a `clave` cookie or, once, `?clave=` in the
//!   address, which sets the cookie and redirects to the same page without it.
//! - **Origin** on every state-changing request (not GET/HEAD): the page that sends it must be
//!   the workbench's own (`Origin`, or `Sec-Fetch-Site: same-origin`); a request that shows
//!   neither is refused, so no other site can save a policy or start work.
//! - **Headers**: a strict Content-Security-Policy (no inline script, nothing from elsewhere),
//!   `nosniff`, no referrer sent to other sites, no caching (the data is citizens').

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

use super::PageError;
use super::state::Workbench;

/// The policy of the workbench's own pages: scripts, styles and requests only to itself.
pub const PAGE_POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-src 'self'; \
     frame-ancestors 'self'; base-uri 'none'";

/// The policy of a rendered document shown inside a page (the procedure, a report): its own
/// inline styles and SVG, no script at all, only inside the workbench's frames.
pub const DOCUMENT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; \
     img-src data:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox";

/// The name of the cookie that carries the access token.
const TOKEN_COOKIE: &str = "pauta_clave";

/// Runs the checks of this module around every request.
pub async fn guard(State(workbench): State<Arc<Workbench>>, request: Request, next: Next) -> Response {
    if let Err(refused) = check_host(&workbench, request.headers()) {
        return with_headers(refused.into_response());
    }
    if let Some(token) = &workbench.settings.token {
        match token_state(token, &request) {
            TokenState::Valid => {}
            TokenState::InAddress => return with_headers(set_cookie_and_redirect(token, &request)),
            TokenState::Missing => {
                return with_headers(
                    PageError::new(
                        StatusCode::UNAUTHORIZED,
                        "W011",
                        "este banco de trabajo pide la clave de acceso: abra el enlace completo que \
                         `pauta web` mostró al iniciar (termina en ?clave=…)",
                    )
                    .into_response(),
                );
            }
        }
    }
    if changes_state(request.method())
        && let Err(refused) = check_origin(request.headers())
    {
        return with_headers(refused.into_response());
    }
    with_headers(next.run(request).await)
}

/// Whether a request of `method` may change something (everything but reading).
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The hosts a loopback workbench answers to; any host when it listens on the network (the
/// token protects it there).
fn check_host(workbench: &Workbench, headers: &HeaderMap) -> Result<(), PageError> {
    if !workbench.bound.ip().is_loopback() {
        return Ok(());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    let port = workbench.bound.port();
    let allowed = [
        workbench.bound.to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ];
    if allowed.iter().any(|name| name.eq_ignore_ascii_case(host)) {
        Ok(())
    } else {
        Err(PageError::new(
            StatusCode::FORBIDDEN,
            "W010",
            format!(
                "esta dirección («{host}») no es la del banco de trabajo; ábralo en http://{}/",
                workbench.bound
            ),
        ))
    }
}

/// A state-changing request must come from the workbench's own pages.
fn check_origin(headers: &HeaderMap) -> Result<(), PageError> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    // A browser may send `Origin: null` (a privacy setting, a sandboxed frame): then only
    // `Sec-Fetch-Site`, which the page cannot forge, can vouch for the request.
    let same = match (origin.filter(|o| *o != "null"), host) {
        (Some(origin), Some(host)) => origin.eq_ignore_ascii_case(&format!("http://{host}")),
        (Some(_), None) => false,
        (None, _) => site == Some("same-origin"),
    };
    if same {
        Ok(())
    } else {
        Err(PageError::new(
            StatusCode::FORBIDDEN,
            "W010",
            "esta petición no viene de una página del banco de trabajo y se rechazó (protección \
             contra sitios ajenos); use los formularios de pauta web",
        ))
    }
}

/// Where the token of a request is, if anywhere.
enum TokenState {
    /// In the cookie, and right.
    Valid,
    /// In the address (`?clave=`), and right: set the cookie and redirect.
    InAddress,
    /// Absent or wrong.
    Missing,
}

fn token_state(token: &str, request: &Request) -> TokenState {
    let cookie_matches = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .any(|(name, value)| name == TOKEN_COOKIE && same_secret(value, &query_escape(token)));
    if cookie_matches {
        return TokenState::Valid;
    }
    let in_address = request
        .uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .any(|(name, value)| name == "clave" && same_secret(value, &query_escape(token)));
    if in_address && !changes_state(request.method()) {
        TokenState::InAddress
    } else {
        TokenState::Missing
    }
}

/// Sets the token cookie and sends the browser to the same page without `?clave=`.
fn set_cookie_and_redirect(token: &str, request: &Request) -> Response {
    let path = request.uri().path();
    let mut response = Redirect::to(path).into_response();
    let cookie = format!(
        "{TOKEN_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
        query_escape(token)
    );
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// Compares two secrets in time that does not depend on where they differ.
fn same_secret(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// `text` with everything but unreserved characters percent-encoded (for a token in an address
/// or a cookie).
pub fn query_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            escaped.push(char::from(byte));
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}

/// Adds the security headers; a document shown in a frame keeps the policy its handler set.
fn with_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(PAGE_POLICY),
        );
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // `same-origin`, not `no-referrer`: with no referrer at all, a browser sends `Origin: null`
    // on a form's POST, and the workbench could not tell its own forms from another site's.
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abd", "abc"));
        assert!(!same_secret("ab", "abc"));
    }

    #[test]
    fn tokens_are_escaped_for_addresses() {
        assert_eq!(query_escape("a b&c=ñ"), "a%20b%26c%3D%C3%B1");
    }

    #[test]
    fn only_the_own_origin_may_change_state() {
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert!(check_origin(&headers).is_err(), "no Origin and no Sec-Fetch-Site");
        headers.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(check_origin(&headers).is_ok());
        headers.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(check_origin(&headers).is_err());
        headers.remove(header::ORIGIN);
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(check_origin(&headers).is_ok());
        headers.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert!(check_origin(&headers).is_err());
        headers.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert!(check_origin(&headers).is_err(), "Origin: null from another site");
        headers.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(
            check_origin(&headers).is_ok(),
            "Origin: null from the workbench's own page"
        );
    }
}
