//! The paper view: the full abstract, metadata, links, similar papers and, when the paper
//! came from a search, why it matched.

use std::sync::Arc;

use folio_engine::{Field, Index, LinkKind, MatchKind, Needs, Paper};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::load::{Searched, Site};
use crate::results::{byline, fixed, pretty_date, upvotes};
use crate::{links, Ui};

/// The paper with id `id` and its number, `None` if the collection has none; or the pieces
/// to fetch first.
fn find(index: &Index, id: &str) -> Result<Option<(u32, Paper)>, Needs> {
    let Some(doc) = index.doc_of(id)? else {
        return Ok(None);
    };
    Ok(index.paper(doc)?.map(|paper| (doc, paper.clone())))
}

/// The ids and titles of the papers of `ids` the collection holds, asking for the pieces
/// of all of them at once (one round of fetches for the ids, one for the records).
fn titles(index: &Index, ids: &[String]) -> Result<Vec<(String, String)>, Needs> {
    let mut needs = Vec::new();
    let mut found = Vec::new();
    for id in ids {
        match find(index, id) {
            Ok(Some((_, paper))) => found.push((id.clone(), paper.title)),
            Ok(None) => {}
            Err(more) => needs.extend(more.0),
        }
    }
    if needs.is_empty() {
        Ok(found)
    } else {
        Err(Needs(needs))
    }
}

/// The open paper: fetched (its id piece, then its record) unless it is in already.
#[component]
pub(crate) fn PaperView(site: Arc<Site>, id: String, searched: Searched) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");
    let (loaded, set_loaded) = signal(None::<Result<Option<(u32, Paper)>, String>>);
    let (similar, set_similar) = signal(Vec::<(String, String)>::new());
    {
        let (site, id) = (site.clone(), id.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let found = site.run(|index| find(index, &id)).await;
            let ids = match &found {
                Ok(Some((_, paper))) => paper.similar.clone(),
                _ => Vec::new(),
            };
            if set_loaded.try_set(Some(found)).is_some() || ids.is_empty() {
                return;
            }
            if let Ok(titles) = site.run(|index| titles(index, &ids)).await {
                set_similar.try_set(titles);
            }
        });
    }
    let close = move |_| ui.open(None);
    move || match loaded.get() {
        None => view! {
            <div class="paper-view" role="dialog" aria-modal="true" aria-label="Paper">
                <div class="paper-card">
                    <button class="close" on:click=close aria-label="Close">"×"</button>
                    <p class="status" role="status">"Loading the paper…"</p>
                </div>
            </div>
        }
        .into_any(),
        Some(Err(error)) => view! {
            <div class="paper-view" role="dialog" aria-modal="true" aria-labelledby="paper-title">
                <div class="paper-card">
                    <button class="close" on:click=close aria-label="Close">"×"</button>
                    <h2 id="paper-title">"The paper could not be loaded"</h2>
                    <p role="alert">{error}</p>
                </div>
            </div>
        }
        .into_any(),
        Some(Ok(found)) => {
            view! { <PaperCard id=id.clone() found=found searched=searched similar=similar /> }
                .into_any()
        }
    }
}

#[component]
fn PaperCard(
    id: String,
    found: Option<(u32, Paper)>,
    searched: Searched,
    similar: ReadSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");

    fn kind_label(kind: MatchKind) -> String {
        match kind {
            MatchKind::Exact => "exact".into(),
            MatchKind::Stem => "same stem".into(),
            MatchKind::Prefix => "prefix".into(),
            MatchKind::Fuzzy { distance: 1 } => "1 typo".into(),
            MatchKind::Fuzzy { distance } => format!("{distance} typos"),
            MatchKind::Id => "the paper's arXiv id".into(),
        }
    }

    let close = move |_| ui.open(None);
    // Focus moves into the view when it opens; Esc anywhere in it closes it.
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if let Some(h) = heading.get() {
            let _ = h.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    });
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            ui.open(None);
            if let Some(input) = document().get_element_by_id("search-input") {
                if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                    let _ = input.focus();
                }
            }
        }
    };
    let Some((doc, paper)) = found else {
        return view! {
            <div class="paper-view" role="dialog" aria-modal="true" aria-labelledby="paper-title" on:keydown=on_keydown>
                <div class="paper-card">
                    <button class="close" on:click=close aria-label="Close">"×"</button>
                    <h2 id="paper-title" tabindex="-1" node_ref=heading>"Paper not found"</h2>
                    <p>{format!("This collection has no paper with the id “{id}”.")}</p>
                </div>
            </div>
        }
        .into_any();
    };
    let explanation = searched.results.with_untracked(|(results, _)| {
        results
            .hits
            .iter()
            .find(|h| h.doc == doc)
            .map(|h| (h.score, h.explanation.clone()))
    });
    let meta: Vec<String> = [
        paper.published.as_deref().map(pretty_date),
        paper.upvotes.map(upvotes),
        // The names come below, all of them: here only the organization, or the count of
        // authors the source gave without names (the byline of a result says both).
        paper.organization.clone(),
        paper
            .authors
            .is_empty()
            .then(|| {
                byline(&Paper {
                    organization: None,
                    ..paper.clone()
                })
            })
            .flatten(),
        (!paper.categories.is_empty()).then(|| paper.categories.join(", ")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let paper_links: Vec<(String, &'static str)> = paper
        .links
        .iter()
        .filter_map(|l| {
            let url = links::safe_url(&l.url)?.to_string();
            Some((
                url,
                if l.kind == LinkKind::Code {
                    "Code"
                } else {
                    "Project"
                },
            ))
        })
        .collect();
    let arxiv = links::arxiv(&paper);
    let hugging_face = links::hugging_face(&paper);
    let known_id = links::is_arxiv_id(&paper.id);
    view! {
        <div class="paper-view" role="dialog" aria-modal="true" aria-labelledby="paper-title" on:keydown=on_keydown>
            <div class="backdrop" on:click=close></div>
            <article class="paper-card">
                <button class="close" on:click=close aria-label="Close the paper">"×"</button>
                <h2 id="paper-title" tabindex="-1" node_ref=heading>{paper.title.clone()}</h2>
                <p class="meta">{meta.into_iter().map(|m| view! { <span>{m}</span> }).collect_view()}</p>
                {(!paper.authors.is_empty()).then(|| view! { <p class="authors">{all_authors(&paper)}</p> })}
                <ul class="links">
                    {paper_links.into_iter().map(|(url, kind)| view! {
                        <li><a href=url.clone() rel="noopener noreferrer" target="_blank">{kind}": "{url.clone()}</a></li>
                    }).collect_view()}
                    <li><a href=arxiv rel="noopener noreferrer" target="_blank">
                        {if known_id { "arXiv" } else { "Find on arXiv" }}</a></li>
                    <li><a href=hugging_face rel="noopener noreferrer" target="_blank">
                        {if known_id { "Hugging Face" } else { "Find on Hugging Face" }}</a></li>
                </ul>
                <h3>"Abstract"</h3>
                <p class="abstract">{paper.abstract_text.clone()}</p>
                {(!paper.key_phrases.is_empty()).then(|| view! {
                    <p class="phrases"><span>"Key phrases: "</span>{paper.key_phrases.join(" · ")}</p>
                })}
                {(!paper.listings.is_empty()).then(|| view! {
                    <p class="phrases"><span>"Listed in: "</span>{paper.listings.join(", ")}</p>
                })}
                {move || {
                    let similar = similar.get();
                    (!similar.is_empty()).then(|| view! {
                        <h3>"Similar papers"</h3>
                        <ul class="similar">
                            {similar.into_iter().map(|(sid, title)| view! {
                                <li><button class="link" on:click=move |_| ui.open(Some(sid.clone()))>{title}</button></li>
                            }).collect_view()}
                        </ul>
                    })
                }}
                {explanation.map(|(score, parts)| view! {
                    <details class="why">
                        <summary>{format!("Why this result (score {})", fixed(f64::from(score), 2))}</summary>
                        <table>
                            <thead><tr><th scope="col">"Query word"</th><th scope="col">"Matched"</th><th scope="col">"Field"</th><th scope="col">"How"</th><th scope="col">"Score"</th></tr></thead>
                            <tbody>
                                {parts.into_iter().map(|c| view! {
                                    <tr>
                                        <td>{c.word}</td>
                                        <td>{c.term}</td>
                                        <td>{match (c.kind, c.field) {
                                            (MatchKind::Id, _) => "id",
                                            (_, Field::Title) => "title",
                                            _ => "abstract",
                                        }}</td>
                                        <td>{kind_label(c.kind)}</td>
                                        <td class="num">{fixed(f64::from(c.score), 2)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                })}
            </article>
        </div>
    }
    .into_any()
}

/// Every author named, and how many more the source counted without names.
fn all_authors(paper: &Paper) -> String {
    let names = paper.authors.join(", ");
    match paper.author_count.map(|n| n as usize) {
        Some(n) if n > paper.authors.len() => {
            format!("{names} and {} more", n - paper.authors.len())
        }
        _ => names,
    }
}
