//! `folio site`, as a new user runs it: a collection of their own into a folder, on a
//! machine with no wasm toolchain (the app's files come from inside the binary), hosted
//! under a sub-path, searched in the browser.

use std::process::Command;

use folio_e2e::{folio_bin, site_dir, Browser, StaticServer};

use crate::page::SearchPage;

#[tokio::test]
async fn a_collection_published_in_one_command_is_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("reading-list.json");
    let papers = serde_json::json!([
        {"title": "Axolotl Limb Regeneration at Single-Cell Resolution",
         "abstract": "We follow every cell of a regrowing axolotl limb.", "id": "2401.00001",
         "authors": ["Ada Okafor"], "published": "2024-01-05"},
        {"title": "Zebra Finch Song Learning",
         "abstract": "Young finches copy a tutor's song.", "published": "2023-06-01"},
    ]);
    std::fs::write(&input, serde_json::to_vec(&papers).unwrap()).unwrap();
    // Only the system's own programs: no trunk, wasm-bindgen, wasm-opt or cargo.
    let path = "/usr/bin:/bin";
    for tool in ["trunk", "wasm-bindgen", "wasm-opt", "cargo"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .env("PATH", path)
            .status()
            .unwrap();
        assert!(
            !found.success(),
            "{tool} is on {path}: the test would prove nothing"
        );
    }
    let site = dir.path().join("site");
    let output = Command::new(folio_bin())
        .args([
            "site",
            input.to_str().unwrap(),
            "--out",
            site.to_str().unwrap(),
        ])
        .args([
            "--title",
            "Axolotl Lab",
            "--description",
            "What the lab reads",
        ])
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "folio site failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );

    let server = StaticServer::start_at(&site, "/reading/");
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    page.type_query("axolotl ").await;
    page.wait_for_titles("the lab's paper", |t| {
        t == ["Axolotl Limb Regeneration at Single-Cell Resolution"]
    })
    .await;
    let shown = page
        .eval("return [document.title, document.querySelector('header h1').textContent, document.querySelector('.tagline').textContent]")
        .await;
    assert_eq!(
        shown,
        serde_json::json!(["Axolotl Lab", "Axolotl Lab", "What the lab reads"])
    );
    // The examples in the box come from this collection, and each finds papers; Folio's
    // own demo page is not published (issue 33).
    assert!(!site.join("embed-demo.html").exists());
    assert!(!examples_in_the_box(&page).await.is_empty());
    // A pasted arXiv id or URL finds its paper first (issue 33).
    for pasted in ["2401.00001", "https://arxiv.org/abs/2401.00001v2"] {
        page.replace_query(pasted).await;
        page.wait_for_titles("the paper of a pasted id", |t| {
            t.first().map(String::as_str)
                == Some("Axolotl Limb Regeneration at Single-Cell Resolution")
        })
        .await;
    }
    // The paper view names the authors once (issue 33).
    page.open_first_result().await;
    page.wait_paper("the paper", |t| t.starts_with("Axolotl"))
        .await;
    let shown = page
        .eval(
            "return [document.querySelector('.paper-card .meta').textContent, \
             document.querySelector('.paper-card .authors').textContent]",
        )
        .await;
    assert!(!shown[0].as_str().unwrap().contains("Okafor"), "{shown}");
    assert_eq!(shown[1], "Ada Okafor");
    browser.close().await;
}

/// The search box's example queries, each typed and seen to find papers.
async fn examples_in_the_box(page: &SearchPage<'_>) -> Vec<String> {
    let placeholder = page
        .eval("return document.getElementById('search-input').placeholder")
        .await;
    let examples: Vec<String> = placeholder
        .as_str()
        .and_then(|p| p.strip_prefix("Try: "))
        .unwrap_or_else(|| panic!("placeholder {placeholder}"))
        .split(", ")
        .map(str::to_string)
        .collect();
    for example in &examples {
        page.replace_query("zzqqxxv ").await;
        page.wait_for_titles("nothing", |t| t.is_empty()).await;
        page.replace_query(&format!("{example} ")).await;
        page.wait_for_titles(example, |t| !t.is_empty()).await;
    }
    examples
}

/// The bundled collection's box suggests a topic, a phrase and a year of its own.
#[tokio::test]
async fn the_examples_in_the_box_find_papers() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    let examples = examples_in_the_box(&page).await;
    assert_eq!(examples.len(), 3, "{examples:?}");
    assert!(
        examples[1].starts_with('"') && examples[2].starts_with("year:"),
        "{examples:?}"
    );
    browser.close().await;
}
