//! A browse of the whole collection (nothing but a sort), answered from the manifest's
//! precomputed orders and facet counts: only the hits' records are fetched.

use rustc_hash::FxHashSet as HashSet;

use super::{notice, Hit, SearchResults, Suggestion};
use crate::query::{Query, Sort};
use crate::reader::{Index, Needs};

impl Index {
    /// The manifest's precomputed order that answers `parsed`, when it is nothing but a
    /// browse of the whole collection (no words, no filters) and the order reaches `limit`.
    pub(super) fn browse_order(&self, parsed: &Query, order: Sort, limit: usize) -> Option<&[u32]> {
        if !parsed.groups.is_empty()
            || !parsed.excluded.is_empty()
            || !parsed.filters.is_empty()
            || !parsed.sorted
        {
            return None;
        }
        let browse = &self.manifest().browse;
        let docs = match order {
            Sort::Date => &browse.newest,
            Sort::Upvotes => &browse.upvoted,
            Sort::Relevance => return None,
        };
        let whole = docs.len() == self.paper_count() as usize;
        (docs.len() >= limit || whole).then_some(docs.as_slice())
    }

    /// A browse answered from the manifest: the first `limit` papers of `docs`, the
    /// collection's facet counts; only the hits' records are fetched.
    pub(super) fn browse(
        &self,
        query: Query,
        docs: &[u32],
        limit: usize,
        suggestions: Vec<Suggestion>,
        damage: Option<String>,
    ) -> Result<SearchResults, Needs> {
        let docs = &docs[..limit.min(docs.len())];
        let mut needs = Needs::default();
        for &doc in docs {
            if let Err(more) = self.paper(doc) {
                needs.add(more.0[0]);
            }
        }
        needs.check()?;
        let none = HashSet::default();
        let hits = docs
            .iter()
            .filter_map(|&doc| {
                let paper = self.paper(doc).ok().flatten()?;
                Some(Hit {
                    doc,
                    score: 0.0,
                    title_highlights: self.highlights(&paper.title, &none),
                    snippet: self.snippet(&paper.abstract_text, &none),
                    explanation: Vec::new(),
                })
            })
            .collect();
        let m = self.manifest();
        let notice = notice(&query, false);
        Ok(SearchResults {
            query,
            total: self.paper_count() as usize,
            hits,
            partial: false,
            facets: m.browse.facets.facets(&m.years, &m.listings),
            suggestions,
            notice,
            damage,
        })
    }
}
