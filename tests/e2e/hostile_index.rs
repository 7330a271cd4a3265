//! A hostile index host (issue 13): files longer or shorter than the manifest declares,
//! sizes past what a browser can hold, a manifest too large or naming other paths, and
//! damage behind a manifest rewritten to match. Each is refused, or shown, in words.

use folio_e2e::{site_dir, wait_for, Browser, Locator, StaticServer};

use crate::hostile::{hash_for, open_at};
use crate::page::LOAD_TIMEOUT;

/// A copy of the site whose manifest `edit` changes (the index files stay as built).
fn site_with_manifest(edit: impl FnOnce(&mut serde_json::Value)) -> tempfile::TempDir {
    let copy = folio_e2e::site_copy();
    let data = copy.path().join("data");
    std::fs::create_dir(&data).expect("data folder");
    for entry in std::fs::read_dir(site_dir().join("data"))
        .expect("the built index")
        .flatten()
    {
        std::fs::copy(entry.path(), data.join(entry.file_name())).expect("copy");
    }
    let path = data.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("manifest")).expect("JSON");
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).expect("JSON")).expect("write");
    copy
}

/// Opens the site and returns the load error the page shows.
async fn load_error(site: &std::path::Path) -> String {
    let server = StaticServer::start(site);
    let browser = Browser::start().await;
    browser.client.goto(&server.url()).await.expect("open");
    let message = wait_for(LOAD_TIMEOUT, "the load error", || async {
        let alert = browser
            .client
            .find(Locator::Css("[role=alert]"))
            .await
            .ok()?;
        alert.text().await.ok().filter(|t| !t.is_empty())
    })
    .await;
    browser.close().await;
    message
}

fn bytes_of(manifest: &serde_json::Value, file: &str) -> u64 {
    manifest["files"][file]["bytes"].as_u64().expect("a size")
}

#[tokio::test]
async fn hostile_index_a_file_longer_or_shorter_than_declared_is_an_error_in_words() {
    let mut declared = 0;
    let site = site_with_manifest(|m| {
        declared = bytes_of(m, "postings") - 100;
        m["files"]["postings"]["bytes"] = declared.into();
    });
    let message = load_error(site.path()).await;
    assert!(message.contains("could not be loaded"), "{message}");
    assert!(message.contains("postings."), "names the file: {message}");
    assert!(
        message.contains(&format!(
            "sent more than the {declared} bytes the manifest declares"
        )),
        "{message}"
    );

    let mut declared = 0;
    let site = site_with_manifest(|m| {
        declared = bytes_of(m, "papers") + 100;
        m["files"]["papers"]["bytes"] = declared.into();
    });
    let message = load_error(site.path()).await;
    assert!(message.contains("papers."), "{message}");
    assert!(
        message.contains(&format!(
            "sent {} bytes where the manifest declares {declared}",
            declared - 100
        )),
        "{message}"
    );
}

#[tokio::test]
async fn hostile_index_sizes_past_what_a_browser_holds_are_refused_before_fetching() {
    for sizes in [[3_000_000_000u64, 1], [u64::MAX, u64::MAX]] {
        let site = site_with_manifest(|m| {
            m["files"]["positions"]["bytes"] = sizes[0].into();
            m["files"]["papers"]["bytes"] = sizes[1].into();
        });
        let message = load_error(site.path()).await;
        assert!(
            message.contains("declares index files larger than the 2 GiB"),
            "{sizes:?}: {message}"
        );
    }
}

#[tokio::test]
async fn hostile_index_a_manifest_too_large_or_naming_other_paths_is_refused() {
    let site = site_with_manifest(|m| {
        m["padding"] = " ".repeat(1_100_000).into();
    });
    let message = load_error(site.path()).await;
    assert!(message.contains("manifest.json"), "{message}");
    assert!(message.contains("more than 1048576 bytes"), "{message}");

    let site = site_with_manifest(|m| {
        m["files"]["terms"]["name"] = "../index.html".into();
    });
    let message = load_error(site.path()).await;
    assert!(message.contains("not a plain file name"), "{message}");
}

/// The index's content hash (engine/src/format.rs `content_hash`: FNV-1a, 64 bits), so a
/// test can damage a file behind a manifest that still matches it, as a hostile host can.
fn content_hash(data: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[tokio::test]
async fn hostile_index_damage_behind_a_matching_manifest_is_a_visible_warning() {
    // The postings file cut in half, and the manifest rewritten to match what is left.
    let site = site_with_manifest(|_| {});
    let path = site.path().join("data/manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("manifest")).expect("JSON");
    let name = manifest["files"]["postings"]["name"]
        .as_str()
        .expect("a name")
        .to_string();
    let postings_path = site.path().join("data").join(&name);
    let mut postings = std::fs::read(&postings_path).expect("postings");
    postings.truncate(postings.len() / 2);
    std::fs::write(&postings_path, &postings).expect("write");
    manifest["files"]["postings"]["bytes"] = (postings.len() as u64).into();
    manifest["files"]["postings"]["hash"] = content_hash(&postings).into();
    std::fs::write(&path, serde_json::to_vec(&manifest).expect("JSON")).expect("write");

    let server = StaticServer::start(site.path());
    let browser = Browser::start().await;
    let client = &browser.client;
    // Words late in the dictionary have their lists in the cut-off half.
    let mut warning = String::new();
    for (case, word) in ["world", "vision", "video", "unified", "training", "zero"]
        .into_iter()
        .enumerate()
    {
        open_at(client, &server, case, &hash_for(&format!("{word} "))).await;
        warning = match client.find(Locator::Css(".warning")).await {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if !warning.is_empty() {
            break;
        }
    }
    assert!(
        warning.starts_with("Some results may be missing: "),
        "{warning:?}"
    );
    assert!(
        warning.contains("postings") && warning.contains("does not decode"),
        "{warning}"
    );
    let shown = client
        .execute(
            "return document.querySelector('.warning').offsetHeight > 0",
            vec![],
        )
        .await
        .expect("run a script");
    assert_eq!(
        shown,
        serde_json::Value::Bool(true),
        "the warning is visible"
    );
    browser.close().await;
}
