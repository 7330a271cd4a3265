//! `folio site`: a collection → a complete static site in one folder: the explorer, the
//! `<folio-search>` widget's script, the service worker and the index, working from any
//! path of any static host. The app's built files (the *shell*) travel inside this binary
//! (`indexer/shell/`, embedded by `build.rs`), so no wasm toolchain is needed here.

mod config;
mod page;
pub mod serve;
mod worker;

use std::path::Path;

use anyhow::{bail, Context, Result};

pub use config::Config;

mod shell {
    include!(concat!(env!("OUT_DIR"), "/shell.rs"));
}

/// What a site says about its collection, in its page and its header.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub description: String,
    /// The day the site was made, `YYYY-MM-DD` (the header says "indexed …").
    pub indexed: Option<String>,
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            title: "Folio".into(),
            description: "Explore the papers, right in your browser.".into(),
            indexed: None,
        }
    }
}

/// Today in UTC as `YYYY-MM-DD`, or the day of `SOURCE_DATE_EPOCH` when it is set (the
/// reproducible-builds convention), so that a rebuild can give the same bytes.
pub fn today() -> String {
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs())
        });
    civil_date(seconds / 86_400)
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The shell's files that are templates, filled in per site, not copied.
const PAGE: &str = "index.html";
const WORKER_TEMPLATE: &str = "sw.template.js";

/// The site's files: the shell's, the index's under `data/`, the page with the
/// collection's title and description, and the service worker for exactly these files.
/// `shell_dir` replaces the built-in files with a folder of them (trunk's output with the
/// post-build hook: Folio's own benchmark builds use it).
/// The demo page of the widget (and its stylesheet) is left out unless `demo`: it is
/// Folio's page, not the user's.
pub fn assemble(
    index: Vec<(String, Vec<u8>)>,
    meta: &Meta,
    shell_dir: Option<&Path>,
    demo: bool,
) -> Result<Vec<(String, Vec<u8>)>> {
    let Some(dir) = shell_dir else {
        return assemble_from(shell::FILES, index, meta, demo);
    };
    let mut owned = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && name != "SOURCES" && !name.starts_with('.') {
            let data = std::fs::read(entry.path())
                .with_context(|| format!("cannot read {}", entry.path().display()))?;
            owned.push((name, data));
        }
    }
    owned.sort();
    let borrowed: Vec<(&str, &[u8])> = owned
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    assemble_from(&borrowed, index, meta, demo)
}

fn assemble_from(
    shell: &[(&str, &[u8])],
    index: Vec<(String, Vec<u8>)>,
    meta: &Meta,
    demo: bool,
) -> Result<Vec<(String, Vec<u8>)>> {
    if shell.is_empty() {
        bail!(
            "this folio was built without the site's files (indexer/shell/ was empty when it \
             was compiled): run `make shell` in Folio's repository, then build folio again"
        );
    }
    let find = |name: &str| shell.iter().find(|(n, _)| *n == name).map(|(_, d)| *d);
    let (Some(page), Some(template)) = (find(PAGE), find(WORKER_TEMPLATE)) else {
        bail!("this folio's site files lack {PAGE} or {WORKER_TEMPLATE}: run `make shell` and build folio again");
    };
    let page = std::str::from_utf8(page)
        .map_err(|_| anyhow::anyhow!("the shell's {PAGE} is not UTF-8"))?;
    let template = std::str::from_utf8(template)
        .map_err(|_| anyhow::anyhow!("the shell's {WORKER_TEMPLATE} is not UTF-8"))?;

    let mut files: Vec<(String, Vec<u8>)> = shell
        .iter()
        .filter(|(n, _)| *n != PAGE && *n != WORKER_TEMPLATE)
        .filter(|(n, _)| demo || !n.starts_with("embed-demo."))
        .map(|(n, d)| (n.to_string(), d.to_vec()))
        .collect();
    files.push((PAGE.to_string(), page::with_meta(page, meta)?.into_bytes()));
    files.extend(index.into_iter().map(|(n, d)| (format!("data/{n}"), d)));
    let worker = worker::write(template, &files).map_err(anyhow::Error::msg)?;
    files.push(("sw.js".to_string(), worker.into_bytes()));
    Ok(files)
}

/// Whether `name` (relative to a site's folder) is a file `folio site` writes: a file of the
/// shell (under its build's hashed name or not), the worker, or a file of the index.
pub fn is_site_file(name: &str) -> bool {
    if let Some(rest) = name.strip_prefix("data/") {
        return crate::write::is_index_file(rest);
    }
    if name.contains('/') {
        return false;
    }
    const STABLE: &[&str] = &[
        "index.html",
        "sw.js",
        "folio-embed.js",
        "favicon.svg",
        "embed-demo.html",
        "embed-demo.css",
    ];
    if STABLE.contains(&name) || shell::FILES.iter().any(|(n, _)| *n == name) {
        return true;
    }
    // A hashed file of an earlier build: `folio-app-0123456789abcdef_bg.wasm`.
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| crate::write::is_hex16(hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHELL: &[(&str, &[u8])] = &[
        ("index.html", b"<html><head><title>Folio</title><meta name=\"description\" content=\"x\" /></head></html>"),
        ("sw.template.js", b"const VERSION = \"__VERSION__\";\nconst FILES = __FILES__;\n"),
        ("folio-app-0123456789abcdef_bg.wasm", b"\0asm"),
    ];

    fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
        let mut names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        names.sort();
        names
    }

    #[test]
    fn a_site_is_the_shell_the_index_the_page_and_the_worker() {
        let index = vec![("manifest.json".to_string(), b"{}".to_vec())];
        let meta = Meta {
            title: "Reading <group>".into(),
            description: "Ours".into(),
            indexed: None,
        };
        let files = assemble_from(SHELL, index, &meta, false).unwrap();
        assert_eq!(
            names(&files),
            [
                "data/manifest.json",
                "folio-app-0123456789abcdef_bg.wasm",
                "index.html",
                "sw.js"
            ]
        );
        let page = String::from_utf8(
            files
                .iter()
                .find(|f| f.0 == "index.html")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap();
        assert!(
            page.contains("<title>Reading &lt;group&gt;</title>"),
            "{page}"
        );
        let worker =
            String::from_utf8(files.iter().find(|f| f.0 == "sw.js").unwrap().1.clone()).unwrap();
        assert!(worker.contains("\"./data/manifest.json\""), "{worker}");
        assert!(
            !worker.contains("index.html"),
            "the page is listed as ./: {worker}"
        );
    }

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_429), "2025-12-07");
        assert_eq!(civil_date(20_513), "2026-03-01");
    }

    #[test]
    fn an_empty_shell_is_an_error_in_words() {
        let err = assemble_from(&[], vec![], &Meta::default(), false)
            .unwrap_err()
            .to_string();
        assert!(err.contains("make shell"), "{err}");
    }

    #[test]
    fn site_files_are_told_from_others() {
        for ours in [
            "index.html",
            "sw.js",
            "folio-app-0123456789abcdef_bg.wasm",
            "loader-0123456789abcdef.js",
            "data/manifest.json",
            "data/ids-0.0123456789abcdef.bin",
        ] {
            assert!(is_site_file(ours), "{ours}");
        }
        for theirs in [
            "thesis.tex",
            "about.html",
            "data/notes.txt",
            "blog/index.html",
        ] {
            assert!(!is_site_file(theirs), "{theirs}");
        }
    }
}
