//! `folio`: builds the index a Folio site loads, and searches it from the command line with
//! the same engine the browser runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use folio_engine::load::{block_on, DirFetch, Loader};
use folio_engine::{AnalyzedPaper, Analyzer, IndexBuilder, Paper, PieceSizes};

use folio_indexer::{merge, parse};

mod enrich;
mod output;
mod search;
mod stats;
mod synth;

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
        #[command(flatten)]
        sizes: SizeArgs,
        /// Index pairs of adjacent words as biwords when both have a term in more than N
        /// papers (phrases of them read short lists); `none` for none [default: an eighth
        /// of the papers, at least 64].
        #[arg(long, value_name = "N")]
        biword_df: Option<BiwordDf>,
    },
    /// Search an index with the engine the browser uses.
    Search {
        /// Index directory (the `--out` of `folio index`).
        #[arg(long)]
        index: PathBuf,
        /// The query; it may start with `-` (an exclusion: `folio search --index d "-x y"`).
        #[arg(allow_hyphen_values = true)]
        query: String,
        /// Print JSON (`total`, `results` with `id`, `title`, `score`).
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Also say, on stderr, which pieces of the index the search fetched, round by
        /// round, with their sizes as stored and gzipped (what a browser would download).
        #[arg(long)]
        pieces: bool,
    },
    /// Write synthetic arXiv-style JSON Lines for scale benchmarks, with text drawn from
    /// real collections (deterministic for a given seed).
    Synth {
        /// Collections to draw text from (files or directories).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Number of records.
        #[arg(long)]
        papers: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Output file (written aside, then renamed).
        #[arg(long)]
        out: PathBuf,
    },
    /// Write every paper of an index as JSON Lines, in document order, read through the
    /// loader the search uses (for comparisons against other tools over the same papers).
    Papers {
        /// Index directory (the `--out` of `folio index`).
        dir: PathBuf,
    },
    /// Describe an index: counts, file sizes (raw and gzip), dates, listings, topics.
    Stats {
        /// Index directory (the `--out` of `folio index`).
        dir: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        // Whoever read our output stopped (`folio ... | head`): nothing went wrong.
        Err(err) if output::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}` is the cause chain on one line; `{:?}` would add a backtrace.
            output::warn(&format!("folio: error: {err:#}"));
            ExitCode::FAILURE
        }
    }
}

/// Piece sizes (defaults: `PieceSizes::default`, pieces of some 4–16 KB). Smaller pieces
/// mean fewer bytes per query and more files; a host's file limit bounds how small.
#[derive(clap::Args)]
struct SizeArgs {
    /// KiB of dictionary per term piece [default: 4].
    #[arg(long, value_name = "KIB")]
    terms_kib: Option<usize>,
    /// KiB of postings per postings piece [default: 16].
    #[arg(long, value_name = "KIB")]
    postings_kib: Option<usize>,
    /// KiB of positions per positions piece, in each field [default: 16].
    #[arg(long, value_name = "KIB")]
    positions_kib: Option<usize>,
    /// KiB of facet rows blocks per rows piece [default: 4].
    #[arg(long, value_name = "KIB")]
    rows_kib: Option<usize>,
    /// Lists of at most this many papers carry their facet rows inline, not in a rows
    /// block [default: 4096].
    #[arg(long, value_name = "N")]
    rows_inline_df: Option<u32>,
    /// KiB of heads per heads piece [default: 16].
    #[arg(long, value_name = "KIB")]
    heads_kib: Option<usize>,
    /// Papers in a common word family's head, which a query of common words scores
    /// exactly before reading any list (0: no heads) [default: 4096].
    #[arg(long, value_name = "N")]
    head_docs: Option<u32>,
    /// Word families in at least this many papers have a head [default: 16384].
    #[arg(long, value_name = "N")]
    head_min_df: Option<u32>,
    /// KiB of record slots per record file [default: 512]. A query reads only its hits'
    /// slots, by range request, however large the file; smaller files cost less on a
    /// host that ignores range requests, larger ones fewer files.
    #[arg(long, value_name = "KIB")]
    records_kib: Option<usize>,
    /// Bytes per record slot [default: chosen for the collection, weighing the padding
    /// every hit pays against the second round trip a record longer than its slot costs].
    #[arg(long, value_name = "BYTES")]
    record_slot: Option<u32>,
    /// At most this many files in the index (a host's limit: Cloudflare Pages allows
    /// 20,000); record files hold more papers to stay under it [default: 10000].
    #[arg(long, value_name = "N")]
    max_files: Option<u32>,
    /// Papers per column piece [default: 16384].
    #[arg(long, value_name = "N")]
    papers_per_column: Option<u32>,
    /// Paper ids per id piece [default: 1024].
    #[arg(long, value_name = "N")]
    ids_per_piece: Option<usize>,
}

impl SizeArgs {
    fn sizes(&self) -> PieceSizes {
        let d = PieceSizes::default();
        let kib = |v: Option<usize>, default: usize| v.map_or(default, |k| k.max(1) << 10);
        PieceSizes {
            terms: kib(self.terms_kib, d.terms),
            postings: kib(self.postings_kib, d.postings),
            positions: kib(self.positions_kib, d.positions),
            rows: kib(self.rows_kib, d.rows),
            rows_inline_df: self.rows_inline_df.unwrap_or(d.rows_inline_df),
            heads: kib(self.heads_kib, d.heads),
            head_docs: self.head_docs.unwrap_or(d.head_docs),
            head_min_df: self.head_min_df.unwrap_or(d.head_min_df),
            records: kib(self.records_kib, d.records),
            record_slot: self.record_slot.unwrap_or(d.record_slot),
            max_files: self.max_files.unwrap_or(d.max_files).max(1),
            papers_per_column: self.papers_per_column.unwrap_or(d.papers_per_column).max(1),
            ids: self.ids_per_piece.unwrap_or(d.ids).max(1),
        }
    }
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Index {
            inputs,
            out,
            strict,
            sizes,
            biword_df,
        } => index(&inputs, &out, strict, &sizes.sizes(), biword_df),
        Command::Search {
            index,
            query,
            json,
            limit,
            pieces,
        } => search::run(&index, &query, json, limit, pieces),
        Command::Stats { dir, json } => stats::print(&dir, json),
        Command::Papers { dir } => stats::papers(&dir),
        Command::Synth {
            inputs,
            papers,
            seed,
            out,
        } => synth(&inputs, papers, seed, &out),
    }
}

fn synth(inputs: &[PathBuf], count: usize, seed: u64, out: &Path) -> Result<()> {
    let (records, ..) = read_inputs(&collect_inputs(inputs)?, false, &Progress::new(false))?;
    let papers = merge::merge(records);
    let source = synth::Source::new(&papers).context(
        "the inputs hold no sentence of more than 20 bytes to draw synthetic abstracts from",
    )?;
    let staging = out.with_extension(format!("partial-{}", std::process::id()));
    let result = (|| -> Result<()> {
        let file = std::fs::File::create(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        let mut file = std::io::BufWriter::new(file);
        source
            .generate(count, seed, &mut file)
            .and_then(|()| file.flush())
            .with_context(|| format!("cannot write {}", staging.display()))?;
        std::fs::rename(&staging, out)
            .with_context(|| format!("cannot move {} into place", out.display()))
    })();
    if result.is_err() {
        std::fs::remove_file(&staging).ok();
    }
    result
}

/// `--biword-df`: a paper count, or `none`.
#[derive(Debug, Clone, Copy)]
struct BiwordDf(u32);

impl std::str::FromStr for BiwordDf {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "none" => Ok(BiwordDf(u32::MAX)),
            n => n
                .parse()
                .map(BiwordDf)
                .map_err(|_| format!("{n:?} is neither a paper count nor `none`")),
        }
    }
}

fn index(
    inputs: &[PathBuf],
    out: &Path,
    strict: bool,
    sizes: &PieceSizes,
    biword_df: Option<BiwordDf>,
) -> Result<()> {
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
    let (records, skipped_count, dropped_count) = read_inputs(&files, strict, &progress)?;
    phases.end("read");
    let record_count = records.len();
    let mut papers = merge::merge(records);
    phases.end("merge");

    progress.phase("similar papers and key phrases", 2 * papers.len() as u64);
    let topics = enrich::enrich(&mut papers, &|n| progress.inc(n), &mut phases);

    progress.phase("indexing", papers.len() as u64);
    let mut builder = IndexBuilder::new();
    if let Some(BiwordDf(df)) = biword_df {
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
    write_atomically(out, &built.files)?;
    phases.end("write");
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
    output::print(|out| writeln!(out, "{summary}"))
}

/// Reads and parses every input file. Skipped entries and dropped values are reported
/// (fatal with `strict`) and counted.
fn read_inputs(
    files: &[PathBuf],
    strict: bool,
    progress: &Progress,
) -> Result<(Vec<parse::Record>, usize, usize)> {
    let mut records = Vec::new();
    let (mut skipped_count, mut dropped_count) = (0, 0);
    for file in files {
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
        let dropped = skipped.iter().filter(|s| s.paper_kept).count();
        dropped_count += dropped;
        skipped_count += skipped.len() - dropped;
        records.extend(file_records);
        progress.inc(bytes.len() as u64);
    }
    Ok((records, skipped_count, dropped_count))
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
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(show: bool) -> Self {
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

/// Opens an index directory written by `folio index`, through the loader the browser
/// uses: the manifest now, each piece when a command needs it.
pub(crate) fn open_index(dir: &Path) -> Result<Loader<DirFetch>> {
    block_on(Loader::open(DirFetch(dir.to_path_buf())))
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("{}", dir.display()))
}
