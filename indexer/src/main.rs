//! `folio`: builds the index a Folio site loads, and searches it from the command line with
//! the same engine the browser runs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use folio_engine::load::{block_on, DirFetch, Loader};
use folio_engine::PieceSizes;

use folio_indexer::merge;

mod enrich;
mod index;
mod inputs;
mod output;
mod search;
mod site;
mod stats;
mod synth;
mod write;

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
        #[command(flatten)]
        reading: IndexArgs,
    },
    /// Write a complete static site for a collection into DIR: the explorer, the
    /// `<folio-search>` widget, the service worker and the index. Put DIR on any static
    /// host, at any path.
    Site {
        /// Input files or directories, read as `folio index` reads them.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory; replaced as a whole, never left half-written. It must be new,
        /// empty, or a site written before.
        #[arg(long)]
        out: PathBuf,
        /// The collection's name, shown in the page's title and header [default: Folio].
        #[arg(long)]
        title: Option<String>,
        /// One sentence about the collection, for the page's description.
        #[arg(long)]
        description: Option<String>,
        /// Settings file (`title`, `description`) [default: folio.toml in the current
        /// folder, if there is one]. Flags win over it.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Take the site's files from this folder (trunk's output) instead of those built
        /// into folio: for Folio's own benchmark builds.
        #[arg(long, value_name = "DIR", hide = true)]
        shell: Option<PathBuf>,
        /// Also write embed-demo.html, a page showing the `<folio-search>` widget.
        #[arg(long)]
        demo: bool,
        /// Then serve the site on http://127.0.0.1:PORT for a look (Ctrl-C stops it).
        #[arg(long)]
        serve: bool,
        /// The port for --serve.
        #[arg(long, default_value_t = 8080)]
        port: u16,
        #[command(flatten)]
        reading: IndexArgs,
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
        /// The format to write.
        #[arg(long, value_enum, default_value = "arxiv-jsonl")]
        format: synth::Format,
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

/// How `folio index` and `folio site` read their inputs and cut the index.
#[derive(clap::Args)]
struct IndexArgs {
    /// Treat skipped entries as fatal errors.
    #[arg(long)]
    strict: bool,
    /// Replace --out even when it holds files folio did not write.
    #[arg(long)]
    force: bool,
    /// Name the listing of an input file's papers (the filter panel shows it), instead
    /// of the name a Daily Papers capture gives itself or the file's name; repeatable.
    #[arg(long = "listing-name", value_name = "FILE=NAME")]
    listing_names: Vec<index::ListingName>,
    #[command(flatten)]
    sizes: SizeArgs,
    /// Index pairs of adjacent words as biwords when both have a term in more than N
    /// papers (phrases of them read short lists); `none` for none [default: an eighth
    /// of the papers, at least 64].
    #[arg(long, value_name = "N")]
    biword_df: Option<BiwordDf>,
}

impl IndexArgs {
    fn options(&self) -> index::Options<'_> {
        index::Options {
            strict: self.strict,
            sizes: self.sizes.sizes(),
            biword_df: self.biword_df.map(|b| b.0),
            listing_names: &self.listing_names,
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
            reading,
        } => {
            write::check_replaceable(&out, write::is_index_file, "index", reading.force)?;
            let built = index::build(&inputs, &out, &reading.options())?;
            write::write_atomically(&out, &built.files)?;
            output::print(|o| writeln!(o, "{}", built.summary))
        }
        Command::Site {
            inputs,
            out,
            title,
            description,
            config,
            shell,
            demo,
            serve,
            port,
            reading,
        } => {
            let (config, from) = site::Config::load(config.as_deref())?;
            let defaults = site::Meta::default();
            let meta = site::Meta {
                title: title.or(config.title).unwrap_or(defaults.title),
                description: description
                    .or(config.description)
                    .unwrap_or(defaults.description),
                indexed: Some(site::today()),
            };
            write::check_replaceable(&out, site::is_site_file, "site", reading.force)?;
            let built = index::build(&inputs, &out.join("data"), &reading.options())?;
            let files = site::assemble(built.files, &meta, shell.as_deref(), demo)?;
            write::write_atomically(&out, &files)?;
            output::print(|o| {
                writeln!(o, "{}", built.summary)?;
                if let Some(from) = &from {
                    writeln!(o, "settings from {}", from.display())?;
                }
                writeln!(
                    o,
                    "wrote the site \"{}\" into {} ({} files): put that folder on any static host",
                    meta.title,
                    out.display(),
                    files.len()
                )
            })?;
            if serve {
                site::serve::run(&out, port, |address| {
                    let _ = output::print(|o| {
                        writeln!(
                            o,
                            "serving {} at {address} (Ctrl-C stops it)",
                            out.display()
                        )
                    });
                })?;
            }
            Ok(())
        }
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
            format,
        } => synth(&inputs, papers, seed, format, &out),
    }
}

fn synth(
    inputs: &[PathBuf],
    count: usize,
    seed: u64,
    format: synth::Format,
    out: &Path,
) -> Result<()> {
    let (records, ..) = index::read_inputs(
        &index::collect_inputs(inputs)?,
        false,
        &[],
        &index::Progress::new(false),
    )?;
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
            .generate(count, seed, format, &mut file)
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

/// Opens an index directory written by `folio index`, through the loader the browser
/// uses: the manifest now, each piece when a command needs it.
pub(crate) fn open_index(dir: &Path) -> Result<Loader<DirFetch>> {
    block_on(Loader::open(DirFetch(dir.to_path_buf())))
        .map_err(anyhow::Error::msg)
        .with_context(|| format!("{}", dir.display()))
}
