//! Facet rows: a paper's facet values (year, link flags, author count, listings), carried
//! in the postings of the terms it holds, so that a query counts facets and applies
//! filters over the papers of its rarer words without fetching the facet columns of every
//! paper (about 1.3 bytes gzip per paper: 127 kB at 100,000 papers, 1.3 MB at a million).
//!
//! Only lists of at most [`RowLayout::max_df`] papers (half the collection) carry rows: a
//! word in most papers would cost more in rows than the columns do. (Measured at 100,000
//! synthetic papers, `folio search --pieces`, 2026-12-02: half rather than a quarter took
//! the word being typed `reinfor`, in a third of the papers, from 222 to 153 kB, two common
//! words from 780 to 711 and a phrase from 1,013 to 911; all of them, from 433 to 520 for
//! a word in 84 % of the papers with a filter.) A query with a
//! group of words whose lists all carry rows needs no facet columns: every paper it finds
//! is in those lists.
//!
//! Bits per posting, after its lengths (see [`super::postings`]):
//!
//! ```text
//! year      year_bits bits: 0 undated, else 1 + index into the manifest's years
//! flags     2 bits: bit 0 a code link, bit 1 any link
//! authors   Elias gamma: 1 unknown, else 2 + the author count
//! listings  Elias gamma of 1 + their count, then each as listing_bits bits (an index
//!           into the manifest's listing names), in increasing order
//! ```

use crate::bits::{BitReader, BitWriter, BitsError};
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

/// How the rows of an index are written: which lists carry them and how wide their codes
/// are. The writer chooses it ([`RowLayout::new`]) and the manifest says it (`row_max_df`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowLayout {
    /// Lists of at most this many papers carry rows (0: none do).
    pub(crate) max_df: u32,
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
    /// The layout for `papers` papers, `years` years and `listings` listings.
    pub(crate) const fn new(papers: u32, years: usize, listings: usize) -> RowLayout {
        let (years, listings) = (years as u32, listings as u32);
        RowLayout {
            max_df: if listings as usize > MAX_ROW_LISTINGS {
                0
            } else {
                papers / 2
            },
            years,
            listings,
            year_bits: bits_for(years + 1),
            listing_bits: bits_for(listings),
        }
    }

    /// Do lists of `doc_freq` papers carry rows?
    pub(crate) fn carries(&self, doc_freq: u32) -> bool {
        doc_freq <= self.max_df
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
        assert!(layout.carries(50) && !layout.carries(51));
    }
}
