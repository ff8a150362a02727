//! A running `pauta web` and a small HTTP/1.1 client for it, for the tests of the workbench.
//!
//! `Workbench::start(&["--policies", PINNED])` starts the real binary on a free loopback port
//! (from the crate root; `start_in` from another folder) and reads the address it prints; the
//! server is stopped with SIGTERM when the value is dropped (so it removes its uploads).
//! Requests are written by hand over a `TcpStream` so that a test can send any header — a
//! hostile `Host` or `Origin` — and see every header of the answer. State-changing requests
//! carry the workbench's own `Origin` unless a test builds its own with [`Request`].

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A `pauta web` process on a free port.
pub struct Workbench {
    child: Child,
    /// `127.0.0.1:PORT`, as the server printed it.
    pub address: String,
    /// The whole address the server printed (`http://127.0.0.1:PORT/`, with `?clave=` if any).
    pub url: String,
    /// Everything the server printed on stdout so far.
    printed: std::sync::Arc<std::sync::Mutex<String>>,
    /// The thread that reads the server's stdout.
    drain: Option<std::thread::JoinHandle<()>>,
}

impl Workbench {
    /// `pauta web --escuchar 127.0.0.1:0 ARGS…`, run from the crate root.
    pub fn start(args: &[&str]) -> Self {
        Self::start_in(super::root(), args)
    }

    /// [`Workbench::start`] from `folder` (a workspace of the test's own).
    pub fn start_in(folder: &Path, args: &[&str]) -> Self {
        let mut command = Command::new(super::run::binary());
        command
            .arg("web")
            .args(["--escuchar", "127.0.0.1:0"])
            .args(args)
            .current_dir(folder)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("pauta web starts");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        reader.read_line(&mut line).expect("pauta web prints its address");
        // The rest of its output is read until it exits, so that it never writes into a closed
        // pipe, and kept for `stop`.
        let printed = std::sync::Arc::new(std::sync::Mutex::new(line.clone()));
        let kept = printed.clone();
        let drain = std::thread::spawn(move || {
            let mut rest = String::new();
            let _ = reader.read_to_string(&mut rest);
            kept.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push_str(&rest);
        });
        let url = line
            .split_whitespace()
            .find(|word| word.starts_with("http://"))
            .unwrap_or_else(|| {
                let mut stderr = String::new();
                if let Some(mut err) = child.stderr.take() {
                    let _ = err.read_to_string(&mut stderr);
                }
                panic!("pauta web did not print an address: «{line}»; stderr: {stderr}")
            })
            .to_owned();
        let address = url
            .trim_start_matches("http://")
            .split('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        Self {
            child,
            address,
            url,
            printed,
            drain: Some(drain),
        }
    }

    /// `GET path`.
    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path).send()
    }

    /// `POST path` with a URL-encoded form, from the workbench's own origin.
    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body: Vec<String> = fields
            .iter()
            .map(|(name, value)| format!("{}={}", form_escape(name), form_escape(value)))
            .collect();
        self.request("POST", path)
            .own_origin()
            .body("application/x-www-form-urlencoded", body.join("&").into_bytes())
            .send()
    }

    /// `POST path` with a JSON body, from the workbench's own origin.
    pub fn post_json(&self, path: &str, value: &serde_json::Value) -> Reply {
        self.request("POST", path)
            .own_origin()
            .body("application/json", value.to_string().into_bytes())
            .send()
    }

    /// `POST path` with a multipart form of `parts`, from the workbench's own origin.
    pub fn post_multipart(&self, path: &str, parts: &[Part]) -> Reply {
        let (content_type, body) = multipart(parts);
        self.request("POST", path)
            .own_origin()
            .body(&content_type, body)
            .send()
    }

    /// A request to build by hand (any method, any header).
    pub fn request(&self, method: &str, path: &str) -> Request {
        Request {
            address: self.address.clone(),
            head: format!("{method} {path} HTTP/1.1\r\n"),
            headers: vec![("Host".into(), self.address.clone())],
            body: Vec::new(),
        }
    }

    /// The server's private upload folders: `pauta-web-<its process id>-*` in the system's
    /// temporary folder (one while it runs, none after it stops).
    pub fn upload_folders(&self) -> Vec<PathBuf> {
        let prefix = format!("pauta-web-{}-", self.child.id());
        std::fs::read_dir(std::env::temp_dir())
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| entry.path())
                    .filter(|path| {
                        path.file_name()
                            .and_then(|n| n.to_str())
                            .is_some_and(|n| n.starts_with(&prefix))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The server's process id (to find its upload folder or its memory).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the server with SIGTERM and waits for it; returns its stdout and stderr.
    pub fn stop(mut self) -> (String, String) {
        self.terminate();
        let mut stderr = String::new();
        if let Some(mut err) = self.child.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        if let Some(drain) = self.drain.take() {
            let _ = drain.join();
        }
        let stdout = self
            .printed
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        (stdout, stderr)
    }

    fn terminate(&mut self) {
        // SAFETY: sends a signal to our own child process.
        #[cfg(unix)]
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        for _ in 0..100 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Workbench {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// One part of a multipart form: a text field or a file.
pub enum Part<'a> {
    /// A text field.
    Text(&'a str, &'a str),
    /// A file field: field name, file name as the browser sends it, content.
    File(&'a str, &'a str, Vec<u8>),
}

impl Part<'_> {
    /// The file field `name` with the content of `path` under its own file name.
    pub fn file_at<'a>(name: &'a str, path: &'a Path) -> Part<'a> {
        let content = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let shown = path.file_name().and_then(|n| n.to_str()).unwrap_or("archivo");
        Part::File(name, shown, content)
    }
}

/// The body of a multipart form of `parts` and its content type.
pub fn multipart(parts: &[Part]) -> (String, Vec<u8>) {
    let boundary = "----pautaprueba7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for part in parts {
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        match part {
            Part::Text(name, value) => {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
                );
            }
            Part::File(name, file_name, content) => {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
                body.extend_from_slice(content);
                body.extend_from_slice(b"\r\n");
            }
        }
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A request being built.
pub struct Request {
    address: String,
    head: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Request {
    /// Adds (or replaces) a header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// `Origin: http://<the workbench's address>`.
    pub fn own_origin(self) -> Self {
        let origin = format!("http://{}", self.address);
        self.header("Origin", &origin)
    }

    /// The body and its content type.
    pub fn body(mut self, content_type: &str, body: Vec<u8>) -> Self {
        self.body = body;
        self.header("Content-Type", content_type)
    }

    /// Sends the request and reads the whole answer.
    pub fn send(self) -> Reply {
        let mut stream = TcpStream::connect(&self.address).expect("the workbench accepts connections");
        stream
            .set_read_timeout(Some(Duration::from_secs(300)))
            .expect("a timeout can be set");
        let mut request = self.head.into_bytes();
        for (name, value) in &self.headers {
            request.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
        }
        request.extend_from_slice(
            format!("Content-Length: {}\r\nConnection: close\r\n\r\n", self.body.len()).as_bytes(),
        );
        request.extend_from_slice(&self.body);
        // The server may answer (and close) before reading a body it refuses.
        let _ = stream.write_all(&request);
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw);
        Reply::parse(&raw)
    }
}

/// An answer: status, headers (names lower-cased) and body.
#[derive(Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Every header, name lower-cased, in order.
    pub headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Self {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .unwrap_or_else(|| panic!("no complete answer: {:?}", String::from_utf8_lossy(raw)));
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let mut lines = head.split("\r\n");
        let status = lines
            .next()
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|code| code.parse().ok())
            .expect("a status line");
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
            .collect();
        let rest = &raw[split + 4..];
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
        let body = if chunked { dechunk(rest) } else { rest.to_vec() };
        Self {
            status,
            headers,
            body,
        }
    }

    /// The first header `name` (lower case), if any.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("the answer is not JSON ({e}): {}", self.text()))
    }

    /// Checks the status, showing the body when it differs.
    #[track_caller]
    pub fn status(self, expected: u16) -> Self {
        assert_eq!(self.status, expected, "status; body:\n{}", self.text());
        self
    }

    /// Checks that the body contains `needle`.
    #[track_caller]
    pub fn has(self, needle: &str) -> Self {
        assert!(
            self.text().contains(needle),
            "the answer lacks «{needle}»:\n{}",
            self.text()
        );
        self
    }

    /// Checks that the body does not contain `needle`.
    #[track_caller]
    pub fn lacks(self, needle: &str) -> Self {
        assert!(
            !self.text().contains(needle),
            "the answer has «{needle}»:\n{}",
            self.text()
        );
        self
    }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    loop {
        let Some(end) = rest.windows(2).position(|w| w == b"\r\n") else {
            return body;
        };
        let size_text = String::from_utf8_lossy(&rest[..end]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("0").trim(), 16).unwrap_or(0);
        if size == 0 {
            return body;
        }
        let start = end + 2;
        body.extend_from_slice(&rest[start..(start + size).min(rest.len())]);
        rest = rest.get(start + size + 2..).unwrap_or(&[]);
    }
}

/// `text` URL-encoded for a form body.
pub fn form_escape(text: &str) -> String {
    let mut escaped = String::new();
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                escaped.push(char::from(byte))
            }
            b' ' => escaped.push('+'),
            _ => escaped.push_str(&format!("%{byte:02X}")),
        }
    }
    escaped
}
