//! Query latency measured in the browser, for `make bench-query` (the page exposes
//! [`measure_queries`] through `main.rs`; `tests/examples/latency.rs` calls it in Chromium).

use folio_engine::load::Loader;

use crate::fetch::WebFetch;

/// Opens the index under `dir` and fetches every piece each query needs (so what is timed
/// is the search, not the network), then times each query: `batches` batches of `runs`
/// searches, the median of the batch means, in milliseconds. Batching keeps the browser's
/// coarse clock (100 µs steps) out of the way.
pub async fn measure_queries(
    dir: String,
    queries: Vec<String>,
    runs: u32,
    batches: u32,
) -> Result<Vec<f64>, String> {
    let site = Loader::open(WebFetch { dir }).await?;
    let performance = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or("no performance clock")?;
    let mut medians = Vec::with_capacity(queries.len());
    for query in &queries {
        std::hint::black_box(site.search(query, 10).await?);
        let index = site.index();
        let mut means: Vec<f64> = (0..batches.max(1))
            .map(|_| {
                let start = performance.now();
                for _ in 0..runs.max(1) {
                    std::hint::black_box(index.search(std::hint::black_box(query), 10).ok());
                }
                (performance.now() - start) / f64::from(runs.max(1))
            })
            .collect();
        means.sort_unstable_by(f64::total_cmp);
        medians.push(means[means.len() / 2]);
    }
    Ok(medians)
}
