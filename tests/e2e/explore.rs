//! The explorer's behaviours in Chromium: filters, the URL, history, keyboard, the paper
//! view, similar papers, broken and hostile data.

use folio_e2e::{
    index_into, site_copy, site_copy_with_index, site_dir, wait_for, Browser, Locator, StaticServer,
};

use crate::page::{SearchPage, LOAD_TIMEOUT, SEARCHING};

#[tokio::test]
async fn a_facet_refines_the_search_and_shows_in_the_query() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    page.type_query("agents").await;
    let before = wait_for(LOAD_TIMEOUT, "the agents results", || async {
        let status = page.status().await;
        status.contains("found").then_some(status)
    })
    .await;
    page.click_text(".facet", "With code").await;
    let after = wait_for(LOAD_TIMEOUT, "the filtered results", || async {
        let status = page.status().await;
        (status != before && status.contains("found")).then_some(status)
    })
    .await;
    assert_eq!(page.query().await, "agents has:code ");
    let count = |s: &str| s.split(' ').next().unwrap().parse::<usize>().unwrap();
    assert!(count(&after) < count(&before), "{before} → {after}");
    // Every result now shows a code link, and the facet is pressed.
    let results = browser
        .client
        .find_all(Locator::Css(".result"))
        .await
        .unwrap();
    let badges = browser
        .client
        .find_all(Locator::Css(".result .badge"))
        .await
        .unwrap();
    assert_eq!(results.len(), badges.len());
    let pressed = browser
        .client
        .find(Locator::Css(".facet[aria-pressed=true]"))
        .await
        .unwrap();
    assert!(pressed.text().await.unwrap().contains("With code"));
    // Clicking it again takes the filter out of the query.
    pressed.click().await.unwrap();
    wait_for(LOAD_TIMEOUT, "the filter to go", || async {
        (page.query().await == "agents ").then_some(())
    })
    .await;
    assert!(
        page.hash().await.contains("q=agents"),
        "{}",
        page.hash().await
    );
    browser.close().await;
}

#[tokio::test]
async fn the_url_restores_the_search_and_the_open_paper() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(
        &browser.client,
        &format!("{}#q=agents+year:2025+", server.url()),
    )
    .await;
    let status = page.wait_loaded().await;
    assert!(status.ends_with("found"), "{status}");
    assert_eq!(page.query().await, "agents year:2025 ");
    let titles = page
        .wait_for_titles("the 2025 agents papers", |t| !t.is_empty())
        .await;
    // Open the first result, then reload: the same paper is open over the same search.
    page.open_first_result().await;
    let title = page.wait_paper("the paper view", |_| true).await;
    assert_eq!(title, titles[0]);
    assert!(
        page.hash().await.contains("paper="),
        "{}",
        page.hash().await
    );
    page.client.refresh().await.unwrap();
    let restored = page.wait_paper("the paper after reload", |_| true).await;
    assert_eq!(restored, title);
    assert_eq!(page.query().await, "agents year:2025 ");
    // The search behind the paper may finish after the paper is shown.
    wait_for(
        LOAD_TIMEOUT,
        "the same results behind the paper",
        || async { (page.status().await == status).then_some(()) },
    )
    .await;
    browser.close().await;
}

#[tokio::test]
async fn back_and_forward_move_between_searches_and_papers() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &format!("{}#q=minecraft+", server.url())).await;
    page.wait_loaded().await;
    // A new address (a pasted link) is a history entry, as is opening a paper.
    page.client
        .goto(&format!("{}#q=bioclip+", server.url()))
        .await
        .unwrap();
    page.wait_for_titles("BioCLIP", |t| {
        t.first().is_some_and(|t| t.starts_with("BioCLIP 2"))
    })
    .await;
    page.open_first_result().await;
    page.wait_paper("BioCLIP's paper view", |t| t.starts_with("BioCLIP 2"))
        .await;

    page.client.back().await.unwrap();
    page.wait_no_paper().await;
    assert_eq!(page.query().await, "bioclip ");
    page.client.back().await.unwrap();
    wait_for(LOAD_TIMEOUT, "the earlier search", || async {
        (page.query().await == "minecraft ").then_some(())
    })
    .await;
    page.wait_for_titles("Minecraft results", |t| {
        t.iter().any(|t| t.starts_with("Optimus-2"))
    })
    .await;
    page.client.forward().await.unwrap();
    wait_for(LOAD_TIMEOUT, "the later search", || async {
        (page.query().await == "bioclip ").then_some(())
    })
    .await;
    page.client.forward().await.unwrap();
    page.wait_paper("the paper again", |t| t.starts_with("BioCLIP 2"))
        .await;
    browser.close().await;
}

#[tokio::test]
async fn the_keyboard_alone_searches_opens_and_closes() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    // `/` from the page body focuses the search box.
    page.eval("document.activeElement && document.activeElement.blur(); return 0")
        .await;
    browser
        .client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    wait_for(LOAD_TIMEOUT, "the search box to take focus", || async {
        (page.eval("return document.activeElement.id").await == "search-input").then_some(())
    })
    .await;
    page.press("minecraft").await;
    let titles = page
        .wait_for_titles("Minecraft results", |t| {
            t.iter().any(|t| t.starts_with("Optimus-2"))
        })
        .await;
    // ↓ ↓ ↑ lands on the first result, as the combobox reports.
    page.press("\u{E015}\u{E015}\u{E013}").await;
    wait_for(LOAD_TIMEOUT, "the first result to be active", || async {
        let active = page
            .eval("return document.getElementById('search-input').getAttribute('aria-activedescendant')")
            .await;
        (active == "result-0").then_some(())
    })
    .await;
    let selected = browser
        .client
        .find(Locator::Css("#result-0[aria-selected=true]"))
        .await;
    assert!(selected.is_ok());
    // Enter opens it; Esc closes it and gives the search box its focus back.
    page.press("\u{E007}").await;
    let title = page.wait_paper("the paper view", |_| true).await;
    assert_eq!(title, titles[0]);
    page.press("\u{E00C}").await;
    page.wait_no_paper().await;
    // Esc again clears the search.
    page.press("\u{E00C}").await;
    wait_for(LOAD_TIMEOUT, "the query to clear", || async {
        page.query().await.is_empty().then_some(())
    })
    .await;
    browser.close().await;
}

#[tokio::test]
async fn similar_papers_click_through() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &format!("{}#q=bioclip+", server.url())).await;
    page.wait_loaded().await;
    page.wait_for_titles("BioCLIP", |t| {
        t.first().is_some_and(|t| t.starts_with("BioCLIP 2"))
    })
    .await;
    page.open_first_result().await;
    page.wait_paper("BioCLIP's paper view", |t| t.starts_with("BioCLIP 2"))
        .await;
    // Why this result: the matched word, in the title, exactly.
    let why = browser.client.find(Locator::Css(".why")).await.unwrap();
    why.find(Locator::Css("summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The details open on the click, but a browser may draw the table a moment later (its
    // text reads empty until then): the table is read once it shows.
    let table = wait_for(LOAD_TIMEOUT, "the opened explanation", || async {
        let text = why
            .find(Locator::Css("table"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        (!text.trim().is_empty()).then_some(text)
    })
    .await;
    assert!(
        table.contains("bioclip") && table.contains("title") && table.contains("exact"),
        "{table}"
    );
    // The similar papers are links into the collection (their records arrive after the
    // paper's own, in a round of their own).
    let first = wait_for(LOAD_TIMEOUT, "BioCLIP 2's similar papers", || async {
        browser
            .client
            .find(Locator::Css(".similar button"))
            .await
            .ok()
    })
    .await;
    let similar_title = first.text().await.unwrap();
    first.click().await.unwrap();
    page.wait_paper("the similar paper", |t| t == similar_title)
        .await;
    // Back returns to BioCLIP 2.
    page.client.back().await.unwrap();
    page.wait_paper("BioCLIP again", |t| t.starts_with("BioCLIP 2"))
        .await;
    browser.close().await;
}

#[tokio::test]
async fn a_damaged_index_is_reported_in_words() {
    let copy = site_copy_with_index(|data| {
        let manifest = data.join("manifest.json");
        let bytes = std::fs::read(&manifest).unwrap();
        std::fs::write(&manifest, &bytes[..bytes.len() / 2]).unwrap();
    });
    let server = StaticServer::start(copy.path());
    let browser = Browser::start().await;
    browser.client.goto(&server.url()).await.unwrap();
    let message = wait_for(LOAD_TIMEOUT, "the error message", || async {
        browser
            .client
            .find(Locator::Css("[role=alert]"))
            .await
            .ok()?
            .text()
            .await
            .ok()
    })
    .await;
    assert!(message.contains("could not be loaded"), "{message}");
    assert!(
        message.contains("manifest.json"),
        "names the damaged file: {message}"
    );
    browser.close().await;
}

#[tokio::test]
async fn hostile_text_is_shown_as_text_and_runs_nothing() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("hostile.json");
    let papers = serde_json::json!({"papers": [
        {
            "title": "<img src=x onerror=\"window.__pwned='title'\"> Hostile markup in titles",
            "abstract": "<script>window.__pwned='abstract'</script> We study hostile markup. \
                         Try javascript:window.__pwned='link' or <a href=\"javascript:alert(1)\">this</a>; \
                         the code is at https://github.com/folio/hostile-markup.",
            "id": "hostile-1",
            "organization": "<b onmouseover=\"window.__pwned='org'\">Evil Org</b>"
        },
        {
            "title": "An ordinary paper about markup",
            "abstract": "Plain words about hostile inputs and how sites escape them.",
            "id": "plain-1"
        }
    ]});
    std::fs::write(&input, serde_json::to_vec(&papers).unwrap()).unwrap();
    let copy = site_copy();
    index_into(&[&input], &copy.path().join("data"));
    let server = StaticServer::start(copy.path());
    let browser = Browser::start().await;
    let page = SearchPage::open(
        &browser.client,
        &format!("{}#q=hostile+markup+", server.url()),
    )
    .await;
    page.wait_loaded().await;
    let titles = page
        .wait_for_titles("the hostile paper", |t| !t.is_empty())
        .await;
    assert!(
        titles.iter().any(|t| t.starts_with("<img src=x onerror=")),
        "{titles:?}"
    );
    // Open it, so the abstract, the organization and the links render too.
    page.click_text(".result .title", "Hostile markup").await;
    page.wait_paper("the hostile paper view", |t| t.contains("Hostile markup"))
        .await;
    let abstract_text = browser
        .client
        .find(Locator::Css(".abstract"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(abstract_text.starts_with("<script>"), "{abstract_text}");
    let found = page
        .eval(
            "return { pwned: window.__pwned || null, \
                      injected: document.querySelectorAll('main img, main script, main b, [role=dialog] img, [role=dialog] script, [role=dialog] b').length, \
                      hrefs: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')) }",
        )
        .await;
    assert_eq!(found["pwned"], serde_json::Value::Null, "{found}");
    assert_eq!(found["injected"], 0, "{found}");
    let hrefs: Vec<&str> = found["hrefs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|h| h.as_str())
        .collect();
    assert!(
        hrefs.contains(&"https://github.com/folio/hostile-markup"),
        "{hrefs:?}"
    );
    for href in &hrefs {
        assert!(
            href.starts_with("https://")
                || href.starts_with("http://")
                || href.starts_with('#')
                || *href == "./",
            "only http(s) links: {href}"
        );
    }
    browser.close().await;
}

#[tokio::test]
async fn another_year_can_be_chosen_while_one_is_in_use() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    page.click_text(".years .facet", "2025").await;
    wait_for(LOAD_TIMEOUT, "the year in the query", || async {
        (page.query().await == "year:2025 ").then_some(())
    })
    .await;
    let status_2025 = page.wait_loaded().await;
    // The other years still show, with their own counts; one click switches.
    page.click_text(".years .facet", "2024").await;
    wait_for(LOAD_TIMEOUT, "the other year", || async {
        (page.query().await == "year:2024 ").then_some(())
    })
    .await;
    let status_2024 = wait_for(LOAD_TIMEOUT, "the 2024 results", || async {
        let status = page.status().await;
        (!status.is_empty() && status != status_2025).then_some(status)
    })
    .await;
    assert!(status_2024.ends_with("found"), "{status_2024}");
    browser.close().await;
}

#[tokio::test]
async fn a_search_waiting_for_its_pieces_says_so_and_never_replaces_a_newer_one() {
    // The site without its service worker, which would keep the small bundled index whole
    // at the first visit: here every piece must come over the (slowed) network.
    let copy = site_copy_with_index(|_| {});
    std::fs::remove_file(copy.path().join("sw.js")).unwrap();
    let server = StaticServer::start(copy.path());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    // One query whose pieces are in; the page's own count of finished downloads.
    let set_query = |q: &str| {
        format!(
            "const i = document.getElementById('search-input'); i.value = {q:?}; \
             i.dispatchEvent(new Event('input', {{bubbles: true}}));"
        )
    };
    let downloads = "return performance.getEntriesByType('resource').length";
    page.eval(&set_query("agents ")).await;
    wait_for(LOAD_TIMEOUT, "the agents results", || async {
        page.status().await.ends_with("found").then_some(())
    })
    .await;
    let agents = page.result_titles().await;
    assert!(!agents.is_empty());
    // A slow network: each piece now takes over a second. A query that needs new pieces
    // says it is working ...
    server.set_throttle(std::time::Duration::from_millis(1200));
    page.eval(&set_query("zero shot ")).await;
    wait_for(LOAD_TIMEOUT, "the working state", || async {
        let text = browser
            .client
            .find(Locator::Css(".count .found"))
            .await
            .ok()?
            .text()
            .await
            .ok()?;
        (text == SEARCHING).then_some(())
    })
    .await;
    // ... and a newer query whose pieces are in answers at once, while it downloads.
    page.eval(&set_query("agents ")).await;
    let status = wait_for(LOAD_TIMEOUT, "the agents results again", || async {
        let status = page.status().await;
        (!status.is_empty()).then_some(status)
    })
    .await;
    assert!(status.ends_with("found"), "{status}");
    // Once the older search's downloads have all finished (the count steady for a
    // while), its results have not replaced the newer ones.
    let last = std::cell::RefCell::new((page.eval(downloads).await, std::time::Instant::now()));
    wait_for(
        std::time::Duration::from_secs(60),
        "the downloads to end",
        || async {
            let now = page.eval(downloads).await;
            let mut last = last.borrow_mut();
            if now != last.0 {
                *last = (now, std::time::Instant::now());
            }
            (last.1.elapsed() > std::time::Duration::from_millis(3000)).then_some(())
        },
    )
    .await;
    assert_eq!(page.result_titles().await, agents);
    assert_eq!(page.query().await, "agents ");
    assert!(page.status().await.ends_with("found"));
    browser.close().await;
}
