//! Query latency, natively: `make bench-query` (or `cargo bench -p folio-engine --bench
//! query`). Runs the judged queries of `bench/relevance/queries.json` over the bundled
//! index (`build/index`, from `make index`) and, when present, the 100k synthetic index
//! (`build/bench/index-100000`, from `make bench-index`). Prints p50 and p95 over the query
//! set of each query's median time, then criterion's statistics for a few queries.

use std::path::{Path, PathBuf};
use std::time::Instant;

use criterion::{black_box, Criterion};
use folio_engine::load::{DirFetch, Loader};
use folio_engine::Index;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn open(dir: &Path) -> Option<Loader<DirFetch>> {
    folio_engine::load::open_dir_whole(dir).ok()
}

fn queries() -> Vec<String> {
    let text = std::fs::read(root().join("bench/relevance/queries.json")).expect("queries.json");
    let judged: serde_json::Value = serde_json::from_slice(&text).expect("queries.json is JSON");
    judged["queries"]
        .as_array()
        .expect("a queries array")
        .iter()
        .map(|q| q["query"].as_str().expect("a query string").to_string())
        .collect()
}

/// Median time of `runs` runs of each query, in milliseconds, in query order.
pub fn medians(index: &Index, queries: &[String], runs: usize) -> Vec<f64> {
    queries
        .iter()
        .map(|q| {
            black_box(index.search(q, 10));
            let mut times: Vec<f64> = (0..runs)
                .map(|_| {
                    let start = Instant::now();
                    black_box(index.search(black_box(q), 10));
                    start.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            times.sort_by(f64::total_cmp);
            times[times.len() / 2]
        })
        .collect()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn main() {
    let queries = queries();
    let mut criterion = Criterion::default()
        .configure_from_args()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    for (name, dir, runs) in [
        ("bundled", root().join("build/index"), 50),
        ("synthetic 100k", root().join("build/bench/index-100000"), 7),
    ] {
        let started = Instant::now();
        let Some(loader) = open(&dir) else {
            println!("{name}: no index at {} (skipped)", dir.display());
            continue;
        };
        let index = loader.index();
        let load = started.elapsed().as_secs_f64();
        let mut times = medians(index, &queries, runs);
        let mut by_time: Vec<(&String, f64)> = queries.iter().zip(times.iter().copied()).collect();
        by_time.sort_by(|a, b| b.1.total_cmp(&a.1));
        let slowest = by_time
            .iter()
            .take(5)
            .map(|(q, t)| format!("{q:?} {t:.2} ms"))
            .collect::<Vec<_>>()
            .join(", ");
        times.sort_by(f64::total_cmp);
        println!(
            "folio native, {name} ({} papers, opened in {load:.2} s): {} queries, p50 {:.3} ms, \
             p95 {:.3} ms, max {:.3} ms (slowest {slowest})",
            index.paper_count(),
            queries.len(),
            percentile(&times, 50.0),
            percentile(&times, 95.0),
            times.last().copied().unwrap_or(0.0),
        );
        let mut group = criterion.benchmark_group(name);
        for query in [
            "minecraft agents ",
            "reinforcment learning",
            "\"theory of mind\"",
            "agen",
        ] {
            group.bench_function(query, |b| b.iter(|| index.search(black_box(query), 10)));
        }
        group.finish();
    }
    criterion.final_summary();
}
