//! Expansion: what terms of the dictionary each word of a query stands for (itself, its
//! stem's other forms, completions of a word being typed, typos), with their weights.

use std::rc::Rc;

use fst::automaton::{Automaton, Str};
use rustc_hash::FxHashSet as HashSet;

use super::{
    Expansion, ExpansionCache, MatchKind, Prepared, Word, EXACT_WEIGHT, FUZZY_WEIGHTS,
    MAX_FUZZY_TERMS, MAX_PREFIX_TERMS, MAX_SCANNED_TERMS, PREFIX_WEIGHT, STEM_WEIGHT,
};
use crate::automata::BoundedPrefix;
use crate::format::terms::TermInfo;
use crate::fuzzy::{allowed_distance, Fuzzy};
use crate::query::Atom;
use crate::reader::lookup::{Gather, TermRange};
use crate::reader::Index;
use crate::sort::sort_by;

impl Index {
    /// Analyzes an atom into words with their expansions. `loose` allows prefix and typo
    /// matching (not for exclusions). `None` when the atom holds no word. A word met again
    /// (in this or another atom of the query) reuses its expansions from `cache`.
    pub(super) fn prepare(
        &self,
        atom: &Atom,
        loose: bool,
        cache: &mut ExpansionCache,
        gather: &mut Gather,
    ) -> Option<Prepared> {
        let tokens = self.analyzer.tokens(&atom.text);
        let first = tokens.first()?.position;
        let adjacent = tokens.len() > 1;
        let count = tokens.len();
        let words: Vec<Word> = tokens
            .into_iter()
            .enumerate()
            .map(|(i, token)| {
                let last = i + 1 == count;
                let prefix = loose && atom.prefix && last;
                let fuzzy = loose && !atom.phrase && !adjacent;
                let expansions = cache
                    .entry((token.text.clone(), prefix, fuzzy))
                    .or_insert_with(|| Rc::new(self.expand(&token.text, prefix, fuzzy, gather)))
                    .clone();
                Word {
                    expansions,
                    offset: token.position - first,
                    text: token.text,
                    idf: 0.0,
                }
            })
            .collect();
        let text = words
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let terms = words
            .iter()
            .flat_map(|w| w.expansions.iter().map(|e| e.term.clone()))
            .collect();
        let words = if adjacent {
            self.phrase_words(words, loose && atom.prefix, gather)
        } else {
            words
        };
        Some(Prepared {
            text,
            terms,
            adjacent: words.len() > 1,
            words,
            field: atom.field,
            idf: 0.0,
        })
    }

    /// The dictionary terms a query word stands for.
    fn expand(&self, word: &str, prefix: bool, fuzzy: bool, gather: &mut Gather) -> Vec<Expansion> {
        let mut found: Vec<Expansion> = Vec::new();
        let mut seen: HashSet<String> = HashSet::default();
        let mut add = |found: &mut Vec<Expansion>, term: &str, info, kind, weight| {
            if seen.insert(term.to_string()) {
                found.push(Expansion {
                    term: term.to_string(),
                    info,
                    kind,
                    weight,
                });
            }
        };
        if let Some(info) = self.lookup(word, gather) {
            add(&mut found, word, info, MatchKind::Exact, EXACT_WEIGHT);
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
            let range = TermRange::Prefix(scan_from.as_bytes());
            for (term, info) in self.scan(candidates, range, MAX_SCANNED_TERMS, gather) {
                if self.analyzer.stem(&term) == stem {
                    add(&mut found, &term, info, MatchKind::Stem, STEM_WEIGHT);
                }
            }
        }
        if prefix {
            let range = TermRange::Prefix(word.as_bytes());
            let mut candidates: Vec<(u32, String, TermInfo)> = self
                .scan(
                    Str::new(word).starts_with(),
                    range,
                    MAX_SCANNED_TERMS,
                    gather,
                )
                .into_iter()
                .filter(|(term, _)| term.as_str() != word)
                .map(|(term, info)| (info.doc_freq, term, info))
                .collect();
            sort_by(&mut candidates, &mut |a, b| {
                b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
            });
            for (_, term, info) in candidates.into_iter().take(MAX_PREFIX_TERMS) {
                add(&mut found, &term, info, MatchKind::Prefix, PREFIX_WEIGHT);
            }
        }
        // Whether the word is known decides typo matching: not before its pieces are in.
        if !gather.needs.is_empty() {
            return found;
        }
        // A word the collection holds as it is is taken to be meant: typo matching only
        // starts when it does not (which also keeps "model" from dragging in "modes"). So
        // is a word being typed that some term starts with: its completions are what is
        // meant, and looking for typos would fetch every term piece of its first letter
        // at each keystroke.
        let max = allowed_distance(word.chars().count());
        let known = found
            .iter()
            .any(|e| e.kind == MatchKind::Exact || (prefix && e.kind == MatchKind::Prefix));
        if fuzzy && !known && max > 0 && !word.bytes().any(|b| b.is_ascii_digit()) {
            let automaton = Fuzzy::new(word, max, prefix);
            let mut candidates: Vec<(u8, u32, String, TermInfo)> = self
                .scan(
                    automaton.clone(),
                    TermRange::first_byte(word),
                    MAX_SCANNED_TERMS,
                    gather,
                )
                .into_iter()
                .filter_map(|(term, info)| {
                    let distance = automaton.distance(&term)?;
                    (distance > 0).then(|| (distance, info.doc_freq, term, info))
                })
                .collect();
            sort_by(&mut candidates, &mut |a, b| {
                a.0.cmp(&b.0)
                    .then(b.1.cmp(&a.1))
                    .then_with(|| a.2.cmp(&b.2))
            });
            for (distance, _, term, info) in candidates.into_iter().take(MAX_FUZZY_TERMS) {
                let weight = FUZZY_WEIGHTS[usize::from(distance.min(2))];
                add(
                    &mut found,
                    &term,
                    info,
                    MatchKind::Fuzzy { distance },
                    weight,
                );
            }
        }
        found
    }
}
