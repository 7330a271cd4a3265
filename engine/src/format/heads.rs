//! Heads: what a query of a common word reads instead of its whole postings lists.
//!
//! A *family* is the terms sharing an English stem ("learn", "learning", "learned"): what
//! a query word stands for ([`crate::search`]). A family in many papers (the build's
//! [`crate::PieceSizes::head_min_df`]) has a *head*: its [`crate::PieceSizes::head_docs`]
//! papers of the highest family impact, the BM25F term-frequency part of its forms counted
//! together (title and abstract weighted, length-normalized, every form at weight 1, the
//! most any query's weights give it). Each of its forms in more papers than the head holds
//! gets a head span (term infos, [`super::terms`]), in `heads-<n>` pieces by term range:
//!
//! ```text
//! docs_len  varint: the bytes of the docs stream
//! docs      varint count (the term's document frequency), one byte k (Rice parameter),
//!           then the Rice codes (parameter k) of the term's document gaps, as in its
//!           postings list, zero-padded to a byte: which papers hold it, nothing else
//! blocks    a byte per BLOCK papers of the docs (the last fewer): the highest family
//!           impact of those of them outside the head, in 255ths of the tail bound,
//!           rounded up (0: all in the head)
//! head      a postings list (super::postings) of the term's postings in the family's
//!           head papers only, without facet rows
//! ```
//!
//! With the term info goes the family's *tail bound*: the highest impact of a paper of the
//! family outside its head (an f32, rounded up). A paper's block gives a tighter one: the
//! most its neighbours in the docs can have.
//!
//! A query of one common word reads these instead of its lists (about a third of the
//! bytes: docs/decisions.md, "Heads"): every paper holding the word, so totals, facets and
//! filters are exact; the exact score of every paper in the head; and for the others a bound.
//! When the best papers it can score exactly beat every bound, those are the answer, equal
//! to what the whole lists give; else the query reads the lists (`crate::search`).

use super::postings::{decode_counted, Decoded, ListLayout};
use crate::bits::{rice_parameter, BitReader, BitWriter};
use crate::codec::{write_varint, ByteReader, CodecError};

/// Papers of the docs per block bound.
pub(crate) const BLOCK: usize = 16;

/// A head span's parts, encoded: the term's docs, their block bounds (one per [`BLOCK`]
/// docs) and its head postings (as written by [`super::postings::PostingsEncoder`] with a
/// layout without inline rows).
pub(crate) fn encode_head(docs: &[u32], doc_limit: u32, blocks: &[u8], head: &[u8]) -> Vec<u8> {
    debug_assert_eq!(blocks.len(), docs.len().div_ceil(BLOCK));
    let k = rice_parameter(u64::from(doc_limit), docs.len() as u64);
    let mut bits = BitWriter::new();
    let mut next = 0;
    for &doc in docs {
        debug_assert!(doc >= next, "documents must come in increasing order");
        bits.rice(doc - next, k);
        next = doc + 1;
    }
    let mut stream = Vec::new();
    write_varint(&mut stream, docs.len() as u64);
    stream.push(k as u8);
    stream.extend_from_slice(&bits.finish());
    let mut out = Vec::with_capacity(stream.len() + head.len() + 4);
    write_varint(&mut out, stream.len() as u64);
    out.extend_from_slice(&stream);
    out.extend_from_slice(blocks);
    out.extend_from_slice(head);
    out
}

/// A term's head span as decoded: every paper holding the term, and its postings among the
/// family's head papers (a subset, in document order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Head {
    pub(crate) docs: Vec<u32>,
    /// Per [`BLOCK`] docs, the most a paper of them outside the head can have, in 255ths
    /// of the tail bound.
    pub(crate) blocks: Vec<u8>,
    pub(crate) head: Decoded,
}

/// Decodes a head span of a term in `doc_freq` of `doc_limit` papers. A count other than
/// the term's, a paper at or past the limit, a head posting not among the docs, bytes left
/// after either part: the data is damaged.
pub(crate) fn decode_head(
    span: &[u8],
    doc_limit: u32,
    doc_freq: u32,
    layout: &ListLayout,
) -> Result<Head, CodecError> {
    let mut reader = ByteReader::new(span, 0);
    let len = usize::try_from(reader.varint()?).map_err(|_| CodecError)?;
    let start = reader.pos;
    let stream = reader.bytes(len)?;
    let mut header = ByteReader::new(stream, 0);
    let count = header.u32()?;
    // A gap takes a bit at least: a larger count is damage, not an allocation to try.
    if count != doc_freq || u64::from(count) > (stream.len() as u64).saturating_mul(8) {
        return Err(CodecError);
    }
    let k = u32::from(header.u8()?);
    if k > 24 {
        return Err(CodecError);
    }
    let mut bits = BitReader::new(stream, header.pos);
    let mut docs = Vec::with_capacity(count as usize);
    let mut next: u64 = 0;
    for _ in 0..count {
        let doc = next + u64::from(bits.rice(k)?);
        if doc >= u64::from(doc_limit) {
            return Err(CodecError);
        }
        docs.push(doc as u32);
        next = doc + 1;
    }
    if bits.bit_pos().div_ceil(8) != stream.len() as u64 {
        return Err(CodecError);
    }
    let mut reader = ByteReader::new(span, start + len);
    let blocks = reader.bytes(docs.len().div_ceil(BLOCK))?.to_vec();
    let mut layout = *layout;
    layout.rows = layout.rows.with_limits(layout.rows.max_df(), 0);
    let head = decode_counted(&span[reader.pos..], doc_limit, doc_freq, &layout)?;
    // Every head posting is a paper of the term's.
    let mut at = 0;
    for posting in &head.0 {
        at += docs[at..].partition_point(|&d| d < posting.doc);
        if docs.get(at) != Some(&posting.doc) {
            return Err(CodecError);
        }
    }
    Ok(Head { docs, blocks, head })
}

/// A tail bound as stored: an f32's bits. Finite and not negative, or the data is damaged.
pub(crate) fn check_bound(bits: u32) -> Result<f32, CodecError> {
    let bound = f32::from_bits(bits);
    if bound.is_finite() && bound >= 0.0 {
        Ok(bound)
    } else {
        Err(CodecError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::postings::{Posting, PostingsEncoder};
    use crate::format::rows::{FacetRow, RowLayout};

    const LAYOUT: ListLayout = ListLayout {
        length_centre: [9, 46],
        rows: RowLayout::new(1000, 4, 2),
    };

    fn head_layout() -> ListLayout {
        let mut layout = LAYOUT;
        layout.rows = layout.rows.with_limits(layout.rows.max_df(), 0);
        layout
    }

    fn sample() -> (Vec<u32>, Vec<Posting>, Vec<u8>) {
        let docs = vec![1, 5, 6, 90, 400, 999];
        let postings = vec![
            Posting {
                doc: 5,
                tf: [1, 2],
                len: [8, 112],
            },
            Posting {
                doc: 400,
                tf: [0, 1],
                len: [0, 176],
            },
        ];
        let mut encoder = PostingsEncoder::new(2, 1000, head_layout());
        for p in &postings {
            encoder.push(p.doc, p.tf, p.len, &FacetRow::default());
        }
        let span = encode_head(&docs, 1000, &[200], &encoder.finish());
        (docs, postings, span)
    }

    #[test]
    fn a_head_round_trips() {
        let (docs, postings, span) = sample();
        let head = decode_head(&span, 1000, 6, &LAYOUT).unwrap();
        assert_eq!(head.docs, docs);
        assert_eq!(head.blocks, [200]);
        assert_eq!(
            head.head.0.iter().map(|p| p.doc).collect::<Vec<_>>(),
            [5, 400]
        );
        assert_eq!(head.head.0[0].tf, postings[0].tf);
        assert!(head.head.1.is_empty(), "a head carries no rows");
    }

    #[test]
    fn a_damaged_head_is_an_error_not_a_panic() {
        let (_, _, span) = sample();
        for len in 0..span.len() {
            assert!(
                decode_head(&span[..len], 1000, 6, &LAYOUT).is_err(),
                "cut at {len}"
            );
        }
        assert!(
            decode_head(&span, 1000, 5, &LAYOUT).is_err(),
            "another count"
        );
        assert!(
            decode_head(&span, 900, 6, &LAYOUT).is_err(),
            "doc 999 of 900"
        );
        let mut longer = span.clone();
        longer.push(0);
        assert!(
            decode_head(&longer, 1000, 6, &LAYOUT).is_err(),
            "a byte past"
        );
        // A head posting that is not one of the docs.
        let mut encoder = PostingsEncoder::new(1, 1000, head_layout());
        encoder.push(7, [0, 1], [0, 100], &FacetRow::default());
        let stray = encode_head(&[1, 5, 6], 1000, &[1], &encoder.finish());
        assert!(decode_head(&stray, 1000, 3, &LAYOUT).is_err());
        let mut state = 0x9e37_79b9u32;
        for _ in 0..2000 {
            let data: Vec<u8> = (0..20)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    state as u8
                })
                .collect();
            let _ = decode_head(&data, 50, u32::from(data[1] & 0x3f), &LAYOUT);
        }
    }

    #[test]
    fn bounds_are_finite_and_not_negative() {
        assert_eq!(check_bound(1.5f32.to_bits()), Ok(1.5));
        for bad in [f32::NAN, f32::INFINITY, -1.0] {
            assert!(check_bound(bad.to_bits()).is_err(), "{bad}");
        }
    }
}
