//! Query evaluation and ranking.
//!
//! A [`Query`] (see [`crate::query`]) is evaluated against the index:
//!
//! - each query word expands to dictionary terms: itself (exact), the other words with its
//!   English stem ("agents" finds "agent"), for the word being typed every term it starts
//!   (prefix), and, for words of 5 characters or more, the terms within 1 or 2 edits
//!   (typos). Each kind of match weighs less than the one before;
//! - a paper's score is BM25F over title and abstract (the title weighted 3 to 1), summed
//!   over the query's groups; a group of `OR` alternatives sums the alternatives that match;
//! - quoted phrases, and words the analyzer splits in parts ("GPT-4", "Llama-3.1-8B"), match
//!   only where their words (or other forms of them) are adjacent, in order, in one field,
//!   and score as one term: their occurrences in each field, the idf of the papers holding
//!   them so (`phrase.rs`; a pair of common words is read from its biword);
//!   prefixes and typos do not apply inside quotes;
//! - every group must match. When no paper matches all of them, the papers matching the
//!   most groups come back instead, flagged [`SearchResults::partial`];
//! - exclusions and metadata filters then remove papers; facets are counted over what is
//!   left; `sort:` orders it.
//!
//! Every hit carries highlight ranges (byte ranges into the text, never markup), a snippet
//! window of the abstract, and the contributions its score is made of.
//!
//! This file parses and expands the query and assembles the results; `score.rs` finds and
//! scores the matching papers, `phrase.rs` scores phrases, `adjacency.rs` counts where
//! their words sit together, `filter.rs` applies metadata filters and orders the hits,
//! `snippet.rs` makes highlights and excerpts, `suggest.rs` the did-you-mean corrections,
//! `heads.rs` reads a common word from its heads, `plan.rs` where the facet values come
//! from.

use std::rc::Rc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::bm25;
use crate::facets::FacetRows;
use crate::facets::Facets;
use crate::format::positions::PositionsBlock;
use crate::format::postings::Decoded;
use crate::format::terms::TermInfo;
use crate::format::PieceKind;
use crate::model::Field;
use crate::query::{Query, Sort};
use crate::reader::lookup::Gather;
use crate::reader::{list_key, Index, Needs};
use crate::sort::sort;

mod adjacency;
mod browse;
mod expand;
mod filter;
mod heads;
mod pasted;
mod phrase;
mod plan;
mod score;
mod snippet;
mod suggest;

use filter::{filter_and_count, sort_hits};
use score::Pass;

/// Score multipliers by how a term matched a query word.
const EXACT_WEIGHT: f32 = 1.0;
const STEM_WEIGHT: f32 = 0.9;
const PREFIX_WEIGHT: f32 = 0.7;
const FUZZY_WEIGHTS: [f32; 3] = [1.0, 0.5, 0.3];
/// A prefix expands to at most this many terms, the most frequent ones.
const MAX_PREFIX_TERMS: usize = 64;
/// A typo expands to at most this many terms, the closest and most frequent.
const MAX_FUZZY_TERMS: usize = 16;
/// Upper bound on dictionary keys scanned per query word, so a one-letter prefix on a huge
/// dictionary stays fast.
const MAX_SCANNED_TERMS: usize = 20_000;
/// The partial fallback checks at most this many papers (those holding the most of the
/// query's words first), so a query no paper matches whole costs a bounded amount.
const MAX_PARTIAL_CHECKED: usize = 1_000;
/// What one search may spend on adjacency checks, in position decodes (a token of text
/// analyzed again counts as 4): about 15 ms natively. Past it, the remaining phrases
/// are matched as their words, and the results say so. Only queries of many phrases of
/// very common words reach it ("in the" "of a" ... over 100,000 papers).
const MAX_ADJACENCY_WORK: u64 = 4_000_000;
/// Length of the abstract excerpt, in bytes (a window of whole tokens).
const SNIPPET_BYTES: usize = 240;

/// What a search returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// The query as understood.
    pub query: Query,
    /// Number of matching papers (`hits` holds at most the requested limit).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// No paper matched every word: the hits are the papers matching the most of them.
    pub partial: bool,
    /// Counts over all matching papers.
    pub facets: Facets,
    /// Corrections for query words that matched no term of the collection.
    pub suggestions: Vec<Suggestion>,
    /// What the search left out or loosened to stay fast, in words for the page: a query
    /// cut at its caps ([`Query::notice`]), phrases matched as words past the budget.
    pub notice: Option<String>,
    /// A part of the index this search needed did not decode, in words naming the file.
    /// The results are then those of the parts that did: possibly incomplete, never made
    /// up, and this says so rather than showing them as complete.
    pub damage: Option<String>,
}

/// One matching paper.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Document ordinal: `index.paper(doc)`.
    pub doc: u32,
    pub score: f32,
    /// Byte ranges of matched words in the title.
    pub title_highlights: Vec<(usize, usize)>,
    /// The excerpt of the abstract to show, and the matched words within it (byte ranges
    /// into the whole abstract).
    pub snippet: Snippet,
    /// What the score is made of, largest first.
    pub explanation: Vec<Contribution>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub start: usize,
    pub end: usize,
    pub highlights: Vec<(usize, usize)>,
}

/// How a term of the collection matched a word of the query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    Exact,
    /// Another word with the same stem.
    Stem,
    /// The word being typed is a prefix of the term.
    Prefix,
    /// Within `distance` edits (a typo).
    Fuzzy {
        distance: u8,
    },
    /// The whole query is the paper's arXiv id (or its URL): the paper comes first.
    Id,
}

/// One term's share of a hit's score, for "why this result".
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// The query word, normalized.
    pub word: String,
    /// The term of the paper it matched.
    pub term: String,
    pub field: Field,
    pub kind: MatchKind,
    pub score: f32,
}

/// "Did you mean": a query word that matched nothing, and the closest term of the
/// collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub word: String,
    pub replacement: String,
    /// The whole query with the word replaced.
    pub query: String,
}

/// A dictionary term standing in for a query word.
#[derive(Debug, Clone)]
struct Expansion {
    term: String,
    info: TermInfo,
    kind: MatchKind,
    weight: f32,
}

impl Expansion {
    /// Identifies the term's list within one search.
    fn key(&self) -> u64 {
        list_key(&self.info)
    }
}

/// A query word and the terms it stands for.
///
/// The expansions of a word count as one term for BM25, as synonyms do in Lucene: their
/// term frequencies add up, each weighed by its kind of match, and the inverse document
/// frequency is that of the papers holding any of them. Otherwise a rare variant (a typo's
/// neighbour, an odd inflection) would outscore the word itself on idf alone.
#[derive(Debug, Clone)]
struct Word {
    text: String,
    /// Its position in its atom, relative to the first word: in a phrase, the words must
    /// sit at these distances (a token too long to index still takes its place).
    offset: u32,
    expansions: Rc<Vec<Expansion>>,
    idf: f32,
}

/// An atom ready to run: its words, the field it is limited to, and whether its words must
/// be adjacent.
#[derive(Debug, Clone)]
struct Prepared {
    /// The atom's words as the query gave them, joined by spaces (a phrase's name in a
    /// score's explanation).
    text: String,
    /// The terms the words stand for, to highlight.
    terms: Vec<String>,
    /// The words it is checked with: a phrase's pairs of common words may be biwords
    /// (`phrase.rs`).
    words: Vec<Word>,
    field: Option<Field>,
    /// The words must sit next to each other: a phrase of more than one word left.
    adjacent: bool,
    /// A phrase's inverse document frequency (the papers holding it), once set.
    idf: f32,
}

impl Prepared {
    fn fields(&self) -> &'static [Field] {
        match self.field {
            Some(Field::Title) => &[Field::Title],
            Some(Field::Abstract) => &[Field::Abstract],
            None => &Field::ALL,
        }
    }
}

/// The state of one search: decoded lists, kept for scoring, phrases and explanations.
struct Searcher<'a> {
    index: &'a Index,
    /// With the facet rows of the lists that carry them inline.
    lists: HashMap<u64, std::sync::Arc<Decoded>>,
    /// Positions blocks by list and field (`None`: damaged, reported in `damage`).
    positions: HashMap<(u64, Field), Option<PositionsBlock<'a>>>,
    /// Weighted term frequencies by set of expansion offsets.
    word_tfs: HashMap<Vec<u64>, Rc<WordTf>>,
    /// The first list or positions block that did not decode.
    damage: Option<crate::format::FormatError>,
    /// Adjacency work spent so far, against [`MAX_ADJACENCY_WORK`].
    adjacency_work: u64,
    /// The budget ran out: some phrases were matched as their words.
    loosened: bool,
    /// Terms with a head are read from it, not from their lists (`heads.rs`).
    heads: bool,
}

impl<'a> Searcher<'a> {
    fn new(index: &'a Index) -> Self {
        Searcher {
            index,
            lists: HashMap::default(),
            positions: HashMap::default(),
            word_tfs: HashMap::default(),
            damage: None,
            adjacency_work: 0,
            loosened: false,
            heads: false,
        }
    }
}

/// A word's weighted term frequency per field in each paper holding it, in document order.
/// Per paper: the weighted term frequency in each field, and the field lengths.
type WordTf = Vec<(u32, [f32; Field::COUNT], [u32; Field::COUNT])>;

/// Expansions by (word, as a prefix, with typos): each distinct word of a query is looked
/// up in the dictionary once, however often it occurs.
type ExpansionCache = HashMap<(String, bool, bool), Rc<Vec<Expansion>>>;

impl Index {
    /// Runs `query` (in the query language of [`crate::query`]) and returns at most
    /// `limit` hits, best first, with the facets and suggestions of the whole result set;
    /// or the pieces it needs first ([`Needs`]), to be added before asking again.
    ///
    /// A query needs pieces in up to three rounds: the term pieces of its words; the
    /// postings and positions of the terms they stand for (or the heads of a common
    /// word's, `heads.rs`), and the columns; the records of the hits shown. (A typo
    /// needs its first letter's term pieces before the second, and heads that do not
    /// settle the page the lists before the last.)
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchResults, Needs> {
        let parsed = Query::parse(query);
        let mut gather = Gather::default();
        let mut cache = ExpansionCache::default();
        let groups: Vec<Vec<Prepared>> = parsed
            .groups
            .iter()
            .map(|g| {
                g.alternatives
                    .iter()
                    .filter_map(|a| self.prepare(a, true, &mut cache, &mut gather))
                    .collect()
            })
            .collect();
        let excluded: Vec<Prepared> = parsed
            .excluded
            .iter()
            .filter_map(|a| self.prepare(a, false, &mut cache, &mut gather))
            .collect();
        let pasted = self.pasted(query, &mut gather);
        gather.needs.check()?;
        let suggestions = self.suggestions(query, &groups, &mut gather);
        gather.needs.check()?;

        let order = if parsed.sort == Sort::Relevance && !parsed.has_text() {
            Sort::Date
        } else {
            parsed.sort
        };
        // The lists of every expansion (or the heads of common words'), positions where
        // words must be adjacent, and the columns (lengths for BM25, facets, filters,
        // sorting).
        let heads = self.reads_heads(&groups, &excluded, order) && pasted.is_none();
        let mut needs = Needs::default();
        for atom in groups.iter().flatten().chain(&excluded) {
            for expansion in atom.words.iter().flat_map(|w| w.expansions.iter()) {
                self.needs_term(&expansion.info, heads, &mut needs);
                if atom.adjacent {
                    // A phrase is counted in every field, for its idf (`phrase.rs`).
                    for field in Field::ALL {
                        self.needs_positions(&expansion.info, field, &mut needs);
                    }
                }
            }
        }
        // The facets for the counts (and most filters), unless the lists of some group
        // carry the rows of every paper it can find; the sort columns when the order or an
        // upvotes filter reads them. (The field lengths come with the lists.)
        if let Some(docs) = self.browse_order(&parsed, order, limit) {
            let damage = gather.damage.map(|e| e.to_string());
            return self.browse(parsed, docs, limit, suggestions, damage);
        }
        // The facet values of the papers found: from the rows blocks of one group of the
        // query's words, or from the columns, whichever costs fewer bytes.
        let (rows_source, rows_damage) = self.rows_source(&groups, heads);
        if let Some(error) = rows_damage {
            gather.damage.get_or_insert(error);
        }
        match &rows_source {
            Some(infos) => infos
                .iter()
                .for_each(|info| self.needs_rows(info, &mut needs)),
            None => self.missing_columns(PieceKind::Facets, &mut needs),
        }
        if order != Sort::Relevance || filter::needs_sorts(&parsed.filters) {
            self.missing_columns(PieceKind::Sorts, &mut needs);
        }
        needs.check()?;

        let mut searcher = Searcher::new(self);
        searcher.damage = gather.damage;
        searcher.heads = heads;
        let mut groups = groups;
        let mut excluded = excluded;
        for atom in groups.iter_mut().flatten().chain(&mut excluded) {
            searcher.set_idf(atom);
        }

        // Score the groups; every one must match, else fall back to the best partial matches.
        let mut partial = false;
        let mut scored: Vec<(u32, f32)> = if parsed.groups.is_empty() {
            if parsed.filters.is_empty() && excluded.is_empty() && !parsed.sorted {
                Vec::new()
            } else {
                (0..self.paper_count()).map(|d| (d, 0.0)).collect()
            }
        } else {
            let (all, fallback) = searcher.match_groups(&groups);
            partial = fallback;
            all
        };

        // Exclusions and filters.
        if !excluded.is_empty() {
            let mut out: HashSet<u32> = HashSet::default();
            let mut sorted: Vec<u32> = scored.iter().map(|&(doc, _)| doc).collect();
            sort(&mut sorted);
            for atom in &excluded {
                out.extend(
                    searcher
                        .atom_scores(atom, Pass::Among(&sorted))
                        .into_iter()
                        .map(|(doc, _)| doc),
                );
            }
            scored.retain(|(doc, _)| !out.contains(doc));
        }
        if let Some(pasted) = &pasted {
            partial = pasted.put_first(&mut scored, partial);
        }
        // A partial match can find papers outside the lists that carry rows: then the
        // columns, in one more round.
        let with_rows = searcher.rows_of(rows_source.as_deref().unwrap_or_default());
        let rows = FacetRows::new(
            self,
            with_rows.iter().map(|(list, block)| {
                let rows = block.as_deref().unwrap_or(&list.1);
                (list.0.as_slice(), rows.as_slice())
            }),
        );
        if !rows.covers(scored.iter().map(|s| s.0)) {
            self.missing_columns(PieceKind::Facets, &mut needs);
            needs.check()?;
        }
        let facets = filter_and_count(&rows, &mut scored, &parsed.filters, &mut needs)?;
        let settled = heads && !partial && searcher.settle(&groups, &mut scored, limit);
        if heads && !settled {
            // The heads did not settle the best papers (or no paper holds every word, and
            // the partial fallback reads the lists): the lists, in one more round.
            for atom in groups.iter().flatten().chain(&excluded) {
                for expansion in atom.words.iter().flat_map(|w| w.expansions.iter()) {
                    self.needs_list(&expansion.info, &mut needs);
                }
            }
            needs.check()?;
        }
        if !settled {
            sort_hits(self, &mut scored, order, limit);
        }
        let total = scored.len();
        for &(doc, _) in scored.iter().take(limit) {
            if let Err(more) = self.paper(doc) {
                needs.add(more.0[0]);
            }
        }
        needs.check()?;
        let highlight_terms: HashSet<&str> = groups
            .iter()
            .flatten()
            .flat_map(|p| &p.terms)
            .map(String::as_str)
            .collect();
        let hits = scored
            .into_iter()
            .take(limit)
            .filter_map(|(doc, score)| {
                let paper = self.paper(doc).ok().flatten()?;
                let mut explanation = searcher.explain(doc, &groups);
                if let Some(pasted) = pasted.as_ref().filter(|p| p.doc == doc) {
                    explanation.insert(0, pasted.contribution(score));
                }
                Some(Hit {
                    doc,
                    score,
                    title_highlights: self.highlights(&paper.title, &highlight_terms),
                    snippet: self.snippet(&paper.abstract_text, &highlight_terms),
                    explanation,
                })
            })
            .collect();
        let notice = notice(&parsed, searcher.loosened);
        Ok(SearchResults {
            query: parsed,
            total,
            hits,
            partial,
            facets,
            suggestions,
            notice,
            damage: searcher.damage.map(|e| e.to_string()),
        })
    }

    /// BM25F of a paper for one word, given the word's weighted term frequency in each
    /// field and the paper's field lengths (from the postings); split per field.
    fn bm25(
        &self,
        tf: [f32; Field::COUNT],
        len: [u32; Field::COUNT],
        fields: &[Field],
        idf: f32,
    ) -> [f32; Field::COUNT] {
        let mut parts = [0f32; Field::COUNT];
        let mut total = 0.0;
        for &field in fields {
            let raw = tf[field as usize];
            if raw == 0.0 {
                continue;
            }
            let part = bm25::field_part(
                field,
                raw,
                len[field as usize],
                self.avg_field_length(field),
            );
            parts[field as usize] = part;
            total += part;
        }
        if total == 0.0 {
            return [0.0; Field::COUNT];
        }
        let score = bm25::saturate(total, idf);
        parts.map(|p| score * p / total)
    }

    fn idf(&self, df: usize) -> f32 {
        let n = self.paper_count() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}

/// The page's words for what a search left out or loosened, if anything.
fn notice(query: &Query, loosened: bool) -> Option<String> {
    let loosened = loosened.then_some(
        "Some phrases of very common words were matched as separate words, to keep the \
         search fast.",
    );
    match (query.notice(), loosened) {
        (Some(cut), Some(loose)) => Some(format!("{cut} {loose}")),
        (cut, loose) => cut.or(loose.map(String::from)),
    }
}

pub use crate::model::year_of;
