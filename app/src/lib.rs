//! Folio's browser app: fetches the index over HTTP and searches it as you type.
//!
//! All text analysis and ranking is `folio_engine`'s; this crate only fetches, calls
//! [`Index::search`] and renders. Paper text reaches the page only as text nodes (Leptos
//! escapes them), never as markup.

use std::sync::Arc;

pub mod bench;

use folio_engine::{Hit, Index, Manifest, MANIFEST_FILE};
use leptos::prelude::*;

/// Where the index lives, relative to the page (so the site works under any path).
pub const INDEX_DIR: &str = "data/";

/// How many results to render.
const RESULT_LIMIT: usize = 20;

/// Fetches one file of the index as bytes; an HTTP error is reported with its status.
pub(crate) async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| format!("could not fetch {url}: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "could not fetch {url}: the server answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    response
        .binary()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))
}

/// Fetches and opens the index under `dir` (a URL ending in `/`).
///
/// The terms, postings and papers download in parallel and are all the first search needs.
/// The positions file (the largest) follows in the background and is added to the open
/// index when it arrives: until then phrases and multi-part tokens are checked against the
/// stored text, which gives the same results more slowly. If it never arrives, nothing
/// breaks.
pub async fn load_index(dir: &str) -> Result<Arc<Index>, String> {
    let manifest_bytes = fetch_bytes(&format!("{dir}{MANIFEST_FILE}")).await?;
    let manifest = Manifest::from_json(&manifest_bytes).map_err(|e| e.to_string())?;
    let url = |file: &folio_engine::format::FileRef| format!("{dir}{}", file.name);
    let (terms_url, postings_url, positions_url, papers_url) = (
        url(&manifest.files.terms),
        url(&manifest.files.postings),
        url(&manifest.files.positions),
        url(&manifest.files.papers),
    );
    let (terms, postings, papers) = futures::join!(
        fetch_bytes(&terms_url),
        fetch_bytes(&postings_url),
        fetch_bytes(&papers_url),
    );
    let index = Index::open(manifest, terms?, postings?, None, &papers?)
        .map(Arc::new)
        .map_err(|e| e.to_string())?;
    let background = index.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let added = fetch_bytes(&positions_url)
            .await
            .and_then(|bytes| background.add_positions(bytes).map_err(|e| e.to_string()));
        if let Err(error) = added {
            web_sys::console::warn_1(
                &format!("Folio: phrase positions not loaded, phrases use the slower text check: {error}")
                    .into(),
            );
        }
    });
    Ok(index)
}

/// The whole page: header, search box, and the results or the index's loading state.
#[component]
pub fn App() -> impl IntoView {
    let index = LocalResource::new(|| load_index(INDEX_DIR));
    let (query, set_query) = signal(String::new());
    view! {
        <header class="masthead">
            <h1>"Folio"</h1>
            <p class="tagline">"Search the papers, right in your browser."</p>
        </header>
        <main>
            <SearchBox query=query set_query=set_query />
            {move || match index.get() {
                None => view! {
                    <p class="status" role="status">"Loading the paper index…"</p>
                }
                .into_any(),
                Some(Err(error)) => view! {
                    <div class="error" role="alert">
                        <p><strong>"The paper index could not be loaded."</strong></p>
                        <p>{error}</p>
                        <p>"Check your connection and reload the page. If you host this site, make sure the "
                            <code>"data/"</code>" folder was uploaded with it."</p>
                    </div>
                }
                .into_any(),
                Some(Ok(index)) => view! { <Results index=index query=query /> }.into_any(),
            }}
        </main>
    }
}

/// The search input; every keystroke updates the query.
#[component]
pub fn SearchBox(
    /// The current query text.
    query: ReadSignal<String>,
    /// Setter for the query text.
    set_query: WriteSignal<String>,
) -> impl IntoView {
    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="search-input" class="visually-hidden">"Search papers"</label>
            <input
                id="search-input"
                type="search"
                placeholder="Search titles and abstracts…"
                autocomplete="off"
                spellcheck="false"
                autofocus
                prop:value=query
                on:input=move |ev| set_query.set(event_target_value(&ev))
            />
        </form>
    }
}

/// Result count and the list of matching papers for the current query.
#[component]
pub fn Results(
    /// The opened index.
    index: Arc<Index>,
    /// The query to run.
    query: ReadSignal<String>,
) -> impl IntoView {
    let searched = {
        let index = index.clone();
        Memo::new(move |_| index.search(&query.get(), RESULT_LIMIT))
    };
    let paper_count = index.papers().len();
    let count = move || {
        let q = query.get();
        let total = searched.with(|r| r.total);
        if q.trim().is_empty() {
            format!("{paper_count} papers in the collection. Type to search.")
        } else if total == 1 {
            "1 paper found".to_string()
        } else {
            format!("{total} papers found")
        }
    };
    view! {
        <p class="count" role="status" aria-live="polite">{count}</p>
        <ol class="results">
            {move || {
                let index = index.clone();
                searched
                    .get()
                    .hits
                    .into_iter()
                    .map(|hit| view! { <ResultItem index=index.clone() hit=hit /> })
                    .collect_view()
            }}
        </ol>
    }
}

/// One result: highlighted title and a highlighted excerpt of the abstract.
#[component]
pub fn ResultItem(
    /// The index the hit came from.
    index: Arc<Index>,
    /// The hit to show.
    hit: Hit,
) -> impl IntoView {
    let Some(paper) = index.paper(hit.doc) else {
        return ().into_any();
    };
    let abstract_text = &paper.abstract_text;
    let snippet = &hit.snippet;
    let excerpt = abstract_text.get(snippet.start..snippet.end).unwrap_or("");
    let shifted: Vec<(usize, usize)> = snippet
        .highlights
        .iter()
        .map(|&(s, e)| (s - snippet.start, e - snippet.start))
        .collect();
    let lead = if snippet.start > 0 { "… " } else { "" };
    let tail = if snippet.end < abstract_text.len() {
        " …"
    } else {
        ""
    };
    view! {
        <li class="result">
            <h2 class="title">{highlighted(&paper.title, &hit.title_highlights)}</h2>
            <p class="snippet">{lead}{highlighted(excerpt, &shifted)}{tail}</p>
        </li>
    }
    .into_any()
}

/// `text` as text nodes, with the byte ranges in `ranges` wrapped in `<mark>`. Ranges that
/// are out of bounds or not on character boundaries are ignored, never a panic.
pub fn highlighted(text: &str, ranges: &[(usize, usize)]) -> impl IntoView {
    let mut parts: Vec<AnyView> = Vec::new();
    let mut at = 0;
    for &(start, end) in ranges {
        let (Some(before), Some(marked)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        if !before.is_empty() {
            parts.push(before.to_string().into_any());
        }
        parts.push(view! { <mark>{marked.to_string()}</mark> }.into_any());
        at = end;
    }
    if let Some(rest) = text.get(at..) {
        parts.push(rest.to_string().into_any());
    }
    parts
}
