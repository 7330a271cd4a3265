//! The README and docs/ stay true to the repository: every relative link and anchor
//! resolves, every `make` target they name is in the Makefile, every `folio` subcommand
//! they name exists (`folio help SUB` succeeds), and the README stays short enough to read
//! in five minutes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// README.md and every Markdown file of docs/, as (path from the root, text).
fn documents() -> Vec<(String, String)> {
    let mut names = vec!["README.md".to_string()];
    let mut docs: Vec<String> = std::fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .map(|n| format!("docs/{n}"))
        .collect();
    docs.sort();
    names.extend(docs);
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(root().join(&n)).unwrap();
            (n, text)
        })
        .collect()
}

/// A document cut into prose lines (inline code removed) and code: the fenced blocks'
/// lines and the inline code spans, each with its line number.
struct Parts {
    prose: Vec<(usize, String)>,
    code: Vec<(usize, String)>,
    headings: Vec<String>,
}

fn parts(text: &str) -> Parts {
    let (mut prose, mut code, mut headings) = (vec![], vec![], vec![]);
    let mut fenced = false;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            code.push((n, line.to_string()));
            continue;
        }
        if let Some(h) = line.strip_prefix('#') {
            headings.push(h.trim_start_matches('#').trim().to_string());
        }
        // Inline code spans: the text between paired backticks.
        let mut outside = String::new();
        for (k, piece) in line.split('`').enumerate() {
            if k % 2 == 1 {
                code.push((n, piece.to_string()));
                outside.push_str("CODE");
            } else {
                outside.push_str(piece);
            }
        }
        prose.push((n, outside));
    }
    Parts {
        prose,
        code,
        headings,
    }
}

/// GitHub's anchor for a heading: lowercase, letters, digits, `-` and `_` kept, spaces to
/// `-`, everything else dropped; a repeated anchor gets `-1`, `-2`, ….
fn anchors(headings: &[String]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    for h in headings {
        let slug: String = h
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                ' ' => Some('-'),
                c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
                _ => None,
            })
            .collect();
        let mut unique = slug.clone();
        let mut k = 1;
        while seen.contains(&unique) {
            unique = format!("{slug}-{k}");
            k += 1;
        }
        seen.insert(unique);
    }
    seen
}

/// The targets of `[text](target)` and `![alt](target)` links in a line.
fn link_targets(line: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = line;
    while let Some(at) = rest.find("](") {
        let after = &rest[at + 2..];
        match after.find(')') {
            Some(end) => {
                out.push(after[..end].trim().to_string());
                rest = &after[end..];
            }
            None => break,
        }
    }
    out
}

#[test]
fn links_and_anchors_resolve() {
    let docs = documents();
    let headings: std::collections::BTreeMap<String, BTreeSet<String>> = docs
        .iter()
        .map(|(name, text)| (name.clone(), anchors(&parts(text).headings)))
        .collect();
    let mut broken = vec![];
    let mut checked = 0;
    for (name, text) in &docs {
        let dir = Path::new(name).parent().unwrap_or(Path::new(""));
        for (n, line) in parts(text).prose {
            for target in link_targets(&line) {
                if target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with("mailto:")
                {
                    continue;
                }
                checked += 1;
                let (path, anchor) = match target.split_once('#') {
                    Some((p, a)) => (p, Some(a)),
                    None => (target.as_str(), None),
                };
                let file = if path.is_empty() {
                    name.clone()
                } else {
                    normalize(&dir.join(path))
                };
                if !root().join(&file).exists() {
                    broken.push(format!("{name}:{n}: {target}: no file {file}"));
                    continue;
                }
                if let Some(anchor) = anchor {
                    match headings.get(&file) {
                        Some(set) if set.contains(anchor) => {}
                        Some(_) => broken.push(format!("{name}:{n}: {target}: no heading #{anchor} in {file}")),
                        None => broken.push(format!("{name}:{n}: {target}: an anchor into {file}, which is not a checked document")),
                    }
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(
        checked >= 10,
        "only {checked} relative links found: is the link reader broken?"
    );
}

/// `docs/../engine/src` → `engine/src`, without touching the file system.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = vec![];
    for c in path.components() {
        match c {
            std::path::Component::ParentDir => {
                parts.pop();
            }
            std::path::Component::CurDir => {}
            c => parts.push(c.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

/// The Makefile's targets: `name:` at the start of a line (not `name :=`).
fn make_targets() -> BTreeSet<String> {
    let makefile = std::fs::read_to_string(root().join("Makefile")).unwrap();
    makefile
        .lines()
        .filter(|l| !l.starts_with('\t') && !l.starts_with('#'))
        .filter_map(|l| {
            let (head, tail) = l.split_once(':')?;
            if tail.starts_with('=') || head.contains('$') || head.contains('=') {
                return None;
            }
            Some(
                head.split_whitespace()
                    .map(str::to_string)
                    .collect::<Vec<_>>(),
            )
        })
        .flatten()
        .collect()
}

/// The word after `program` in a piece of code, where `program` stands as a word at the
/// start of a command: `make a`, `cd x && make b VAR=1` → `a`, `b`. Options (`-q`) and
/// variable settings (`A=b`) are skipped.
fn commands(code: &str, program: &str) -> Vec<String> {
    let words: Vec<&str> = code.split_whitespace().collect();
    let mut out = vec![];
    for (i, w) in words.iter().enumerate() {
        let starts_command = i == 0 || matches!(words[i - 1], "&&" | "||" | ";" | "|" | "$");
        if *w != program || !starts_command {
            continue;
        }
        let sub = words[i + 1..]
            .iter()
            .find(|w| !w.starts_with('-') && !w.contains('='));
        // A pattern (`make bench-*`) names a family, not a command.
        if let Some(sub) = sub.filter(|s| !s.contains('*')) {
            out.push(
                sub.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                    .to_string(),
            );
        }
    }
    out
}

#[test]
fn named_commands_exist() {
    let targets = make_targets();
    assert!(
        targets.contains("test") && targets.contains("serve"),
        "the Makefile reader found {targets:?}"
    );
    let mut missing = vec![];
    let mut subs = BTreeSet::new();
    let mut makes = 0;
    for (name, text) in documents() {
        for (n, code) in parts(&text).code {
            for target in commands(&code, "make") {
                makes += 1;
                if !targets.contains(&target) {
                    missing.push(format!(
                        "{name}:{n}: `make {target}`: no such Makefile target"
                    ));
                }
            }
            for sub in commands(&code, "folio") {
                subs.insert((sub, format!("{name}:{n}")));
            }
        }
    }
    let mut helped = BTreeSet::new();
    for (sub, place) in &subs {
        if !helped.insert(sub.clone()) {
            continue;
        }
        let status = Command::new(env!("CARGO_BIN_EXE_folio"))
            .args(["help", sub])
            .output()
            .expect("folio runs")
            .status;
        if !status.success() {
            missing.push(format!("{place}: `folio {sub}`: `folio help {sub}` fails"));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
    assert!(
        makes >= 5 && helped.len() >= 3,
        "found only {makes} make commands and {helped:?}"
    );
}

#[test]
fn readme_is_short() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines < 300,
        "README.md has {lines} lines; keep it under 300 (docs/ holds the rest)"
    );
}

#[test]
fn the_checks_can_fail() {
    // The readers the tests above rely on find what they must.
    assert_eq!(
        link_targets("see [a](docs/x.md#y) and ![b](p.png)"),
        ["docs/x.md#y", "p.png"]
    );
    assert_eq!(
        commands("cd app && make build COLLECTION=x", "make"),
        ["build"]
    );
    assert_eq!(
        commands("folio search --index d \"q\"", "folio"),
        ["search"]
    );
    assert!(commands("folio-indexer index", "folio").is_empty());
    assert!(commands("make bench-*", "make").is_empty());
    let set = anchors(&[
        "`make bench-scale`".into(),
        "Heads (format 8, 2026-12-03)".into(),
        "Tests".into(),
        "Tests".into(),
    ]);
    for a in [
        "make-bench-scale",
        "heads-format-8-2026-12-03",
        "tests",
        "tests-1",
    ] {
        assert!(set.contains(a), "{a} not in {set:?}");
    }
    assert!(!make_targets().contains("no-such-target"));
    let status = Command::new(env!("CARGO_BIN_EXE_folio"))
        .args(["help", "no-such-command"])
        .output()
        .unwrap()
        .status;
    assert!(
        !status.success(),
        "`folio help` accepts a command that does not exist"
    );
}
