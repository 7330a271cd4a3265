//! Runs the judged queries in a loop, for profilers: `cargo run --release -p folio-engine
//! --example profile_queries -- build/index 200`.

use folio_engine::{Index, Manifest};
use std::path::Path;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "build/index".into());
    let rounds: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let dir = Path::new(&dir);
    let read = |name: &str| std::fs::read(dir.join(name)).expect("index file");
    let manifest = Manifest::from_json(&read("manifest.json")).expect("manifest");
    let index = Index::open(
        manifest.clone(),
        read(&manifest.files.terms.name),
        read(&manifest.files.postings.name),
        Some(read(&manifest.files.positions.name)),
        &read(&manifest.files.papers.name),
    )
    .expect("index");
    let judged: serde_json::Value =
        serde_json::from_slice(&std::fs::read("bench/relevance/queries.json").expect("queries"))
            .expect("json");
    let only = std::env::var("QUERY").ok();
    let queries: Vec<&str> = judged["queries"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|q| q["query"].as_str())
        .filter(|q| only.as_deref().is_none_or(|o| o == *q))
        .collect();
    let mut total = 0;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        for q in &queries {
            total += index.search(q, 10).total;
        }
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0 / (rounds * queries.len().max(1)) as f64;
    println!("{total} results, {ms:.3} ms per query");
}
