//! Biwords: adjacent pairs of common words, indexed as terms of their own, so that a
//! phrase of common words ("world model", "large language model") reads the short list
//! of the papers holding the pair instead of the long lists and positions of each word
//! (at 100,000 papers, 906 kB for `"world model"`, measured 2026-12-02). As Lucene's
//! CommonGrams and Nutch's biword index do, with the pair keyed by the words' stems, so
//! that it stands for every pair of forms a phrase matches ("world models" finds
//! "world model").
//!
//! A pair is indexed when both its words' stems are common: some term with the stem is in
//! more than the build's threshold of papers ([`default_min_df`]). For such a pair the
//! biword is complete: every adjacent occurrence of any forms of the two words, in either
//! field, at the position of the first. The reader only looks a pair up and, when the
//! dictionary holds it, uses it; otherwise it checks positions as before, which gives the
//! same papers, counts and scores (`engine/tests/properties.rs`).
//!
//! The key is `format::terms::biword_key`: both stems after a 0 byte, which no token holds, so biwords
//! sort before every word and no prefix, stem or typo scan of a word meets one.

use rustc_hash::FxHashMap as HashMap;

use super::{Positions, ScratchList};
use crate::analyze::Analyzer;
use crate::codec::ByteReader;
use crate::format::terms::biword_key;
use crate::model::Field;

/// The default threshold: a stem is common when one of its terms is in more than an
/// eighth of the papers (at least 64). Measured over the 10,808 real Daily Papers, pairs
/// of such words add 447,000 postings to some 1,300,000 (over 100,000 synthetic papers,
/// 6.4 million to 17); a sixteenth would add 750,000, a thirty-second 1.1 million. A
/// phrase of words below it checks positions in lists of at most an eighth of the papers.
pub(crate) fn default_min_df(papers: u32) -> u32 {
    (papers / 8).max(64)
}

/// The biwords of the (sorted) `terms`, as lists to encode beside them, sorted by key.
pub(super) fn biwords(
    terms: &[(String, ScratchList)],
    analyzer: &Analyzer,
    min_df: u32,
) -> Vec<(String, ScratchList)> {
    // Stems by their most frequent term; the common ones numbered in key order.
    let stems: Vec<String> = terms
        .iter()
        .map(|(term, _)| analyzer.stem(term).into_owned())
        .collect();
    let mut max_df: HashMap<&str, u32> = HashMap::default();
    for (stem, (_, list)) in stems.iter().zip(terms) {
        let df = max_df.entry(stem).or_default();
        *df = (*df).max(list.count);
    }
    let mut common: Vec<&str> = max_df
        .into_iter()
        .filter(|&(_, df)| df > min_df)
        .map(|(stem, _)| stem)
        .collect();
    if common.is_empty() {
        return Vec::new();
    }
    common.sort_unstable();
    let stem_id: HashMap<&str, u32> = common
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, i as u32))
        .collect();

    // Every occurrence of a common stem: (doc, field and position, stem).
    let mut occurrences: Vec<(u32, u32, u32)> = Vec::new();
    for (stem, (_, list)) in stems.iter().zip(terms) {
        let Some(&stem) = stem_id.get(stem.as_str()) else {
            continue;
        };
        list.each(|doc, positions| {
            for (field, at) in positions.iter().enumerate() {
                for &p in at {
                    occurrences.push((doc, place(field, p), stem));
                }
            }
        });
    }
    occurrences.sort_unstable();
    occurrences.dedup();

    // Each pair of stems at adjacent places, at the place of the first.
    let mut pairs: Vec<(u32, u32, u32, u32)> = Vec::new(); // (first, second, doc, place)
    let mut start = 0;
    while start < occurrences.len() {
        let (doc, at, _) = occurrences[start];
        let end = start + occurrences[start..].partition_point(|o| (o.0, o.1) == (doc, at));
        // The stems at the next place, if it is in the same field.
        let next = &occurrences[end..];
        let here_next = next.partition_point(|o| (o.0, o.1) == (doc, at + 1));
        if at & FIELD_BIT == (at + 1) & FIELD_BIT {
            for &(_, _, first) in &occurrences[start..end] {
                for &(_, _, second) in &next[..here_next] {
                    pairs.push((first, second, doc, at));
                }
            }
        }
        start = end;
    }
    drop(occurrences);
    pairs.sort_unstable();
    pairs.dedup();

    let mut out: Vec<(String, ScratchList)> = Vec::new();
    let mut start = 0;
    while start < pairs.len() {
        let (first, second, ..) = pairs[start];
        let end = start + pairs[start..].partition_point(|p| (p.0, p.1) == (first, second));
        let mut list = ScratchList::default();
        let mut i = start;
        while i < end {
            let doc = pairs[i].2;
            let mut positions = Positions::default();
            while i < end && pairs[i].2 == doc {
                let (field, p) = unplace(pairs[i].3);
                positions[field].push(p);
                i += 1;
            }
            list.push(doc, &positions);
        }
        out.push((
            biword_key(common[first as usize], common[second as usize]),
            list,
        ));
        start = end;
    }
    // Stem order is not key order ("a" + "\0" sorts before "a" + "b" + ...).
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The title's places, then the abstract's: a field and a position in one sortable number.
const FIELD_BIT: u32 = 1 << 31;

fn place(field: usize, position: u32) -> u32 {
    const { assert!(Field::COUNT == 2, "a bit for the field") };
    (field as u32) << 31 | position.min(FIELD_BIT - 2)
}

fn unplace(place: u32) -> (usize, u32) {
    ((place >> 31) as usize, place & !FIELD_BIT)
}

impl ScratchList {
    /// Calls `f` with each document and its positions, in order.
    pub(super) fn each(&self, mut f: impl FnMut(u32, &Positions)) {
        let mut reader = ByteReader::new(&self.bytes, 0);
        let mut read = || reader.u32().expect("scratch lists are written by push");
        let mut fields: Positions = Default::default();
        for _ in 0..self.count {
            let doc = read();
            for field in &mut fields {
                field.clear();
                let count = read();
                field.extend((0..count).map(|_| read()));
            }
            f(doc, &fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_before_words_and_places_keep_fields_apart() {
        assert!(biword_key("zz", "zz").as_str() < "a");
        assert!(biword_key("world", "model") < biword_key("world", "models"));
        assert_eq!(biword_key("a", "b"), "\0a\0b");
        for (field, p) in [(0, 0), (0, 7), (1, 0), (1, 12)] {
            assert_eq!(unplace(place(field, p)), (field, p));
        }
        assert!(
            place(0, u32::MAX) < place(1, 0),
            "a title place before any abstract one"
        );
    }
}
