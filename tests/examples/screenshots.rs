//! Screenshots of the built site for looking at it: desktop and phone, light and dark,
//! browsing, searching and a paper open. `cargo run -p folio-e2e --example screenshots --
//! OUT_DIR` (default `build/screenshots`).
//!
//! `-- --readme FILE` takes the one picture the README shows instead (`make screenshot`
//! writes `docs/explorer.png`): a search with its results and filters, on a desktop window
//! in the light theme.

use std::time::Duration;

use folio_e2e::{site_dir, wait_for, Browser, Locator, StaticServer};

/// The README's picture: what the explorer looks like in use.
const README_VIEW: &str = "#q=agents+year:2025+";

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, file] = args.as_slice() {
        if flag == "--readme" {
            return readme_picture(std::path::Path::new(file)).await;
        }
    }
    let out = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "build/screenshots".into()),
    );
    std::fs::create_dir_all(&out).unwrap();
    let server = StaticServer::start(site_dir());
    for (theme, flags) in [("light", vec![]), ("dark", vec!["--force-dark-mode"])] {
        for (device, width, height) in [("desktop", 1280, 900), ("phone", 360, 780)] {
            let browser = Browser::start_with(&flags).await;
            let client = &browser.client;
            client.set_window_size(width, height).await.unwrap();
            for (name, hash) in [
                ("browse", ""),
                ("search", "#q=agents+year:2025+"),
                ("paper", "#q=minecraft+&paper=tb7d678f24c2d"),
                ("none", "#q=xqzvwk+minecarft+"),
            ] {
                client
                    .goto(&format!("{}{hash}", server.url()))
                    .await
                    .unwrap();
                wait_for(Duration::from_secs(20), "the results", || async {
                    client.find(Locator::Css(".explorer")).await.ok()
                })
                .await;
                tokio::time::sleep(Duration::from_millis(300)).await;
                let png = client.screenshot().await.unwrap();
                let file = out.join(format!("{device}-{theme}-{name}.png"));
                std::fs::write(&file, png).unwrap();
                println!("{}", file.display());
            }
            // The embed demo, with a search in each widget and a result opened.
            client
                .goto(&format!("{}embed-demo.html", server.url()))
                .await
                .unwrap();
            let typed = "const [id, text] = arguments; \
                 const input = document.getElementById(id).shadowRoot?.querySelector('input'); \
                 if (!input) return false; \
                 input.value = text; input.dispatchEvent(new Event('input', {bubbles: true, composed: true})); \
                 return true;";
            for (id, text) in [("archive", "minecraft agents"), ("lookup", "bioclip")] {
                wait_for(Duration::from_secs(20), "the widget", || async {
                    let done = client
                        .execute(typed, vec![id.into(), text.into()])
                        .await
                        .ok()?;
                    done.as_bool().filter(|d| *d)
                })
                .await;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
            let _ = client
                .execute(
                    "document.getElementById('archive').shadowRoot.querySelector('.hit-title')?.click(); return 0",
                    vec![],
                )
                .await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            let file = out.join(format!("{device}-{theme}-embed.png"));
            std::fs::write(&file, client.screenshot().await.unwrap()).unwrap();
            println!("{}", file.display());
            browser.close().await;
        }
    }
}

async fn readme_picture(file: &std::path::Path) {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start_with(&[]).await;
    let client = &browser.client;
    client.set_window_size(1200, 760).await.unwrap();
    client
        .goto(&format!("{}{README_VIEW}", server.url()))
        .await
        .unwrap();
    wait_for(Duration::from_secs(20), "the results", || async {
        client.find(Locator::Css("#results li")).await.ok()
    })
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    std::fs::write(file, client.screenshot().await.unwrap()).unwrap();
    println!("{}", file.display());
    browser.close().await;
}
