//! The browser's side of the engine's one loader ([`folio_engine::load`]): a [`Fetch`]
//! over HTTP that reads each file as a stream and stops at the size the index allows. A
//! host that sends more (a misconfigured server, a hostile one, an endless body) costs an
//! error in words naming the file, not the tab's memory; so does a body that ends short of
//! a declared size.

use folio_engine::load::Fetch;
use wasm_bindgen::JsValue;

/// A body as it arrives, refused as soon as it is longer than its limit.
pub(crate) struct Body<'a> {
    url: &'a str,
    max: u64,
    bytes: Vec<u8>,
}

impl<'a> Body<'a> {
    pub fn new(url: &'a str, max: u64) -> Self {
        Body {
            url,
            max,
            bytes: Vec::new(),
        }
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
    use wasm_bindgen::JsCast;
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| format!("could not fetch {url}: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "could not fetch {url}: the server answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    let mut body = Body::new(url, max);
    let Some(stream) = response.body() else {
        // No stream to read piece by piece (an empty body): whatever there is, checked.
        let bytes = response
            .binary()
            .await
            .map_err(|e| format!("could not read {url}: {e}"))?;
        body.push(bytes.len(), |out| out.copy_from_slice(&bytes))?;
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
        let piece = js_sys::Uint8Array::new(&value);
        if let Err(error) = body.push(piece.length() as usize, |out| piece.copy_to(out)) {
            // Stop the download too, not only the reading.
            let _ = reader.cancel();
            return Err(error);
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
}
