//! The `folio` binary end to end: the bundled collection, field by field; determinism; the
//! search and stats commands; what bad input gets (`bad_input`); how it behaves in a pipe
//! (`pipes`); and the whole sites it writes (`site`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

#[path = "cli/bad_input.rs"]
mod bad_input;
#[path = "cli/formats.rs"]
mod formats;
#[path = "cli/pipes.rs"]
mod pipes;
#[path = "cli/site.rs"]
mod site;

fn folio(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .output()
        .expect("the folio binary runs")
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")
}

fn index(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<String> = vec!["index".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["--out".to_string(), out.display().to_string()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    folio(&args)
}

fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "folio failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The papers of an index directory, read through the engine's loader.
fn papers(dir: &Path) -> Vec<Value> {
    let loader = folio_engine::load::open_dir_whole(dir).unwrap();
    let index = loader.index();
    (0..index.paper_count())
        .map(|doc| serde_json::to_value(index.paper(doc).unwrap().unwrap()).unwrap())
        .collect()
}

fn by_title<'a>(papers: &'a [Value], title: &str) -> &'a Value {
    let matching: Vec<_> = papers.iter().filter(|p| p["title"] == title).collect();
    assert_eq!(matching.len(), 1, "papers titled {title:?}");
    matching[0]
}

fn bundled_index() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("index");
    ok(index(&[&data_dir()], &out, &["--strict"]));
    (tmp, out)
}

#[test]
fn every_bundled_paper_once() {
    let (_tmp, out) = bundled_index();
    let papers = papers(&out);
    // Counted by hand: 268 entries in the four captures, 211 distinct titles.
    assert_eq!(papers.len(), 211);
    let mut ids: Vec<&str> = papers.iter().map(|p| p["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 211, "ids are unique");
    let entries: usize = papers
        .iter()
        .map(|p| p["listings"].as_array().unwrap().len())
        .sum();
    assert_eq!(entries, 268, "every entry is a listing of its paper");
}

#[test]
fn papers_prints_every_record_as_json_lines_in_document_order() {
    // The benchmarks (bench/papers.mjs) read the papers this way: the records are split in
    // slots of many files. Before this command they read a papers file that format 5 no
    // longer writes, and failed.
    let (_tmp, out) = bundled_index();
    let output = ok(folio(&["papers", out.to_str().unwrap()]));
    let text = String::from_utf8(output.stdout).unwrap();
    let printed: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(printed, papers(&out));
    assert_eq!(printed.len(), 211);
    // A missing index is an error in words, not an empty list.
    let missing = folio(&["papers", out.join("nothing").to_str().unwrap()]);
    assert!(!missing.status.success() && missing.stdout.is_empty());
    assert!(stderr(&missing).contains("nothing"), "{}", stderr(&missing));
}

#[test]
fn bundled_papers_field_by_field() {
    let (_tmp, out) = bundled_index();
    let papers = papers(&out);
    // A capture is named by its page's kind and date; the first shows no date, so it keeps
    // its file's name.
    let all = [
        "000_0240cf419212bd12",
        "Daily Papers · Jun 4",
        "Daily Papers · Jul 30",
        "Daily Papers · Jan 7",
    ];

    // In all four files, glued to "Subscribe" in the first; the org byline is in 003 only.
    let bioclip = by_title(
        &papers,
        "BioCLIP 2: Emergent Properties from Scaling Hierarchical Contrastive Learning",
    );
    assert_eq!(bioclip["listings"], serde_json::json!(all));
    assert_eq!(bioclip["organization"], "HDR Imageomics Institute");
    assert_eq!(bioclip["published"], "2025-05-29");
    assert!(bioclip.get("upvotes").is_none());
    assert!(bioclip.get("author_count").is_none());
    assert!(bioclip["abstract"]
        .as_str()
        .unwrap()
        .starts_with("Foundation models trained at scale exhibit remarkable emergent behaviors"));

    // An organization byline and upvotes: "MicrosoftResearch Microsoft Research", "Oct 27, 2025 2".
    let magentic = by_title(
        &papers,
        "Magentic Marketplace: An Open-Source Environment for Studying Agentic Markets",
    );
    assert_eq!(magentic["organization"], "Microsoft Research");
    assert_eq!(magentic["published"], "2025-10-27");
    assert_eq!(magentic["upvotes"], 2);
    assert_eq!(
        magentic["listings"],
        serde_json::json!(["Daily Papers · Jan 7"])
    );

    // In three files; "• 7 authors", "May 19, 2025 2" in 003.
    let grunts = by_title(
        &papers,
        "From Grunts to Grammar: Emergent Language from Cooperative Foraging",
    );
    assert_eq!(grunts["listings"], serde_json::json!(&all[1..]));
    assert_eq!(grunts["author_count"], 7);
    assert_eq!(grunts["published"], "2025-05-19");
    assert_eq!(grunts["upvotes"], 2);
    assert!(grunts.get("organization").is_none());

    // Links: a code repository and a project page, sentence punctuation trimmed.
    let meta = by_title(
        &papers,
        "Beyond 'Aha!': Toward Systematic Meta-Abilities Alignment in Large Reasoning Models",
    );
    assert_eq!(
        meta["links"],
        serde_json::json!([{"url": "https://github.com/zhiyuanhubj/Meta-Ability-Alignment", "kind": "code"}])
    );
    let deep = papers
        .iter()
        .find(|p| p["title"].as_str().unwrap().starts_with("DeepResearcher"))
        .unwrap();
    assert_eq!(
        deep["links"][0]["url"],
        "https://github.com/GAIR-NLP/DeepResearcher"
    );
    let social = by_title(
        &papers,
        "Training Language Models for Social Deduction with Multi-Agent Reinforcement Learning",
    );
    assert_eq!(
        social["links"],
        serde_json::json!([{"url": "https://socialdeductionllm.github.io/", "kind": "project"}])
    );
}

#[test]
fn papers_are_enriched_with_similar_papers_key_phrases_and_topics() {
    let (_tmp, out) = bundled_index();
    let papers = papers(&out);
    let ids: Vec<&str> = papers.iter().map(|p| p["id"].as_str().unwrap()).collect();
    let with_similar = papers.iter().filter(|p| p.get("similar").is_some()).count();
    assert!(
        with_similar > 200,
        "{with_similar} papers have similar papers"
    );
    for paper in &papers {
        for similar in paper
            .get("similar")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert!(
                ids.contains(&similar.as_str().unwrap()),
                "dangling similar id {similar}"
            );
            assert_ne!(similar, &paper["id"], "a paper is not its own neighbour");
        }
    }
    // Two papers on tool-integrated RL for LLMs name each other first.
    let first_similar = |prefix: &str| {
        let paper = papers
            .iter()
            .find(|p| p["title"].as_str().unwrap().starts_with(prefix))
            .unwrap();
        let id = &paper["similar"][0];
        let other = papers.iter().find(|p| &p["id"] == id).unwrap();
        other["title"].as_str().unwrap().to_string()
    };
    assert!(first_similar("ReTool:").starts_with("ToRL:"));
    assert!(first_similar("ToRL:").starts_with("ReTool:"));
    // The Minecraft building agent APT has the Minecraft agent Optimus-2 among its neighbours.
    let apt = papers
        .iter()
        .find(|p| {
            p["title"]
                .as_str()
                .unwrap()
                .starts_with("APT: Architectural Planning")
        })
        .unwrap();
    let neighbours: Vec<&str> = apt["similar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            papers.iter().find(|p| &p["id"] == id).unwrap()["title"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        neighbours.iter().any(|t| t.starts_with("Optimus-2")),
        "{neighbours:?}"
    );
    let with_phrases = papers
        .iter()
        .filter(|p| p.get("key_phrases").is_some())
        .count();
    assert_eq!(with_phrases, papers.len());

    let stats = ok(folio(&["stats", out.to_str().unwrap(), "--json"]));
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["papers"], 211);
    assert!(stats["topics"].as_array().unwrap().len() >= 10);
    // The manifest and the ten kinds of pieces, each with its file count (no heads: no
    // word family of 211 papers is in 16,384).
    let kinds = stats["files"].as_array().unwrap();
    assert_eq!(kinds.len(), 11);
    assert!(kinds.iter().any(|k| k["role"] == "rows"), "{kinds:?}");
    let heads = kinds.iter().find(|k| k["role"] == "heads").unwrap();
    assert_eq!(heads["files"], 0, "{heads}");
    let records = kinds.iter().find(|k| k["role"] == "records").unwrap();
    assert!(records["files"].as_u64().unwrap() >= 1, "{records}");
}

#[test]
fn the_same_inputs_give_byte_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    ok(index(&[&data_dir()], &a, &[]));
    ok(index(&[&data_dir()], &b, &[]));
    let listing = |dir: &Path| {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    let (files_a, files_b) = (listing(&a), listing(&b));
    // The manifest and at least one piece of each of the nine kinds.
    assert!(files_a.len() > 10, "{} files", files_a.len());
    assert!(files_a == files_b, "two runs wrote different files");
}

#[test]
fn search_prints_json_with_total_and_scored_results() {
    let (_tmp, out) = bundled_index();
    let output = ok(folio(&[
        "search",
        "--index",
        out.to_str().unwrap(),
        "minecraft",
        "--json",
        "--limit",
        "3",
    ]));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["total"].as_u64().unwrap() >= 4);
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for result in results {
        assert!(result["id"].is_string() && result["title"].is_string());
        assert!(result["score"].as_f64().unwrap() > 0.0);
    }
    let scores: Vec<f64> = results
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn search_says_which_pieces_it_fetched_round_by_round() {
    let (_tmp, out) = bundled_index();
    let output = ok(folio(&[
        "search",
        "--index",
        out.to_str().unwrap(),
        "minecraft",
        "--pieces",
    ]));
    let report = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = report.lines().collect();
    assert!(lines[0].starts_with("manifest: "), "{report}");
    // Terms; then postings, positions and columns; then the hits' papers.
    assert!(
        lines[1].starts_with("round 1: ") && lines[1].contains(" terms-"),
        "{report}"
    );
    // The field lengths come with the postings: there is no norms column to fetch.
    assert!(
        lines[2].contains(" postings-") && !report.contains(" norms-"),
        "{report}"
    );
    // A rare word's postings carry its papers' facet values: no facet columns either.
    assert!(
        !lines[2].contains(" facets-") && !lines[2].contains(" sorts-"),
        "{report}"
    );
    // The hits' records, each a range of a record file.
    assert!(
        lines[3].contains(" records-0.") && lines[3].contains(".bin@"),
        "{report}"
    );
    let total = lines.last().unwrap();
    assert!(total.contains(" in 3 rounds, "), "{report}");
    // Only some of the index: under a quarter of its bytes.
    let fetched_kb: f64 = total
        .split(", ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let all_kb = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum::<u64>() as f64
        / 1000.0;
    assert!(
        fetched_kb * 4.0 < all_kb,
        "{fetched_kb} of {all_kb} kB: {report}"
    );
    // The results are on stdout as without the flag.
    assert!(String::from_utf8(output.stdout)
        .unwrap()
        .contains("Minecraft"));
    // A browse by date reads the manifest's precomputed order and the hits' papers: no
    // columns, no postings, one round.
    let output = ok(folio(&[
        "search",
        "--index",
        out.to_str().unwrap(),
        "sort:date",
        "--pieces",
    ]));
    let report = String::from_utf8(output.stderr).unwrap();
    assert!(report.contains(" in 1 rounds, "), "{report}");
    for kind in [" facets-", " sorts-", " postings-"] {
        assert!(!report.contains(kind), "{kind}: {report}");
    }
}

const ARXIV_LINE: &str = r#"{"id":"0704.0001","submitter":"Pavel Nadolsky","authors":"C. Bal\u00e1zs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan","title":"Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies","comments":"37 pages","journal-ref":null,"doi":null,"report-no":null,"categories":"hep-ph","license":null,"abstract":"  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs at hadron colliders. Code at https://github.com/x/y.\n","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}],"update_date":"2008-11-13","authors_parsed":[["Bal\u00e1zs","C.",""]]}"#;

#[test]
fn hostile_queries_are_answered_with_the_engine_notice() {
    // Issue 13: the same hostile queries the page meets, through `folio search`: no panic
    // (the case-changing one panicked, exit 101), a long one says what was left out.
    let (_tmp, out) = bundled_index();
    let dir = out.display().to_string();
    let long = "agents ".repeat(2_000);
    let word = "x".repeat(10_000);
    for query in [
        "\u{2126} «minecrafx İ",
        "ẞ minecrafx",
        "\u{212A}\u{212A} «MINECRAFX» agents",
        "- OR \"\" : -- OR",
        "\"minecraft agents",
        "\"\"\"",
        long.as_str(),
        word.as_str(),
    ] {
        let output = ok(folio(&["search", "--index", &dir, query]));
        assert!(!stderr(&output).contains("panicked"), "{query:.40}");
    }
    let output = ok(folio(&["search", "--index", &dir, &long, "--json"]));
    assert!(stderr(&output).is_empty());
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(json["notice"].as_str().unwrap().contains("first 32 words"));
    let output = ok(folio(&["search", "--index", &dir, &long]));
    assert!(stderr(&output).contains("folio: note: Only the first 32 words"));
    let output = ok(folio(&[
        "search",
        "--index",
        &dir,
        "\u{2126} «minecrafx İ",
        "--json",
    ]));
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["suggestions"][0], "\u{2126} «minecraft İ");
}

#[test]
fn json_lines_and_folio_json_are_read_by_content_and_merged() {
    let tmp = tempfile::tempdir().unwrap();
    let inputs = tmp.path().join("in");
    std::fs::create_dir(&inputs).unwrap();
    // Names say nothing: the parser is chosen by content.
    std::fs::write(inputs.join("a.txt"), format!("{ARXIV_LINE}\n")).unwrap();
    std::fs::write(
        inputs.join("b.data"),
        r#"{"papers": [{"title": "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies", "abstract": "Short.", "upvotes": 5, "listings": ["mine"]}, {"title": "Second", "abstract": "Another paper.", "published": "2024-03-01", "authors": ["Ann", "Bob"]}]}"#,
    )
    .unwrap();
    let out = tmp.path().join("index");
    ok(index(&[&inputs], &out, &["--strict"]));
    let papers = papers(&out);
    assert_eq!(papers.len(), 2);
    let first = &papers[0];
    assert_eq!(first["id"], "0704.0001");
    assert_eq!(first["upvotes"], 5);
    assert_eq!(first["categories"], serde_json::json!(["hep-ph"]));
    assert_eq!(first["published"], "2007-04-02");
    assert_eq!(first["listings"], serde_json::json!(["a", "mine"]));
    assert_eq!(first["links"][0]["kind"], "code");
    assert!(first["abstract"]
        .as_str()
        .unwrap()
        .starts_with("A fully differential"));
    assert_eq!(papers[1]["authors"], serde_json::json!(["Ann", "Bob"]));
    assert_eq!(papers[1]["author_count"], 2);
}

#[test]
fn listings_are_named_by_hand_with_listing_name() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("index");
    let data = data_dir();
    ok(index(
        &[&data],
        &out,
        &[
            "--listing-name",
            "000_0240cf419212bd12.txt=Spring reading",
            "--listing-name",
            "data/003_91a03f4798c395b1.txt=Our picks",
        ],
    ));
    let papers = papers(&out);
    let magentic = by_title(
        &papers,
        "Magentic Marketplace: An Open-Source Environment for Studying Agentic Markets",
    );
    assert_eq!(magentic["listings"], serde_json::json!(["Our picks"]));
    let bioclip = by_title(
        &papers,
        "BioCLIP 2: Emergent Properties from Scaling Hierarchical Contrastive Learning",
    );
    assert_eq!(bioclip["listings"][0], "Spring reading");

    // A name for a file that is not an input is an error, not silently unused.
    let output = index(
        &[&data],
        &tmp.path().join("other"),
        &["--listing-name", "nothere.bib=X"],
    );
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("--listing-name nothere.bib: no input file"),
        "{}",
        stderr(&output)
    );
    let output = index(
        &[&data],
        &tmp.path().join("other"),
        &["--listing-name", "no-equals-sign"],
    );
    assert!(!output.status.success());
}
