//! "Did you mean": corrections for query words that match nothing, and the query rewritten
//! with them.

use rustc_hash::FxHashSet as HashSet;

use super::MAX_SCANNED_TERMS;
use super::{MatchKind, Prepared, Suggestion};
use crate::fuzzy::{allowed_distance, Fuzzy};
use crate::reader::lookup::{Gather, TermRange};
use crate::reader::Index;

impl Index {
    /// "Did you mean": for each word with no exact, stem or prefix match, the closest
    /// frequent term.
    /// A word needing a scan of the whole dictionary adds the term pieces not yet added
    /// to `gather`'s needs (and gets no suggestion this time).
    pub(super) fn suggestions(
        &self,
        query: &str,
        groups: &[Vec<Prepared>],
        gather: &mut Gather,
    ) -> Vec<Suggestion> {
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
            let closest = |candidates: Vec<(String, u32)>| {
                let full_word = Fuzzy::new(&word.text, 2, false);
                candidates
                    .into_iter()
                    .filter_map(|(term, doc_freq)| {
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
                            std::cmp::Reverse(doc_freq),
                            term,
                        ))
                    })
                    .min()
            };
            // The typo matches already found, else a scan (short words get one edit here).
            let found = word
                .expansions
                .iter()
                .map(|e| (e.term.clone(), e.info.doc_freq))
                .collect();
            let best = closest(found).or_else(|| {
                let automaton = Fuzzy::new(&word.text, allowed_distance(chars).max(1), false);
                let found = self.scan(
                    automaton,
                    TermRange::first_byte(&word.text),
                    MAX_SCANNED_TERMS,
                    gather,
                );
                closest(
                    found
                        .into_iter()
                        .map(|(t, info)| (t, info.doc_freq))
                        .collect(),
                )
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
