//! The browser's side of the engine's one loader ([`folio_engine::load`]): a [`Fetch`]
//! over HTTP that reads each file as a stream and stops at the size the index allows. A
//! host that sends more (a misconfigured server, a hostile one, an endless body) costs an
//! error in words naming the file, not the tab's memory; so does a body that ends short of
//! a declared size. A record is read by a range request; a host that ignores the range
//! (answers the whole file) still works: the wanted bytes are kept as the file streams,
//! and the download stops once they are in.

use folio_engine::load::Fetch;
use wasm_bindgen::JsValue;

/// A body as it arrives, refused as soon as it is longer than its limit.
pub(crate) struct Body<'a> {
    url: &'a str,
    max: u64,
    bytes: Vec<u8>,
    /// For a range out of a whole file: the bytes still to drop before it starts (the
    /// body then ends, rather than fails, at `max`).
    skip: Option<u64>,
}

impl<'a> Body<'a> {
    pub fn new(url: &'a str, max: u64) -> Self {
        Body {
            url,
            max,
            bytes: Vec::new(),
            skip: None,
        }
    }

    /// The `len` bytes from `start` of a whole file as it streams.
    pub fn window(url: &'a str, start: u64, len: u64) -> Self {
        Body {
            skip: Some(start),
            ..Body::new(url, len)
        }
    }

    /// Has a window everything it wanted?
    fn full(&self) -> bool {
        self.skip.is_some() && self.bytes.len() as u64 >= self.max
    }

    /// Appends a chunk of the stream, or the part of it the window wants.
    fn push_chunk(&mut self, chunk: &js_sys::Uint8Array) -> Result<(), String> {
        let len = u64::from(chunk.length());
        let Some(skip) = self.skip else {
            return self.push(len as usize, |out| chunk.copy_to(out));
        };
        let from = skip.min(len);
        self.skip = Some(skip - from);
        let to = len.min(from + (self.max - self.bytes.len() as u64));
        if to > from {
            let part = chunk.subarray(from as u32, to as u32);
            self.push((to - from) as usize, |out| part.copy_to(out))?;
        }
        Ok(())
    }

    /// Appends a piece of `len` bytes, which `fill` writes; checked before any memory is
    /// taken for it.
    pub fn push(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) -> Result<(), String> {
        let (url, max) = (self.url, self.max);
        let total = self
            .bytes
            .len()
            .checked_add(len)
            .filter(|&t| t as u64 <= max)
            .ok_or_else(|| {
                format!("{url}: the server sent more than the {max} bytes this file may have")
            })?;
        self.bytes
            .try_reserve(len)
            .map_err(|_| format!("{url}: the browser could not hold {total} bytes"))?;
        let start = self.bytes.len();
        self.bytes.resize(total, 0);
        fill(&mut self.bytes[start..]);
        Ok(())
    }

    /// The whole body, once the stream has ended.
    pub fn finish(self) -> Vec<u8> {
        self.bytes
    }
}

/// Fetches `url`, at most `max` bytes.
async fn fetch_streaming(url: &str, max: u64) -> Result<Vec<u8>, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| unreachable(url, &e.to_string()))?;
    if !response.ok() {
        return Err(refused(url, &response));
    }
    read(response, Body::new(url, max)).await
}

/// Fetches the `len` bytes of `url` from `start` by a range request; from the whole file
/// when the host ignores the range.
async fn fetch_range(url: &str, start: u64, len: u64) -> Result<Vec<u8>, String> {
    let last = start + len.max(1) - 1;
    let response = gloo_net::http::Request::get(url)
        .header("Range", &format!("bytes={start}-{last}"))
        .send()
        .await
        .map_err(|e| unreachable(url, &e.to_string()))?;
    match response.status() {
        206 => {
            // The range asked for, not another one. (Another origin may not show the
            // header; the record's frame names its paper, so a wrong range is caught.)
            let range = response.headers().get("content-range");
            if range
                .as_ref()
                .is_some_and(|r| !r.starts_with(&format!("bytes {start}-")))
            {
                let range = range.unwrap_or_default();
                return Err(format!(
                    "could not fetch {url}: asked for bytes {start}-{last}, the server sent \
                     \"{range}\""
                ));
            }
            read(response, Body::new(url, len)).await
        }
        200 => read(response, Body::window(url, start, len)).await,
        _ => Err(refused(url, &response)),
    }
}

fn refused(url: &str, response: &gloo_net::http::Response) -> String {
    let hint = match response.status() {
        404 | 410 => ": there is no such file; check the index's address (a relative data-index is read from this page's address)",
        401 | 403 => ": the server does not let this page read it",
        _ => "",
    };
    format!(
        "could not fetch {url}: the server answered {} {}{hint}",
        response.status(),
        response.status_text()
    )
}

/// A request the browser could not complete: no answer it may show the page. Across
/// origins that is most often a missing CORS header (the browser hides which).
fn unreachable(url: &str, error: &str) -> String {
    format!(
        "could not fetch {url} ({error}): if it is on another site than this page, that site \
         must allow this page to read it (Access-Control-Allow-Origin); otherwise check the \
         address and the connection"
    )
}

/// Reads a response's body into `body`, chunk by chunk as it streams.
async fn read(response: gloo_net::http::Response, mut body: Body<'_>) -> Result<Vec<u8>, String> {
    use wasm_bindgen::JsCast;
    let url = body.url;
    let Some(stream) = response.body() else {
        // No stream to read piece by piece (an empty body): whatever there is, checked.
        let bytes = response
            .binary()
            .await
            .map_err(|e| format!("could not read {url}: {e}"))?;
        body.push_chunk(&js_sys::Uint8Array::from(bytes.as_slice()))?;
        return Ok(body.finish());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    let broken = |e: JsValue| {
        format!(
            "could not read {url}: {}",
            e.as_string().unwrap_or_else(|| format!("{e:?}"))
        )
    };
    loop {
        let chunk = wasm_bindgen_futures::JsFuture::from(reader.read())
            .await
            .map_err(broken)?;
        let done = js_sys::Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|d| d.as_bool())
            .unwrap_or(true);
        if done {
            return Ok(body.finish());
        }
        let value = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")).map_err(broken)?;
        let pushed = body.push_chunk(&js_sys::Uint8Array::new(&value));
        if pushed.is_err() || body.full() {
            // Stop the download too, not only the reading.
            let _ = reader.cancel();
            return pushed.map(|()| body.finish());
        }
    }
}

/// The index directory at a URL (ending in `/`, relative to the page or absolute). The
/// names asked for are the engine's own (the manifest's, and pieces named from the kind,
/// number and build the engine checked), never text read from the host.
#[derive(Debug, Clone)]
pub struct WebFetch {
    pub dir: String,
}

impl Fetch for WebFetch {
    async fn fetch(&self, name: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
        fetch_streaming(&format!("{}{name}", self.dir), max_bytes).await
    }

    async fn fetch_range(&self, name: &str, start: u64, len: u64) -> Result<Vec<u8>, String> {
        fetch_range(&format!("{}{name}", self.dir), start, len).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_engine::load::MAX_MANIFEST_BYTES;

    fn push(body: &mut Body, n: usize) -> Result<(), String> {
        body.push(n, |out| out.fill(7))
    }

    #[test]
    fn a_body_stops_at_its_limit() {
        let mut body = Body::new("data/terms-0.x.bin", 10);
        push(&mut body, 6).unwrap();
        push(&mut body, 4).unwrap();
        let err = push(&mut body, 1).unwrap_err();
        assert_eq!(
            err,
            "data/terms-0.x.bin: the server sent more than the 10 bytes this file may have"
        );
        assert_eq!(body.finish(), [7; 10]);
        // A piece that would pass the limit is refused whole, before memory is taken for
        // it, however large it claims to be.
        let mut body = Body::new("data/terms-0.x.bin", 10);
        assert!(push(&mut body, 11).is_err());
        assert!(body.push(usize::MAX, |_| unreachable!()).is_err());
        assert_eq!(body.bytes.capacity(), 0);
        let mut manifest = Body::new("data/manifest.json", MAX_MANIFEST_BYTES);
        push(&mut manifest, MAX_MANIFEST_BYTES as usize).unwrap();
        assert!(push(&mut manifest, 1)
            .unwrap_err()
            .contains("more than the 4194304 bytes"));
    }

    // A window reads JS arrays: only where there is JS.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_window_keeps_its_range_out_of_a_whole_file_and_is_full_there() {
        let mut body = Body::window("data/records-0.x.bin", 3, 4);
        let chunks: [&[u8]; 4] = [&[0, 1], &[2, 3, 4], &[5, 6, 7, 8], &[9]];
        let mut read = 0;
        for chunk in chunks {
            body.push_chunk(&js_sys::Uint8Array::from(chunk)).unwrap();
            read += 1;
            if body.full() {
                break;
            }
        }
        assert_eq!(read, 3, "it stops at the chunk that completes the range");
        assert_eq!(body.finish(), [3, 4, 5, 6]);
        // A file shorter than the range: what there is.
        let mut body = Body::window("r", 1, 10);
        body.push_chunk(&js_sys::Uint8Array::from(&[0u8, 1, 2][..]))
            .unwrap();
        assert!(!body.full());
        assert_eq!(body.finish(), [1, 2]);
    }
}
