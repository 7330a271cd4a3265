//! Metadata filters and the order of the hits.

use crate::index::Index;
use crate::model::{year_of, LinkKind, Paper};
use crate::query::{FilterKind, Sort};
use crate::sort::sort_by;

pub(super) fn filter_matches(kind: &FilterKind, paper: &Paper, index: &Index) -> bool {
    // Does every wanted word start some word of `text`? One analyzer pass, no allocation:
    // the parser keeps a name to at most 32 words, one bit each.
    let words_in = |text: &str, wanted: &str| {
        let count = wanted.split(' ').count().min(32);
        let all: u64 = (1u64 << count) - 1;
        let mut found = 0u64;
        index.analyzer.each_token(text, |term, _, _, _| {
            for (i, w) in wanted.split(' ').take(count).enumerate() {
                if term.starts_with(w) {
                    found |= 1 << i;
                }
            }
        });
        found == all
    };
    match kind {
        FilterKind::Year { from, to } => year_of(paper).is_some_and(|y| (*from..=*to).contains(&y)),
        FilterKind::Upvotes { min, max } => (*min..=*max).contains(&paper.upvotes.unwrap_or(0)),
        FilterKind::HasCode => paper.links.iter().any(|l| l.kind == LinkKind::Code),
        FilterKind::HasLink => !paper.links.is_empty(),
        FilterKind::Listing(prefix) => paper
            .listings
            .iter()
            .any(|l| crate::analyze::lowercase(l).starts_with(prefix.as_str())),
        FilterKind::Author(name) => paper.authors.iter().any(|a| words_in(a, name)),
        FilterKind::Authors { min, max } => paper
            .author_total()
            .is_some_and(|n| (*min..=*max).contains(&n)),
        FilterKind::Org(name) => paper
            .organization
            .as_deref()
            .is_some_and(|o| words_in(o, name)),
    }
}

/// Puts the best `limit` of `scored` first, in order (the rest stay unordered): a partial
/// selection, so a large result set costs linear time, not a full sort.
pub(super) fn sort_hits(index: &Index, scored: &mut [(u32, f32)], sort: Sort, limit: usize) {
    let papers = index.papers();
    let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let date = |doc: u32| {
        papers[doc as usize]
            .published
            .as_deref()
            .filter(|d| !d.starts_with('-'))
    };
    let votes = |doc: u32| papers[doc as usize].upvotes;
    let order = |a: &(u32, f32), b: &(u32, f32)| match sort {
        Sort::Relevance => by_score(a, b),
        Sort::Date => date(b.0).cmp(&date(a.0)).then_with(|| by_score(a, b)),
        Sort::Upvotes => votes(b.0).cmp(&votes(a.0)).then_with(|| by_score(a, b)),
    };
    if limit == 0 {
        return;
    }
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, order);
    }
    let top = limit.min(scored.len());
    sort_by(&mut scored[..top], &mut |a, b| order(a, b));
}
