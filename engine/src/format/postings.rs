//! Postings lists: per term, the papers holding it, how often in each field, and the
//! length of each field it is in (BM25's norms, kept with the postings as Lucene keeps
//! payloads: a query reads the lengths of the papers its words are in, not a column of
//! every paper's, which was 200 kB gzip at 100,000 papers).
//!
//! A list is a byte range of a postings piece, found through the term's info:
//!
//! ```text
//! doc_count   LEB128 varint (equal to the term info's document frequency)
//! k           one byte: the Rice parameter of the doc gaps, chosen by the writer from
//!             the mean gap (paper count / doc_count)
//! then a bit stream (most significant bit first, zero-padded to a byte), per document:
//!   doc gap   Rice code (parameter k) of the ordinal minus the previous one minus 1
//!             (the first: the ordinal itself)
//!   fields    0   in the abstract only, once
//!             10  in the title only, once
//!             11  then 2 bits of field mask (bit 1 title, bit 0 abstract), then for each
//!                 field in the mask, in field order, the Elias gamma code of its term
//!                 frequency
//!   lengths   for each field the term is in, in field order, the field's token count
//!             as a length code ([`super::lengths`]): the Rice code (parameter 2) of its
//!             zigzagged distance to the code of the field's average length
//!   row       in a short list (of at most [`RowLayout::inline_df`] papers), the
//!             paper's facet values (see [`super::rows`]); a longer one's are in its
//!             rows block, which only some queries fetch
//! ```
//!
//! The lengths' centres and the row layout are the index's, derived from the manifest
//! (`ListLayout::new`): no list repeats them.
//!
//! Gaps follow geometric distributions, for which Rice codes are near optimal: on the
//! bundled collection and on synthetic arXiv data this is 2.5–3 times smaller than
//! byte-aligned varints, and gzip finds little left to squeeze.

use super::lengths;
use super::rows::{FacetRow, RowLayout};
use crate::bits::{rice_parameter, BitReader, BitWriter};
use crate::codec::{write_varint, ByteReader, CodecError};
use crate::model::Field;

/// A term in one document: which document, how often in each field, and the token count
/// of each field it is in as BM25 sees it, quantized (`lengths.rs`; 0 for the others).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Posting {
    pub doc: u32,
    pub tf: [u32; Field::COUNT],
    pub len: [u32; Field::COUNT],
}

/// A decoded list: its postings, and the papers' facet rows in the same order when the
/// list carries them inline (else none). Apart, so that the long lists, which carry none,
/// stay 20 bytes a posting in memory.
pub(crate) type Decoded = (Vec<Posting>, Vec<FacetRow>);

impl Posting {
    pub fn tf(&self, field: Field) -> u32 {
        self.tf[field as usize]
    }

    /// The token count of `field` in the paper as BM25 sees it (quantized), when the term
    /// is in it (else 0).
    pub fn len(&self, field: Field) -> u32 {
        self.len[field as usize]
    }

    /// The most tokens `field` of the paper can have: what its positions lie below.
    pub(crate) fn len_bound(&self, field: Field) -> u32 {
        lengths::bound(self.len(field))
    }
}

/// The Rice parameter of a length code's distance to its field's centre.
const LENGTH_RICE: u32 = 2;

fn zigzag(delta: i64) -> u32 {
    (if delta >= 0 {
        delta * 2
    } else {
        -delta * 2 - 1
    }) as u32
}

fn unzigzag(z: u32) -> i64 {
    if z % 2 == 0 {
        i64::from(z / 2)
    } else {
        -i64::from(z / 2) - 1
    }
}

/// What every list of an index shares, derived from the manifest by writer and reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ListLayout {
    /// The length code of each field's average length, which the codes are written
    /// around.
    pub(crate) length_centre: [u32; Field::COUNT],
    pub(crate) rows: RowLayout,
}

impl ListLayout {
    /// The layout for `papers` papers whose field lengths sum to `sums`, with `years`
    /// years and `listings` listings.
    pub(crate) fn new(
        sums: [u64; Field::COUNT],
        papers: u32,
        years: usize,
        listings: usize,
    ) -> ListLayout {
        ListLayout {
            length_centre: sums.map(|sum| {
                let average = (sum + u64::from(papers) / 2) / u64::from(papers.max(1));
                lengths::code(u32::try_from(average).unwrap_or(u32::MAX))
            }),
            rows: RowLayout::new(papers, years, listings),
        }
    }
}

/// Encodes one term's postings list document by document.
#[derive(Debug)]
pub(crate) struct PostingsEncoder {
    doc_count: u32,
    k: u32,
    layout: ListLayout,
    rows: bool,
    bits: BitWriter,
    next: u32,
}

impl PostingsEncoder {
    /// An encoder for a list of `doc_count` documents out of `doc_limit` papers, in the
    /// index's `layout`.
    pub(crate) fn new(doc_count: u32, doc_limit: u32, layout: ListLayout) -> Self {
        PostingsEncoder {
            doc_count,
            k: rice_parameter(u64::from(doc_limit), u64::from(doc_count)),
            layout,
            rows: layout.rows.inline(doc_count),
            bits: BitWriter::new(),
            next: 0,
        }
    }

    /// Adds a document (after the previous one) with its term frequency in each field, the
    /// paper's field lengths and its facet row.
    pub(crate) fn push(
        &mut self,
        doc: u32,
        tf: [u32; Field::COUNT],
        len: [u32; Field::COUNT],
        row: &FacetRow,
    ) {
        debug_assert!(doc >= self.next, "documents must come in increasing order");
        let bits = &mut self.bits;
        bits.rice(doc - self.next, self.k);
        self.next = doc + 1;
        match tf {
            [0, 1] => bits.bit(false),
            [1, 0] => bits.bits(0b10, 2),
            [title, abstract_] => {
                debug_assert!(title + abstract_ > 0, "a posting needs a position");
                bits.bits(0b11, 2);
                bits.bits(u32::from(title > 0) << 1 | u32::from(abstract_ > 0), 2);
                for count in [title, abstract_] {
                    if count > 0 {
                        bits.gamma(count);
                    }
                }
            }
        }
        for field in 0..Field::COUNT {
            if tf[field] > 0 {
                debug_assert!(len[field] >= tf[field], "a field holds its terms");
                let delta = i64::from(lengths::code(len[field]))
                    - i64::from(self.layout.length_centre[field]);
                bits.rice(zigzag(delta), LENGTH_RICE);
            }
        }
        if self.rows {
            self.layout.rows.write(row, bits);
        }
    }

    /// The encoded list.
    pub(crate) fn finish(self) -> Vec<u8> {
        let mut out = Vec::new();
        write_varint(&mut out, u64::from(self.doc_count));
        out.push(self.k as u8);
        out.extend_from_slice(&self.bits.finish());
        out
    }
}

/// Decodes a postings list (its bytes exactly). `doc_limit` is the number of papers, `doc_freq` the count the
/// term info gives and `layout` the index's: an ordinal at or past the limit, another
/// count, a length code past the last or too short for its term frequency, a row naming a
/// year or listing the index does not have, or a list running past its bytes means the
/// data is damaged.
pub(crate) fn decode_postings(
    list: &[u8],
    doc_limit: u32,
    doc_freq: u32,
    layout: &ListLayout,
) -> Result<Decoded, CodecError> {
    decode_list(list, doc_limit, |count| count == doc_freq, layout)
}

/// Decodes a postings list of a part of a term's papers (a head, [`super::heads`]): of at
/// most `max_count` postings, however many its header says.
pub(crate) fn decode_counted(
    list: &[u8],
    doc_limit: u32,
    max_count: u32,
    layout: &ListLayout,
) -> Result<Decoded, CodecError> {
    decode_list(list, doc_limit, |count| count <= max_count, layout)
}

fn decode_list(
    list: &[u8],
    doc_limit: u32,
    count_ok: impl Fn(u32) -> bool,
    layout: &ListLayout,
) -> Result<Decoded, CodecError> {
    let mut header = ByteReader::new(list, 0);
    let count = header.u32()?;
    // Each posting takes at least two bits; checking that first keeps a corrupt count
    // from asking for a huge allocation.
    if !count_ok(count) || u64::from(count) > (list.len() as u64).saturating_mul(4) {
        return Err(CodecError);
    }
    let k = u32::from(header.u8()?);
    if k > 24 {
        return Err(CodecError);
    }
    let mut bits = BitReader::new(list, header.pos);
    let carries = layout.rows.inline(count);
    let mut postings = Vec::with_capacity(count as usize);
    let mut rows = Vec::with_capacity(if carries { count as usize } else { 0 });
    let mut next: u64 = 0;
    for _ in 0..count {
        let doc = next + u64::from(bits.rice(k)?);
        if doc >= u64::from(doc_limit) {
            return Err(CodecError);
        }
        next = doc + 1;
        let tf = if !bits.bit()? {
            [0, 1]
        } else if !bits.bit()? {
            [1, 0]
        } else {
            let mask = bits.bits(2)?;
            if mask == 0 {
                return Err(CodecError);
            }
            let mut tf = [0u32; Field::COUNT];
            for (field, slot) in tf.iter_mut().enumerate() {
                if mask & (0b10 >> field) != 0 {
                    *slot = bits.gamma()?;
                }
            }
            tf
        };
        let mut len = [0u32; Field::COUNT];
        for field in 0..Field::COUNT {
            if tf[field] > 0 {
                let code =
                    i64::from(layout.length_centre[field]) + unzigzag(bits.rice(LENGTH_RICE)?);
                let code = u32::try_from(code).map_err(|_| CodecError)?;
                let quantized = lengths::decode(code).ok_or(CodecError)?;
                if lengths::bound(quantized) < tf[field] {
                    return Err(CodecError);
                }
                len[field] = quantized;
            }
        }
        if carries {
            rows.push(layout.rows.read(&mut bits)?);
        }
        postings.push(Posting {
            doc: doc as u32,
            tf,
            len,
        });
    }
    // The list ends with its last posting's padding.
    if bits.bit_pos().div_ceil(8) != list.len() as u64 {
        return Err(CodecError);
    }
    Ok((postings, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Posting> {
        [
            (0, [0, 1], [0, 120]),
            (3, [2, 0], [9, 0]),
            (4, [1, 0], [1, 0]),
            (200, [0, 3], [0, 3]),
            (201, [1, 2], [12, 4000]),
        ]
        .map(|(doc, tf, len)| Posting { doc, tf, len })
        .to_vec()
    }

    /// Lengths coded around 9 and around the code of 200 (46); 1000 papers, so lists of
    /// up to 250 carry rows (of 4 years and 2 listings).
    const K: ListLayout = ListLayout {
        length_centre: [9, 46],
        rows: RowLayout::new(1000, 4, 2),
    };

    /// The sample as decoded: its lengths quantized.
    fn quantized() -> Vec<Posting> {
        sample()
            .into_iter()
            .map(|p| Posting {
                len: p.len.map(lengths::quantize),
                ..p
            })
            .collect()
    }

    fn rows() -> Vec<FacetRow> {
        (0u16..5)
            .map(|i| FacetRow {
                year: i % 4,
                flags: (i % 4) as u8,
                authors: (i > 0).then_some(u32::from(i) * 3),
                listings: u64::from(i % 4),
            })
            .collect()
    }

    fn encoded() -> Vec<u8> {
        let mut encoder = PostingsEncoder::new(5, 1000, K);
        for (p, row) in sample().iter().zip(rows()) {
            encoder.push(p.doc, p.tf, p.len, &row);
        }
        encoder.finish()
    }

    #[test]
    fn postings_round_trip() {
        assert_eq!(
            decode_postings(&encoded(), 1000, 5, &K),
            Ok((quantized(), rows()))
        );
        // 4000 tokens: the code of 3840..=4095, whose middle is 3968.
        assert_eq!(quantized()[4].len, [12, 3968]);
        let layout = ListLayout::new([10 * 1000, 200 * 1000], 1000, 4, 2);
        assert_eq!(layout.length_centre, [10, lengths::code(200)]);
        // A long list carries no rows (a list of up to half the papers has a rows block).
        let mut common = PostingsEncoder::new(600, 1000, K);
        for doc in 0..600 {
            common.push(doc, [0, 1], [0, 9], &FacetRow::default());
        }
        let (decoded, rows) = decode_postings(&common.finish(), 1000, 600, &K).unwrap();
        assert!(rows.is_empty() && decoded.iter().all(|p| p.len == [0, 9]));
    }

    #[test]
    fn truncated_or_miscounted_postings_are_an_error_not_a_panic() {
        let list = encoded();
        for len in 0..list.len() {
            assert_eq!(
                decode_postings(&list[..len], 1000, 5, &K),
                Err(CodecError),
                "len {len}"
            );
        }
        assert_eq!(decode_postings(&list, 1000, 4, &K), Err(CodecError));
        assert_eq!(
            decode_postings(&list, 100, 5, &K),
            Err(CodecError),
            "doc 200 of 100"
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut state = 0x1234_5678u32;
        for _ in 0..2000 {
            let data: Vec<u8> = (0..24)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 17;
                    state ^= state << 5;
                    state as u8
                })
                .collect();
            let count = u32::from(data[0] & 0x7f);
            let _ = decode_postings(&data, 50, count, &K);
        }
    }
}
