//! Hostile queries from the URL (issue 13): whatever `#q=` holds, the page answers within a
//! bounded wait with results or a message, never stays on "Loading…", and the search box
//! still works afterwards. Before the engine's fix (44d3f37) the first of the Unicode
//! queries trapped the wasm: the page stopped answering altogether.

use folio_e2e::{site_dir, wait_for, Browser, Locator, StaticServer};

use crate::embed::type_into;
use crate::page::{SearchPage, LOAD_TIMEOUT};

/// The hash the app writes for `query`: the app's own encoder.
pub(crate) fn hash_for(query: &str) -> String {
    folio_app::url::UrlState {
        query: query.to_string(),
        paper: None,
    }
    .to_hash()
}

/// What the page says once it has answered a query.
pub(crate) struct Answer {
    status: String,
    results: usize,
    notice: String,
}

/// Opens the site at `hash` as a fresh page load (`case` makes each address distinct, so
/// the browser loads the page rather than only changing its hash), then waits for an
/// answer: the result count's words, never the loading state, never a load error.
pub(crate) async fn open_at<'a>(
    client: &'a folio_e2e::Client,
    server: &StaticServer,
    case: usize,
    hash: &str,
) -> (SearchPage<'a>, Answer) {
    let url = format!("{}?case={case}{hash}", server.url());
    let page = SearchPage::open(client, &url).await;
    let answer = wait_for(
        LOAD_TIMEOUT,
        &format!("an answer to {hash:.60}"),
        || async {
            let loading = page
                .eval("return document.body.innerText.includes('Loading the paper index')")
                .await
                .as_bool()
                .unwrap_or(true);
            let status = page.status().await;
            if loading || status.is_empty() {
                return None;
            }
            let results = client
                .find_all(Locator::Css(".result"))
                .await
                .map_or(0, |r| r.len());
            let notice = match client.find(Locator::Css(".notice")).await {
                Ok(e) => e.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            Some(Answer {
                status,
                results,
                notice,
            })
        },
    )
    .await;
    // The index loaded: no error box in its place.
    let error = match client.find(Locator::Css(".error")).await {
        Ok(e) => e.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    assert!(error.is_empty(), "{hash:.60}: {error}");
    let known = answer.status == "No papers found"
        || answer.status.ends_with(" found")
        || answer.status.ends_with("in the collection")
        || answer.status.ends_with("match some of the words");
    assert!(known, "{hash:.60}: status {:?}", answer.status);
    assert_eq!(
        answer.results == 0,
        answer.status == "No papers found",
        "{hash:.60}: {} results under {:?}",
        answer.results,
        answer.status
    );
    (page, answer)
}

/// Empties the search box as a person would (select all, delete), types `minecraft`, and
/// checks the Minecraft papers come back: the page still searches.
async fn still_searches(page: &SearchPage<'_>, what: &str) {
    let input = page.input().await;
    input.click().await.expect("focus the search box");
    // Control+A, release, Backspace.
    input
        .send_keys("\u{E009}a\u{E000}\u{E003}")
        .await
        .expect("select all and delete");
    if !page.query().await.is_empty() {
        // Where select-all is not Control+A, Esc clears the search (the app's own key).
        page.press("\u{E00C}").await;
    }
    wait_for(
        LOAD_TIMEOUT,
        &format!("{what}: an empty search box"),
        || async { page.query().await.is_empty().then_some(()) },
    )
    .await;
    page.type_query("minecraft").await;
    page.wait_for_titles(&format!("{what}: minecraft results after"), |titles| {
        titles.iter().any(|t| t.contains("Minecraft"))
    })
    .await;
    // The last keystroke's search may still be fetching: wait for it to end.
    let status = wait_for(
        LOAD_TIMEOUT,
        &format!("{what}: the minecraft count"),
        || async {
            let status = page.status().await;
            (!status.is_empty()).then_some(status)
        },
    )
    .await;
    assert!(status.ends_with(" found"), "{what}: {status}");
}

/// Each query: opened from the URL, answered, shown back in the box as it was, and the
/// search box works after it. Returns the answers, for checks of their own.
async fn try_queries(queries: &[String]) -> Vec<Answer> {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let mut answers = Vec::new();
    for (case, query) in queries.iter().enumerate() {
        let hash = hash_for(query);
        let (page, answer) = open_at(&browser.client, &server, case, &hash).await;
        assert_eq!(
            page.query().await,
            *query,
            "the box shows the query as sent"
        );
        still_searches(&page, &format!("{query:.40}")).await;
        answers.push(answer);
    }
    browser.close().await;
    answers
}

#[tokio::test]
async fn hostile_case_changing_unicode_around_a_misspelling() {
    let answers = try_queries(&[
        "\u{2126} «minecrafx İ".into(),
        "ẞ minecrafx".into(),
        "\u{212A} MINECRAFX".into(),
        "\u{212A}MINECRAFX".into(),
        "İİİ minecrafx ΩΩ".into(),
    ])
    .await;
    assert_eq!(answers.len(), 5);
}

#[tokio::test]
async fn hostile_ten_thousand_characters() {
    let words: String = "agents ".repeat(1500).chars().take(10_000).collect();
    let word: String = "minecraft".repeat(1200).chars().take(10_000).collect();
    let answers = try_queries(&[words, word]).await;
    // The engine read only part of each, and the page says so in its words.
    assert!(
        answers[0].notice.starts_with("Only the first"),
        "{:?}",
        answers[0].notice
    );
    assert_eq!(
        answers[1].notice, "Only the first 1,000 characters are searched.",
        "a 10,000-character word"
    );
}

#[tokio::test]
async fn hostile_only_operators_and_unbalanced_quotes() {
    let answers = try_queries(&[
        "- OR \"\" : -- OR".into(),
        "OR".into(),
        "\"minecraft agents".into(),
        "\"\"\"".into(),
        "\"minecraft\\".into(),
        "-\"\" year: :year sort: \"".into(),
    ])
    .await;
    for answer in &answers {
        assert!(
            answer.notice.is_empty(),
            "short queries: {:?}",
            answer.notice
        );
    }
}

#[tokio::test]
async fn hostile_percent_encoding_garbage_in_the_hash() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    // Raw, as a person or another site might write them. What does not decode is kept as
    // typed (app/src/url.rs): a `%` without two hex digits is a `%`, `+` a space, and
    // escapes that are not UTF-8 stay as their `%XX` text.
    for (case, (hash, shown)) in [
        ("#q=%+1%zz%", "% 1%zz%"),
        ("#q=%E0%A4", "%E0%A4"),
        ("#q=%ff%fe+minecraft", "%ff%fe minecraft"),
        ("#q=%ED%A0%80+%C0%AF", "%ED%A0%80 %C0%AF"),
        ("#q=%%%", "%%%"),
        ("#q=%C3%A9%C3", "é%C3"),
    ]
    .into_iter()
    .enumerate()
    {
        let (page, _) = open_at(&browser.client, &server, case, hash).await;
        assert_eq!(page.query().await, shown, "{hash}");
        still_searches(&page, hash).await;
    }
    browser.close().await;
}

#[tokio::test]
async fn hostile_listing_names_with_spaces_and_quotes_toggle_with_one_click_each() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let input = work.path().join("listings.json");
    let odd = "Say \"hi\" \\o/";
    let paper = |id: &str, listing: &str| {
        serde_json::json!({
            "id": id,
            "title": format!("Agents paper {id}"),
            "abstract": "Agents that play games.",
            "listings": [listing],
        })
    };
    let papers = serde_json::json!({"papers": [
        paper("a1", "my list"),
        paper("a2", "my list"),
        paper("b1", odd),
        paper("c1", "plain"),
    ]});
    std::fs::write(&input, serde_json::to_vec(&papers).expect("JSON")).expect("write");
    let copy = folio_e2e::site_copy();
    folio_e2e::index_into(&[&input], &copy.path().join("data"));
    let server = StaticServer::start(copy.path());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &server.url()).await;
    page.wait_loaded().await;
    let pressed = || async {
        match browser
            .client
            .find(Locator::Css(".facet[aria-pressed=true]"))
            .await
        {
            Ok(e) => e.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    };
    for (label, query, found) in [
        ("my list", "listing:\"my list\" ", "2 papers found"),
        (odd, "listing:\"say \\\"hi\\\" \\\\o/\" ", "1 paper found"),
    ] {
        page.click_text(".facet", label).await;
        wait_for(LOAD_TIMEOUT, &format!("{label}: chosen"), || async {
            (page.status().await == found).then_some(())
        })
        .await;
        assert_eq!(page.query().await, query, "one filter, quoted");
        assert!(
            pressed().await.starts_with(label),
            "{label}: shown as chosen"
        );
        // One more click takes it out again: nothing stray is left behind.
        page.click_text(".facet[aria-pressed=true]", label).await;
        wait_for(LOAD_TIMEOUT, &format!("{label}: taken out"), || async {
            page.query().await.is_empty().then_some(())
        })
        .await;
        assert_eq!(pressed().await, "", "{label}: no longer chosen");
    }
    browser.close().await;
}

#[tokio::test]
async fn hostile_queries_in_the_widget_say_what_was_left_out() {
    let server = StaticServer::start(site_dir());
    let browser = Browser::start().await;
    let page = SearchPage::open(&browser.client, &format!("{}embed-demo.html", server.url())).await;
    let long: String = "agents ".repeat(1500).chars().take(10_000).collect();
    for (query, said) in [
        (
            long.as_str(),
            "Only the first 32 words and filters are searched.",
        ),
        // One typo from "minecraft": found.
        ("\u{2126} «minecrafx İ", "4 papers found"),
        ("- OR \"\" : -- OR", ""),
    ] {
        type_into(&page, "archive", query).await;
        let state = crate::embed::wait_widget(&page, "archive", "the widget's answer", |s| {
            let status = s["status"].as_str().unwrap_or("");
            status.contains("found") && status.contains(said)
        })
        .await;
        assert!(
            !state["status"].as_str().unwrap_or("").contains("Loading"),
            "{state}"
        );
    }
    type_into(&page, "archive", "minecraft").await;
    crate::embed::wait_widget(&page, "archive", "minecraft after them", |s| {
        s["titles"].as_array().is_some_and(|t| t.len() == 4)
    })
    .await;
    browser.close().await;
}
