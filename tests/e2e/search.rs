use folio_e2e::{site_dir, wait_for, Browser, Locator, StaticServer};

use crate::page::{SearchPage, LOAD_TIMEOUT};

#[tokio::test]
async fn typing_minecraft_lists_the_minecraft_agent_papers() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    let status = page.wait_loaded().await;
    assert!(status.starts_with(|c: char| c.is_ascii_digit()), "{status}");

    page.type_query("minecraft").await;
    wait_for(LOAD_TIMEOUT, "the search to run", || async {
        page.status().await.contains("found").then_some(())
    })
    .await;
    let titles = page.result_titles().await;
    for expected in [
        "Optimus-2: Multimodal Minecraft Agent",
        "MindForge: Empowering Embodied Agents",
        "MindAgent: Emergent Gaming Interaction",
        "APT: Architectural Planning and Text-to-Blueprint",
    ] {
        assert!(
            titles.iter().any(|t| t.starts_with(expected)),
            "{expected:?} missing from {titles:#?}"
        );
    }
    assert_eq!(titles.len(), 4, "only the Minecraft papers: {titles:#?}");
    // The one with Minecraft in its title ranks first.
    assert!(titles[0].starts_with("Optimus-2"), "{titles:#?}");

    // The matched word is highlighted, as text.
    let marks = browser
        .client
        .find_all(Locator::Css(".result mark"))
        .await
        .unwrap();
    assert!(!marks.is_empty());
    assert_eq!(marks[0].text().await.unwrap().to_lowercase(), "minecraft");
    browser.close().await;
}

#[tokio::test]
async fn results_follow_the_query_as_it_is_typed() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;

    page.type_query("bioclip").await;
    // The keystrokes' searches may finish one after another (each fetching what it
    // needs): the list settles on the whole word's one paper.
    let titles = page
        .wait_for_titles("BioCLIP alone", |t| {
            t.len() == 1 && t[0].starts_with("BioCLIP 2")
        })
        .await;
    assert_eq!(page.query().await, "bioclip");
    assert!(page.status().await.ends_with("found"), "{titles:#?}");
    browser.close().await;
}

#[tokio::test]
async fn a_missing_index_is_reported_in_words() {
    // A copy of the site without its data/ folder: what a host gets who forgot to upload it.
    let copy = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(site_dir()).unwrap().flatten() {
        if entry.file_type().unwrap().is_file() {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).unwrap();
        }
    }
    let server = StaticServer::start(copy.path());
    let browser = Browser::start().await;
    browser.client.goto(&server.url()).await.unwrap();
    let message = wait_for(LOAD_TIMEOUT, "the error message", || async {
        let alert = browser
            .client
            .find(Locator::Css("[role=alert]"))
            .await
            .ok()?;
        alert.text().await.ok()
    })
    .await;
    assert!(message.contains("could not be loaded"), "{message}");
    assert!(message.contains("404"), "{message}");
    browser.close().await;
}
