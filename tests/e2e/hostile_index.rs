//! A hostile or broken index host: pieces longer than the index allows, cut short, missing
//! or damaged behind a frame rewritten to match; a manifest too large or of another
//! version. Each is refused, or shown, in words naming the file, and what does not need
//! the bad piece keeps working.

use std::path::{Path, PathBuf};

use folio_e2e::{site_copy_with_index, wait_for, Browser, Locator, StaticServer};

use crate::hostile::{hash_for, open_at};
use crate::page::{SearchPage, LOAD_TIMEOUT};

fn edit_manifest(data: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = data.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).expect("manifest")).expect("JSON");
    edit(&mut manifest);
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).expect("JSON")).expect("write");
}

/// The pieces of a kind (`postings`, `terms`), in number order.
fn pieces(data: &Path, kind: &str) -> Vec<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir(data)
        .expect("the index")
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let n = name
                .strip_prefix(&format!("{kind}-"))?
                .split('.')
                .next()?
                .parse()
                .ok()?;
            Some((n, entry.path()))
        })
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no {kind} pieces in {}", data.display());
    found.into_iter().map(|(_, path)| path).collect()
}

/// FNV-1a, 64 bits (engine/src/codec.rs), the hash a piece's frame carries of its body.
fn fnv64(data: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Writes `body` into the piece at `path` behind its own 32-byte frame, with the length and
/// hash rewritten to match (engine/src/format/frame.rs), as a hostile host can.
fn reframe(path: &Path, body: &[u8]) {
    let bytes = std::fs::read(path).expect("piece");
    let mut out = bytes[..20].to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&fnv64(body).to_le_bytes());
    out.extend_from_slice(body);
    std::fs::write(path, out).expect("write");
}

/// Opens the site and returns the load error the page shows.
async fn load_error(site: &Path) -> String {
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

/// The page's warning for a search (empty when there is none), once it has finished.
async fn warning_for(
    client: &fantoccini::Client,
    server: &StaticServer,
    case: usize,
    query: &str,
) -> String {
    open_at(client, server, case, &hash_for(query)).await;
    wait_for(LOAD_TIMEOUT, "the search to finish", || async {
        let found = client.find(Locator::Css(".count .found")).await.ok()?;
        let text = found.text().await.ok()?;
        (!text.is_empty() && text != "Searching…").then_some(())
    })
    .await;
    match client.find(Locator::Css(".warning")).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Late words of the dictionary, whose lists are in the last postings piece; and early ones.
const LATE: [&str; 6] = ["world", "zero", "vision", "video", "unified", "training"];
const EARLY: &str = "agents ";

/// The warning of the first late word's search that has one (empty if none does).
async fn late_warning(client: &fantoccini::Client, server: &StaticServer) -> String {
    for (case, word) in LATE.into_iter().enumerate() {
        let warning = warning_for(client, server, case, &format!("{word} ")).await;
        if !warning.is_empty() {
            return warning;
        }
    }
    String::new()
}

#[tokio::test]
async fn hostile_index_pieces_too_long_cut_short_or_missing_are_errors_in_words() {
    // Longer than the index allows: the manifest's largest piece made small.
    let site =
        site_copy_with_index(|data| edit_manifest(data, |m| m["largest_piece"] = 1000.into()));
    let server = StaticServer::start(site.path());
    let browser = Browser::start().await;
    let warning = warning_for(&browser.client, &server, 0, EARLY).await;
    assert!(
        warning.starts_with("Some results may be missing: "),
        "{warning:?}"
    );
    assert!(warning.contains("terms-"), "names the piece: {warning}");
    assert!(
        warning.contains("sent more than the 1000 bytes"),
        "{warning}"
    );
    browser.close().await;

    // The last postings piece cut short, its frame as built; then missing.
    for missing in [false, true] {
        let site = site_copy_with_index(|data| {
            let last = pieces(data, "postings").pop().expect("a piece");
            if missing {
                std::fs::remove_file(&last).expect("remove");
            } else {
                let bytes = std::fs::read(&last).expect("piece");
                std::fs::write(&last, &bytes[..bytes.len() / 2]).expect("write");
            }
        });
        let server = StaticServer::start(site.path());
        let browser = Browser::start().await;
        let client = &browser.client;
        let warning = late_warning(client, &server).await;
        assert!(
            warning.contains("postings-"),
            "missing {missing}: {warning:?}"
        );
        if missing {
            assert!(warning.contains("404"), "{warning}");
        } else {
            assert!(warning.contains("truncated"), "{warning}");
        }
        // What does not need that piece still works.
        assert_eq!(warning_for(client, &server, 9, EARLY).await, "");
        let found = SearchPage { client }.status().await;
        assert!(found.ends_with("found"), "{found}");
        assert!(!client
            .find_all(Locator::Css(".result"))
            .await
            .expect("results")
            .is_empty());
        browser.close().await;
    }
}

#[tokio::test]
async fn hostile_index_a_manifest_too_large_or_of_another_version_is_refused() {
    let site = site_copy_with_index(|data| {
        edit_manifest(data, |m| m["padding"] = " ".repeat(4_300_000).into())
    });
    let message = load_error(site.path()).await;
    assert!(message.contains("could not be loaded"), "{message}");
    assert!(message.contains("manifest.json"), "{message}");
    assert!(message.contains("more than the 4194304 bytes"), "{message}");

    let site =
        site_copy_with_index(|data| edit_manifest(data, |m| m["format_version"] = 99.into()));
    let message = load_error(site.path()).await;
    assert!(message.contains("manifest.json"), "{message}");
    assert!(message.contains("version 99"), "{message}");
}

#[tokio::test]
async fn hostile_index_damage_behind_a_rewritten_frame_is_a_visible_warning() {
    // The last postings piece's body cut in half, and its frame rewritten to match.
    let site = site_copy_with_index(|data| {
        let last = pieces(data, "postings").pop().expect("a piece");
        let bytes = std::fs::read(&last).expect("piece");
        let body = &bytes[32..];
        reframe(&last, &body[..body.len() / 2]);
    });
    let server = StaticServer::start(site.path());
    let browser = Browser::start().await;
    let client = &browser.client;
    let warning = late_warning(client, &server).await;
    assert!(
        warning.starts_with("Some results may be missing: "),
        "{warning:?}"
    );
    assert!(
        warning.contains("postings-") && warning.contains("not a valid Folio index file"),
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
