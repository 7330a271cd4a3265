//! The heads of the common word families (`format::heads`): which papers of a family
//! score highest, each form's postings among them, and a bound on the others.

use rustc_hash::FxHashMap as HashMap;

use super::{PaperData, ScratchList};
use crate::analyze::Analyzer;
use crate::bm25;
use crate::format::heads::{encode_head, BLOCK};
use crate::format::lengths;
use crate::format::postings::{ListLayout, PostingsEncoder};
use crate::format::rows::FacetRow;
use crate::model::Field;

/// How many papers a family's head holds, and how many papers a family must be in to
/// have one.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeadSizes {
    pub(super) docs: u32,
    pub(super) min_df: u32,
}

/// A term's head span ([`encode_head`]) and its family's tail bound (f32 bits).
pub(super) type TermHead = (Vec<u8>, u32);

/// The head span of every term of a common family in more papers than a head holds, by
/// the term's index in `terms` (sorted; biword keys, which start with a 0 byte, are of no
/// family).
pub(super) fn heads(
    terms: &[(String, ScratchList)],
    analyzer: &Analyzer,
    docs: &PaperData,
    layout: ListLayout,
    sizes: HeadSizes,
    sums: [u64; Field::COUNT],
) -> HashMap<usize, TermHead> {
    let papers = docs.lengths.len() as u32;
    let mut out = HashMap::default();
    if sizes.docs == 0 || papers == 0 {
        return out;
    }
    let mut families: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, (term, _)) in terms.iter().enumerate() {
        if !term.starts_with('\0') {
            families
                .entry(analyzer.stem(term).into_owned())
                .or_default()
                .push(i);
        }
    }
    // A family is in at most the papers of its forms summed, in at least its largest
    // form's: only those that may pass are counted exactly.
    let mut families: Vec<(String, Vec<usize>)> = families
        .into_iter()
        .filter(|(_, forms)| {
            forms.iter().map(|&i| terms[i].1.count).sum::<u32>() >= sizes.min_df
                && forms.iter().any(|&i| terms[i].1.count > sizes.docs)
        })
        .collect();
    families.sort_unstable();
    let average = bm25::average_lengths(sums, papers);
    let mut head_layout = layout;
    head_layout.rows = layout.rows.with_limits(layout.rows.max_df(), 0);
    // Per paper, the family's term frequency in each field (reused across families).
    let mut tf: Vec<[u32; Field::COUNT]> = vec![[0; Field::COUNT]; papers as usize];
    let mut touched: Vec<u32> = Vec::new();
    for (_, forms) in families {
        for &i in &forms {
            terms[i].1.each(|doc, fields| {
                let slot = &mut tf[doc as usize];
                if *slot == [0; Field::COUNT] {
                    touched.push(doc);
                }
                for (t, f) in slot.iter_mut().zip(fields) {
                    *t += f.len() as u32;
                }
            });
        }
        if touched.len() as u64 >= u64::from(sizes.min_df) && touched.len() > sizes.docs as usize {
            let mut impacts: Vec<(f32, u32)> = touched
                .iter()
                .map(|&doc| {
                    (
                        impact(tf[doc as usize], docs.lengths[doc as usize], average),
                        doc,
                    )
                })
                .collect();
            impacts.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let cut = sizes.docs as usize;
            let tail = f64::from(impacts[cut].0);
            // Rounded up, with room for the reader's f32 arithmetic.
            let bound = (tail * 1.001) as f32;
            let mut in_head = vec![false; papers as usize];
            for &(_, doc) in &impacts[..cut] {
                in_head[doc as usize] = true;
            }
            // A tail paper's impact in 255ths of the tail's highest, rounded up.
            let share = |doc: u32| -> u8 {
                if in_head[doc as usize] {
                    return 0;
                }
                let own = impact(tf[doc as usize], docs.lengths[doc as usize], average);
                (f64::from(own) * 255.0 / tail).ceil().clamp(1.0, 255.0) as u8
            };
            for &i in &forms {
                let list = &terms[i].1;
                if list.count <= sizes.docs {
                    continue;
                }
                let mut all = Vec::with_capacity(list.count as usize);
                let mut head: Vec<(u32, [u32; Field::COUNT])> = Vec::new();
                list.each(|doc, fields| {
                    all.push(doc);
                    if in_head[doc as usize] {
                        head.push((doc, fields.each_ref().map(|f| f.len() as u32)));
                    }
                });
                let mut encoder = PostingsEncoder::new(head.len() as u32, papers, head_layout);
                for (doc, counts) in head {
                    encoder.push(
                        doc,
                        counts,
                        docs.lengths[doc as usize],
                        &FacetRow::default(),
                    );
                }
                let blocks: Vec<u8> = all
                    .chunks(BLOCK)
                    .map(|block| block.iter().map(|&d| share(d)).max().unwrap_or(0))
                    .collect();
                let span = encode_head(&all, papers, &blocks, &encoder.finish());
                out.insert(i, (span, bound.to_bits()));
            }
        }
        for doc in touched.drain(..) {
            tf[doc as usize] = [0; Field::COUNT];
        }
    }
    out
}

/// A paper's family impact: BM25F's pseudo term frequency of the family's forms counted
/// together at weight 1, over the lengths BM25 sees (quantized as in the postings).
fn impact(tf: [u32; Field::COUNT], len: [u32; Field::COUNT], average: [f32; Field::COUNT]) -> f32 {
    Field::ALL
        .iter()
        .filter(|&&f| tf[f as usize] > 0)
        .map(|&f| {
            let i = f as usize;
            bm25::field_part(f, tf[i] as f32, lengths::quantize(len[i]), average[i])
        })
        .sum()
}
