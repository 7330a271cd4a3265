//! Scoring: which papers hold a query's groups, their BM25F scores, adjacency checks
//! (phrases and multi-part tokens) from positions or from the text, and the explanation
//! of a score. The [`Searcher`] holds what one search has decoded.

use std::rc::Rc;
use std::sync::Arc;

use super::{
    list_key, Contribution, Expansion, Prepared, Searcher, Word, WordTf, MAX_PARTIAL_CHECKED,
};
use crate::format::postings::{Decoded, Posting};
use crate::format::rows::FacetRow;
use crate::format::terms::TermInfo;
use crate::model::Field;
use crate::sort::sort_by;

/// A decoded list, and its rows block when its rows are not inline.
pub(super) type WithRows = (Arc<Decoded>, Option<Arc<Vec<FacetRow>>>);

impl Searcher<'_> {
    /// The papers matching every group, with their scores; or, when none does, the papers
    /// matching the most groups, flagged `true` (partial).
    ///
    /// First only which papers hold each group's words ([`Pass::Docs`]: no scores, no
    /// adjacency checks), then scores and adjacency only for the papers holding all of
    /// them. When none holds all, the papers holding the most are counted from that first
    /// pass, densely over the collection (the lists can add up to millions of entries:
    /// 32 common words), and only those are scored. A paper's count from the first pass
    /// can only drop once phrases are checked, so the papers still at the top count are
    /// the answer; only when phrases leave none there is every group scored everywhere.
    pub(super) fn match_groups(&mut self, groups: &[Vec<Prepared>]) -> (Scores, bool) {
        let docs: Vec<Scores> = groups
            .iter()
            .map(|alternatives| self.group_scores(alternatives, Pass::Docs))
            .collect();
        let mut candidates: Vec<u32> = intersect(&docs).into_iter().map(|(doc, _)| doc).collect();
        if !candidates.is_empty() {
            // Every group must match: each narrows the papers the next one checks, the
            // groups holding the fewest papers first.
            let mut order: Vec<usize> = (0..groups.len()).collect();
            sort_by(&mut order, &mut |&a, &b| docs[a].len().cmp(&docs[b].len()));
            let mut per_group: Vec<Scores> = Vec::with_capacity(groups.len());
            for &g in &order {
                let scores = self.group_scores(&groups[g], Pass::Among(&candidates));
                candidates = scores.iter().map(|&(doc, _)| doc).collect();
                per_group.push(scores);
                if candidates.is_empty() {
                    break;
                }
            }
            if !candidates.is_empty() || groups.len() == 1 {
                return (intersect(&per_group), false);
            }
        } else if groups.len() == 1 {
            return (Vec::new(), false);
        }
        self.most_groups(groups, &docs)
    }

    /// The partial fallback: the papers matching the most groups. A paper's count from
    /// the first pass (`docs`, adjacency unchecked) can only drop once phrases are checked,
    /// so papers are checked by that count, highest first, until the next ones cannot
    /// reach the best count found. At most [`MAX_PARTIAL_CHECKED`] papers are checked:
    /// past that (a query of many common words in phrases that few papers hold adjacent),
    /// the best found so far is the answer.
    fn most_groups(&mut self, groups: &[Vec<Prepared>], docs: &[Scores]) -> (Scores, bool) {
        let n = self.index.paper_count() as usize;
        let mut counts: Vec<u16> = vec![0; n];
        for list in docs {
            for &(doc, _) in list {
                if let Some(c) = counts.get_mut(doc as usize) {
                    *c = c.saturating_add(1);
                }
            }
        }
        let top = counts.iter().copied().max().unwrap_or(0);
        let (mut best, mut answer): (usize, Scores) = (0, Vec::new());
        let mut checked = 0;
        for level in (1..=top).rev() {
            if usize::from(level) < best.max(1) || checked >= MAX_PARTIAL_CHECKED {
                break;
            }
            let bucket: Vec<u32> = (0u32..)
                .zip(&counts)
                .filter(|(_, &c)| c == level)
                .map(|(doc, _)| doc)
                .take(MAX_PARTIAL_CHECKED - checked)
                .collect();
            checked += bucket.len();
            let per_group: Vec<Scores> = groups
                .iter()
                .map(|alternatives| self.group_scores(alternatives, Pass::Among(&bucket)))
                .collect();
            let (count, scored) = most_matched(&per_group, n);
            if count > best {
                (best, answer) = (count, scored);
            } else if count == best && count > 0 {
                answer = union_sum(&answer, &scored);
            }
        }
        let found = !answer.is_empty();
        (answer, found)
    }

    /// The postings of a term, decoded once per search. A list that does not decode is
    /// empty, and reported in [`Searcher::damage`]; its piece was fetched before scoring
    /// started (the search's plan), so it is never missing here.
    pub(super) fn list(&mut self, info: &TermInfo) -> &[Posting] {
        let key = list_key(info);
        if !self.lists.contains_key(&key) {
            let decoded = if self.heads && info.head.len > 0 {
                self.index.head_list(info).map(|h| h.list.clone())
            } else {
                self.index.list(info)
            };
            let decoded = decoded.unwrap_or_else(|e| {
                self.damage.get_or_insert(self.index.list_error(e));
                Default::default()
            });
            self.lists.insert(key, decoded);
        }
        &self.lists[&key].0
    }

    /// The decoded list of each of `infos` with its rows block, when its rows are in one
    /// (else they are inline, in the list). A list or block that does not decode is left
    /// out and reported in [`Searcher::damage`]; its papers' facets then come from the
    /// columns.
    pub(super) fn rows_of(&mut self, infos: &[TermInfo]) -> Vec<WithRows> {
        let mut out = Vec::with_capacity(infos.len());
        for info in infos {
            self.list(info);
            let decoded = self.lists[&list_key(info)].clone();
            match self.index.rows_block(info) {
                Ok(block) if !decoded.0.is_empty() => out.push((decoded, block)),
                Ok(_) => {}
                Err(e) => {
                    self.damage.get_or_insert(self.index.list_error(e));
                }
            }
        }
        out
    }

    /// The index of `doc` in the list of `info`.
    fn find(&mut self, info: &TermInfo, doc: u32) -> Option<(usize, Posting)> {
        let list = self.list(info);
        let i = list.binary_search_by_key(&doc, |p| p.doc).ok()?;
        Some((i, list[i]))
    }

    /// Scores of a group: the sum over its alternatives.
    fn group_scores(&mut self, alternatives: &[Prepared], pass: Pass) -> Scores {
        let mut scores: Scores = Vec::new();
        for atom in alternatives {
            scores = union_sum(&scores, &self.atom_scores(atom, pass));
        }
        scores
    }

    /// Sets each word's idf from the papers holding any of its expansions; a phrase's,
    /// from the papers holding the phrase.
    pub(super) fn set_idf(&mut self, atom: &mut Prepared) {
        let index = self.index;
        if atom.adjacent {
            atom.idf = index.idf(self.phrase_tf(atom).len());
            return;
        }
        for word in &mut atom.words {
            let df = self.word_tf(word).len();
            word.idf = index.idf(df);
        }
    }

    /// The weighted term frequencies of a word's expansions in each paper holding any, in
    /// document order. Computed once per set of expansions.
    pub(super) fn word_tf(&mut self, word: &Word) -> Rc<WordTf> {
        let key: Vec<u64> = word.expansions.iter().map(Expansion::key).collect();
        if let Some(tf) = self.word_tfs.get(&key) {
            return tf.clone();
        }
        let tf = Rc::new(self.compute_word_tf(word));
        self.word_tfs.insert(key, tf.clone());
        tf
    }

    fn compute_word_tf(&mut self, word: &Word) -> WordTf {
        let n = self.index.paper_count() as usize;
        let total: usize = word
            .expansions
            .iter()
            .map(|e| self.list(&e.info).len())
            .sum();
        let weighted =
            |p: &Posting, weight: f32| (p.doc, Field::ALL.map(|f| weight * p.tf(f) as f32), p.len);
        let mut out: WordTf = Vec::with_capacity(total);
        if let [one] = word.expansions.as_slice() {
            out.extend(self.list(&one.info).iter().map(|p| weighted(p, one.weight)));
        } else if total > n / 16 {
            // Many postings: accumulate densely, then read back in order.
            let mut dense = vec![([0f32; Field::COUNT], [0u32; Field::COUNT]); n];
            let mut seen = vec![false; n];
            for expansion in word.expansions.iter() {
                for p in self.list(&expansion.info) {
                    let d = p.doc as usize;
                    seen[d] = true;
                    let (tf, len) = &mut dense[d];
                    for f in Field::ALL {
                        tf[f as usize] += expansion.weight * p.tf(f) as f32;
                        len[f as usize] = len[f as usize].max(p.len(f));
                    }
                }
            }
            out.extend(
                (0..n)
                    .filter(|&d| seen[d])
                    .map(|d| (d as u32, dense[d].0, dense[d].1)),
            );
        } else {
            for expansion in word.expansions.iter() {
                out.extend(
                    self.list(&expansion.info)
                        .iter()
                        .map(|p| weighted(p, expansion.weight)),
                );
            }
            sort_by(&mut out, &mut |a, b| a.0.cmp(&b.0));
            out.dedup_by(|next, kept| {
                if next.0 == kept.0 {
                    for f in 0..Field::COUNT {
                        kept.1[f] += next.1[f];
                        kept.2[f] = kept.2[f].max(next.2[f]);
                    }
                    true
                } else {
                    false
                }
            });
        }
        out
    }

    /// Scores of one word over `fields`, in document order.
    /// (With [`Pass::Docs`], which papers hold it in `fields`, with score 0.)
    pub(super) fn word_scores(&mut self, word: &Word, fields: &[Field], pass: Pass) -> Scores {
        let tfs = self.word_tf(word);
        self.scores_of(&tfs, fields, word.idf, pass)
    }

    /// BM25F over `fields` of the papers in `tfs` (a word's or a phrase's term frequencies),
    /// in document order; with [`Pass::Docs`], which papers hold it in `fields`, with
    /// score 0.
    pub(super) fn scores_of(&self, tfs: &WordTf, fields: &[Field], idf: f32, pass: Pass) -> Scores {
        let index = self.index;
        // Every paper of a word's lists holds it in some field (a paper outside a head, whose
        // term frequencies are not known, among them).
        let everywhere = fields.len() == Field::COUNT;
        let in_fields =
            |tf: &[f32; Field::COUNT]| everywhere || fields.iter().any(|&f| tf[f as usize] > 0.0);
        let score = |tf: [f32; Field::COUNT], len: [u32; Field::COUNT]| -> f32 {
            index.bm25(tf, len, fields, idf).iter().sum()
        };
        match pass {
            Pass::Docs => tfs
                .iter()
                .filter(|(_, tf, _)| in_fields(tf))
                .map(|&(doc, _, _)| (doc, 0.0))
                .collect(),
            Pass::Among(candidates) => {
                let mut at = 0;
                candidates
                    .iter()
                    .filter_map(|&doc| {
                        at = gallop_by(tfs, at, doc, |e| e.0);
                        let &(found, tf, len) = tfs.get(at)?;
                        (found == doc && in_fields(&tf)).then(|| (doc, score(tf, len)))
                    })
                    .collect()
            }
        }
    }

    /// Scores of an atom: its words all present, summed; a phrase's as one term
    /// (`phrase.rs`).
    pub(super) fn atom_scores(&mut self, atom: &Prepared, pass: Pass) -> Scores {
        if atom.adjacent {
            return self.phrase_scores(atom, pass);
        }
        let per_word: Vec<Scores> = atom
            .words
            .iter()
            .map(|w| self.word_scores(w, atom.fields(), pass))
            .collect();
        intersect(&per_word)
    }

    /// The contributions to `doc`'s score: each word's score, shared among its
    /// expansions by their weighted term frequency, per field.
    pub(super) fn explain(&mut self, doc: u32, groups: &[Vec<Prepared>]) -> Vec<Contribution> {
        let index = self.index;
        let mut out = Vec::new();
        for atom in groups.iter().flatten() {
            if atom.adjacent {
                out.extend(self.explain_phrase(doc, atom));
                continue;
            }
            // An atom counts only where all its words matched.
            let present = atom.words.iter().all(|w| {
                w.expansions
                    .iter()
                    .any(|e| self.find(&e.info, doc).is_some())
            });
            if !present {
                continue;
            }
            for word in &atom.words {
                let mut shares: Vec<(&Expansion, [f32; Field::COUNT])> = Vec::new();
                let mut tf = [0f32; Field::COUNT];
                let mut len = [0u32; Field::COUNT];
                for expansion in word.expansions.iter() {
                    let Some((_, posting)) = self.find(&expansion.info, doc) else {
                        continue;
                    };
                    let weighted = Field::ALL.map(|f| expansion.weight * posting.tf(f) as f32);
                    for f in 0..Field::COUNT {
                        tf[f] += weighted[f];
                        len[f] = len[f].max(posting.len[f]);
                    }
                    shares.push((expansion, weighted));
                }
                let parts = index.bm25(tf, len, atom.fields(), word.idf);
                for (expansion, weighted) in shares {
                    for field in Field::ALL {
                        let f = field as usize;
                        if parts[f] > 0.0 && weighted[f] > 0.0 {
                            out.push(Contribution {
                                word: word.text.clone(),
                                term: expansion.term.clone(),
                                field,
                                kind: expansion.kind,
                                // (The share first: exactly 1 for a single term.)
                                score: parts[f] * (weighted[f] / tf[f]),
                            });
                        }
                    }
                }
            }
        }
        sort_by(&mut out, &mut |a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.term.cmp(&b.term))
        });
        out
    }
}

/// The first index at or after `from` whose document is not below `doc`: exponential then
/// binary search, so walking a long list alongside a few documents skips most of it.
pub(super) fn gallop(list: &[Posting], from: usize, doc: u32) -> usize {
    gallop_by(list, from, doc, |p| p.doc)
}

/// [`gallop`] over any list sorted by the document `key` gives.
pub(super) fn gallop_by<T>(list: &[T], from: usize, doc: u32, key: impl Fn(&T) -> u32) -> usize {
    let mut step = 1;
    let mut low = from;
    let mut high = from;
    while high < list.len() && key(&list[high]) < doc {
        low = high + 1;
        high = from + step;
        step *= 2;
    }
    let high = high.min(list.len());
    low + list[low..high].partition_point(|e| key(e) < doc)
}

/// Scores by paper, in increasing document order.
pub(super) type Scores = Vec<(u32, f32)>;

/// How much of the work a scoring pass does. Checking that an atom's words are adjacent
/// (phrases, multi-part tokens) and computing BM25 are the costly steps, so a search first
/// finds which papers hold every group's words, then scores and checks only those.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Pass<'c> {
    /// Which papers hold the words (anywhere, adjacent or not), with score 0: a superset of
    /// the answer, for narrowing.
    Docs,
    /// Scores and adjacency for these papers (sorted) only; the others are dropped.
    Among(&'c [u32]),
}

/// Papers present in every list, with their summed scores, in document order.
pub(super) fn intersect(lists: &[Scores]) -> Scores {
    let mut order: Vec<&Scores> = lists.iter().collect();
    sort_by(&mut order, &mut |a, b| a.len().cmp(&b.len()));
    let mut order = order.into_iter();
    let Some(shortest) = order.next() else {
        return Vec::new();
    };
    let mut out = shortest.clone();
    for list in order {
        if out.is_empty() {
            break;
        }
        let mut j = 0;
        out.retain_mut(|(doc, score)| {
            // Gallop over the longer list: `out` is the shorter, often by far.
            j = gallop_by(list, j, *doc, |e| e.0);
            if list.get(j).is_some_and(|e| e.0 == *doc) {
                *score += list[j].1;
                true
            } else {
                false
            }
        });
    }
    out
}

/// The papers in the most of `lists` (documents below `n`), with their scores summed over
/// the lists, in document order; and how many lists that is. Counted densely: linear in
/// the lists' lengths and in `n`.
fn most_matched(lists: &[Scores], n: usize) -> (usize, Scores) {
    let mut matched: Vec<(u16, f32)> = vec![(0, 0.0); n];
    for list in lists {
        for &(doc, score) in list {
            if let Some(slot) = matched.get_mut(doc as usize) {
                slot.0 = slot.0.saturating_add(1);
                slot.1 += score;
            }
        }
    }
    let best = matched.iter().map(|m| m.0).max().unwrap_or(0);
    if best == 0 {
        return (0, Vec::new());
    }
    let top = (0u32..)
        .zip(matched)
        .filter(|(_, (count, _))| *count == best)
        .map(|(doc, (_, score))| (doc, score))
        .collect();
    (usize::from(best), top)
}

/// Papers in either list, scores summed, in document order.
fn union_sum(a: &[(u32, f32)], b: &[(u32, f32)]) -> Scores {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.0 == y.0 => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.0 < y.0 => {
                out.push(*x);
                i += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}
