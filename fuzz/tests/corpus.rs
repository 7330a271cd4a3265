//! Replays each fuzz target's corpus (`fuzz/corpus/<target>/`) through the target function:
//! every input the fuzzer ever kept, and every crash it found (added as a file once fixed),
//! runs again in `make test`, natively and without instrumentation, in seconds.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_file() {
            run(&std::fs::read(&path).unwrap());
            count += 1;
        }
    }
    assert!(count > 0, "{} holds no inputs", dir.display());
}

#[test]
fn query_corpus() {
    replay("query", folio_fuzz::query);
}

#[test]
fn index_corpus() {
    replay("index", folio_fuzz::index);
}

#[test]
fn url_corpus() {
    replay("url", folio_fuzz::url);
}

#[test]
fn listing_corpus() {
    replay("listing", folio_fuzz::listing);
}

#[test]
fn jsonl_corpus() {
    replay("jsonl", folio_fuzz::jsonl);
}

#[test]
fn folio_json_corpus() {
    replay("folio-json", folio_fuzz::folio_json);
}

#[test]
fn collection_corpus() {
    replay("collection", folio_fuzz::collection);
}
