//! Fetching the index: the manifest, then the files it names, each read as a stream that
//! stops at the size the manifest declares. A host that sends more than it declared (a
//! misconfigured server, a hostile one, an endless body) costs an error in words naming the
//! file, not the tab's memory; so does a body that ends short, and a manifest whose sizes
//! add up to more than a browser can hold, which is refused before anything is fetched.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use folio_engine::format::{FileRef, IndexFiles};
use folio_engine::{Index, Manifest, MANIFEST_FILE};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The manifest is a few hundred bytes; more than this is not a Folio manifest.
pub const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// The index files together may declare at most this: about what one browser tab can be
/// asked to hold (wasm32 memory ends at 4 GiB, and the decoded index needs room too).
pub const MAX_INDEX_BYTES: u64 = 2 << 30;

/// How long a body may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Size {
    /// Exactly this many bytes, as the manifest declares.
    Declared(u64),
    /// Up to this many (the manifest itself, whose size nothing declares).
    AtMost(u64),
}

/// A body as it arrives, refused as soon as it is longer than `size` allows.
pub(crate) struct Body<'a> {
    url: &'a str,
    size: Size,
    bytes: Vec<u8>,
}

impl<'a> Body<'a> {
    pub fn new(url: &'a str, size: Size) -> Self {
        Body {
            url,
            size,
            bytes: Vec::new(),
        }
    }

    /// Appends a piece of `len` bytes, which `fill` writes; checked before any memory is
    /// taken for it.
    pub fn push(&mut self, len: usize, fill: impl FnOnce(&mut [u8])) -> Result<(), String> {
        let url = self.url;
        let total = self
            .bytes
            .len()
            .checked_add(len)
            .filter(|&t| t as u64 <= self.limit())
            .ok_or_else(|| match self.size {
                Size::Declared(n) => {
                    format!("{url}: the server sent more than the {n} bytes the manifest declares")
                }
                Size::AtMost(n) => format!("{url}: the server sent more than {n} bytes"),
            })?;
        self.bytes
            .try_reserve(len)
            .map_err(|_| format!("{url}: the browser could not hold {total} bytes"))?;
        let start = self.bytes.len();
        self.bytes.resize(total, 0);
        fill(&mut self.bytes[start..]);
        Ok(())
    }

    fn limit(&self) -> u64 {
        match self.size {
            Size::Declared(n) | Size::AtMost(n) => n,
        }
    }

    /// The whole body, once the stream has ended: short of a declared size is an error.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        match self.size {
            Size::Declared(n) if self.bytes.len() as u64 != n => Err(format!(
                "{}: the server sent {} bytes where the manifest declares {n}",
                self.url,
                self.bytes.len()
            )),
            _ => Ok(self.bytes),
        }
    }
}

/// Fetches `url`, at most or exactly `size` bytes, calling `on_bytes` with the size of
/// each piece as it arrives (a large index shows its progress while it downloads).
async fn fetch_streaming(url: &str, size: Size, on_bytes: &dyn Fn(u64)) -> Result<Vec<u8>, String> {
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
    let mut body = Body::new(url, size);
    let Some(stream) = response.body() else {
        // No stream to read piece by piece (an empty body): whatever there is, checked.
        let bytes = response
            .binary()
            .await
            .map_err(|e| format!("could not read {url}: {e}"))?;
        body.push(bytes.len(), |out| out.copy_from_slice(&bytes))?;
        on_bytes(bytes.len() as u64);
        return body.finish();
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
            return body.finish();
        }
        let value = js_sys::Reflect::get(&chunk, &JsValue::from_str("value")).map_err(broken)?;
        let piece = js_sys::Uint8Array::new(&value);
        if let Err(error) = body.push(piece.length() as usize, |out| piece.copy_to(out)) {
            // Stop the download too, not only the reading.
            let _ = reader.cancel();
            return Err(error);
        }
        on_bytes(u64::from(piece.length()));
    }
}

/// The URL of an index file, if the manifest names a plain file: the names are
/// `<stem>.<hash>.<ext>`, and anything that could point elsewhere (`/`, `..`, `?`, `%`,
/// a scheme) is refused.
fn file_url(dir: &str, file: &FileRef) -> Result<String, String> {
    let name = &file.name;
    let plain = !name.is_empty()
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if plain {
        Ok(format!("{dir}{name}"))
    } else {
        let shown: String = name.chars().take(80).collect();
        Err(format!(
            "{dir}{MANIFEST_FILE} names the file “{shown}”, which is not a plain file name"
        ))
    }
}

/// The declared sizes of all the index files, added with checks: more than
/// [`MAX_INDEX_BYTES`] (or more than a number holds) is refused in words.
fn declared_total(dir: &str, files: &IndexFiles) -> Result<u64, String> {
    [&files.terms, &files.postings, &files.positions, &files.papers]
        .iter()
        .try_fold(0u64, |sum, file| sum.checked_add(file.bytes))
        .filter(|&total| total <= MAX_INDEX_BYTES)
        .ok_or_else(|| {
            format!(
                "{dir}{MANIFEST_FILE} declares index files larger than the {} GiB a browser can be asked to hold",
                MAX_INDEX_BYTES >> 30
            )
        })
}

/// Fetches and reads the manifest under `dir` (a URL ending in `/`), checking its sizes
/// and file names before any file is fetched.
pub(crate) async fn fetch_manifest(dir: &str) -> Result<Manifest, String> {
    let url = format!("{dir}{MANIFEST_FILE}");
    let bytes = fetch_streaming(&url, Size::AtMost(MAX_MANIFEST_BYTES), &|_| {}).await?;
    let manifest = Manifest::from_json(&bytes).map_err(|e| e.to_string())?;
    let files = &manifest.files;
    declared_total(dir, files)?;
    for file in [
        &files.terms,
        &files.postings,
        &files.positions,
        &files.papers,
    ] {
        file_url(dir, file)?;
    }
    Ok(manifest)
}

/// Fetches one index file of the manifest under `dir`, exactly its declared size.
pub(crate) async fn fetch_file(
    dir: &str,
    file: &FileRef,
    on_bytes: &dyn Fn(u64),
) -> Result<Vec<u8>, String> {
    fetch_streaming(&file_url(dir, file)?, Size::Declared(file.bytes), on_bytes).await
}

/// How far loading has got: files done out of all, and their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Progress {
    pub files_done: usize,
    pub files: usize,
    pub bytes: u64,
    /// The total size of the files, from the manifest (0 until it has arrived).
    pub total_bytes: u64,
}

/// Fetches and opens the index under `dir` (a URL ending in `/`), reporting progress.
///
/// The terms, postings and papers download in parallel and are all the first search needs.
/// The positions file (the largest) follows in the background and is added to the open
/// index when it arrives: until then phrases and multi-part tokens are checked against the
/// stored text, which gives the same results more slowly. If it never arrives, nothing
/// breaks.
pub async fn load_index(
    dir: &str,
    progress: impl Fn(Progress) + 'static,
) -> Result<Arc<Index>, String> {
    let manifest = fetch_manifest(dir).await?;
    let files = manifest.files.clone();
    // Within MAX_INDEX_BYTES, checked by fetch_manifest: this sum cannot overflow.
    let total_bytes = files.terms.bytes + files.postings.bytes + files.papers.bytes;
    let state = Rc::new(Cell::new(Progress {
        files_done: 0,
        files: 3,
        bytes: 0,
        total_bytes,
    }));
    progress(state.get());
    let progress = Rc::new(progress);
    let tracked = |file| {
        let state = state.clone();
        let progress = progress.clone();
        async move {
            let arrived = |n: u64| {
                let mut now = state.get();
                now.bytes = now.bytes.saturating_add(n);
                state.set(now);
                progress(now);
            };
            let bytes = fetch_file(dir, file, &arrived).await?;
            let mut now = state.get();
            now.files_done += 1;
            state.set(now);
            progress(now);
            Ok::<_, String>(bytes)
        }
    };
    let (terms, postings, papers) = futures::join!(
        tracked(&files.terms),
        tracked(&files.postings),
        tracked(&files.papers),
    );
    let index = Index::open(manifest, terms?, postings?, None, &papers?)
        .map(Arc::new)
        .map_err(|e| e.to_string())?;
    let background = index.clone();
    let dir = dir.to_string();
    wasm_bindgen_futures::spawn_local(async move {
        let added = fetch_file(&dir, &files.positions, &|_| {})
            .await
            .and_then(|bytes| background.add_positions(bytes).map_err(|e| e.to_string()));
        if let Err(error) = added {
            web_sys::console::warn_1(
                &format!("Folio: phrase positions not loaded, phrases use the slower text check: {error}")
                    .into(),
            );
        }
    });
    Ok(index)
}

/// Starts [`load_index`] in the background: the signal holds `None` until the index is open
/// or has failed. (A plain task and a signal rather than a `LocalResource`: the same
/// behaviour with much less of the async machinery compiled into the wasm.)
pub(crate) fn spawn_load(
    dir: String,
    progress: impl Fn(Progress) + 'static,
) -> ReadSignal<Option<Result<Arc<Index>, String>>> {
    let (loaded, set_loaded) = signal(None);
    wasm_bindgen_futures::spawn_local(async move {
        set_loaded.set(Some(load_index(&dir, progress).await));
    });
    loaded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push(body: &mut Body, n: usize) -> Result<(), String> {
        body.push(n, |out| out.fill(7))
    }

    #[test]
    fn a_body_stops_at_its_declared_size() {
        let mut body = Body::new("data/terms.x.fst", Size::Declared(10));
        push(&mut body, 6).unwrap();
        push(&mut body, 4).unwrap();
        let err = push(&mut body, 1).unwrap_err();
        assert_eq!(
            err,
            "data/terms.x.fst: the server sent more than the 10 bytes the manifest declares"
        );
        // A piece that would pass the size is refused whole, before memory is taken for it,
        // however large it claims to be.
        let mut body = Body::new("data/terms.x.fst", Size::Declared(10));
        assert!(push(&mut body, 11).is_err());
        assert!(body.push(usize::MAX, |_| unreachable!()).is_err());
        assert_eq!(body.bytes.capacity(), 0);
    }

    #[test]
    fn a_short_body_is_an_error_and_an_exact_one_is_whole() {
        let mut body = Body::new("data/papers.x.json", Size::Declared(10));
        push(&mut body, 9).unwrap();
        assert_eq!(
            body.finish().unwrap_err(),
            "data/papers.x.json: the server sent 9 bytes where the manifest declares 10"
        );
        let mut body = Body::new("data/papers.x.json", Size::Declared(3));
        push(&mut body, 3).unwrap();
        assert_eq!(body.finish().unwrap(), [7, 7, 7]);
        let mut manifest = Body::new("data/manifest.json", Size::AtMost(MAX_MANIFEST_BYTES));
        push(&mut manifest, 100).unwrap();
        assert_eq!(manifest.finish().unwrap().len(), 100);
        let mut manifest = Body::new("data/manifest.json", Size::AtMost(MAX_MANIFEST_BYTES));
        push(&mut manifest, MAX_MANIFEST_BYTES as usize).unwrap();
        assert!(push(&mut manifest, 1)
            .unwrap_err()
            .contains("more than 1048576 bytes"));
    }

    fn files(sizes: [u64; 4]) -> IndexFiles {
        let file = |name: &str, bytes| FileRef {
            name: name.into(),
            bytes,
            hash: String::new(),
        };
        IndexFiles {
            terms: file("terms.a.fst", sizes[0]),
            postings: file("postings.a.bin", sizes[1]),
            positions: file("positions.a.bin", sizes[2]),
            papers: file("papers.a.json", sizes[3]),
        }
    }

    #[test]
    fn declared_sizes_past_what_a_browser_holds_are_refused_before_fetching() {
        assert_eq!(declared_total("data/", &files([1, 2, 3, 4])), Ok(10));
        assert_eq!(
            declared_total("data/", &files([MAX_INDEX_BYTES - 3, 1, 1, 1])),
            Ok(MAX_INDEX_BYTES)
        );
        for sizes in [
            [MAX_INDEX_BYTES, 0, 0, 1],
            [u64::MAX, 1, 0, 0],
            [u64::MAX / 2 + 1, u64::MAX / 2 + 1, 0, 0],
            [0, 0, 0, u64::MAX],
        ] {
            let err = declared_total("data/", &files(sizes)).unwrap_err();
            assert!(err.contains("data/manifest.json declares"), "{err}");
            assert!(err.contains("2 GiB"), "{err}");
        }
    }

    #[test]
    fn only_plain_file_names_become_urls() {
        let named = |name: &str| FileRef {
            name: name.into(),
            bytes: 1,
            hash: String::new(),
        };
        assert_eq!(
            file_url("data/", &named("terms.0a1b.fst")).as_deref(),
            Ok("data/terms.0a1b.fst")
        );
        for bad in [
            "",
            ".",
            "..",
            "../secret",
            "a/b",
            "a\\b",
            "https://evil.example/x",
            "//evil.example/x",
            "x?y",
            "x#y",
            "%2e%2e",
            ".hidden",
            "tab\tname",
        ] {
            let err = file_url("data/", &named(bad)).unwrap_err();
            assert!(err.contains("not a plain file name"), "{bad}: {err}");
        }
    }
}
