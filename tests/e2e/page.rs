//! Page object for the explorer: what a person sees and does, in the page's terms.

use std::time::Duration;

use folio_e2e::{wait_for, Client, Locator};
use serde_json::Value;

pub const LOAD_TIMEOUT: Duration = Duration::from_secs(20);

/// The status while a search fetches the pieces of the index it needs.
pub const SEARCHING: &str = "Searching…";

pub struct SearchPage<'a> {
    pub client: &'a Client,
}

impl<'a> SearchPage<'a> {
    pub async fn open(client: &'a Client, url: &str) -> SearchPage<'a> {
        client.goto(url).await.expect("open the site");
        SearchPage { client }
    }

    /// Waits until the index has loaded and results are shown; returns the status text.
    pub async fn wait_loaded(&self) -> String {
        wait_for(LOAD_TIMEOUT, "the index to load", || async {
            let text = self.status().await;
            (!text.is_empty()).then_some(text)
        })
        .await
    }

    /// The result count's text, or empty while a search is still fetching what it needs
    /// ("Searching…"), so that waiting for a status waits for the search to finish.
    pub async fn status(&self) -> String {
        match self.client.find(Locator::Css(".count .found")).await {
            Ok(e) => e
                .text()
                .await
                .ok()
                .filter(|t| t != SEARCHING)
                .unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    pub async fn type_query(&self, text: &str) {
        self.input()
            .await
            .send_keys(text)
            .await
            .expect("type into the search box");
    }

    /// Empties the search box, then types `text`.
    pub async fn replace_query(&self, text: &str) {
        let input = self.input().await;
        input.clear().await.expect("clear the search box");
        input
            .send_keys(text)
            .await
            .expect("type into the search box");
    }

    pub async fn input(&self) -> fantoccini::elements::Element {
        self.client
            .find(Locator::Id("search-input"))
            .await
            .expect("the search box")
    }

    /// The search box's current text.
    pub async fn query(&self) -> String {
        self.input()
            .await
            .prop("value")
            .await
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Sends keys to whatever has focus.
    pub async fn press(&self, keys: &str) {
        self.client
            .active_element()
            .await
            .expect("a focused element")
            .send_keys(keys)
            .await
            .expect("send keys");
    }

    pub async fn result_titles(&self) -> Vec<String> {
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

    pub async fn wait_for_titles(
        &self,
        what: &str,
        check: impl Fn(&[String]) -> bool,
    ) -> Vec<String> {
        wait_for(LOAD_TIMEOUT, what, || async {
            let titles = self.result_titles().await;
            check(&titles).then_some(titles)
        })
        .await
    }

    /// Clicks the first element matching `css` whose text contains `text`.
    pub async fn click_text(&self, css: &str, text: &str) {
        let element = wait_for(LOAD_TIMEOUT, &format!("{css} with {text:?}"), || async {
            for element in self.client.find_all(Locator::Css(css)).await.ok()? {
                if element.text().await.ok()?.contains(text) {
                    return Some(element);
                }
            }
            None
        })
        .await;
        element.click().await.expect("click");
    }

    /// The location hash.
    pub async fn hash(&self) -> String {
        self.eval("return location.hash")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    pub async fn eval(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .expect("run a script")
    }

    /// Opens the first result (a click on it).
    pub async fn open_first_result(&self) {
        self.client
            .find(Locator::Css(".result"))
            .await
            .expect("a result")
            .click()
            .await
            .expect("click the result");
    }

    /// The open paper's title, if a paper is open.
    pub async fn paper_title(&self) -> Option<String> {
        let element = self
            .client
            .find(Locator::Css("[role=dialog] h2"))
            .await
            .ok()?;
        element.text().await.ok()
    }

    pub async fn wait_paper(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        wait_for(LOAD_TIMEOUT, what, || async {
            self.paper_title().await.filter(|t| check(t))
        })
        .await
    }

    pub async fn wait_no_paper(&self) {
        wait_for(LOAD_TIMEOUT, "the paper to close", || async {
            self.client
                .find(Locator::Css("[role=dialog]"))
                .await
                .is_err()
                .then_some(())
        })
        .await
    }
}
