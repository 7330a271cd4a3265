//! Adjacency: where a phrase's (or a multi-part token's) words sit next to each other, in
//! order, in one field, from the positions of their terms in that field: how many times in
//! each field of each paper. Positions blocks have skip points, so checking a few papers
//! decodes few positions.

use super::score::gallop;
use super::{list_key, Searcher, Word, MAX_ADJACENCY_WORK};
use crate::format::positions::{PositionsBlock, SKIP};
use crate::format::postings::Posting;
use crate::model::Field;
use crate::sort::sort;

impl<'a> Searcher<'a> {
    /// How many times each of `docs` (sorted) holds `words` next to each other, in order,
    /// in each of `fields` (0 in the others): the places where the first word sits with
    /// every other at its offset. `None` past the search's adjacency budget (a query of
    /// many phrases of very common words), for the caller to loosen the phrase.
    pub(super) fn alignments(
        &mut self,
        docs: &[u32],
        fields: &[Field],
        words: &[Word],
    ) -> Option<Vec<[u32; Field::COUNT]>> {
        let cost = self.adjacency_cost(docs.len(), fields, words);
        if self.adjacency_work.saturating_add(cost) > MAX_ADJACENCY_WORK {
            return None;
        }
        self.adjacency_work += cost;
        for expansion in words.iter().flat_map(|w| w.expansions.iter()) {
            self.list(&expansion.info);
            for &field in fields {
                self.load_block(expansion, field);
            }
        }
        let index = self.index;
        // Per word, per expansion: its postings, and per field its block.
        type Source<'s, 'a> = (&'s [Posting], Vec<Option<&'s PositionsBlock<'a>>>);
        let sources: Vec<Vec<Source>> = words
            .iter()
            .map(|word| {
                word.expansions
                    .iter()
                    .map(|e| {
                        let key = list_key(&e.info);
                        let blocks = fields
                            .iter()
                            .map(|&f| self.positions.get(&(key, f)).and_then(Option::as_ref))
                            .collect();
                        (self.lists[&key].0.as_slice(), blocks)
                    })
                    .collect()
            })
            .collect();
        let mut cursors: Vec<Vec<Vec<_>>> = sources
            .iter()
            .map(|s| {
                s.iter()
                    .map(|(_, blocks)| blocks.iter().map(|b| b.map(|b| b.cursor())).collect())
                    .collect()
            })
            .collect();
        let mut at: Vec<Vec<usize>> = sources.iter().map(|s| vec![0; s.len()]).collect();
        let mut merged: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        let mut damaged = None;
        let mut counts = vec![[0u32; Field::COUNT]; docs.len()];
        for (d, &doc) in docs.iter().enumerate() {
            // Where `doc` sits in each expansion's list, if it does.
            let mut found: Vec<Vec<Option<usize>>> = Vec::with_capacity(words.len());
            for (w, word_sources) in sources.iter().enumerate() {
                found.push(
                    word_sources
                        .iter()
                        .enumerate()
                        .map(|(e, (list, _))| {
                            let i = gallop(list, at[w][e], doc);
                            at[w][e] = i;
                            list.get(i).is_some_and(|p| p.doc == doc).then_some(i)
                        })
                        .collect(),
                );
            }
            for (fi, &field) in fields.iter().enumerate() {
                for (w, word_sources) in sources.iter().enumerate() {
                    merged[w].clear();
                    for (e, (list, _)) in word_sources.iter().enumerate() {
                        let (Some(i), Some(cursor)) = (found[w][e], cursors[w][e][fi].as_mut())
                        else {
                            continue;
                        };
                        let length = list[i].len_bound(field);
                        if cursor.positions(list, i, length, &mut merged[w]).is_err() {
                            damaged.get_or_insert((w, e, field));
                        }
                    }
                    if word_sources.len() > 1 {
                        sort(&mut merged[w]);
                        merged[w].dedup();
                    }
                }
                counts[d][field as usize] = runs(merged.iter().map(Vec::as_slice), words);
            }
        }
        if let Some((w, e, field)) = damaged {
            let info = &words[w].expansions[e].info;
            self.damage
                .get_or_insert(index.damaged_positions(info, field));
        }
        Some(counts)
    }

    /// What checking `docs` papers for `words` costs, in position decodes: per expansion,
    /// its positions in each paper, and up to a skip interval's worth of others to reach
    /// them; never more than its whole block.
    fn adjacency_cost(&mut self, docs: usize, fields: &[Field], words: &[Word]) -> u64 {
        let mut cost = 0u64;
        for expansion in words.iter().flat_map(|w| w.expansions.iter()) {
            let list = self.list(&expansion.info);
            let positions: u64 = list
                .iter()
                .map(|p| fields.iter().map(|&f| u64::from(p.tf(f))).sum::<u64>())
                .sum();
            let per_posting = positions.div_ceil(list.len().max(1) as u64);
            let reach = (docs as u64).saturating_mul(per_posting * (SKIP as u64 / 2 + 1));
            cost = cost.saturating_add(positions.min(reach));
        }
        cost
    }

    /// Reads the positions block of an expansion in `field`, once.
    fn load_block(&mut self, expansion: &super::Expansion, field: Field) {
        let key = (list_key(&expansion.info), field);
        if self.positions.contains_key(&key) {
            return;
        }
        let index = self.index;
        let postings = self.list(&expansion.info).len();
        let block = match index.positions_block(&expansion.info, field, postings) {
            Ok(block) => Some(block),
            Err(crate::reader::ListError::Damaged(error)) => {
                self.damage.get_or_insert(error);
                None
            }
            Err(crate::reader::ListError::Missing(id)) => {
                self.damage
                    .get_or_insert(crate::format::FormatError::corrupt(
                        &index.file_name(id),
                        "was needed but not loaded",
                    ));
                None
            }
        };
        self.positions.insert(key, block);
    }
}

/// How many runs of the words at their distances (p, p+1, p+2, ... for words next to each
/// other) the sorted position lists hold, one position from each list, counted by where
/// they start. Positions come from the index file: one near `u32::MAX` finds no run rather
/// than overflowing.
fn runs<'a>(mut lists: impl Iterator<Item = &'a [u32]>, words: &[Word]) -> u32 {
    let Some(first) = lists.next() else {
        return 0;
    };
    let rest: Vec<&[u32]> = lists.collect();
    let count = first.iter().filter(|&&start| {
        rest.iter().zip(&words[1..]).all(|(p, word)| {
            start
                .checked_add(word.offset)
                .is_some_and(|at| p.binary_search(&at).is_ok())
        })
    });
    count.count() as u32
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
        let loader = crate::load::open_memory(builder.build().files).unwrap();
        let index = loader.index();
        let exact = index.search("\"graph of\"", 10).unwrap();
        assert_eq!((exact.total, exact.notice.as_deref()), (1, None));
        // The same search with its budget spent: both papers hold both words.
        let mut searcher = Searcher::new(index);
        let words: Vec<Word> = ["graph", "of"]
            .iter()
            .enumerate()
            .map(|(i, w)| Word {
                text: w.to_string(),
                offset: i as u32,
                expansions: std::rc::Rc::new(vec![super::super::Expansion {
                    term: w.to_string(),
                    info: index
                        .lookup(w, &mut crate::reader::lookup::Gather::default())
                        .unwrap(),
                    kind: crate::MatchKind::Exact,
                    weight: 1.0,
                }]),
                idf: 0.0,
            })
            .collect();
        assert_eq!(
            searcher.alignments(&[0, 1], &Field::ALL, &words),
            Some(vec![[1, 0], [0, 0]])
        );
        let atom = super::super::Prepared {
            text: "graph of".into(),
            terms: Vec::new(),
            words,
            field: None,
            adjacent: true,
            idf: 0.0,
        };
        searcher.adjacency_work = MAX_ADJACENCY_WORK;
        assert_eq!(searcher.alignments(&[0, 1], &Field::ALL, &atom.words), None);
        let loose: Vec<u32> = searcher.phrase_tf(&atom).iter().map(|e| e.0).collect();
        assert_eq!(loose, [0, 1]);
        assert!(searcher.loosened);
    }

    #[test]
    fn positions_near_the_top_of_u32_find_no_run_instead_of_overflowing() {
        // Regression (issue 13): `start + 1 + i` overflowed (a panic, or in the wasm build a
        // wrapped position that could match position 0) for a position decoded as
        // u32::MAX - 1 in a three-word phrase.
        let words = [word(0), word(1), word(2)];
        let lists: [&[u32]; 3] = [&[u32::MAX - 1], &[u32::MAX], &[0]];
        assert_eq!(runs(lists.into_iter(), &words), 0);
        let lists: [&[u32]; 3] = [&[3, 7], &[8], &[9]];
        assert_eq!(runs(lists.into_iter(), &words), 1);
        let lists: [&[u32]; 3] = [&[1, 3, 7], &[2, 4, 8], &[3, 9]];
        assert_eq!(runs(lists.into_iter(), &words), 2, "runs at 1 and 7");
        // Words at distance 2 (a dropped overlong token between them).
        let gapped = [word(0), word(2)];
        let lists: [&[u32]; 2] = [&[4], &[5]];
        assert_eq!(runs(lists.into_iter(), &gapped), 0);
        let lists: [&[u32]; 2] = [&[4], &[6]];
        assert_eq!(runs(lists.into_iter(), &gapped), 1);
    }
}
