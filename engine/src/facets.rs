//! Facet counts over a result set. Each paper's facet values (year, code link, listings,
//! author-count bucket) are computed once when the index opens, as small integers, so
//! counting a result set of any size is a few array increments per paper.

use crate::model::year_of;
use crate::model::{LinkKind, Paper};

/// Author-count buckets, in display order; the last is "not known".
pub const AUTHOR_BUCKETS: [&str; 5] = ["1", "2-5", "6-10", "11+", "unknown"];

/// Counts of the matching papers by metadata, for filtering further.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facets {
    /// `(year, papers)`, newest first; undated papers are not counted.
    pub years: Vec<(u32, usize)>,
    /// Papers with a code link.
    pub has_code: usize,
    /// `(listing, papers)`, by name.
    pub listings: Vec<(String, usize)>,
    /// `(bucket, papers)` for author counts "1", "2-5", "6-10", "11+" and "unknown", in
    /// that order, empty buckets included.
    pub author_counts: Vec<(&'static str, usize)>,
}

/// The query filter that selects each bucket of [`AUTHOR_BUCKETS`] (none for "unknown").
pub const AUTHOR_BUCKET_FILTERS: [Option<&str>; 5] = [
    Some("authors:1"),
    Some("authors:2..5"),
    Some("authors:6..10"),
    Some("authors:>=11"),
    None,
];

/// The bucket (index into [`AUTHOR_BUCKETS`]) of an author count.
pub fn author_bucket(count: Option<u32>) -> usize {
    match count {
        Some(0..=1) => 0,
        Some(2..=5) => 1,
        Some(6..=10) => 2,
        Some(_) => 3,
        None => 4,
    }
}

/// Every paper's facet values, as indexes into small tables.
#[derive(Debug, Default)]
pub(crate) struct FacetKeys {
    /// Distinct years, and per paper the index of its year (`NONE`: undated).
    years: Vec<u32>,
    year_of: Vec<u16>,
    code: Vec<bool>,
    bucket: Vec<u8>,
    /// Distinct listing names, and per paper the indexes of its listings (CSR layout).
    listings: Vec<String>,
    listing_start: Vec<u32>,
    listing_ids: Vec<u32>,
}

const NONE: u16 = u16::MAX;

impl FacetKeys {
    pub(crate) fn new(papers: &[Paper]) -> FacetKeys {
        let mut years: Vec<u32> = papers.iter().filter_map(year_of).collect();
        crate::sort::sort(&mut years);
        years.dedup();
        let mut listings: Vec<String> = papers.iter().flat_map(|p| p.listings.clone()).collect();
        crate::sort::sort(&mut listings);
        listings.dedup();
        let mut keys = FacetKeys {
            year_of: Vec::with_capacity(papers.len()),
            code: Vec::with_capacity(papers.len()),
            bucket: Vec::with_capacity(papers.len()),
            listing_start: Vec::with_capacity(papers.len() + 1),
            ..FacetKeys::default()
        };
        keys.listing_start.push(0);
        for paper in papers {
            let year = year_of(paper).and_then(|y| years.binary_search(&y).ok());
            keys.year_of
                .push(year.and_then(|y| u16::try_from(y).ok()).unwrap_or(NONE));
            keys.code
                .push(paper.links.iter().any(|l| l.kind == LinkKind::Code));
            keys.bucket.push(author_bucket(paper.author_total()) as u8);
            for listing in &paper.listings {
                if let Ok(id) = listings.binary_search(listing) {
                    keys.listing_ids.push(id as u32);
                }
            }
            keys.listing_start.push(keys.listing_ids.len() as u32);
        }
        keys.years = years;
        keys.listings = listings;
        keys
    }

    /// The facet counts of the papers `docs`.
    pub(crate) fn count(&self, docs: impl Iterator<Item = u32>) -> Facets {
        let mut years = vec![0usize; self.years.len()];
        let mut listings = vec![0usize; self.listings.len()];
        let mut buckets = [0usize; AUTHOR_BUCKETS.len()];
        let mut has_code = 0;
        for doc in docs {
            let d = doc as usize;
            if d >= self.code.len() {
                continue;
            }
            if let Some(n) = years.get_mut(self.year_of[d] as usize) {
                *n += 1;
            }
            has_code += usize::from(self.code[d]);
            buckets[self.bucket[d] as usize] += 1;
            let (start, end) = (self.listing_start[d], self.listing_start[d + 1]);
            for &id in &self.listing_ids[start as usize..end as usize] {
                listings[id as usize] += 1;
            }
        }
        Facets {
            years: self
                .years
                .iter()
                .zip(years)
                .rev()
                .filter(|&(_, n)| n > 0)
                .map(|(&y, n)| (y, n))
                .collect(),
            has_code,
            listings: self
                .listings
                .iter()
                .zip(listings)
                .filter(|&(_, n)| n > 0)
                .map(|(l, n)| (l.clone(), n))
                .collect(),
            author_counts: AUTHOR_BUCKETS.into_iter().zip(buckets).collect(),
        }
    }
}
