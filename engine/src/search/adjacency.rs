//! Adjacency: whether a phrase's (or a multi-part token's) words sit next to each other,
//! in order, in one field — from the decoded positions, or from the stored text when that
//! costs less (or before the positions file has arrived). Both give the same answers.

use super::score::gallop;
use super::{Searcher, Word};
use crate::format::{decode_positions_flat, FlatPositions, Posting};
use crate::model::Field;
use crate::sort::sort;

impl Searcher<'_> {
    /// Which of `docs` (sorted) hold `words` next to each other, in order, in one of
    /// `fields`.
    pub(super) fn adjacent(&mut self, docs: &[u32], fields: &[Field], words: &[Word]) -> Vec<bool> {
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
