//! Query latency in Chromium, through the built site's wasm: `make bench-query` runs it
//! (or `cargo run --release -p folio-e2e --example latency` with `FOLIO_DIST` set to a site
//! built with `trunk build --release --features bench`: the export is not in the shipped
//! site). Serves the repository root, opens the site, and calls
//! `window.wasmBindings.measure_queries` on the bundled index (`data/` of the site) and, when present, the 100k synthetic index (`build/bench/index-100000`,
//! from `make bench-index`). Prints p50 and p95 over the judged queries of
//! `bench/relevance/queries.json`. Then, in the same page, the peer: MiniSearch
//! (`bench/minisearch-latency.mjs`, from `node_modules/`) over the bundled papers, and the
//! ratio of the two p95s.

use std::time::Duration;

use folio_e2e::{repo_root, site_dir, wait_for, Browser, StaticServer};
use serde_json::{json, Value};

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The per-query times of a `measure` result (`{times: [...]}`).
fn times_of(result: &Value) -> Vec<f64> {
    result["times"]
        .as_array()
        .map(|t| t.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let root = repo_root();
    let site = site_dir();
    let page = site
        .strip_prefix(&root)
        .expect("the site is built inside the repository")
        .to_string_lossy()
        .into_owned();
    // FOLIO_QUERIES: another query file of the same layout (`make bench-worst-query` writes
    // the slowest queries it found), timed over the 100k index only, each query printed.
    let worst = std::env::var_os("FOLIO_QUERIES").map(std::path::PathBuf::from);
    let queries_file = worst
        .clone()
        .unwrap_or_else(|| root.join("bench/relevance/queries.json"));
    let judged: Value = serde_json::from_slice(&std::fs::read(&queries_file).unwrap()).unwrap();
    let queries: Vec<String> = judged["queries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["query"].as_str().unwrap().to_string())
        .collect();
    let server = StaticServer::start(&root);
    let browser = Browser::start().await;
    // Loading the 100k index and timing its queries takes minutes, not the default 30 s.
    browser
        .client
        .update_timeouts(fantoccini::wd::TimeoutConfiguration::new(
            Some(Duration::from_secs(900)),
            Some(Duration::from_secs(60)),
            None,
        ))
        .await
        .unwrap();
    browser
        .client
        .goto(&format!("{}{page}/", server.url()))
        .await
        .unwrap();
    wait_for(Duration::from_secs(30), "the wasm module", || async {
        let ready = browser
            .client
            .execute(
                "return !!(window.wasmBindings && window.wasmBindings.measure_queries)",
                vec![],
            )
            .await
            .ok()?;
        ready.as_bool().filter(|r| *r)
    })
    .await;
    let version = browser
        .client
        .execute("return navigator.userAgent", vec![])
        .await
        .unwrap();
    println!("browser: {}", version.as_str().unwrap_or("?"));
    // Folio's bundled p50 and p95, for the ratio to the peer.
    let mut folio_bundled = None;
    for (name, dir, runs, batches) in [
        ("bundled", "data/".to_string(), 20, 5),
        (
            "synthetic 100k",
            // From the server root (the repository), wherever the site was built.
            "/build/bench/index-100000/".to_string(),
            2,
            3,
        ),
    ] {
        if worst.is_some() && !dir.contains("index-100000") {
            continue;
        }
        if dir.contains("index-100000")
            && !root.join("build/bench/index-100000/manifest.json").exists()
        {
            println!("{name}: no index (run `make bench-index` first), skipped");
            continue;
        }
        let script = "const [dir, queries, runs, batches, done] = arguments; \
                      window.wasmBindings.measure_queries(dir, queries, runs, batches) \
                      .then(times => done({times: Array.from(times)}), error => done({error: String(error)}));";
        let result = browser
            .client
            .execute_async(
                script,
                vec![json!(dir), json!(queries), json!(runs), json!(batches)],
            )
            .await
            .unwrap();
        if let Some(error) = result.get("error") {
            println!("{name}: {error}");
            continue;
        }
        let mut times = times_of(&result);
        if worst.is_some() {
            for (query, time) in queries.iter().zip(&times) {
                let shown: String = query.chars().take(100).collect();
                println!(
                    "folio wasm in Chromium, {name}: {time:8.2} ms  {} chars  {shown:?}",
                    query.chars().count()
                );
            }
        }
        let mut by_time: Vec<(&String, f64)> = queries.iter().zip(times.iter().copied()).collect();
        by_time.sort_by(|a, b| b.1.total_cmp(&a.1));
        times.sort_by(f64::total_cmp);
        if name == "bundled" {
            folio_bundled = Some((percentile(&times, 50.0), percentile(&times, 95.0)));
        }
        println!(
            "folio wasm in Chromium, {name}: {} queries, p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms (slowest {:?} {:.2} ms)",
            times.len(),
            percentile(&times, 50.0),
            percentile(&times, 95.0),
            times.last().copied().unwrap_or(0.0),
            by_time[0].0,
            by_time[0].1,
        );
    }
    if worst.is_some() {
        browser.close().await;
        return;
    }
    // The peer, in the same browser and page: MiniSearch over the bundled papers, which
    // it reads as one JSON file, written here from the index's records.
    let whole = folio_engine::load::open_dir_whole(&site.join("data")).unwrap();
    let papers: Vec<&folio_engine::Paper> = (0..whole.index().paper_count())
        .filter_map(|doc| whole.index().paper(doc).ok().flatten())
        .collect();
    let papers_file = root.join("build/bench/latency-papers.json");
    std::fs::create_dir_all(papers_file.parent().unwrap()).unwrap();
    std::fs::write(
        &papers_file,
        serde_json::to_vec(&json!({ "papers": papers })).unwrap(),
    )
    .unwrap();
    let papers_url = "/build/bench/latency-papers.json";
    let script = "const [papersUrl, queries, done] = arguments; \
                  Promise.all([import('/node_modules/minisearch/dist/es/index.js'), \
                               import('/bench/minisearch-latency.mjs'), \
                               fetch(papersUrl).then(r => r.json())]) \
                  .then(([{default: MiniSearch}, bench, file]) => { \
                      const mini = bench.buildMiniSearch(MiniSearch, file.papers); \
                      done({times: bench.measure(mini, file.papers, queries, 20, 5, () => performance.now())}); \
                  }).catch(error => done({error: String(error)}));";
    let result = browser
        .client
        .execute_async(script, vec![json!(papers_url), judged["queries"].clone()])
        .await
        .unwrap();
    match result.get("error") {
        Some(error) => println!("minisearch in Chromium, bundled: {error}"),
        None => {
            let mut times = times_of(&result);
            times.sort_by(f64::total_cmp);
            println!(
                "minisearch in Chromium, bundled: {} queries, p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms",
                times.len(),
                percentile(&times, 50.0),
                percentile(&times, 95.0),
                times.last().copied().unwrap_or(0.0),
            );
            if let Some((p50, p95)) = folio_bundled {
                println!(
                    "folio / minisearch in Chromium, bundled: p50 {:.2}x, p95 {:.2}x (below 1: folio is faster)",
                    p50 / percentile(&times, 50.0),
                    p95 / percentile(&times, 95.0),
                );
            }
        }
    }
    browser.close().await;
}
