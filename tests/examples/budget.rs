//! The size budget and time to first result: `make bench-size` (or `cargo run --release -p
//! folio-e2e --example budget`). Reads the built `dist/`: wasm + JS, raw and gzip -9, against
//! the 120 KB gzip budget, and the floor of the stack (`app/examples/floor.rs`, when
//! `FOLIO_FLOOR` names its built directory); then loads the site cold in headless Chromium five times with a
//! query in the URL and reports what was downloaded before the first result appeared
//! (gzip -9 sizes of those files, as a compressing static host would send them) and the
//! time from navigation to the first result (the page marks it: `folio-first-result`).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use folio_e2e::{site_dir, wait_for, Browser, StaticServer};
use serde_json::Value;

const BUDGET_KB: f64 = 120.0;

fn gzip_size(file: &Path) -> u64 {
    let out = Command::new("gzip")
        .args(["-9", "-c"])
        .arg(file)
        .output()
        .expect("run gzip");
    out.stdout.len() as u64
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

#[tokio::main]
async fn main() {
    let site = site_dir();
    let mut code = (0, 0);
    for entry in std::fs::read_dir(site).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".wasm") || name.ends_with(".js") {
            let raw = entry.metadata().unwrap().len();
            let gz = gzip_size(&entry.path());
            println!("{name}: {:.1} KB raw, {:.1} KB gzip", kb(raw), kb(gz));
            code.0 += raw;
            code.1 += gz;
        }
    }
    println!(
        "wasm + JS: {:.1} KB raw, {:.1} KB gzip (budget {BUDGET_KB} KB gzip: {})",
        kb(code.0),
        kb(code.1),
        if kb(code.1) <= BUDGET_KB {
            "within"
        } else {
            "OVER"
        }
    );

    // The stack's own floor (`app/examples/floor.rs`: one input and a list over the engine),
    // when `make bench-size` has built it.
    if let Some(floor) = std::env::var_os("FOLIO_FLOOR").map(std::path::PathBuf::from) {
        let size = |ext: &str| {
            let file = floor.join(format!("floor{ext}"));
            file.is_file().then(|| gzip_size(&file))
        };
        if let (Some(wasm), Some(js)) = (size("_bg.wasm"), size(".js")) {
            println!(
                "floor (Leptos + gloo-net + folio-engine, one input and a list): wasm {:.1} + JS {:.1} = {:.1} KB gzip; the explorer's features add {:.1} KB",
                kb(wasm),
                kb(js),
                kb(wasm + js),
                kb(code.1.saturating_sub(wasm + js))
            );
        }
    }

    let server = StaticServer::start(site);
    let mut times = Vec::new();
    let mut before_first: Vec<(String, u64)> = Vec::new();
    for _ in 0..5 {
        let browser = Browser::start().await;
        browser
            .client
            .goto(&format!("{}#q=minecraft+", server.url()))
            .await
            .unwrap();
        let found: Value = wait_for(Duration::from_secs(30), "the first result", || async {
            let v = browser
                .client
                .execute(
                    "const m = performance.getEntriesByName('folio-first-result')[0]; \
                     if (!m) return null; \
                     return { at: m.startTime, files: performance.getEntriesByType('resource') \
                       .filter(r => r.responseEnd <= m.startTime) \
                       .map(r => [new URL(r.name).pathname, r.encodedBodySize]) };",
                    vec![],
                )
                .await
                .ok()?;
            (!v.is_null()).then_some(v)
        })
        .await;
        times.push(found["at"].as_f64().unwrap());
        // A whole file counts its gzip -9 size (what a compressing host sends); a range
        // request (a paper's record slot) the bytes it received, which are already deflated.
        let index_html = site.join("index.html");
        before_first = std::iter::once(("/index.html".to_string(), gzip_size(&index_html)))
            .chain(found["files"].as_array().unwrap().iter().filter_map(|f| {
                let path = f[0].as_str()?.to_string();
                let received = f[1].as_u64().unwrap_or(u64::MAX);
                let file = site.join(path.trim_start_matches('/'));
                let whole = if file.is_file() { gzip_size(&file) } else { 0 };
                Some((path, whole.min(received)))
            }))
            .collect();
        browser.close().await;
    }
    println!("downloaded before the first result (gzip -9):");
    for (path, size) in &before_first {
        println!("  {path}: {:.1} KB", kb(*size));
    }
    let total: u64 = before_first.iter().map(|f| f.1).sum();
    println!("  total: {:.1} KB gzip", kb(total));
    times.sort_by(f64::total_cmp);
    println!(
        "navigation to first result, headless Chromium, cold cache, local server: median {:.0} ms (min {:.0}, max {:.0}) over {} loads",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
}
