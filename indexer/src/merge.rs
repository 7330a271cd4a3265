//! Folds the records of one paper, found in several inputs, into one [`Paper`].

use std::collections::{HashMap, HashSet};

use folio_engine::format::content_hash;
use folio_engine::Paper;

use crate::links::find_links;
use crate::parse::Record;

/// The identity of a title: lowercase letters and digits only, so case, whitespace and
/// punctuation differences between captures of the same paper do not split it.
pub fn title_key(title: &str) -> String {
    title
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The key records merge by: the title key, or, for a title without a letter or digit
/// (whose title key is empty, the same for all such titles), the exact title and abstract,
/// so that only the same entry seen twice merges. It also seeds the paper's id, so that id
/// depends on the record alone and stays the same across rebuilds.
fn merge_key(record: &Record) -> String {
    let key = title_key(&record.title);
    if !key.is_empty() {
        return key;
    }
    // NUL is in no title key, so this meets none of them.
    format!("\0{}\0{}", record.title, record.abstract_text)
}

/// Merges records into papers, in order of first appearance.
///
/// Scalar fields missing from the first record are filled from later ones (upvotes take the
/// largest count seen, the abstract the longest text seen); authors, categories and listings
/// are unions in order of appearance. A paper's id is the first id a source gave it (an
/// arXiv id), otherwise `t` + 12 hex digits of a hash of its merge key: both are stable
/// across rebuilds. Links are read from the merged abstract, then the sources' own.
pub fn merge(records: impl IntoIterator<Item = Record>) -> Vec<Paper> {
    let mut papers: Vec<Paper> = Vec::new();
    let mut external_ids: Vec<Option<String>> = Vec::new();
    let mut given_links: Vec<Vec<String>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for record in records {
        let key = merge_key(&record);
        let slot = *by_key.entry(key.clone()).or_insert_with(|| {
            papers.push(Paper {
                id: format!("t{}", &content_hash(key.as_bytes())[..12]),
                title: record.title.clone(),
                ..Paper::default()
            });
            external_ids.push(None);
            given_links.push(Vec::new());
            papers.len() - 1
        });
        if external_ids[slot].is_none() {
            external_ids[slot] = record.id;
        }
        let paper = &mut papers[slot];
        // A capture may cut an abstract short; keep the longest one seen.
        if record.abstract_text.len() > paper.abstract_text.len() {
            paper.abstract_text = record.abstract_text;
        }
        paper.author_count = match (paper.author_count, record.author_count) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        paper.organization = paper.organization.take().or(record.organization);
        // The first date seen, made more precise by a later one of the same period (a
        // `.bib`'s `2025-02` by the Daily Papers' `2025-02-03`).
        paper.published = match (paper.published.take(), record.published) {
            (Some(known), Some(finer))
                if finer.len() > known.len() && finer.starts_with(&known) =>
            {
                Some(finer)
            }
            (known, other) => known.or(other),
        };
        paper.upvotes = match (paper.upvotes, record.upvotes) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        // Unioned below, once per paper: looking each item up in the list so far would be
        // quadratic in a paper's authors.
        paper.authors.extend(record.authors);
        paper.categories.extend(record.categories);
        paper.listings.extend(record.listings);
        given_links[slot].extend(record.links);
    }
    assign_ids(&mut papers, external_ids);
    for (paper, given) in papers.iter_mut().zip(given_links) {
        dedup_keeping_first(&mut paper.authors);
        dedup_keeping_first(&mut paper.categories);
        dedup_keeping_first(&mut paper.listings);
        // The abstract's links first, then those the sources gave (a DOI, a URL), each
        // once and only if http(s).
        paper.links = if given.is_empty() {
            find_links(&paper.abstract_text)
        } else {
            find_links(&format!("{}\n{}", paper.abstract_text, given.join("\n")))
        };
        if !paper.authors.is_empty() {
            let named = paper.authors.len() as u32;
            paper.author_count = Some(paper.author_count.map_or(named, |n| n.max(named)));
        }
    }
    papers
}

/// Gives each paper its source id when it has one that no earlier paper took; the rest keep
/// their title-hash id (made unique with a suffix in the unlikely case of a clash).
fn assign_ids(papers: &mut [Paper], external_ids: Vec<Option<String>>) {
    let mut taken: HashSet<String> = HashSet::with_capacity(papers.len());
    for (paper, external) in papers.iter_mut().zip(external_ids) {
        if let Some(id) = external.filter(|id| !taken.contains(id)) {
            paper.id = id;
        }
        if taken.contains(&paper.id) {
            let base = paper.id.clone();
            let mut n = 2;
            while taken.contains(&format!("{base}-{n}")) {
                n += 1;
            }
            paper.id = format!("{base}-{n}");
        }
        taken.insert(paper.id.clone());
    }
}

/// Removes repeats (exact, case-sensitive), keeping the first of each in place.
fn dedup_keeping_first(items: &mut Vec<String>) {
    let mut seen: HashSet<String> = HashSet::with_capacity(items.len());
    items.retain(|item| seen.insert(item.clone()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use folio_engine::LinkKind;

    fn record(title: &str, listing: &str) -> Record {
        Record {
            title: title.into(),
            abstract_text: "a".into(),
            listings: vec![listing.into()],
            ..Record::default()
        }
    }

    #[test]
    fn same_title_up_to_case_space_and_punctuation_merges() {
        let mut second = record("bioclip 2 emergent  properties", "b");
        second.upvotes = Some(3);
        second.abstract_text = "a longer abstract".into();
        let papers = merge([
            record("BioCLIP 2: Emergent Properties", "a"),
            second,
            record("Other", "b"),
        ]);
        assert_eq!(papers.len(), 2);
        assert_eq!(papers[0].title, "BioCLIP 2: Emergent Properties");
        assert_eq!(papers[0].listings, ["a", "b"]);
        assert_eq!(papers[0].upvotes, Some(3));
        assert_eq!(papers[0].abstract_text, "a longer abstract");
    }

    #[test]
    fn metadata_is_the_union_of_the_records() {
        let mut first = record("T", "a");
        first.authors = vec!["Ann".into()];
        first.categories = vec!["cs.CL".into()];
        first.organization = Some("Org".into());
        let mut second = record("t.", "b");
        second.id = Some("2401.00001".into());
        second.authors = vec!["Ann".into(), "Bob".into()];
        second.categories = vec!["cs.CL".into(), "cs.AI".into()];
        second.published = Some("2024-01-01".into());
        second.upvotes = Some(4);
        let papers = merge([first, second]);
        assert_eq!(papers.len(), 1);
        let paper = &papers[0];
        assert_eq!(paper.id, "2401.00001");
        assert_eq!(paper.authors, ["Ann", "Bob"]);
        assert_eq!(paper.author_count, Some(2));
        assert_eq!(paper.categories, ["cs.CL", "cs.AI"]);
        assert_eq!(paper.organization.as_deref(), Some("Org"));
        assert_eq!(paper.published.as_deref(), Some("2024-01-01"));
        assert_eq!(paper.upvotes, Some(4));
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = merge([record("Title One", "x")]);
        let b = merge([record("Other", "y"), record("title one!", "z")]);
        assert_eq!(a[0].id, b[1].id);
        assert_ne!(b[0].id, b[1].id);
    }

    /// Regression (issue 13, item 3): each author, category and listing was looked up in
    /// the paper's list so far, quadratic in their number. This pins the linear union: fifty
    /// records of one paper with 20,000 authors each are about 5 × 10^10 string comparisons
    /// when quadratic (minutes, not a test run); one hash lookup each when linear.
    #[test]
    fn unions_of_many_authors_are_linear_and_keep_first_seen_order() {
        let records = (0..50).map(|r| {
            let mut record = record("One paper", &format!("l{}", r % 3));
            record.authors = (r * 1000..r * 1000 + 20_000)
                .map(|a| format!("Author {a}"))
                .collect();
            record
        });
        let papers = merge(records);
        assert_eq!(papers.len(), 1);
        let authors = &papers[0].authors;
        assert_eq!(authors.len(), 69_000);
        assert!(authors
            .iter()
            .enumerate()
            .all(|(i, a)| *a == format!("Author {i}")));
        assert_eq!(papers[0].listings, ["l0", "l1", "l2"]);
        assert_eq!(papers[0].author_count, Some(69_000));
    }

    /// Regression (issue 13, item 3): a title with no letter or digit has an empty key, so
    /// all such papers merged into one. Each keeps its own paper and an id that does not
    /// depend on what else is indexed.
    #[test]
    fn titles_without_letters_or_digits_do_not_merge() {
        let mut one = record("???", "x");
        one.abstract_text = "First paper.".into();
        let mut two = record("???", "x");
        two.abstract_text = "Second paper.".into();
        let three = record("!!!", "x");
        let papers = merge([one.clone(), two.clone(), three.clone()]);
        assert_eq!(papers.len(), 3);
        assert_eq!(papers[0].abstract_text, "First paper.");
        assert_eq!(papers[1].abstract_text, "Second paper.");
        let ids: HashSet<&str> = papers.iter().map(|p| p.id.as_str()).collect();
        assert_eq!(ids.len(), 3, "{ids:?}");
        // Stable across rebuilds, whatever else the collection holds.
        let again = merge([record("Other", "y"), three, two, one]);
        assert_eq!(again[1].id, papers[2].id);
        assert_eq!(again[2].id, papers[1].id);
        assert_eq!(again[3].id, papers[0].id);
        // The same entry listed twice is still one paper.
        let twice = merge([record("???", "x"), record("???", "y")]);
        assert_eq!(twice.len(), 1);
        assert_eq!(twice[0].listings, ["x", "y"]);
    }

    #[test]
    fn a_source_id_used_twice_goes_to_the_first_paper_only() {
        let mut one = record("One", "x");
        one.id = Some("same".into());
        let mut two = record("Two", "x");
        two.id = Some("same".into());
        let papers = merge([one, two]);
        assert_eq!(papers[0].id, "same");
        assert!(papers[1].id.starts_with('t'), "{}", papers[1].id);
    }

    #[test]
    fn links_come_from_the_abstract() {
        let mut r = record("T", "x");
        r.abstract_text = "Code at https://github.com/a/b.".into();
        let papers = merge([r]);
        assert_eq!(papers[0].links.len(), 1);
        assert_eq!(papers[0].links[0].url, "https://github.com/a/b");
        assert_eq!(papers[0].links[0].kind, LinkKind::Code);
    }
}
