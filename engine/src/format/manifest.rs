//! The entry point of an index: what a reader fetches first, and all it needs to plan a
//! query.

use serde::{Deserialize, Serialize};

use super::{FormatError, PieceId, PieceKind, FORMAT_VERSION, MANIFEST_FILE};
use crate::model::{Field, Topic};

/// `manifest.json`. Written by [`crate::IndexBuilder`], read with any serde JSON reader
/// (`serde_json` natively, the browser's `JSON.parse` through `serde-wasm-bindgen`), then
/// checked with [`Manifest::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `"folio-index"`; tells a Folio index from some other JSON.
    pub format: String,
    pub format_version: u32,
    pub analyzer_version: u32,
    /// A hash over every piece's body, in hex: names the pieces of this build.
    pub build: String,
    pub papers: u32,
    pub terms: u64,
    /// Per field, the token count summed over the papers (for BM25's average lengths).
    pub field_lengths: [u64; Field::COUNT],
    /// Lists of at most this many papers carry their papers' facet rows (0: none do); the
    /// reader follows it rather than deriving it, so a writer's choice is never misread.
    pub row_max_df: u32,
    /// Lists of at most this many papers carry them inline; longer ones (up to
    /// `row_max_df`) have a rows block ([`super::rows`]). At most `row_max_df`.
    pub row_inline_df: u32,
    /// The facet pieces' bodies deflated, summed: what fetching every facet column costs
    /// from a compressing host, which a query weighs the rows of its words against.
    pub facet_bytes: u64,
    /// The size of the largest piece, frame included: a reader refuses longer bodies.
    pub largest_piece: u64,
    pub pieces: Pieces,
    /// Distinct publication years, ascending (the year facet).
    pub years: Vec<u32>,
    /// Distinct listing names, sorted (the listing facet; columns hold indexes into it).
    pub listings: Vec<String>,
    /// The collection's key phrases, most widespread first.
    #[serde(default)]
    pub topics: Vec<Topic>,
    /// Browsing without a query, precomputed.
    #[serde(default)]
    pub browse: Browse,
}

/// What a browse of the whole collection shows, precomputed so that listing the newest
/// or most upvoted papers needs no columns (at 100,000 papers the sort and facet columns
/// are some 350 kB gzip): the first papers of each order, and the collection's facet
/// counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Browse {
    /// The first [`BROWSE_DEPTH`] papers (or all), newest first (undated last, then by
    /// document order), as `sort:date` orders them.
    pub newest: Vec<u32>,
    /// The same by upvotes, most first, as `sort:upvotes` orders them.
    pub upvoted: Vec<u32>,
    pub facets: crate::facets::Tally,
}

/// How many papers of each order the manifest keeps: ten pages of ten.
pub const BROWSE_DEPTH: usize = 100;

/// No record, slot or framed record is longer than this (a paper's JSON is a few
/// kilobytes; a manifest asking for more is not to be trusted with the reader's memory).
pub const MAX_RECORD_BYTES: u32 = 4 << 20;

/// The fields of a manifest every version has: read first, so that another version is
/// reported as such rather than as a missing field.
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestHead {
    pub format: String,
    pub format_version: u32,
    pub analyzer_version: u32,
}

impl ManifestHead {
    pub fn check(&self) -> Result<(), FormatError> {
        if self.format != "folio-index" {
            return Err(FormatError::corrupt(
                MANIFEST_FILE,
                format!("format is \"{}\", expected \"folio-index\"", self.format),
            ));
        }
        let version = |what, expected, got| {
            if got == expected {
                Ok(())
            } else {
                Err(FormatError::Version {
                    file: MANIFEST_FILE.into(),
                    what,
                    expected,
                    got,
                })
            }
        };
        version("index format", FORMAT_VERSION, self.format_version)?;
        version(
            "analyzer",
            crate::analyze::ANALYZER_VERSION,
            self.analyzer_version,
        )
    }
}

/// How the index is cut into pieces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pieces {
    /// The first term of each term piece, in order (the first is `""`).
    pub terms: Vec<String>,
    /// The first paper id of each id piece, in order (the first is `""`).
    pub ids: Vec<String>,
    pub postings: u32,
    pub title_positions: u32,
    pub abstract_positions: u32,
    /// Rows pieces: the terms' facet rows blocks, in term order.
    pub rows: u32,
    /// Heads pieces: the common families' docs and heads, in term order.
    pub heads: u32,
    /// Column pieces of each kind (facets, sorts), each of `papers_per_column`
    /// consecutive papers (the last fewer).
    pub columns: u32,
    pub papers_per_column: u32,
    /// Record files, each of the slots of `records_per_file` consecutive papers (the
    /// last fewer), `record_slot` bytes a slot.
    pub records: u32,
    pub records_per_file: u32,
    pub record_slot: u32,
    /// The longest record, compressed; and framed, before compression: a reader refuses
    /// longer ones.
    pub record_max: u32,
    pub record_max_framed: u32,
}

impl Manifest {
    /// Checks what a reader relies on: the format and analyzer versions, and that the
    /// piece counts agree with the paper count. Another version is an error naming both.
    pub fn check(&self) -> Result<(), FormatError> {
        let corrupt = |reason: String| FormatError::corrupt(MANIFEST_FILE, reason);
        ManifestHead {
            format: self.format.clone(),
            format_version: self.format_version,
            analyzer_version: self.analyzer_version,
        }
        .check()?;
        self.build_id()?;
        let p = &self.pieces;
        let per = |count: u32, per_piece: u32, what: &str| {
            let needed = if per_piece == 0 {
                None
            } else {
                Some(self.papers.div_ceil(per_piece))
            };
            if needed == Some(count) || (self.papers == 0 && count <= 1) {
                Ok(())
            } else {
                Err(corrupt(format!(
                    "{count} {what} pieces of {per_piece} papers cannot hold {} papers",
                    self.papers
                )))
            }
        };
        per(p.columns, p.papers_per_column, "column")?;
        per(p.records, p.records_per_file, "record")?;
        if self.row_max_df > self.papers
            || self.row_inline_df > self.row_max_df
            || (self.row_max_df > 0 && self.listings.len() > super::rows::MAX_ROW_LISTINGS)
        {
            return Err(corrupt(format!(
                "its lists of up to {} papers would carry rows ({} inline), where it has {} \
                 papers and {} listings (rows hold at most {})",
                self.row_max_df,
                self.row_inline_df,
                self.papers,
                self.listings.len(),
                super::rows::MAX_ROW_LISTINGS
            )));
        }
        if (p.record_slot as usize) <= super::records::SLOT_HEADER
            || p.record_slot > MAX_RECORD_BYTES
            || p.record_max > MAX_RECORD_BYTES
            || p.record_max_framed > MAX_RECORD_BYTES
        {
            return Err(corrupt(format!(
                "its record slots of {} bytes (records up to {} bytes, {} framed) are not \
                 between {} and {MAX_RECORD_BYTES} bytes",
                p.record_slot,
                p.record_max,
                p.record_max_framed,
                super::records::SLOT_HEADER + 1
            )));
        }
        for (what, firsts) in [("term", &p.terms), ("id", &p.ids)] {
            if firsts.first().map(String::as_str) != Some("")
                || firsts.windows(2).any(|w| w[0] >= w[1])
            {
                return Err(corrupt(format!(
                    "the first {what}s of the {what} pieces are not in order from \"\""
                )));
            }
        }
        if self.years.windows(2).any(|w| w[0] >= w[1])
            || self.listings.windows(2).any(|w| w[0] >= w[1])
        {
            return Err(corrupt("the facet tables are not sorted".into()));
        }
        let b = &self.browse;
        let orders = [&b.newest, &b.upvoted];
        if orders
            .iter()
            .any(|order| order.len() > BROWSE_DEPTH || order.iter().any(|&doc| doc >= self.papers))
        {
            return Err(corrupt(format!(
                "its browse orders are longer than {BROWSE_DEPTH} or name papers past its {}",
                self.papers
            )));
        }
        if !b.newest.is_empty() && !b.facets.fits(self.years.len(), self.listings.len()) {
            return Err(corrupt(
                "its browse counts do not fit its years and listings".into(),
            ));
        }
        Ok(())
    }

    /// The build, as a number (a piece's header holds it so).
    pub fn build_id(&self) -> Result<u64, FormatError> {
        u64::from_str_radix(&self.build, 16)
            .ok()
            .filter(|_| self.build.len() == 16)
            .ok_or_else(|| {
                FormatError::corrupt(
                    MANIFEST_FILE,
                    format!("build \"{}\" is not 16 hex digits", self.build),
                )
            })
    }

    /// How many pieces of `kind` the index has.
    pub fn piece_count(&self, kind: PieceKind) -> u32 {
        let p = &self.pieces;
        match kind {
            PieceKind::Terms => p.terms.len() as u32,
            PieceKind::Ids => p.ids.len() as u32,
            PieceKind::Postings => p.postings,
            PieceKind::TitlePositions => p.title_positions,
            PieceKind::AbstractPositions => p.abstract_positions,
            PieceKind::Rows => p.rows,
            PieceKind::Heads => p.heads,
            PieceKind::Facets | PieceKind::Sorts => p.columns,
            PieceKind::Records | PieceKind::Overflow => self.papers,
        }
    }

    /// The file name of a piece; a paper's record is in its record file.
    pub fn file_name(&self, id: PieceId) -> String {
        if id.is_record() {
            let file = id.n / self.pieces.records_per_file.max(1);
            PieceId::new(PieceKind::Records, file).file_name(&self.build)
        } else {
            id.file_name(&self.build)
        }
    }

    /// Where paper `doc`'s slot is in its record file: offset and length.
    pub fn slot_range(&self, doc: u32) -> (u64, u64) {
        let p = &self.pieces;
        let k = u64::from(doc % p.records_per_file.max(1));
        let slot = u64::from(p.record_slot);
        (k * slot, slot)
    }

    /// Parses and checks a manifest from JSON bytes (`format/json.rs`). The versions are
    /// read first, so a manifest of another format says so, whatever its other fields.
    pub fn from_json(bytes: &[u8]) -> Result<Manifest, FormatError> {
        let corrupt = |e: String| FormatError::corrupt(MANIFEST_FILE, e);
        let head: ManifestHead = super::json::parse(bytes).map_err(corrupt)?;
        head.check()?;
        let manifest: Manifest = super::json::parse(bytes).map_err(corrupt)?;
        manifest.check()?;
        Ok(manifest)
    }
}
