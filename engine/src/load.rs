//! The one loader of an index, for the app, the CLI, the benchmarks and the tests: it
//! fetches the manifest, then runs searches in rounds (ask the index, fetch the pieces it
//! needs, ask again), fetching the pieces of a round in parallel, each once: pieces stay
//! in the index for later searches, and a piece already being fetched for another search
//! is waited for, not fetched again.
//!
//! The loader does no I/O itself: a [`Fetch`] does (the browser's `fetch`, a file read).
//! A fetcher that never waits (files) can drive it with [`block_on`].

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use rustc_hash::FxHashMap as HashMap;

use crate::format::{FormatError, Manifest, PieceId, PieceKind, MANIFEST_FILE};
use crate::model::Paper;
use crate::reader::{Index, Needs};
use crate::search::SearchResults;

/// The manifest is a few kilobytes; more than this is not a Folio manifest.
pub const MAX_MANIFEST_BYTES: u64 = 4 << 20;

/// Gets the bytes of one file of the index directory.
#[allow(async_fn_in_trait)]
pub trait Fetch {
    /// The content of `name` (a path relative to the index directory), at most
    /// `max_bytes` long: a longer body is an error, in words naming the file.
    async fn fetch(&self, name: &str, max_bytes: u64) -> Result<Vec<u8>, String>;

    /// The `len` bytes of `name` from offset `start` (fewer where the file ends first).
    /// Over HTTP a range request; a host that ignores the range answers the whole file,
    /// of which these bytes are kept.
    async fn fetch_range(&self, name: &str, start: u64, len: u64) -> Result<Vec<u8>, String>;
}

/// What a round of a search is waiting for, reported to whoever shows progress.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Progress {
    /// Pieces asked for so far by this search.
    pub pieces: usize,
    /// Of which arrived.
    pub done: usize,
}

enum Slot {
    Loading(Vec<Waker>),
    Done(Result<(), String>),
}

type SharedSlot = Arc<Mutex<Slot>>;

/// An index and the fetcher its pieces come through.
pub struct Loader<F> {
    fetch: F,
    index: Index,
    /// Pieces being fetched, by id: a second search needing one waits on its slot.
    in_flight: Mutex<HashMap<PieceId, SharedSlot>>,
}

impl<F: Fetch> Loader<F> {
    /// Fetches and checks the manifest.
    pub async fn open(fetch: F) -> Result<Loader<F>, String> {
        let bytes = fetch.fetch(MANIFEST_FILE, MAX_MANIFEST_BYTES).await?;
        let manifest = Manifest::from_json(&bytes).map_err(|e| e.to_string())?;
        Self::with_manifest(fetch, manifest)
    }

    /// A loader over an index whose manifest was read already (the app parses it with the
    /// browser's JSON reader).
    pub fn with_manifest(fetch: F, manifest: Manifest) -> Result<Loader<F>, String> {
        Ok(Loader {
            fetch,
            index: Index::new(manifest).map_err(|e| e.to_string())?,
            in_flight: Mutex::new(HashMap::default()),
        })
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    /// Runs a search, fetching the pieces it needs.
    pub async fn search(&self, query: &str, limit: usize) -> Result<SearchResults, String> {
        self.run(|index| index.search(query, limit)).await
    }

    /// The record of paper `doc` (`None` past the paper count).
    pub async fn paper(&self, doc: u32) -> Result<Option<Paper>, String> {
        self.run(|index| index.paper(doc).map(Option::<&Paper>::cloned))
            .await
    }

    /// The document number of the paper with this id.
    pub async fn doc_of(&self, id: &str) -> Result<Option<u32>, String> {
        self.run(|index| index.doc_of(id)).await
    }

    /// Asks `ask` until it stops needing pieces, fetching what it needs in between. A
    /// round that adds nothing new (an index whose pieces keep asking for themselves)
    /// stops with an error instead of looping.
    pub async fn run<T>(&self, ask: impl Fn(&Index) -> Result<T, Needs>) -> Result<T, String> {
        self.run_traced(ask, &mut Vec::new()).await
    }

    /// [`Loader::run`], noting in `rounds` the pieces asked for in each round (those in
    /// already included), for tools that report what a query costs.
    pub async fn run_traced<T>(
        &self,
        ask: impl Fn(&Index) -> Result<T, Needs>,
        rounds: &mut Vec<Vec<PieceId>>,
    ) -> Result<T, String> {
        let mut previous: Option<Needs> = None;
        loop {
            match ask(&self.index) {
                Ok(answer) => return Ok(answer),
                Err(needs) => {
                    if previous.as_ref() == Some(&needs) {
                        return Err(format!(
                            "the index keeps asking for {} after loading it",
                            self.index.file_name(needs.0[0])
                        ));
                    }
                    rounds.push(needs.0.clone());
                    self.load(&needs.0).await?;
                    previous = Some(needs);
                }
            }
        }
    }

    /// Fetches and adds every piece of `ids` not added yet, in parallel. The first failure
    /// is the error, in words naming the file.
    pub async fn load(&self, ids: &[PieceId]) -> Result<(), String> {
        let mut waits: Vec<Pin<Box<dyn Future<Output = Result<(), String>> + '_>>> = Vec::new();
        // Slots of consecutive papers in one file: one range request.
        let mut run: Vec<(PieceId, SharedSlot)> = Vec::new();
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if self.index.has(id) {
                continue;
            }
            let (slot, mine) = {
                let mut in_flight = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
                match in_flight.get(&id) {
                    Some(slot) => (slot.clone(), false),
                    None => {
                        let slot = Arc::new(Mutex::new(Slot::Loading(Vec::new())));
                        in_flight.insert(id, slot.clone());
                        (slot, true)
                    }
                }
            };
            if !mine {
                waits.push(Box::pin(WaitSlot(slot)));
            } else if id.kind == PieceKind::Records {
                let follows = run.last().is_some_and(|(last, _)| {
                    last.n + 1 == id.n
                        && self.index.file_name(*last) == self.index.file_name(id)
                        && (run.len() as u64 + 1) * self.index.manifest().slot_range(id.n).1
                            <= MAX_RANGE_BYTES
                });
                if !follows && !run.is_empty() {
                    waits.push(Box::pin(self.fetch_slots(std::mem::take(&mut run))));
                }
                run.push((id, slot));
            } else {
                waits.push(Box::pin(self.fetch_piece(id, slot)));
            }
        }
        if !run.is_empty() {
            waits.push(Box::pin(self.fetch_slots(run)));
        }
        for result in join_all(waits).await {
            result?;
        }
        Ok(())
    }

    /// Loads every piece and every record: for tools and tests that search one index
    /// many times.
    pub async fn load_all(&self) -> Result<(), String> {
        self.load(&self.index.all_pieces()).await?;
        self.load(&self.index.records_elsewhere()).await
    }

    async fn fetch_piece(&self, id: PieceId, slot: SharedSlot) -> Result<(), String> {
        let name = self.index.file_name(id);
        let fetched = if id.is_record() {
            match self.index.record_range(id) {
                Ok((start, len)) => self.fetch.fetch_range(&name, start, len).await,
                Err(e) => Err(e),
            }
        } else {
            self.fetch
                .fetch(&name, self.index.manifest().largest_piece)
                .await
        };
        let result =
            fetched.and_then(|bytes| self.index.add_piece(id, &bytes).map_err(|e| e.to_string()));
        self.settle(id, &slot, result.clone());
        result
    }

    /// Fetches the slots of consecutive papers of one record file in one range request.
    async fn fetch_slots(&self, run: Vec<(PieceId, SharedSlot)>) -> Result<(), String> {
        let first = run[0].0;
        let name = self.index.file_name(first);
        let (start, slot) = self.index.manifest().slot_range(first.n);
        let expected = slot * run.len() as u64;
        let result = match self.fetch.fetch_range(&name, start, expected).await {
            // Fewer bytes would be read as fewer slots, and the papers past them would
            // be settled without a record.
            Ok(bytes) if bytes.len() as u64 != expected => Err(FormatError::Truncated {
                file: name.clone(),
                expected: start + expected,
                got: start + bytes.len() as u64,
            }
            .to_string()),
            Ok(bytes) => self
                .index
                .add_piece(first, &bytes)
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        for (id, slot) in &run {
            self.settle(*id, slot, result.clone());
        }
        result
    }

    /// Marks a piece fetched (or failed) and wakes the searches waiting for it.
    fn settle(&self, id: PieceId, slot: &SharedSlot, result: Result<(), String>) {
        self.in_flight
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&id);
        let wakers = {
            let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
            match std::mem::replace(&mut *slot, Slot::Done(result)) {
                Slot::Loading(wakers) => wakers,
                Slot::Done(_) => Vec::new(),
            }
        };
        for waker in wakers {
            waker.wake();
        }
    }
}

/// At most this many bytes of slots in one range request (a whole index loaded at once
/// reads its record files a few megabytes at a time, not a whole file at once).
const MAX_RANGE_BYTES: u64 = 4 << 20;

/// Waits for a piece another search is fetching.
struct WaitSlot(SharedSlot);

impl Future for WaitSlot {
    type Output = Result<(), String>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        match &mut *slot {
            Slot::Done(result) => Poll::Ready(result.clone()),
            Slot::Loading(wakers) => {
                wakers.push(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Runs futures concurrently; their outputs in order.
async fn join_all<T>(futures: Vec<Pin<Box<dyn Future<Output = T> + '_>>>) -> Vec<T> {
    JoinAll {
        outputs: futures.iter().map(|_| None).collect(),
        futures: futures.into_iter().map(Some).collect(),
    }
    .await
}

struct JoinAll<'f, T> {
    futures: Vec<Option<Pin<Box<dyn Future<Output = T> + 'f>>>>,
    outputs: Vec<Option<T>>,
}

// The outputs are never pinned: they are moved out once ready.
impl<T> Unpin for JoinAll<'_, T> {}

impl<T> Future for JoinAll<'_, T> {
    type Output = Vec<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<T>> {
        let this = self.get_mut();
        for (slot, out) in this.futures.iter_mut().zip(this.outputs.iter_mut()) {
            if let Some(future) = slot {
                if let Poll::Ready(value) = future.as_mut().poll(cx) {
                    *out = Some(value);
                    *slot = None;
                }
            }
        }
        if this.futures.iter().all(Option::is_none) {
            Poll::Ready(this.outputs.iter_mut().filter_map(Option::take).collect())
        } else {
            Poll::Pending
        }
    }
}

/// Runs a future whose I/O never waits (a [`Fetch`] over files) to completion on this
/// thread. A future that does wait is polled again until it is ready.
pub fn block_on<T>(future: impl Future<Output = T>) -> T {
    let mut future = std::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(value) = future.as_mut().poll(&mut cx) {
            return value;
        }
        std::thread::yield_now();
    }
}

/// A fetcher over an index directory on disk.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Clone)]
pub struct DirFetch(pub std::path::PathBuf);

#[cfg(not(target_arch = "wasm32"))]
impl Fetch for DirFetch {
    async fn fetch(&self, name: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
        let path = self.0.join(name);
        let size = std::fs::metadata(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .len();
        if size > max_bytes {
            return Err(format!(
                "{} is {size} bytes, more than the {max_bytes} the index allows",
                path.display()
            ));
        }
        std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }

    async fn fetch_range(&self, name: &str, start: u64, len: u64) -> Result<Vec<u8>, String> {
        use std::io::{Read, Seek, SeekFrom};
        let path = self.0.join(name);
        let cannot = |e: std::io::Error| format!("cannot read {}: {e}", path.display());
        let mut file = std::fs::File::open(&path).map_err(cannot)?;
        file.seek(SeekFrom::Start(start)).map_err(cannot)?;
        let mut bytes = Vec::new();
        file.take(len).read_to_end(&mut bytes).map_err(cannot)?;
        Ok(bytes)
    }
}

/// Opens an index directory and loads every piece: for benchmarks and tools that search
/// one index many times.
#[cfg(not(target_arch = "wasm32"))]
pub fn open_dir_whole(dir: &std::path::Path) -> Result<Loader<DirFetch>, String> {
    block_on(async {
        let loader = Loader::open(DirFetch(dir.to_path_buf())).await?;
        loader.load_all().await?;
        Ok(loader)
    })
}

/// A fetcher over files in memory, by name: for tests, and an index just built.
#[derive(Debug, Clone, Default)]
pub struct MemoryFetch(pub HashMap<String, Vec<u8>>);

impl MemoryFetch {
    pub fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        MemoryFetch(files.into_iter().collect())
    }
}

impl Fetch for MemoryFetch {
    async fn fetch(&self, name: &str, max_bytes: u64) -> Result<Vec<u8>, String> {
        let bytes = self
            .0
            .get(name)
            .ok_or_else(|| format!("{name} is missing"))?;
        if bytes.len() as u64 > max_bytes {
            return Err(format!(
                "{name} is longer than the {max_bytes} bytes allowed"
            ));
        }
        Ok(bytes.clone())
    }

    async fn fetch_range(&self, name: &str, start: u64, len: u64) -> Result<Vec<u8>, String> {
        let bytes = self
            .0
            .get(name)
            .ok_or_else(|| format!("{name} is missing"))?;
        let from = usize::try_from(start)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        let to = from
            .saturating_add(usize::try_from(len).unwrap_or(usize::MAX))
            .min(bytes.len());
        Ok(bytes[from..to].to_vec())
    }
}

/// Opens an index kept in memory and loads every piece: what tests want from a built index.
pub fn open_memory(
    files: impl IntoIterator<Item = (String, Vec<u8>)>,
) -> Result<Loader<MemoryFetch>, String> {
    block_on(async {
        let loader = Loader::open(MemoryFetch::new(files)).await?;
        loader.load_all().await?;
        Ok(loader)
    })
}
