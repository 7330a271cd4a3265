//! Facet counts over a result set. Each paper's facet values (year, code link, listings,
//! author count) are small integers, in its facet column piece and in the rows of its
//! rarer words (inline in their postings or in rows blocks: `FacetRows`), so counting a result set of any size is a few array
//! increments per paper.

use rustc_hash::FxHashMap as HashMap;
use serde::{Deserialize, Serialize};

use crate::format::postings::Posting;
use crate::format::rows::FacetRow;
use crate::reader::Index;

/// Where a search reads its papers' facet values: a paper's facet column piece when it
/// has been added, else the row its word's list carried inline or in its rows block.
pub(crate) struct FacetRows<'a> {
    index: &'a Index,
    from_lists: HashMap<u32, FacetRow>,
}

impl<'a> FacetRows<'a> {
    /// The rows of `lists`: each list's postings with their rows, in the same order (none
    /// are kept when every facet column piece is in).
    pub(crate) fn new<'l>(
        index: &'a Index,
        lists: impl Iterator<Item = (&'l [Posting], &'l [FacetRow])>,
    ) -> Self {
        let mut from_lists = HashMap::default();
        if !index.has_all_facets() {
            for (postings, rows) in lists {
                for (posting, row) in postings.iter().zip(rows) {
                    from_lists.entry(posting.doc).or_insert(*row);
                }
            }
        }
        FacetRows { index, from_lists }
    }

    pub(crate) fn get(&self, doc: u32) -> Option<FacetRow> {
        self.index
            .facet_row(doc)
            .or_else(|| self.from_lists.get(&doc).copied())
    }

    /// Does every paper of `docs` have its row?
    pub(crate) fn covers(&self, mut docs: impl Iterator<Item = u32>) -> bool {
        docs.all(|doc| self.get(doc).is_some())
    }

    pub(crate) fn index(&self) -> &'a Index {
        self.index
    }
}

/// Author-count buckets, in display order; the last is "not known".
pub const AUTHOR_BUCKETS: [&str; 5] = ["1", "2-5", "6-10", "11+", "unknown"];

/// Counts of the matching papers by metadata, for filtering further. A facet whose filter
/// is in use (`year:2025`) counts the papers the search gives without that filter, so the
/// other values stay choosable; the rest count the papers matched.
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

/// Facet counts as plain numbers, aligned with the manifest's years and listings: what a
/// search adds up, and what the manifest keeps of the whole collection (for a browse).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    /// Papers per year of the manifest's years.
    pub years: Vec<u64>,
    pub has_code: u64,
    /// Papers per listing of the manifest's listings.
    pub listings: Vec<u64>,
    /// Papers per author-count bucket ([`AUTHOR_BUCKETS`]).
    pub authors: Vec<u64>,
}

impl Tally {
    pub(crate) fn new(years: usize, listings: usize) -> Tally {
        Tally {
            years: vec![0; years],
            has_code: 0,
            listings: vec![0; listings],
            authors: vec![0; AUTHOR_BUCKETS.len()],
        }
    }

    pub(crate) fn add(&mut self, row: &FacetRow) {
        if let Some(n) = self.years.get_mut(usize::from(row.year)) {
            *n += 1;
        }
        self.has_code += u64::from(row.has_code());
        if let Some(n) = self.authors.get_mut(author_bucket(row.authors)) {
            *n += 1;
        }
        for id in row.listings() {
            if let Some(n) = self.listings.get_mut(id as usize) {
                *n += 1;
            }
        }
    }

    /// Does it fit an index of `years` years and `listings` listings?
    pub(crate) fn fits(&self, years: usize, listings: usize) -> bool {
        self.years.len() == years
            && self.listings.len() == listings
            && self.authors.len() == AUTHOR_BUCKETS.len()
    }

    /// The counts in the page's terms, for the manifest's `years` and `listings`.
    pub(crate) fn facets(&self, years: &[u32], listings: &[String]) -> Facets {
        Facets {
            years: years
                .iter()
                .zip(&self.years)
                .rev()
                .filter(|&(_, &n)| n > 0)
                .map(|(&y, &n)| (y, n as usize))
                .collect(),
            has_code: self.has_code as usize,
            listings: listings
                .iter()
                .zip(&self.listings)
                .filter(|&(_, &n)| n > 0)
                .map(|(l, &n)| (l.clone(), n as usize))
                .collect(),
            author_counts: AUTHOR_BUCKETS
                .into_iter()
                .zip(self.authors.iter().map(|&n| n as usize))
                .collect(),
        }
    }
}

/// The facet counts of the papers `docs` (papers whose row is not at hand are not
/// counted).
pub(crate) fn count(rows: &FacetRows, docs: impl Iterator<Item = u32>) -> Facets {
    let manifest = rows.index().manifest();
    let mut tally = Tally::new(manifest.years.len(), manifest.listings.len());
    for doc in docs {
        if let Some(row) = rows.get(doc) {
            tally.add(&row);
        }
    }
    tally.facets(&manifest.years, &manifest.listings)
}
