//! `folio`: builds the index a Folio site loads, and searches it from the command line with
//! the same engine the browser runs.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use folio_engine::{Index, IndexBuilder, Manifest, MANIFEST_FILE};

mod merge;
mod parse;

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "Index paper collections for the Folio search site"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read collections (files or directories) and write the index files into DIR.
    Index {
        /// Input files or directories (directories are read recursively, in name order).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory; replaced as a whole, never left half-written.
        #[arg(long)]
        out: PathBuf,
        /// Treat skipped entries as fatal errors.
        #[arg(long)]
        strict: bool,
    },
    /// Search an index with the engine the browser uses.
    Search {
        /// Index directory (the `--out` of `folio index`).
        #[arg(long)]
        index: PathBuf,
        query: String,
        /// Print JSON (`total`, `results` with `id`, `title`, `score`).
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("folio: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Index {
            inputs,
            out,
            strict,
        } => index(&inputs, &out, strict),
        Command::Search {
            index,
            query,
            json,
            limit,
        } => search(&index, &query, json, limit),
    }
}

fn index(inputs: &[PathBuf], out: &Path, strict: bool) -> Result<()> {
    let started = Instant::now();
    let files = collect_inputs(inputs)?;
    let mut records = Vec::new();
    let mut skipped_count = 0;
    for file in &files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name = file.file_stem().map_or_else(
            || file.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        let parsed = parse::decode(&bytes).and_then(|text| parse::parse(text, &name));
        let (file_records, skipped) =
            parsed.map_err(|e| anyhow::anyhow!("{}:{}: {}", file.display(), e.line, e.message))?;
        for skip in &skipped {
            let message = format!("{}:{}: {}", file.display(), skip.line, skip.reason);
            if strict {
                bail!("{message} (--strict makes skipped entries fatal)");
            }
            eprintln!("folio: skipped: {message}");
        }
        skipped_count += skipped.len();
        records.extend(file_records);
    }
    let record_count = records.len();
    let papers = merge::merge(records);
    let mut builder = IndexBuilder::new();
    for paper in papers {
        builder.add(paper);
    }
    let built = builder.build();
    write_atomically(out, &built.files)?;
    let bytes: u64 = built.files.iter().map(|(_, d)| d.len() as u64).sum();
    println!(
        "indexed {} papers ({} entries in {} files, {} skipped), {} terms, {:.1} KiB in {} ({:.2} s)",
        built.manifest.papers,
        record_count,
        files.len(),
        skipped_count,
        built.manifest.terms,
        bytes as f64 / 1024.0,
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Expands inputs into a sorted list of files. Hidden files are ignored in directories.
fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input)
            .with_context(|| format!("cannot read input {}", input.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(input, &mut found)?;
            found.sort();
            if found.is_empty() {
                bail!("{}: the directory holds no input files", input.display());
            }
            files.extend(found);
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if entry.file_type()?.is_dir() {
            walk(&path, found)?;
        } else {
            found.push(path);
        }
    }
    Ok(())
}

/// Writes `files` into a fresh sibling directory, then swaps it in for `out`, so a reader
/// (or a crash) never sees a half-written index.
fn write_atomically(out: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .with_context(|| format!("{}: not a directory name", out.display()))?
        .to_string_lossy()
        .into_owned();
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let result = (|| -> Result<()> {
        std::fs::create_dir(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        for (file, data) in files {
            std::fs::write(staging.join(file), data)
                .with_context(|| format!("cannot write {}", staging.join(file).display()))?;
        }
        if out.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            std::fs::rename(out, &old)
                .with_context(|| format!("cannot move the old {} aside", out.display()))?;
            std::fs::rename(&staging, out)?;
            std::fs::remove_dir_all(&old).ok();
        } else {
            std::fs::rename(&staging, out)
                .with_context(|| format!("cannot move the index into {}", out.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        std::fs::remove_dir_all(&staging).ok();
    }
    result
}

/// Opens an index directory written by `folio index`.
fn open_index(dir: &Path) -> Result<Index> {
    let read = |name: &str| {
        std::fs::read(dir.join(name))
            .with_context(|| format!("cannot read {}", dir.join(name).display()))
    };
    let manifest = Manifest::from_json(&read(MANIFEST_FILE)?)
        .with_context(|| format!("{}", dir.join(MANIFEST_FILE).display()))?;
    let terms = read(&manifest.files.terms.name)?;
    let postings = read(&manifest.files.postings.name)?;
    let papers = read(&manifest.files.papers.name)?;
    Index::open(manifest, terms, postings, &papers).with_context(|| format!("{}", dir.display()))
}

fn search(dir: &Path, query: &str, json: bool, limit: usize) -> Result<()> {
    let index = open_index(dir)?;
    let results = index.search(query, limit);
    let rows = results.hits.iter().filter_map(|hit| {
        let paper = index.paper(hit.doc)?;
        Some((paper, hit.score))
    });
    if json {
        let results_json: Vec<_> = rows
            .map(|(paper, score)| serde_json::json!({"id": paper.id, "title": paper.title, "score": score}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"total": results.total, "results": results_json})
            )?
        );
    } else {
        println!("{} papers match {query:?}", results.total);
        for (paper, score) in rows {
            println!("{score:7.3}  {}  {}", paper.id, paper.title);
        }
    }
    Ok(())
}
