//! The index reader: the manifest, and the pieces fetched so far, each checked on arrival.
//!
//! The reader does no I/O. A search ([`Index::search`]) either answers or says which
//! pieces it needs ([`Needs`]); whoever holds the index (the app's fetch, the CLI's file
//! reads, both through [`crate::load::Loader`]) adds them with [`Index::add_piece`] and
//! asks again. Pieces stay for later searches; they are only ever added, so a search
//! borrows what it reads for as long as the index lives.

use std::sync::OnceLock;

use crate::analyze::Analyzer;
use crate::format::columns::{FacetColumns, SortColumns};
use crate::format::ids::IdPiece;
use crate::format::postings::ListLayout;
use crate::format::rows::FacetRow;
use crate::format::terms::{self, TermPiece};
use crate::format::{frame, FormatError, Manifest, PieceId, PieceKind};
use crate::model::{Field, Topic};

mod lists;
pub(crate) use lists::list_key;
pub(crate) mod lookup;
mod records;

pub use lists::ListError;

/// Pieces a search needs before it can answer, in the order they should be fetched.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Needs(pub Vec<PieceId>);

impl Needs {
    pub(crate) fn add(&mut self, id: PieceId) {
        if !self.0.contains(&id) {
            self.0.push(id);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Err(self)` when something is needed, for `?` at a stage's end.
    pub(crate) fn check(&mut self) -> Result<(), Needs> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort_unstable();
            Err(std::mem::take(self))
        }
    }
}

/// An index being read: its manifest, and every piece added so far.
pub struct Index {
    manifest: Manifest,
    build: u64,
    avg_field_length: [f32; Field::COUNT],
    /// What the postings lists share: their length codes and facet rows.
    layout: ListLayout,
    limits: terms::Limits,
    terms: Vec<OnceLock<TermPiece>>,
    facets: Vec<OnceLock<FacetColumns>>,
    sorts: Vec<OnceLock<SortColumns>>,
    postings: Vec<OnceLock<Vec<u8>>>,
    positions: [Vec<OnceLock<Vec<u8>>>; Field::COUNT],
    records: records::Records,
    rows: Vec<OnceLock<Vec<u8>>>,
    heads: Vec<OnceLock<Vec<u8>>>,
    /// Lists and rows blocks decoded by earlier searches.
    decoded: std::sync::Mutex<lists::ListCache<crate::format::postings::Decoded>>,
    decoded_rows: std::sync::Mutex<lists::ListCache<Vec<FacetRow>>>,
    /// Heads decoded by earlier searches, merged with their term's docs into a list.
    decoded_heads: std::sync::Mutex<lists::ListCache<lists::MergedHead>>,
    /// Rows blocks that did not decode, by where they are.
    bad_rows: std::sync::Mutex<rustc_hash::FxHashMap<u64, FormatError>>,
    ids: Vec<OnceLock<IdPiece>>,
    pub(crate) analyzer: Analyzer,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("papers", &self.manifest.papers)
            .field("terms", &self.manifest.terms)
            .field("build", &self.manifest.build)
            .finish()
    }
}

fn slots<T>(count: u32) -> Vec<OnceLock<T>> {
    (0..count).map(|_| OnceLock::new()).collect()
}

impl Index {
    /// An index with no pieces yet, from its checked manifest.
    pub fn new(manifest: Manifest) -> Result<Index, FormatError> {
        manifest.check()?;
        let build = manifest.build_id()?;
        let avg_field_length =
            crate::bm25::average_lengths(manifest.field_lengths, manifest.papers);
        let count = |kind| manifest.piece_count(kind);
        let mut layout = ListLayout::new(
            manifest.field_lengths,
            manifest.papers,
            manifest.years.len(),
            manifest.listings.len(),
        );
        layout.rows = layout
            .rows
            .with_limits(manifest.row_max_df, manifest.row_inline_df);
        Ok(Index {
            build,
            avg_field_length,
            layout,
            limits: terms::Limits {
                papers: manifest.papers,
                pieces: [
                    count(PieceKind::Postings),
                    count(PieceKind::TitlePositions),
                    count(PieceKind::AbstractPositions),
                    count(PieceKind::Rows),
                    count(PieceKind::Heads),
                ],
                row_blocks: (manifest.row_inline_df, manifest.row_max_df),
            },
            terms: slots(count(PieceKind::Terms)),
            facets: slots(count(PieceKind::Facets)),
            sorts: slots(count(PieceKind::Sorts)),
            postings: slots(count(PieceKind::Postings)),
            positions: [
                slots(count(PieceKind::TitlePositions)),
                slots(count(PieceKind::AbstractPositions)),
            ],
            records: records::Records::new(manifest.papers),
            rows: slots(count(PieceKind::Rows)),
            heads: slots(count(PieceKind::Heads)),
            decoded: std::sync::Mutex::new(lists::ListCache::new(lists::LIST_CACHE_BYTES)),
            decoded_rows: std::sync::Mutex::new(lists::ListCache::new(lists::ROWS_CACHE_BYTES)),
            decoded_heads: std::sync::Mutex::new(lists::ListCache::new(lists::HEADS_CACHE_BYTES)),
            bad_rows: Default::default(),
            ids: slots(count(PieceKind::Ids)),
            manifest,
            analyzer: Analyzer::new(),
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The file name of a piece.
    pub fn file_name(&self, id: PieceId) -> String {
        self.manifest.file_name(id)
    }

    /// Has this piece been added?
    pub fn has(&self, id: PieceId) -> bool {
        fn filled<T>(slots: &[OnceLock<T>], n: u32) -> bool {
            slots.get(n as usize).is_some_and(|s| s.get().is_some())
        }
        let n = id.n;
        match id.kind {
            PieceKind::Terms => filled(&self.terms, n),
            PieceKind::Facets => filled(&self.facets, n),
            PieceKind::Sorts => filled(&self.sorts, n),
            PieceKind::Postings => filled(&self.postings, n),
            PieceKind::Rows => filled(&self.rows, n),
            PieceKind::Heads => filled(&self.heads, n),
            PieceKind::TitlePositions => filled(&self.positions[0], n),
            PieceKind::AbstractPositions => filled(&self.positions[1], n),
            PieceKind::Records | PieceKind::Overflow => self.has_record(id),
            PieceKind::Ids => filled(&self.ids, n),
        }
    }

    /// Every piece of the index, in kind order, and every paper's record slot: for loading
    /// an index whole (the CLI's `folio stats`, tests; records too long for their slot
    /// follow, [`crate::load::Loader::load_all`]).
    pub fn all_pieces(&self) -> Vec<PieceId> {
        PieceKind::ALL
            .into_iter()
            .filter(|&kind| kind != PieceKind::Overflow)
            .flat_map(|kind| {
                (0..self.manifest.piece_count(kind)).map(move |n| PieceId::new(kind, n))
            })
            .collect()
    }

    /// Checks a fetched piece (frame, build, hash, then its content) and keeps it. Adding
    /// a piece twice is harmless (the second copy is ignored).
    pub fn add_piece(&self, id: PieceId, bytes: &[u8]) -> Result<(), FormatError> {
        let file = self.file_name(id);
        if id.n >= self.manifest.piece_count(id.kind) {
            return Err(FormatError::Misplaced {
                file,
                reason: format!(
                    "is not a piece of this index: it has {} {} pieces",
                    self.manifest.piece_count(id.kind),
                    id.kind.name()
                ),
            });
        }
        if id.is_record() {
            return self.add_record(id, bytes);
        }
        let body = frame::unframe(&file, bytes, id, self.build)?;
        let corrupt = |reason: String| FormatError::Corrupt {
            file: file.clone(),
            reason,
        };
        let n = id.n as usize;
        match id.kind {
            PieceKind::Terms => {
                let piece = TermPiece::decode(body, self.limits).map_err(corrupt)?;
                let _ = self.terms[n].set(piece);
            }
            PieceKind::Facets => {
                let m = &self.manifest;
                let piece =
                    FacetColumns::decode(body, self.papers_in(id), m.years.len(), m.listings.len())
                        .map_err(corrupt)?;
                let _ = self.facets[n].set(piece);
            }
            PieceKind::Sorts => {
                let piece = SortColumns::decode(body, self.papers_in(id)).map_err(corrupt)?;
                let _ = self.sorts[n].set(piece);
            }
            PieceKind::Postings => {
                let _ = self.postings[n].set(body.to_vec());
            }
            PieceKind::Rows => {
                let _ = self.rows[n].set(body.to_vec());
            }
            PieceKind::Heads => {
                let _ = self.heads[n].set(body.to_vec());
            }
            PieceKind::TitlePositions => {
                let _ = self.positions[0][n].set(body.to_vec());
            }
            PieceKind::AbstractPositions => {
                let _ = self.positions[1][n].set(body.to_vec());
            }
            PieceKind::Records | PieceKind::Overflow => return self.add_record(id, bytes),
            PieceKind::Ids => {
                let piece = IdPiece::decode(body, self.manifest.papers).map_err(corrupt)?;
                let _ = self.ids[n].set(piece);
            }
        }
        Ok(())
    }

    /// How many papers a column piece holds.
    fn papers_in(&self, id: PieceId) -> usize {
        let per = self.manifest.pieces.papers_per_column as usize;
        let start = id.n as usize * per;
        (self.manifest.papers as usize)
            .saturating_sub(start)
            .min(per)
    }

    /// Number of papers.
    pub fn paper_count(&self) -> u32 {
        self.manifest.papers
    }

    /// Number of distinct terms in the dictionary.
    pub fn term_count(&self) -> u64 {
        self.manifest.terms
    }

    /// The collection's topics (key phrases shared by many papers), most widespread first.
    pub fn topics(&self) -> &[Topic] {
        &self.manifest.topics
    }

    pub fn analyzer(&self) -> &Analyzer {
        &self.analyzer
    }

    /// The document number of the paper with this id.
    pub fn doc_of(&self, id: &str) -> Result<Option<u32>, Needs> {
        let firsts = &self.manifest.pieces.ids;
        let n = firsts
            .partition_point(|first| first.as_str() <= id)
            .saturating_sub(1);
        let piece = PieceId::new(PieceKind::Ids, n as u32);
        match self.ids.get(n).and_then(OnceLock::get) {
            // A damaged ordinal was refused when the piece arrived (`IdPiece::decode`).
            Some(ids) => Ok(ids.get(id)),
            None if n < self.ids.len() => Err(Needs(vec![piece])),
            None => Ok(None),
        }
    }

    pub(crate) fn avg_field_length(&self, field: Field) -> f32 {
        self.avg_field_length[field as usize]
    }

    /// The piece of `slots` (a kind of columns) holding `doc`, and `doc`'s place in it.
    fn column_of<'a, T>(&self, slots: &'a [OnceLock<T>], doc: u32) -> Option<(&'a T, usize)> {
        let per = self.manifest.pieces.papers_per_column.max(1);
        let piece = slots.get((doc / per) as usize)?.get()?;
        Some((piece, (doc % per) as usize))
    }

    /// The facet row of `doc` from its facet column piece, if that has been added.
    pub(crate) fn facet_row(&self, doc: u32) -> Option<FacetRow> {
        let (columns, i) = self.column_of(&self.facets, doc)?;
        columns.row(i)
    }

    /// Do postings lists of `doc_freq` papers carry their facet rows inline?
    pub(crate) fn rows_inline(&self, doc_freq: u32) -> bool {
        self.layout.rows.inline(doc_freq)
    }

    /// Have all the facet columns been added?
    pub(crate) fn has_all_facets(&self) -> bool {
        self.facets.iter().all(|s| s.get().is_some())
    }

    pub(crate) fn sorts_of(&self, doc: u32) -> Option<(&SortColumns, usize)> {
        self.column_of(&self.sorts, doc)
    }

    /// Every column piece of `kind` (facets or sorts) not added yet.
    pub(crate) fn missing_columns(&self, kind: PieceKind, needs: &mut Needs) {
        for n in 0..self.manifest.piece_count(kind) {
            let id = PieceId::new(kind, n);
            if !self.has(id) {
                needs.add(id);
            }
        }
    }
}
