//! `folio site --serve`: the site, served on 127.0.0.1 for a look, as a static host would
//! serve it (byte ranges included, which the record files are read with). Not a production
//! server: one thread a connection, one request a connection.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, Result};

/// Serves `root` on 127.0.0.1:`port` (0: any free port) until the process is stopped.
/// `ready` gets the address once it is listening.
pub fn run(root: &Path, port: u16, ready: impl FnOnce(&str)) -> Result<()> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .with_context(|| format!("cannot listen on 127.0.0.1:{port} (is another server there?)"))?;
    let address = format!("http://{}/", listener.local_addr()?);
    ready(&address);
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let root = root.to_path_buf();
        std::thread::spawn(move || {
            // A client that goes away mid-answer is no error of ours.
            let _ = answer(stream, &root);
        });
    }
    Ok(())
}

fn answer(stream: TcpStream, root: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.by_ref().take(8192).read_line(&mut request_line)?;
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.by_ref().take(8192).read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.trim().eq_ignore_ascii_case("range") {
                range = Some(value.trim().to_string());
            }
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut out = stream;
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut out,
            "405 Method Not Allowed",
            "text/plain",
            &[],
            b"GET or HEAD only\n",
            true,
        );
    }
    let Some(path) = file_for(root, target) else {
        return respond(
            &mut out,
            "404 Not Found",
            "text/plain",
            &[],
            b"not found\n",
            true,
        );
    };
    let body = match std::fs::read(&path) {
        Ok(body) => body,
        Err(_) => {
            return respond(
                &mut out,
                "404 Not Found",
                "text/plain",
                &[],
                b"not found\n",
                true,
            )
        }
    };
    let kind = content_type(&path);
    let head_only = method == "HEAD";
    match range.as_deref().map(|r| byte_range(r, body.len())) {
        None => respond(&mut out, "200 OK", kind, &[], &body, !head_only),
        Some(Some((first, last))) => {
            let header = format!("Content-Range: bytes {first}-{last}/{}", body.len());
            respond(
                &mut out,
                "206 Partial Content",
                kind,
                &[&header],
                &body[first..=last],
                !head_only,
            )
        }
        Some(None) => {
            let header = format!("Content-Range: bytes */{}", body.len());
            respond(
                &mut out,
                "416 Range Not Satisfiable",
                "text/plain",
                &[&header],
                b"",
                true,
            )
        }
    }
}

fn respond(
    out: &mut TcpStream,
    status: &str,
    kind: &str,
    headers: &[&str],
    body: &[u8],
    send_body: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\n\
         Cache-Control: no-cache\r\nConnection: close\r\n",
        body.len()
    );
    for header in headers {
        head.push_str(header);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    out.write_all(head.as_bytes())?;
    if send_body {
        out.write_all(body)?;
    }
    out.flush()
}

/// The file a request target names under `root`: its path percent-decoded, without the
/// query, never outside `root` (`..`, absolute parts and NUL are refused); a folder is its
/// `index.html`.
fn file_for(root: &Path, target: &str) -> Option<PathBuf> {
    let path = target.split(['?', '#']).next()?;
    let decoded = percent_decode(path)?;
    let mut file = root.to_path_buf();
    for part in Path::new(decoded.trim_start_matches('/')).components() {
        match part {
            Component::Normal(p) => file.push(p),
            Component::CurDir => {}
            _ => return None,
        }
    }
    if file.is_dir() {
        file.push("index.html");
    }
    file.is_file().then_some(file)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
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
    let text = String::from_utf8(out).ok()?;
    (!text.contains('\0')).then_some(text)
}

/// A single `bytes=` range of a body of `len` bytes, as inclusive bounds; `None` when it
/// cannot be satisfied or is not one range (several ranges are not served).
fn byte_range(header: &str, len: usize) -> Option<(usize, usize)> {
    let spec = header.strip_prefix("bytes=")?;
    let (first, last) = spec.split_once('-')?;
    let (first, last) = match (first.trim(), last.trim()) {
        ("", suffix) => {
            let n: usize = suffix.parse().ok()?;
            (len.checked_sub(n.min(len))?, len.checked_sub(1)?)
        }
        (first, "") => (first.parse().ok()?, len.checked_sub(1)?),
        (first, last) => (
            first.parse().ok()?,
            last.parse::<usize>().ok()?.min(len.checked_sub(1)?),
        ),
    };
    (first <= last && last < len).then_some((first, last))
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_as_hosts_answer_them() {
        assert_eq!(byte_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(byte_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(byte_range("bytes=95-200", 100), Some((95, 99)));
        assert_eq!(byte_range("bytes=100-", 100), None);
        assert_eq!(byte_range("bytes=5-2", 100), None);
        assert_eq!(byte_range("bytes=0-1,4-5", 100), None);
        assert_eq!(byte_range("bytes=0-0", 0), None);
    }

    #[test]
    fn requests_stay_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>").unwrap();
        std::fs::write(dir.path().join("data/a b.json"), "{}").unwrap();
        let root = dir.path();
        assert_eq!(file_for(root, "/"), Some(root.join("index.html")));
        assert_eq!(
            file_for(root, "/data/a%20b.json?x=1"),
            Some(root.join("data/a b.json"))
        );
        assert_eq!(file_for(root, "/../etc/passwd"), None);
        assert_eq!(file_for(root, "/data/%2e%2e/%2e%2e/x"), None);
        assert_eq!(file_for(root, "/%zz"), None);
        assert_eq!(file_for(root, "/missing"), None);
    }
}
