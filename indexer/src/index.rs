//! `folio index`: input files → records → merged papers → similar papers, key phrases and
//! topics → analyzed papers → the index's files. `folio site` runs the same steps.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use folio_engine::{AnalyzedPaper, Analyzer, IndexBuilder, Paper, PieceSizes};
use folio_indexer::{merge, parse};

use crate::inputs::{reason_kind, InputReport, Inputs, INPUTS_FILE};
use crate::{enrich, output};

/// An index built in memory: its files (name, bytes), not yet written, and the summary
/// line to print once they are.
pub struct Built {
    pub files: Vec<(String, Vec<u8>)>,
    pub summary: String,
}

/// How to read the inputs and cut the index.
pub struct Options<'a> {
    /// Skipped entries and dropped values are fatal.
    pub strict: bool,
    pub sizes: PieceSizes,
    /// Biwords for stems in more than this many papers (`u32::MAX`: none); `None`: the
    /// builder's default.
    pub biword_df: Option<u32>,
    /// Listings named by hand (`--listing-name FILE=NAME`).
    pub listing_names: &'a [ListingName],
}

/// `--listing-name FILE=NAME`: the listing the papers of an input file appear in, named by
/// hand instead of from the file's content or name.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingName {
    pub file: PathBuf,
    pub name: String,
}

impl std::str::FromStr for ListingName {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (file, name) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?} is not FILE=NAME"))?;
        let name = name.trim();
        if file.is_empty() || name.is_empty() {
            return Err(format!(
                "{s:?}: both the file and the name are needed (FILE=NAME)"
            ));
        }
        Ok(ListingName {
            file: PathBuf::from(file),
            name: name.to_string(),
        })
    }
}

impl ListingName {
    /// Whether this names `path`: the same path, or one that ends with it (`a.bib` names
    /// `papers/a.bib`).
    fn names(&self, path: &Path) -> bool {
        path == self.file || path.ends_with(&self.file)
    }
}

/// The listing name of an input: given by hand, else the one a capture gives itself
/// ("Daily Papers · Jun 4"), else the file's name without its extension.
fn listing_name(file: &Path, text: &str, names: &[ListingName]) -> String {
    if let Some(given) = names.iter().find(|n| n.names(file)) {
        return given.name.clone();
    }
    if let Some(own) = parse::listing::name(text) {
        return own;
    }
    file.file_stem().map_or_else(
        || file.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// Reads `inputs` (files or directories) and builds their index. `out` only names where
/// it will go, for the summary.
pub fn build(inputs: &[PathBuf], out: &Path, options: &Options) -> Result<Built> {
    let Options {
        strict,
        ref sizes,
        biword_df,
        listing_names,
    } = *options;
    let started = Instant::now();
    let files = collect_inputs(inputs)?;
    let total_bytes: u64 = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let progress = Progress::new(total_bytes >= PROGRESS_MIN_BYTES);

    let mut phases = Phases::start();
    progress.phase("reading", total_bytes);
    for given in listing_names {
        if !files.iter().any(|f| given.names(f)) {
            bail!(
                "--listing-name {}: no input file is {}",
                given.file.display(),
                given.file.display()
            );
        }
    }
    let (records, mut report) = read_inputs(&files, strict, listing_names, &progress)?;
    let skipped_count: usize = report.files.iter().flat_map(|f| f.skipped.values()).sum();
    let dropped_count: usize = report.files.iter().flat_map(|f| f.dropped.values()).sum();
    phases.end("read");
    let record_count = records.len();
    let mut papers = merge::merge(records);
    report.papers = papers.len();
    report.merged = record_count - papers.len();
    phases.end("merge");

    progress.phase("similar papers and key phrases", 2 * papers.len() as u64);
    let topics = enrich::enrich(&mut papers, &|n| progress.inc(n), &mut phases);

    progress.phase("indexing", papers.len() as u64);
    let mut builder = IndexBuilder::new();
    if let Some(df) = biword_df {
        builder.set_biword_min_df(df);
    }
    // Analysis runs on every core, a batch at a time; papers join the builder in order.
    let mut papers = papers.into_iter();
    loop {
        let batch: Vec<Paper> = papers.by_ref().take(ANALYZE_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let analyzed = enrich::par_map(batch.len(), Analyzer::new, |analyzer, i| {
            AnalyzedPaper::new(analyzer, &batch[i])
        });
        progress.inc(batch.len() as u64);
        for (paper, analyzed) in batch.into_iter().zip(analyzed) {
            builder.add_analyzed(paper, analyzed);
        }
    }
    builder.set_topics(topics);
    phases.end("analyze");
    let built = builder.build_with(sizes);
    phases.end("encode");
    progress.finish();

    let bytes: u64 = built.files.iter().map(|(_, d)| d.len() as u64).sum();
    let summary = format!(
        "indexed {} papers ({} entries in {} files, {} skipped{}) into {}: {} terms, {:.1} KiB, \
         {:.2} s ({}), peak memory {}",
        built.manifest.papers,
        record_count,
        files.len(),
        skipped_count,
        match dropped_count {
            0 => String::new(),
            n => format!(", {n} invalid values dropped"),
        },
        out.display(),
        built.manifest.terms,
        bytes as f64 / 1024.0,
        started.elapsed().as_secs_f64(),
        phases,
        peak_memory().map_or("unknown".into(), |kib| format!(
            "{:.0} MiB",
            kib as f64 / 1024.0
        )),
    );
    let mut files = built.files;
    files.push((INPUTS_FILE.to_string(), serde_json::to_vec_pretty(&report)?));
    Ok(Built { files, summary })
}

/// The formats of a file's records, in order of first appearance: "BibTeX", or
/// "Folio JSON, CSL-JSON" for a JSON document that mixes them.
fn formats(records: &[parse::Record]) -> String {
    let mut seen: Vec<&str> = Vec::new();
    for record in records {
        if !seen.contains(&record.format) {
            seen.push(record.format);
        }
    }
    seen.join(", ")
}

/// Reads and parses every input file. Skipped entries and dropped values are reported
/// (fatal with `strict`) and counted.
pub(crate) fn read_inputs(
    files: &[PathBuf],
    strict: bool,
    listing_names: &[ListingName],
    progress: &Progress,
) -> Result<(Vec<parse::Record>, Inputs)> {
    let mut records = Vec::new();
    let mut report = Inputs::default();
    for file in files {
        let bytes =
            std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
        let parsed = parse::decode(&bytes)
            .and_then(|text| parse::parse(text, &listing_name(file, text, listing_names)));
        let (file_records, skipped) =
            parsed.map_err(|e| anyhow::anyhow!("{}:{}: {}", file.display(), e.line, e.message))?;
        for skip in &skipped {
            let message = format!("{}:{}: {}", file.display(), skip.line, skip.reason);
            let what = if skip.paper_kept {
                "dropped values"
            } else {
                "skipped entries"
            };
            if strict {
                bail!("{message} (--strict makes {what} fatal)");
            }
            let label = if skip.paper_kept {
                "warning"
            } else {
                "skipped"
            };
            progress.println(format!("folio: {label}: {message}"));
        }
        let mut input = InputReport {
            file: file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned()),
            format: formats(&file_records),
            records: file_records.len(),
            ..InputReport::default()
        };
        for skip in &skipped {
            let counts = if skip.paper_kept {
                &mut input.dropped
            } else {
                &mut input.skipped
            };
            *counts.entry(reason_kind(&skip.reason)).or_default() += 1;
        }
        report.records += file_records.len();
        report.files.push(input);
        records.extend(file_records);
        progress.inc(bytes.len() as u64);
    }
    Ok((records, report))
}

/// Wall time of each indexing phase, for the summary line.
pub struct Phases {
    last: Instant,
    done: Vec<(&'static str, f64)>,
}

impl Phases {
    pub fn start() -> Self {
        Phases {
            last: Instant::now(),
            done: Vec::new(),
        }
    }

    /// Ends the phase running since the previous call.
    pub fn end(&mut self, name: &'static str) {
        let now = Instant::now();
        self.done.push((name, (now - self.last).as_secs_f64()));
        self.last = now;
    }
}

impl std::fmt::Display for Phases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (name, secs)) in self.done.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{name} {secs:.2}")?;
        }
        Ok(())
    }
}

/// Papers analyzed in parallel at a time before joining the builder.
const ANALYZE_BATCH: usize = 8192;

/// Inputs smaller than this finish too fast for a progress bar to help.
const PROGRESS_MIN_BYTES: u64 = 4 << 20;

/// A progress bar on stderr, shown only for large inputs on a terminal.
pub(crate) struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    pub(crate) fn new(show: bool) -> Self {
        let bar = show.then(|| {
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{msg:>32} [{bar:30}] {percent:>3}% {elapsed_precise}",
                )
                .expect("the progress template is valid")
                .progress_chars("=> "),
            );
            bar
        });
        Progress { bar }
    }

    fn phase(&self, name: &str, length: u64) {
        if let Some(bar) = &self.bar {
            bar.set_message(name.to_string());
            bar.set_length(length);
            bar.set_position(0);
        }
    }

    fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    fn println(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.suspend(|| output::warn(&line)),
            None => output::warn(&line),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Peak resident memory of this process in KiB (Linux only).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Expands inputs into a sorted list of files. Hidden files are ignored in directories.
pub(crate) fn collect_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
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
