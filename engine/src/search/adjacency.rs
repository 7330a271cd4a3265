//! Adjacency: whether a phrase's (or a multi-part token's) words sit next to each other,
//! in order, in one field — from the decoded positions, or from the stored text when that
//! costs less (or before the positions file has arrived). Both give the same answers.

use super::score::gallop;
use super::{Searcher, Word, MAX_ADJACENCY_WORK};
use crate::format::{decode_positions_flat, FlatPositions, Posting};
use crate::model::Field;
use crate::sort::sort;

impl Searcher<'_> {
    /// Which of `docs` (sorted) hold `words` next to each other, in order, in one of
    /// `fields`.
    pub(super) fn adjacent(&mut self, docs: &[u32], fields: &[Field], words: &[Word]) -> Vec<bool> {
        let (text, positions) = self.adjacency_costs(docs.len(), words);
        // Text when the positions file has not arrived or when it costs less.
        let use_text = !self.index.has_positions() || text < positions;
        let cost = if use_text { text } else { positions };
        if self.adjacency_work.saturating_add(cost) > MAX_ADJACENCY_WORK {
            // Past the budget (a query of many phrases of very common words), the words
            // count as adjacent where they all occur: the search stays bounded, and says
            // so (SearchResults::notice).
            self.loosened = true;
            return vec![true; docs.len()];
        }
        self.adjacency_work += cost;
        if use_text {
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

    /// What checking `docs` papers for `words` costs, in position decodes: from their text
    /// (analyzing each paper again), and from positions (decoding the blocks of the
    /// words' terms not decoded yet, whole: their codes have no skip points). For a common
    /// word ("in": most papers, several times each) a few papers' text costs a fraction of
    /// its positions; for many papers, positions serve every phrase of the query at once.
    fn adjacency_costs(&mut self, docs: usize, words: &[Word]) -> (u64, u64) {
        /// Analyzing a token of text costs about this many position decodes (measured
        /// with the one_query example on the 100k synthetic index).
        const TOKEN_COST: f32 = 4.0;
        let tokens_per_paper: f32 = Field::ALL
            .iter()
            .map(|&f| self.index.avg_field_length(f))
            .sum();
        let text = docs as f32 * tokens_per_paper * TOKEN_COST;
        // The text path analyzes the papers again for each phrase of the query; compare
        // with what all of them would cost.
        let text_for_all = text * self.adjacent_atoms.max(1) as f32;
        let mut positions = 0u64;
        for expansion in words.iter().flat_map(|w| w.expansions.iter()) {
            if self.positions.contains_key(&expansion.offset) {
                continue;
            }
            // The positions a list holds: the sum of its term frequencies.
            positions += self
                .list(expansion.offset)
                .iter()
                .map(|p| u64::from(p.tf[0]) + u64::from(p.tf[1]))
                .sum::<u64>();
        }
        let text = if text_for_all < positions as f32 {
            text as u64
        } else {
            // Text would cost more over the whole query: report it as such.
            text_for_all as u64
        };
        (text, positions)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn word(offset: u32) -> Word {
        Word {
            text: String::new(),
            offset,
            expansions: std::rc::Rc::default(),
            idf: 0.0,
        }
    }

    #[test]
    fn past_the_work_budget_phrases_match_as_words_and_say_so() {
        let mut builder = crate::IndexBuilder::new();
        for (i, text) in ["the graph of a network", "a network of the graph"]
            .iter()
            .enumerate()
        {
            builder.add(crate::Paper {
                id: format!("p{i}"),
                title: text.to_string(),
                abstract_text: "x".into(),
                ..crate::Paper::default()
            });
        }
        let files = builder.build().files;
        let file = |prefix: &str| {
            files
                .iter()
                .find(|(n, _)| n.starts_with(prefix))
                .unwrap()
                .1
                .clone()
        };
        let manifest = crate::Manifest::from_json(&file("manifest")).unwrap();
        let index = crate::Index::open(
            manifest,
            file("terms"),
            file("postings"),
            Some(file("positions")),
            &file("papers"),
        )
        .unwrap();
        let exact = index.search("\"graph of\"", 10);
        assert_eq!((exact.total, exact.notice.as_deref()), (1, None));
        // The same search with its budget spent: both papers hold both words.
        let mut searcher = Searcher::new(&index);
        searcher.adjacency_work = MAX_ADJACENCY_WORK;
        let words: Vec<Word> = ["graph", "of"]
            .iter()
            .enumerate()
            .map(|(i, w)| Word {
                text: w.to_string(),
                offset: i as u32,
                expansions: std::rc::Rc::new(vec![super::super::Expansion {
                    term: w.to_string(),
                    offset: index.terms().get(w).unwrap(),
                    kind: crate::MatchKind::Exact,
                    weight: 1.0,
                }]),
                idf: 0.0,
            })
            .collect();
        assert_eq!(
            searcher.adjacent(&[0, 1], &Field::ALL, &words),
            [true, true]
        );
        assert!(searcher.loosened);
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
