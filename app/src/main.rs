//! Mounts the app. Everything else lives in the library so tests can import components.

use wasm_bindgen::prelude::*;

/// Folio's own page (`index.html`, whose body carries `data-folio-app`) mounts the whole
/// app. Any other page loaded this module through `folio-embed.js` to mount widgets with
/// [`mount_widget`], and gets nothing else.
fn main() {
    let own_page = leptos::prelude::document()
        .body()
        .is_some_and(|body| body.has_attribute("data-folio-app"));
    if own_page {
        leptos::mount::mount_to_body(folio_app::App);
    }
}

/// Mounts a search widget into `host` (an element inside a `<folio-search>`'s shadow root),
/// over the index at `index_url`, linking papers to the full site at `site_url`.
#[wasm_bindgen]
pub fn mount_widget(
    host: web_sys::HtmlElement,
    index_url: String,
    site_url: String,
    placeholder: String,
) {
    leptos::mount::mount_to(host, move || {
        leptos::view! { <folio_app::Widget index_url=index_url site_url=site_url placeholder=placeholder /> }
    })
    .forget();
}

/// Query latency in this browser (see `folio_app::bench`); reached from scripts as
/// `window.wasmBindings.measure_queries(...)`. Only in the benchmark build (`--features
/// bench`).
#[cfg(feature = "bench")]
#[wasm_bindgen]
pub async fn measure_queries(
    dir: String,
    queries: Vec<String>,
    runs: u32,
    batches: u32,
) -> Result<Vec<f64>, JsValue> {
    folio_app::bench::measure_queries(dir, queries, runs, batches)
        .await
        .map_err(|e| JsValue::from_str(&e))
}
