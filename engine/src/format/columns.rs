//! Column pieces: per paper of a range, what filters, sorting and facet counts read
//! without the records (Lucene's doc values; its norms, the field lengths, are in the
//! postings). Two kinds over the same paper ranges, so that a query fetches only the
//! columns it reads: every query the facets (for the counts), a query sorted by date or
//! upvotes (a browse of the collection) or filtering on upvotes the sort columns. Over
//! 100,000 papers that is, gzipped, about 100 kB of facets and 220 of sort columns.
//!
//! Every piece starts with its paper count (a varint, checked against the manifest); then
//! one column after another, each over the n papers in order (a column of like values
//! compresses far better than papers' values interleaved):
//!
//! ```text
//! facets   year      n varints: 0 undated, else 1 + index into the manifest's years
//!          flags     n bytes: bit 0 a code link, bit 1 any link
//!          authors   n varints: 0 unknown, else 1 + the author count
//!          listings  n varints (each paper's listing count), then all the listing ids
//!                    in paper order (indexes into the manifest's listing names)
//! sorts    dates     varint, then that many × (varint length, UTF-8 bytes): the
//!                    distinct publication dates of the piece, sorted
//!          date      n varints: 0 undated, else 1 + index into the piece's dates
//!          upvotes   n varints: 0 unknown, else 1 + the upvotes
//! ```

use crate::codec::{write_varint, ByteReader, CodecError};
use crate::model::{year_of, Paper};

use super::rows::NO_YEAR;
use super::rows::{flags_of, FacetRow, MAX_ROW_LISTINGS};

fn plus_one(v: Option<u32>) -> u64 {
    v.map_or(0, |v| u64::from(v) + 1)
}

/// The facets piece of `papers`; `years` and `listings` are the manifest's (sorted).
pub(crate) fn encode_facets(papers: &[Paper], years: &[u32], listings: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    write_varint(&mut out, papers.len() as u64);
    for paper in papers {
        let year = year_of(paper).and_then(|y| years.binary_search(&y).ok());
        write_varint(&mut out, plus_one(year.map(|i| i as u32)));
    }
    for paper in papers {
        out.push(flags_of(paper));
    }
    for paper in papers {
        write_varint(&mut out, plus_one(paper.author_total()));
    }
    let ids: Vec<Vec<usize>> = papers
        .iter()
        .map(|paper| {
            paper
                .listings
                .iter()
                .filter_map(|l| listings.binary_search(l).ok())
                .collect()
        })
        .collect();
    for paper_ids in &ids {
        write_varint(&mut out, paper_ids.len() as u64);
    }
    for &id in ids.iter().flatten() {
        write_varint(&mut out, id as u64);
    }
    out
}

/// The sorts piece of `papers`.
pub(crate) fn encode_sorts(papers: &[Paper]) -> Vec<u8> {
    let mut dates: Vec<&str> = papers
        .iter()
        .filter_map(|p| p.published.as_deref())
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let mut out = Vec::new();
    write_varint(&mut out, papers.len() as u64);
    write_varint(&mut out, dates.len() as u64);
    for date in &dates {
        write_varint(&mut out, date.len() as u64);
        out.extend_from_slice(date.as_bytes());
    }
    for paper in papers {
        let date = paper
            .published
            .as_deref()
            .and_then(|d| dates.binary_search(&d).ok());
        write_varint(&mut out, plus_one(date.map(|i| i as u32)));
    }
    for paper in papers {
        write_varint(&mut out, plus_one(paper.upvotes));
    }
    out
}

/// What facet counts and most filters read, per paper of the piece.
#[derive(Debug, Clone, Default)]
pub struct FacetColumns {
    /// Index into the manifest's years, or [`NO_YEAR`].
    pub(crate) year: Vec<u16>,
    pub(crate) flags: Vec<u8>,
    pub(crate) authors: Vec<Option<u32>>,
    /// Listings of paper `i`: `listing_ids[listing_start[i]..listing_start[i + 1]]`.
    pub(crate) listing_start: Vec<u32>,
    pub(crate) listing_ids: Vec<u32>,
}

/// What sorting (and the upvotes filter) reads, per paper of the piece.
#[derive(Debug, Clone, Default)]
pub struct SortColumns {
    pub(crate) dates: Vec<String>,
    /// Index into `dates`, or `u32::MAX` when undated.
    pub(crate) date: Vec<u32>,
    pub(crate) upvotes: Vec<Option<u32>>,
}

enum ColumnsError {
    Codec,
    Words(String),
}

impl From<CodecError> for ColumnsError {
    fn from(_: CodecError) -> Self {
        ColumnsError::Codec
    }
}

fn in_words<T>(read: Result<T, ColumnsError>) -> Result<T, String> {
    read.map_err(|e| match e {
        ColumnsError::Codec => "its columns do not decode".to_string(),
        ColumnsError::Words(words) => words,
    })
}

/// Reads the paper count, which must be `expected`, and checks that the body holds at
/// least `min_bytes` per paper before anything is allocated for them.
fn start(r: &mut ByteReader, expected: usize, min_bytes: u64) -> Result<usize, ColumnsError> {
    let count = r.varint()?;
    if count != expected as u64 {
        return Err(ColumnsError::Words(format!(
            "it holds columns of {count} papers where the manifest places {expected}"
        )));
    }
    if (r.remaining() as u64) < count.saturating_mul(min_bytes) {
        return Err(ColumnsError::Codec);
    }
    Ok(count as usize)
}

fn finish(r: &ByteReader) -> Result<(), ColumnsError> {
    if r.at_end() {
        Ok(())
    } else {
        Err(ColumnsError::Words("bytes follow its last column".into()))
    }
}

fn minus_one(v: u64) -> Result<Option<u32>, CodecError> {
    match v {
        0 => Ok(None),
        v => u32::try_from(v - 1).map(Some).map_err(|_| CodecError),
    }
}

impl FacetColumns {
    /// Reads a piece that should hold `expected` papers, for an index of `years` years
    /// and `listings` listings.
    pub(crate) fn decode(
        body: &[u8],
        expected: usize,
        years: usize,
        listings: usize,
    ) -> Result<FacetColumns, String> {
        in_words((|| {
            let mut r = ByteReader::new(body, 0);
            let n = start(&mut r, expected, 4)?;
            let mut c = FacetColumns {
                year: Vec::with_capacity(n),
                flags: Vec::with_capacity(n),
                authors: Vec::with_capacity(n),
                listing_start: Vec::with_capacity(n + 1),
                listing_ids: Vec::new(),
            };
            for _ in 0..n {
                let year = match minus_one(r.varint()?)? {
                    None => NO_YEAR,
                    Some(i) if (i as usize) < years && i < u32::from(NO_YEAR) => i as u16,
                    Some(i) => {
                        return Err(ColumnsError::Words(format!("year {i} of {years} years")))
                    }
                };
                c.year.push(year);
            }
            for _ in 0..n {
                c.flags.push(r.u8()?);
            }
            for _ in 0..n {
                c.authors.push(minus_one(r.varint()?)?);
            }
            // The listing counts, summed with checks: the ids that follow take a byte
            // each at least, so a total past the bytes left is refused before reading.
            c.listing_start.push(0);
            let mut total: u64 = 0;
            for _ in 0..n {
                total = total.checked_add(r.varint()?).ok_or(CodecError)?;
                if total > r.remaining() as u64 {
                    return Err(ColumnsError::Codec);
                }
                c.listing_start.push(total as u32);
            }
            c.listing_ids.reserve(total as usize);
            for _ in 0..total {
                let id = r.u32()?;
                if id as usize >= listings {
                    return Err(ColumnsError::Words(format!(
                        "listing {id} of {listings} listings"
                    )));
                }
                c.listing_ids.push(id);
            }
            finish(&r)?;
            Ok(c)
        })())
    }

    fn listings(&self, i: usize) -> &[u32] {
        match (self.listing_start.get(i), self.listing_start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.listing_ids.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Paper `i`'s values as a row, as the postings carry them (listings past the 64th
    /// are left out: an index with more carries no rows).
    pub(crate) fn row(&self, i: usize) -> Option<FacetRow> {
        let mut listings = 0u64;
        for &id in self.listings(i) {
            if (id as usize) < MAX_ROW_LISTINGS {
                listings |= 1 << id;
            }
        }
        Some(FacetRow {
            year: *self.year.get(i)?,
            flags: *self.flags.get(i)?,
            authors: *self.authors.get(i)?,
            listings,
        })
    }
}

impl SortColumns {
    /// Reads a piece that should hold `expected` papers.
    pub(crate) fn decode(body: &[u8], expected: usize) -> Result<SortColumns, String> {
        in_words((|| {
            let mut r = ByteReader::new(body, 0);
            let count = r.varint()?;
            if count != expected as u64 {
                return Err(ColumnsError::Words(format!(
                    "it holds columns of {count} papers where the manifest places {expected}"
                )));
            }
            let date_count = r.varint()?;
            if date_count > r.remaining() as u64 {
                return Err(ColumnsError::Codec);
            }
            let mut dates = Vec::with_capacity(date_count as usize);
            for _ in 0..date_count {
                let len = usize::try_from(r.varint()?).map_err(|_| CodecError)?;
                let date = std::str::from_utf8(r.bytes(len)?).map_err(|_| CodecError)?;
                dates.push(date.to_string());
            }
            if (r.remaining() as u64) < count.saturating_mul(2) {
                return Err(ColumnsError::Codec);
            }
            let n = count as usize;
            let mut date = Vec::with_capacity(n);
            for _ in 0..n {
                date.push(match minus_one(r.varint()?)? {
                    None => u32::MAX,
                    Some(i) if (i as usize) < dates.len() => i,
                    Some(_) => return Err(ColumnsError::Codec),
                });
            }
            let mut upvotes = Vec::with_capacity(n);
            for _ in 0..n {
                upvotes.push(minus_one(r.varint()?)?);
            }
            finish(&r)?;
            Ok(SortColumns {
                dates,
                date,
                upvotes,
            })
        })())
    }

    /// The publication date of paper `i` of the piece.
    pub(crate) fn date(&self, i: usize) -> Option<&str> {
        self.dates
            .get(*self.date.get(i)? as usize)
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Link, LinkKind};

    fn papers() -> Vec<Paper> {
        vec![
            Paper {
                published: Some("2024-05-01".into()),
                upvotes: Some(12),
                author_count: Some(3),
                links: vec![Link {
                    url: "https://github.com/a/b".into(),
                    kind: LinkKind::Code,
                }],
                listings: vec!["b".into(), "a".into()],
                ..Paper::default()
            },
            Paper {
                published: Some("--05-02".into()),
                ..Paper::default()
            },
            Paper::default(),
        ]
    }

    #[test]
    fn columns_round_trip() {
        let listings = vec!["a".to_string(), "b".to_string()];
        let body = encode_facets(&papers(), &[2023, 2024], &listings);
        let c = FacetColumns::decode(&body, 3, 2, 2).unwrap();
        assert_eq!(c.year, [1, NO_YEAR, NO_YEAR]);
        let (first, second) = (c.row(0).unwrap(), c.row(1).unwrap());
        assert!(first.has_code() && first.has_link() && !second.has_link());
        assert_eq!(c.authors, [Some(3), None, None]);
        assert_eq!((first.listings, second.listings), (0b11, 0));
        assert_eq!(first, FacetRow::of(&papers()[0], &[2023, 2024], &listings));
        let s = SortColumns::decode(&encode_sorts(&papers()), 3).unwrap();
        assert_eq!(
            (s.date(0), s.date(1), s.date(2)),
            (Some("2024-05-01"), Some("--05-02"), None)
        );
        assert_eq!(s.upvotes, [Some(12), None, None]);
    }

    #[test]
    fn columns_beyond_the_manifest_are_errors_in_words() {
        let listings = vec!["a".to_string(), "b".to_string()];
        let facets = encode_facets(&papers(), &[2023, 2024], &listings);
        let err = |r: Result<FacetColumns, String>| r.unwrap_err();
        assert!(err(FacetColumns::decode(&facets, 4, 2, 2)).contains("columns of 3 papers"));
        assert!(err(FacetColumns::decode(&facets, 3, 1, 2)).contains("year 1 of 1"));
        assert!(err(FacetColumns::decode(&facets, 3, 2, 1)).contains("listing 1 of 1"));
        let longer = [facets.as_slice(), &[0]].concat();
        assert!(err(FacetColumns::decode(&longer, 3, 2, 2)).contains("bytes follow"));
        let sorts = encode_sorts(&papers());
        for len in 0..facets.len() {
            assert!(
                FacetColumns::decode(&facets[..len], 3, 2, 2).is_err(),
                "len {len}"
            );
        }
        for len in 0..sorts.len() {
            assert!(SortColumns::decode(&sorts[..len], 3).is_err(), "len {len}");
        }
        assert!(SortColumns::decode(&sorts, 2)
            .unwrap_err()
            .contains("columns of 3 papers"));
        assert!(SortColumns::decode(&[sorts.as_slice(), &[0]].concat(), 3).is_err());
    }
}
