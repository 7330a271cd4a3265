//! Folds the records of one paper, found in several inputs, into one [`Paper`].

use std::collections::HashMap;

use folio_engine::format::content_hash;
use folio_engine::Paper;

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

/// Merges records into papers, in order of first appearance. Fields missing from the first
/// record are filled from later ones; listings are the union, in order of appearance.
pub fn merge(records: impl IntoIterator<Item = Record>) -> Vec<Paper> {
    let mut papers: Vec<Paper> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for record in records {
        let key = title_key(&record.title);
        let slot = *by_key.entry(key.clone()).or_insert_with(|| {
            papers.push(Paper {
                id: format!("t{}", &content_hash(key.as_bytes())[..12]),
                title: record.title.clone(),
                abstract_text: record.abstract_text.clone(),
                ..Paper::default()
            });
            papers.len() - 1
        });
        let paper = &mut papers[slot];
        // A capture may cut an abstract short; keep the longest one seen.
        if record.abstract_text.len() > paper.abstract_text.len() {
            paper.abstract_text = record.abstract_text;
        }
        paper.author_count = paper.author_count.or(record.author_count);
        paper.organization = paper.organization.take().or(record.organization);
        paper.published = paper.published.take().or(record.published);
        paper.upvotes = match (paper.upvotes, record.upvotes) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        if !paper.listings.contains(&record.listing) {
            paper.listings.push(record.listing);
        }
    }
    papers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(title: &str, listing: &str) -> Record {
        Record {
            title: title.into(),
            abstract_text: "a".into(),
            listing: listing.into(),
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
    fn ids_are_stable_and_distinct() {
        let a = merge([record("Title One", "x")]);
        let b = merge([record("Other", "y"), record("title one!", "z")]);
        assert_eq!(a[0].id, b[1].id);
        assert_ne!(b[0].id, b[1].id);
    }
}
