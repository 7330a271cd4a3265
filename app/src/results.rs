//! The result list: count and time, did-you-mean, topics, sort, and the papers.

use std::sync::Arc;

use folio_engine::{Hit, Paper, Sort};
use leptos::prelude::*;

use crate::load::{Searched, Site};
use crate::{edit, links, Ui, PAGE_SIZE};

/// `text` as text nodes, with the byte ranges in `ranges` wrapped in `<mark>`. Ranges that
/// are out of bounds, overlapping or not on character boundaries are skipped, never a
/// panic.
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

/// `x` with `decimals` digits after the point, by integer arithmetic: the float formatting
/// machinery of `format!("{:.2}")` costs kilobytes of wasm.
pub(crate) fn fixed(x: f64, decimals: u32) -> String {
    let scale = 10u64.pow(decimals);
    let n = (x.abs() * scale as f64).round() as u64;
    let sign = if x < 0.0 && n > 0 { "-" } else { "" };
    if decimals == 0 {
        return format!("{sign}{n}");
    }
    let width = decimals as usize;
    format!("{sign}{}.{:0width$}", n / scale, n % scale)
}

/// "1 paper" / "12 papers".
pub(crate) fn papers(n: usize) -> String {
    if n == 1 {
        "1 paper".to_string()
    } else {
        format!("{n} papers")
    }
}

/// "1 upvote" / "12 upvotes".
pub(crate) fn upvotes(n: u32) -> String {
    if n == 1 {
        "1 upvote".to_string()
    } else {
        format!("{n} upvotes")
    }
}

/// A date as "12 Mar 2025" (or "12 Mar" when the source gave no year).
pub(crate) fn pretty_date(date: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let parts: Vec<&str> = date.split('-').collect();
    // Two digits, checked by hand: `parse` would also take `+5`.
    let month = |m: &str| match m.as_bytes() {
        [d1 @ b'0'..=b'9', d2 @ b'0'..=b'9'] => {
            MONTHS.get(usize::from((d1 - b'0') * 10 + (d2 - b'0')).wrapping_sub(1))
        }
        _ => None,
    };
    match parts.as_slice() {
        [year, m, day] if !year.is_empty() => match month(m) {
            Some(month) => format!("{} {month} {year}", day.trim_start_matches('0')),
            None => date.to_string(),
        },
        ["", "", m, day] => match month(m) {
            Some(month) => format!("{} {month}", day.trim_start_matches('0')),
            None => date.to_string(),
        },
        // A date known to the month (a BibTeX `month`), shown so.
        [year, m] if year.len() == 4 => match month(m) {
            Some(month) => format!("{month} {year}"),
            None => date.to_string(),
        },
        _ => date.to_string(),
    }
}

/// Authors as shown: the organization, the names (up to three), or the count.
pub(crate) fn byline(paper: &Paper) -> Option<String> {
    let count = paper
        .author_count
        .or_else(|| (!paper.authors.is_empty()).then_some(paper.authors.len() as u32));
    let names = match paper.authors.as_slice() {
        [] => None,
        [a] => Some(a.clone()),
        [a, b] => Some(format!("{a}, {b}")),
        [a, b, c] => Some(format!("{a}, {b}, {c}")),
        [a, b, ..] => Some(format!("{a}, {b} et al.")),
    };
    let counted = count.map(|n| {
        if n == 1 {
            "1 author".to_string()
        } else {
            format!("{n} authors")
        }
    });
    match (&paper.organization, names, counted) {
        (Some(org), _, Some(counted)) => Some(format!("{org} · {counted}")),
        (Some(org), _, None) => Some(org.clone()),
        (None, Some(names), _) => Some(names),
        (None, None, counted) => counted,
    }
}

/// The result count, time, notes and the list.
#[component]
pub(crate) fn Results(site: Arc<Site>, searched: Searched) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");
    let browsing = move || ui.query.with(|q| q.trim().is_empty());
    let status = move || {
        if searched.working.get() {
            return ("Searching…".to_string(), String::new());
        }
        searched.results.with(|(results, ms)| {
            let found = if browsing() {
                format!("{} in the collection", papers(results.total))
            } else if results.total == 0 {
                "No papers found".to_string()
            } else if results.partial {
                format!("{} match some of the words", papers(results.total))
            } else {
                format!("{} found", papers(results.total))
            };
            (found, format!("{} ms", fixed(*ms, 1)))
        })
    };
    // The order the search uses, as the engine read it (`sort:new` is "date"; a sort past
    // the length caps is not used). Nothing to search lists everything newest first.
    let sort = move || {
        let parsed = ui.query.with(|q| folio_engine::Query::parse(q));
        match parsed.sort {
            _ if !parsed.sorted && parsed.is_empty() => "date",
            Sort::Relevance => "relevance",
            Sort::Date => "date",
            Sort::Upvotes => "upvotes",
        }
        .to_string()
    };
    // For `make bench-size`: when the first results are on the page.
    Effect::new(move |marked: Option<bool>| {
        if marked == Some(true) {
            return true;
        }
        let shown = searched.results.with(|(r, _)| !r.hits.is_empty());
        if shown {
            if let Some(performance) = window().performance() {
                let _ = performance.mark("folio-first-result");
            }
        }
        shown
    });
    let topics_site = site.clone();
    let list_site = site.clone();
    view! {
        <section class="results-area" aria-label="Results">
            <div class="result-bar">
                <p class="count" role="status" aria-live="polite" aria-atomic="true">
                    <span class="found">{move || status().0}</span>
                    <span class="time">{move || status().1}</span>
                </p>
                <label class="sort">
                    "Sort by "
                    <select
                        prop:value=sort
                        on:change=move |ev| {
                            let order = event_target_value(&ev);
                            let query = ui.query.get_untracked();
                            ui.run_query(edit::set(&query, "sort", &order));
                        }
                    >
                        <option value="relevance">"Relevance"</option>
                        <option value="date">"Newest"</option>
                        <option value="upvotes">"Upvotes"</option>
                    </select>
                </label>
            </div>
            <Notes searched=searched />
            <Suggestions searched=searched />
            <Show when=browsing>
                <Topics site=topics_site.clone() />
            </Show>
            <ol id="results" class="results" role="listbox" aria-label="Papers">
                {move || {
                    let site = list_site.clone();
                    searched.results.with(|(results, _)| {
                        results
                            .hits
                            .iter()
                            .enumerate()
                            .map(|(i, hit)| view! { <ResultItem site=site.clone() hit=hit.clone() position=i /> })
                            .collect_view()
                    })
                }}
            </ol>
            <Show when=move || searched.results.with(|(r, _)| r.hits.len() < r.total)>
                <button class="more" on:click=move |_| ui.shown.update(|n| *n += PAGE_SIZE)>
                    {move || searched.results.with(|(r, _)| format!("Show more ({} of {})", r.hits.len(), r.total))}
                </button>
            </Show>
        </section>
    }
}

/// What the engine says about this search, in its words: the part of a long query it left
/// out, and a part of the index that did not decode (so the results may be incomplete).
/// Both are always in the page, empty when there is nothing to say: a live region that is
/// there before its text changes is announced, and text closures cost less wasm than
/// optional views.
#[component]
fn Notes(searched: Searched) -> impl IntoView {
    let notice = move || {
        searched
            .results
            .with(|(r, _)| r.notice.clone().unwrap_or_default())
    };
    let damage = move || {
        searched.results.with(|(r, _)| {
            r.damage
                .as_ref()
                .map(|d| format!("Some results may be missing: {d}"))
                .unwrap_or_default()
        })
    };
    view! {
        <p class="notice" role="status" aria-live="polite">{notice}</p>
        <p class="warning" role="alert">{damage}</p>
    }
}

/// "Did you mean", and what to try when nothing matched.
#[component]
fn Suggestions(searched: Searched) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");
    move || {
        searched.results.with(|(results, _)| {
            let suggestion = results.suggestions.first().map(|s| s.query.clone());
            let empty = results.total == 0 && !ui.query.with_untracked(|q| q.trim().is_empty());
            if suggestion.is_none() && !empty {
                return ().into_any();
            }
            view! {
                <div class="suggestions">
                    {suggestion.map(|query| {
                        let shown = query.clone();
                        view! {
                            <p>"Did you mean "
                                <button class="link" on:click=move |_| ui.run_query(query.clone())>
                                    {shown}
                                </button>"?"
                            </p>
                        }
                    })}
                    {empty.then(|| view! {
                        <p class="hint">"No paper matches every word. Try fewer words, remove a filter, or end a word being typed with a space."</p>
                    })}
                </div>
            }
            .into_any()
        })
    }
}

/// The collection's key phrases, as searches.
#[component]
fn Topics(site: Arc<Site>) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");
    let topics: Vec<_> = site.index().topics().iter().take(14).cloned().collect();
    (!topics.is_empty()).then(|| {
        view! {
            <nav class="topics" aria-label="Topics">
                <h2>"Topics"</h2>
                <ul>
                    {topics
                        .into_iter()
                        .map(|topic| {
                            let query = format!("{} ", edit::phrase(&topic.phrase));
                            view! {
                                <li>
                                    <button class="chip" on:click=move |_| ui.run_query(query.clone())>
                                        {topic.phrase.clone()}
                                        <span class="n">{topic.papers}<span class="visually-hidden">{if topic.papers == 1 { " paper" } else { " papers" }}</span></span>
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        }
    })
}

/// One result: highlighted title and excerpt, and what is known about the paper.
#[component]
fn ResultItem(site: Arc<Site>, hit: Hit, position: usize) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");
    // The search fetched the records of the hits it returned.
    let Some(paper) = site.index().paper(hit.doc).ok().flatten() else {
        return ().into_any();
    };
    let abstract_text = &paper.abstract_text;
    let snippet = &hit.snippet;
    let excerpt = abstract_text.get(snippet.start..snippet.end).unwrap_or("");
    let shifted: Vec<(usize, usize)> = snippet
        .highlights
        .iter()
        .filter_map(|&(s, e)| Some((s.checked_sub(snippet.start)?, e.checked_sub(snippet.start)?)))
        .collect();
    let lead = if snippet.start > 0 { "… " } else { "" };
    let tail = if snippet.end < abstract_text.len() {
        " …"
    } else {
        ""
    };
    let id = paper.id.clone();
    let open = move |_| ui.open(Some(id.clone()));
    let selected = move || ui.active.get() == Some(position);
    let code = paper
        .links
        .iter()
        .any(|l| l.kind == folio_engine::LinkKind::Code && links::safe_url(&l.url).is_some());
    let meta: Vec<String> = [
        paper.published.as_deref().map(pretty_date),
        paper.upvotes.map(upvotes),
        byline(paper),
    ]
    .into_iter()
    .flatten()
    .collect();
    view! {
        <li
            id=format!("result-{position}")
            class="result"
            class:active=selected
            role="option"
            aria-selected=move || (selected()).to_string()
            on:click=open
        >
            <h3 class="title">{highlighted(&paper.title, &hit.title_highlights)}</h3>
            <p class="snippet">{lead}{highlighted(excerpt, &shifted)}{tail}</p>
            <p class="meta">
                {meta.into_iter().map(|m| view! { <span>{m}</span> }).collect_view()}
                {code.then(|| view! { <span class="badge">"code"</span> })}
                {paper.listings.iter().map(|l| view! { <span class="listing">{l.clone()}</span> }).collect_view()}
            </p>
        </li>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_rounds_like_format() {
        for (x, d) in [
            (0.0, 1),
            (0.04, 1),
            (0.05, 2),
            (12.345, 2),
            (7.26, 1),
            (1234.6, 0),
            (-1.23456, 3),
            (0.999, 2),
        ] {
            assert_eq!(fixed(x, d), format!("{x:.*}", d as usize), "{x} {d}");
        }
    }

    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(pretty_date("2025-05-29"), "29 May 2025");
        assert_eq!(pretty_date("--07-03"), "3 Jul");
        assert_eq!(pretty_date("2024-03"), "Mar 2024");
        assert_eq!(pretty_date("2024"), "2024");
        assert_eq!(pretty_date("2024-13"), "2024-13");
        assert_eq!(pretty_date("2025-13-01"), "2025-13-01");
        assert_eq!(pretty_date("garbage"), "garbage");
        // Regression (issue 13): the month was read with `parse`, which takes a sign.
        for odd in [
            "2025-+5-01",
            "2025-5-01",
            "2025-005-01",
            "--+7-03",
            "2025-00-01",
        ] {
            assert_eq!(pretty_date(odd), odd);
        }
    }
}
