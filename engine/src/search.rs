//! Query evaluation and ranking.
//!
//! A query is analyzed with the index's analyzer. Every query token must match (AND). A
//! token matches its exact term, the other words with the same English stem ("agent" finds
//! "agents"), and — for the token being typed, the last one when the query does not end in
//! a space — every term it is a prefix of. Documents are ranked with BM25F, the title
//! weighted over the abstract; exact matches score above stem matches above prefix matches.

use std::collections::{BTreeSet, HashMap};

use fst::automaton::{Automaton, Str};
use fst::{IntoStreamer, Streamer};

use crate::index::Index;
use crate::model::Field;

/// BM25 saturation and length-normalization constants (the usual values).
const K1: f32 = 1.2;
const B: f32 = 0.75;
/// How much a title occurrence counts against an abstract occurrence.
const FIELD_WEIGHTS: [f32; Field::COUNT] = [3.0, 1.0];
/// Score multipliers by how a term matched a query token.
const EXACT_WEIGHT: f32 = 1.0;
const STEM_WEIGHT: f32 = 0.9;
const PREFIX_WEIGHT: f32 = 0.7;
/// A prefix expands to at most this many terms, the most frequent ones.
const MAX_PREFIX_TERMS: usize = 64;
/// Upper bound on dictionary keys scanned per query token, so a one-letter prefix on a
/// huge dictionary stays fast.
const MAX_SCANNED_TERMS: usize = 20_000;
/// Length of the abstract excerpt, in bytes (a window of whole tokens).
const SNIPPET_BYTES: usize = 240;

/// What a search returns.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResults {
    /// Number of matching papers (`hits` holds at most the requested limit).
    pub total: usize,
    pub hits: Vec<Hit>,
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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub start: usize,
    pub end: usize,
    pub highlights: Vec<(usize, usize)>,
}

/// A dictionary term standing in for a query token, with its match weight.
struct Expansion {
    offset: u64,
    weight: f32,
}

impl Index {
    /// Runs `query` and returns at most `limit` hits, best first.
    pub fn search(&self, query: &str, limit: usize) -> SearchResults {
        let tokens = self.analyzer.tokens(query);
        if tokens.is_empty() {
            return SearchResults {
                total: 0,
                hits: Vec::new(),
            };
        }
        let typing_last = !query.ends_with(char::is_whitespace);
        let mut matched_terms = BTreeSet::new();
        let mut scores: Option<HashMap<u32, f32>> = None;
        for (i, token) in tokens.iter().enumerate() {
            let prefix = typing_last && i + 1 == tokens.len();
            let expansions = self.expand(&token.text, prefix, &mut matched_terms);
            let token_scores = self.score_token(&expansions);
            scores = Some(match scores {
                None => token_scores,
                Some(previous) => previous
                    .into_iter()
                    .filter_map(|(doc, score)| token_scores.get(&doc).map(|s| (doc, score + s)))
                    .collect(),
            });
        }
        let mut ranked: Vec<(u32, f32)> = scores.unwrap_or_default().into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let total = ranked.len();
        let hits = ranked
            .into_iter()
            .take(limit)
            .map(|(doc, score)| self.hit(doc, score, &matched_terms))
            .collect();
        SearchResults { total, hits }
    }

    /// The dictionary terms a query token stands for. Adds them to `matched_terms`.
    fn expand(
        &self,
        token: &str,
        prefix: bool,
        matched_terms: &mut BTreeSet<String>,
    ) -> Vec<Expansion> {
        let mut found: HashMap<String, Expansion> = HashMap::new();
        if let Some(offset) = self.terms().get(token) {
            found.insert(
                token.to_string(),
                Expansion {
                    offset,
                    weight: EXACT_WEIGHT,
                },
            );
        }

        // Words sharing the token's stem. The stem drops at most a trailing letter of the
        // inflected forms ("studi" for "study"), so scanning from the stem minus its last
        // character finds them all.
        let stem = self.analyzer.stem(token);
        let scan_from = match stem.char_indices().last() {
            Some((last, _)) if stem.chars().count() > 3 => &stem[..last],
            _ => &stem[..],
        };
        let mut stream = self
            .terms()
            .search(Str::new(scan_from).starts_with())
            .into_stream();
        let mut scanned = 0;
        while let Some((term, offset)) = stream.next() {
            scanned += 1;
            if scanned > MAX_SCANNED_TERMS {
                break;
            }
            let Ok(term) = std::str::from_utf8(term) else {
                continue;
            };
            if term != token && self.analyzer.stem(term) == stem {
                found.insert(
                    term.to_string(),
                    Expansion {
                        offset,
                        weight: STEM_WEIGHT,
                    },
                );
            }
        }

        if prefix {
            let mut candidates = Vec::new();
            let mut stream = self
                .terms()
                .search(Str::new(token).starts_with())
                .into_stream();
            let mut scanned = 0;
            while let Some((term, offset)) = stream.next() {
                scanned += 1;
                if scanned > MAX_SCANNED_TERMS {
                    break;
                }
                if let Ok(term) = std::str::from_utf8(term) {
                    if !found.contains_key(term) {
                        candidates.push((self.doc_freq_at(offset), term.to_string(), offset));
                    }
                }
            }
            candidates.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
            for (_, term, offset) in candidates.into_iter().take(MAX_PREFIX_TERMS) {
                found.insert(
                    term,
                    Expansion {
                        offset,
                        weight: PREFIX_WEIGHT,
                    },
                );
            }
        }

        matched_terms.extend(found.keys().cloned());
        found.into_values().collect()
    }

    /// BM25F score of each document for one query token: the best of its expansions.
    fn score_token(&self, expansions: &[Expansion]) -> HashMap<u32, f32> {
        let n = self.papers().len() as f32;
        let mut scores: HashMap<u32, f32> = HashMap::new();
        for expansion in expansions {
            let postings = self.postings_at(expansion.offset);
            let df = postings.len() as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for posting in &postings {
                let mut tf = 0.0;
                for field in Field::ALL {
                    let raw = posting.tf(field) as f32;
                    if raw == 0.0 {
                        continue;
                    }
                    let length_ratio =
                        self.field_length(posting.doc, field) as f32 / self.avg_field_length(field);
                    tf += FIELD_WEIGHTS[field as usize] * raw / (1.0 - B + B * length_ratio);
                }
                let score = expansion.weight * idf * tf * (K1 + 1.0) / (tf + K1);
                let best = scores.entry(posting.doc).or_insert(0.0);
                if score > *best {
                    *best = score;
                }
            }
        }
        scores
    }

    fn hit(&self, doc: u32, score: f32, matched_terms: &BTreeSet<String>) -> Hit {
        let paper = &self.papers()[doc as usize];
        let title_highlights = self.highlights(&paper.title, matched_terms);
        let abstract_highlights = self.highlights(&paper.abstract_text, matched_terms);
        Hit {
            doc,
            score,
            title_highlights,
            snippet: self.snippet(&paper.abstract_text, abstract_highlights),
        }
    }

    fn highlights(&self, text: &str, matched_terms: &BTreeSet<String>) -> Vec<(usize, usize)> {
        self.analyzer
            .tokens(text)
            .into_iter()
            .filter(|t| matched_terms.contains(&t.text))
            .map(|t| (t.start, t.end))
            .collect()
    }

    /// A window of the abstract of about [`SNIPPET_BYTES`], placed to hold as many
    /// highlights as possible, cut at token boundaries.
    fn snippet(&self, text: &str, highlights: Vec<(usize, usize)>) -> Snippet {
        let tokens = self.analyzer.tokens(text);
        if tokens.is_empty() {
            return Snippet {
                start: 0,
                end: text.len(),
                highlights,
            };
        }
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
        let first = tokens
            .iter()
            .position(|t| t.start >= best_start)
            .unwrap_or(0);
        let start = if first == 0 { 0 } else { tokens[first].start };
        let end = tokens[first..]
            .iter()
            .take_while(|t| t.end <= start + SNIPPET_BYTES)
            .last()
            .map_or(text.len(), |t| t.end);
        let end = if tokens.last().is_some_and(|t| t.end <= end) {
            text.len()
        } else {
            end
        };
        let highlights = highlights
            .into_iter()
            .filter(|&(s, e)| s >= start && e <= end)
            .collect();
        Snippet {
            start,
            end,
            highlights,
        }
    }
}
