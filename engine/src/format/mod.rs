//! The index format (version 8: the sharded format 3, with the field lengths in the
//! postings, the facet rows beside them and heads for common words), defined once for the writer ([`crate::build`]) and the
//! reader ([`crate::Index`]): an index is a directory of small pieces behind one entry
//! point, so that a browser fetches only the pieces a query needs.
//!
//! ```text
//! manifest.json                      versions, global statistics, piece boundaries
//! terms-<n>.<build>.bin              term dictionary, by term range: fst + term infos
//! postings-<n>.<build>.bin           postings lists, in term order, cut by size
//! title-positions-<n>.<build>.bin    title positions, in term order, cut by size
//! abstract-positions-<n>.<build>.bin abstract positions, in term order, cut by size
//! rows-<n>.<build>.bin               facet rows of the terms' papers, in term order
//! heads-<n>.<build>.bin              common words' papers and best postings, in term order
//! facets-<n>.<build>.bin             per-paper columns: year, links, authors, listings
//! sorts-<n>.<build>.bin              per-paper columns: date, upvotes
//! records-<n>.<build>.bin            paper records (JSON), one fixed-size slot a paper
//! ids-<n>.<build>.bin                paper id → document ordinal (fst), by id range
//! ```
//!
//! The design follows the anchors: Pagefind's entry file, word-range index chunks and
//! result fragments; tantivy's term info (`doc_freq`, postings range, positions range, so
//! planning needs no postings); Lucene's separate positions and per-paper columns (norms,
//! doc values).
//!
//! - **The manifest** ([`manifest::Manifest`]) is small and the only file not cached
//!   forever. It holds the versions, the paper count and summed field lengths (BM25 needs
//!   nothing else global), the first term of every term piece and the first id of every id
//!   piece (so a reader knows which piece holds a word without fetching any), how many
//!   pieces of each kind there are and how many papers a column or paper piece holds, the
//!   facet tables (years, listing names) and the collection's topics.
//! - **Every piece** is framed ([`frame`]): a 32-byte header naming the format version, the
//!   piece's kind and number, the build and the body's length and hash. Piece names carry
//!   the build (a hash over every body), so a host may cache them forever and a reader
//!   tells a truncated, damaged, misplaced or stale piece from a good one, in words.
//! - **Term pieces** ([`terms`]) hold an fst from term to its ordinal in the piece, which
//!   indexes its term info: document frequency, and the lengths of its postings, its
//!   positions in each field, its rows and its heads (each span starts where the term
//!   before it ended). Prefix, stem and typo expansion rank candidates by document
//!   frequency from the term pieces alone.
//! - **Postings** ([`postings`]): per term the papers holding it, with term frequencies
//!   per field, Rice-coded gaps (the list layout of format 2), and the length of each
//!   field the term is in (BM25's norms), so a query reads the lengths of its candidates
//!   only.
//! - **Rows** ([`rows`]): per term (in at most half the papers) its papers' facet values,
//!   apart from the postings, so that a query fetches the rows of the one group of its
//!   words that costs the fewest bytes (every paper it finds is there), or the columns.
//! - **Heads** (`heads.rs`): per term of a word family in many papers, which papers hold
//!   it and its postings in the family's best papers, with a bound on the others' scores,
//!   so that a query of one common word reads a third of its lists and still finds exactly
//!   what the lists would (or, when the bound does not settle it, reads them).
//! - **Positions** ([`positions`]) live apart, one stream per field, so a query can check
//!   title adjacency without fetching abstract positions; each block has skip points
//!   every [`positions::SKIP`] postings, so checking a few papers of a common word decodes
//!   a few of its positions, not all.
//! - **Columns** ([`columns`]), in two kinds over the same paper ranges: facets (year,
//!   link flags, author count, listings: counts and filters) and sorts (date, upvotes),
//!   each fetched only by the queries that read it.
//! - **Records** ([`records`]): each paper's record, compressed on its own in a slot at a
//!   place the manifest gives, fetched by one range request only for the results on
//!   screen and the paper opened.
//! - **Id pieces** ([`ids`]): for opening a paper from its id (in a link, a similar list).
//!
//! A small collection fits in one piece of each kind; the same reader serves both.

pub mod columns;
pub mod frame;
pub(crate) mod heads;
pub mod ids;
mod json;
pub(crate) mod lengths;
pub mod manifest;
pub mod positions;
pub mod postings;
pub mod records;
pub mod rows;
pub mod terms;

pub use crate::fst_check::checksum as fst_checksum;
pub use manifest::Manifest;

/// Written into every manifest and piece header; a reader refuses any other.
pub const FORMAT_VERSION: u32 = 8;

/// Name of the entry-point file of an index directory.
pub const MANIFEST_FILE: &str = "manifest.json";

/// The kinds of pieces, in the order a query needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PieceKind {
    Terms = 1,
    // 2 was the norms column of format 3, now kept in the postings.
    Postings = 3,
    TitlePositions = 4,
    AbstractPositions = 5,
    // 6 was the paper pieces of formats 3 and 4, now one record a slot.
    Ids = 7,
    Facets = 8,
    Sorts = 9,
    /// The record of paper `n`, in its slot of a record file (a range of the file).
    Records = 10,
    /// The record of paper `n`, when too long for its slot: after the slots of its file.
    Overflow = 11,
    /// Facet rows blocks, by term range.
    Rows = 12,
    /// The docs and head postings of the common families' terms, by term range.
    Heads = 13,
}

impl PieceKind {
    pub const ALL: [PieceKind; 11] = [
        PieceKind::Terms,
        PieceKind::Facets,
        PieceKind::Sorts,
        PieceKind::Postings,
        PieceKind::Heads,
        PieceKind::Rows,
        PieceKind::TitlePositions,
        PieceKind::AbstractPositions,
        PieceKind::Records,
        PieceKind::Overflow,
        PieceKind::Ids,
    ];

    /// The kind's name in file names and messages.
    pub fn name(self) -> &'static str {
        match self {
            PieceKind::Terms => "terms",
            PieceKind::Facets => "facets",
            PieceKind::Sorts => "sorts",
            PieceKind::Postings => "postings",
            PieceKind::Rows => "rows",
            PieceKind::Heads => "heads",
            PieceKind::TitlePositions => "title-positions",
            PieceKind::AbstractPositions => "abstract-positions",
            PieceKind::Records | PieceKind::Overflow => "records",
            PieceKind::Ids => "ids",
        }
    }

    pub(crate) fn from_code(code: u8) -> Option<PieceKind> {
        PieceKind::ALL.into_iter().find(|k| *k as u8 == code)
    }

    /// The positions stream of a field.
    pub(crate) fn positions(field: crate::Field) -> PieceKind {
        match field {
            crate::Field::Title => PieceKind::TitlePositions,
            crate::Field::Abstract => PieceKind::AbstractPositions,
        }
    }
}

/// One piece of an index: its kind and its number among the pieces of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PieceId {
    pub kind: PieceKind,
    pub n: u32,
}

impl PieceId {
    pub fn new(kind: PieceKind, n: u32) -> Self {
        PieceId { kind, n }
    }

    /// The piece's file name in a build: `<kind>-<n>.<build>.bin` (a record's is its
    /// record file's, which the manifest names: [`Manifest::file_name`]).
    pub fn file_name(self, build: &str) -> String {
        format!("{}-{}.{build}.bin", self.kind.name(), self.n)
    }

    /// Is this a paper's record, read as a range of a record file?
    pub fn is_record(self) -> bool {
        matches!(self.kind, PieceKind::Records | PieceKind::Overflow)
    }
}

/// Why an index or one of its pieces could not be read. Every variant says what to do in
/// its message, and names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// Another format or analyzer version than this reader's.
    Version {
        file: String,
        what: &'static str,
        expected: u32,
        got: u32,
    },
    /// Shorter or longer than its header or the manifest says.
    Truncated {
        file: String,
        expected: u64,
        got: u64,
    },
    /// The content does not match its hash.
    HashMismatch { file: String },
    /// A piece of another build, or another piece than the one asked for.
    Misplaced { file: String, reason: String },
    /// The content does not decode.
    Corrupt { file: String, reason: String },
}

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FormatError::Version {
                file,
                what,
                expected,
                got,
            } => write!(
                f,
                "{file} was built with {what} version {got}, but this reader needs version \
                 {expected}; rebuild the index with a matching `folio index`"
            ),
            FormatError::Truncated {
                file,
                expected,
                got,
            } => write!(
                f,
                "{file} is {got} bytes but should be {expected}: the file is truncated or \
                 from another build; re-upload the whole index directory"
            ),
            FormatError::HashMismatch { file } => write!(
                f,
                "{file} does not match its content hash: the file is damaged; re-upload the \
                 whole index directory"
            ),
            FormatError::Misplaced { file, reason } => write!(
                f,
                "{file} {reason}: the index directory mixes files of different builds; \
                 re-upload the whole index directory"
            ),
            FormatError::Corrupt { file, reason } => {
                write!(f, "{file} is not a valid Folio index file: {reason}")
            }
        }
    }
}

impl std::error::Error for FormatError {}

impl FormatError {
    pub(crate) fn corrupt(file: &str, reason: impl Into<String>) -> FormatError {
        FormatError::Corrupt {
            file: file.to_string(),
            reason: reason.into(),
        }
    }
}

/// FNV-1a, 64 bits, of `data`, as 16 hex digits: the hash pieces and builds are named by,
/// and a stable short name for any content (the indexer derives paper ids from titles
/// with it).
pub fn content_hash(data: &[u8]) -> String {
    format!("{:016x}", crate::codec::fnv64(data))
}
