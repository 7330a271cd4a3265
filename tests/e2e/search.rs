use std::time::Duration;

use folio_e2e::{site_dir, wait_for, Browser, Client, Locator, StaticServer};

const LOAD_TIMEOUT: Duration = Duration::from_secs(20);

/// Page object for the search page.
struct SearchPage<'a> {
    client: &'a Client,
}

impl<'a> SearchPage<'a> {
    async fn open(client: &'a Client, url: &str) -> SearchPage<'a> {
        client.goto(url).await.expect("open the site");
        SearchPage { client }
    }

    /// Waits until the index has loaded (the result count says how many papers there are).
    async fn wait_loaded(&self) -> String {
        wait_for(LOAD_TIMEOUT, "the index to load", || async {
            let status = self.client.find(Locator::Css(".count")).await.ok()?;
            let text = status.text().await.ok()?;
            text.contains("papers in the collection").then_some(text)
        })
        .await
    }

    async fn type_query(&self, text: &str) {
        let input = self
            .client
            .find(Locator::Id("search-input"))
            .await
            .expect("the search box");
        input
            .send_keys(text)
            .await
            .expect("type into the search box");
    }

    async fn result_titles(&self) -> Vec<String> {
        let mut titles = Vec::new();
        for element in self
            .client
            .find_all(Locator::Css(".result .title"))
            .await
            .unwrap_or_default()
        {
            titles.push(element.text().await.unwrap_or_default());
        }
        titles
    }

    async fn wait_for_titles(&self, what: &str, check: impl Fn(&[String]) -> bool) -> Vec<String> {
        wait_for(LOAD_TIMEOUT, what, || async {
            let titles = self.result_titles().await;
            check(&titles).then_some(titles)
        })
        .await
    }
}

#[tokio::test]
async fn typing_minecraft_lists_the_minecraft_agent_papers() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    let status = page.wait_loaded().await;
    assert!(status.starts_with(|c: char| c.is_ascii_digit()), "{status}");

    page.type_query("minecraft").await;
    let titles = page
        .wait_for_titles("the Minecraft papers", |t| t.len() >= 4)
        .await;
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
    let titles = page
        .wait_for_titles("BioCLIP", |t| {
            t.first().is_some_and(|t| t.starts_with("BioCLIP 2"))
        })
        .await;
    assert_eq!(titles.len(), 1, "{titles:#?}");
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
