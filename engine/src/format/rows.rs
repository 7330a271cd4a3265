//! Facet rows: a paper's facet values (year, link flags, author count, listings), kept
//! per term beside its postings, so that a query counts facets and applies filters over
//! the papers of its rarest words without fetching the facet columns of every paper
//! (about 1.3 bytes gzip per paper: 127 kB at 100,000 papers, 1.3 MB at a million).
//!
//! Only terms in at most `RowLayout::max_df` papers (half the collection) have rows: a
//! word in most papers would cost more in rows than the columns do. Where they are depends
//! on the list's length:
//!
//! - a short list (at most `RowLayout::inline_df` papers) carries them inline, each
//!   after its posting ([`super::postings`]): they cost little, and a piece of their own
//!   would cost a request and the bytes of its neighbours (a typo query reads some thirty
//!   short lists);
//! - a longer one has a rows block in pieces of their own (`rows-<n>`, by term range, as
//!   the positions), so that a query fetches the rows of one group of its words (the one
//!   whose rows cost the fewest bytes: every paper the query finds is in that group's
//!   lists), or the columns when those cost less, and never the rows of every word it
//!   reads. (Measured at 100,000 synthetic papers, `folio search --pieces`: in format 6
//!   every list of at most half the papers carried its rows inline, and `reinforcement
//!   learning agents` fetched the rows of five lists, some 140 kB of its 527.)
//!
//! A row, inline or in a block (one row after another, in the order of the term's
//! postings, as bits, most significant first, zero-padded to a byte):
//!
//! ```text
//! year      year_bits bits: 0 undated, else 1 + index into the manifest's years
//! flags     2 bits: bit 0 a code link, bit 1 any link
//! authors   Elias gamma: 1 unknown, else 2 + the author count
//! listings  Elias gamma of 1 + their count, then each as listing_bits bits (an index
//!           into the manifest's listing names), in increasing order
//! ```

use crate::bits::{BitReader, BitWriter, BitsError};
use crate::codec::CodecError;
use crate::model::{year_of, LinkKind, Paper};

/// A paper's year index when it has none (in rows and in the facet columns).
pub(crate) const NO_YEAR: u16 = u16::MAX;

pub(crate) const CODE: u8 = 1;
pub(crate) const LINK: u8 = 2;

/// The most listings a row can name (a bit each in [`FacetRow::listings`]); an index with
/// more carries no rows, and reads its facets from the columns.
pub(crate) const MAX_ROW_LISTINGS: usize = 64;

/// A paper's link flags: [`CODE`] for a code link, [`LINK`] for any link.
pub(crate) fn flags_of(paper: &Paper) -> u8 {
    let code = paper.links.iter().any(|l| l.kind == LinkKind::Code);
    (u8::from(code) * CODE) | (u8::from(!paper.links.is_empty()) * LINK)
}

/// One paper's facet values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FacetRow {
    /// Index into the manifest's years, or [`NO_YEAR`].
    pub(crate) year: u16,
    pub(crate) flags: u8,
    pub(crate) authors: Option<u32>,
    /// Bit `i`: in listing `i` of the manifest.
    pub(crate) listings: u64,
}

impl FacetRow {
    /// The row of `paper`, for the manifest's (sorted) `years` and `listings`.
    pub(crate) fn of(paper: &Paper, years: &[u32], listings: &[String]) -> FacetRow {
        let year = year_of(paper)
            .and_then(|y| years.binary_search(&y).ok())
            .map_or(NO_YEAR, |i| i as u16);
        let mut ids = 0u64;
        for listing in &paper.listings {
            if let Ok(i) = listings.binary_search(listing) {
                if i < MAX_ROW_LISTINGS {
                    ids |= 1 << i;
                }
            }
        }
        FacetRow {
            year,
            flags: flags_of(paper),
            authors: paper.author_total(),
            listings: ids,
        }
    }

    pub(crate) fn has_code(&self) -> bool {
        self.flags & CODE != 0
    }

    pub(crate) fn has_link(&self) -> bool {
        self.flags & LINK != 0
    }

    /// The listing indexes, in increasing order.
    pub(crate) fn listings(&self) -> impl Iterator<Item = u32> + '_ {
        (0..MAX_ROW_LISTINGS as u32).filter(|&i| self.listings & (1 << i) != 0)
    }
}

/// How the rows of an index are written: which lists carry them, where, and how wide
/// their codes are. The writer chooses it ([`RowLayout::new`], [`RowLayout::with_limits`])
/// and the manifest says it (`row_max_df`, `row_inline_df`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowLayout {
    /// Lists of at most this many papers carry rows (0: none do).
    max_df: u32,
    /// Lists of at most this many papers carry them inline.
    inline_df: u32,
    years: u32,
    listings: u32,
    year_bits: u32,
    listing_bits: u32,
}

/// Bits for values `0..count`.
const fn bits_for(count: u32) -> u32 {
    32 - count.saturating_sub(1).leading_zeros()
}

impl RowLayout {
    /// The layout for `papers` papers, `years` years and `listings` listings, every list
    /// with rows carrying them inline ([`RowLayout::with_limits`] sets how many).
    pub(crate) const fn new(papers: u32, years: usize, listings: usize) -> RowLayout {
        let (years, listings) = (years as u32, listings as u32);
        let max_df = if listings as usize > MAX_ROW_LISTINGS {
            0
        } else {
            papers / 2
        };
        RowLayout {
            max_df,
            inline_df: max_df,
            years,
            listings,
            year_bits: bits_for(years + 1),
            listing_bits: bits_for(listings),
        }
    }

    /// The layout with rows for lists of at most `max_df` papers, inline in those of at
    /// most `inline_df` (the manifest's; `inline_df` no more than `max_df`).
    pub(crate) fn with_limits(self, max_df: u32, inline_df: u32) -> RowLayout {
        RowLayout {
            max_df,
            inline_df: inline_df.min(max_df),
            ..self
        }
    }

    pub(crate) fn max_df(&self) -> u32 {
        self.max_df
    }

    pub(crate) fn inline_df(&self) -> u32 {
        self.inline_df
    }

    /// Do lists of `doc_freq` papers carry their rows inline?
    pub(crate) fn inline(&self, doc_freq: u32) -> bool {
        doc_freq <= self.inline_df
    }

    /// Do terms in `doc_freq` papers have a rows block, apart from their postings?
    pub(crate) fn in_block(&self, doc_freq: u32) -> bool {
        doc_freq > self.inline_df && doc_freq <= self.max_df
    }

    /// The fewest bits a row takes.
    fn min_row_bits(&self) -> u64 {
        u64::from(self.year_bits) + 2 + 1 + 1
    }

    /// A term's rows block: `rows`, in the order of its postings.
    pub(crate) fn encode_block<'r>(&self, rows: impl IntoIterator<Item = &'r FacetRow>) -> Vec<u8> {
        let mut bits = BitWriter::new();
        for row in rows {
            self.write(row, &mut bits);
        }
        bits.finish()
    }

    /// Reads a rows block of `count` rows (the term's document frequency). More rows than
    /// its bytes can hold, a row the manifest does not allow, or bytes left over after the
    /// last row's padding mean the data is damaged.
    pub(crate) fn decode_block(
        &self,
        block: &[u8],
        count: u32,
    ) -> Result<Vec<FacetRow>, CodecError> {
        if u64::from(count) * self.min_row_bits() > block.len() as u64 * 8 {
            return Err(CodecError);
        }
        let mut bits = BitReader::new(block, 0);
        let rows = (0..count)
            .map(|_| self.read(&mut bits))
            .collect::<Result<Vec<_>, _>>()?;
        if bits.bit_pos().div_ceil(8) != block.len() as u64 {
            return Err(CodecError);
        }
        Ok(rows)
    }

    pub(crate) fn write(&self, row: &FacetRow, bits: &mut BitWriter) {
        let year = if row.year == NO_YEAR {
            0
        } else {
            u32::from(row.year) + 1
        };
        bits.bits(year, self.year_bits);
        bits.bits(u32::from(row.flags & (CODE | LINK)), 2);
        bits.gamma(row.authors.map_or(1, |n| n.saturating_add(2)));
        bits.gamma(row.listings.count_ones() + 1);
        for id in row.listings() {
            bits.bits(id, self.listing_bits);
        }
    }

    /// Reads a row, checked against the manifest's years and listings.
    pub(crate) fn read(&self, bits: &mut BitReader) -> Result<FacetRow, BitsError> {
        let year = match bits.bits(self.year_bits)? {
            0 => NO_YEAR,
            y if y <= self.years && y < u32::from(NO_YEAR) => (y - 1) as u16,
            _ => return Err(BitsError),
        };
        let flags = bits.bits(2)? as u8;
        let authors = match bits.gamma()? {
            0 => return Err(BitsError),
            1 => None,
            n => Some(n - 2),
        };
        let count = bits.gamma()?.checked_sub(1).ok_or(BitsError)?;
        if count > self.listings {
            return Err(BitsError);
        }
        let mut listings = 0u64;
        let mut previous = None;
        for _ in 0..count {
            let id = bits.bits(self.listing_bits)?;
            if id >= self.listings || previous.is_some_and(|p| id <= p) {
                return Err(BitsError);
            }
            previous = Some(id);
            listings |= 1 << id;
        }
        Ok(FacetRow {
            year,
            flags,
            authors,
            listings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_round_trip_and_refuse_what_the_manifest_does_not_hold() {
        let layout = RowLayout::new(100, 3, 5);
        let rows = [
            FacetRow::default(),
            FacetRow {
                year: 2,
                flags: CODE | LINK,
                authors: Some(12),
                listings: 0b10110,
            },
            FacetRow {
                year: NO_YEAR,
                flags: LINK,
                authors: Some(0),
                listings: 1,
            },
        ];
        let mut bits = BitWriter::new();
        for row in &rows {
            layout.write(row, &mut bits);
        }
        let bytes = bits.finish();
        let mut reader = BitReader::new(&bytes, 0);
        for row in &rows {
            assert_eq!(layout.read(&mut reader), Ok(*row));
        }
        // Read with fewer years or listings than they were written with: refused.
        for small in [RowLayout::new(100, 2, 5), RowLayout::new(100, 3, 4)] {
            let mut reader = BitReader::new(&bytes, 0);
            let read: Result<Vec<_>, _> = (0..3).map(|_| small.read(&mut reader)).collect();
            assert!(read.is_err() || read.unwrap() != rows, "{small:?}");
        }
        assert_eq!(
            RowLayout::new(100, 3, 65).max_df,
            0,
            "past 64 listings: no rows"
        );
        assert!(layout.inline(50) && !layout.inline(51) && !layout.in_block(51));
        let large = RowLayout::new(100_000, 3, 5).with_limits(50_000, 1024);
        assert!(large.inline(1024) && !large.in_block(1024));
        assert!(large.in_block(1025) && large.in_block(50_000) && !large.in_block(50_001));
    }

    #[test]
    fn a_rows_block_round_trips_and_refuses_short_long_or_miscounted_bytes() {
        let layout = RowLayout::new(100, 3, 5);
        let rows: Vec<FacetRow> = (0u16..7)
            .map(|i| FacetRow {
                year: if i == 3 { NO_YEAR } else { i % 3 },
                flags: (i % 4) as u8,
                authors: (i > 1).then_some(u32::from(i) * 5),
                listings: u64::from(i % 5),
            })
            .collect();
        let block = layout.encode_block(&rows);
        assert_eq!(layout.decode_block(&block, 7), Ok(rows.clone()));
        for len in 0..block.len() {
            assert_eq!(
                layout.decode_block(&block[..len], 7),
                Err(CodecError),
                "{len}"
            );
        }
        let mut longer = block.clone();
        longer.push(0);
        assert_eq!(layout.decode_block(&longer, 7), Err(CodecError));
        assert_eq!(
            layout.decode_block(&block, 8),
            Err(CodecError),
            "more rows than written"
        );
        // A huge count over few bytes is refused before anything is allocated.
        assert_eq!(layout.decode_block(&block, u32::MAX), Err(CodecError));
    }
}
