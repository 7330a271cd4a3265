//! The index in pieces: built the same twice, fetched only as a search needs them, and a
//! truncated, misplaced or foreign piece reported in words while the rest keeps working
//! (natively and in headless Chromium).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::{collection, files, ids, open, open_tiny, rich};
use folio_engine::load::block_on;
use folio_engine::{PieceId, PieceKind};

#[test]
fn building_twice_gives_identical_bytes() {
    assert_eq!(files(collection()), files(collection()));
}

#[test]
fn a_truncated_piece_is_reported_in_words() {
    let mut files = files(collection());
    let postings = files
        .iter_mut()
        .find(|(n, _)| n.starts_with("postings-"))
        .unwrap();
    postings.1.truncate(postings.1.len() / 2);
    let name = postings.0.clone();
    let index = open(&files).unwrap();
    let err = block_on(index.0.search("minecraft", 10)).unwrap_err();
    assert!(err.contains(&name) && err.contains("truncated"), "{err}");
    // What does not need the piece still works.
    assert_eq!(index.doc_of("bioclip"), Some(2));
}

#[test]
fn a_typo_or_a_correction_fetches_the_term_pieces_of_its_first_letter_only() {
    let index = open_tiny(rich());
    let manifest = index.0.index().manifest().clone();
    let firsts = &manifest.pieces.terms;
    assert!(firsts.len() > 20, "tiny pieces: {}", firsts.len());
    // "minecarft" and "reinforcment": no term, so typo matching and a suggestion.
    for (query, letter) in [("minecarft ", "m"), ("reinforcment ", "r")] {
        let index = open_tiny(rich());
        let results = index.search(query, 10);
        assert!(!results.hits.is_empty(), "{query}");
        assert!(!results.suggestions.is_empty(), "{query}");
        let loaded: Vec<usize> = (0..firsts.len())
            .filter(|&n| {
                index
                    .0
                    .index()
                    .has(PieceId::new(PieceKind::Terms, n as u32))
            })
            .collect();
        // Every term piece fetched holds terms of that letter: its range starts before
        // the next letter and ends after the letter starts.
        let next = ((letter.as_bytes()[0] + 1) as char).to_string();
        for &n in &loaded {
            let starts_before_next = firsts[n].as_str() < next.as_str();
            let ends_after_letter = firsts.get(n + 1).is_none_or(|end| end.as_str() > letter);
            assert!(
                starts_before_next && ends_after_letter,
                "{query}: piece {n} from {:?}",
                firsts[n]
            );
        }
        assert!(
            loaded.len() < firsts.len() / 2,
            "{query}: {} of {}",
            loaded.len(),
            firsts.len()
        );
    }
    // A word being typed that terms start with looks for no typos: only the term pieces
    // of its completions are fetched, not its letter's.
    let index = open_tiny(rich());
    assert_eq!(index.search("minecr", 10).hits.len(), 2);
    for n in 0..firsts.len() {
        if index
            .0
            .index()
            .has(PieceId::new(PieceKind::Terms, n as u32))
        {
            let starts_before_end = firsts[n].as_str() < "minecs";
            let ends_after_start = firsts.get(n + 1).is_none_or(|end| end.as_str() > "minecr");
            assert!(
                starts_before_end && ends_after_start,
                "piece {n} from {:?}",
                firsts[n]
            );
        }
    }
}

#[test]
fn a_piece_of_another_kind_or_build_is_refused_and_the_rest_keeps_working() {
    let built = files(rich());
    let index = open(&built).unwrap();
    let file = |prefix: &str| {
        built
            .iter()
            .find(|(n, _)| n.starts_with(prefix))
            .unwrap()
            .1
            .clone()
    };
    let postings = folio_engine::PieceId::new(folio_engine::PieceKind::Postings, 0);
    let err = index
        .0
        .index()
        .add_piece(postings, &file("terms-"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("holds piece 0 of the terms pieces"), "{err}");
    let other = files(collection());
    let theirs = other
        .iter()
        .find(|(n, _)| n.starts_with("postings-"))
        .unwrap();
    let err = index
        .0
        .index()
        .add_piece(postings, &theirs.1)
        .unwrap_err()
        .to_string();
    assert!(err.contains("belongs to build"), "{err}");
    assert!(!index.0.index().has(postings));
    assert_eq!(ids(&index, "\"theory of mind\""), ["tom"]);
}
