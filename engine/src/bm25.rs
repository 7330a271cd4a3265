//! BM25F's constants and its term-frequency part, shared by the search (scores) and the
//! build (the impacts that order a family's head, `format::heads`).

use crate::model::Field;

/// Saturation and length-normalization constants (the usual values).
pub(crate) const K1: f32 = 1.2;
pub(crate) const B: f32 = 0.75;
/// How much a title occurrence counts against an abstract occurrence.
pub(crate) const FIELD_WEIGHTS: [f32; Field::COUNT] = [3.0, 1.0];

/// A field's share of BM25F's pseudo term frequency: its weighted term frequency `tf`,
/// normalized by the field's length `len` against the collection's average `avg`.
pub(crate) fn field_part(field: Field, tf: f32, len: u32, avg: f32) -> f32 {
    let length_ratio = len as f32 / avg;
    FIELD_WEIGHTS[field as usize] * tf / (1.0 - B + B * length_ratio)
}

/// The score of a pseudo term frequency `total` (the fields' parts summed) for a term of
/// inverse document frequency `idf`: increasing in `total`.
pub(crate) fn saturate(total: f32, idf: f32) -> f32 {
    idf * total * (K1 + 1.0) / (total + K1)
}

/// The average length of each field, as the reader computes it from the manifest's sums.
pub(crate) fn average_lengths(sums: [u64; Field::COUNT], papers: u32) -> [f32; Field::COUNT] {
    let n = papers.max(1) as f32;
    sums.map(|sum| (sum as f32 / n).max(1.0))
}
