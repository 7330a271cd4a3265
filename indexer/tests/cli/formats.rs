//! The formats people export, through `folio index` end to end: a Zotero/Scholar `.bib`,
//! a Hugging Face Daily Papers API dump, a Zotero CSL-JSON export and an arXiv API Atom
//! feed (`indexer/tests/fixtures/`), each read into the expected papers; the same papers
//! given in several formats merge into one each.

use std::path::PathBuf;

use super::{by_title, index, ok, papers, stderr};

/// The four fixtures (a .bib, a Daily Papers API dump, a CSL-JSON export, an Atom feed),
/// indexed together into `out`.
fn index_all_fixtures(out: &std::path::Path) {
    let files = [
        "reading-list.bib",
        "daily-papers-api.json",
        "zotero-csl.json",
        "arxiv-api.xml",
    ]
    .map(fixture);
    let inputs: Vec<&std::path::Path> = files.iter().map(PathBuf::as_path).collect();
    ok(index(&inputs, out, &[]));
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn a_bib_file_reads_as_people_wrote_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("index");
    let output = ok(index(&[&fixture("reading-list.bib")], &out, &[]));
    // The entry without an abstract is skipped with its file and line.
    let err = stderr(&output);
    assert!(
        err.contains("reading-list.bib:26: entry \"noabstract2023\""),
        "{err}"
    );
    let papers = papers(&out);
    assert_eq!(papers.len(), 2);
    let lattice = by_title(
        &papers,
        "LatticeLM: Sparse Attention over Öffentlich Corpora",
    );
    assert_eq!(lattice["id"], "2502.01234");
    assert_eq!(
        lattice["authors"],
        serde_json::json!(["Ada Okafor", "Hans Müller", "José García"])
    );
    assert_eq!(lattice["published"], "2025-02");
    assert_eq!(
        lattice["abstract"],
        "We train LatticeLM with 40% fewer FLOPs. Code: https://github.com/lab/latticelm"
    );
    assert_eq!(
        lattice["categories"],
        serde_json::json!(["sparse attention", "language models"])
    );
    // Issue 33: a pasted arXiv URL finds its paper first, said so.
    let output = ok(super::folio(&[
        "search",
        "--index",
        out.to_str().unwrap(),
        "https://arxiv.org/abs/2502.01234v2",
        "--json",
    ]));
    let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results["results"][0]["id"], "2502.01234");
    assert_eq!(results["results"][0]["explanation"][0]["kind"], "id");
    // Issue 33: LaTeX names read as written, and found folded (`Garc{\'\i}a` by `garcia`).
    for (query, found) in [
        ("author:garcia", 1),
        ("author:müller", 1),
        ("author:MULLER", 1),
        ("author:josef", 0),
    ] {
        let output = ok(super::folio(&[
            "search",
            "--index",
            out.to_str().unwrap(),
            query,
            "--json",
        ]));
        let results: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(results["total"], found, "{query}");
    }
    let tides = by_title(&papers, "Tidal Forecasting with Graph Networks");
    assert_eq!(
        tides["authors"],
        serde_json::json!(["Björn Svensson", "Min-Jun Lee"])
    );
    assert_eq!(tides["published"], "2024-11-03");
    assert_eq!(
        tides["links"][0]["url"],
        "https://doi.org/10.1016/j.ocemod.2024.102345"
    );
}

#[test]
fn daily_papers_api_and_csl_json_read_into_papers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("index");
    ok(index(
        &[
            &fixture("daily-papers-api.json"),
            &fixture("zotero-csl.json"),
        ],
        &out,
        &["--strict"],
    ));
    let papers = papers(&out);
    let birds = by_title(&papers, "Counting Birds from Drone Audio");
    assert_eq!(birds["id"], "2502.05678");
    assert_eq!(birds["published"], "2025-02-06");
    assert!(
        birds.get("upvotes").is_none_or(|u| u.is_null()),
        "no upvotes given: {birds}"
    );
    let lattice = by_title(
        &papers,
        "LatticeLM: Sparse Attention over Öffentlich Corpora",
    );
    assert_eq!(lattice["upvotes"], 42);
    assert_eq!(lattice["organization"], "The Lattice Lab");
    assert_eq!(lattice["authors"].as_array().unwrap().len(), 4);
    let reef = by_title(&papers, "Reef Survey Methods");
    assert_eq!(reef["id"], "2207.00042");
    assert_eq!(reef["published"], "2022-07");
    assert_eq!(
        reef["authors"],
        serde_json::json!([
            "Great Barrier Reef Marine Park Authority",
            "Anna van der Berg"
        ])
    );
    assert_eq!(reef["categories"], serde_json::json!(["reefs", "surveys"]));
    let tides = by_title(&papers, "Tidal Forecasting with Graph Networks");
    assert_eq!(
        tides["links"][0]["url"],
        "https://doi.org/10.1016/j.ocemod.2024.102345"
    );
}

#[test]
fn an_arxiv_api_feed_reads_into_papers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("index");
    ok(index(&[&fixture("arxiv-api.xml")], &out, &["--strict"]));
    let papers = papers(&out);
    assert_eq!(papers.len(), 2);
    let tides = by_title(&papers, "Tidal Forecasting with Graph Networks");
    assert_eq!(tides["id"], "2411.01111");
    assert_eq!(tides["published"], "2024-11-03");
    assert_eq!(
        tides["categories"],
        serde_json::json!(["physics.ao-ph", "cs.LG"])
    );
    assert_eq!(
        tides["links"][0]["url"],
        "https://doi.org/10.1016/j.ocemod.2024.102345"
    );
    assert_eq!(tides["listings"], serde_json::json!(["arxiv-api"]));
}

#[test]
fn the_same_papers_in_four_formats_merge_into_one_each() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("index");
    index_all_fixtures(&out);
    let papers = papers(&out);
    // LatticeLM (bib + API), Tides (bib + CSL + Atom), Birds (API), Reef (CSL), Storm (Atom).
    assert_eq!(papers.len(), 5, "{papers:#?}");
    let tides = by_title(&papers, "Tidal Forecasting with Graph Networks");
    assert_eq!(tides["id"], "2411.01111", "the arXiv id the feed gives");
    assert_eq!(
        tides["listings"],
        serde_json::json!(["reading-list", "zotero-csl", "arxiv-api"])
    );
    let lattice = by_title(
        &papers,
        "LatticeLM: Sparse Attention over Öffentlich Corpora",
    );
    assert_eq!(lattice["id"], "2502.01234");
    assert_eq!(
        lattice["upvotes"], 42,
        "the API's upvotes join the .bib's entry"
    );
    assert_eq!(
        lattice["published"], "2025-02-03",
        "the finer date of the same month wins"
    );
    assert_eq!(
        lattice["listings"],
        serde_json::json!(["reading-list", "daily-papers-api"])
    );
    assert_eq!(
        lattice["authors"].as_array().unwrap().len(),
        4,
        "{}",
        lattice["authors"]
    );
}

#[test]
fn a_malformed_file_in_each_format_is_an_error_with_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, text, line) in [
        ("broken.bib", "@misc{a,\n  title = {Unclosed,\n  abstract = {x}\n", 1),
        ("broken-api.json", "[\n  {\"paper\": {\"id\": \"1\", \"title\": \"T\",\n", 2),
        ("broken.xml", "<?xml version=\"1.0\"?>\n<feed>\n<entry><title>T</titel>\n</feed>\n", 3),
        ("broken-csl.json", "[{\"title\": \"T\", \"abstract\": \"A\", \"DOI\": \"10.1/x\",\n  \"author\": [{\"family\": \"X\"}]\n", 2),
    ] {
        let input = tmp.path().join(name);
        std::fs::write(&input, text).unwrap();
        let out = tmp.path().join(format!("out-{name}"));
        let output = index(&[&input], &out, &[]);
        assert!(!output.status.success(), "{name} was accepted");
        let err = stderr(&output);
        assert!(err.contains(&format!("{name}:{line}:")), "{name}: {err}");
        assert!(!out.exists(), "{name}: an index was written");
    }
}

#[test]
fn stats_say_what_each_input_gave() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("index");
    index_all_fixtures(&out);
    let output = ok(super::folio(&["stats", out.to_str().unwrap(), "--json"]));
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let inputs = &stats["inputs"];
    assert_eq!(inputs["records"], 8);
    assert_eq!(inputs["papers"], 5);
    assert_eq!(inputs["merged"], 3);
    let formats: Vec<&str> = inputs["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(
        formats,
        ["BibTeX", "Daily Papers API", "CSL-JSON", "arXiv Atom feed"]
    );
    assert_eq!(
        inputs["files"][0]["file"], "reading-list.bib",
        "the name, never the folder"
    );
    assert_eq!(
        inputs["files"][0]["skipped"],
        serde_json::json!({"entry … (…) has no abstract": 1})
    );
    let text =
        String::from_utf8(ok(super::folio(&["stats", out.to_str().unwrap()])).stdout).unwrap();
    assert!(
        text.contains("4 files, 8 records, 5 papers (3 records merged"),
        "{text}"
    );
}
