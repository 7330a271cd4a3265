//! Query latency measured in the browser, for `make bench-query` (the page exposes
//! [`measure_queries`] through `main.rs`; `tests/examples/latency.rs` calls it in Chromium).

use folio_engine::Index;

use crate::load::{fetch_file, fetch_manifest};

/// Loads the index under `dir` (with its positions file when `positions`), then times each
/// query: `batches` batches of `runs` searches, the median of the batch means, in
/// milliseconds. Batching keeps the browser's coarse clock (100 µs steps) out of the way.
pub async fn measure_queries(
    dir: String,
    queries: Vec<String>,
    positions: bool,
    runs: u32,
    batches: u32,
) -> Result<Vec<f64>, String> {
    let manifest = fetch_manifest(&dir).await?;
    let files = manifest.files.clone();
    let terms = fetch_file(&dir, &files.terms, &|_| {}).await?;
    let postings = fetch_file(&dir, &files.postings, &|_| {}).await?;
    let positions = if positions {
        Some(fetch_file(&dir, &files.positions, &|_| {}).await?)
    } else {
        None
    };
    let papers = fetch_file(&dir, &files.papers, &|_| {}).await?;
    let index =
        Index::open(manifest, terms, postings, positions, &papers).map_err(|e| e.to_string())?;
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or("no performance clock")?;
    let mut medians = Vec::with_capacity(queries.len());
    for query in &queries {
        std::hint::black_box(index.search(query, 10));
        let mut means: Vec<f64> = (0..batches.max(1))
            .map(|_| {
                let start = performance.now();
                for _ in 0..runs.max(1) {
                    std::hint::black_box(index.search(std::hint::black_box(query), 10));
                }
                (performance.now() - start) / f64::from(runs.max(1))
            })
            .collect();
        means.sort_unstable_by(f64::total_cmp);
        medians.push(means[means.len() / 2]);
    }
    Ok(medians)
}
