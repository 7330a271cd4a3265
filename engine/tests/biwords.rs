//! Biwords change what a phrase reads, never what it finds: a collection indexed with a
//! biword for every pair of adjacent words and the same collection indexed with none give
//! the same hits, scores, explanations, totals and counts for any phrase.
#![cfg(not(target_arch = "wasm32"))]

use folio_engine::load::{block_on, Loader, MemoryFetch};
use folio_engine::{IndexBuilder, Paper, PieceKind, PieceSizes};
use proptest::prelude::*;

/// Few words, several forms of some, so that phrases match often and in both fields.
const WORDS: [&str; 14] = [
    "world", "worlds", "model", "models", "modeling", "large", "language", "the", "of", "agents",
    "agent", "learning", "GPT-4", "a",
];

fn papers() -> Vec<Paper> {
    let mut state = 0x9e37_79b9u32;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state as usize % n
    };
    let mut text = |len: usize| {
        (0..len)
            .map(|_| WORDS[next(WORDS.len())])
            .collect::<Vec<_>>()
            .join(" ")
    };
    (0..60)
        .map(|i| Paper {
            id: format!("p{i}"),
            title: text(3 + i % 6),
            abstract_text: text(10 + i % 25),
            published: Some(format!("202{}-01-01", i % 4)),
            ..Paper::default()
        })
        .collect()
}

type Files = Vec<(String, Vec<u8>)>;

fn build(min_df: u32) -> Files {
    let mut builder = IndexBuilder::new();
    for paper in papers() {
        builder.add(paper);
    }
    builder.set_biword_min_df(min_df);
    builder.build_with(&PieceSizes::tiny()).files
}

/// The collection with a biword for every pair (`0`) or none (`u32::MAX`), built once.
fn loader(min_df: u32) -> Loader<MemoryFetch> {
    static BUILT: std::sync::OnceLock<(Files, Files)> = std::sync::OnceLock::new();
    let (all, none) = BUILT.get_or_init(|| (build(0), build(u32::MAX)));
    let files = if min_df == 0 { all } else { none };
    block_on(Loader::open(MemoryFetch::new(files.clone()))).unwrap()
}

fn term_count(loader: &Loader<MemoryFetch>) -> u64 {
    loader.index().manifest().terms
}

#[test]
fn every_pair_is_a_biword_at_threshold_zero_and_none_at_the_top() {
    let (all, none) = (loader(0), loader(u32::MAX));
    assert_eq!(build(0), build(0), "built the same twice");
    assert!(
        term_count(&all) > term_count(&none) + 50,
        "{} terms with biwords, {} without",
        term_count(&all),
        term_count(&none)
    );
    // A phrase of two words reads no positions with biwords, and does without.
    let positions = |loader: &Loader<MemoryFetch>, query: &str| {
        let mut rounds = Vec::new();
        let results =
            block_on(loader.run_traced(|index| index.search(query, 10), &mut rounds)).unwrap();
        assert!(results.total > 0, "{query}");
        rounds
            .iter()
            .flatten()
            .filter(|id| {
                matches!(
                    id.kind,
                    PieceKind::TitlePositions | PieceKind::AbstractPositions
                )
            })
            .count()
    };
    assert_eq!(positions(&all, "\"world models\""), 0);
    assert!(positions(&none, "\"world models\"") > 0);
    // Three words: two biwords, checked against each other's positions.
    let title = &papers()[5].title;
    let three: Vec<&str> = title.split(' ').take(3).collect();
    assert!(
        positions(&all, &format!("\"{}\"", three.join(" "))) > 0,
        "{title}"
    );
}

fn phrase_query() -> impl Strategy<Value = String> {
    let word = prop::sample::select(WORDS.to_vec());
    (
        prop::collection::vec(word.clone(), 2..5),
        prop::option::of(word),
        prop::sample::select(vec!["", "title:", "abstract:", "-"]),
        prop::bool::ANY,
    )
        .prop_map(|(phrase, other, field, typed)| {
            let mut q = format!("{field}\"{}\"", phrase.join(" "));
            if let Some(w) = other {
                q = format!("{w} {q}");
            }
            if typed {
                // An open quote: the phrase being typed.
                q.pop();
            }
            q
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_phrase_finds_the_same_with_and_without_biwords(query in phrase_query()) {
        let (with, without) = (loader(0), loader(u32::MAX));
        let a = block_on(with.search(&query, 8)).unwrap();
        let b = block_on(without.search(&query, 8)).unwrap();
        prop_assert_eq!(&a.hits, &b.hits);
        prop_assert_eq!(a.total, b.total);
        prop_assert_eq!(&a.facets, &b.facets);
        prop_assert_eq!(a.partial, b.partial);
        prop_assert_eq!(&a.notice, &b.notice);
    }
}
