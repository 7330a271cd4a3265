//! Metadata filters and the order of the hits, from the column pieces (and, for author
//! and organization names, the records).

use crate::facets::{self, FacetRows, Facets};
use crate::model::Paper;
use crate::query::{Filter, FilterKind, Sort};
use crate::reader::{Index, Needs};
use crate::sort::sort_by;

/// The facets a filter can narrow. A facet in use (a filter of its kind, not negated)
/// is counted over what the search gives without its own filters, so that another year or
/// listing can be chosen straight away: the usual "disjunctive" facets, counted in the
/// same pass as the results rather than by searching again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Year,
    Listing,
    Authors,
}

fn facet_of(kind: &FilterKind) -> Option<Facet> {
    match kind {
        FilterKind::Year { .. } => Some(Facet::Year),
        FilterKind::Listing(_) => Some(Facet::Listing),
        FilterKind::Authors { .. } => Some(Facet::Authors),
        _ => None,
    }
}

/// Keeps the papers of `scored` that pass `filters`, and counts the facets: over the
/// papers kept, and for each facet in use over the papers that pass every filter but its
/// own. Filters on names (authors, organizations) read the records, which are asked for
/// in `needs` first: those of the papers that pass the column filters (but a facet's own).
pub(super) fn filter_and_count(
    rows: &FacetRows,
    scored: &mut Vec<(u32, f32)>,
    filters: &[Filter],
    needs: &mut Needs,
) -> Result<Facets, Needs> {
    let index = rows.index();
    if filters.is_empty() {
        return Ok(facets::count(rows, scored.iter().map(|s| s.0)));
    }
    let in_use: Vec<Facet> = [Facet::Year, Facet::Listing, Facet::Authors]
        .into_iter()
        .filter(|&f| {
            filters
                .iter()
                .any(|x| !x.negated && facet_of(&x.kind) == Some(f))
        })
        .collect();
    // `None`: every filter; `Some(f)`: every filter but those of facet `f`.
    let skips: Vec<Option<Facet>> = std::iter::once(None)
        .chain(in_use.iter().map(|&f| Some(f)))
        .collect();
    let by_records = |f: &&Filter| matches!(f.kind, FilterKind::Author(_) | FilterKind::Org(_));
    // How each name filter matches, decided once the records are in (below).
    let mut modes = vec![NameMatch::Whole; filters.len()];
    let passes = |doc: u32, skip: Option<Facet>, records: bool, modes: &[NameMatch]| {
        filters
            .iter()
            .zip(modes)
            .filter(|(f, _)| {
                by_records(f) == records && (skip.is_none() || facet_of(&f.kind) != skip)
            })
            .all(|(f, &mode)| filter_matches(&f.kind, doc, rows, mode) != f.negated)
    };
    if filters.iter().any(|f| by_records(&f)) {
        for &(doc, _) in scored.iter() {
            if skips.iter().any(|&skip| passes(doc, skip, false, &modes)) {
                if let Err(more) = index.paper(doc) {
                    needs.add(more.0[0]);
                }
            }
        }
        needs.check()?;
        // A name matches by whole words (`author:jose` is José, not Joseph) when some paper
        // found has it so; else by the words' beginnings, for a name not yet typed out.
        for (f, mode) in filters.iter().zip(modes.iter_mut()) {
            if by_records(&f) {
                let whole = scored.iter().any(|&(doc, _)| {
                    index.paper(doc).ok().flatten().is_some_and(|paper| {
                        record_matches(&f.kind, paper, index, NameMatch::Whole)
                    })
                });
                *mode = if whole {
                    NameMatch::Whole
                } else {
                    NameMatch::Prefix
                };
            }
        }
    }
    let passes_all = |doc: u32, skip: Option<Facet>| {
        passes(doc, skip, false, &modes) && passes(doc, skip, true, &modes)
    };
    let own: Vec<(Facet, Facets)> = in_use
        .iter()
        .map(|&f| {
            let docs = scored
                .iter()
                .map(|s| s.0)
                .filter(|&doc| passes_all(doc, Some(f)));
            (f, facets::count(rows, docs))
        })
        .collect();
    scored.retain(|&(doc, _)| passes_all(doc, None));
    let mut counted = facets::count(rows, scored.iter().map(|s| s.0));
    for (facet, without) in own {
        match facet {
            Facet::Year => counted.years = without.years,
            Facet::Listing => counted.listings = without.listings,
            Facet::Authors => counted.author_counts = without.author_counts,
        }
    }
    Ok(counted)
}

/// Which column pieces the filters read besides the facets (which every search reads for
/// its counts): the sort columns for upvotes.
pub(super) fn needs_sorts(filters: &[Filter]) -> bool {
    filters
        .iter()
        .any(|f| matches!(f.kind, FilterKind::Upvotes { .. }))
}

/// Does paper `doc` pass the filter? Its facet row is at hand (its sort piece for
/// upvotes, its record for author and organization filters); a paper whose data is
/// missing does not pass.
fn filter_matches(kind: &FilterKind, doc: u32, rows: &FacetRows, mode: NameMatch) -> bool {
    let index = rows.index();
    if let FilterKind::Upvotes { min, max } = kind {
        return index.sorts_of(doc).is_some_and(|(sorts, i)| {
            (*min..=*max).contains(&sorts.upvotes.get(i).copied().flatten().unwrap_or(0))
        });
    }
    let Some(row) = rows.get(doc) else {
        return false;
    };
    let record = || index.paper(doc).ok().flatten();
    match kind {
        FilterKind::Year { from, to } => index
            .manifest()
            .years
            .get(usize::from(row.year))
            .is_some_and(|y| (*from..=*to).contains(y)),
        FilterKind::Upvotes { .. } => false,
        FilterKind::HasCode => row.has_code(),
        FilterKind::HasLink => row.has_link(),
        FilterKind::Listing(prefix) => row.listings().any(|l| {
            index
                .manifest()
                .listings
                .get(l as usize)
                .is_some_and(|name| crate::analyze::lowercase(name).starts_with(prefix.as_str()))
        }),
        FilterKind::Authors { min, max } => row.authors.is_some_and(|n| (*min..=*max).contains(&n)),
        FilterKind::Author(_) | FilterKind::Org(_) => {
            record().is_some_and(|paper| record_matches(kind, paper, index, mode))
        }
    }
}

/// How a name filter's words meet a name's: as whole words, or as their beginnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NameMatch {
    Whole,
    Prefix,
}

/// Filters on names: every wanted word is (or, by `mode`, starts) some word of one author
/// (or of the organization). Both sides are the analyzer's terms: case and accents folded.
fn record_matches(kind: &FilterKind, paper: &Paper, index: &Index, mode: NameMatch) -> bool {
    // Does every wanted word start some word of `text`? One analyzer pass, no allocation:
    // the parser keeps a name to at most 32 words, one bit each.
    let words_in = |text: &str, wanted: &str| {
        let count = wanted.split(' ').count().min(32);
        let all: u64 = (1u64 << count) - 1;
        let mut found = 0u64;
        index.analyzer.each_token(text, |term, _, _, _| {
            for (i, w) in wanted.split(' ').take(count).enumerate() {
                let meets = match mode {
                    NameMatch::Whole => term == w,
                    NameMatch::Prefix => term.starts_with(w),
                };
                if meets {
                    found |= 1 << i;
                }
            }
        });
        found == all
    };
    match kind {
        FilterKind::Author(name) => paper.authors.iter().any(|a| words_in(a, name)),
        FilterKind::Org(name) => paper
            .organization
            .as_deref()
            .is_some_and(|o| words_in(o, name)),
        _ => false,
    }
}

/// Puts the best `limit` of `scored` first, in order (the rest stay unordered): a partial
/// selection, so a large result set costs linear time, not a full sort.
pub(super) fn sort_hits(index: &Index, scored: &mut [(u32, f32)], sort: Sort, limit: usize) {
    let by_score = |a: &(u32, f32), b: &(u32, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let date = |doc: u32| {
        let (sorts, i) = index.sorts_of(doc)?;
        sorts.date(i).filter(|d| !d.starts_with('-'))
    };
    let votes = |doc: u32| {
        let (sorts, i) = index.sorts_of(doc)?;
        sorts.upvotes.get(i).copied().flatten()
    };
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
