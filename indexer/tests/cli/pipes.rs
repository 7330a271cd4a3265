//! `folio` in a pipe: a reader that goes away ends a command quietly, and a real error is
//! one line.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

use super::{data_dir, folio, index, ok, papers, stderr};

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
