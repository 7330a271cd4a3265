//! Highlights and the abstract excerpt: byte ranges into the text, never markup.

use rustc_hash::FxHashSet as HashSet;

use super::{Snippet, SNIPPET_BYTES};
use crate::reader::Index;
use crate::sort::sort;

/// A byte range of a text.
type Range = (usize, usize);

impl Index {
    pub(super) fn highlights(&self, text: &str, terms: &HashSet<&str>) -> Vec<(usize, usize)> {
        self.matched_ranges(text, terms).1
    }

    /// Every token's byte range in `text`, and the ranges of the tokens and joined
    /// compounds ("GPT-4" for the term "gpt4") that are among `terms`: sorted, a compound
    /// replacing the parts it covers. One pass, no allocation per token.
    fn matched_ranges(&self, text: &str, terms: &HashSet<&str>) -> (Vec<Range>, Vec<Range>) {
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
    pub(super) fn snippet(&self, text: &str, terms: &HashSet<&str>) -> Snippet {
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
