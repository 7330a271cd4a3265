//! The filter panel: live facet counts of the current results. Each choice edits the query
//! text (`year:2025`, `has:code`, ...), so the box always shows the whole search.

use folio_engine::facets::AUTHOR_BUCKET_FILTERS;
use leptos::prelude::*;

use crate::load::Searched;
use crate::{edit, Ui};

/// One toggle: pressed when the search applies `name:value`.
#[component]
fn FacetButton(
    /// The filter's name in the query (`year`, `listing`).
    name: &'static str,
    /// Its value, written into the query by the engine's writer (quoted when it must be).
    value: String,
    label: String,
    count: usize,
    /// Bar length, 0..=1, for the year histogram.
    #[prop(optional)]
    bar: Option<f64>,
) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");
    let pressed = {
        let value = value.clone();
        move || ui.query.with(|q| edit::holds(q, name, &value))
    };
    let click = move |_| {
        let query = ui.query.get_untracked();
        ui.run_query(edit::toggle(&query, name, &value));
    };
    view! {
        <button
            class="facet"
            class:pressed=pressed.clone()
            aria-pressed=move || (pressed()).to_string()
            on:click=click
        >
            {bar.map(|b| view! {
                <span class="bar" aria-hidden="true" style:inline-size=format!("{}%", (b * 100.0).max(4.0).round() as u32)></span>
            })}
            <span class="label">{label}</span>
            <span class="n">{count}<span class="visually-hidden">{if count == 1 { " paper" } else { " papers" }}</span></span>
        </button>
    }
}

#[component]
pub(crate) fn Filters(searched: Searched) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");
    let any_filter = move || {
        ui.query
            .with(|q| folio_engine::Query::parse(q).filters.iter().any(|_| true))
    };
    let clear = move |_| {
        let query = ui.query.get_untracked();
        ui.run_query(edit::clear_filters(&query));
    };
    view! {
        <aside class="filters" aria-label="Filters">
            <div class="filters-head">
                <h2>"Filter"</h2>
                <Show when=any_filter>
                    <button class="link" on:click=clear>"Clear filters"</button>
                </Show>
            </div>
            {move || {
                searched.results.with(|(results, _)| {
                    let facets = &results.facets;
                    let max_year = facets.years.iter().map(|y| y.1).max().unwrap_or(1).max(1);
                    let years = facets
                        .years
                        .iter()
                        .map(|&(year, n)| {
                            view! {
                                <li><FacetButton name="year" value=year.to_string() label=year.to_string() count=n
                                    bar=n as f64 / max_year as f64 /></li>
                            }
                        })
                        .collect_view();
                    let listings = facets
                        .listings
                        .iter()
                        .map(|(name, n)| {
                            view! {
                                <li><FacetButton name="listing" value=folio_engine::analyze::lowercase(name) label=name.clone() count=*n /></li>
                            }
                        })
                        .collect_view();
                    let authors = facets
                        .author_counts
                        .iter()
                        .zip(AUTHOR_BUCKET_FILTERS)
                        .filter(|((_, n), _)| *n > 0)
                        .filter_map(|((bucket, n), piece)| {
                            // The engine's own piece, read by its own splitter.
                            let value = folio_engine::query::spans(piece?).pop()?.value;
                            Some(view! {
                                <li><FacetButton name="authors" value=value label=if *bucket == "1" { "1 author".to_string() } else { format!("{bucket} authors") } count=*n /></li>
                            })
                        })
                        .collect_view();
                    let unknown_authors = facets.author_counts.last().map_or(0, |b| b.1);
                    view! {
                        <section class="facet-group">
                            <h3>"Year"</h3>
                            {if facets.years.is_empty() {
                                view! { <p class="none">"No dates known"</p> }.into_any()
                            } else {
                                view! { <ul class="years">{years}</ul> }.into_any()
                            }}
                        </section>
                        <section class="facet-group">
                            <h3>"Links"</h3>
                            <ul><li><FacetButton name="has" value="code".to_string() label="With code".to_string() count=facets.has_code /></li></ul>
                        </section>
                        <section class="facet-group">
                            <h3>"Authors"</h3>
                            <ul>{authors}</ul>
                            {(unknown_authors > 0).then(|| view! {
                                <p class="none">{format!("{unknown_authors} without an author count")}</p>
                            })}
                        </section>
                        <section class="facet-group">
                            <h3>"Listing"</h3>
                            <ul>{listings}</ul>
                        </section>
                    }
                })
            }}
        </aside>
    }
}
