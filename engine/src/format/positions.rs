//! Positions blocks: where a term occurs in one field of each paper of its list.
//!
//! A block is a byte range of a positions piece of its field, found through the term's
//! info (a term never in the field has none):
//!
//! ```text
//! skips      LEB128 varint: how many skip points follow (one per SKIP postings after
//!            the first SKIP)
//! skip       per skip point, LEB128 varint: the bit offset in the stream where posting
//!            s·SKIP's positions start, minus the previous skip point's
//! stream     bits (most significant first, zero-padded to a byte): for each posting of
//!            the list, in order, its `tf` positions in the field as Rice codes
//!            (parameter POSITION_RICE of the field): the first position itself, then
//!            each gap minus 1
//! ```
//!
//! The skip points let a reader decode the positions of the few papers it checks (a
//! phrase over a common word, narrowed by a rare one) without decoding the whole block.

use crate::bits::{BitReader, BitWriter};
use crate::codec::{write_varint, ByteReader, CodecError};
use crate::format::postings::Posting;
use crate::model::Field;

/// Rice parameter of positions, per field (titles are short, abstracts some 200 tokens).
pub const POSITION_RICE: [u32; Field::COUNT] = [2, 6];

/// Postings between skip points.
pub const SKIP: usize = 32;

/// Encodes a term's positions in one field, posting by posting.
#[derive(Debug)]
pub(crate) struct PositionsEncoder {
    field: Field,
    bits: BitWriter,
    skips: Vec<u64>,
    postings: usize,
    any: bool,
}

impl PositionsEncoder {
    pub(crate) fn new(field: Field) -> Self {
        PositionsEncoder {
            field,
            bits: BitWriter::new(),
            skips: Vec::new(),
            postings: 0,
            any: false,
        }
    }

    /// Adds the next posting's positions in the field (increasing; empty when the term is
    /// not in this field of the paper).
    pub(crate) fn push(&mut self, positions: &[u32]) {
        if self.postings > 0 && self.postings % SKIP == 0 {
            self.skips.push(self.bits.bit_len());
        }
        self.postings += 1;
        let mut next = 0u32;
        for &p in positions {
            debug_assert!(p >= next, "positions must increase");
            self.bits.rice(p - next, POSITION_RICE[self.field as usize]);
            next = p + 1;
            self.any = true;
        }
    }

    /// The encoded block; empty when no posting had a position in the field.
    pub(crate) fn finish(self) -> Vec<u8> {
        if !self.any {
            return Vec::new();
        }
        let mut out = Vec::new();
        write_varint(&mut out, self.skips.len() as u64);
        let mut previous = 0;
        for &skip in &self.skips {
            write_varint(&mut out, skip - previous);
            previous = skip;
        }
        out.extend_from_slice(&self.bits.finish());
        out
    }
}

/// A positions block, its skip points read and checked.
#[derive(Debug, Clone)]
pub(crate) struct PositionsBlock<'a> {
    field: Field,
    stream: &'a [u8],
    /// Bit offset of posting `s · SKIP`, for each `s` (the first is 0).
    skips: Vec<u64>,
}

impl<'a> PositionsBlock<'a> {
    /// Reads the block of a list of `postings` postings; `block` empty means the term has
    /// no positions in the field.
    pub(crate) fn new(block: &'a [u8], field: Field, postings: usize) -> Result<Self, CodecError> {
        if block.is_empty() {
            return Ok(PositionsBlock {
                field,
                stream: block,
                skips: vec![0],
            });
        }
        let mut reader = ByteReader::new(block, 0);
        let count = reader.varint()?;
        if count != (postings.saturating_sub(1) / SKIP) as u64 {
            return Err(CodecError);
        }
        let mut skips = Vec::with_capacity(count as usize + 1);
        skips.push(0);
        let mut at = 0u64;
        for _ in 0..count {
            at = at.checked_add(reader.varint()?).ok_or(CodecError)?;
            skips.push(at);
        }
        let stream = &block[reader.pos..];
        if at > stream.len() as u64 * 8 {
            return Err(CodecError);
        }
        Ok(PositionsBlock {
            field,
            stream,
            skips,
        })
    }

    /// A reader of the block that moves forward through the list.
    pub(crate) fn cursor(&self) -> PositionsCursor<'_, 'a> {
        PositionsCursor {
            block: self,
            next: usize::MAX,
            bits: BitReader::new(self.stream, 0),
        }
    }
}

/// Decodes positions of postings of one list, in increasing posting order; a posting far
/// ahead is reached through the skip points.
#[derive(Debug, Clone)]
pub(crate) struct PositionsCursor<'b, 'a> {
    block: &'b PositionsBlock<'a>,
    /// The posting whose positions `bits` is at (`usize::MAX`: not started).
    next: usize,
    bits: BitReader<'a>,
}

impl PositionsCursor<'_, '_> {
    /// Appends to `out` the positions of posting `i` of `list`, each checked to lie below
    /// `length` (the paper's token count in the field).
    pub(crate) fn positions(
        &mut self,
        list: &[Posting],
        i: usize,
        length: u32,
        out: &mut Vec<u32>,
    ) -> Result<(), CodecError> {
        let field = self.block.field;
        let tf = list.get(i).ok_or(CodecError)?.tf(field);
        if tf == 0 {
            return Ok(());
        }
        if tf > length {
            return Err(CodecError);
        }
        let skip = i / SKIP;
        if self.next > i || i - self.next >= SKIP {
            let bit = *self.block.skips.get(skip).ok_or(CodecError)?;
            self.bits = BitReader::at_bit(self.block.stream, bit)?;
            self.next = skip * SKIP;
        }
        let k = POSITION_RICE[field as usize];
        while self.next < i {
            for _ in 0..list[self.next].tf(field) {
                self.bits.rice(k)?;
            }
            self.next += 1;
        }
        let mut next = 0u64;
        for _ in 0..tf {
            let p = next + u64::from(self.bits.rice(k)?);
            if p >= u64::from(length) {
                return Err(CodecError);
            }
            out.push(p as u32);
            next = p + 1;
        }
        self.next = i + 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of `n` postings, each in the abstract at positions depending on the doc.
    fn list(n: u32) -> (Vec<Posting>, Vec<Vec<u32>>) {
        let positions: Vec<Vec<u32>> = (0..n)
            .map(|d| (0..1 + d % 3).map(|i| d % 7 + 10 * i).collect())
            .collect();
        let postings = positions
            .iter()
            .enumerate()
            .map(|(d, p)| Posting {
                doc: d as u32,
                tf: [0, p.len() as u32],
                len: [0, 100],
            })
            .collect();
        (postings, positions)
    }

    fn encode(positions: &[Vec<u32>]) -> Vec<u8> {
        let mut encoder = PositionsEncoder::new(Field::Abstract);
        for p in positions {
            encoder.push(p);
        }
        encoder.finish()
    }

    #[test]
    fn any_posting_decodes_through_the_skip_points() {
        let (postings, positions) = list(200);
        let block = encode(&positions);
        let block = PositionsBlock::new(&block, Field::Abstract, postings.len()).unwrap();
        assert_eq!(block.skips.len(), 7);
        // In order, skipping ahead, and going back.
        for order in [vec![0, 1, 2, 40, 41, 199], vec![150, 3, 64, 63, 65, 199, 0]] {
            let mut cursor = block.cursor();
            for i in order {
                let mut out = Vec::new();
                cursor.positions(&postings, i, 100, &mut out).unwrap();
                assert_eq!(out, positions[i], "posting {i}");
            }
        }
    }

    #[test]
    fn positions_past_the_field_or_the_data_are_errors() {
        let (postings, positions) = list(40);
        let bytes = encode(&positions);
        let block = PositionsBlock::new(&bytes, Field::Abstract, postings.len()).unwrap();
        let mut out = Vec::new();
        // Posting 2 has positions 2, 12, 22: a field of 20 tokens cannot hold them.
        assert_eq!(
            block.cursor().positions(&postings, 2, 20, &mut out),
            Err(CodecError)
        );
        assert_eq!(
            block.cursor().positions(&postings, 40, 100, &mut out),
            Err(CodecError)
        );
        for len in 1..bytes.len() {
            let Ok(block) = PositionsBlock::new(&bytes[..len], Field::Abstract, 40) else {
                continue;
            };
            let mut cursor = block.cursor();
            let all = (0..40).try_for_each(|i| cursor.positions(&postings, i, 100, &mut out));
            assert_eq!(all, Err(CodecError), "len {len}");
        }
        // A skip count that disagrees with the list is damage.
        assert!(PositionsBlock::new(&bytes, Field::Abstract, 100).is_err());
    }
}
