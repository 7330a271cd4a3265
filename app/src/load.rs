//! The index in the page: opened through the engine's one loader over HTTP, and searched
//! as the query changes. A search runs at once when the pieces it needs are in already;
//! otherwise it fetches them (in parallel, each once, cached for the next keystroke) and
//! the page says it is working. A result for an old query never replaces a newer one.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

use folio_engine::load::Loader;
use folio_engine::{Facets, Query, SearchResults};
use leptos::prelude::*;

use crate::fetch::WebFetch;

/// An index being explored: its manifest, the pieces fetched so far and the fetcher.
pub type Site = Loader<WebFetch>;

/// Opens the index under `dir` (a URL ending in `/`) in the background: the signal holds
/// `None` until its manifest has arrived and been checked, or the error in words.
pub(crate) fn spawn_open(dir: String) -> ReadSignal<Option<Result<Arc<Site>, String>>> {
    let (opened, set_opened) = signal(None);
    wasm_bindgen_futures::spawn_local(async move {
        let site = Loader::open(WebFetch { dir }).await.map(Arc::new);
        set_opened.try_set(Some(site));
    });
    opened
}

/// The latest search's results with the time it took (fetching included, in ms), and
/// whether a newer one is still fetching what it needs.
#[derive(Clone, Copy)]
pub(crate) struct Searched {
    pub results: ReadSignal<(Arc<SearchResults>, f64)>,
    pub working: ReadSignal<bool>,
}

/// Searches `site` for what `input` gives (the query text and how many hits), again each
/// time it changes; `None` is no search (nothing in the results).
pub(crate) fn live_search(
    site: Arc<Site>,
    input: impl Fn() -> Option<(String, usize)> + 'static,
) -> Searched {
    let (results, set_results) = signal((Arc::new(nothing("")), 0.0));
    let (working, set_working) = signal(false);
    // The number of the latest search: an older one that finishes later is dropped.
    let latest = Rc::new(Cell::new(0u64));
    Effect::new(move |_| {
        let asked = input();
        let generation = latest.get() + 1;
        latest.set(generation);
        let Some((query, limit)) = asked else {
            set_working.set(false);
            set_results.set((Arc::new(nothing("")), 0.0));
            return;
        };
        let started = now();
        // Everything it needs is in: no task, no "working" flash.
        if let Ok(found) = search_now(&site, &query, limit) {
            set_working.set(false);
            set_results.set((Arc::new(found), now() - started));
            return;
        }
        set_working.set(true);
        let (site, latest) = (site.clone(), latest.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let found = search(&site, &query, limit).await;
            if latest.get() != generation {
                return;
            }
            let found = found.unwrap_or_else(|error| {
                let mut failed = nothing(&query);
                failed.damage = Some(error);
                failed
            });
            set_working.try_set(false);
            set_results.try_set((Arc::new(found), now() - started));
        });
    });
    Searched { results, working }
}

/// What an empty query searches: the whole collection, newest first.
const BROWSE: &str = "sort:date";

/// The query the engine runs for `query`: no words, filters or sort browse the collection.
fn effective(query: &str) -> (&str, Option<Query>) {
    let parsed = Query::parse(query);
    if parsed.is_empty() && !parsed.sorted {
        (BROWSE, Some(parsed))
    } else {
        (query, None)
    }
}

/// A browse still says what of a long query (of operators, say) was not read.
fn as_typed(mut results: SearchResults, typed: Option<Query>) -> SearchResults {
    if let Some(parsed) = typed {
        results.notice = parsed.notice();
        results.query.limits = parsed.limits;
    }
    results
}

fn search_now(site: &Site, query: &str, limit: usize) -> Result<SearchResults, ()> {
    let (run, typed) = effective(query);
    site.index()
        .search(run, limit)
        .map(|r| as_typed(r, typed))
        .map_err(|_| ())
}

pub(crate) async fn search(
    site: &Site,
    query: &str,
    limit: usize,
) -> Result<SearchResults, String> {
    let (run, typed) = effective(query);
    site.search(run, limit).await.map(|r| as_typed(r, typed))
}

/// No results, for `query` (before the first search ends, or when one failed).
fn nothing(query: &str) -> SearchResults {
    SearchResults {
        query: Query::parse(query),
        total: 0,
        hits: Vec::new(),
        partial: false,
        facets: Facets::default(),
        suggestions: Vec::new(),
        notice: None,
        damage: None,
    }
}

/// Milliseconds from the page's clock.
pub(crate) fn now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}
