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

use std::collections::BinaryHeap;
use std::rc::Rc;
use std::sync::Arc;

use rustc_hash::FxHashSet as HashSet;

use super::{Prepared, Searcher, WordTf};
use crate::bm25;
use crate::format::heads::BLOCK;
use crate::format::postings::Decoded;
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
        headed.peek().is_some() && headed.any(|e| !self.has_list(&e.info))
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

/// A term read from its head, as a bound needs it: its family (an index among the word's),
/// its family's tail bound, its merged list and its block bounds.
struct Headed {
    family: usize,
    bound: f32,
    list: Arc<Decoded>,
    blocks: Vec<u8>,
}

/// What the bounds of an atom's papers are computed from: its words' term frequencies and
/// their terms read from heads.
struct AtomBounds<'p> {
    atom: &'p Prepared,
    tfs: Vec<Rc<WordTf>>,
    headed: Vec<Vec<Headed>>,
}

/// A paper in the order hits are shown: score descending, then document ascending.
#[derive(PartialEq)]
struct Ranked(f32, u32);

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
    }
}

impl Searcher<'_> {
    /// With heads read: puts the `limit` best of `scored` (every paper found, scored from
    /// what is known) first, in order, and returns `true` when they are the answer the
    /// lists give; `false` when a paper outside some head might beat them.
    ///
    /// Papers are taken best known score first: one scored exactly is final, one outside
    /// a head is bounded. Once the page holds `limit` exact papers, a bounded one reaching
    /// the last of them means the lists are needed; and the papers left, whose known
    /// scores are lower, cannot reach it once their known score plus the largest gap any
    /// paper can have falls below it.
    pub(super) fn settle(
        &mut self,
        groups: &[Vec<Prepared>],
        scored: &mut Vec<(u32, f32)>,
        limit: usize,
    ) -> bool {
        if limit == 0 || scored.is_empty() {
            return true;
        }
        let atoms = self.atom_bounds(groups);
        let index = self.index;
        // The most a gap can be: each word's families' whole tail bounds (BM25's
        // saturation is concave and 0 at 0, so S(k + t) - S(k) <= S(t)).
        let widest: f32 = atoms
            .iter()
            .flat_map(|a| a.atom.words.iter().zip(&a.headed))
            .map(|(word, headed)| {
                let mut tails: Vec<(usize, f32)> = Vec::new();
                for h in headed {
                    match tails.iter_mut().find(|(f, _)| *f == h.family) {
                        Some((_, b)) => *b = b.max(h.bound),
                        None => tails.push((h.family, h.bound)),
                    }
                }
                bm25::saturate(tails.iter().map(|(_, b)| b).sum(), word.idf)
            })
            .sum();
        let widest = rounded_up(widest);
        let shown = limit.min(scored.len());
        let mut queue: BinaryHeap<Ranked> = scored.iter().map(|&(d, s)| Ranked(s, d)).collect();
        let mut exact: Vec<(u32, f32)> = Vec::with_capacity(shown);
        let mut highest_bound = f32::NEG_INFINITY;
        while let Some(Ranked(score, doc)) = queue.pop() {
            if exact.len() == shown {
                let last = exact[shown - 1].1;
                if highest_bound >= last {
                    return false;
                }
                if score + widest < last {
                    break;
                }
            }
            let gap = gap_of(index, &atoms, doc);
            if gap > 0.0 {
                highest_bound = highest_bound.max(score + gap);
            } else if exact.len() < shown {
                exact.push((doc, score));
            }
        }
        if exact.len() < shown || highest_bound >= exact[shown - 1].1 {
            return false;
        }
        // The shown papers first, in order; the others after them, in any order.
        let top: HashSet<u32> = exact.iter().map(|&(doc, _)| doc).collect();
        exact.extend(scored.iter().copied().filter(|(doc, _)| !top.contains(doc)));
        *scored = exact;
        true
    }

    /// The atoms of `groups` with what their papers' bounds are computed from.
    fn atom_bounds<'p>(&mut self, groups: &'p [Vec<Prepared>]) -> Vec<AtomBounds<'p>> {
        let index = self.index;
        let mut out = Vec::new();
        for atom in groups.iter().flatten() {
            let tfs = atom.words.iter().map(|w| self.word_tf(w)).collect();
            let mut headed = Vec::with_capacity(atom.words.len());
            for word in &atom.words {
                let mut stems: Vec<String> = Vec::new();
                let mut of_word = Vec::new();
                for e in word.expansions.iter().filter(|e| e.info.head.len > 0) {
                    let stem = index.analyzer.stem(&e.term).into_owned();
                    let family = match stems.iter().position(|s| *s == stem) {
                        Some(f) => f,
                        None => {
                            stems.push(stem);
                            stems.len() - 1
                        }
                    };
                    self.list(&e.info);
                    // (A head that did not decode was reported, and its list is empty.)
                    let blocks = index.head_list(&e.info).map(|h| h.blocks.clone());
                    of_word.push(Headed {
                        family,
                        bound: e.info.tail_bound(),
                        list: self.lists[&e.key()].clone(),
                        blocks: blocks.unwrap_or_default(),
                    });
                }
                headed.push(of_word);
            }
            out.push(AtomBounds { atom, tfs, headed });
        }
        out
    }
}

/// How much more than its known score `doc`'s true score can be: for each word of each
/// atom it matches, what the tail bounds of the families it is outside the head of add to
/// the word's score (0: it is scored exactly).
fn gap_of(index: &Index, atoms: &[AtomBounds], doc: u32) -> f32 {
    let mut gap = 0f32;
    let mut outside: Vec<(usize, f32)> = Vec::new();
    for a in atoms {
        let entry = |tf: &WordTf| {
            let at = tf.partition_point(|e| e.0 < doc);
            tf.get(at).filter(|e| e.0 == doc).copied()
        };
        // The atom counts where all its words are.
        if !a.tfs.iter().all(|tf| entry(tf).is_some()) {
            continue;
        }
        for ((word, headed), tf) in a.atom.words.iter().zip(&a.headed).zip(&a.tfs) {
            let Some((_, tf, len)) = entry(tf) else {
                continue;
            };
            // Per family the paper is outside the head of, the least bound its forms'
            // blocks give.
            outside.clear();
            for h in headed {
                let list = &h.list.0;
                let at = list.partition_point(|p| p.doc < doc);
                let unknown = list
                    .get(at)
                    .is_some_and(|p| p.doc == doc && p.tf.iter().all(|&t| t == 0));
                if !unknown {
                    continue;
                }
                let share = h.blocks.get(at / BLOCK).map_or(255, |&q| q);
                let bound = h.bound * f32::from(share) / 255.0;
                match outside.iter_mut().find(|(f, _)| *f == h.family) {
                    Some((_, b)) => *b = b.min(bound),
                    None => outside.push((h.family, bound)),
                }
            }
            if outside.is_empty() {
                continue;
            }
            let known: f32 = a
                .atom
                .fields()
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
            gap += bm25::saturate(known + extra, word.idf) - bm25::saturate(known, word.idf);
        }
    }
    if gap > 0.0 {
        rounded_up(gap)
    } else {
        0.0
    }
}

/// A gap, with room for f32 rounding: never taken for less than it is.
fn rounded_up(gap: f32) -> f32 {
    gap * 1.001 + f32::EPSILON
}
