//! `folio stats DIR`: what an index holds and what it costs to download.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use folio_engine::{LinkKind, MANIFEST_FILE};
use serde::Serialize;

#[derive(Debug, Serialize)]
struct Stats {
    format_version: u32,
    analyzer_version: u32,
    papers: u32,
    terms: u64,
    files: Vec<FileStats>,
    with_code: usize,
    with_date: usize,
    with_upvotes: usize,
    years: BTreeMap<String, usize>,
    listings: BTreeMap<String, usize>,
    topics: Vec<(String, u32)>,
}

#[derive(Debug, Serialize)]
struct FileStats {
    role: &'static str,
    name: String,
    bytes: u64,
    gzip_bytes: u64,
    bytes_per_paper: f64,
}

/// Gzip size at the default level, as a static host would serve the file.
pub fn gzip_len(data: &[u8]) -> u64 {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(data)
        .expect("writing to memory cannot fail");
    encoder
        .finish()
        .expect("writing to memory cannot fail")
        .len() as u64
}

pub fn print(dir: &Path, json: bool) -> Result<()> {
    let index = crate::open_index(dir)?;
    let manifest = index.manifest();
    let papers = index.papers();
    let per_paper = |bytes: u64| bytes as f64 / f64::from(manifest.papers.max(1));
    let mut files = Vec::new();
    for (role, name) in [
        ("manifest", MANIFEST_FILE),
        ("terms", manifest.files.terms.name.as_str()),
        ("postings", manifest.files.postings.name.as_str()),
        ("positions", manifest.files.positions.name.as_str()),
        ("papers", manifest.files.papers.name.as_str()),
    ] {
        let data = std::fs::read(dir.join(name))
            .with_context(|| format!("cannot read {}", dir.join(name).display()))?;
        files.push(FileStats {
            role,
            name: name.to_string(),
            bytes: data.len() as u64,
            gzip_bytes: gzip_len(&data),
            bytes_per_paper: per_paper(data.len() as u64),
        });
    }
    let mut years = BTreeMap::new();
    let mut listings = BTreeMap::new();
    for paper in papers {
        let year = paper
            .published
            .as_deref()
            .and_then(|d| d.get(..4))
            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
            .unwrap_or("unknown");
        *years.entry(year.to_string()).or_insert(0) += 1;
        for listing in &paper.listings {
            *listings.entry(listing.clone()).or_insert(0) += 1;
        }
    }
    let stats = Stats {
        format_version: manifest.format_version,
        analyzer_version: manifest.analyzer_version,
        papers: manifest.papers,
        terms: manifest.terms,
        files,
        with_code: papers
            .iter()
            .filter(|p| p.links.iter().any(|l| l.kind == LinkKind::Code))
            .count(),
        with_date: papers.iter().filter(|p| p.published.is_some()).count(),
        with_upvotes: papers.iter().filter(|p| p.upvotes.is_some()).count(),
        years,
        listings,
        topics: index
            .topics()
            .iter()
            .map(|t| (t.phrase.clone(), t.papers))
            .collect(),
    };
    crate::output::print(|out| write(out, dir, &stats, json))
}

fn write(out: &mut impl Write, dir: &Path, stats: &Stats, json: bool) -> std::io::Result<()> {
    if json {
        return crate::output::json(out, stats);
    }
    writeln!(out, "{}", dir.display())?;
    writeln!(
        out,
        "  format {}, analyzer {}: {} papers, {} terms",
        stats.format_version, stats.analyzer_version, stats.papers, stats.terms
    )?;
    writeln!(
        out,
        "  {:<9} {:>12} {:>12} {:>10}  file",
        "", "bytes", "gzip", "B/paper"
    )?;
    for f in &stats.files {
        writeln!(
            out,
            "  {:<9} {:>12} {:>12} {:>10.1}  {}",
            f.role, f.bytes, f.gzip_bytes, f.bytes_per_paper, f.name
        )?;
    }
    writeln!(
        out,
        "  {} with a code link, {} dated, {} with upvotes",
        stats.with_code, stats.with_date, stats.with_upvotes
    )?;
    let line = |map: &BTreeMap<String, usize>| {
        map.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    writeln!(out, "  years: {}", line(&stats.years))?;
    if stats.listings.len() <= 20 {
        writeln!(out, "  listings: {}", line(&stats.listings))?;
    } else {
        writeln!(out, "  listings: {}", stats.listings.len())?;
    }
    let topics: Vec<String> = stats
        .topics
        .iter()
        .take(15)
        .map(|(p, n)| format!("{p} ({n})"))
        .collect();
    writeln!(out, "  topics: {}", topics.join(", "))
}
