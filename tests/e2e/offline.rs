//! Offline use: the service worker keeps the site and its index, and moves to a newly
//! deployed index cleanly.

use std::path::Path;

use folio_e2e::{folio, site_copy, site_dir, wait_for, Browser, StaticServer};
use serde_json::Value;

use crate::page::SearchPage;

/// Installing the worker fetches the whole build; on a busy machine that takes a while.
const INSTALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// The name of the one cache, when the service worker controls the page and its cache
/// holds every file of the build (and no other cache is left).
async fn offline_cache(page: &SearchPage<'_>) -> Option<String> {
    let script = "const done = arguments[0]; \
         if (!navigator.serviceWorker.controller) return done(null); \
         caches.keys().then(keys => Promise.all(keys.map(k => caches.open(k).then(c => c.keys()).then(r => [k, r.length])))) \
         .then(done, () => done(null));";
    let found = page.client.execute_async(script, vec![]).await.ok()?;
    let caches = found.as_array()?;
    let [cache] = caches.as_slice() else {
        return None;
    };
    // "./" and the build's files: at least the page, loader, JS, wasm, CSS and index.
    (cache[1].as_u64()? >= 10).then(|| cache[0].as_str().unwrap_or("").to_string())
}

async fn wait_offline_ready(page: &SearchPage<'_>) -> String {
    wait_for(INSTALL_TIMEOUT, "the service worker and its cache", || {
        offline_cache(page)
    })
    .await
}

#[tokio::test]
async fn after_one_visit_the_site_searches_offline() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    let cache = wait_offline_ready(&page).await;

    // A cache of an earlier version that came back (a replaced worker finishing a write
    // after the new one activated) goes at the next visit.
    page.client
        .execute_async(
            "const done = arguments[0]; caches.open('folio-0123456789abcdef').then(() => done(true), () => done(false));",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        offline_cache(&page).await,
        None,
        "two caches while the stray one is there"
    );
    page.client.goto(&server.url()).await.unwrap();
    page.wait_loaded().await;
    let kept = wait_for(INSTALL_TIMEOUT, "the stray cache gone", || async {
        offline_cache(&page).await
    })
    .await;
    assert_eq!(kept, cache);

    server.set_offline(true);
    // A new visit (some browsers' WebDriver reload bypasses the worker, as Shift+Reload does).
    page.client.goto(&server.url()).await.unwrap();
    page.wait_loaded().await;
    page.type_query("bioclip ").await;
    page.wait_for_titles("BioCLIP, offline", |t| {
        t.first().is_some_and(|t| t.starts_with("BioCLIP 2"))
    })
    .await;
    // A paper view and its similar papers come from the cache too.
    page.open_first_result().await;
    page.wait_paper("the paper, offline", |t| t.starts_with("BioCLIP 2"))
        .await;
    browser.close().await;
}

/// Writes a new site of `papers` over the site at `root`, as a deployment would: the same
/// app, a new index, a new service worker (`folio site`).
fn deploy(root: &Path, papers: &Value) {
    let input = root.with_extension("papers.json");
    std::fs::write(&input, serde_json::to_vec(papers).unwrap()).unwrap();
    folio(&[
        "site",
        input.to_str().unwrap(),
        "--out",
        root.to_str().unwrap(),
    ]);
    std::fs::remove_file(&input).unwrap();
}

#[tokio::test]
async fn a_new_deployment_replaces_the_cached_index() {
    let copy = site_copy();
    let papers = |title: &str| {
        serde_json::json!({"papers": [{
            "title": title,
            "abstract": "A collection of one paper, deployed to see the cache move on.",
            "id": title.to_lowercase().replace(' ', "-"),
        }]})
    };
    deploy(copy.path(), &papers("Zebra Finches Sing"));
    let server = StaticServer::start(copy.path());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_for_titles("the first deployment", |t| t == ["Zebra Finches Sing"])
        .await;
    let first_cache = wait_offline_ready(&page).await;

    deploy(copy.path(), &papers("Quokka Smiles Measured"));
    page.client
        .goto(&format!("{}#again", server.url()))
        .await
        .unwrap();
    page.client.goto(&server.url()).await.unwrap();
    page.wait_for_titles("the new deployment", |t| t == ["Quokka Smiles Measured"])
        .await;
    // The new worker takes over and the old cache goes.
    let second_cache = wait_for(INSTALL_TIMEOUT, "the new cache alone", || async {
        offline_cache(&page)
            .await
            .filter(|name| *name != first_cache)
    })
    .await;
    assert_ne!(second_cache, first_cache);

    server.set_offline(true);
    page.client
        .goto(&format!("{}#offline", server.url()))
        .await
        .unwrap();
    page.client.goto(&server.url()).await.unwrap();
    page.wait_for_titles("the new deployment, offline", |t| {
        t == ["Quokka Smiles Measured"]
    })
    .await;
    browser.close().await;
}
