//! Small fst automata for dictionary scans (the typo automaton is in `fuzzy.rs`).

use fst::Automaton;

/// Accepts the terms that start with `prefix` and are at most `max_len` bytes long. The
/// length bound prunes the walk itself, so a scan for a short prefix ("a") visits the short
/// terms only, not every term that starts with it.
#[derive(Debug, Clone)]
pub struct BoundedPrefix<'a> {
    pub prefix: &'a [u8],
    pub max_len: usize,
}

impl Automaton for BoundedPrefix<'_> {
    /// Bytes read so far; `None` once the term cannot match.
    type State = Option<usize>;

    fn start(&self) -> Option<usize> {
        (self.prefix.len() <= self.max_len).then_some(0)
    }

    fn is_match(&self, state: &Option<usize>) -> bool {
        state.is_some_and(|read| read >= self.prefix.len())
    }

    fn can_match(&self, state: &Option<usize>) -> bool {
        state.is_some()
    }

    fn accept(&self, state: &Option<usize>, byte: u8) -> Option<usize> {
        let read = (*state)?;
        if read >= self.max_len {
            return None;
        }
        match self.prefix.get(read) {
            Some(&wanted) if wanted != byte => None,
            _ => Some(read + 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Streamer};

    #[test]
    fn bounded_prefix_keeps_short_terms_with_the_prefix() {
        let set = fst::Set::from_iter(["a", "ab", "abcdef", "agent", "agents", "b"]).unwrap();
        let mut found = Vec::new();
        let mut stream = set
            .search(BoundedPrefix {
                prefix: b"a",
                max_len: 5,
            })
            .into_stream();
        while let Some(term) = stream.next() {
            found.push(String::from_utf8(term.to_vec()).unwrap());
        }
        assert_eq!(found, ["a", "ab", "agent"]);
    }
}
