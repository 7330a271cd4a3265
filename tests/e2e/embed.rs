//! The embeddable widget: `<folio-search>` on pages that are not Folio's.

use folio_e2e::{site_dir, wait_for, Browser, StaticServer};
use serde_json::{json, Value};

use crate::page::{SearchPage, LOAD_TIMEOUT};

/// Types `text` into the widget with element id `id` (inside its shadow root).
pub(crate) async fn type_into(page: &SearchPage<'_>, id: &str, text: &str) {
    let script = "const [id, text] = arguments; \
         const input = document.getElementById(id)?.shadowRoot?.querySelector('input'); \
         if (!input) return false; \
         input.value = text; input.dispatchEvent(new Event('input', {bubbles: true, composed: true})); \
         return true;";
    wait_for(LOAD_TIMEOUT, "the widget's search box", || async {
        let done = page
            .client
            .execute(script, vec![json!(id), json!(text)])
            .await
            .ok()?;
        done.as_bool().filter(|d| *d)
    })
    .await;
}

/// The widget's status line and result titles.
async fn widget(page: &SearchPage<'_>, id: &str) -> Value {
    page.client
        .execute(
            "const root = document.getElementById(arguments[0]).shadowRoot; \
             return { status: root.querySelector('.status')?.textContent ?? '', \
                      titles: Array.from(root.querySelectorAll('.hit-title')).map(b => b.textContent) };",
            vec![json!(id)],
        )
        .await
        .unwrap()
}

pub(crate) async fn wait_widget(
    page: &SearchPage<'_>,
    id: &str,
    what: &str,
    check: impl Fn(&Value) -> bool,
) -> Value {
    wait_for(LOAD_TIMEOUT, what, || async {
        let state = widget(page, id).await;
        check(&state).then_some(state)
    })
    .await
}

#[tokio::test]
async fn two_widgets_on_a_foreign_page_search_independently() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &format!("{}embed-demo.html", server.url())).await;
    type_into(&page, "archive", "minecraft").await;
    type_into(&page, "lookup", "bioclip ").await;
    let archive = wait_widget(&page, "archive", "the archive's results", |s| {
        s["titles"].as_array().is_some_and(|t| t.len() == 4)
    })
    .await;
    assert!(
        archive["titles"].to_string().contains("Optimus-2"),
        "{archive}"
    );
    let lookup = wait_widget(&page, "lookup", "the lookup's results", |s| {
        s["titles"].as_array().is_some_and(|t| t.len() == 1)
    })
    .await;
    assert!(
        lookup["titles"][0]
            .as_str()
            .unwrap()
            .starts_with("BioCLIP 2"),
        "{lookup}"
    );
    // The host page's URL and its own elements are untouched.
    assert_eq!(page.hash().await, "");
    assert_eq!(
        page.eval("return document.querySelectorAll('.hit, .folio-widget').length")
            .await,
        0
    );

    // A result opens in place, with a link to the paper on the full site.
    let opened = page
        .eval(
            "const root = document.getElementById('archive').shadowRoot; \
             root.querySelector('.hit-title').click(); \
             return new Promise(done => setTimeout(() => done({ \
               expanded: root.querySelector('.hit-title').getAttribute('aria-expanded'), \
               abstract: root.querySelector('.details .abstract')?.textContent ?? '', \
               links: Array.from(root.querySelectorAll('.details a')).map(a => a.href) }), 200));",
        )
        .await;
    assert_eq!(opened["expanded"], "true", "{opened}");
    assert!(opened["abstract"].as_str().unwrap().len() > 200, "{opened}");
    let links: Vec<&str> = opened["links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let full_site = links
        .iter()
        .find(|l| l.contains("paper="))
        .expect("an Open in Folio link");
    assert!(
        full_site.starts_with(&server.url()) && full_site.contains("#q=minecraft"),
        "{links:?}"
    );
    browser.close().await;
}

#[tokio::test]
async fn widget_and_page_styles_stay_apart_and_variables_theme_it() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &format!("{}embed-demo.html", server.url())).await;
    type_into(&page, "archive", "minecraft").await;
    type_into(&page, "lookup", "minecraft").await;
    // Both widgets' results must be on the page before their styles are read.
    for widget in ["archive", "lookup"] {
        wait_widget(&page, widget, "results", |s| {
            s["titles"].as_array().is_some_and(|t| !t.is_empty())
        })
        .await;
    }
    let styles = page
        .eval(
            "const css = (el, p) => getComputedStyle(el).getPropertyValue(p); \
             const a = document.getElementById('archive').shadowRoot; \
             const b = document.getElementById('lookup').shadowRoot; \
             return { \
               input_font: css(a.querySelector('input'), 'font-family'), \
               input_border: css(a.querySelector('input'), 'border-top-style'), \
               item_size: css(a.querySelector('.hit'), 'font-size'), \
               mark_bg: css(a.querySelector('mark'), 'background-color'), \
               default_accent: css(a.querySelector('.hit-title'), 'color'), \
               themed_accent: css(b.querySelector('.hit-title'), 'color'), \
               host_item: css(document.querySelector('.host-list li'), 'color'), \
               host_item_size: css(document.querySelector('.host-list li'), 'font-size') };",
        )
        .await;
    // The page's rules for input, li and mark do not reach inside.
    assert!(
        !styles["input_font"].as_str().unwrap().contains("Courier"),
        "{styles}"
    );
    assert_eq!(styles["input_border"], "solid", "{styles}");
    assert_eq!(styles["item_size"], "16px", "{styles}");
    assert_ne!(styles["mark_bg"], "rgb(0, 0, 0)", "{styles}");
    // Custom properties on the element theme it.
    assert_eq!(styles["default_accent"], "rgb(29, 79, 133)", "{styles}");
    assert_eq!(styles["themed_accent"], "rgb(107, 15, 26)", "{styles}");
    // And the widget's rules do not reach out: the page's own list keeps its look.
    assert_eq!(styles["host_item"], "rgb(176, 0, 32)", "{styles}");
    assert_eq!(styles["host_item_size"], "32px", "{styles}");
    browser.close().await;
}

#[tokio::test]
async fn a_widget_loads_its_index_and_code_from_another_origin_with_cors() {
    // Folio on one origin, allowing others; the host page on another.
    let folio = StaticServer::start_with(site_dir(), "/", &[("Access-Control-Allow-Origin", "*")]);
    let host_dir = tempfile::tempdir().unwrap();
    std::fs::write(
        host_dir.path().join("index.html"),
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Host</title></head><body>\
             <h1>A blog</h1><folio-search id=\"remote\" data-index=\"{0}data/\"></folio-search>\
             <script type=\"module\" src=\"{0}folio-embed.js\"></script></body></html>",
            folio.url()
        ),
    )
    .unwrap();
    let host = StaticServer::start(host_dir.path());
    assert_ne!(host.url(), folio.url());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &host.url()).await;
    type_into(&page, "remote", "grokking ").await;
    let state = wait_widget(&page, "remote", "results from the other origin", |s| {
        s["titles"].as_array().is_some_and(|t| !t.is_empty())
    })
    .await;
    assert!(
        state["status"].as_str().unwrap().contains("found"),
        "{state}"
    );

    // Without the header, the browser refuses, and the widget says so in words.
    let closed = StaticServer::start(site_dir());
    std::fs::write(
        host_dir.path().join("closed.html"),
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Host</title></head><body>\
             <folio-search id=\"remote\" data-index=\"{0}data/\"></folio-search>\
             <script type=\"module\" src=\"{1}folio-embed.js\"></script></body></html>",
            closed.url(),
            folio.url()
        ),
    )
    .unwrap();
    page.client
        .goto(&format!("{}closed.html", host.url()))
        .await
        .unwrap();
    let refused = wait_for(LOAD_TIMEOUT, "the widget's error", || async {
        let text = page
            .eval("return document.getElementById('remote').shadowRoot?.querySelector('[role=alert]')?.textContent ?? null")
            .await;
        text.as_str().map(str::to_string)
    })
    .await;
    assert!(refused.contains("could not be loaded"), "{refused}");
    // It names what it could not read and the likely cause (issue 33).
    assert!(
        refused.contains(&format!("{}data/manifest.json", closed.url())),
        "{refused}"
    );
    assert!(refused.contains("Access-Control-Allow-Origin"), "{refused}");

    // A wrong path: the file is not there, and the widget says which and why.
    std::fs::write(
        host_dir.path().join("missing.html"),
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Host</title></head><body>\
             <folio-search id=\"remote\" data-index=\"{0}nowhere/\"></folio-search>\
             <script type=\"module\" src=\"{0}folio-embed.js\"></script></body></html>",
            folio.url()
        ),
    )
    .unwrap();
    page.client
        .goto(&format!("{}missing.html", host.url()))
        .await
        .unwrap();
    let missing = wait_for(LOAD_TIMEOUT, "the widget's 404", || async {
        let text = page
            .eval("return document.getElementById('remote').shadowRoot?.querySelector('[role=alert]')?.textContent ?? null")
            .await;
        text.as_str().map(str::to_string)
    })
    .await;
    assert!(
        missing.contains(&format!("{}nowhere/manifest.json", folio.url())),
        "{missing}"
    );
    assert!(
        missing.contains("404") && missing.contains("no such file"),
        "{missing}"
    );

    // A relative data-index is read from the page's address, as the page's links are:
    // reading/data/ of a page under /blog/ is /blog/reading/data/.
    let blog = host_dir.path().join("blog");
    std::fs::create_dir_all(blog.join("reading/data")).unwrap();
    for entry in std::fs::read_dir(site_dir().join("data"))
        .unwrap()
        .flatten()
    {
        std::fs::copy(
            entry.path(),
            blog.join("reading/data").join(entry.file_name()),
        )
        .unwrap();
    }
    std::fs::write(
        blog.join("post.html"),
        format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Post</title></head><body>\
             <folio-search id=\"remote\" data-index=\"reading/data/\"></folio-search>\
             <script type=\"module\" src=\"{0}folio-embed.js\"></script></body></html>",
            folio.url()
        ),
    )
    .unwrap();
    page.client
        .goto(&format!("{}blog/post.html", host.url()))
        .await
        .unwrap();
    type_into(&page, "remote", "grokking ").await;
    wait_widget(
        &page,
        "remote",
        "results from the page's own reading/data/",
        |s| s["titles"].as_array().is_some_and(|t| !t.is_empty()),
    )
    .await;
    browser.close().await;
}
