//! Runs one query many times over an index directory, for profiling:
//! `cargo run --release -p folio-engine --example one_query -- DIR "query" [runs]`.
//! Native only: compiled for wasm (by `cargo test --target wasm32-unknown-unknown`) it does
//! nothing, as there are no directories to read there.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().expect("DIR"));
    let query = args.next().expect("query");
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10);
    let loader = folio_engine::load::open_dir_whole(&dir).expect("index");
    let index = loader.index();
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let results = std::hint::black_box(index.search(&query, 10)).expect("loaded");
        println!(
            "{:.2} ms, {} results",
            start.elapsed().as_secs_f64() * 1e3,
            results.total
        );
    }
}
