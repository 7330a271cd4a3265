//! Folio's browser app: fetches the index over HTTP and explores it: search as you type,
//! filters with live counts, a paper view with similar papers, the state in the URL.
//!
//! All text analysis and ranking is `folio_engine`'s; this crate fetches the pieces of the
//! index the engine asks for (through its one loader, [`folio_engine::load`]) and renders. Paper text reaches the page only as text nodes (Leptos
//! escapes them), never as markup, and only `http(s)` URLs become links.

use std::sync::Arc;

#[cfg(feature = "bench")]
pub mod bench;
pub mod edit;
pub mod embed;
mod fetch;
pub mod links;
mod load;
mod panel;
mod paper;
mod results;
pub mod url;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

pub use embed::Widget;
pub use fetch::WebFetch;
pub use load::Site;
use load::{live_search, spawn_open};
pub use results::highlighted;
use url::UrlState;

/// Where the index lives, relative to the page (so the site works under any path).
pub const INDEX_DIR: &str = "data/";

/// Results rendered at first, and added by each "Show more". Each result's record is
/// fetched before the page shows it, in a paper piece of its own at scale (about 10 kB
/// gzip at 100,000 papers): ten, as a search engine's first page, not twenty.
const PAGE_SIZE: usize = 10;

/// The page's state, shared by its parts through context.
#[derive(Clone, Copy)]
pub(crate) struct Ui {
    /// The query text, filters and sort included.
    pub query: RwSignal<String>,
    /// The id of the open paper.
    pub paper: RwSignal<Option<String>>,
    /// The result the keyboard is on (its index in the list).
    pub active: RwSignal<Option<usize>>,
    /// How many results to render.
    pub shown: RwSignal<usize>,
}

impl Ui {
    fn state(&self) -> UrlState {
        UrlState {
            query: self.query.get_untracked(),
            paper: self.paper.get_untracked(),
        }
    }

    /// Sets the query, as typing does: the URL is updated in place (no history entry per
    /// keystroke).
    pub fn type_query(&self, query: String) {
        self.query.set(query);
        self.active.set(None);
        self.shown.set(PAGE_SIZE);
        write_url(&self.state(), false);
    }

    /// Sets the query from a control (facet, topic, suggestion, sort): a history entry, so
    /// Back undoes it.
    pub fn run_query(&self, query: String) {
        self.query.set(query);
        self.active.set(None);
        self.shown.set(PAGE_SIZE);
        self.paper.set(None);
        write_url(&self.state(), true);
    }

    /// Opens a paper (a history entry) or closes it (`None`).
    pub fn open(&self, paper: Option<String>) {
        self.paper.set(paper);
        write_url(&self.state(), true);
    }

    /// Takes the state from the URL (load, back/forward, an edited hash).
    fn restore(&self) {
        let state = UrlState::from_hash(&window().location().hash().unwrap_or_default());
        if self.query.get_untracked() != state.query {
            self.query.set(state.query);
            self.active.set(None);
            self.shown.set(PAGE_SIZE);
        }
        if self.paper.get_untracked() != state.paper {
            self.paper.set(state.paper);
        }
    }
}

/// Writes `state` into the URL's hash, as a new history entry or in place.
fn write_url(state: &UrlState, push: bool) {
    let window = window();
    let location = window.location();
    let hash = state.to_hash();
    let current = location.hash().unwrap_or_default();
    if current == hash || (hash == "#" && current.is_empty()) {
        return;
    }
    // The empty state is the bare page address, not a dangling `#`.
    let target = if hash == "#" {
        format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        )
    } else {
        hash
    };
    if let Ok(history) = window.history() {
        let _ = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&target))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&target))
        };
    }
}

/// Registers the service worker (`sw.js`, written at build time next to `index.html`) that
/// keeps the site and its index for offline use. Where service workers are unavailable (an
/// insecure origin, a file: URL, a browser setting) the site simply stays online-only.
fn register_service_worker() {
    let navigator = window().navigator();
    let available = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        && !js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
            .map(|sw| sw.is_undefined())
            .unwrap_or(true);
    if available {
        let registering = navigator.service_worker().register("./sw.js");
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(error) = wasm_bindgen_futures::JsFuture::from(registering).await {
                web_sys::console::warn_2(&"Folio: no offline copy:".into(), &error);
            }
        });
    }
}

/// The whole page: header, search box, and the explorer or the index's loading state.
#[component]
pub fn App() -> impl IntoView {
    let ui = Ui {
        query: RwSignal::new(String::new()),
        paper: RwSignal::new(None),
        active: RwSignal::new(None),
        shown: RwSignal::new(PAGE_SIZE),
    };
    ui.restore();
    provide_context(ui);
    let on_history = move || ui.restore();
    let hash_listener = window_event_listener(leptos::ev::hashchange, move |_| on_history());
    let pop_listener = window_event_listener(leptos::ev::popstate, move |_| on_history());
    on_cleanup(move || {
        hash_listener.remove();
        pop_listener.remove();
    });
    // `/` focuses the search box from anywhere but another text field.
    let slash = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = document()
            .active_element()
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
        if !typing {
            if let Some(input) = document().get_element_by_id("search-input") {
                ev.prevent_default();
                if let Ok(input) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(input) {
                    let _ = input.focus();
                }
            }
        }
    });
    on_cleanup(move || slash.remove());

    let site = spawn_open(INDEX_DIR.to_string());
    view! {
        <a class="skip" href="#results">"Skip to results"</a>
        <header class="masthead">
            <h1><a href="./" class="home">{meta("application-name", "Folio")}</a></h1>
            <p class="tagline">{meta("description", "Explore the papers, right in your browser.")}</p>
            <p class="facts">{move || match site.get() {
                Some(Ok(site)) => facts(site.index().manifest(), &meta("folio-indexed", "")),
                _ => String::new(),
            }}</p>
        </header>
        <main>
            {move || match site.get() {
                None => view! {
                    <SearchBox disabled=true />
                    <p class="status" role="status">"Loading the paper index…"</p>
                }
                .into_any(),
                Some(Err(error)) => view! {
                    <SearchBox disabled=true />
                    <div class="error" role="alert">
                        <p><strong>"The paper index could not be loaded."</strong></p>
                        <p>{error}</p>
                        <p>"Check your connection and reload the page. If you host this site, make sure the "
                            <code>"data/"</code>" folder was uploaded next to "<code>"index.html"</code>"."</p>
                    </div>
                }
                .into_any(),
                Some(Ok(site)) => view! { <Explorer site=site /> }.into_any(),
            }}
        </main>
    }
}

/// The search box, an ARIA combobox over the result list.
#[component]
fn SearchBox(
    /// While the index loads or failed, the box is shown but disabled.
    #[prop(optional)]
    disabled: bool,
    /// How many results there are (for ARIA and the arrow keys).
    #[prop(optional, into)]
    result_count: Signal<usize>,
    /// The ids of the rendered results, to open with Enter.
    #[prop(optional, into)]
    result_ids: Signal<Vec<String>>,
    /// Example queries, from the collection (`examples`).
    #[prop(optional, into)]
    placeholder: Option<String>,
) -> impl IntoView {
    let placeholder = placeholder.unwrap_or_else(|| "Search titles and abstracts".to_string());
    let ui = use_context::<Ui>().expect("Ui context");
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = result_count.get_untracked();
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                ui.active
                    .update(|a| *a = Some(a.map_or(0, |i| (i + 1).min(count - 1))));
                scroll_active_into_view(ui);
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                ui.active.update(|a| *a = a.and_then(|i| i.checked_sub(1)));
                scroll_active_into_view(ui);
            }
            "Enter" => {
                ev.prevent_default();
                let ids = result_ids.get_untracked();
                let chosen = ui.active.get_untracked().unwrap_or(0);
                if let Some(id) = ids.get(chosen) {
                    ui.open(Some(id.clone()));
                }
            }
            "Escape" => {
                ev.prevent_default();
                if ui.paper.get_untracked().is_some() {
                    ui.open(None);
                } else if !ui.query.with_untracked(String::is_empty) {
                    ui.run_query(String::new());
                }
            }
            _ => {}
        }
    };
    view! {
        <form class="search" role="search" on:submit=|ev| ev.prevent_default()>
            <label for="search-input" class="search-label">"Search the papers"</label>
            <input
                id="search-input"
                type="search"
                role="combobox"
                aria-autocomplete="list"
                aria-controls="results"
                aria-expanded=move || (result_count.get() > 0).to_string()
                aria-activedescendant=move || ui.active.get().map(|i| format!("result-{i}"))
                aria-describedby="search-help"
                placeholder=placeholder
                autocomplete="off"
                spellcheck="false"
                disabled=disabled
                prop:value=move || ui.query.get()
                on:input=move |ev| ui.type_query(event_target_value(&ev))
                on:keydown=on_keydown
            />
            <p id="search-help" class="help">
                "Press " <kbd>"/"</kbd> " to search, " <kbd>"↑"</kbd> <kbd>"↓"</kbd>
                " to move, " <kbd>"Enter"</kbd> " to open, " <kbd>"Esc"</kbd> " to close or clear."
            </p>
        </form>
    }
}

fn scroll_active_into_view(ui: Ui) {
    if let Some(i) = ui.active.get_untracked() {
        request_animation_frame(move || {
            if let Some(element) = document().get_element_by_id(&format!("result-{i}")) {
                element.scroll_into_view_with_bool(false);
            }
        });
    }
}

/// The search box, filters, results and the open paper, over an opened index.
#[component]
fn Explorer(site: Arc<Site>) -> impl IntoView {
    let ui = use_context::<Ui>().expect("Ui context");
    // Only now, so the worker's caching does not compete with the first download.
    register_service_worker();
    let searched = live_search(site.clone(), move || Some((ui.query.get(), ui.shown.get())));
    let result_count = Signal::derive(move || searched.results.with(|(r, _)| r.hits.len()));
    let result_ids = {
        let site = site.clone();
        Signal::derive(move || {
            searched.results.with(|(r, _)| {
                r.hits
                    .iter()
                    .filter_map(|h| {
                        site.index()
                            .paper(h.doc)
                            .ok()
                            .flatten()
                            .map(|p| p.id.clone())
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let paper_site = site.clone();
    view! {
        <SearchBox result_count=result_count result_ids=result_ids placeholder=examples(site.index().manifest()) />
        <div class="explorer">
            <panel::Filters searched=searched />
            <results::Results site=site.clone() searched=searched />
        </div>
        {move || {
            ui.paper.get().map(|id| {
                view! { <paper::PaperView site=paper_site.clone() id=id searched=searched /> }
            })
        }}
    }
}

/// The page's `<meta name=NAME content=…>`, which `folio site` writes from the
/// collection's title and description; `default` when the page has none.
fn meta(name: &str, default: &str) -> String {
    document()
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute("content"))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| default.to_string())
}

/// The collection in one line: "211 papers · 2020–2025 · indexed 7 Dec 2026".
fn facts(manifest: &folio_engine::format::manifest::Manifest, indexed: &str) -> String {
    let mut parts = vec![results::papers(manifest.papers as usize)];
    let (first, last) = (manifest.years.iter().min(), manifest.years.iter().max());
    match (first, last) {
        (Some(a), Some(b)) if a != b => parts.push(format!("{a}–{b}")),
        (Some(a), _) => parts.push(a.to_string()),
        _ => {}
    }
    if !indexed.is_empty() {
        parts.push(format!("indexed {}", results::pretty_date(indexed)));
    }
    parts.join(" · ")
}

/// Example queries for the search box, from the collection itself, so each finds papers:
/// its most widespread topic, its second as a phrase, and its newest year as a filter.
fn examples(manifest: &folio_engine::format::manifest::Manifest) -> String {
    let mut examples: Vec<String> = Vec::new();
    let mut topics = manifest.topics.iter().map(|t| t.phrase.as_str());
    if let Some(first) = topics.next() {
        examples.push(first.to_string());
    }
    if let Some(second) = topics.next() {
        examples.push(edit::phrase(second));
    }
    if let Some(year) = manifest.years.iter().max() {
        examples.push(format!("year:{year}"));
    }
    if examples.is_empty() {
        return "Search titles and abstracts".to_string();
    }
    format!("Try: {}", examples.join(", "))
}
