//! The smallest page Folio's stack can make: Leptos, gloo-net and `folio_engine`, with one
//! search input over the index (through the engine's loader) and a plain list of what it
//! finds; no filters, paper view, URL state, widget or styling. `make bench-size` builds it
//! like the site (wasm-release profile, wasm-bindgen, `wasm-opt -Oz`) and reports its size
//! next to the site's, so the size budget can be judged against what the chosen packages
//! cost before any feature.
//!
//! Not served anywhere; it is never run, only measured.

use std::sync::Arc;

use folio_engine::load::{Fetch, Loader};
use leptos::prelude::*;

/// The index directory over HTTP, each file read whole (no size cap: a measurement only).
struct Http;

impl Fetch for Http {
    async fn fetch(&self, name: &str, _max_bytes: u64) -> Result<Vec<u8>, String> {
        let response = gloo_net::http::Request::get(&format!("data/{name}"))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        response.binary().await.map_err(|e| e.to_string())
    }

    async fn fetch_range(&self, name: &str, start: u64, len: u64) -> Result<Vec<u8>, String> {
        let range = format!("bytes={start}-{}", start + len.max(1) - 1);
        let response = gloo_net::http::Request::get(&format!("data/{name}"))
            .header("Range", &range)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        response.binary().await.map_err(|e| e.to_string())
    }
}

fn main() {
    leptos::mount::mount_to_body(|| {
        let (titles, set_titles) = signal(Vec::<String>::new());
        let (site, set_site) = signal(None::<Arc<Loader<Http>>>);
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(opened) = Loader::open(Http).await {
                set_site.set(Some(Arc::new(opened)));
            }
        });
        let search = move |query: String| {
            let Some(site) = site.get_untracked() else {
                return;
            };
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(results) = site.search(&query, 10).await else {
                    return;
                };
                let found = results
                    .hits
                    .iter()
                    .filter_map(|hit| site.index().paper(hit.doc).ok().flatten())
                    .map(|paper| paper.title.clone())
                    .collect();
                set_titles.set(found);
            });
        };
        view! {
            <input on:input=move |ev| search(event_target_value(&ev)) />
            <ul>
                <For each=move || titles.get() key=|title| title.clone() let:title>
                    <li>{title}</li>
                </For>
            </ul>
        }
    })
}
