//! What bad input gets: refused with file, line and reason, or skipped with them (fatal
//! with `--strict`); invalid values dropped with them.

use std::path::PathBuf;

use serde_json::Value;

use super::{by_title, folio, index, ok, papers, stderr};

/// Runs `folio index` on one file with `content`, expecting failure; returns stderr.
fn failing_index(content: &[u8], extra: &[&str]) -> (String, PathBuf, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("input.txt");
    std::fs::write(&input, content).unwrap();
    let out = tmp.path().join("index");
    // A previous good index must survive a failed run untouched.
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("manifest.json"), "old").unwrap();
    let output = index(&[&input], &out, extra);
    assert!(!output.status.success(), "folio accepted bad input");
    assert_eq!(
        std::fs::read_to_string(out.join("manifest.json")).unwrap(),
        "old"
    );
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

/// Issue 33: `folio index … --out site` onto the folder of the user's site deleted their
/// page, app and notes. A folder holding files folio did not write is refused, untouched,
/// unless --force.
#[test]
fn out_onto_a_folder_of_other_files_is_refused_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("index.html"), "<p>my site</p>").unwrap();
    std::fs::write(out.join("notes.md"), "my notes").unwrap();
    let data = super::data_dir();
    let output = index(&[&data], &out, &[]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("which folio did not write"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("notes.md")).unwrap(),
        "my notes"
    );
    ok(index(&[&data], &out, &["--force"]));
    assert!(out.join("manifest.json").is_file() && !out.join("notes.md").exists());
    // An index folio wrote is replaced without --force.
    ok(index(&[&data], &out, &[]));
}

/// Issue 33: Folio JSON with a misspelt field (`author`, `date`, `url` was not a field)
/// lost it with exit 0, also under --strict. A field Folio does not know is a warning with
/// file, line and the field meant (once a file, not once a record), fatal under --strict.
#[test]
fn misspelt_fields_are_said_with_the_field_meant() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("mine.json");
    std::fs::write(
        &input,
        "[\n{\"title\": \"One\", \"abstract\": \"A.\", \"author\": [\"Ann\"], \"date\": \"2024-01-02\"},\n\
         {\"title\": \"Two\", \"abstract\": \"B.\", \"author\": [\"Bob\"], \"url\": \"https://x.org/two\"}\n]\n",
    )
    .unwrap();
    let out = tmp.path().join("index");
    let output = ok(index(&[&input], &out, &[]));
    let err = stderr(&output);
    assert!(
        err.contains(
            "mine.json:2: `author` is not a Folio field (left out); did you mean `authors`?"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "mine.json:2: `date` is not a Folio field (left out); did you mean `published`?"
        ),
        "{err}"
    );
    assert_eq!(
        err.matches("`author` is not a Folio field").count(),
        1,
        "said once a file: {err}"
    );
    // `url` is a Folio field now: a link of the paper.
    let papers = papers(&out);
    assert_eq!(
        by_title(&papers, "Two")["links"][0]["url"],
        "https://x.org/two"
    );

    let (message, _, _tmp) = failing_index(
        b"[{\"title\": \"T\", \"abstract\": \"A.\", \"autors\": [\"X\"]}]",
        &["--strict"],
    );
    assert!(
        message.contains(":1: `autors` is not a Folio field"),
        "{message}"
    );
    assert!(
        message.contains("did you mean `authors`?") && message.contains("--strict"),
        "{message}"
    );
}

/// Issue 33: dates written with less precision (`2024`, `2024-03`, `March 2024`) were
/// dropped; they keep their precision, so the year facet and filters work and sorting by
/// date puts them at the start of their period.
#[test]
fn dates_with_less_precision_keep_their_year() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("dates.json");
    std::fs::write(
        &input,
        r#"[{"title": "Year", "abstract": "Only a year.", "published": "2024"},
            {"title": "Month", "abstract": "A month.", "published": "2024-03"},
            {"title": "Named", "abstract": "A month by name.", "published": "March 2023"},
            {"title": "Day", "abstract": "A whole day.", "published": "2024-03-05"}]"#,
    )
    .unwrap();
    let out = tmp.path().join("index");
    let output = ok(index(&[&input], &out, &["--strict"]));
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    let papers = papers(&out);
    assert_eq!(by_title(&papers, "Year")["published"], "2024");
    assert_eq!(by_title(&papers, "Month")["published"], "2024-03");
    assert_eq!(by_title(&papers, "Named")["published"], "2023-03");
    let stats = ok(folio(&["stats", out.to_str().unwrap(), "--json"]));
    let stats: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(stats["years"], serde_json::json!({"2023": 1, "2024": 3}));
    // Oldest first: a period sorts at its start, before the days in it.
    let found = ok(folio(&[
        "search",
        "--index",
        out.to_str().unwrap(),
        "sort:date year:2024",
        "--json",
    ]));
    let found: serde_json::Value = serde_json::from_slice(&found.stdout).unwrap();
    let titles: Vec<&str> = found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["Day", "Month", "Year"],
        "sort:date is newest first"
    );
}
