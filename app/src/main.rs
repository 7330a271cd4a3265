//! Mounts the app. Everything else lives in the library so tests can import components.

use wasm_bindgen::prelude::*;

fn main() {
    leptos::mount::mount_to_body(folio_app::App);
}

/// Query latency in this browser (see `folio_app::bench`); reached from scripts as
/// `window.wasmBindings.measure_queries(...)`.
#[wasm_bindgen]
pub async fn measure_queries(
    dir: String,
    queries: Vec<String>,
    positions: bool,
    runs: u32,
    batches: u32,
) -> Result<Vec<f64>, JsValue> {
    folio_app::bench::measure_queries(dir, queries, positions, runs, batches)
        .await
        .map_err(|e| JsValue::from_str(&e))
}
