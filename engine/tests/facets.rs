//! Metadata filters, sorting and facet counts (natively and in headless Chromium).

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;
#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

mod common;

use common::{ids, rich_index};

#[test]
fn metadata_filters_and_sorting() {
    let index = rich_index();
    assert_eq!(ids(&index, "year:2025"), ["bioclip"]);
    assert_eq!(
        ids(&index, "year:2023..2024 sort:date"),
        ["mindagent", "voyager"]
    );
    assert_eq!(
        ids(&index, "upvotes:>=3 sort:upvotes"),
        ["voyager", "mindagent"]
    );
    assert_eq!(ids(&index, "minecraft has:code"), ["voyager"]);
    assert_eq!(ids(&index, "minecraft -has:code"), ["mindagent"]);
    let mut listed = ids(&index, "listing:003");
    listed.sort();
    assert_eq!(listed, ["bioclip", "mindagent"]);
    assert_eq!(ids(&index, "author:fan"), ["voyager"]);
    assert_eq!(ids(&index, "org:\"microsoft research\""), ["mindagent"]);
    assert_eq!(ids(&index, "emergent org:imageomics"), ["bioclip"]);
}

#[test]
fn author_count_filters_select_the_facet_buckets() {
    let index = rich_index();
    assert_eq!(ids(&index, "authors:>=11 "), ["mindagent"]);
    assert_eq!(ids(&index, "agents authors:2..5"), ["voyager"]);
    let mut unfiltered = ids(&index, "-authors:1..1000 minecraft");
    unfiltered.sort();
    assert!(unfiltered.is_empty(), "{unfiltered:?}");
    assert_eq!(ids(&index, "-authors:>=11 minecraft "), ["voyager"]);
}

#[test]
fn facets_count_the_whole_result_set() {
    let index = rich_index();
    let results = index.search("emergent OR minecraft ", 1);
    assert_eq!(results.total, 3);
    assert_eq!(results.hits.len(), 1);
    let facets = &results.facets;
    assert_eq!(facets.years, [(2025, 1), (2023, 2)]);
    assert_eq!(facets.has_code, 1);
    assert_eq!(
        facets.listings,
        [
            ("000_agents".to_string(), 2),
            ("003_emergent".to_string(), 2)
        ]
    );
    assert_eq!(
        facets.author_counts,
        [
            ("1", 0),
            ("2-5", 1),
            ("6-10", 0),
            ("11+", 1),
            ("unknown", 1)
        ]
    );
}

#[test]
fn a_facet_in_use_counts_what_the_search_gives_without_its_filter() {
    let index = rich_index();
    let results = index.search("emergent OR minecraft year:2025 ", 10);
    assert_eq!(results.total, 1);
    // The year filter in use: every year the search holds without it, to choose another.
    assert_eq!(results.facets.years, [(2025, 1), (2023, 2)]);
    // The other facets count the one paper matched.
    let unfiltered = index.search("emergent OR minecraft ", 10);
    let counted: usize = results.facets.author_counts.iter().map(|c| c.1).sum();
    assert_eq!(counted, 1);
    assert!(results.facets.has_code <= 1);
    // Two facets in use: each counts without its own filter, with the other's.
    let both = index.search("emergent OR minecraft year:2023 listing:003 ", 10);
    let by_year = index.search("emergent OR minecraft listing:003 ", 0);
    let by_listing = index.search("emergent OR minecraft year:2023 ", 0);
    assert_eq!(both.facets.years, by_year.facets.years);
    assert_eq!(both.facets.listings, by_listing.facets.listings);
    assert_eq!(by_year.facets.years, [(2025, 1), (2023, 1)]);
    assert_eq!(unfiltered.total, 3);
    // A negated filter is not a facet in use: its counts are of the papers matched.
    let negated = index.search("emergent OR minecraft -year:2025 ", 10);
    assert_eq!(negated.total, 2);
    assert_eq!(negated.facets.years, [(2023, 2)]);
}

/// 400 papers of varied years, links, author counts and listings, in which `alpha` (one
/// paper in 40), `delta` (one in 10) and `gamma` (one in 3) are rare enough for their
/// postings to carry the papers' facet rows, and `beta` (three papers in 4) is not.
fn varied() -> Vec<folio_engine::Paper> {
    use folio_engine::{Link, LinkKind};
    (0..400u32)
        .map(|i| {
            let mut words = vec!["paper"];
            for (word, every) in [("alpha", 40), ("gamma", 3), ("delta", 10)] {
                if i % every == 0 {
                    words.push(word);
                }
            }
            if i % 4 != 1 {
                words.push("beta");
            }
            let mut p = common::paper(&format!("p{i}"), &words.join(" "), "an abstract");
            p.published = match i % 11 {
                0 => Some("--03-01".into()),
                _ => (i % 6 != 0).then(|| format!("{}-03-0{}", 2020 + i % 5, 1 + i % 3)),
            };
            p.upvotes = (i % 5 != 0).then_some(i * 7 % 23);
            p.author_count = (i % 7 != 0).then_some(i % 13);
            if i % 2 == 0 {
                p.links.push(Link {
                    url: format!("https://github.com/a/{i}"),
                    kind: if i % 4 == 0 {
                        LinkKind::Code
                    } else {
                        LinkKind::Project
                    },
                });
            }
            p.listings = match i % 3 {
                0 => vec!["l0".into()],
                1 => vec!["l1".into(), "l2".into()],
                _ => vec![],
            };
            p
        })
        .collect()
}

/// 10 hits of `query` over an index opened afresh, fetching only what the search asks
/// for; with the pieces fetched, round by round.
fn searched_lazily(
    files: &[(String, Vec<u8>)],
    query: &str,
) -> (
    folio_engine::SearchResults,
    Vec<Vec<folio_engine::format::PieceId>>,
) {
    let lazy = common::open(files).unwrap();
    let mut rounds = Vec::new();
    let run = lazy.0.run_traced(|i| i.search(query, 10), &mut rounds);
    (folio_engine::load::block_on(run).unwrap(), rounds)
}

/// `limit` hits of `query` with every piece of the index in (the facet and sort columns
/// included).
fn searched_whole(
    files: &[(String, Vec<u8>)],
    query: &str,
    limit: usize,
) -> folio_engine::SearchResults {
    let whole = common::open(files).unwrap();
    folio_engine::load::block_on(whole.0.load_all()).unwrap();
    whole.search(query, limit)
}

/// The varied collection's index with every list's rows in a rows block (none inline),
/// in the smallest pieces.
fn files_with_row_blocks() -> Vec<(String, Vec<u8>)> {
    let mut builder = folio_engine::IndexBuilder::new();
    for p in varied() {
        builder.add(p);
    }
    builder.build_with(&folio_engine::PieceSizes::tiny()).files
}

#[test]
fn facets_from_the_rows_in_the_postings_equal_those_from_the_columns() {
    facets_from_rows_equal_those_from_columns(&common::files(varied()), false);
}

#[test]
fn facets_from_rows_blocks_equal_those_from_the_columns() {
    facets_from_rows_equal_those_from_columns(&files_with_row_blocks(), true);
}

/// Over `files`, the queries whose groups have rows read them (inline, or from the rows
/// blocks when `blocks`) and no facet columns, and find what the whole index finds.
fn facets_from_rows_equal_those_from_columns(files: &[(String, Vec<u8>)], blocks: bool) {
    use folio_engine::format::PieceKind;
    let queries = [
        ("alpha", true),
        ("alpha beta", true),
        ("alpha zzzz", true),
        ("alph", true),
        ("alpah", true),
        ("alpha year:2022", true),
        ("delta has:code", true),
        ("delta -alpha listing:l1", true),
        ("delta authors:2..5", true),
        ("\"paper delta\"", true),
        ("beta", false),
        ("beta gamma", true),
        ("beta zzzz", false),
        ("alpha OR beta", false),
        ("year:2022", false),
        ("has:code sort:date", false),
    ];
    for (query, by_rows) in queries {
        // Searched with only the pieces the query asks for, and with the whole index in.
        let (found, rounds) = searched_lazily(files, query);
        let expected = searched_whole(files, query, 10);
        assert_eq!(found.total, expected.total, "{query}");
        assert_eq!(found.facets, expected.facets, "{query}");
        let hits = |r: &folio_engine::SearchResults| {
            r.hits.iter().map(|h| (h.doc, h.score)).collect::<Vec<_>>()
        };
        assert_eq!(hits(&found), hits(&expected), "{query}");
        let fetched = |kind| rounds.iter().flatten().any(|id| id.kind == kind);
        assert_eq!(fetched(PieceKind::Facets), !by_rows, "{query}: {rounds:?}");
        assert_eq!(
            fetched(PieceKind::Rows),
            blocks && by_rows,
            "{query}: {rounds:?}"
        );
    }
}

#[test]
fn a_browse_from_the_manifest_equals_the_one_computed_from_the_columns() {
    use folio_engine::format::PieceKind;
    let files = common::files(varied());
    for query in ["sort:date", "sort:upvotes", "sort:relevance"] {
        let (found, rounds) = searched_lazily(&files, query);
        // Past the manifest's hundred papers, the columns order the whole collection.
        let expected = searched_whole(&files, query, 150);
        assert_eq!(found.total, 400, "{query}");
        assert_eq!(found.total, expected.total, "{query}");
        assert_eq!(found.facets, expected.facets, "{query}");
        let docs = |r: &folio_engine::SearchResults, n: usize| {
            r.hits.iter().take(n).map(|h| h.doc).collect::<Vec<_>>()
        };
        assert_eq!(docs(&found, 10), docs(&expected, 10), "{query}");
        let columns = rounds
            .iter()
            .flatten()
            .filter(|id| matches!(id.kind, PieceKind::Facets | PieceKind::Sorts))
            .count();
        assert_eq!(columns, 0, "{query}: {rounds:?}");
    }
}

/// The lists that carry rows are the manifest's to say: a reader that derived it itself
/// would misread lists written under another choice. One past the papers is refused.
#[test]
fn which_lists_carry_rows_is_read_from_the_manifest_and_checked() {
    use folio_engine::Manifest;
    let files = common::files(varied());
    let (name, bytes) = files.iter().find(|(n, _)| n == "manifest.json").unwrap();
    let manifest = Manifest::from_json(bytes).unwrap();
    assert_eq!(manifest.row_max_df, 200, "{name}: half of 400 papers");
    let mut json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    json["row_max_df"] = 401.into();
    let err = Manifest::from_json(&serde_json::to_vec(&json).unwrap()).unwrap_err();
    assert!(err.to_string().contains("would carry rows"), "{err}");
}

/// A rows block that does not decode behind a matching frame is reported in words naming
/// its piece, and the counts come from the columns instead: the same as an intact index's.
#[test]
fn a_damaged_rows_block_is_reported_and_the_counts_come_from_the_columns() {
    use folio_engine::format::PieceKind;
    let files = files_with_row_blocks();
    // Every rows piece a byte short, framed again with a matching hash.
    let damaged = common::cut_a_byte(&files, PieceKind::Rows);
    assert_ne!(damaged, files);
    for query in ["alpha", "delta has:code", "beta gamma", "alpha year:2022"] {
        let (found, _) = searched_lazily(&damaged, query);
        let expected = searched_whole(&files, query, 10);
        let damage = found.damage.clone().unwrap_or_default();
        assert!(
            damage.contains("rows-") && damage.contains("runs past the piece's end"),
            "{query}: {damage:?}"
        );
        assert_eq!(found.total, expected.total, "{query}");
        assert_eq!(found.facets, expected.facets, "{query}");
    }
}

/// Issue 33: `author:josé` matched "Joseph Mwangi" by prefix. A name filter matches whole
/// name parts, folded as the analyzer folds text (`müller` = `Müller` = `muller`), and
/// falls back to the parts' beginnings only when no paper found has the whole part (a
/// name still being typed).
#[test]
fn name_filters_match_whole_parts_before_prefixes() {
    let mut garcia = common::paper("garcia", "Axolotl limbs", "Limbs regrow in axolotls.");
    garcia.authors = vec!["José García".into(), "Hans Müller".into()];
    let mut mwangi = common::paper("mwangi", "Axolotl hearts", "Hearts regrow in axolotls.");
    mwangi.authors = vec!["Joseph Mwangi".into()];
    let index = common::open_tiny(vec![garcia, mwangi]);
    for query in [
        "author:josé",
        "author:jose",
        "author:José",
        "author:garcia",
        "author:GARCÍA",
    ] {
        assert_eq!(ids(&index, query), ["garcia"], "{query}");
    }
    for query in ["author:muller", "author:Müller", "author:\"hans müller\""] {
        assert_eq!(ids(&index, query), ["garcia"], "{query}");
    }
    assert_eq!(ids(&index, "author:joseph"), ["mwangi"]);
    // No name part is "jos": its beginnings are matched, both papers.
    let mut both = ids(&index, "author:jos");
    both.sort();
    assert_eq!(both, ["garcia", "mwangi"]);
    assert_eq!(ids(&index, "axolotl -author:jose"), ["mwangi"]);
}
