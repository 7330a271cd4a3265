//! The `folio` binary end to end: the bundled collection, field by field; determinism; the
//! search and stats commands; and what bad input gets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

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

/// The papers of an index directory, read through its manifest.
fn papers(dir: &Path) -> Vec<Value> {
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let name = manifest["files"]["papers"]["name"].as_str().unwrap();
    let file: Value = serde_json::from_slice(&std::fs::read(dir.join(name)).unwrap()).unwrap();
    file["papers"].as_array().unwrap().clone()
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
fn bundled_papers_field_by_field() {
    let (_tmp, out) = bundled_index();
    let papers = papers(&out);
    let all = [
        "000_0240cf419212bd12",
        "001_4d2945ffbcc4a6ae",
        "002_9e97a3ee358b19b3",
        "003_91a03f4798c395b1",
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
        serde_json::json!(["003_91a03f4798c395b1"])
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
    assert_eq!(stats["files"].as_array().unwrap().len(), 5);
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
    assert_eq!(files_a.len(), 5);
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

const ARXIV_LINE: &str = r#"{"id":"0704.0001","submitter":"Pavel Nadolsky","authors":"C. Bal\u00e1zs, E. L. Berger, P. M. Nadolsky, C.-P. Yuan","title":"Calculation of prompt diphoton production cross sections at Tevatron and\n  LHC energies","comments":"37 pages","journal-ref":null,"doi":null,"report-no":null,"categories":"hep-ph","license":null,"abstract":"  A fully differential calculation in perturbative quantum chromodynamics is\npresented for the production of massive photon pairs at hadron colliders. Code at https://github.com/x/y.\n","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}],"update_date":"2008-11-13","authors_parsed":[["Bal\u00e1zs","C.",""]]}"#;

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

/// Runs `folio index` on one file with `content`, expecting failure; returns stderr.
fn failing_index(content: &[u8], extra: &[&str]) -> (String, PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input.txt");
    std::fs::write(&input, content).unwrap();
    let out = tmp.path().join("index");
    // A previous good index must survive a failed run untouched.
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("keep"), "old").unwrap();
    let output = index(&[&input], &out, extra);
    assert!(!output.status.success(), "folio accepted bad input");
    assert_eq!(std::fs::read_to_string(out.join("keep")).unwrap(), "old");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(
        leftovers.is_empty(),
        "half-written output left behind: {leftovers:?}"
    );
    (stderr(&output), input, tmp)
}

#[test]
fn bad_input_is_refused_with_file_line_and_reason() {
    let cases: [(&[u8], &str, &str); 6] = [
        (b"", ":1:", "empty"),
        (b"Subscribe\nTitle\n\x00\x01\x02", ":3:", "binary"),
        (
            b"Subscribe\nA title\nAn abstract \xff\xfe\n",
            ":3:",
            "UTF-8",
        ),
        (
            b"[\n{\"title\": \"A\",\n\"abstract\": \"cut",
            ":3:",
            "ends early",
        ),
        (
            b"Some notes\nthat are not a collection\n",
            ":1:",
            "unknown layout",
        ),
        (b"{\"title\": \"only a title\"}\n", ":1:", "no abstract"),
    ];
    for (content, line, reason) in cases {
        let (message, input, _tmp) = failing_index(content, &[]);
        let at = format!("{}{line}", input.display());
        assert!(message.contains(&at), "expected {at:?} in {message:?}");
        assert!(
            message.contains(reason),
            "expected {reason:?} in {message:?}"
        );
    }
}

#[test]
fn skipped_entries_are_reported_and_strict_makes_them_fatal() {
    let listing = b"Subscribe\nA title with an abstract\nThe abstract.\nA title alone\n  \xe2\x80\xa2 3 authors\n";
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("listing.txt");
    std::fs::write(&input, listing).unwrap();
    let out = tmp.path().join("index");
    let output = ok(index(&[&input], &out, &[]));
    let message = stderr(&output);
    assert!(
        message.contains(&format!(
            "{}:4: title \"A title alone\" has no abstract",
            input.display()
        )),
        "{message}"
    );
    assert_eq!(papers(&out).len(), 1);

    let (message, _, _tmp) = failing_index(listing, &["--strict"]);
    assert!(message.contains("--strict"), "{message}");
}

/// Regression (issue 13, item 3): `"published":"2025é01-01"` panicked in `iso_date` (it
/// sliced at a byte inside `é`) and aborted the run, and impossible dates (day 99, month
/// 13, a six-digit year, February 30) went into the index, where the year facet read
/// `123456-04-99` as 1234. An invalid date is now dropped with its file and line, and the
/// paper is kept, undated.
#[test]
fn invalid_dates_are_dropped_with_file_and_line_and_the_papers_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let folio_json = tmp.path().join("mine.json");
    std::fs::write(
        &folio_json,
        "[\n\
         {\"title\": \"Leap day\", \"abstract\": \"Good.\", \"published\": \"2024-02-29\"},\n\
         {\"title\": \"Accent\", \"abstract\": \"Bad.\", \"published\": \"2025\u{e9}01-01\"},\n\
         {\"title\": \"February thirtieth\", \"abstract\": \"Bad.\", \"published\": \"2025-02-30\"},\n\
         {\"title\": \"Not a leap year\", \"abstract\": \"Bad.\", \"published\": \"2025-02-29\"},\n\
         {\"title\": \"Month thirteen\", \"abstract\": \"Bad.\", \"published\": \"2025-13-01\"},\n\
         {\"title\": \"Day zero\", \"abstract\": \"Bad.\", \"published\": \"2025-01-00\"},\n\
         {\"title\": \"Short\", \"abstract\": \"Bad.\", \"published\": \"2025-1\"},\n\
         {\"title\": \"Timestamp\", \"abstract\": \"Good.\", \"published\": \"2023-06-30T12:00:00Z\"}\n\
         ]\n",
    )
    .unwrap();
    let arxiv = tmp.path().join("snapshot.jsonl");
    let arxiv_line = |id: &str, created: &str, updated: &str| {
        format!(
            r#"{{"id":"{id}","title":"Paper {id}","abstract":"About {id}.","versions":[{{"version":"v1","created":"{created}"}}],"update_date":"{updated}"}}"#
        )
    };
    std::fs::write(
        &arxiv,
        [
            arxiv_line("a1", "Mon, 2 Apr 2007 19:18:42 GMT", "2008-11-13"),
            arxiv_line("a2", "Mon, 99 Apr 123456 19:18:42 GMT", "2008-11-13"),
            arxiv_line("a3", "Mon, 31 Apr 2007 19:18:42 GMT", "2008-02-30"),
            arxiv_line("a4", "Mon, 0 Apr 2007 19:18:42 GMT", "20081-11-13"),
        ]
        .join("\n"),
    )
    .unwrap();
    let out = tmp.path().join("index");
    let output = ok(index(&[&folio_json, &arxiv], &out, &[]));
    let message = stderr(&output);
    assert!(!message.contains("panicked"), "{message}");
    for (file, line) in [
        (&folio_json, 3),
        (&folio_json, 4),
        (&folio_json, 5),
        (&folio_json, 6),
        (&folio_json, 7),
        (&folio_json, 8),
        (&arxiv, 2),
        (&arxiv, 3),
        (&arxiv, 4),
    ] {
        let at = format!("{}:{line}: ", file.display());
        assert!(message.contains(&at), "expected {at:?} in {message}");
    }
    let papers = papers(&out);
    assert_eq!(papers.len(), 12, "every paper is kept");
    let published = |title: &str| by_title(&papers, title).get("published").cloned();
    assert_eq!(published("Leap day"), Some("2024-02-29".into()));
    assert_eq!(published("Timestamp"), Some("2023-06-30".into()));
    for title in [
        "Accent",
        "February thirtieth",
        "Not a leap year",
        "Month thirteen",
        "Day zero",
        "Short",
        "Paper a3",
        "Paper a4",
    ] {
        assert_eq!(published(title), None, "{title}");
    }
    assert_eq!(published("Paper a1"), Some("2007-04-02".into()));
    // The first version's date is not a date: the update date stands in, as when it is missing.
    assert_eq!(published("Paper a2"), Some("2008-11-13".into()));

    let stats = ok(folio(&["stats", out.to_str().unwrap(), "--json"]));
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(
        stats["years"],
        serde_json::json!({"2007": 1, "2008": 1, "2023": 1, "2024": 1, "unknown": 8})
    );

    let (message, _, _tmp) = failing_index(
        b"[{\"title\": \"T\", \"abstract\": \"A.\", \"published\": \"2025-02-30\"}]",
        &["--strict"],
    );
    assert!(message.contains(":1: "), "{message}");
    assert!(message.contains("--strict"), "{message}");
}

/// An index of `n` papers that all hold the word "common", each in a listing of its own
/// with a long name, so `search --json --limit 1000` and `stats --json` print far more
/// than a pipe buffer (64 KiB) holds.
fn large_index(n: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let records: Vec<Value> = (0..n)
        .map(|i| {
            serde_json::json!({
                "title": format!("A common paper number {i} on pipes that close early"),
                "abstract": format!("This common abstract {i} is about output that nobody reads to the end."),
                "listings": [format!("a-listing-with-a-rather-long-name-that-fills-pipes-{i:05}")],
            })
        })
        .collect();
    let input = tmp.path().join("many.json");
    std::fs::write(&input, serde_json::to_vec(&records).unwrap()).unwrap();
    let out = tmp.path().join("index");
    ok(index(&[&input], &out, &["--strict"]));
    (tmp, out)
}

/// Runs folio with its stdout a pipe whose reader goes away: after one byte when
/// `read_one` (as `head -c1` does), before anything is read otherwise.
fn folio_into_closed_pipe(args: &[&str], read_one: bool) -> Output {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(args)
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the folio binary runs");
    let mut stdout = child.stdout.take().unwrap();
    if read_one {
        let mut byte = [0u8; 1];
        assert_eq!(stdout.read(&mut byte).unwrap(), 1, "folio printed nothing");
    }
    drop(stdout);
    child.wait_with_output().unwrap()
}

fn assert_quiet_success(output: &Output, what: &str) {
    let message = stderr(output);
    assert!(
        output.status.success(),
        "{what}: exit {:?}, stderr: {message}",
        output.status
    );
    assert!(
        !message.contains("panicked") && !message.contains("Broken pipe"),
        "{what}: {message}"
    );
    assert!(
        message.is_empty(),
        "{what}: nothing on stderr, got {message}"
    );
}

/// Regression (issue 13, item 7): `folio stats DIR --json | head` and `folio search ... |
/// head` panicked with "failed printing to stdout: Broken pipe" and a stack trace. A
/// reader that goes away ends the command quietly, as ripgrep does: exit 0, no message.
#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let (_tmp, out) = large_index(2000);
    let dir = out.to_str().unwrap();
    let search_json = [
        "search", "--index", dir, "common", "--json", "--limit", "1000",
    ];
    let search_text = ["search", "--index", dir, "common", "--limit", "1000"];
    let stats_json = ["stats", dir, "--json"];
    let stats_text = ["stats", dir];
    // The outputs really are larger than a pipe buffer, so a reader that stops early is
    // noticed while folio is still writing.
    for args in [&search_json[..], &stats_json] {
        let full = ok(folio(args));
        assert!(
            full.stdout.len() > 128 << 10,
            "{args:?}: {} bytes",
            full.stdout.len()
        );
        assert_quiet_success(&folio_into_closed_pipe(args, true), &format!("{args:?}"));
    }
    for args in [&search_json[..], &search_text, &stats_json, &stats_text] {
        assert_quiet_success(&folio_into_closed_pipe(args, false), &format!("{args:?}"));
    }
    // The index summary goes to stdout too; the index is written before it.
    let input = data_dir();
    let again = out.with_file_name("again");
    let args = [
        "index",
        input.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ];
    assert_quiet_success(&folio_into_closed_pipe(&args, false), "index");
    assert_eq!(papers(&again).len(), 211);
}

/// A real error is one line in words with a non-zero exit, never a backtrace, even when
/// RUST_BACKTRACE asks for one.
#[test]
fn a_real_error_is_one_line_without_a_backtrace() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("no-such-index");
    let missing = missing.to_str().unwrap();
    for args in [
        &["stats", missing][..],
        &["stats", missing, "--json"],
        &["search", "--index", missing, "anything"],
        &["index", missing, "--out", missing],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(args)
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let message = stderr(&output);
        assert!(!output.status.success(), "{args:?}");
        assert_eq!(message.lines().count(), 1, "{args:?}: {message}");
        assert!(message.starts_with("folio: "), "{args:?}: {message}");
        assert!(message.contains(missing), "{args:?}: {message}");
        assert!(
            !message.contains("panicked") && !message.contains("backtrace"),
            "{message}"
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}

/// `folio synth` asserted that its inputs had sentences to draw from and panicked on a
/// collection of short abstracts; it is an error in words now, and leaves no partial file.
#[test]
fn synth_from_a_collection_without_sentences_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("short.json");
    std::fs::write(&input, r#"[{"title": "T", "abstract": "Too short."}]"#).unwrap();
    let out = tmp.path().join("synth.jsonl");
    let output = folio(&[
        "synth",
        input.to_str().unwrap(),
        "--papers",
        "3",
        "--out",
        out.to_str().unwrap(),
    ]);
    let message = stderr(&output);
    assert!(!output.status.success());
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("no sentence"), "{message}");
    let files: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(files.len(), 1, "only the input is left");
}
