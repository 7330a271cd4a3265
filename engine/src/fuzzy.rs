//! Typo-tolerant matching over the term dictionary: an fst automaton that accepts the terms
//! within a bounded edit distance of a word (Levenshtein with adjacent transpositions, so
//! "agnet" is one edit from "agent"), optionally as a prefix of the term.

use fst::Automaton;

/// The edit distance a word of `chars` characters tolerates: none below 5, 1 from 5, 2 from
/// 9 (shorter words have too many neighbours for a typo to be told from another word).
pub fn allowed_distance(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// Accepts terms within `max` edits of `word` (bytes), or, with `prefix`, terms that start
/// with something within `max` edits of it. The first byte must match exactly.
#[derive(Debug, Clone)]
pub struct Fuzzy<'a> {
    word: &'a [u8],
    max: u8,
    prefix: bool,
}

impl<'a> Fuzzy<'a> {
    /// `word` is cut to [`MAX_WORD`] bytes (the analyzer never makes longer terms).
    pub fn new(word: &'a str, max: u8, prefix: bool) -> Self {
        let bytes = word.as_bytes();
        Fuzzy {
            word: &bytes[..bytes.len().min(MAX_WORD)],
            max,
            prefix,
        }
    }

    /// The distance of a complete term, if within bounds (for ranking the matches).
    pub fn distance(&self, term: &str) -> Option<u8> {
        let mut state = self.start();
        for &b in term.as_bytes() {
            state = self.accept(&state, b);
        }
        state.as_ref().and_then(|s| s.distance(self))
    }
}

/// Longest word the automaton handles, in bytes.
pub const MAX_WORD: usize = 40;

/// A row of the edit-distance table, the row before it (for transpositions), the last byte
/// read, and the best full-word distance met so far (prefix mode). `None`: no extension can
/// match. Fixed arrays, so stepping the automaton allocates nothing.
#[derive(Debug, Clone)]
pub struct FuzzyState {
    previous: [u8; MAX_WORD + 1],
    row: [u8; MAX_WORD + 1],
    last: Option<u8>,
    best: u8,
}

impl FuzzyState {
    fn distance(&self, automaton: &Fuzzy) -> Option<u8> {
        let end = self.row[automaton.word.len()];
        let d = if automaton.prefix {
            end.min(self.best)
        } else {
            end
        };
        (d <= automaton.max).then_some(d)
    }
}

impl Automaton for Fuzzy<'_> {
    type State = Option<FuzzyState>;

    fn start(&self) -> Self::State {
        let mut row = [0u8; MAX_WORD + 1];
        for (i, cell) in row.iter_mut().enumerate() {
            *cell = i as u8;
        }
        Some(FuzzyState {
            previous: [0; MAX_WORD + 1],
            best: row[self.word.len()],
            row,
            last: None,
        })
    }

    fn is_match(&self, state: &Self::State) -> bool {
        state.as_ref().is_some_and(|s| s.distance(self).is_some())
    }

    fn can_match(&self, state: &Self::State) -> bool {
        state.is_some()
    }

    fn will_always_match(&self, state: &Self::State) -> bool {
        self.prefix && state.as_ref().is_some_and(|s| s.best <= self.max)
    }

    fn accept(&self, state: &Self::State, byte: u8) -> Self::State {
        let state = state.as_ref()?;
        // The first letter must be right (Lucene's prefix length 1): typos at the start of
        // a word are rare, and this keeps the walk to one branch of the dictionary.
        if state.last.is_none() && self.word.first().is_some_and(|&first| first != byte) {
            return None;
        }
        let word = self.word;
        let cap = self.max.saturating_add(1);
        let mut row = [0u8; MAX_WORD + 1];
        row[0] = state.row[0].saturating_add(1).min(cap);
        for j in 1..=word.len() {
            let substitution = state.row[j - 1].saturating_add(u8::from(word[j - 1] != byte));
            let mut d = substitution
                .min(state.row[j].saturating_add(1))
                .min(row[j - 1].saturating_add(1));
            if j > 1 && state.last == Some(word[j - 1]) && word[j - 2] == byte {
                d = d.min(state.previous[j - 2].saturating_add(1));
            }
            row[j] = d.min(cap);
        }
        let best = state.best.min(row[word.len()]);
        let alive =
            row[..=word.len()].iter().any(|&d| d <= self.max) || (self.prefix && best <= self.max);
        alive.then_some(FuzzyState {
            previous: state.row,
            row,
            last: Some(byte),
            best,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let f = Fuzzy::new("agent", 1, false);
        assert_eq!(f.distance("agent"), Some(0));
        assert_eq!(f.distance("agnet"), Some(1), "a transposition is one edit");
        assert_eq!(f.distance("agents"), Some(1));
        assert_eq!(f.distance("aent"), Some(1));
        assert_eq!(f.distance("gent"), None, "the first letter must match");
        assert_eq!(f.distance("argent"), Some(1));
        assert_eq!(f.distance("angers"), None);
        let f = Fuzzy::new("reinforcment", 2, false);
        assert_eq!(f.distance("reinforcement"), Some(1));
    }

    #[test]
    fn prefix_mode_matches_longer_terms() {
        let f = Fuzzy::new("reinfor", 1, true);
        assert_eq!(f.distance("reinforcement"), Some(0));
        assert_eq!(f.distance("renforcement"), Some(1));
        assert_eq!(f.distance("rain"), None);
    }

    #[test]
    fn searches_an_fst() {
        use fst::{IntoStreamer, Streamer};
        let set = fst::Set::from_iter(["agent", "agents", "angle", "magnet", "urgent"]).unwrap();
        let mut stream = set.search(Fuzzy::new("agnet", 1, false)).into_stream();
        let mut found = Vec::new();
        while let Some(key) = stream.next() {
            found.push(String::from_utf8(key.to_vec()).unwrap());
        }
        assert_eq!(found, ["agent"]); // not "magnet": the first letter must match
    }

    #[test]
    fn allowed_distance_grows_with_length() {
        assert_eq!(allowed_distance(4), 0);
        assert_eq!(allowed_distance(5), 1);
        assert_eq!(allowed_distance(9), 2);
    }
}
