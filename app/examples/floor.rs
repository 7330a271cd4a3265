//! The smallest page Folio's stack can make: Leptos, gloo-net and `folio_engine`, with one
//! search input over the index and a plain list of what it finds; no filters, paper view,
//! URL state, widget or styling. `make bench-size` builds it like the site (wasm-release
//! profile, wasm-bindgen, `wasm-opt -Oz`) and reports its size next to the site's, so the
//! size budget can be judged against what the chosen packages cost before any feature.
//!
//! Not served anywhere; it is never run, only measured.

use std::sync::Arc;

use folio_engine::{Index, Manifest};
use leptos::prelude::*;

async fn fetch(url: &str) -> Option<Vec<u8>> {
    let response = gloo_net::http::Request::get(url).send().await.ok()?;
    response.binary().await.ok()
}

fn main() {
    leptos::mount::mount_to_body(|| {
        let (query, set_query) = signal(String::new());
        let (index, set_index) = signal(None::<Arc<Index>>);
        wasm_bindgen_futures::spawn_local(async move {
            let Some(manifest) = fetch("data/manifest.json").await else {
                return;
            };
            let Ok(manifest) = Manifest::from_json(&manifest) else {
                return;
            };
            let file = |f: &folio_engine::format::FileRef| format!("data/{}", f.name);
            let (terms, postings, papers) = (
                fetch(&file(&manifest.files.terms)).await,
                fetch(&file(&manifest.files.postings)).await,
                fetch(&file(&manifest.files.papers)).await,
            );
            let (Some(terms), Some(postings), Some(papers)) = (terms, postings, papers) else {
                return;
            };
            if let Ok(opened) = Index::open(manifest, terms, postings, None, &papers) {
                set_index.set(Some(Arc::new(opened)));
            }
        });
        let titles = move || {
            let Some(index) = index.get() else {
                return Vec::new();
            };
            let results = index.search(&query.get(), 10);
            results
                .hits
                .iter()
                .filter_map(|hit| index.paper(hit.doc))
                .map(|paper| paper.title.clone())
                .collect::<Vec<_>>()
        };
        view! {
            <input on:input=move |ev| set_query.set(event_target_value(&ev)) prop:value=query />
            <ul>
                <For each=titles key=|title| title.clone() let:title>
                    <li>{title}</li>
                </For>
            </ul>
        }
    })
}
