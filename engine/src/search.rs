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
//!   only where their words (or other forms of them) are adjacent, in order, in one field;
//!   prefixes and typos do not apply inside quotes;
//! - every group must match. When no paper matches all of them, the papers matching the
//!   most groups come back instead, flagged [`SearchResults::partial`];
//! - exclusions and metadata filters then remove papers; facets are counted over what is
//!   left; `sort:` orders it.
//!
//! Every hit carries highlight ranges (byte ranges into the text, never markup), a snippet
//! window of the abstract, and the contributions its score is made of.

use std::rc::Rc;

use fst::automaton::{Automaton, Str};
use fst::{IntoStreamer, Streamer};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::automata::BoundedPrefix;
use crate::facets::Facets;
use crate::format::{decode_positions_flat, FlatPositions, Posting};
use crate::fuzzy::{allowed_distance, Fuzzy};
use crate::index::Index;
use crate::model::{Field, LinkKind, Paper};
use crate::query::{Atom, FilterKind, Query, Sort};
use crate::sort::{sort, sort_by};

/// BM25 saturation and length-normalization constants (the usual values).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// How much a title occurrence counts against an abstract occurrence.
const FIELD_WEIGHTS: [f32; Field::COUNT] = [3.0, 1.0];
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
    offset: u64,
    kind: MatchKind,
    weight: f32,
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
    words: Vec<Word>,
    field: Option<Field>,
    adjacent: bool,
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
    lists: HashMap<u64, Vec<Posting>>,
    positions: HashMap<u64, Option<FlatPositions>>,
    /// Weighted term frequencies by set of expansion offsets.
    word_tfs: HashMap<Vec<u64>, Rc<WordTf>>,
    /// The first list or positions block that did not decode.
    damage: Option<crate::format::FormatError>,
    /// How many of the query's atoms need their words adjacent: checking from the text
    /// analyzes a paper again for each of them, decoded positions serve them all.
    adjacent_atoms: usize,
}

/// A word's weighted term frequency per field in each paper holding it, in document order.
type WordTf = Vec<(u32, [f32; Field::COUNT])>;

/// Expansions by (word, as a prefix, with typos): each distinct word of a query is looked
/// up in the dictionary once, however often it occurs.
type ExpansionCache = HashMap<(String, bool, bool), Rc<Vec<Expansion>>>;

impl Index {
    /// Runs `query` (in the query language of [`crate::query`]) and returns at most
    /// `limit` hits, best first, with the facets and suggestions of the whole result set.
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let parsed = Query::parse(query);
        let mut searcher = Searcher {
            index: self,
            lists: HashMap::default(),
            positions: HashMap::default(),
            word_tfs: HashMap::default(),
            damage: None,
            adjacent_atoms: 0,
        };
        let mut cache = ExpansionCache::default();
        let mut groups: Vec<Vec<Prepared>> = parsed
            .groups
            .iter()
            .map(|g| {
                g.alternatives
                    .iter()
                    .filter_map(|a| self.prepare(a, true, &mut cache))
                    .collect()
            })
            .collect();
        let mut excluded: Vec<Prepared> = parsed
            .excluded
            .iter()
            .filter_map(|a| self.prepare(a, false, &mut cache))
            .collect();
        for atom in groups.iter_mut().flatten().chain(&mut excluded) {
            searcher.set_idf(atom);
        }
        searcher.adjacent_atoms = groups
            .iter()
            .flatten()
            .chain(&excluded)
            .filter(|atom| atom.adjacent)
            .count();

        // Score the groups; every one must match, else fall back to the best partial matches.
        let mut partial = false;
        let mut scored: Vec<(u32, f32)> = if parsed.groups.is_empty() {
            if parsed.filters.is_empty() && excluded.is_empty() && !parsed.sorted {
                Vec::new()
            } else {
                (0..self.papers().len() as u32).map(|d| (d, 0.0)).collect()
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
        if !parsed.filters.is_empty() {
            let papers = self.papers();
            scored.retain(|&(doc, _)| {
                parsed
                    .filters
                    .iter()
                    .all(|f| filter_matches(&f.kind, &papers[doc as usize], self) != f.negated)
            });
        }

        let facets = self.facet_keys().count(scored.iter().map(|s| s.0));
        let sort = if parsed.sort == Sort::Relevance && !parsed.has_text() {
            Sort::Date
        } else {
            parsed.sort
        };
        sort_hits(self, &mut scored, sort, limit);
        let total = scored.len();
        let highlight_terms: HashSet<&str> = groups
            .iter()
            .flatten()
            .flat_map(|p| &p.words)
            .flat_map(|w| w.expansions.iter())
            .map(|e| e.term.as_str())
            .collect();
        let hits = scored
            .into_iter()
            .take(limit)
            .map(|(doc, score)| Hit {
                doc,
                score,
                title_highlights: self
                    .highlights(&self.papers()[doc as usize].title, &highlight_terms),
                snippet: self.snippet(&self.papers()[doc as usize].abstract_text, &highlight_terms),
                explanation: searcher.explain(doc, &groups),
            })
            .collect();
        let suggestions = self.suggestions(query, &groups);
        SearchResults {
            query: parsed,
            total,
            hits,
            partial,
            facets,
            suggestions,
            damage: searcher.damage.map(|e| e.to_string()),
        }
    }

    /// Analyzes an atom into words with their expansions. `loose` allows prefix and typo
    /// matching (not for exclusions). `None` when the atom holds no word. A word met again
    /// (in this or another atom of the query) reuses its expansions from `cache`.
    fn prepare(&self, atom: &Atom, loose: bool, cache: &mut ExpansionCache) -> Option<Prepared> {
        let tokens = self.analyzer.tokens(&atom.text);
        let first = tokens.first()?.position;
        let adjacent = tokens.len() > 1;
        let count = tokens.len();
        let words = tokens
            .into_iter()
            .enumerate()
            .map(|(i, token)| {
                let last = i + 1 == count;
                let prefix = loose && atom.prefix && last;
                let fuzzy = loose && !atom.phrase && !adjacent;
                let expansions = cache
                    .entry((token.text.clone(), prefix, fuzzy))
                    .or_insert_with(|| Rc::new(self.expand(&token.text, prefix, fuzzy)))
                    .clone();
                Word {
                    expansions,
                    offset: token.position - first,
                    text: token.text,
                    idf: 0.0,
                }
            })
            .collect();
        Some(Prepared {
            words,
            field: atom.field,
            adjacent,
        })
    }

    /// The dictionary terms a query word stands for.
    fn expand(&self, word: &str, prefix: bool, fuzzy: bool) -> Vec<Expansion> {
        let mut found: Vec<Expansion> = Vec::new();
        let mut seen: HashSet<String> = HashSet::default();
        let mut add = |found: &mut Vec<Expansion>, term: &str, offset, kind, weight| {
            if seen.insert(term.to_string()) {
                found.push(Expansion {
                    term: term.to_string(),
                    offset,
                    kind,
                    weight,
                });
            }
        };
        if let Some(offset) = self.terms().get(word) {
            add(&mut found, word, offset, MatchKind::Exact, EXACT_WEIGHT);
        }
        {
            // Words sharing the word's stem (in phrases too, as in Lucene: "world models"
            // finds "world model"). The stem drops at most a trailing letter of the
            // inflected forms ("studi" for "study"), so scanning from the stem minus its last
            // character finds them all.
            let stem = self.analyzer.stem(word);
            let scan_from = match stem.char_indices().last() {
                Some((last, _)) if stem.chars().count() > 3 => &stem[..last],
                _ => &stem[..],
            };
            // What English endings add to a stem, measured over the 111,180 words of the
            // 100k synthetic and the 10,808 real Daily Papers: at most 2 bytes to a stem of
            // one letter ("ued"), 4 to two ("beings"), 7 to three ("witnessing"), 12 to
            // longer ones ("representativeness"). One more each, for margin; the bound
            // keeps a short word from stemming every term it starts.
            let extra = match stem.len() {
                0..=1 => 3,
                2 => 5,
                3 => 8,
                _ => 13,
            };
            let candidates = BoundedPrefix {
                prefix: scan_from.as_bytes(),
                max_len: stem.len() + extra,
            };
            for (term, offset) in self.scan(candidates) {
                if self.analyzer.stem(&term) == stem {
                    add(&mut found, &term, offset, MatchKind::Stem, STEM_WEIGHT);
                }
            }
        }
        if prefix {
            let mut candidates: Vec<(u32, String, u64)> = self
                .scan(Str::new(word).starts_with())
                .filter(|(term, _)| term.as_str() != word)
                .map(|(term, offset)| (self.doc_freq_at(offset), term, offset))
                .collect();
            sort_by(&mut candidates, &mut |a, b| {
                b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
            });
            for (_, term, offset) in candidates.into_iter().take(MAX_PREFIX_TERMS) {
                add(&mut found, &term, offset, MatchKind::Prefix, PREFIX_WEIGHT);
            }
        }
        // A word the collection holds as it is is taken to be meant: typo matching only
        // starts when it does not (which also keeps "model" from dragging in "modes").
        let max = allowed_distance(word.chars().count());
        let known = found.first().is_some_and(|e| e.kind == MatchKind::Exact);
        if fuzzy && !known && max > 0 && !word.bytes().any(|b| b.is_ascii_digit()) {
            let automaton = Fuzzy::new(word, max, prefix);
            let mut candidates: Vec<(u8, u32, String, u64)> = self
                .scan(automaton.clone())
                .filter_map(|(term, offset)| {
                    let distance = automaton.distance(&term)?;
                    (distance > 0).then(|| (distance, self.doc_freq_at(offset), term, offset))
                })
                .collect();
            sort_by(&mut candidates, &mut |a, b| {
                a.0.cmp(&b.0)
                    .then(b.1.cmp(&a.1))
                    .then_with(|| a.2.cmp(&b.2))
            });
            for (distance, _, term, offset) in candidates.into_iter().take(MAX_FUZZY_TERMS) {
                let weight = FUZZY_WEIGHTS[usize::from(distance.min(2))];
                add(
                    &mut found,
                    &term,
                    offset,
                    MatchKind::Fuzzy { distance },
                    weight,
                );
            }
        }
        found
    }

    /// Terms of the dictionary accepted by `automaton`, at most [`MAX_SCANNED_TERMS`].
    fn scan<A: Automaton>(&self, automaton: A) -> impl Iterator<Item = (String, u64)> {
        let mut stream = self.terms().search(automaton).into_stream();
        let mut out = Vec::new();
        while let Some((term, offset)) = stream.next() {
            if out.len() == MAX_SCANNED_TERMS {
                break;
            }
            if let Ok(term) = std::str::from_utf8(term) {
                out.push((term.to_string(), offset));
            }
        }
        out.into_iter()
    }

    /// BM25F of a paper for one word, given the word's weighted term frequency in each
    /// field; split per field.
    fn bm25(
        &self,
        doc: u32,
        tf: [f32; Field::COUNT],
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
            let length_ratio = self.field_length(doc, field) as f32 / self.avg_field_length(field);
            let part = FIELD_WEIGHTS[field as usize] * raw / (1.0 - B + B * length_ratio);
            parts[field as usize] = part;
            total += part;
        }
        if total == 0.0 {
            return [0.0; Field::COUNT];
        }
        let score = idf * total * (K1 + 1.0) / (total + K1);
        parts.map(|p| score * p / total)
    }

    fn idf(&self, df: usize) -> f32 {
        let n = self.papers().len() as f32;
        let df = df as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }

    /// "Did you mean": for each word with no exact, stem or prefix match, the closest
    /// frequent term.
    fn suggestions(&self, query: &str, groups: &[Vec<Prepared>]) -> Vec<Suggestion> {
        let mut out = Vec::new();
        let mut seen: HashSet<&str> = HashSet::default();
        for word in groups.iter().flatten().flat_map(|p| &p.words) {
            if !seen.insert(&word.text) {
                continue;
            }
            // A word the collection holds, or is still being typed, needs no correction; a
            // misspelling found only through its stem or a typo match does.
            let matched = word
                .expansions
                .iter()
                .any(|e| matches!(e.kind, MatchKind::Exact | MatchKind::Prefix));
            let chars = word.text.chars().count();
            if matched || chars < 3 || word.text.bytes().any(|b| b.is_ascii_digit()) {
                continue;
            }
            let closest = |candidates: Vec<(String, u64)>| {
                let full_word = Fuzzy::new(&word.text, 2, false);
                candidates
                    .into_iter()
                    .filter_map(|(term, offset)| {
                        let distance = full_word.distance(&term)?;
                        // Equally close: the one agreeing longest from the start (people
                        // slip later in a word more than at its start), then the commonest.
                        let agreeing = word
                            .text
                            .chars()
                            .zip(term.chars())
                            .take_while(|(a, b)| a == b)
                            .count();
                        Some((
                            distance,
                            std::cmp::Reverse(agreeing),
                            std::cmp::Reverse(self.doc_freq_at(offset)),
                            term,
                        ))
                    })
                    .min()
            };
            // The typo matches already found, else a scan (short words get one edit here).
            let found = word
                .expansions
                .iter()
                .map(|e| (e.term.clone(), e.offset))
                .collect();
            let best = closest(found).or_else(|| {
                let automaton = Fuzzy::new(&word.text, allowed_distance(chars).max(1), false);
                closest(self.scan(automaton).collect())
            });
            if let Some((_, _, _, replacement)) = best {
                out.push(Suggestion {
                    query: replace_word(&self.analyzer, query, &word.text, &replacement),
                    word: word.text.clone(),
                    replacement,
                });
            }
        }
        out
    }

    fn highlights(&self, text: &str, terms: &HashSet<&str>) -> Vec<(usize, usize)> {
        self.matched_ranges(text, terms).1
    }

    /// Every token's byte range in `text`, and the ranges of the tokens and joined
    /// compounds ("GPT-4" for the term "gpt4") that are among `terms`: sorted, a compound
    /// replacing the parts it covers. One pass, no allocation per token.
    fn matched_ranges(
        &self,
        text: &str,
        terms: &HashSet<&str>,
    ) -> (Vec<(usize, usize)>, Vec<(usize, usize)>) {
        let mut spans = Vec::new();
        let mut parts = Vec::new();
        let mut compounds: Vec<(usize, usize)> = Vec::new();
        self.analyzer
            .each_token_with_compounds(text, |term, start, end, _, compound| {
                if compound {
                    if terms.contains(term) {
                        compounds.push((start, end));
                    }
                    return;
                }
                spans.push((start, end));
                if terms.contains(term) {
                    parts.push((start, end));
                }
            });
        if !compounds.is_empty() {
            // Both lists come in text order (compounds never overlap each other): one
            // pass drops the parts a matched compound covers.
            let mut c = 0;
            parts.retain(|&(start, _)| {
                while compounds.get(c).is_some_and(|&(_, e)| e <= start) {
                    c += 1;
                }
                !compounds
                    .get(c)
                    .is_some_and(|&(s, e)| s <= start && start < e)
            });
            parts.extend(compounds);
            sort(&mut parts);
        }
        // CJK bigrams overlap ("言語", "語モ"): one range for the run they cover.
        parts.dedup_by(|next, kept| {
            if next.0 < kept.1 {
                kept.1 = kept.1.max(next.1);
                true
            } else {
                false
            }
        });
        (spans, parts)
    }

    /// A window of the abstract of about [`SNIPPET_BYTES`], placed to hold as many matched
    /// words as possible, cut at token boundaries, with the matched words in it.
    fn snippet(&self, text: &str, terms: &HashSet<&str>) -> Snippet {
        let (spans, mut highlights) = self.matched_ranges(text, terms);
        let Some(&(_, last_end)) = spans.last() else {
            return Snippet {
                start: 0,
                end: text.len(),
                highlights,
            };
        };
        // Slide over highlight starts; the window starting a little before the highlight
        // that has the most highlights within reach wins.
        let mut best_start = 0;
        let mut best_count = 0;
        for (i, &(start, _)) in highlights.iter().enumerate() {
            let count = highlights[i..]
                .iter()
                .take_while(|(s, _)| *s < start + SNIPPET_BYTES * 3 / 4)
                .count();
            if count > best_count {
                best_count = count;
                best_start = start.saturating_sub(SNIPPET_BYTES / 4);
            }
        }
        let first = spans.iter().position(|s| s.0 >= best_start).unwrap_or(0);
        let start = if first == 0 { 0 } else { spans[first].0 };
        let end = spans[first..]
            .iter()
            .take_while(|s| s.1 <= start + SNIPPET_BYTES)
            .last()
            .map_or(text.len(), |s| s.1);
        let end = if last_end <= end { text.len() } else { end };
        highlights.retain(|&(s, e)| s >= start && e <= end);
        Snippet {
            start,
            end,
            highlights,
        }
    }
}

impl Searcher<'_> {
    /// The papers matching every group, with their scores; or, when none does, the papers
    /// matching the most groups, flagged `true` (partial).
    ///
    /// First only which papers hold each group's words ([`Pass::Docs`]: no scores, no
    /// adjacency checks), then scores and adjacency only for the papers holding all of
    /// them. When none holds all, the papers holding the most are counted from that first
    /// pass, densely over the collection (the lists can add up to millions of entries:
    /// 32 common words), and only those are scored. A paper's count from the first pass
    /// can only drop once phrases are checked, so the papers still at the top count are
    /// the answer; only when phrases leave none there is every group scored everywhere.
    fn match_groups(&mut self, groups: &[Vec<Prepared>]) -> (Scores, bool) {
        let docs: Vec<Scores> = groups
            .iter()
            .map(|alternatives| self.group_scores(alternatives, Pass::Docs))
            .collect();
        let mut candidates: Vec<u32> = intersect(&docs).into_iter().map(|(doc, _)| doc).collect();
        if !candidates.is_empty() {
            // Every group must match: each narrows the papers the next one checks, the
            // groups holding the fewest papers first.
            let mut order: Vec<usize> = (0..groups.len()).collect();
            sort_by(&mut order, &mut |&a, &b| docs[a].len().cmp(&docs[b].len()));
            let mut per_group: Vec<Scores> = Vec::with_capacity(groups.len());
            for &g in &order {
                let scores = self.group_scores(&groups[g], Pass::Among(&candidates));
                candidates = scores.iter().map(|&(doc, _)| doc).collect();
                per_group.push(scores);
                if candidates.is_empty() {
                    break;
                }
            }
            if !candidates.is_empty() || groups.len() == 1 {
                return (intersect(&per_group), false);
            }
        } else if groups.len() == 1 {
            return (Vec::new(), false);
        }
        self.most_groups(groups, &docs)
    }

    /// The partial fallback: the papers matching the most groups. A paper's count from
    /// the first pass (`docs`, adjacency unchecked) can only drop once phrases are checked,
    /// so papers are checked by that count, highest first, until the next ones cannot
    /// reach the best count found. At most [`MAX_PARTIAL_CHECKED`] papers are checked:
    /// past that (a query of many common words in phrases that few papers hold adjacent),
    /// the best found so far is the answer.
    fn most_groups(&mut self, groups: &[Vec<Prepared>], docs: &[Scores]) -> (Scores, bool) {
        let n = self.index.papers().len();
        let mut counts: Vec<u16> = vec![0; n];
        for list in docs {
            for &(doc, _) in list {
                if let Some(c) = counts.get_mut(doc as usize) {
                    *c = c.saturating_add(1);
                }
            }
        }
        let top = counts.iter().copied().max().unwrap_or(0);
        let (mut best, mut answer): (usize, Scores) = (0, Vec::new());
        let mut checked = 0;
        for level in (1..=top).rev() {
            if usize::from(level) < best.max(1) || checked >= MAX_PARTIAL_CHECKED {
                break;
            }
            let bucket: Vec<u32> = (0u32..)
                .zip(&counts)
                .filter(|(_, &c)| c == level)
                .map(|(doc, _)| doc)
                .take(MAX_PARTIAL_CHECKED - checked)
                .collect();
            checked += bucket.len();
            let per_group: Vec<Scores> = groups
                .iter()
                .map(|alternatives| self.group_scores(alternatives, Pass::Among(&bucket)))
                .collect();
            let (count, scored) = most_matched(&per_group, n);
            if count > best {
                (best, answer) = (count, scored);
            } else if count == best && count > 0 {
                answer = union_sum(&answer, &scored);
            }
        }
        let found = !answer.is_empty();
        (answer, found)
    }

    fn list(&mut self, offset: u64) -> &[Posting] {
        let index = self.index;
        let damage = &mut self.damage;
        self.lists.entry(offset).or_insert_with(|| {
            index.postings_at(offset).unwrap_or_else(|e| {
                damage.get_or_insert(e);
                Vec::new()
            })
        })
    }

    /// The index of `doc` in the list at `offset`.
    fn find(&mut self, offset: u64, doc: u32) -> Option<(usize, Posting)> {
        let list = self.list(offset);
        let i = list.binary_search_by_key(&doc, |p| p.doc).ok()?;
        Some((i, list[i]))
    }

    /// Scores of a group: the sum over its alternatives.
    fn group_scores(&mut self, alternatives: &[Prepared], pass: Pass) -> Scores {
        let mut scores: Scores = Vec::new();
        for atom in alternatives {
            scores = union_sum(&scores, &self.atom_scores(atom, pass));
        }
        scores
    }

    /// Sets each word's idf from the papers holding any of its expansions.
    fn set_idf(&mut self, atom: &mut Prepared) {
        let index = self.index;
        for word in &mut atom.words {
            let df = self.word_tf(word).len();
            word.idf = index.idf(df);
        }
    }

    /// The weighted term frequencies of a word's expansions in each paper holding any, in
    /// document order. Computed once per set of expansions.
    fn word_tf(&mut self, word: &Word) -> Rc<WordTf> {
        let key: Vec<u64> = word.expansions.iter().map(|e| e.offset).collect();
        if let Some(tf) = self.word_tfs.get(&key) {
            return tf.clone();
        }
        let tf = Rc::new(self.compute_word_tf(word));
        self.word_tfs.insert(key, tf.clone());
        tf
    }

    fn compute_word_tf(&mut self, word: &Word) -> WordTf {
        let n = self.index.papers().len();
        let total: usize = word
            .expansions
            .iter()
            .map(|e| self.list(e.offset).len())
            .sum();
        let mut out: WordTf = Vec::with_capacity(total);
        if let [one] = word.expansions.as_slice() {
            out.extend(
                self.list(one.offset)
                    .iter()
                    .map(|p| (p.doc, Field::ALL.map(|f| one.weight * p.tf(f) as f32))),
            );
        } else if total > n / 16 {
            // Many postings: accumulate densely, then read back in order.
            let mut dense = vec![[0f32; Field::COUNT]; n];
            let mut seen = vec![false; n];
            for expansion in word.expansions.iter() {
                for p in self.list(expansion.offset) {
                    let d = p.doc as usize;
                    seen[d] = true;
                    for f in Field::ALL {
                        dense[d][f as usize] += expansion.weight * p.tf(f) as f32;
                    }
                }
            }
            out.extend((0..n).filter(|&d| seen[d]).map(|d| (d as u32, dense[d])));
        } else {
            for expansion in word.expansions.iter() {
                out.extend(
                    self.list(expansion.offset)
                        .iter()
                        .map(|p| (p.doc, Field::ALL.map(|f| expansion.weight * p.tf(f) as f32))),
                );
            }
            sort_by(&mut out, &mut |a, b| a.0.cmp(&b.0));
            out.dedup_by(|next, kept| {
                if next.0 == kept.0 {
                    for f in 0..Field::COUNT {
                        kept.1[f] += next.1[f];
                    }
                    true
                } else {
                    false
                }
            });
        }
        out
    }

    /// Scores of one word over `fields`, in document order.
    /// (With [`Pass::Docs`], which papers hold it in `fields`, with score 0.)
    fn word_scores(&mut self, word: &Word, fields: &[Field], pass: Pass) -> Scores {
        let index = self.index;
        let tfs = self.word_tf(word);
        let in_fields = |tf: &[f32; Field::COUNT]| fields.iter().any(|&f| tf[f as usize] > 0.0);
        let score = |doc: u32, tf: [f32; Field::COUNT]| -> f32 {
            index.bm25(doc, tf, fields, word.idf).iter().sum()
        };
        match pass {
            Pass::Docs => tfs
                .iter()
                .filter(|(_, tf)| in_fields(tf))
                .map(|&(doc, _)| (doc, 0.0))
                .collect(),
            Pass::Among(candidates) => {
                let mut at = 0;
                candidates
                    .iter()
                    .filter_map(|&doc| {
                        at = gallop_by(&tfs, at, doc, |e| e.0);
                        let &(found, tf) = tfs.get(at)?;
                        (found == doc && in_fields(&tf)).then(|| (doc, score(doc, tf)))
                    })
                    .collect()
            }
        }
    }

    /// Scores of an atom: its words all present (adjacent, in order, in one field, when it
    /// is a phrase), summed.
    fn atom_scores(&mut self, atom: &Prepared, pass: Pass) -> Scores {
        let per_word: Vec<Scores> = atom
            .words
            .iter()
            .map(|w| self.word_scores(w, atom.fields(), pass))
            .collect();
        let mut scores = intersect(&per_word);
        if atom.adjacent && pass != Pass::Docs {
            let docs: Vec<u32> = scores.iter().map(|s| s.0).collect();
            let keep = self.adjacent(&docs, atom.fields(), &atom.words);
            let mut keep = keep.into_iter();
            scores.retain(|_| keep.next().unwrap_or(false));
        }
        scores
    }

    /// Which of `docs` (sorted) hold `words` next to each other, in order, in one of
    /// `fields`.
    fn adjacent(&mut self, docs: &[u32], fields: &[Field], words: &[Word]) -> Vec<bool> {
        if !self.index.has_positions() || self.text_is_cheaper(docs.len(), words) {
            return self.adjacent_from_text(docs, fields, words);
        }
        for expansion in words.iter().flat_map(|w| w.expansions.iter()) {
            self.load_positions(expansion.offset);
        }
        // Per word, per expansion: its postings, its decoded positions, and a cursor that
        // only moves forward as the documents do.
        let sources: Vec<Vec<(&[Posting], &FlatPositions)>> = words
            .iter()
            .map(|word| {
                word.expansions
                    .iter()
                    .filter_map(|e| {
                        let block = self.positions.get(&e.offset)?.as_ref()?;
                        Some((self.lists[&e.offset].as_slice(), block))
                    })
                    .collect()
            })
            .collect();
        let mut cursors: Vec<Vec<usize>> = sources.iter().map(|s| vec![0; s.len()]).collect();
        // Where `doc` sits in each expansion's list, if it does (usize::MAX: absent).
        let mut found: Vec<Vec<usize>> =
            sources.iter().map(|s| vec![usize::MAX; s.len()]).collect();
        let mut merged: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        let mut keep = vec![false; docs.len()];
        for (d, &doc) in docs.iter().enumerate() {
            for (w, word_sources) in sources.iter().enumerate() {
                for (e, (list, _)) in word_sources.iter().enumerate() {
                    let at = gallop(list, cursors[w][e], doc);
                    cursors[w][e] = at;
                    found[w][e] = if list.get(at).is_some_and(|p| p.doc == doc) {
                        at
                    } else {
                        usize::MAX
                    };
                }
            }
            keep[d] = fields.iter().any(|&field| {
                // A word with one expansion lends its slice; several are merged.
                for (w, word_sources) in sources.iter().enumerate() {
                    merged[w].clear();
                    for (e, (_, block)) in word_sources.iter().enumerate() {
                        if found[w][e] != usize::MAX {
                            merged[w].extend_from_slice(block.get(found[w][e], field));
                        }
                    }
                    if word_sources.len() > 1 {
                        sort(&mut merged[w]);
                        merged[w].dedup();
                    }
                }
                runs_adjacent(merged.iter().map(Vec::as_slice), words)
            });
        }
        keep
    }

    /// Is analyzing the text of `docs` papers cheaper than decoding the positions of
    /// `words` not decoded yet? A positions block is decoded whole (its codes have no skip
    /// points), so for a common word ("in": most papers, several times each) checking a few
    /// papers from their text costs a fraction of it. Both give the same answers.
    fn text_is_cheaper(&mut self, docs: usize, words: &[Word]) -> bool {
        /// Analyzing a token of text costs about this many position decodes (measured
        /// with the one_query example on the 100k synthetic index).
        const TOKEN_COST: f32 = 4.0;
        let tokens_per_paper: f32 = Field::ALL
            .iter()
            .map(|&f| self.index.avg_field_length(f))
            .sum();
        let text_cost =
            docs as f32 * tokens_per_paper * self.adjacent_atoms.max(1) as f32 * TOKEN_COST;
        let mut positions_cost = 0f32;
        for expansion in words.iter().flat_map(|w| w.expansions.iter()) {
            if self.positions.contains_key(&expansion.offset) {
                continue;
            }
            // The positions a list holds: the sum of its term frequencies.
            positions_cost += self
                .list(expansion.offset)
                .iter()
                .map(|p| (p.tf[0] + p.tf[1]) as f32)
                .sum::<f32>();
            if positions_cost > text_cost {
                return true;
            }
        }
        false
    }

    /// [`Searcher::adjacent`] without the positions file: each document's text is analyzed
    /// again. Slower over many papers, same answers.
    fn adjacent_from_text(&self, docs: &[u32], fields: &[Field], words: &[Word]) -> Vec<bool> {
        let index = self.index;
        let mut positions: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        docs.iter()
            .map(|&doc| {
                let paper = &index.papers()[doc as usize];
                fields.iter().any(|&field| {
                    positions.iter_mut().for_each(Vec::clear);
                    index
                        .analyzer
                        .each_token(field.text(paper), |term, _, _, position| {
                            for (w, word) in words.iter().enumerate() {
                                if word.expansions.iter().any(|e| e.term == term) {
                                    positions[w].push(position);
                                }
                            }
                        });
                    runs_adjacent(positions.iter().map(Vec::as_slice), words)
                })
            })
            .collect()
    }

    /// Decodes the positions block of the list at `offset`, once.
    fn load_positions(&mut self, offset: u64) {
        if self.positions.contains_key(&offset) {
            return;
        }
        let index = self.index;
        self.list(offset);
        let list = &self.lists[&offset];
        let block = index.positions_data().and_then(|data| {
            let at = index.positions_offset_at(offset)?;
            decode_positions_flat(data, at, list).ok()
        });
        if block.is_none() && index.has_positions() {
            let file = &index.manifest().files.positions;
            self.damage.get_or_insert(index.damaged(file, offset));
        }
        self.positions.insert(offset, block);
    }

    /// The contributions to `doc`'s score: each word's score, shared among its
    /// expansions by their weighted term frequency, per field.
    fn explain(&mut self, doc: u32, groups: &[Vec<Prepared>]) -> Vec<Contribution> {
        let index = self.index;
        let mut out = Vec::new();
        for atom in groups.iter().flatten() {
            // An atom counts only where all its words (adjacent, for phrases) matched.
            let present = atom.words.iter().all(|w| {
                w.expansions
                    .iter()
                    .any(|e| self.find(e.offset, doc).is_some())
            });
            let adjacent = !atom.adjacent || self.adjacent(&[doc], atom.fields(), &atom.words)[0];
            if !present || !adjacent {
                continue;
            }
            for word in &atom.words {
                let mut shares: Vec<(&Expansion, [f32; Field::COUNT])> = Vec::new();
                let mut tf = [0f32; Field::COUNT];
                for expansion in word.expansions.iter() {
                    let Some((_, posting)) = self.find(expansion.offset, doc) else {
                        continue;
                    };
                    let weighted = Field::ALL.map(|f| expansion.weight * posting.tf(f) as f32);
                    for f in 0..Field::COUNT {
                        tf[f] += weighted[f];
                    }
                    shares.push((expansion, weighted));
                }
                let parts = index.bm25(doc, tf, atom.fields(), word.idf);
                for (expansion, weighted) in shares {
                    for field in Field::ALL {
                        let f = field as usize;
                        if parts[f] > 0.0 && weighted[f] > 0.0 {
                            out.push(Contribution {
                                word: word.text.clone(),
                                term: expansion.term.clone(),
                                field,
                                kind: expansion.kind,
                                score: parts[f] * weighted[f] / tf[f],
                            });
                        }
                    }
                }
            }
        }
        sort_by(&mut out, &mut |a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.term.cmp(&b.term))
        });
        out
    }
}

/// The first index at or after `from` whose document is not below `doc`: exponential then
/// binary search, so walking a long list alongside a few documents skips most of it.
fn gallop(list: &[Posting], from: usize, doc: u32) -> usize {
    gallop_by(list, from, doc, |p| p.doc)
}

/// [`gallop`] over any list sorted by the document `key` gives.
fn gallop_by<T>(list: &[T], from: usize, doc: u32, key: impl Fn(&T) -> u32) -> usize {
    let mut step = 1;
    let mut low = from;
    let mut high = from;
    while high < list.len() && key(&list[high]) < doc {
        low = high + 1;
        high = from + step;
        step *= 2;
    }
    let high = high.min(list.len());
    low + list[low..high].partition_point(|e| key(e) < doc)
}

/// Do the sorted position lists hold a run of the words at their distances (p, p+1, p+2,
/// ... for words next to each other), one position from each list, in order? Positions come
/// from the index file: one near `u32::MAX` finds no run rather than overflowing.
fn runs_adjacent<'a>(mut runs: impl Iterator<Item = &'a [u32]>, words: &[Word]) -> bool {
    let Some(first) = runs.next() else {
        return false;
    };
    let rest: Vec<&[u32]> = runs.collect();
    first.iter().any(|&start| {
        rest.iter().zip(&words[1..]).all(|(p, word)| {
            start
                .checked_add(word.offset)
                .is_some_and(|at| p.binary_search(&at).is_ok())
        })
    })
}

/// Scores by paper, in increasing document order.
type Scores = Vec<(u32, f32)>;

/// How much of the work a scoring pass does. Checking that an atom's words are adjacent
/// (phrases, multi-part tokens) and computing BM25 are the costly steps, so a search first
/// finds which papers hold every group's words, then scores and checks only those.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Pass<'c> {
    /// Which papers hold the words (anywhere, adjacent or not), with score 0: a superset of
    /// the answer, for narrowing.
    Docs,
    /// Scores and adjacency for these papers (sorted) only; the others are dropped.
    Among(&'c [u32]),
}

/// Papers present in every list, with their summed scores, in document order.
fn intersect(lists: &[Scores]) -> Scores {
    let mut order: Vec<&Scores> = lists.iter().collect();
    sort_by(&mut order, &mut |a, b| a.len().cmp(&b.len()));
    let mut order = order.into_iter();
    let Some(shortest) = order.next() else {
        return Vec::new();
    };
    let mut out = shortest.clone();
    for list in order {
        if out.is_empty() {
            break;
        }
        let mut j = 0;
        out.retain_mut(|(doc, score)| {
            // Gallop over the longer list: `out` is the shorter, often by far.
            j = gallop_by(list, j, *doc, |e| e.0);
            if list.get(j).is_some_and(|e| e.0 == *doc) {
                *score += list[j].1;
                true
            } else {
                false
            }
        });
    }
    out
}

/// The papers in the most of `lists` (documents below `n`), with their scores summed over
/// the lists, in document order; and how many lists that is. Counted densely: linear in
/// the lists' lengths and in `n`.
fn most_matched(lists: &[Scores], n: usize) -> (usize, Scores) {
    let mut matched: Vec<(u16, f32)> = vec![(0, 0.0); n];
    for list in lists {
        for &(doc, score) in list {
            if let Some(slot) = matched.get_mut(doc as usize) {
                slot.0 = slot.0.saturating_add(1);
                slot.1 += score;
            }
        }
    }
    let best = matched.iter().map(|m| m.0).max().unwrap_or(0);
    if best == 0 {
        return (0, Vec::new());
    }
    let top = (0u32..)
        .zip(matched)
        .filter(|(_, (count, _))| *count == best)
        .map(|(doc, (_, score))| (doc, score))
        .collect();
    (usize::from(best), top)
}

/// Papers in either list, scores summed, in document order.
fn union_sum(a: &[(u32, f32)], b: &[(u32, f32)]) -> Scores {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                out.push(*x);
                i += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// The year of an ISO date (`None` for undated papers and `--MM-DD` dates).
pub fn year_of(paper: &Paper) -> Option<u32> {
    paper.published.as_deref()?.get(..4)?.parse().ok()
}

fn filter_matches(kind: &FilterKind, paper: &Paper, index: &Index) -> bool {
    // Does every wanted word start some word of `text`? One analyzer pass, no allocation:
    // the parser keeps a name to at most 32 words, one bit each.
    let words_in = |text: &str, wanted: &str| {
        let count = wanted.split(' ').count().min(32);
        let all: u64 = (1u64 << count) - 1;
        let mut found = 0u64;
        index.analyzer.each_token(text, |term, _, _, _| {
            for (i, w) in wanted.split(' ').take(count).enumerate() {
                if term.starts_with(w) {
                    found |= 1 << i;
                }
            }
        });
        found == all
    };
    match kind {
        FilterKind::Year { from, to } => year_of(paper).is_some_and(|y| (*from..=*to).contains(&y)),
        FilterKind::Upvotes { min, max } => (*min..=*max).contains(&paper.upvotes.unwrap_or(0)),
        FilterKind::HasCode => paper.links.iter().any(|l| l.kind == LinkKind::Code),
        FilterKind::HasLink => !paper.links.is_empty(),
        FilterKind::Listing(prefix) => paper
            .listings
            .iter()
            .any(|l| crate::analyze::lowercase(l).starts_with(prefix.as_str())),
        FilterKind::Author(name) => paper.authors.iter().any(|a| words_in(a, name)),
        FilterKind::Authors { min, max } => paper
            .author_total()
            .is_some_and(|n| (*min..=*max).contains(&n)),
        FilterKind::Org(name) => paper
            .organization
            .as_deref()
            .is_some_and(|o| words_in(o, name)),
    }
}

/// Puts the best `limit` of `scored` first, in order (the rest stay unordered): a partial
/// selection, so a large result set costs linear time, not a full sort.
fn sort_hits(index: &Index, scored: &mut [(u32, f32)], sort: Sort, limit: usize) {
    let papers = index.papers();
    let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let date = |doc: u32| {
        papers[doc as usize]
            .published
            .as_deref()
            .filter(|d| !d.starts_with('-'))
    };
    let votes = |doc: u32| papers[doc as usize].upvotes;
    let order = |a: &(u32, f32), b: &(u32, f32)| match sort {
        Sort::Relevance => by_score(a, b),
        Sort::Date => date(b.0).cmp(&date(a.0)).then_with(|| by_score(a, b)),
        Sort::Upvotes => votes(b.0).cmp(&votes(a.0)).then_with(|| by_score(a, b)),
    };
    if limit == 0 {
        return;
    }
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, order);
    }
    let top = limit.min(scored.len());
    sort_by(&mut scored[..top], &mut |a, b| order(a, b));
}

/// `query` with the first token whose normalized form is `word` replaced, or the
/// replacement appended when no token is. The token's byte range comes from the analyzer
/// run over `query` itself, so it always lies on character boundaries of `query` (offsets
/// found in a lowercased copy do not: "Ω" and "ω", "İ" and "i̇" differ in length).
fn replace_word(
    analyzer: &crate::analyze::Analyzer,
    query: &str,
    word: &str,
    replacement: &str,
) -> String {
    let mut found = None;
    analyzer.each_token(query, |term, start, end, _| {
        if found.is_none() && term == word {
            found = Some((start, end));
        }
    });
    match found {
        Some((start, end)) => format!("{}{replacement}{}", &query[..start], &query[end..]),
        None => format!("{query} {replacement}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(offset: u32) -> Word {
        Word {
            text: String::new(),
            offset,
            expansions: Rc::default(),
            idf: 0.0,
        }
    }

    #[test]
    fn positions_near_the_top_of_u32_find_no_run_instead_of_overflowing() {
        // Regression (issue 13): `start + 1 + i` overflowed (a panic, or in the wasm build a
        // wrapped position that could match position 0) for a position decoded as
        // u32::MAX - 1 in a three-word phrase.
        let words = [word(0), word(1), word(2)];
        let lists: [&[u32]; 3] = [&[u32::MAX - 1], &[u32::MAX], &[0]];
        assert!(!runs_adjacent(lists.into_iter(), &words));
        let lists: [&[u32]; 3] = [&[3, 7], &[8], &[9]];
        assert!(runs_adjacent(lists.into_iter(), &words));
        // Words at distance 2 (a dropped overlong token between them).
        let gapped = [word(0), word(2)];
        let lists: [&[u32]; 2] = [&[4], &[5]];
        assert!(!runs_adjacent(lists.into_iter(), &gapped));
        let lists: [&[u32]; 2] = [&[4], &[6]];
        assert!(runs_adjacent(lists.into_iter(), &gapped));
    }
}
