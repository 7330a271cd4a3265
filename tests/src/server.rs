//! A plain static file server (no rewriting, no special routes), what a person hosting
//! `dist/` would use, optionally under a sub-path; it answers single byte ranges, as static
//! hosts do (or, switched, ignores them, as Python's `http.server` does). With a request
//! log, an offline switch and a throttle for the tests.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A plain static file server on 127.0.0.1 serving a directory, in a background thread.
pub struct StaticServer {
    port: u16,
    prefix: String,
    shared: std::sync::Arc<Shared>,
}

/// What the server's threads share with the test.
#[derive(Default)]
struct Shared {
    /// Bodies POSTed to `/csp-report`.
    reports: std::sync::Mutex<Vec<String>>,
    /// The path of every GET, in the order they came (the network log).
    requests: std::sync::Mutex<Vec<String>>,
    offline: std::sync::atomic::AtomicBool,
    /// Milliseconds to wait after each 32 KB of a response body (0: full speed).
    throttle: std::sync::atomic::AtomicU64,
    /// Answer `Range` requests with the whole file, as a host without range support.
    no_ranges: std::sync::atomic::AtomicBool,
}

impl StaticServer {
    /// Serves `root` at `/`.
    pub fn start(root: &Path) -> StaticServer {
        Self::start_at(root, "/")
    }

    /// Serves `root` under `prefix` (which starts and ends with `/`); other paths are 404.
    pub fn start_at(root: &Path, prefix: &str) -> StaticServer {
        Self::start_with(root, prefix, &[])
    }

    /// Serves `root` under `prefix`, adding `headers` to every response (a
    /// `Content-Security-Policy`, say). Bodies POSTed to `/csp-report` are kept: see
    /// [`StaticServer::reports`].
    pub fn start_with(root: &Path, prefix: &str, headers: &[(&str, &str)]) -> StaticServer {
        assert!(prefix.starts_with('/') && prefix.ends_with('/'));
        let extra: String = headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}\r\n"))
            .collect();
        let shared = std::sync::Arc::new(Shared::default());
        let kept = shared.clone();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let port = listener.local_addr().expect("local address").port();
        let root = root.to_path_buf();
        let served_prefix = prefix.to_string();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                if kept.offline.load(std::sync::atomic::Ordering::SeqCst) {
                    // Offline: the connection is dropped unanswered, as a dead network would.
                    drop(stream);
                    continue;
                }
                let root = root.clone();
                let prefix = served_prefix.clone();
                let extra = extra.clone();
                let kept = kept.clone();
                std::thread::spawn(move || {
                    let _ = serve_one(stream, &root, &prefix, &extra, &kept);
                });
            }
        });
        StaticServer {
            port,
            prefix: prefix.to_string(),
            shared,
        }
    }

    /// Slows every response body down to 32 KB per `delay` (a slow network), or back to
    /// full speed with `Duration::ZERO`.
    pub fn set_throttle(&self, delay: Duration) {
        self.shared.throttle.store(
            delay.as_millis() as u64,
            std::sync::atomic::Ordering::SeqCst,
        );
    }

    /// Answers range requests with the whole file (`false`), as a host that does not
    /// support them, or with the range (`true`, the default).
    pub fn set_ranges(&self, ranges: bool) {
        self.shared
            .no_ranges
            .store(!ranges, std::sync::atomic::Ordering::SeqCst);
    }

    /// Takes the server off the network (every request fails, as offline) or back on.
    pub fn set_offline(&self, offline: bool) {
        self.shared
            .offline
            .store(offline, std::sync::atomic::Ordering::SeqCst);
    }

    /// The bodies POSTed to `/csp-report` so far (Content Security Policy violation
    /// reports, when the policy names that endpoint).
    pub fn reports(&self) -> Vec<String> {
        self.shared
            .reports
            .lock()
            .map(|r| r.clone())
            .unwrap_or_default()
    }

    /// The paths requested so far (GET and HEAD), in order, each with the range answered
    /// when there was one (`/data/records-0.x.bin bytes=0-1023`), and forgets them: the
    /// network log since the last call.
    pub fn take_requests(&self) -> Vec<String> {
        self.shared
            .requests
            .lock()
            .map(|mut r| std::mem::take(&mut *r))
            .unwrap_or_default()
    }

    /// URL of the site's root.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.prefix)
    }
}

fn serve_one(
    stream: TcpStream,
    root: &Path,
    prefix: &str,
    extra_headers: &str,
    shared: &Shared,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        if shared.offline.load(std::sync::atomic::Ordering::SeqCst) {
            return Ok(());
        }
        // Read headers up to the blank line; keep-alive unless told otherwise.
        let mut close = false;
        let mut content_length = 0usize;
        let mut range: Option<(u64, Option<u64>)> = None;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let lower = header.to_ascii_lowercase();
            if lower.starts_with("connection:") && lower.contains("close") {
                close = true;
            }
            if let Some(length) = lower.strip_prefix("content-length:") {
                content_length = length.trim().parse().unwrap_or(0);
            }
            if let Some(bytes) = lower.strip_prefix("range:") {
                range = parse_range(bytes.trim());
            }
            if header == "\r\n" || header == "\n" {
                break;
            }
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or("");
        let target = parts.next().unwrap_or("/");
        let path = target.split(['?', '#']).next().unwrap_or("/");
        if method == "POST" {
            let mut body = vec![0; content_length.min(1 << 20)];
            std::io::Read::read_exact(&mut reader, &mut body)?;
            if path == "/csp-report" {
                if let Ok(mut kept) = shared.reports.lock() {
                    kept.push(String::from_utf8_lossy(&body).into_owned());
                }
            }
            write!(
                stream,
                "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n"
            )?;
            stream.flush()?;
            continue;
        }
        if shared.no_ranges.load(std::sync::atomic::Ordering::SeqCst) {
            range = None;
        }
        if method == "GET" || method == "HEAD" {
            if let Ok(mut log) = shared.requests.lock() {
                log.push(match range {
                    Some((start, end)) => format!(
                        "{path} bytes={start}-{}",
                        end.map_or(String::new(), |e| e.to_string())
                    ),
                    None => path.to_string(),
                });
            }
        }
        let mut content_range = String::new();
        let (status, content_type, body) = match resolve(root, prefix, path) {
            Some(file) if method == "GET" || method == "HEAD" => match std::fs::read(&file) {
                Ok(body) => match range {
                    None => ("200 OK", content_type(&file), body),
                    Some((start, end)) if start < body.len() as u64 => {
                        let end = end.unwrap_or(u64::MAX).min(body.len() as u64 - 1);
                        content_range =
                            format!("Content-Range: bytes {start}-{end}/{}\r\n", body.len());
                        let part = body[start as usize..=end as usize].to_vec();
                        ("206 Partial Content", content_type(&file), part)
                    }
                    Some(_) => {
                        content_range = format!("Content-Range: bytes */{}\r\n", body.len());
                        ("416 Range Not Satisfiable", "text/plain", Vec::new())
                    }
                },
                Err(_) => ("404 Not Found", "text/plain", b"not found".to_vec()),
            },
            Some(_) => (
                "405 Method Not Allowed",
                "text/plain",
                b"method not allowed".to_vec(),
            ),
            None => ("404 Not Found", "text/plain", b"not found".to_vec()),
        };
        write!(
            stream,
            "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
             Cache-Control: no-cache\r\nAccept-Ranges: bytes\r\n{content_range}{extra_headers}{}\r\n",
            body.len(),
            if close { "Connection: close\r\n" } else { "" }
        )?;
        if method != "HEAD" {
            let delay = shared.throttle.load(std::sync::atomic::Ordering::SeqCst);
            if delay == 0 {
                stream.write_all(&body)?;
            } else {
                for piece in body.chunks(32 * 1024) {
                    stream.write_all(piece)?;
                    stream.flush()?;
                    std::thread::sleep(Duration::from_millis(delay));
                }
            }
        }
        stream.flush()?;
        if close {
            return Ok(());
        }
    }
}

/// A single range, `bytes=a-b` or `bytes=a-` (the only kind Folio asks for).
fn parse_range(value: &str) -> Option<(u64, Option<u64>)> {
    let (start, end) = value.strip_prefix("bytes=")?.split_once('-')?;
    let start: u64 = start.trim().parse().ok()?;
    let end = match end.trim() {
        "" => None,
        end => Some(end.parse::<u64>().ok().filter(|&e| e >= start)?),
    };
    Some((start, end))
}

/// Maps a URL path to a file under `root`, refusing anything that escapes it.
fn resolve(root: &Path, prefix: &str, path: &str) -> Option<PathBuf> {
    let rest = path
        .strip_prefix(prefix)
        .or_else(|| (path == prefix.trim_end_matches('/')).then_some(""))?;
    let mut file = root.to_path_buf();
    for segment in rest.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            s => file.push(percent_decode(s)?),
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.contains('/'))
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}
