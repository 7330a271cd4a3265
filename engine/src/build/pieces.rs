//! Cuts an encoded index into pieces, frames them and writes the manifest.

use super::BuiltIndex;
use crate::analyze::ANALYZER_VERSION;
use crate::codec::fnv64;
use crate::facets::Tally;
use crate::format::manifest::{Browse, Pieces, BROWSE_DEPTH};
use crate::format::rows::FacetRow;
use crate::format::terms::{Span, TermInfo};
use crate::format::{
    columns, frame, ids, terms, Manifest, PieceId, PieceKind, FORMAT_VERSION, MANIFEST_FILE,
};
use crate::model::{year_of, Field, Paper, Topic};

/// About how large the pieces of each kind are. A list or block larger than its kind's
/// size gets a piece of its own; everything else is packed in term order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PieceSizes {
    /// Bytes of dictionary and term infos per term piece.
    pub terms: usize,
    /// Bytes of postings per postings piece.
    pub postings: usize,
    /// Bytes of positions per positions piece, in each field.
    pub positions: usize,
    /// Bytes of facet rows blocks per rows piece: small, as a query reads the rows of a
    /// few terms and a block larger than this is a piece of its own.
    pub rows: usize,
    /// Lists of at most this many papers carry their facet rows inline rather than in a
    /// rows block: a short list's rows cost little, where a rows piece would cost a
    /// request and the bytes of its neighbours (a typo query reads some thirty short
    /// lists).
    pub rows_inline_df: u32,
    /// Bytes of heads per heads piece.
    pub heads: usize,
    /// Papers in a common family's head (`format/heads.rs`; 0: no heads): the
    /// papers a query of common words scores exactly, bounding the others.
    pub head_docs: u32,
    /// A word family in at least this many papers has a head.
    pub head_min_df: u32,
    /// Bytes of record slots per record file (one slot at least).
    pub records: usize,
    /// Bytes per record slot; 0 lets the build choose (`format::records::slot_size`).
    pub record_slot: u32,
    /// At most this many files in the index, the manifest included (a static host's
    /// limit): the record files take what the other pieces leave, holding more papers
    /// each past it.
    pub max_files: u32,
    /// Papers per column piece.
    pub papers_per_column: u32,
    /// Ids per id piece.
    pub ids: usize,
}

impl Default for PieceSizes {
    /// Pieces of some 4–16 KB: what a query fetches beside the lists it needs stays small
    /// (measured at 100,000 papers, `folio search --pieces`, 2026-12-02: term pieces of
    /// 4 KB and postings of 16 instead of 16 and 32 took a one-word query from 63.5 to 41.4
    /// kB and a typo from 190 to 162, for a manifest 1.6 kB larger), and the index stays
    /// under 5,000 files at 100,000 papers.
    fn default() -> Self {
        PieceSizes {
            terms: 4 << 10,
            postings: 16 << 10,
            positions: 16 << 10,
            rows: 4 << 10,
            // Some 7 kB of rows at most (measured at 100,000 synthetic papers, `folio
            // search --pieces`, 2026-12-03: 4,096 rather than 1,024 took a rare word from
            // 43.9 to 38.0 kB gzip and a phrase from 57.8 to 55.1, and three common
            // words from 439 to 447; 16,384 took those to 459).
            rows_inline_df: 4096,
            heads: 16 << 10,
            head_docs: 4096,
            head_min_df: 16_384,
            records: 512 << 10,
            record_slot: 0,
            max_files: 10_000,
            papers_per_column: 16_384,
            // 1,024 ids: some 5 kB gzip, what opening a paper from a link costs beside its
            // record (4,096 took 21 kB at 100,000 papers).
            ids: 1_024,
        }
    }
}

impl PieceSizes {
    /// The smallest pieces: every term, list and paper in a piece of its own, or nearly.
    /// For tests that the reader gives the same answers however an index is cut.
    pub fn tiny() -> Self {
        PieceSizes {
            terms: 1,
            postings: 1,
            positions: 1,
            rows: 1,
            // Every list's rows in a block, read from pieces of their own.
            rows_inline_df: 0,
            heads: 1,
            // Heads of a few papers, for every family in a handful: most queries of a
            // test collection read heads, and some need the lists after them.
            head_docs: 3,
            head_min_df: 6,
            records: 1,
            // Shorter than any record: every record is read from after the slots.
            record_slot: 16,
            max_files: u32::MAX,
            papers_per_column: 2,
            ids: 1,
        }
    }
}

/// One term's encoded postings list, positions blocks and rows block.
#[derive(Debug, Clone, Default)]
pub struct EncodedList {
    pub(crate) doc_freq: u32,
    pub(crate) postings: Vec<u8>,
    pub(crate) positions: [Vec<u8>; Field::COUNT],
    /// Empty for a short list (its rows are inline) or one of too many papers to have
    /// rows.
    pub(crate) rows: Vec<u8>,
    /// Its head span, for a term of a common family (else empty), and the family's tail
    /// bound.
    pub(crate) head: Vec<u8>,
    pub(crate) tail_bound: u32,
}

/// Pieces of one kind being filled in order.
struct Packer {
    target: usize,
    pieces: Vec<Vec<u8>>,
}

impl Packer {
    fn new(target: usize) -> Self {
        Packer {
            target: target.max(1),
            pieces: vec![Vec::new()],
        }
    }

    /// Appends `data`, starting a new piece first when it would overflow the current one.
    fn push(&mut self, data: &[u8]) -> Span {
        if data.is_empty() {
            return Span::default();
        }
        let current = self.pieces.last().map_or(0, Vec::len);
        if current > 0 && current + data.len() > self.target {
            self.pieces.push(Vec::new());
        }
        let piece = self.pieces.len() - 1;
        let bytes = &mut self.pieces[piece];
        let span = Span {
            piece: piece as u32,
            offset: bytes.len() as u32,
            len: data.len() as u32,
        };
        bytes.extend_from_slice(data);
        span
    }
}

/// The manifest's facet tables (the years and listing names of the papers, sorted) and
/// its browse.
pub(super) struct Tables {
    pub(super) years: Vec<u32>,
    pub(super) listings: Vec<String>,
    pub(super) browse: Browse,
    /// Lists of at most this many papers carry facet rows.
    pub(super) row_max_df: u32,
    /// Lists of at most this many papers carry them inline.
    pub(super) row_inline_df: u32,
}

impl Tables {
    /// The tables of `papers`, with an empty browse ([`Tables::set_browse`]).
    pub(super) fn of(papers: &[Paper]) -> Tables {
        let mut years: Vec<u32> = papers.iter().filter_map(year_of).collect();
        years.sort_unstable();
        years.dedup();
        let mut listings: Vec<String> = papers.iter().flat_map(|p| p.listings.clone()).collect();
        listings.sort_unstable();
        listings.dedup();
        Tables {
            years,
            listings,
            browse: Browse::default(),
            row_max_df: 0,
            row_inline_df: 0,
        }
    }

    /// The browse of `papers`, whose facet rows are `rows`: the first papers in the orders
    /// `sort:date` and `sort:upvotes` give (`crate::search::filter::sort_hits`: the key
    /// descending, then document order), and the facet counts of them all.
    pub(super) fn set_browse(&mut self, papers: &[Paper], rows: &[FacetRow]) {
        let mut facets = Tally::new(self.years.len(), self.listings.len());
        for row in rows {
            facets.add(row);
        }
        fn first<'p, K: Ord>(papers: &'p [Paper], key: impl Fn(&'p Paper) -> K) -> Vec<u32> {
            let mut docs: Vec<u32> = (0..papers.len() as u32).collect();
            // Stable: equal keys stay in document order.
            docs.sort_by(|&a, &b| key(&papers[b as usize]).cmp(&key(&papers[a as usize])));
            docs.truncate(BROWSE_DEPTH);
            docs
        }
        self.browse = Browse {
            newest: first(papers, |p| {
                p.published.as_deref().filter(|d| !d.starts_with('-'))
            }),
            upvoted: first(papers, |p| p.upvotes),
            facets,
        };
    }
}

/// Writes the pieces and the manifest of an index.
pub(super) fn write<'t>(
    lists: impl Iterator<Item = (&'t str, EncodedList)>,
    term_count: u64,
    papers: Vec<Paper>,
    tables: Tables,
    field_sums: [u64; Field::COUNT],
    topics: Vec<Topic>,
    sizes: &PieceSizes,
) -> BuiltIndex {
    let Tables {
        years,
        listings,
        browse,
        row_max_df,
        row_inline_df,
    } = tables;
    let paper_count = papers.len() as u32;
    let mut postings = Packer::new(sizes.postings);
    let mut positions = [Packer::new(sizes.positions), Packer::new(sizes.positions)];
    let mut rows = Packer::new(sizes.rows);
    let mut heads = Packer::new(sizes.heads);
    let mut term_pieces: Vec<Vec<(&str, TermInfo)>> = vec![Vec::new()];
    let mut term_bytes = 0;
    for (term, list) in lists {
        let info = TermInfo {
            doc_freq: list.doc_freq,
            postings: postings.push(&list.postings),
            positions: [0, 1].map(|f| positions[f].push(&list.positions[f])),
            rows: rows.push(&list.rows),
            head: heads.push(&list.head),
            tail_bound: list.tail_bound,
        };
        // About what the term adds to its piece: its share of the fst (keys share
        // prefixes) and its info (measured: 10.4 bytes a term at 100,000 papers).
        let bytes = term.len() / 2 + 6;
        if term_bytes > 0 && term_bytes + bytes > sizes.terms.max(1) {
            term_pieces.push(Vec::new());
            term_bytes = 0;
        }
        term_bytes += bytes;
        term_pieces
            .last_mut()
            .expect("one piece at least")
            .push((term, info));
    }

    let per_column = sizes.papers_per_column.max(1) as usize;
    let column_ranges = || papers.chunks(per_column);
    let facets: Vec<Vec<u8>> = column_ranges()
        .map(|papers| columns::encode_facets(papers, &years, &listings))
        .collect();
    // What the facet columns cost a reader, compressed as a host sends them: a query weighs
    // the rows of its words against it (`crate::search::plan`).
    let facet_bytes = facets
        .iter()
        .map(|body| crate::format::records::compress(body).len() as u64)
        .sum();
    let sorts = column_ranges().map(columns::encode_sorts).collect();

    let mut by_id: Vec<(&str, u32)> = (0u32..)
        .zip(&papers)
        .map(|(d, p)| (p.id.as_str(), d))
        .collect();
    by_id.sort_unstable();
    by_id.dedup_by(|a, b| a.0 == b.0);
    let id_chunks: Vec<&[(&str, u32)]> = if by_id.is_empty() {
        vec![&[]]
    } else {
        by_id.chunks(sizes.ids.max(1)).collect()
    };

    let mut bodies: Vec<(PieceId, Vec<u8>)> = Vec::new();
    let mut add = |kind: PieceKind, pieces: Vec<Vec<u8>>| {
        for (n, body) in (0u32..).zip(pieces) {
            bodies.push((PieceId::new(kind, n), body));
        }
    };
    // What the term infos may hold: only the piece counts' upper bounds matter to the
    // writer, which places every span itself.
    let term_limits = terms::Limits {
        papers: paper_count,
        pieces: [u32::MAX; 5],
        row_blocks: (row_inline_df, row_max_df),
    };
    let first_terms = first_keys(
        term_pieces
            .iter()
            .map(|p| p.first().map(|(t, _)| t.to_string())),
    );
    add(
        PieceKind::Terms,
        term_pieces
            .iter()
            .map(|p| terms::encode_piece(p, &term_limits))
            .collect(),
    );
    add(PieceKind::Facets, facets);
    add(PieceKind::Sorts, sorts);
    add(PieceKind::Postings, postings.pieces);
    // Rows pieces only when some list has a rows block (a small collection's are all
    // inline): no empty file to fetch or cache.
    let rows_pieces = rows.pieces.into_iter().filter(|p| !p.is_empty()).collect();
    add(PieceKind::Rows, rows_pieces);
    // Likewise heads pieces, only when some family has a head.
    let heads_pieces = heads.pieces.into_iter().filter(|p| !p.is_empty()).collect();
    add(PieceKind::Heads, heads_pieces);
    let [title, abstract_] = positions;
    add(PieceKind::TitlePositions, title.pieces);
    add(PieceKind::AbstractPositions, abstract_.pieces);
    let first_ids = first_keys(
        id_chunks
            .iter()
            .map(|c| c.first().map(|(id, _)| id.to_string())),
    );
    add(
        PieceKind::Ids,
        id_chunks.iter().map(|c| ids::encode_piece(c)).collect(),
    );

    // The build: a hash over every body's hash, in piece order, then every record's.
    let hashes: Vec<u8> = bodies
        .iter()
        .map(|(_, body)| frame::body_hash(body))
        .chain(
            papers
                .iter()
                .map(|p| frame::body_hash(&super::records::json(p))),
        )
        .flat_map(u64::to_le_bytes)
        .collect();
    let build = fnv64(&hashes);
    let build_hex = format!("{build:016x}");
    let count = |kind| bodies.iter().filter(|(id, _)| id.kind == kind).count() as u32;
    let mut files: Vec<(String, Vec<u8>)> = bodies
        .iter()
        .map(|(id, body)| (id.file_name(&build_hex), frame::frame(*id, build, body)))
        .collect();
    // The other pieces (and the manifest) first: the record files take what is left.
    let left = sizes.max_files.saturating_sub(files.len() as u32 + 1);
    let record_files = super::records::write(&papers, build, sizes, left);
    let record_count = record_files.files.len() as u32;
    files.extend((0u32..).zip(record_files.files).map(|(n, file)| {
        (
            PieceId::new(PieceKind::Records, n).file_name(&build_hex),
            file,
        )
    }));
    let manifest = Manifest {
        format: "folio-index".into(),
        format_version: FORMAT_VERSION,
        analyzer_version: ANALYZER_VERSION,
        build: build_hex,
        papers: paper_count,
        terms: term_count,
        field_lengths: field_sums,
        row_max_df,
        row_inline_df,
        facet_bytes,
        largest_piece: files.iter().map(|(_, f)| f.len() as u64).max().unwrap_or(0),
        pieces: Pieces {
            terms: first_terms,
            ids: first_ids,
            postings: count(PieceKind::Postings),
            title_positions: count(PieceKind::TitlePositions),
            abstract_positions: count(PieceKind::AbstractPositions),
            rows: count(PieceKind::Rows),
            heads: count(PieceKind::Heads),
            columns: count(PieceKind::Facets),
            papers_per_column: per_column as u32,
            records: record_count,
            records_per_file: record_files.per_file,
            record_slot: record_files.slot,
            record_max: record_files.max,
            record_max_framed: record_files.max_framed,
        },
        years,
        listings,
        topics,
        browse,
    };
    let mut manifest_json =
        serde_json::to_vec_pretty(&manifest).expect("manifest serializes to JSON");
    manifest_json.push(b'\n');
    files.push((MANIFEST_FILE.to_string(), manifest_json));
    BuiltIndex { manifest, files }
}

/// The manifest's piece boundaries: the first key of each piece, `""` for the first (so
/// every key falls in some piece).
fn first_keys(firsts: impl Iterator<Item = Option<String>>) -> Vec<String> {
    firsts
        .enumerate()
        .map(|(i, first)| {
            if i == 0 {
                String::new()
            } else {
                first.unwrap_or_default()
            }
        })
        .collect()
}
