//! Queries of common words from their heads (`format::heads`), not their lists.
//!
//! When a query's one word is of a family with a head, the search reads, for each term of
//! that family, which papers hold it and its postings in the family's head; for the
//! others it reads the lists (short ones: a head goes only to terms in more papers than it
//! holds). The papers found, the totals, the facets and the filters are then exactly those
//! of the lists. A paper in the head of each of its words' families is scored exactly; any
//! other one is scored from what is known (at most its true score), and bounded: each
//! family it is outside the head of adds at most the family's tail bound to the word's
//! pseudo term frequency. When the best exactly scored papers are more than the page shows
//! and the last shown beats every bound, they are the answer the lists give, in the same
//! order with the same scores (`tests/heads.rs`). Otherwise the search asks for the
//! lists, and runs from them.

use rustc_hash::FxHashSet as HashSet;

use super::filter::sort_hits;
use super::score::gallop;
use super::{Prepared, Searcher};
use crate::bm25;
use crate::format::heads::BLOCK;
use crate::format::terms::TermInfo;
use crate::query::Sort;
use crate::reader::{Index, Needs};

impl Index {
    /// Does this query read heads? Only a query of one word (unquoted, of no field, of a
    /// family with a head: its other expansions, completions or typos, are read from their
    /// lists), ranked by relevance, with any filters and exclusions (exclusions of no
    /// field, unquoted); and only while some of its lists has not arrived (when all have,
    /// reading them is as cheap, and a query that needed them after its heads does not
    /// ask again).
    ///
    /// One word, because the bound settles a word's best papers (its head's best beat
    /// every bound), and seldom two words' or three: measured at 100,000 synthetic papers
    /// with heads of 4,096 papers, `reinforcement learning agents` left 304 papers whose
    /// bounds reached the tenth exact score (25 with heads of 16,384), `learning agents`
    /// 51, and reading the lists after the heads cost more than the lists alone.
    pub(super) fn reads_heads(
        &self,
        groups: &[Vec<Prepared>],
        excluded: &[Prepared],
        order: Sort,
    ) -> bool {
        let [group] = groups else {
            return false;
        };
        let [atom] = group.as_slice() else {
            return false;
        };
        let [word] = atom.words.as_slice() else {
            return false;
        };
        if order != Sort::Relevance
            || std::iter::once(atom)
                .chain(excluded)
                .any(|a| a.adjacent || a.field.is_some())
        {
            return false;
        }
        let mut headed = word
            .expansions
            .iter()
            .filter(|e| e.info.head.len > 0)
            .peekable();
        headed.peek().is_some()
            && headed.any(|e| {
                !self.has(crate::format::PieceId::new(
                    crate::format::PieceKind::Postings,
                    e.info.postings.piece,
                ))
            })
    }

    /// What a term's data is read from: its head span when the query reads heads and the
    /// term has one, else its list.
    pub(super) fn needs_term(&self, info: &TermInfo, heads: bool, needs: &mut Needs) {
        if heads && info.head.len > 0 {
            self.needs_head(info, needs);
        } else {
            self.needs_list(info, needs);
        }
    }
}

impl Searcher<'_> {
    /// With heads read: sorts the `limit` best of `scored` (every paper found, scored from
    /// what is known) to the front and returns `true` when they are the answer the lists
    /// give; `false` when a paper outside some head might beat them.
    pub(super) fn settle(
        &mut self,
        groups: &[Vec<Prepared>],
        scored: &mut Vec<(u32, f32)>,
        limit: usize,
    ) -> bool {
        if limit == 0 || scored.is_empty() {
            return true;
        }
        let gaps = self.bound_gaps(groups, scored);
        let mut exact: Vec<(u32, f32)> = Vec::with_capacity(scored.len());
        let mut highest_bound = f32::NEG_INFINITY;
        for (&(doc, score), gap) in scored.iter().zip(&gaps) {
            if *gap > 0.0 {
                highest_bound = highest_bound.max(score + gap);
            } else {
                exact.push((doc, score));
            }
        }
        let shown = limit.min(scored.len());
        if exact.len() < shown {
            return false;
        }
        sort_hits(self.index, &mut exact, Sort::Relevance, shown);
        if highest_bound >= exact[shown - 1].1 {
            return false;
        }
        // The shown papers first, in order; the others after them, in any order.
        let top: HashSet<u32> = exact[..shown].iter().map(|&(doc, _)| doc).collect();
        let rest: Vec<(u32, f32)> = scored
            .iter()
            .copied()
            .filter(|(doc, _)| !top.contains(doc))
            .collect();
        exact.truncate(shown);
        exact.extend(rest);
        *scored = exact;
        true
    }

    /// For each paper of `scored` (in document order), how much more than its known score
    /// its true score can be: for each word of each atom it matches, what the tail bounds
    /// of the families it is outside the head of add to the word's score.
    fn bound_gaps(&mut self, groups: &[Vec<Prepared>], scored: &[(u32, f32)]) -> Vec<f32> {
        let index = self.index;
        let mut gaps = vec![0f32; scored.len()];
        for atom in groups.iter().flatten() {
            let fields = atom.fields();
            let tfs: Vec<_> = atom.words.iter().map(|w| self.word_tf(w)).collect();
            // Per word, its headed expansions' lists and their families' bounds.
            let mut headed = Vec::with_capacity(atom.words.len());
            for word in &atom.words {
                let mut of_word = Vec::new();
                for e in word.expansions.iter().filter(|e| e.info.head.len > 0) {
                    let family = index.analyzer.stem(&e.term).into_owned();
                    self.list(&e.info);
                    let list = self.lists[&e.key()].clone();
                    // (A head that did not decode was reported, and its list is empty.)
                    let blocks = index.head_list(&e.info).map(|h| h.blocks.clone());
                    of_word.push((
                        family,
                        e.info.tail_bound(),
                        list,
                        blocks.unwrap_or_default(),
                    ));
                }
                headed.push(of_word);
            }
            let mut at_tf = vec![0usize; atom.words.len()];
            let mut at_list: Vec<Vec<usize>> = headed.iter().map(|w| vec![0; w.len()]).collect();
            for (i, &(doc, _)) in scored.iter().enumerate() {
                // The atom counts where all its words are.
                let mut entries = Vec::with_capacity(tfs.len());
                for (w, tf) in tfs.iter().enumerate() {
                    at_tf[w] = super::score::gallop_by(tf, at_tf[w], doc, |e| e.0);
                    match tf.get(at_tf[w]) {
                        Some(entry) if entry.0 == doc => entries.push(*entry),
                        _ => break,
                    }
                }
                if entries.len() < tfs.len() {
                    continue;
                }
                for (w, (word, &(_, tf, len))) in atom.words.iter().zip(&entries).enumerate() {
                    // Per family the paper is outside the head of, the least bound its
                    // forms' blocks give.
                    let mut outside: Vec<(&str, f32)> = Vec::new();
                    for (e, (family, bound, list, blocks)) in headed[w].iter().enumerate() {
                        let list = &list.0;
                        let at = gallop(list, at_list[w][e], doc);
                        at_list[w][e] = at;
                        let unknown = list
                            .get(at)
                            .is_some_and(|p| p.doc == doc && p.tf.iter().all(|&t| t == 0));
                        if !unknown {
                            continue;
                        }
                        let share = blocks.get(at / BLOCK).map_or(255, |&q| q);
                        let bound = bound * f32::from(share) / 255.0;
                        match outside.iter_mut().find(|(f, _)| f == family) {
                            Some((_, b)) => *b = b.min(bound),
                            None => outside.push((family, bound)),
                        }
                    }
                    if outside.is_empty() {
                        continue;
                    }
                    let known: f32 = fields
                        .iter()
                        .filter(|&&f| tf[f as usize] > 0.0)
                        .map(|&f| {
                            bm25::field_part(
                                f,
                                tf[f as usize],
                                len[f as usize],
                                index.avg_field_length(f),
                            )
                        })
                        .sum();
                    let extra: f32 = outside.iter().map(|(_, b)| b).sum();
                    gaps[i] +=
                        bm25::saturate(known + extra, word.idf) - bm25::saturate(known, word.idf);
                }
            }
        }
        // Rounding: a gap is never taken for less than it is.
        gaps.iter_mut()
            .filter(|g| **g > 0.0)
            .for_each(|g| *g = *g * 1.001 + f32::EPSILON);
        gaps
    }
}
