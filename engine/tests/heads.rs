//! Queries of common words read from their heads (`format::heads`) find what the whole
//! lists find: the same hits in the same order with the same scores, totals and facets;
//! reading the lists after the heads only when the heads do not settle it.

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use folio_engine::format::{PieceId, PieceKind};
use folio_engine::load::block_on;
use folio_engine::{IndexBuilder, Paper, PieceSizes, SearchResults};

/// Words in inflected forms, each family in a share of the papers, at varied term
/// frequencies and field lengths, so that heads hold a part of each family and the others'
/// scores spread below them.
const FAMILIES: [&[&str]; 6] = [
    &["agent", "agents", "agentic"],
    &["learning", "learn", "learned"],
    &["model", "models", "modeling"],
    &["reward", "rewards"],
    &["planning", "plan", "plans"],
    &["vision"],
];

fn papers() -> Vec<Paper> {
    let mut state = 0x2545_f491u32;
    let mut next = move |below: u32| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        state % below
    };
    (0..600)
        .map(|i| {
            let mut title = Vec::new();
            let mut abstract_text = Vec::new();
            for (f, forms) in FAMILIES.iter().enumerate() {
                // Family f in about (6 - f) / 8 of the papers.
                if next(8) >= 6 - f as u32 {
                    continue;
                }
                let form = forms[next(forms.len() as u32) as usize];
                if next(4) == 0 {
                    title.push(form);
                }
                for _ in 0..next(4) {
                    abstract_text.push(forms[next(forms.len() as u32) as usize]);
                }
                if abstract_text.is_empty() && title.is_empty() {
                    abstract_text.push(form);
                }
            }
            for _ in 0..next(40) {
                abstract_text.push(["the", "of", "data", "we", "show"][next(5) as usize]);
            }
            title.push("study");
            if i % 50 == 0 {
                title.push("minecraft");
            }
            let mut p = common::paper(&format!("p{i}"), &title.join(" "), &abstract_text.join(" "));
            p.published = Some(format!("{}-05-0{}", 2020 + next(5), 1 + next(8)));
            p.upvotes = Some(next(50));
            p
        })
        .collect()
}

fn built(sizes: &PieceSizes) -> Vec<(String, Vec<u8>)> {
    let mut builder = IndexBuilder::new();
    for p in papers() {
        builder.add(p);
    }
    builder.build_with(sizes).files
}

/// Heads of 30 papers for every family in 60 or more, in small pieces.
fn with_heads() -> Vec<(String, Vec<u8>)> {
    built(&PieceSizes {
        head_docs: 30,
        head_min_df: 60,
        ..PieceSizes::tiny()
    })
}

/// The same papers without heads, whole.
fn without_heads() -> Vec<(String, Vec<u8>)> {
    built(&PieceSizes {
        head_docs: 0,
        ..PieceSizes::default()
    })
}

fn searched_lazily(
    files: &[(String, Vec<u8>)],
    query: &str,
    limit: usize,
) -> (SearchResults, Vec<PieceId>) {
    let lazy = common::open(files).unwrap();
    let mut rounds = Vec::new();
    let run = lazy.0.run_traced(|i| i.search(query, limit), &mut rounds);
    (
        block_on(run).unwrap(),
        rounds.into_iter().flatten().collect(),
    )
}

fn searched_whole(files: &[(String, Vec<u8>)], query: &str, limit: usize) -> SearchResults {
    let whole = common::open(files).unwrap();
    block_on(whole.0.load_all()).unwrap();
    whole.search(query, limit)
}

fn same(found: &SearchResults, expected: &SearchResults, query: &str) {
    let hits = |r: &SearchResults| r.hits.iter().map(|h| (h.doc, h.score)).collect::<Vec<_>>();
    assert_eq!(hits(found), hits(expected), "{query}");
    assert_eq!(found.total, expected.total, "{query}");
    assert_eq!(found.facets, expected.facets, "{query}");
    assert_eq!(found.partial, expected.partial, "{query}");
    let explained = |r: &SearchResults| {
        r.hits
            .iter()
            .map(|h| h.explanation.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(explained(found), explained(expected), "{query}");
}

#[test]
fn heads_find_what_the_lists_find_and_read_the_lists_only_when_they_must() {
    let heads = with_heads();
    let reference = without_heads();
    assert!(
        heads.iter().any(|(name, _)| name.starts_with("heads-")),
        "the common families have heads"
    );
    assert!(!reference.iter().any(|(name, _)| name.starts_with("heads-")));
    let mut queries: Vec<String> = Vec::new();
    for word in [
        "agents", "learning", "model", "rewards", "plan", "learned", "modeling",
    ] {
        queries.push(format!("{word} "));
        queries.push(format!("{word} year:2022 "));
        queries.push(format!("{word} upvotes:>=25 "));
        queries.push(format!("{word} -vision "));
        queries.push(format!("{word} -minecraft year:2021..2023 "));
        // Being typed: its completions are read from their lists.
        queries.push(word[..word.len() - 1].to_string());
    }
    let (mut settled, mut read_lists) = (0, 0);
    for query in &queries {
        // More than a head holds: the lists after the heads.
        for limit in [1, 10, 40] {
            let (found, fetched) = searched_lazily(&heads, query, limit);
            same(&found, &searched_whole(&reference, query, limit), query);
            let read = |kind| fetched.iter().any(|id| id.kind == kind);
            assert!(read(PieceKind::Heads), "{query}: {fetched:?}");
            if read(PieceKind::Postings) {
                read_lists += 1;
            } else {
                settled += 1;
            }
        }
    }
    // Both ways are taken (and so checked above): a test of one only would miss the other.
    assert!(
        settled >= 10,
        "{settled} settled from the heads, {read_lists} read the lists"
    );
    assert!(
        read_lists >= 1,
        "{settled} settled from the heads, {read_lists} read the lists"
    );
}

#[test]
fn more_words_a_phrase_a_field_or_another_order_read_the_lists() {
    let heads = with_heads();
    let reference = without_heads();
    for query in [
        "agents minecraft ",
        "agents learning ",
        "agents OR learning ",
        "\"agents learning\" ",
        "title:agents ",
        "agents sort:date ",
    ] {
        let (found, fetched) = searched_lazily(&heads, query, 10);
        same(&found, &searched_whole(&reference, query, 10), query);
        assert!(
            !fetched.iter().any(|id| id.kind == PieceKind::Heads),
            "{query}: {fetched:?}"
        );
    }
}

/// A head that does not decode behind a matching frame is reported in words naming its
/// piece: never a panic, never results taken for complete.
#[test]
fn a_damaged_head_is_reported() {
    let files = with_heads();
    let damaged = common::cut_a_byte(&files, PieceKind::Heads);
    let (found, _) = searched_lazily(&damaged, "agents ", 10);
    let damage = found.damage.unwrap_or_default();
    assert!(damage.contains("heads-"), "{damage}");
}
