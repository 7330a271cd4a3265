//! A site of 10,000 synthetic papers indexed into small pieces: the server's request log
//! shows that each query fetched only some of the index's pieces, and typos, prefixes,
//! phrases, filters with counts, browsing and the paper view work there as on the bundled
//! collection.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use folio_e2e::{folio, repo_root, site_copy, Browser, StaticServer};

use crate::hostile::hash_for;
use crate::page::SearchPage;

const PAPERS: usize = 10_000;

/// The site, built once per test run, and what the test knows of its papers.
struct Site {
    dir: tempfile::TempDir,
    /// `(id, title)` of every paper, in collection order.
    papers: Vec<(String, String)>,
    /// The index's build, in its piece names.
    build: String,
}

fn site() -> &'static Site {
    static SITE: OnceLock<Site> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = site_copy();
        let input = dir.path().join("papers.jsonl");
        let data = dir.path().join("data");
        let (input_s, data_s) = (input.to_str().unwrap(), data.to_str().unwrap());
        let collection = repo_root().join("data");
        let papers = PAPERS.to_string();
        let synth = [
            "synth",
            collection.to_str().unwrap(),
            "--papers",
            &papers,
            "--seed",
            "7",
            "--out",
            input_s,
        ];
        folio(&synth);
        // Pieces far smaller than the defaults, so that a query has many to choose from.
        folio(&[
            "index",
            input_s,
            "--out",
            data_s,
            "--terms-kib",
            "4",
            "--postings-kib",
            "8",
            "--positions-kib",
            "8",
            "--records-kib",
            "64",
            "--papers-per-column",
            "1000",
            "--ids-per-piece",
            "200",
            // Heads for the families in a tenth of the papers, so that a query of one
            // common word reads them in the browser.
            "--head-docs",
            "256",
            "--head-min-df",
            "1000",
        ]);
        let text = std::fs::read_to_string(&input).expect("the synthetic papers");
        let papers = text
            .lines()
            .map(|line| {
                let record: serde_json::Value = serde_json::from_str(line).expect("JSON line");
                let field = |name: &str| record[name].as_str().unwrap_or("").to_string();
                (field("id"), field("title"), field("abstract"))
            })
            .collect::<Vec<_>>();
        let manifest: serde_json::Value =
            serde_json::from_slice(&std::fs::read(data.join("manifest.json")).expect("manifest"))
                .expect("JSON");
        let site = Site {
            build: manifest["build"].as_str().expect("a build").to_string(),
            dir,
            papers: papers
                .iter()
                .map(|(i, t, _)| (i.clone(), t.clone()))
                .collect(),
        };
        std::fs::write(site.dir.path().join("typo.json"), typo_target(&papers)).expect("write");
        site
    })
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// A title word of 8 to 12 letters found in one paper only, and its one-letter deletion
/// that is no word of the collection: `[typo, the paper's title]` as JSON.
fn typo_target(papers: &[(String, String, String)]) -> String {
    let mut df: HashMap<String, usize> = HashMap::new();
    for (_, title, abstract_) in papers {
        let seen: HashSet<String> = words(title).chain(words(abstract_)).collect();
        for word in seen {
            *df.entry(word).or_default() += 1;
        }
    }
    for (_, title, _) in papers {
        for word in words(title) {
            let letters = word.chars().count();
            if !(8..=12).contains(&letters)
                || !word.chars().all(char::is_alphabetic)
                || df.get(&word) != Some(&1)
            {
                continue;
            }
            let mut typo: Vec<char> = word.chars().collect();
            typo.remove(letters / 2);
            let typo: String = typo.into_iter().collect();
            if !df.contains_key(&typo) {
                return serde_json::json!([typo, title]).to_string();
            }
        }
    }
    panic!("no typo target among {} papers", papers.len())
}

/// The pieces of the site's index among `requests` (paths, with the range asked for), by
/// kind: `postings` → the distinct pieces, `records` → the distinct ranges of record files
/// (a record is read by a range request). (The service worker also asks for the bundled
/// index it was built with, which this site does not hold: another build, not counted.)
fn pieces_by_kind(requests: &[String]) -> HashMap<String, HashSet<String>> {
    let build = format!(".{}.bin", site().build);
    let mut kinds: HashMap<String, HashSet<String>> = HashMap::new();
    for request in requests {
        let (path, range) = request.split_once(' ').unwrap_or((request, ""));
        let Some(name) = path.rsplit('/').next().filter(|n| n.ends_with(&build)) else {
            continue;
        };
        let kind = name.rsplit_once('-').map_or(name, |(kind, _)| kind);
        kinds
            .entry(kind.to_string())
            .or_default()
            .insert(format!("{name} {range}").trim_end().to_string());
    }
    kinds
}

/// How many pieces of each kind the index has (records: one a paper).
fn pieces_in(data: &Path) -> HashMap<String, usize> {
    let mut kinds: HashMap<String, usize> = HashMap::new();
    for entry in std::fs::read_dir(data).expect("the index").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some((kind, _)) = name.strip_suffix(".bin").and_then(|n| n.rsplit_once('-')) {
            *kinds.entry(kind.to_string()).or_default() += 1;
        }
    }
    kinds.insert("records".into(), PAPERS);
    kinds
}

/// Searches for `query` in a fresh page and waits for its result count; returns the
/// count's text, the result titles and the index pieces the search fetched by kind.
async fn search(
    browser: &Browser,
    server: &StaticServer,
    query: &str,
) -> (String, Vec<String>, HashMap<String, HashSet<String>>) {
    let url = format!("{}{}", server.url(), hash_for(query));
    server.take_requests();
    let page = SearchPage::open(&browser.client, "about:blank").await;
    page.client.goto(&url).await.expect("open the site");
    let status = page.wait_loaded().await;
    let titles = page.result_titles().await;
    (status, titles, pieces_by_kind(&server.take_requests()))
}

fn count_of(status: &str) -> usize {
    status
        .split(|c: char| !c.is_ascii_digit() && c != ',')
        .find(|s| !s.is_empty())
        .map(|s| s.replace(',', "").parse().expect("a count"))
        .unwrap_or_else(|| panic!("no count in {status:?}"))
}

#[tokio::test]
async fn a_10000_paper_site_fetches_only_the_pieces_each_query_needs() {
    let site = site();
    let data = site.dir.path().join("data");
    let all = pieces_in(&data);
    assert!(all["postings"] > 50, "{all:?}");
    let server = StaticServer::start(site.dir.path());
    let browser = Browser::start().await;

    // One word: some postings, some records, never the whole index.
    let (status, titles, fetched) = search(&browser, &server, "minecraft").await;
    assert!(count_of(&status) > 0 && !titles.is_empty(), "{status}");
    for kind in ["terms", "postings", "records"] {
        let n = fetched.get(kind).map_or(0, HashSet::len);
        assert!(n > 0 && n * 4 < all[kind], "{kind}: {n} of {}", all[kind]);
    }
    assert!(
        !fetched.contains_key("abstract-positions"),
        "a word alone needs no positions: {fetched:?}"
    );

    // A typo: the paper with the misspelt word comes first.
    let typo: (String, String) =
        serde_json::from_slice(&std::fs::read(site.dir.path().join("typo.json")).unwrap()).unwrap();
    let (status, titles, fetched) = search(&browser, &server, &typo.0).await;
    assert_eq!(titles.first(), Some(&typo.1), "{}: {status}", typo.0);
    let terms = fetched.get("terms").map_or(0, HashSet::len);
    assert!(
        terms * 4 < all["terms"],
        "typo: {terms} of {} term pieces",
        all["terms"]
    );

    // A word being typed, as a prefix: at least the papers of each word it starts.
    let (prefix, _, _) = search(&browser, &server, "reinfor").await;
    let (whole, _, _) = search(&browser, &server, "reinforcement").await;
    assert!(count_of(&prefix) >= count_of(&whole), "{prefix} / {whole}");

    // A phrase: fewer papers than its words anywhere. Both words are in more than an
    // eighth of the papers, so the pair is a biword: no positions.
    let (phrase, _, fetched) = search(&browser, &server, "\"world model\"").await;
    let (loose, _, _) = search(&browser, &server, "world model").await;
    assert!(count_of(&phrase) > 0 && count_of(&phrase) < count_of(&loose));
    let positions = |fetched: &HashMap<String, HashSet<String>>| {
        fetched.contains_key("abstract-positions") || fetched.contains_key("title-positions")
    };
    assert!(!positions(&fetched), "{fetched:?}");
    // A phrase with a rarer word is checked from positions.
    let (phrase, _, fetched) = search(&browser, &server, "\"minecraft agents\"").await;
    let (loose, _, _) = search(&browser, &server, "minecraft agents").await;
    assert!(count_of(&phrase) > 0 && count_of(&phrase) < count_of(&loose));
    assert!(positions(&fetched), "{fetched:?}");

    // A filter with counts: fewer papers than the word alone, and the year's facet counts
    // them.
    // A common word is read from its heads, not its lists.
    let (filtered, titles, fetched) = search(&browser, &server, "agents year:2024").await;
    assert!(
        fetched.contains_key("heads") && !titles.is_empty(),
        "{filtered}: {fetched:?}"
    );
    let (agents, _, _) = search(&browser, &server, "agents").await;
    assert!(count_of(&filtered) > 0 && count_of(&filtered) < count_of(&agents));

    // Browsing, nothing typed: the newest papers, from the sort columns and a few papers.
    let (browse, titles, fetched) = search(&browser, &server, "").await;
    assert_eq!(count_of(&browse), PAPERS, "{browse}");
    assert!(!titles.is_empty());
    assert!(!fetched.contains_key("postings"), "{fetched:?}");
    let records = fetched.get("records").map_or(0, HashSet::len);
    assert!(records * 4 < all["records"], "browse: {records} records");

    // The paper view, from a shared link: the id pieces of the paper and of its similar
    // papers, and their records; not the others.
    let (id, title) = &site.papers[PAPERS / 2];
    server.take_requests();
    let page = SearchPage::open(&browser.client, "about:blank").await;
    let hash = folio_app::url::UrlState {
        query: String::new(),
        paper: Some(id.clone()),
    }
    .to_hash();
    let url = format!("{}{hash}", server.url());
    page.client.goto(&url).await.expect("open the paper");
    page.wait_paper("the shared paper", |t| t == title).await;
    let fetched = pieces_by_kind(&server.take_requests());
    let ids = fetched.get("ids").map_or(0, HashSet::len);
    assert!(
        ids >= 1 && ids * 4 < all["ids"],
        "ids: {ids} of {}",
        all["ids"]
    );
    let records = fetched.get("records").map_or(0, HashSet::len);
    assert!(
        records >= 1 && records * 4 < all["records"],
        "paper view: {records} records"
    );

    // A host that ignores range requests (as Python's http.server does) answers with the
    // whole record file, of which the page keeps the records it asked for: the same hits.
    server.set_ranges(false);
    let (status, without, fetched) = search(&browser, &server, "minecraft").await;
    server.set_ranges(true);
    let (_, with, _) = search(&browser, &server, "minecraft").await;
    assert!(
        !without.is_empty() && without == with,
        "{status}: {without:?} / {with:?}"
    );
    assert!(fetched.contains_key("records"), "{fetched:?}");
    browser.close().await;
}
