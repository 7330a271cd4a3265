//! `folio stats DIR`: what an index holds and what it costs to download.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use folio_engine::{LinkKind, PieceId, PieceKind, MANIFEST_FILE};
use serde::Serialize;

use crate::inputs::{Inputs, INPUTS_FILE};

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
    /// What each input file gave, when the index was written with its report.
    #[serde(skip_serializing_if = "Option::is_none")]
    inputs: Option<Inputs>,
}

/// The pieces of one kind (or the manifest).
#[derive(Debug, Serialize)]
struct FileStats {
    role: &'static str,
    files: usize,
    bytes: u64,
    gzip_bytes: u64,
    largest: u64,
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

/// Prints every paper of the index in `dir` as one line of JSON, in document order.
pub fn papers(dir: &Path) -> Result<()> {
    let loader = crate::open_index(dir)?;
    let index = loader.index();
    folio_engine::load::block_on(loader.load_all()).map_err(anyhow::Error::msg)?;
    crate::output::print(|out| {
        for doc in 0..index.manifest().papers {
            let paper = index
                .paper(doc)
                .ok()
                .flatten()
                .ok_or_else(|| std::io::Error::other(format!("paper {doc} did not load")))?;
            serde_json::to_writer(&mut *out, paper).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    })
}

pub fn print(dir: &Path, json: bool) -> Result<()> {
    let loader = crate::open_index(dir)?;
    let index = loader.index();
    folio_engine::load::block_on(loader.load_all()).map_err(anyhow::Error::msg)?;
    let manifest = index.manifest();
    let papers: Vec<&folio_engine::Paper> = (0..manifest.papers)
        .filter_map(|doc| index.paper(doc).ok().flatten())
        .collect();
    let per_paper = |bytes: u64| bytes as f64 / f64::from(manifest.papers.max(1));
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .with_context(|| format!("cannot read {}", dir.join(name).display()))
    };
    let mut files = Vec::new();
    let mut add = |role: &'static str, names: Vec<String>| -> Result<()> {
        let mut stats = FileStats {
            role,
            files: names.len(),
            bytes: 0,
            gzip_bytes: 0,
            largest: 0,
            bytes_per_paper: 0.0,
        };
        for name in names {
            let data = read(&name)?;
            stats.bytes += data.len() as u64;
            stats.gzip_bytes += gzip_len(&data);
            stats.largest = stats.largest.max(data.len() as u64);
        }
        stats.bytes_per_paper = per_paper(stats.bytes);
        files.push(stats);
        Ok(())
    };
    add("manifest", vec![MANIFEST_FILE.to_string()])?;
    for kind in PieceKind::ALL {
        // Records are counted by file, not by paper.
        let names = match kind {
            PieceKind::Overflow => continue,
            PieceKind::Records => (0..manifest.pieces.records)
                .map(|n| PieceId::new(kind, n).file_name(&manifest.build))
                .collect(),
            _ => (0..manifest.piece_count(kind))
                .map(|n| index.file_name(PieceId::new(kind, n)))
                .collect(),
        };
        add(kind.name(), names)?;
    }
    let mut years = BTreeMap::new();
    let mut listings = BTreeMap::new();
    for paper in &papers {
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
    let inputs = match std::fs::read(dir.join(INPUTS_FILE)) {
        Ok(bytes) => Some(serde_json::from_slice::<Inputs>(&bytes).with_context(|| {
            format!("{}: not an input report", dir.join(INPUTS_FILE).display())
        })?),
        Err(_) => None,
    };
    let stats = Stats {
        inputs,
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
        "  {:<18} {:>6} {:>12} {:>12} {:>10} {:>9}",
        "pieces", "files", "bytes", "gzip", "largest", "B/paper"
    )?;
    for f in &stats.files {
        writeln!(
            out,
            "  {:<18} {:>6} {:>12} {:>12} {:>10} {:>9.1}",
            f.role, f.files, f.bytes, f.gzip_bytes, f.largest, f.bytes_per_paper
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
    writeln!(out, "  topics: {}", topics.join(", "))?;
    if let Some(inputs) = &stats.inputs {
        writeln!(
            out,
            "  inputs: {} files, {} records, {} papers ({} records merged into another's paper)",
            inputs.files.len(),
            inputs.records,
            inputs.papers,
            inputs.merged
        )?;
        for file in &inputs.files {
            let skipped: usize = file.skipped.values().sum();
            let dropped: usize = file.dropped.values().sum();
            writeln!(
                out,
                "    {} ({}): {} records, {skipped} skipped, {dropped} values dropped",
                file.file, file.format, file.records
            )?;
            for (reason, n) in file.skipped.iter().chain(&file.dropped) {
                writeln!(out, "      {n} × {reason}")?;
            }
        }
    }
    Ok(())
}
