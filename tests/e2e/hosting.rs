//! Hosting: the built site under a sub-path of a plain static server, and under a strict
//! Content Security Policy.

use folio_e2e::{site_dir, wait_for, Browser, StaticServer};

use crate::page::{SearchPage, LOAD_TIMEOUT};

/// The policy docs/hosting.md recommends; the test adds only `report-uri` so violations reach
/// the test server.
const POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

#[tokio::test]
async fn the_site_works_under_a_sub_path() {
    // Anything outside /tools/papers/ is a 404: an absolute URL anywhere would break the page.
    let server = StaticServer::start_at(site_dir(), "/tools/papers/");
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    page.type_query("bioclip ").await;
    page.wait_for_titles("BioCLIP", |t| {
        t.first().is_some_and(|t| t.starts_with("BioCLIP 2"))
    })
    .await;
    let failed = page
        .eval(
            "return performance.getEntriesByType('resource') \
             .filter(r => !new URL(r.name).pathname.startsWith('/tools/papers/')).map(r => r.name)",
        )
        .await;
    assert_eq!(
        failed,
        serde_json::json!([]),
        "requests outside the sub-path"
    );
    browser.close().await;
}

#[tokio::test]
async fn the_site_runs_under_a_strict_content_security_policy() {
    let policy = format!("{POLICY}; report-uri /csp-report");
    let server = StaticServer::start_with(
        site_dir(),
        "/",
        &[("Content-Security-Policy", policy.as_str())],
    );
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &format!("{}#q=minecraft+", server.url())).await;
    page.wait_loaded().await;
    page.wait_for_titles("Minecraft papers", |t| {
        t.iter().any(|t| t.starts_with("Optimus-2"))
    })
    .await;
    // Browse, so the year histogram (sized through CSSOM, not style attributes) renders.
    page.eval("location.hash = ''; return 0").await;
    wait_for(LOAD_TIMEOUT, "the collection", || async {
        page.status()
            .await
            .contains("in the collection")
            .then_some(())
    })
    .await;
    // The policy is in force (an inline script is refused) and nothing of ours broke it.
    let refused = page
        .eval(
            "const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; \
             document.head.appendChild(s); return window.__inline === undefined",
        )
        .await;
    assert_eq!(refused, true, "the policy did not apply");
    let reports = wait_for(
        LOAD_TIMEOUT,
        "the violation report of the probe",
        || async {
            let reports = server.reports();
            (!reports.is_empty()).then_some(reports)
        },
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let reports = if server.reports().len() > reports.len() {
        server.reports()
    } else {
        reports
    };
    // Only the probe above may have been reported.
    assert_eq!(reports.len(), 1, "{reports:#?}");
    assert!(reports[0].contains("inline"), "{reports:#?}");
    browser.close().await;
}
