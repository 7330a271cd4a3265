//! Similar papers by tf-idf cosine over each paper's heaviest terms (see [`super`]).

use rustc_hash::FxHashMap as HashMap;

use folio_engine::Paper;

use super::phrases::STOPWORDS;
use super::{par_map, Stems, Tally};

/// Terms kept per paper for similarity.
const VECTOR_TERMS: usize = 24;
/// Papers kept per term for similarity.
const LIST_CAP: usize = 400;
/// Similar papers stored per paper.
pub const SIMILAR: usize = 5;
/// Below this cosine a paper is not called similar.
const MIN_SIMILARITY: f32 = 0.05;

/// For each paper, the ids of its most similar papers, most similar first.
pub fn similar_papers(papers: &[Paper], progress: &(dyn Fn(u64) + Sync)) -> Vec<Vec<String>> {
    let n = papers.len();
    // Term frequencies by stem hash; title words count twice.
    let counts: Vec<Vec<(u64, f32)>> = par_map(n, Stems::new, |stems, doc| {
        let paper = &papers[doc];
        let mut tf: HashMap<u64, f32> = HashMap::default();
        for (text, weight) in [(&paper.title, 2.0), (&paper.abstract_text, 1.0)] {
            for token in stems.analyzer.tokens(text) {
                let term = token.text.as_str();
                if term.len() < 2
                    || term.bytes().all(|b| b.is_ascii_digit())
                    || STOPWORDS.contains(&term)
                {
                    continue;
                }
                *tf.entry(stems.term(term)).or_default() += weight;
            }
        }
        let mut terms: Vec<(u64, f32)> = tf.into_iter().collect();
        terms.sort_unstable_by_key(|&(t, _)| t);
        terms
    });
    // Dense term ids, in order of first appearance (deterministic), and their frequencies.
    let mut ids: HashMap<u64, u32> = HashMap::default();
    let mut df: Vec<u32> = Vec::new();
    let counts: Vec<Vec<(u32, f32)>> = counts
        .into_iter()
        .map(|terms| {
            terms
                .into_iter()
                .map(|(hash, tf)| {
                    let id = *ids.entry(hash).or_insert_with(|| {
                        df.push(0);
                        df.len() as u32 - 1
                    });
                    df[id as usize] += 1;
                    (id, tf)
                })
                .collect()
        })
        .collect();
    drop(ids);

    // Pruned, normalized tf-idf vectors. A term in one paper only cannot link two papers.
    let vectors: Vec<Vec<(u32, f32)>> = counts
        .into_iter()
        .map(|terms| {
            let mut weighted: Vec<(u32, f32)> = terms
                .into_iter()
                .filter(|&(t, _)| df[t as usize] >= 2)
                .map(|(t, tf)| {
                    let idf = (n as f32 / df[t as usize] as f32).ln();
                    (t, (1.0 + tf.ln()) * idf)
                })
                .filter(|&(_, w)| w > 0.0)
                .collect();
            weighted.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            weighted.truncate(VECTOR_TERMS);
            let norm = weighted.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            weighted.iter_mut().for_each(|(_, w)| *w /= norm);
            weighted
        })
        .collect();

    // Inverted lists over the pruned vectors, each capped to its heaviest papers.
    let mut lists: Vec<Vec<(u32, f32)>> = vec![Vec::new(); df.len()];
    for (doc, vector) in vectors.iter().enumerate() {
        for &(t, w) in vector {
            lists[t as usize].push((doc as u32, w));
        }
    }
    for list in &mut lists {
        if list.len() > LIST_CAP {
            list.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(LIST_CAP);
        }
    }

    let tally = Tally::new(progress);
    // Per thread: a dense score accumulator and the papers it touched.
    let init = || (vec![0f32; n], Vec::<u32>::new());
    par_map(n, init, |(scores, touched), doc| {
        for &(t, w) in &vectors[doc] {
            for &(other, w2) in &lists[t as usize] {
                let score = &mut scores[other as usize];
                if *score == 0.0 {
                    touched.push(other);
                }
                *score += w * w2;
            }
        }
        let mut best: Vec<(u32, f32)> = Vec::with_capacity(SIMILAR + 1);
        for other in touched.drain(..) {
            let score = std::mem::take(&mut scores[other as usize]);
            if other as usize == doc || score < MIN_SIMILARITY {
                continue;
            }
            let better = |b: &(u32, f32)| score > b.1 || (score == b.1 && other < b.0);
            if best.len() < SIMILAR || better(&best[best.len() - 1]) {
                let at = best.iter().position(better).unwrap_or(best.len());
                best.insert(at, (other, score));
                best.truncate(SIMILAR);
            }
        }
        tally.one();
        best.into_iter()
            .map(|(other, _)| papers[other as usize].id.clone())
            .collect()
    })
}
