//! Screenshots of the built site with a query typed, for looking at before calling UI work
//! done: `cargo run -p folio-e2e --example screenshots -- [QUERY]`.
//! Writes `target/screenshots/{desktop,phone}.png`.

use folio_e2e::{repo_root, site_dir, wait_for, Browser, Locator, StaticServer};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let query = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "minecraft agent".into());
    let out = repo_root().join("target/screenshots");
    std::fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(site_dir());
    for (name, width, height) in [("desktop", 1280, 900), ("phone", 360, 780)] {
        let browser = Browser::start().await;
        browser.client.set_window_size(width, height).await.unwrap();
        browser.client.goto(&server.url()).await.unwrap();
        let input = wait_for(Duration::from_secs(20), "the search box", || async {
            browser.client.find(Locator::Id("search-input")).await.ok()
        })
        .await;
        input.send_keys(&query).await.unwrap();
        tokio::time::sleep(Duration::from_millis(500)).await;
        let png = browser.client.screenshot().await.unwrap();
        let path = out.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        println!("{}", path.display());
        browser.close().await;
    }
}
