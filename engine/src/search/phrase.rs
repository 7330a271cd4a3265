//! Phrases scored as units, as Lucene scores a phrase query: a paper's term frequency for a
//! phrase (or a multi-part token, "GPT-4") is how many times its words sit next to each
//! other, in order, in each field, and its inverse document frequency is that of the papers
//! holding it so. A phrase is then one term for BM25F, whether its occurrences come from
//! the positions of its words ([`Searcher::alignments`]) or from a biword that holds them
//! whole (`build/biwords.rs`, used by [`Index::phrase_words`]): both give the same papers,
//! counts and scores.

use std::rc::Rc;

use super::score::{gallop_by, intersect, Pass, Scores};
use super::{Expansion, Prepared, Searcher, Word, WordTf, EXACT_WEIGHT};
use crate::format::terms::biword_key;
use crate::model::Field;
use crate::reader::lookup::Gather;
use crate::reader::Index;
use crate::search::MatchKind;

impl Index {
    /// The words a phrase is checked with: each pair of adjacent words the dictionary
    /// holds as a biword stands in for both (the words it leaves alone stay), so a phrase
    /// of common words reads short lists. `typed_last`: the last word is being typed, and
    /// its completions are no biword's. Looks the pairs up in the same round as the words.
    pub(super) fn phrase_words(
        &self,
        words: Vec<Word>,
        typed_last: bool,
        gather: &mut Gather,
    ) -> Vec<Word> {
        let n = words.len();
        let pairs: Vec<_> = words
            .windows(2)
            .enumerate()
            .map(|(i, pair)| {
                let next_to = pair[1].offset == pair[0].offset + 1;
                let typed = typed_last && i + 2 == n;
                if !next_to || typed {
                    return None;
                }
                let stem = |w: &Word| self.analyzer.stem(&w.text).into_owned();
                let key = biword_key(&stem(&pair[0]), &stem(&pair[1]));
                self.lookup(&key, gather)
            })
            .collect();
        if !gather.needs.is_empty() || pairs.iter().all(Option::is_none) {
            return words;
        }
        // Each word covered once where possible: a pair is taken when its first word is
        // not covered yet, or it is the last pair and its second word is not.
        let mut covered = vec![false; n];
        let mut out: Vec<Word> = Vec::new();
        for (i, info) in pairs.into_iter().enumerate() {
            let Some(info) = info else { continue };
            if covered[i] && (i + 2 != n || covered[i + 1]) {
                continue;
            }
            covered[i] = true;
            covered[i + 1] = true;
            let text = format!("{} {}", words[i].text, words[i + 1].text);
            out.push(Word {
                expansions: Rc::new(vec![Expansion {
                    term: text.clone(),
                    info,
                    kind: MatchKind::Exact,
                    weight: EXACT_WEIGHT,
                }]),
                text,
                offset: words[i].offset,
                idf: 0.0,
            });
        }
        out.extend(
            words
                .into_iter()
                .zip(covered)
                .filter(|(_, covered)| !covered)
                .map(|(word, _)| word),
        );
        // The first word is covered by the first pair or left as it is: offsets still
        // start at 0.
        crate::sort::sort_by(&mut out, &mut |a, b| a.offset.cmp(&b.offset));
        out
    }
}

impl Searcher<'_> {
    /// How many times the phrase `atom` occurs in each field of each paper holding it,
    /// with the paper's field lengths, in document order: in every field, whatever field
    /// the atom is limited to, as a word's papers are counted for its idf. Computed once
    /// per phrase.
    pub(super) fn phrase_tf(&mut self, atom: &Prepared) -> Rc<WordTf> {
        // The key: per word its offset and its expansions' lists.
        let mut key: Vec<u64> = Vec::new();
        for word in &atom.words {
            key.push(u64::MAX - u64::from(word.offset));
            key.extend(word.expansions.iter().map(Expansion::key));
        }
        if let Some(tf) = self.word_tfs.get(&key) {
            return tf.clone();
        }
        let fields = &Field::ALL;
        let per_word: Vec<Rc<WordTf>> = atom.words.iter().map(|w| self.word_tf(w)).collect();
        // The papers holding every word.
        let holding: Vec<Scores> = atom
            .words
            .iter()
            .map(|w| self.word_scores(w, fields, Pass::Docs))
            .collect();
        let docs: Vec<u32> = intersect(&holding)
            .into_iter()
            .map(|(doc, _)| doc)
            .collect();
        let entry = |tf: &WordTf, doc: u32| {
            let i = tf.partition_point(|e| e.0 < doc);
            tf[i]
        };
        let counts = match self.alignments(&docs, fields, &atom.words) {
            Some(counts) => counts,
            None => {
                // Past the budget the words count as one occurrence of the phrase in each
                // field that holds them all: the search stays bounded, and says so
                // (SearchResults::notice).
                self.loosened = true;
                docs.iter()
                    .map(|&doc| {
                        Field::ALL.map(|f| {
                            u32::from(per_word.iter().all(|w| entry(w, doc).1[f as usize] > 0.0))
                        })
                    })
                    .collect()
            }
        };
        let first = &per_word[0];
        let mut at = 0;
        let out: WordTf = docs
            .iter()
            .zip(counts)
            .filter(|(_, count)| count.iter().any(|&c| c > 0))
            .map(|(&doc, count)| {
                // The field lengths come with the first word's postings, in every field it
                // is in: every field holding the phrase.
                at = gallop_by(first, at, doc, |e| e.0);
                (doc, count.map(|c| c as f32), first[at].2)
            })
            .collect();
        let out = Rc::new(out);
        self.word_tfs.insert(key, out.clone());
        out
    }

    /// Scores of a phrase (its idf set by `set_idf`), in document order.
    pub(super) fn phrase_scores(&mut self, atom: &Prepared, pass: Pass) -> Scores {
        let tfs = self.phrase_tf(atom);
        self.scores_of(&tfs, atom.fields(), atom.idf, pass)
    }

    /// The contributions of a phrase to `doc`'s score, per field.
    pub(super) fn explain_phrase(&mut self, doc: u32, atom: &Prepared) -> Vec<super::Contribution> {
        let tfs = self.phrase_tf(atom);
        let i = tfs.partition_point(|e| e.0 < doc);
        let Some(&(_, tf, len)) = tfs.get(i).filter(|e| e.0 == doc) else {
            return Vec::new();
        };
        let parts = self.index.bm25(tf, len, atom.fields(), atom.idf);
        Field::ALL
            .into_iter()
            .filter(|&f| parts[f as usize] > 0.0)
            .map(|field| super::Contribution {
                word: atom.text.clone(),
                term: atom.text.clone(),
                field,
                kind: MatchKind::Exact,
                score: parts[field as usize],
            })
            .collect()
    }
}
