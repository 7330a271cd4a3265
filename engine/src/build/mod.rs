//! Builds the index files from papers. The writer half of [`crate::format`]: this file
//! collects and analyzes papers, `pieces.rs` cuts the encoded index into pieces.

use rustc_hash::FxHashMap as HashMap;

use crate::analyze::Analyzer;
use crate::codec::write_varint;
use crate::format::positions::PositionsEncoder;
use crate::format::postings::{ListLayout, PostingsEncoder};
use crate::format::rows::FacetRow;
use crate::format::Manifest;
use crate::model::{Field, Paper, Topic};

mod biwords;
mod heads;
mod pieces;
mod records;

pub use pieces::{EncodedList, PieceSizes};

/// Where a term occurs in one document: its positions in each field (token ordinals).
pub type Positions = [Vec<u32>; Field::COUNT];

/// Collects papers and writes them out as index files.
///
/// ```
/// use folio_engine::{IndexBuilder, Paper};
/// let mut builder = IndexBuilder::new();
/// builder.add(Paper { id: "p1".into(), title: "Minecraft agents".into(),
///                     abstract_text: "Agents that play Minecraft.".into(), ..Paper::default() });
/// let built = builder.build();
/// assert_eq!(built.manifest.papers, 1);
/// // One piece of each kind (terms; facets and sorts columns; postings; positions of
/// // each field; records; ids; no rows, as a short list carries its own), and the manifest.
/// assert_eq!(built.files.len(), 9);
/// ```
#[derive(Debug, Default)]
pub struct IndexBuilder {
    analyzer: Analyzer,
    papers: Vec<Paper>,
    field_lengths: Vec<[u32; Field::COUNT]>,
    /// Postings are kept as compact scratch bytes as papers arrive, and encoded in the
    /// final format by [`IndexBuilder::build`], once each term's document count is known.
    terms: HashMap<String, ScratchList>,
    topics: Vec<Topic>,
    /// Pairs of words whose stems have a term in more than this many papers are indexed
    /// as biwords (see `biwords.rs`); `None`: [`biwords::default_min_df`].
    biword_min_df: Option<u32>,
}

/// The files of a built index, ready to be written into a directory.
#[derive(Debug)]
pub struct BuiltIndex {
    pub manifest: Manifest,
    /// `(file name, content)`, the manifest last.
    pub files: Vec<(String, Vec<u8>)>,
}

impl IndexBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a paper, analyzing its fields right away. Papers get document ordinals in the
    /// order they are added.
    pub fn add(&mut self, paper: Paper) {
        let analyzed = AnalyzedPaper::new(&self.analyzer, &paper);
        self.add_analyzed(paper, analyzed);
    }

    /// Adds a paper analyzed beforehand (perhaps on another thread) with
    /// [`AnalyzedPaper::new`].
    pub fn add_analyzed(&mut self, paper: Paper, analyzed: AnalyzedPaper) {
        let doc = self.papers.len() as u32;
        for (term, positions) in analyzed.terms {
            match self.terms.get_mut(term.as_str()) {
                Some(list) => list.push(doc, &positions),
                None => {
                    let mut list = ScratchList::default();
                    list.push(doc, &positions);
                    self.terms.insert(term, list);
                }
            }
        }
        self.field_lengths.push(analyzed.lengths);
        self.papers.push(paper);
    }

    /// Sets the collection's topics (key phrases), stored with the papers.
    pub fn set_topics(&mut self, topics: Vec<Topic>) {
        self.topics = topics;
    }

    /// Indexes the pairs of adjacent words whose stems each have a term in more than
    /// `min_df` papers as biwords (`u32::MAX`: none), instead of the default threshold of
    /// an eighth of the papers. Phrases find the same papers with the same scores either
    /// way; biwords make the phrases of common words cheap to fetch.
    pub fn set_biword_min_df(&mut self, min_df: u32) {
        self.biword_min_df = Some(min_df);
    }

    pub fn len(&self) -> usize {
        self.papers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }

    /// Encodes the index in pieces of the default sizes ([`PieceSizes::default`]).
    /// Deterministic: the same papers in the same order give byte-identical files.
    pub fn build(self) -> BuiltIndex {
        self.build_with(&PieceSizes::default())
    }

    /// Encodes the index in pieces of about `sizes`.
    pub fn build_with(self, sizes: &PieceSizes) -> BuiltIndex {
        let paper_count = self.papers.len() as u32;
        let mut terms: Vec<(String, ScratchList)> = self.terms.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let min_df = self
            .biword_min_df
            .unwrap_or_else(|| biwords::default_min_df(paper_count));
        let mut pairs = biwords::biwords(&terms, &self.analyzer, min_df);
        if !pairs.is_empty() {
            // Biword keys sort before every word.
            pairs.extend(terms);
            terms = pairs;
        }
        let mut tables = pieces::Tables::of(&self.papers);
        let sums = field_sums(&self.field_lengths);
        let mut layout =
            ListLayout::new(sums, paper_count, tables.years.len(), tables.listings.len());
        layout.rows = layout
            .rows
            .with_limits(layout.rows.max_df(), sizes.rows_inline_df);
        let rows: Vec<FacetRow> = self
            .papers
            .iter()
            .map(|p| FacetRow::of(p, &tables.years, &tables.listings))
            .collect();
        tables.set_browse(&self.papers, &rows);
        tables.row_max_df = layout.rows.max_df();
        tables.row_inline_df = layout.rows.inline_df();
        let docs = PaperData {
            lengths: &self.field_lengths,
            rows: &rows,
        };
        let head_sizes = heads::HeadSizes {
            docs: sizes.head_docs,
            min_df: sizes.head_min_df,
        };
        let mut heads = heads::heads(&terms, &self.analyzer, &docs, layout, head_sizes, sums);
        let lists = terms.iter().enumerate().map(|(i, (term, list))| {
            let mut encoded = list.encode(paper_count, layout, &docs);
            if let Some((head, bound)) = heads.remove(&i) {
                encoded.head = head;
                encoded.tail_bound = bound;
            }
            (term.as_str(), encoded)
        });
        pieces::write(
            lists,
            terms.len() as u64,
            self.papers,
            tables,
            sums,
            self.topics,
            sizes,
        )
    }
}

/// What the postings carry of each paper, by document ordinal.
struct PaperData<'a> {
    lengths: &'a [[u32; Field::COUNT]],
    rows: &'a [FacetRow],
}

/// The summed token count of each field over the papers.
pub(crate) fn field_sums(lengths: &[[u32; Field::COUNT]]) -> [u64; Field::COUNT] {
    let mut sums = [0u64; Field::COUNT];
    for paper in lengths {
        for (sum, &len) in sums.iter_mut().zip(paper) {
            *sum += u64::from(len);
        }
    }
    sums
}

/// A paper's terms, each with its positions per field, and the token count of each field.
#[derive(Debug, Clone, Default)]
pub struct AnalyzedPaper {
    terms: Vec<(String, Positions)>,
    lengths: [u32; Field::COUNT],
}

impl AnalyzedPaper {
    pub fn new(analyzer: &Analyzer, paper: &Paper) -> Self {
        let mut by_term: HashMap<String, Positions> = HashMap::default();
        let mut lengths = [0u32; Field::COUNT];
        for field in Field::ALL {
            let mut count = 0;
            // Joined compounds ("gpt4" for "GPT-4") share their first part's position.
            analyzer.each_token_with_compounds(
                field.text(paper),
                |term, _, _, position, compound| {
                    count += u32::from(!compound);
                    match by_term.get_mut(term) {
                        Some(positions) => positions[field as usize].push(position),
                        None => {
                            let mut positions = Positions::default();
                            positions[field as usize].push(position);
                            by_term.insert(term.to_string(), positions);
                        }
                    }
                },
            );
            lengths[field as usize] = count;
        }
        // A compound comes after its last part: put each list back in order (a compound
        // equal to a real token at the same place counts once).
        for positions in by_term.values_mut() {
            for field in positions.iter_mut() {
                if field.windows(2).any(|w| w[0] >= w[1]) {
                    field.sort_unstable();
                    field.dedup();
                }
            }
        }
        AnalyzedPaper {
            terms: by_term.into_iter().collect(),
            lengths,
        }
    }
}

/// One term's documents and positions while papers are being added: varints of the
/// document ordinal, then per field the count and the positions.
#[derive(Debug, Clone, Default)]
struct ScratchList {
    bytes: Vec<u8>,
    count: u32,
}

impl ScratchList {
    fn push(&mut self, doc: u32, positions: &Positions) {
        self.count += 1;
        write_varint(&mut self.bytes, u64::from(doc));
        for field in positions {
            write_varint(&mut self.bytes, field.len() as u64);
            for &p in field {
                write_varint(&mut self.bytes, u64::from(p));
            }
        }
    }

    /// Encodes the list in the index format: its postings (with the papers' field
    /// lengths, and the papers' facet rows in a short list), its positions block in each
    /// field and, for a longer list of at most half the papers, its rows block.
    fn encode(&self, doc_limit: u32, layout: ListLayout, docs: &PaperData) -> EncodedList {
        let mut postings = PostingsEncoder::new(self.count, doc_limit, layout);
        let mut positions = Field::ALL.map(PositionsEncoder::new);
        let in_block = layout.rows.in_block(self.count);
        let mut rows: Vec<FacetRow> = Vec::new();
        self.each(|doc, fields| {
            let len = docs.lengths.get(doc as usize).copied().unwrap_or_default();
            let row = docs.rows.get(doc as usize).copied().unwrap_or_default();
            postings.push(doc, fields.each_ref().map(|f| f.len() as u32), len, &row);
            if in_block {
                rows.push(row);
            }
            for (encoder, field) in positions.iter_mut().zip(fields) {
                encoder.push(field);
            }
        });
        EncodedList {
            doc_freq: self.count,
            postings: postings.finish(),
            positions: positions.map(PositionsEncoder::finish),
            rows: if in_block {
                layout.rows.encode_block(&rows)
            } else {
                Vec::new()
            },
            ..EncodedList::default()
        }
    }
}
