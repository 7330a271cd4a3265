//! The embeddable search widget: what `<folio-search>` (public `folio-embed.js`) mounts
//! inside its shadow root. A search box and compact results over an index at any URL; a
//! result opens inline, with a link to the paper on the full site. It keeps its state to
//! itself: no URL hash, no global key bindings, nothing outside its element.

use std::sync::Arc;

use folio_engine::LinkKind;
use leptos::prelude::*;

use crate::load::{live_search, spawn_open, Site};
use crate::results::{byline, highlighted, pretty_date};
use crate::{links, url::UrlState};

/// Results shown by the widget.
const WIDGET_RESULTS: usize = 8;

#[component]
pub fn Widget(
    /// The index directory (a URL ending in `/`).
    index_url: String,
    /// The full site's address, for "open in Folio" links; empty: no such links.
    site_url: String,
    /// The search box's placeholder.
    placeholder: String,
) -> impl IntoView {
    let site = spawn_open(index_url);
    let query = RwSignal::new(String::new());
    view! {
        <div class="folio-widget" role="search">
            <label class="field">
                <span class="label">"Search papers"</span>
                <input
                    type="search"
                    placeholder=placeholder
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || query.get()
                    on:input=move |ev| query.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            query.set(String::new());
                        }
                    }
                />
            </label>
            {move || match site.get() {
                None => view! { <p class="status" role="status">"Loading the papers…"</p> }.into_any(),
                Some(Err(error)) => view! {
                    <p class="error" role="alert">"The paper index could not be loaded: " {error}</p>
                }
                .into_any(),
                Some(Ok(site)) => {
                    view! { <WidgetResults site=site query=query site_url=site_url.clone() /> }.into_any()
                }
            }}
        </div>
    }
}

#[component]
fn WidgetResults(site: Arc<Site>, query: RwSignal<String>, site_url: String) -> impl IntoView {
    let searched = live_search(site.clone(), move || {
        let q = query.get();
        (!q.trim().is_empty()).then(|| (q, WIDGET_RESULTS))
    });
    let open = RwSignal::new(None::<u32>);
    move || {
        if query.with(|q| q.trim().is_empty()) {
            return view! {
                <p class="status" role="status">{format!("{} papers. Type to search.", site.index().paper_count())}</p>
            }
            .into_any();
        }
        // While a search fetches what it needs, the last results stay, under "Searching…".
        let working = searched.working.get();
        let results = searched.results.get().0;
        let status = match results.total {
            _ if working => "Searching…".to_string(),
            0 => "No papers found".to_string(),
            1 => "1 paper found".to_string(),
            n => format!("{n} papers found"),
        };
        let site_url = site_url.clone();
        let q = query.get_untracked();
        let items = results
            .hits
            .iter()
            .filter_map(|hit| {
                let paper = site.index().paper(hit.doc).ok().flatten()?.clone();
                let doc = hit.doc;
                let expanded = move || open.get() == Some(doc);
                let excerpt = paper
                    .abstract_text
                    .get(hit.snippet.start..hit.snippet.end)
                    .unwrap_or("")
                    .to_string();
                let shifted: Vec<(usize, usize)> = hit
                    .snippet
                    .highlights
                    .iter()
                    .filter_map(|&(s, e)| {
                        Some((s.checked_sub(hit.snippet.start)?, e.checked_sub(hit.snippet.start)?))
                    })
                    .collect();
                let full_site = (!site_url.is_empty()).then(|| {
                    let state = UrlState {
                        query: q.clone(),
                        paper: Some(paper.id.clone()),
                    };
                    format!("{}{}", site_url, state.to_hash())
                });
                let meta: Vec<String> = [paper.published.as_deref().map(pretty_date), byline(&paper)]
                    .into_iter()
                    .flatten()
                    .collect();
                let code: Vec<String> = paper
                    .links
                    .iter()
                    .filter(|l| l.kind == LinkKind::Code)
                    .filter_map(|l| links::safe_url(&l.url).map(str::to_string))
                    .collect();
                let arxiv = links::arxiv(&paper);
                let title_marks = hit.title_highlights.clone();
                Some(view! {
                    <li class="hit" class:open=expanded>
                        <button
                            class="hit-title"
                            aria-expanded=move || expanded().to_string()
                            on:click=move |_| open.update(|o| *o = if *o == Some(doc) { None } else { Some(doc) })
                        >
                            {highlighted(&paper.title, &title_marks)}
                        </button>
                        <p class="snippet">{highlighted(&excerpt, &shifted)}</p>
                        <Show when=expanded>
                            <div class="details">
                                <p class="meta">{meta.join(" · ")}</p>
                                <p class="abstract">{paper.abstract_text.clone()}</p>
                                <p class="links">
                                    {code.iter().map(|url| view! {
                                        <a href=url.clone() target="_blank" rel="noopener noreferrer">"Code"</a>
                                    }).collect_view()}
                                    <a href=arxiv.clone() target="_blank" rel="noopener noreferrer">"arXiv"</a>
                                    {full_site.clone().map(|href| view! {
                                        <a href=href target="_blank" rel="noopener">"Open in Folio"</a>
                                    })}
                                </p>
                            </div>
                        </Show>
                    </li>
                })
            })
            .collect_view();
        // The engine's words about a long query, and about a part of the index that did
        // not decode: said, compactly, rather than shown as complete.
        let notice = results
            .notice
            .as_ref()
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        let damage = results.damage.clone();
        view! {
            <p class="status" role="status" aria-live="polite">{status}{notice}</p>
            {damage.map(|d| view! { <p class="error" role="alert">"Some results may be missing: " {d}</p> })}
            <ul class="hits">{items}</ul>
        }
        .into_any()
    }
}
